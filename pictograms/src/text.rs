//! Tile numbers and labels, drawn with the shipped DejaVu Sans Bold.
//!
//! The font is compiled into the binary so a grid looks the same on every
//! server and needs no system fonts. Latin, Turkish, Polish and Cyrillic
//! labels are drawn glyph by glyph with `ab_glyph`. Arabic (and Hebrew)
//! letters change shape with their neighbours and run right to left, which
//! `ab_glyph` does not do; those labels go through usvg's text layout
//! (HarfRust shaping and bidi) with the same font, so an Arabic-speaking
//! resident reads real words rather than loose, reversed letters.

use std::sync::{Arc, OnceLock};

use ab_glyph::{point, Font, FontRef, GlyphId, OutlinedGlyph, PxScale, ScaleFont};
use image::RgbaImage;
use resvg::{tiny_skia, usvg};

use crate::{Error, Result};

/// DejaVu Sans Bold, shipped in `fonts/` with its licence.
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The family name inside [`FONT_BYTES`], used to ask usvg for it.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans";

/// Labels are cut after this many characters before measuring, so a caller
/// passing a whole paragraph costs little; a tile shows far fewer anyway.
const MAX_LABEL_CHARS: usize = 64;

const ELLIPSIS: char = '\u{2026}';

/// A pixel rectangle inside an image.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

fn font() -> Result<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
        .ok_or_else(|| Error::Render("the shipped font cannot be read".into()))
}

/// Paints `color` over an opaque image with the given coverage (0..=1),
/// never outside `clip`.
pub(crate) fn blend(
    img: &mut RgbaImage,
    clip: Area,
    x: i64,
    y: i64,
    color: [u8; 3],
    coverage: f32,
) {
    let inside_x = x >= i64::from(clip.x) && x < i64::from(clip.x) + i64::from(clip.w);
    let inside_y = y >= i64::from(clip.y) && y < i64::from(clip.y) + i64::from(clip.h);
    if !inside_x || !inside_y || coverage <= 0.0 {
        return;
    }
    let (Ok(px), Ok(py)) = (u32::try_from(x), u32::try_from(y)) else {
        return;
    };
    let Some(pixel) = img.get_pixel_mut_checked(px, py) else {
        return;
    };
    let a = coverage.min(1.0);
    for (channel, &c) in pixel.0.iter_mut().zip(color.iter()) {
        *channel = (f32::from(*channel) * (1.0 - a) + f32::from(c) * a).round() as u8;
    }
}

/// One line of glyphs laid out from x = 0 on a baseline at y = 0.
struct Line {
    glyphs: Vec<OutlinedGlyph>,
    advance: f32,
}

fn layout(font: &FontRef<'static>, scale: PxScale, text: &str) -> Line {
    let scaled = font.as_scaled(scale);
    let mut caret = 0.0f32;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::new();
    for ch in text.chars() {
        let id = font.glyph_id(ch);
        // A missing glyph would show as an empty box, which tells a
        // resident nothing; leave it out instead.
        if id.0 == 0 && !ch.is_whitespace() {
            continue;
        }
        if let Some(prev) = previous {
            caret += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(scale, point(caret, 0.0));
        caret += scaled.h_advance(id);
        previous = Some(id);
        if let Some(outlined) = font.outline_glyph(glyph) {
            glyphs.push(outlined);
        }
    }
    Line { glyphs, advance: caret }
}

fn draw_line(img: &mut RgbaImage, clip: Area, line: &Line, dx: f32, dy: f32, color: [u8; 3]) {
    for glyph in &line.glyphs {
        let bounds = glyph.px_bounds();
        let ox = (bounds.min.x + dx).round() as i64;
        let oy = (bounds.min.y + dy).round() as i64;
        glyph.draw(|gx, gy, c| blend(img, clip, ox + i64::from(gx), oy + i64::from(gy), color, c));
    }
}

/// Draws the tile number large and centred in `area`.
pub(crate) fn draw_number(
    img: &mut RgbaImage,
    area: Area,
    number: usize,
    color: [u8; 3],
) -> Result<()> {
    let font = font()?;
    let text = number.to_string();
    // Size the digits by their ink height, not the font size, so that the
    // digit fills about two thirds of the box whatever the font's metrics.
    let probe = layout(font, PxScale::from(100.0), &text);
    let ink_h = ink_bounds(&probe).map_or(73.0, |(_, y0, _, y1)| y1 - y0).max(1.0);
    let mut px = 100.0 * (area.h as f32 * 0.68) / ink_h;
    let mut line = layout(font, PxScale::from(px), &text);
    // Two digits (10 and up) must still fit the width.
    let max_w = area.w as f32 * 0.84;
    if let Some((x0, _, x1, _)) = ink_bounds(&line) {
        if x1 - x0 > max_w {
            px *= max_w / (x1 - x0);
            line = layout(font, PxScale::from(px), &text);
        }
    }
    let Some((x0, y0, x1, y1)) = ink_bounds(&line) else {
        return Ok(());
    };
    let dx = area.x as f32 + (area.w as f32 - (x1 - x0)) / 2.0 - x0;
    let dy = area.y as f32 + (area.h as f32 - (y1 - y0)) / 2.0 - y0;
    draw_line(img, area, &line, dx, dy, color);
    Ok(())
}

fn ink_bounds(line: &Line) -> Option<(f32, f32, f32, f32)> {
    line.glyphs.iter().map(OutlinedGlyph::px_bounds).fold(None, |acc, b| {
        Some(match acc {
            None => (b.min.x, b.min.y, b.max.x, b.max.y),
            Some((x0, y0, x1, y1)) => {
                (x0.min(b.min.x), y0.min(b.min.y), x1.max(b.max.x), y1.max(b.max.y))
            }
        })
    })
}

/// Cleans a caller's label: one line, no control characters, bounded length.
pub(crate) fn clean_label(text: &str) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ").chars().take(MAX_LABEL_CHARS).collect()
}

/// How a label is set: its lines (one or two) and the font size in pixels.
#[derive(Debug, PartialEq)]
struct Plan {
    lines: Vec<String>,
    px: f32,
}

/// Line height of DejaVu Sans as a multiple of the font size (ascent minus
/// descent); used to fit two lines into the label band.
const LINE_HEIGHT_EM: f32 = 1.17;

/// Chooses how to set `text` in a `w` x `h` band, measuring with
/// `measure(text, px)`. In order of preference: one line at the normal
/// size; one line shrunk to at most 70 % (smaller is hard to read); two
/// lines split at a space ("Met iemand / praten"); and only then cut with
/// "…", because a cut word is the least readable.
fn plan_label(
    text: &str,
    w: f32,
    h: f32,
    measure: &mut dyn FnMut(&str, f32) -> Result<f32>,
) -> Result<Plan> {
    let one = |px: f32| Plan { lines: vec![text.to_string()], px };
    let normal = h * 0.62;
    let smallest = normal * 0.7;
    let width = measure(text, normal)?;
    if width <= w {
        return Ok(one(normal));
    }
    // Widths scale linearly with the size, so one step finds the size that
    // fits (a hair smaller against rounding).
    let shrunk = (normal * w / width * 0.99).max(smallest);
    if measure(text, shrunk)? <= w {
        return Ok(one(shrunk));
    }

    let two_px = (h / (2.0 * LINE_HEIGHT_EM)).min(shrunk);
    let spaces: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).collect();
    if !spaces.is_empty() {
        // The most balanced split: the one whose wider line is narrowest.
        let mut best: Option<(f32, String, String)> = None;
        for i in spaces {
            let (first, second) = (&text[..i], &text[i + 1..]);
            let wider = measure(first, two_px)?.max(measure(second, two_px)?);
            if best.as_ref().is_none_or(|(b, _, _)| wider < *b) {
                best = Some((wider, first.to_string(), second.to_string()));
            }
        }
        if let Some((wider, first, second)) = best {
            let first = if measure(&first, two_px)? <= w {
                first
            } else {
                cut_to_fit(&first, w, two_px, measure)?
            };
            let second = if wider <= w { second } else { cut_to_fit(&second, w, two_px, measure)? };
            return Ok(Plan { lines: vec![first, second], px: two_px });
        }
    }
    Ok(Plan { lines: vec![cut_to_fit(text, w, smallest, measure)?], px: smallest })
}

/// Drops characters from the end and adds "…" until the line fits.
fn cut_to_fit(
    text: &str,
    w: f32,
    px: f32,
    measure: &mut dyn FnMut(&str, f32) -> Result<f32>,
) -> Result<String> {
    if measure(text, px)? <= w {
        return Ok(text.to_string());
    }
    let mut chars: Vec<char> = text.chars().collect();
    loop {
        chars.pop();
        while chars.last().is_some_and(|c| c.is_whitespace()) {
            chars.pop();
        }
        let mut cut: String = chars.iter().collect();
        cut.push(ELLIPSIS);
        if chars.is_empty() || measure(&cut, px)? <= w {
            return Ok(cut);
        }
    }
}

/// Baselines of the plan's lines, centring the block vertically in `area`.
fn baselines(font: &FontRef<'static>, plan: &Plan, area: Area) -> Vec<f32> {
    let scaled = font.as_scaled(PxScale::from(plan.px));
    let line_h = scaled.ascent() - scaled.descent();
    let block = line_h * plan.lines.len() as f32;
    let top = area.y as f32 + (area.h as f32 - block) / 2.0;
    (0..plan.lines.len()).map(|i| top + scaled.ascent() + line_h * i as f32).collect()
}

/// Draws `text` centred in `area`, fitted as described at [`plan_label`].
pub(crate) fn draw_label(
    img: &mut RgbaImage,
    area: Area,
    text: &str,
    color: [u8; 3],
) -> Result<()> {
    let text = clean_label(text);
    if text.is_empty() || area.w == 0 || area.h == 0 {
        return Ok(());
    }
    if needs_shaping(&text) {
        return draw_label_shaped(img, area, &text, color);
    }
    let font = font()?;
    let mut measure = |t: &str, px: f32| Ok(layout(font, PxScale::from(px), t).advance);
    let plan = plan_label(&text, area.w as f32, area.h as f32, &mut measure)?;
    for (line, baseline) in plan.lines.iter().zip(baselines(font, &plan, area)) {
        let laid = layout(font, PxScale::from(plan.px), line);
        let dx = area.x as f32 + (area.w as f32 - laid.advance) / 2.0;
        draw_line(img, area, &laid, dx, baseline, color);
    }
    Ok(())
}

/// True for text in scripts that need contextual shaping or run right to
/// left (Hebrew, Arabic, Syriac, Thaana and Arabic presentation forms).
pub(crate) fn needs_shaping(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(u32::from(c),
            0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
    })
}

pub(crate) fn shipped_fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_BYTES.to_vec());
        Arc::new(db)
    })
    .clone()
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// One line of shaped text as an SVG tree, anchored at its middle.
fn shaped_line(
    text: &str,
    px: f32,
    width: u32,
    height: u32,
    baseline: f32,
    color: [u8; 3],
) -> Result<usvg::Tree> {
    let options = crate::render::svg_options();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"><text x="{cx}" y="{baseline}" font-family="{FONT_FAMILY}" font-weight="bold" font-size="{px}" text-anchor="middle" fill="#{r:02x}{g:02x}{b:02x}">{t}</text></svg>"##,
        cx = width as f32 / 2.0,
        r = color[0],
        g = color[1],
        b = color[2],
        t = escape_xml(text),
    );
    usvg::Tree::from_str(&svg, &options)
        .map_err(|e| Error::Render(format!("label layout failed: {e}")))
}

/// The shaped (Arabic, Hebrew) variant of [`draw_label`]: same fitting
/// rules, measured and drawn by usvg's text layout.
fn draw_label_shaped(img: &mut RgbaImage, area: Area, text: &str, color: [u8; 3]) -> Result<()> {
    let font = font()?;
    let mut measure = |t: &str, px: f32| -> Result<f32> {
        if t.is_empty() {
            return Ok(0.0);
        }
        let tree = shaped_line(t, px, area.w.max(1), area.h.max(1), px, color)?;
        Ok(tree.root().abs_bounding_box().width())
    };
    let plan = plan_label(text, area.w as f32, area.h as f32, &mut measure)?;
    let mut pixmap = tiny_skia::Pixmap::new(area.w, area.h)
        .ok_or_else(|| Error::Render("cannot allocate label pixels".into()))?;
    for (line, baseline) in plan.lines.iter().zip(baselines(font, &plan, area)) {
        let tree = shaped_line(line, plan.px, area.w, area.h, baseline - area.y as f32, color)?;
        resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    }
    // The text is one flat colour, so its alpha is its coverage.
    for (i, p) in pixmap.pixels().iter().enumerate() {
        let a = p.alpha();
        if a > 0 {
            let i = i as u32;
            let (x, y) = (area.x + i % area.w, area.y + i / area.w);
            blend(img, area, i64::from(x), i64::from(y), color, f32::from(a) / 255.0);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_font_parses_and_has_the_glyphs_we_need() {
        let font = font().expect("font");
        for c in "0123456789…ĞğŞşİıŁłŻżЇїҐґ".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "missing glyph {c}");
        }
    }

    #[test]
    fn labels_are_cleaned() {
        assert_eq!(clean_label("  Geld \n\t halen "), "Geld halen");
        assert_eq!(clean_label(&"x".repeat(500)).chars().count(), MAX_LABEL_CHARS);
        assert!(needs_shaping("مال"));
        assert!(!needs_shaping("Гроші"));
    }

    /// A fake measure: every character is `px * 0.6` wide.
    fn fixed(t: &str, px: f32) -> Result<f32> {
        Ok(t.chars().count() as f32 * px * 0.6)
    }

    #[test]
    fn labels_shrink_then_wrap_then_cut() {
        let plan = plan_label("Geld", 140.0, 40.0, &mut fixed).unwrap();
        assert_eq!(plan.lines, ["Geld"]);
        assert!((plan.px - 24.8).abs() < 0.01);

        let plan = plan_label("Schoonmaken", 140.0, 40.0, &mut fixed).unwrap();
        assert_eq!(plan.lines.len(), 1);
        assert!(plan.px < 24.8);

        let plan = plan_label("Met iemand praten", 140.0, 40.0, &mut fixed).unwrap();
        assert_eq!(plan.lines, ["Met iemand", "praten"]);

        let plan =
            plan_label("Arbeidsongeschiktheidsverzekering", 140.0, 40.0, &mut fixed).unwrap();
        assert_eq!(plan.lines.len(), 1);
        assert!(plan.lines[0].ends_with(ELLIPSIS), "{plan:?}");
        assert!(fixed(&plan.lines[0], plan.px).unwrap() <= 140.0);
    }
}
