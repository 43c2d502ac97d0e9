//! Pictograms for Wegwijs: a replaceable set of SVG pictograms keyed by
//! concept id, rendered to PNG, and composed into numbered choice grids.
//!
//! Residents who read little or not at all navigate by tapping pictograms,
//! so the rest of Wegwijs only speaks of concepts (`money`, `home`,
//! `crisis`); which drawing shows a concept is decided by the set's
//! `manifest.toml`. The default set is OpenMoji 17.0.0 (CC BY-SA 4.0) in
//! `openmoji/`; it is committed, so nothing is fetched at run time.
//!
//! ```no_run
//! use pictograms::{PictogramSet, Tile};
//! let set = PictogramSet::load(&PictogramSet::default_dir())?;
//! let png = set.render_png("money", 128)?;
//! let grid = set.grid_png(&[Tile::labelled("yes", "Ja"), Tile::labelled("no", "Nee")], 160)?;
//! # Ok::<(), pictograms::Error>(())
//! ```

mod cache;
mod grid;
mod manifest;
mod render;
mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use image::RgbaImage;
use resvg::usvg;

pub use grid::{
    grid_layout, GridLayout, TileRect, MAX_TILES, MAX_TILE_SIZE, MIN_TILES, MIN_TILE_SIZE,
};
pub use render::{MAX_SIZE, MIN_SIZE};

use cache::Cache;

/// The `image` crate this API uses ([`RgbaImage`] and friends), so callers
/// need not keep a matching version themselves.
pub use image;

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong; messages name the concept, path or limit
/// involved so a maintainer can fix a set without reading code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("unknown pictogram concept `{0}`")]
    UnknownConcept(String),
    #[error("size {size} px is not allowed: it must be between {min} and {max} px")]
    InvalidSize { size: u32, min: u32, max: u32 },
    #[error("manifest file path `{0}` is not allowed: it must be relative and stay inside the set folder (no `..`)")]
    BadPath(String),
    #[error("pictogram manifest {}: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
    #[error("pictogram `{concept}` is broken: {message}")]
    Svg { concept: String, message: String },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("a grid can show at most {max} pictograms, got {count}")]
    TooManyTiles { count: usize, max: usize },
    #[error("a grid needs at least {min} pictograms, got {count}")]
    TooFewTiles { count: usize, min: usize },
    /// Drawing or encoding failed for a reason that is not the caller's
    /// input (out of memory, the embedded font unreadable).
    #[error("rendering failed: {0}")]
    Render(String),
}

/// One tile of a grid: a concept and an optional label under it (usually
/// the concept's [`PictogramSet::alt`] text in the resident's language).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tile {
    pub concept: String,
    pub label: Option<String>,
}

impl Tile {
    /// A tile without a label.
    pub fn new(concept: impl Into<String>) -> Tile {
        Tile { concept: concept.into(), label: None }
    }

    /// A tile with a label under the pictogram.
    pub fn labelled(concept: impl Into<String>, label: impl Into<String>) -> Tile {
        Tile { concept: concept.into(), label: Some(label.into()) }
    }
}

struct Concept {
    file: PathBuf,
    svg: Vec<u8>,
    tree: usvg::Tree,
    alt: BTreeMap<String, String>,
}

/// Rendered results, kept so that the same pictogram at the same size (the
/// common case: every chat shows the same menu) is drawn once.
struct Caches {
    rgba: Cache<(String, u32), Arc<RgbaImage>>,
    png: Cache<(String, u32), Arc<Vec<u8>>>,
    grids: Cache<(Vec<Tile>, u32), Arc<Vec<u8>>>,
}

impl Caches {
    fn new() -> Caches {
        // Byte budgets, not entry counts: a 1024 px pictogram weighs 4 MB,
        // a 64 px one 16 kB.
        Caches {
            rgba: Cache::new(48 * 1024 * 1024),
            png: Cache::new(16 * 1024 * 1024),
            grids: Cache::new(16 * 1024 * 1024),
        }
    }
}

/// A loaded, checked pictogram set. Cheap to share: put it in an `Arc` and
/// use it from any thread.
pub struct PictogramSet {
    dir: PathBuf,
    name: String,
    licence: String,
    attribution: String,
    concepts: BTreeMap<String, Concept>,
    caches: Mutex<Caches>,
}

impl std::fmt::Debug for PictogramSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PictogramSet")
            .field("dir", &self.dir)
            .field("name", &self.name)
            .field("concepts", &self.concepts.len())
            .finish_non_exhaustive()
    }
}

impl PictogramSet {
    /// Loads the set in `dir` from `dir/manifest.toml` and checks every
    /// pictogram file: it must exist and parse as SVG. A broken set fails
    /// here, at start-up, with the concept named, rather than later in
    /// front of a resident.
    pub fn load(dir: &Path) -> Result<PictogramSet> {
        let manifest_path = dir.join("manifest.toml");
        let manifest = manifest::read(&manifest_path)?;
        let mut concepts = BTreeMap::new();
        for (id, entry) in manifest.concepts {
            let path = dir.join(&entry.file);
            let svg = read_svg(&id, &path)?;
            let tree = render::parse_svg(&id, &svg)?;
            concepts.insert(id, Concept { file: entry.file, svg, tree, alt: entry.alt });
        }
        Ok(PictogramSet {
            dir: dir.to_path_buf(),
            name: manifest.name,
            licence: manifest.licence,
            attribution: manifest.attribution,
            concepts,
            caches: Mutex::new(Caches::new()),
        })
    }

    /// The directory of the shipped OpenMoji set.
    pub fn default_dir() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/openmoji"))
    }

    /// The set's name, e.g. "OpenMoji 17.0.0".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The attribution the licence asks to show wherever pictograms appear.
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// The set's licence, e.g. "CC BY-SA 4.0".
    pub fn licence(&self) -> &str {
        &self.licence
    }

    /// The directory the set was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// All concept ids, sorted.
    pub fn concepts(&self) -> impl Iterator<Item = &str> {
        self.concepts.keys().map(String::as_str)
    }

    /// Whether the set has a pictogram for `concept`.
    pub fn contains(&self, concept: &str) -> bool {
        self.concepts.contains_key(concept)
    }

    /// The file of `concept`, relative to [`PictogramSet::dir`].
    pub fn file(&self, concept: &str) -> Option<&Path> {
        self.concepts.get(concept).map(|c| c.file.as_path())
    }

    /// The alt text of `concept` in `lang` ("nl", "ar", also "nl-BE"),
    /// falling back to English and then Dutch, so a screen reader always
    /// has words. `None` only for an unknown concept.
    pub fn alt(&self, concept: &str, lang: &str) -> Option<&str> {
        let alt = &self.concepts.get(concept)?.alt;
        let lang = lang.trim().to_ascii_lowercase().replace('_', "-");
        let primary = lang.split('-').next().unwrap_or_default();
        let found = [lang.as_str(), primary, "en", "nl"].into_iter().find_map(|l| alt.get(l));
        found.map(String::as_str)
    }

    /// The SVG bytes of `concept`, as in the set's file.
    pub fn svg(&self, concept: &str) -> Result<&[u8]> {
        Ok(&self.concept(concept)?.svg)
    }

    /// A `size` x `size` PNG of `concept`, centred on a transparent
    /// background. Cached per (concept, size).
    pub fn render_png(&self, concept: &str, size: u32) -> Result<Arc<Vec<u8>>> {
        render::check_size(size)?;
        self.concept(concept)?;
        let key = (concept.to_string(), size);
        if let Some(png) = self.caches().png.get(&key) {
            return Ok(png);
        }
        let rgba = self.rendered(concept, size)?;
        let png = Arc::new(render::encode_png(&rgba)?);
        self.caches().png.insert(key, png.clone(), png.len());
        Ok(png)
    }

    /// Like [`PictogramSet::render_png`], as pixels (straight alpha).
    pub fn render_rgba(&self, concept: &str, size: u32) -> Result<RgbaImage> {
        render::check_size(size)?;
        Ok(self.rendered(concept, size)?.as_ref().clone())
    }

    /// A numbered grid of `tiles` as PNG; see [`PictogramSet::grid_rgba`].
    /// Finished grids are cached by their tile list and size, because the
    /// same menu is sent to many residents.
    pub fn grid_png(&self, tiles: &[Tile], tile_size: u32) -> Result<Vec<u8>> {
        grid::check_tile_count(tiles.len())?;
        grid::check_tile_size(tile_size)?;
        let key = (tiles.to_vec(), tile_size);
        if let Some(png) = self.caches().grids.get(&key) {
            return Ok(png.as_ref().clone());
        }
        let img = self.grid_rgba(tiles, tile_size)?;
        let png = render::encode_png(&img)?;
        let cost = png.len()
            + tiles
                .iter()
                .map(|t| t.concept.len() + t.label.as_ref().map_or(0, String::len))
                .sum::<usize>();
        self.caches().grids.insert(key, Arc::new(png.clone()), cost);
        Ok(png)
    }

    /// A numbered grid of `tiles` (2 to 9) with `tile_size` px tiles
    /// (64 to 512): white tiles with a dark border on a light background,
    /// each with its pictogram, the number 1..n large in a yellow box in the
    /// top-left corner, and the label (if any) under the pictogram. Tile
    /// positions are those of [`grid_layout`].
    pub fn grid_rgba(&self, tiles: &[Tile], tile_size: u32) -> Result<RgbaImage> {
        grid::check_tile_count(tiles.len())?;
        grid::check_tile_size(tile_size)?;
        for tile in tiles {
            self.concept(&tile.concept)?;
        }
        let labels: Vec<Option<&str>> = tiles
            .iter()
            .map(|t| t.label.as_deref().filter(|l| !text::clean_label(l).is_empty()))
            .collect();
        let with_labels = labels.iter().any(Option::is_some);
        let layout = grid_layout(tiles.len(), tile_size, with_labels)?;
        let picto_size = layout.tiles.first().map_or(render::MIN_SIZE, |t| t.picto_size);
        let pictograms = tiles
            .iter()
            .map(|t| self.rendered(&t.concept, picto_size))
            .collect::<Result<Vec<_>>>()?;
        grid::draw(&layout, &labels, tile_size, |i| {
            pictograms
                .get(i)
                .map(AsRef::as_ref)
                .ok_or_else(|| Error::Render("tile without pictogram".into()))
        })
    }

    /// Empties all render caches (for benchmarks, or after memory pressure).
    pub fn clear_cache(&self) {
        let mut caches = self.caches();
        caches.rgba.clear();
        caches.png.clear();
        caches.grids.clear();
    }

    fn concept(&self, concept: &str) -> Result<&Concept> {
        self.concepts.get(concept).ok_or_else(|| Error::UnknownConcept(concept.to_string()))
    }

    /// The pixels of `concept` at `size`, from the cache or freshly drawn.
    /// The lock is not held while drawing, so other threads are not
    /// blocked; two threads may then draw the same thing once each, which
    /// is harmless.
    fn rendered(&self, concept: &str, size: u32) -> Result<Arc<RgbaImage>> {
        let entry = self.concept(concept)?;
        let key = (concept.to_string(), size);
        if let Some(img) = self.caches().rgba.get(&key) {
            return Ok(img);
        }
        let img = Arc::new(render::rasterise(concept, &entry.tree, size)?);
        self.caches().rgba.insert(key, img.clone(), img.as_raw().len());
        Ok(img)
    }

    fn caches(&self) -> MutexGuard<'_, Caches> {
        // A panic elsewhere while holding the lock cannot leave a cache
        // half-updated (inserts are single calls), so a poisoned lock is
        // still safe to use.
        self.caches.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn read_svg(concept: &str, path: &Path) -> Result<Vec<u8>> {
    let svg_err = |message: String| Error::Svg { concept: concept.to_string(), message };
    let meta = std::fs::metadata(path)
        .map_err(|e| svg_err(format!("cannot read {}: {e}", path.display())))?;
    if !meta.is_file() {
        return Err(svg_err(format!("{} is not a file", path.display())));
    }
    if meta.len() > render::MAX_SVG_BYTES {
        return Err(svg_err(format!(
            "{} is {} bytes, more than the {} allowed",
            path.display(),
            meta.len(),
            render::MAX_SVG_BYTES
        )));
    }
    std::fs::read(path).map_err(|e| svg_err(format!("cannot read {}: {e}", path.display())))
}

// Servers share one set between request handlers on many threads.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PictogramSet>();
};
