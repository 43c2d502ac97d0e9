//! Turning one SVG pictogram into pixels (resvg) and pixels into PNG bytes.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, Rgba, RgbaImage};
use resvg::{tiny_skia, usvg};

use crate::{Error, Result};

/// Smallest and largest pictogram edge in pixels. Below 16 a pictogram is
/// unrecognisable; above 1024 a single request would cost megabytes of
/// memory, and no screen or chat needs it.
pub const MIN_SIZE: u32 = 16;
/// See [`MIN_SIZE`].
pub const MAX_SIZE: u32 = 1024;

/// SVG files bigger than this are refused at load time. OpenMoji files are a
/// few kilobytes; the limit keeps a wrong file from eating memory.
pub(crate) const MAX_SVG_BYTES: u64 = 2 * 1024 * 1024;

pub(crate) fn check_size(size: u32) -> Result<()> {
    if (MIN_SIZE..=MAX_SIZE).contains(&size) {
        Ok(())
    } else {
        Err(Error::InvalidSize { size, min: MIN_SIZE, max: MAX_SIZE })
    }
}

/// usvg options for pictograms.
///
/// No system fonts: a pictogram must look the same on every server. OpenMoji
/// is all paths; should a replacement set contain `<text>`, it is set in the
/// shipped DejaVu Sans Bold instead of whatever the machine has. Links to
/// outside image files are refused so that a set is self-contained and an
/// SVG cannot make us read arbitrary files; images embedded as `data:` URLs
/// still work.
pub(crate) fn svg_options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: crate::text::FONT_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    options.fontdb = crate::text::shipped_fontdb();
    options.image_href_resolver.resolve_string = Box::new(|_href, _options| None);
    options
}

/// Parses an SVG document; `concept` only names the pictogram in errors.
pub(crate) fn parse_svg(concept: &str, data: &[u8]) -> Result<usvg::Tree> {
    let tree = usvg::Tree::from_data(data, &svg_options())
        .map_err(|e| Error::Svg { concept: concept.to_string(), message: e.to_string() })?;
    // A document that parses but draws nothing would become an empty tile;
    // treat it as broken so the set fails at start-up instead.
    if !tree.root().has_children() {
        return Err(Error::Svg {
            concept: concept.to_string(),
            message: "the SVG contains nothing to draw".into(),
        });
    }
    Ok(tree)
}

/// Renders `tree` into a transparent `size` x `size` square, its drawing
/// scaled to fit and centred (aspect ratio kept); see [`fit_transform`].
pub(crate) fn rasterise(concept: &str, tree: &usvg::Tree, size: u32) -> Result<RgbaImage> {
    check_size(size)?;
    let svg_err =
        |message: &str| Error::Svg { concept: concept.to_string(), message: message.to_string() };
    let mut pixmap =
        tiny_skia::Pixmap::new(size, size).ok_or_else(|| svg_err("cannot allocate pixels"))?;
    let transform = fit_transform(tree, size as f32)
        .ok_or_else(|| svg_err("the SVG has no usable width or height"))?;
    resvg::render(tree, transform, &mut pixmap.as_mut());
    Ok(pixmap_to_rgba(&pixmap))
}

/// How much a drawing may be enlarged beyond "whole canvas fits".
const MAX_ZOOM: f32 = 1.6;
/// Free space kept around the drawing, as a fraction of the image edge.
const FIT_MARGIN: f32 = 0.04;

/// Scales and moves the drawing so that what is actually drawn (not the
/// canvas) fills the square and sits in its centre.
///
/// Emoji sets leave a wide empty border inside their canvas (OpenMoji uses
/// about a sixth on each side) so that emoji line up with text. In a tile
/// that border only makes the picture smaller, and residents with low
/// vision need it as large as possible. The zoom is capped so that a small
/// drawing (a dot, a short dash) is not blown up into a blob.
fn fit_transform(tree: &usvg::Tree, edge: f32) -> Option<tiny_skia::Transform> {
    let view = tree.size();
    let longest = view.width().max(view.height());
    if !longest.is_finite() || longest <= 0.0 {
        return None;
    }
    let canvas_scale = edge / longest;
    let canvas_fit = tiny_skia::Transform::from_row(
        canvas_scale,
        0.0,
        0.0,
        canvas_scale,
        (edge - view.width() * canvas_scale) / 2.0,
        (edge - view.height() * canvas_scale) / 2.0,
    );
    let Some(ink) = ink_bounds(tree.root()) else {
        return Some(canvas_fit);
    };
    let ink_longest = ink.width().max(ink.height());
    if !ink_longest.is_finite() || ink_longest <= 0.0 {
        return Some(canvas_fit);
    }
    let scale = (edge * (1.0 - 2.0 * FIT_MARGIN) / ink_longest).min(canvas_scale * MAX_ZOOM);
    // A drawing that spills over its canvas would be cut off when shown on
    // its own; keep the plain canvas view for those.
    if scale < canvas_scale {
        return Some(canvas_fit);
    }
    let (cx, cy) = (ink.x() + ink.width() / 2.0, ink.y() + ink.height() / 2.0);
    Some(tiny_skia::Transform::from_row(
        scale,
        0.0,
        0.0,
        scale,
        edge / 2.0 - cx * scale,
        edge / 2.0 - cy * scale,
    ))
}

/// The union of what is drawn, in canvas coordinates.
///
/// Computed from the leaves rather than taken from the root group, because
/// usvg counts empty groups (OpenMoji has `<g id="hair"/>` and the like) as
/// a box at the origin, which would pull every drawing towards the corner.
fn ink_bounds(group: &usvg::Group) -> Option<usvg::Rect> {
    let mut acc: Option<(f32, f32, f32, f32)> = None;
    let mut add = |r: usvg::Rect| {
        if r.width() <= 0.0 && r.height() <= 0.0 {
            return;
        }
        acc = Some(match acc {
            None => (r.left(), r.top(), r.right(), r.bottom()),
            Some((l, t, rt, b)) => {
                (l.min(r.left()), t.min(r.top()), rt.max(r.right()), b.max(r.bottom()))
            }
        });
    };
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => {
                if let Some(r) = ink_bounds(g) {
                    add(r);
                }
            }
            usvg::Node::Path(p) => {
                if p.is_visible() && (p.fill().is_some() || p.stroke().is_some()) {
                    add(p.abs_stroke_bounding_box());
                }
            }
            usvg::Node::Image(i) => {
                if i.is_visible() {
                    add(i.abs_bounding_box());
                }
            }
            usvg::Node::Text(t) => add(t.abs_stroke_bounding_box()),
        }
    }
    let (l, t, r, b) = acc?;
    usvg::Rect::from_ltrb(l, t, r, b)
}

/// tiny-skia keeps premultiplied alpha; PNG and the `image` crate expect
/// straight alpha, so every pixel is converted back.
pub(crate) fn pixmap_to_rgba(pixmap: &tiny_skia::Pixmap) -> RgbaImage {
    let mut out = RgbaImage::new(pixmap.width(), pixmap.height());
    for (dst, src) in out.pixels_mut().zip(pixmap.pixels()) {
        let c = src.demultiply();
        *dst = Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
    }
    out
}

/// Encodes as PNG. Fast compression: these images are served to phones
/// right away, and a few extra kilobytes cost less than the extra
/// milliseconds of stronger compression.
pub(crate) fn encode_png(img: &RgbaImage) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(img.as_raw().len() / 4);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgba8)
        .map_err(|e| Error::Render(format!("PNG encoding failed: {e}")))?;
    Ok(out)
}
