//! Numbered pictogram grids: the pure layout and the drawing.
//!
//! A resident answers a grid by tapping a tile or by typing (or saying) its
//! number, so every tile carries a large number in a high-contrast box in its
//! top-left corner. The layout is a pure function so the web widget can put
//! tap targets exactly over the drawn tiles.

use image::{Rgba, RgbaImage};

use crate::text::{self, Area};
use crate::{Error, Result};

/// Fewest and most tiles in a grid. One tile is not a choice; more than
/// nine is too many options at once for the people Wegwijs serves, and
/// numbers stay single digits.
pub const MIN_TILES: usize = 2;
/// See [`MIN_TILES`].
pub const MAX_TILES: usize = 9;

/// Smallest and largest tile edge for grids. Below 64 the number box and
/// pictogram become too small to read; above 512 a 3 x 3 grid passes
/// 1600 pixels, more than any screen or chat preview shows.
pub const MIN_TILE_SIZE: u32 = 64;
/// See [`MIN_TILE_SIZE`].
pub const MAX_TILE_SIZE: u32 = 512;

/// Light grey-blue page behind the tiles, so white tiles stand out.
pub(crate) const BACKGROUND: [u8; 3] = [0xE8, 0xED, 0xF2];
const TILE_FILL: [u8; 3] = [0xFF, 0xFF, 0xFF];
const TILE_BORDER: [u8; 3] = [0x1F, 0x29, 0x33];
/// Black on warm yellow: contrast about 15:1, and a colour that no
/// pictogram background uses, so the number is found at a glance.
pub(crate) const NUMBER_BOX: [u8; 3] = [0xFF, 0xD2, 0x1F];
pub(crate) const NUMBER_TEXT: [u8; 3] = [0x00, 0x00, 0x00];
const LABEL_TEXT: [u8; 3] = [0x11, 0x18, 0x27];

/// Where one tile and its parts sit in a grid image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileRect {
    /// Tile (border included).
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The box with the tile number (inside the border, top-left corner).
    pub number_x: u32,
    pub number_y: u32,
    pub number_w: u32,
    pub number_h: u32,
    /// The square the pictogram is drawn into (below the number box).
    pub picto_x: u32,
    pub picto_y: u32,
    pub picto_size: u32,
    /// The band for the label under the pictogram; `label_h` is 0 when the
    /// grid has no labels.
    pub label_x: u32,
    pub label_y: u32,
    pub label_w: u32,
    pub label_h: u32,
}

/// The geometry of a whole grid image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GridLayout {
    pub width: u32,
    pub height: u32,
    pub columns: u32,
    pub rows: u32,
    /// One per tile, in reading order (tile `i` carries number `i + 1`).
    pub tiles: Vec<TileRect>,
}

/// Sizes that follow from the tile edge; kept together so layout and
/// drawing agree.
#[derive(Debug, Clone, Copy)]
struct Metrics {
    margin: u32,
    border: u32,
    radius: u32,
    number: u32,
    pad: u32,
    label: u32,
}

fn metrics(tile_size: u32, with_labels: bool) -> Metrics {
    Metrics {
        margin: (tile_size / 16).max(4),
        border: (tile_size / 40).max(2),
        radius: tile_size / 10,
        number: tile_size * 7 / 25,
        pad: (tile_size / 32).max(2),
        label: if with_labels { tile_size / 4 } else { 0 },
    }
}

pub(crate) fn check_tile_count(n: usize) -> Result<()> {
    if n < MIN_TILES {
        Err(Error::TooFewTiles { count: n, min: MIN_TILES })
    } else if n > MAX_TILES {
        Err(Error::TooManyTiles { count: n, max: MAX_TILES })
    } else {
        Ok(())
    }
}

pub(crate) fn check_tile_size(tile_size: u32) -> Result<()> {
    if (MIN_TILE_SIZE..=MAX_TILE_SIZE).contains(&tile_size) {
        Ok(())
    } else {
        Err(Error::InvalidSize { size: tile_size, min: MIN_TILE_SIZE, max: MAX_TILE_SIZE })
    }
}

/// Computes where `n` tiles of `tile_size` pixels go.
///
/// Two columns for up to four tiles (big targets for few choices), three
/// for five to nine. Tiles are `tile_size` wide and `tile_size` high, plus
/// `tile_size / 4` for the label band (room for two lines) when `with_labels`; a margin of
/// `max(tile_size / 16, 4)` separates tiles from each other and the edge.
pub fn grid_layout(n: usize, tile_size: u32, with_labels: bool) -> Result<GridLayout> {
    check_tile_count(n)?;
    check_tile_size(tile_size)?;
    let m = metrics(tile_size, with_labels);
    let columns: u32 = if n <= 4 { 2 } else { 3 };
    // n <= 9, so these conversions cannot truncate.
    let count = n as u32;
    let rows = count.div_ceil(columns);
    let tile_w = tile_size;
    let tile_h = tile_size + m.label;
    let width = columns * tile_w + (columns + 1) * m.margin;
    let height = rows * tile_h + (rows + 1) * m.margin;

    let picto_size = tile_size - 2 * m.border - m.number - 2 * m.pad;
    let tiles = (0..count)
        .map(|i| {
            let (col, row) = (i % columns, i / columns);
            let x = m.margin + col * (tile_w + m.margin);
            let y = m.margin + row * (tile_h + m.margin);
            let picto_y = y + m.border + m.number + m.pad;
            TileRect {
                x,
                y,
                w: tile_w,
                h: tile_h,
                number_x: x + m.border,
                number_y: y + m.border,
                number_w: m.number,
                number_h: m.number,
                picto_x: x + (tile_w - picto_size) / 2,
                picto_y,
                picto_size,
                label_x: x + m.border + m.pad,
                label_y: picto_y + picto_size,
                label_w: tile_w - 2 * (m.border + m.pad),
                label_h: m.label,
            }
        })
        .collect();
    Ok(GridLayout { width, height, columns, rows, tiles })
}

/// Draws the grid's background, tiles, number boxes and labels; `picto` is
/// called for each tile index and returns the pictogram to place.
pub(crate) fn draw<'a, F>(
    layout: &GridLayout,
    labels: &[Option<&str>],
    tile_size: u32,
    mut picto: F,
) -> Result<RgbaImage>
where
    F: FnMut(usize) -> Result<&'a RgbaImage>,
{
    let with_labels = layout.tiles.first().is_some_and(|t| t.label_h > 0);
    let m = metrics(tile_size, with_labels);
    let [r, g, b] = BACKGROUND;
    let mut img = RgbaImage::from_pixel(layout.width, layout.height, Rgba([r, g, b, 255]));

    for (i, tile) in layout.tiles.iter().enumerate() {
        let outer = Area { x: tile.x, y: tile.y, w: tile.w, h: tile.h };
        fill_rounded(&mut img, outer, m.radius, TILE_BORDER);
        let inner = inset(outer, m.border);
        let inner_radius = m.radius.saturating_sub(m.border);
        fill_rounded(&mut img, inner, inner_radius, TILE_FILL);

        let number =
            Area { x: tile.number_x, y: tile.number_y, w: tile.number_w, h: tile.number_h };
        fill_rounded(&mut img, number, inner_radius, NUMBER_BOX);
        text::draw_number(&mut img, number, i + 1, NUMBER_TEXT)?;

        let pictogram = picto(i)?;
        paste(&mut img, pictogram, tile.picto_x, tile.picto_y);

        if let Some(label) = labels.get(i).copied().flatten() {
            if tile.label_h > 0 {
                let area =
                    Area { x: tile.label_x, y: tile.label_y, w: tile.label_w, h: tile.label_h };
                text::draw_label(&mut img, area, label, LABEL_TEXT)?;
            }
        }
    }
    Ok(img)
}

fn inset(a: Area, by: u32) -> Area {
    Area { x: a.x + by, y: a.y + by, w: a.w.saturating_sub(2 * by), h: a.h.saturating_sub(2 * by) }
}

/// Fills a rectangle with rounded corners, anti-aliased at the corners,
/// over an opaque image.
fn fill_rounded(img: &mut RgbaImage, area: Area, radius: u32, color: [u8; 3]) {
    let radius = radius.min(area.w / 2).min(area.h / 2) as f32;
    let (x0, y0) = (area.x as f32, area.y as f32);
    let (x1, y1) = (x0 + area.w as f32, y0 + area.h as f32);
    for py in area.y..area.y.saturating_add(area.h).min(img.height()) {
        for px in area.x..area.x.saturating_add(area.w).min(img.width()) {
            // Distance from the pixel centre to the nearest corner circle
            // centre, only in the corner squares; elsewhere fully inside.
            let (cx, cy) = (px as f32 + 0.5, py as f32 + 0.5);
            let dx = if cx < x0 + radius {
                x0 + radius - cx
            } else if cx > x1 - radius {
                cx - (x1 - radius)
            } else {
                0.0
            };
            let dy = if cy < y0 + radius {
                y0 + radius - cy
            } else if cy > y1 - radius {
                cy - (y1 - radius)
            } else {
                0.0
            };
            let coverage = if dx > 0.0 && dy > 0.0 {
                (radius - (dx * dx + dy * dy).sqrt() + 0.5).clamp(0.0, 1.0)
            } else {
                1.0
            };
            if coverage >= 1.0 {
                let [r, g, b] = color;
                img.put_pixel(px, py, Rgba([r, g, b, 255]));
            } else {
                text::blend(img, area, i64::from(px), i64::from(py), color, coverage);
            }
        }
    }
}

/// Alpha-blends `top` (straight alpha) over the opaque `img` at (x, y).
fn paste(img: &mut RgbaImage, top: &RgbaImage, x: u32, y: u32) {
    for (tx, ty, p) in top.enumerate_pixels() {
        let [r, g, b, a] = p.0;
        if a == 0 {
            continue;
        }
        let (px, py) = (x + tx, y + ty);
        if let Some(dst) = img.get_pixel_mut_checked(px, py) {
            if a == 255 {
                *dst = Rgba([r, g, b, 255]);
            } else {
                let alpha = u32::from(a);
                for (d, s) in dst.0.iter_mut().zip([r, g, b]) {
                    *d = ((u32::from(s) * alpha + u32::from(*d) * (255 - alpha) + 127) / 255) as u8;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_at_160_with_labels() {
        let l = grid_layout(9, 160, true).unwrap();
        assert_eq!((l.columns, l.rows, l.width, l.height), (3, 3, 520, 640));
        let t = l.tiles[4];
        assert_eq!((t.x, t.y, t.w, t.h), (180, 220, 160, 200));
        assert!(t.picto_y >= t.number_y + t.number_h, "pictogram is below the number box");
        assert!(t.label_y + t.label_h <= t.y + t.h);
    }

    #[test]
    fn counts_and_sizes_are_checked() {
        assert!(matches!(grid_layout(1, 160, false), Err(Error::TooFewTiles { .. })));
        assert!(matches!(grid_layout(10, 160, false), Err(Error::TooManyTiles { .. })));
        assert!(matches!(grid_layout(4, 10, false), Err(Error::InvalidSize { .. })));
        for size in [MIN_TILE_SIZE, MAX_TILE_SIZE] {
            for n in MIN_TILES..=MAX_TILES {
                assert!(grid_layout(n, size, true).is_ok());
            }
        }
    }
}
