//! Pictogram set, rendering, grid layout and errors (crate `pictograms`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ::pictograms::image::{self, Rgba, RgbaImage};
use ::pictograms::{grid_layout, Error, PictogramSet, Tile, TileRect};

const LANGUAGES: [&str; 6] = ["nl", "en", "tr", "ar", "pl", "uk"];

fn crate_dir() -> PathBuf {
    PictogramSet::default_dir().parent().expect("default_dir has a parent").to_path_buf()
}

/// The shipped set, loaded once for all tests in this file.
fn openmoji() -> &'static PictogramSet {
    static SET: OnceLock<PictogramSet> = OnceLock::new();
    SET.get_or_init(|| {
        PictogramSet::load(&PictogramSet::default_dir()).expect("OpenMoji set loads")
    })
}

fn decode(png: &[u8]) -> RgbaImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("valid PNG").to_rgba8()
}

fn concepts_txt() -> Vec<String> {
    let text = std::fs::read_to_string(crate_dir().join("concepts.txt")).expect("concepts.txt");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .map(str::to_string)
        .collect()
}

fn is_dark(p: &Rgba<u8>) -> bool {
    let [r, g, b, _] = p.0;
    u32::from(r) + u32::from(g) + u32::from(b) < 3 * 70
}

/// The yellow of the number box (see `grid.rs`), with a little tolerance.
fn is_number_yellow(p: &Rgba<u8>) -> bool {
    let [r, g, b, _] = p.0;
    r > 230 && (190..=225).contains(&g) && b < 80
}

#[test]
fn every_concept_in_concepts_txt_is_in_the_manifest_with_six_alt_texts() {
    let set = openmoji();
    assert_eq!(set.name(), "OpenMoji 17.0.0 and Mulberry Symbols 3.6.1");
    assert_eq!(set.licence(), "CC BY-SA 4.0");
    // Both sets' licence asks for attribution wherever the pictograms are shown.
    for credit in ["OpenMoji", "Mulberry Symbols by Steve Lee", "CC BY-SA 4.0"] {
        assert!(set.attribution().contains(credit), "{credit}: {}", set.attribution());
    }
    assert!(
        crate_dir().join("openmoji/mulberry/LICENSE.txt").is_file(),
        "Mulberry's licence ships with its symbols"
    );

    let wanted = concepts_txt();
    assert!(wanted.len() >= 50, "concepts.txt lists {} concepts", wanted.len());
    for concept in &wanted {
        assert!(
            set.contains(concept),
            "concept `{concept}` from concepts.txt is missing in the manifest"
        );
        for lang in LANGUAGES {
            let alt = set.alt(concept, lang).expect("alt text");
            assert!(
                !alt.is_empty() && alt.split_whitespace().count() <= 3,
                "{concept}/{lang}: {alt:?}"
            );
        }
    }
    let listed: Vec<&str> = set.concepts().collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(listed, sorted, "concepts() is sorted");
}

#[test]
fn concepts_use_different_files() {
    let set = openmoji();
    let mut seen = BTreeSet::new();
    for concept in set.concepts() {
        let svg = set.svg(concept).expect("svg");
        assert!(
            seen.insert(svg.to_vec()),
            "concept `{concept}` shares its drawing with another concept"
        );
    }
}

#[test]
fn every_concept_renders_to_a_64px_png_that_is_not_blank() {
    let set = openmoji();
    for concept in set.concepts() {
        let png = set.render_png(concept, 64).expect("renders");
        let img = decode(&png);
        assert_eq!(img.dimensions(), (64, 64), "{concept}");
        // Background is transparent: something must be drawn, and not just a
        // flat fill (a few different colours).
        let drawn = img.pixels().filter(|p| p.0[3] > 0).count();
        assert!(drawn > 64 * 64 / 20, "{concept}: only {drawn} pixels drawn");
        let colours: BTreeSet<[u8; 4]> =
            img.pixels().filter(|p| p.0[3] == 255).map(|p| p.0).collect();
        assert!(colours.len() >= 2, "{concept}: flat image");
        // Centred: the drawing touches neither the very first nor the very last row.
        let row_empty = |y: u32| (0..64).all(|x| img.get_pixel(x, y).0[3] == 0);
        assert!(row_empty(0) && row_empty(63), "{concept}: drawing not inside the square");
    }
}

#[test]
fn renders_are_cached_and_rgba_matches_png() {
    let set = openmoji();
    let a = set.render_png("money", 96).expect("render");
    let b = set.render_png("money", 96).expect("render");
    assert!(Arc::ptr_eq(&a, &b), "second call comes from the cache");
    let rgba = set.render_rgba("money", 96).expect("rgba");
    assert_eq!(decode(&a), rgba);
    assert!(set.svg("money").expect("svg").starts_with(b"<svg"));
}

#[test]
fn alt_text_falls_back_to_english_then_dutch() {
    let set = openmoji();
    assert_eq!(set.alt("yes", "nl"), Some("Ja"));
    assert_eq!(set.alt("yes", "nl-BE"), Some("Ja"));
    assert_eq!(set.alt("yes", "de"), Some("Yes"));
    assert_eq!(set.alt("no", "ar"), Some("لا"));
    assert_eq!(set.alt("unknown-thing", "nl"), None);
}

/// Expected size for `n` tiles of 160 px: margin 10, label band 40.
fn expected_size(n: usize, with_labels: bool) -> (u32, u32, u32, u32) {
    let columns = if n <= 4 { 2 } else { 3 };
    let rows = (n as u32).div_ceil(columns);
    let tile_h = if with_labels { 200 } else { 160 };
    (columns, rows, columns * 160 + (columns + 1) * 10, rows * tile_h + (rows + 1) * 10)
}

fn inside(outer: (u32, u32, u32, u32), inner: (u32, u32, u32, u32)) -> bool {
    inner.0 >= outer.0
        && inner.1 >= outer.1
        && inner.0 + inner.2 <= outer.0 + outer.2
        && inner.1 + inner.3 <= outer.1 + outer.3
}

fn overlap(a: (u32, u32, u32, u32), b: (u32, u32, u32, u32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

fn tile_box(t: &TileRect) -> (u32, u32, u32, u32) {
    (t.x, t.y, t.w, t.h)
}

#[test]
fn grid_layouts_for_2_to_9_tiles_have_exact_sizes_and_no_overlap() {
    for with_labels in [false, true] {
        for n in 2..=9 {
            let layout = grid_layout(n, 160, with_labels).expect("layout");
            let (columns, rows, width, height) = expected_size(n, with_labels);
            assert_eq!(
                (layout.columns, layout.rows, layout.width, layout.height),
                (columns, rows, width, height),
                "n = {n}, labels = {with_labels}"
            );
            assert_eq!(layout.tiles.len(), n);
            let image = (0, 0, layout.width, layout.height);
            for (i, t) in layout.tiles.iter().enumerate() {
                assert_eq!((t.w, t.h), (160, if with_labels { 200 } else { 160 }));
                assert!(inside(image, tile_box(t)), "tile {i} inside the image");
                assert!(t.x >= 10 && t.y >= 10, "margin before tile {i}");
                let number = (t.number_x, t.number_y, t.number_w, t.number_h);
                let picto = (t.picto_x, t.picto_y, t.picto_size, t.picto_size);
                assert!(inside(tile_box(t), number) && inside(tile_box(t), picto));
                assert!(!overlap(number, picto), "number box and pictogram apart in tile {i}");
                assert!(t.number_w >= 40, "number box is large");
                if with_labels {
                    let label = (t.label_x, t.label_y, t.label_w, t.label_h);
                    assert!(inside(tile_box(t), label) && !overlap(label, picto));
                    assert!(t.label_y >= t.picto_y + t.picto_size, "label under the pictogram");
                } else {
                    assert_eq!(t.label_h, 0);
                }
                for (j, other) in layout.tiles.iter().enumerate().skip(i + 1) {
                    assert!(!overlap(tile_box(t), tile_box(other)), "tiles {i} and {j} overlap");
                }
            }
            // Reading order: left to right, then top to bottom.
            for pair in layout.tiles.windows(2) {
                assert!(pair[1].y > pair[0].y || (pair[1].y == pair[0].y && pair[1].x > pair[0].x));
            }
        }
    }
}

#[test]
fn rendered_grid_shows_numbers_where_the_layout_says() {
    let set = openmoji();
    let concepts = ["yes", "no", "money", "home", "health", "feelings", "family", "work", "safety"];
    for n in [2, 4, 5, 9] {
        let tiles: Vec<Tile> = concepts[..n]
            .iter()
            .map(|c| Tile::labelled(*c, set.alt(c, "nl").unwrap_or(c)))
            .collect();
        let img = decode(&set.grid_png(&tiles, 160).expect("grid"));
        let layout = grid_layout(n, 160, true).expect("layout");
        assert_eq!(img.dimensions(), (layout.width, layout.height));

        for (i, t) in layout.tiles.iter().enumerate() {
            let in_box = |f: &dyn Fn(&Rgba<u8>) -> bool| {
                (t.number_y..t.number_y + t.number_h)
                    .flat_map(|y| (t.number_x..t.number_x + t.number_w).map(move |x| (x, y)))
                    .filter(|&(x, y)| f(img.get_pixel(x, y)))
                    .count()
            };
            let area = (t.number_w * t.number_h) as usize;
            let dark = in_box(&is_dark);
            let yellow = in_box(&is_number_yellow);
            assert!(dark > area / 15, "tile {}: digit has {dark} dark pixels of {area}", i + 1);
            assert!(yellow > area / 3, "tile {}: number box is yellow ({yellow} of {area})", i + 1);
            // The digit sits in the middle of its box.
            let centre = img.get_pixel(t.number_x + t.number_w / 2, t.number_y + t.number_h / 2);
            let around: usize = (0..t.number_w)
                .filter(|dx| is_dark(img.get_pixel(t.number_x + dx, t.number_y + t.number_h / 2)))
                .count();
            assert!(
                is_dark(centre) || around > 0,
                "tile {}: no digit across the box middle",
                i + 1
            );

            // Just outside the box (to the right, and below) the tile is
            // white, not the box colour.
            let right = img.get_pixel(t.number_x + t.number_w + 2, t.number_y + t.number_h / 2);
            let below = img.get_pixel(t.number_x + 3, t.number_y + t.number_h + 2);
            for p in [right, below] {
                assert!(
                    !is_number_yellow(p) && !is_dark(p),
                    "tile {}: outside the box is {:?}",
                    i + 1,
                    p.0
                );
            }
            // The page between tiles is the light background, not the tile.
            let gap = img.get_pixel(t.x.saturating_sub(3), t.y + t.h / 2);
            assert_ne!(gap.0, [255, 255, 255, 255], "margin differs from the tile");
            // The label band has dark text in it.
            let label_dark = (t.label_y..t.label_y + t.label_h)
                .flat_map(|y| (t.label_x..t.label_x + t.label_w).map(move |x| (x, y)))
                .filter(|&(x, y)| is_dark(img.get_pixel(x, y)))
                .count();
            assert!(label_dark > 20, "tile {}: label drawn", i + 1);
        }
    }
}

#[test]
fn different_numbers_look_different() {
    let set = openmoji();
    let tiles: Vec<Tile> = ["yes", "no", "home"].iter().map(|c| Tile::new(*c)).collect();
    let img = set.grid_rgba(&tiles, 128).expect("grid");
    let layout = grid_layout(3, 128, false).expect("layout");
    let boxes: Vec<Vec<bool>> = layout
        .tiles
        .iter()
        .map(|t| {
            (0..t.number_h)
                .flat_map(|y| (0..t.number_w).map(move |x| (x, y)))
                .map(|(x, y)| is_dark(img.get_pixel(t.number_x + x, t.number_y + y)))
                .collect()
        })
        .collect();
    assert_ne!(boxes[0], boxes[1]);
    assert_ne!(boxes[1], boxes[2]);
}

#[test]
fn long_and_right_to_left_labels_render() {
    let set = openmoji();
    let tiles = vec![
        Tile::labelled("money", "Arbeidsongeschiktheidsverzekering en nog veel meer woorden"),
        Tile::labelled("person", set.alt("person", "ar").unwrap_or_default()),
        Tile::labelled("house", "  \n\t "),
        Tile::labelled("health", "<b>&amp;</b> \u{7}"),
    ];
    let img = decode(&set.grid_png(&tiles, 160).expect("grid"));
    assert_eq!(img.dimensions(), (2 * 160 + 3 * 10, 2 * 200 + 3 * 10));
}

#[test]
fn cached_grid_equals_a_fresh_one() {
    let set = PictogramSet::load(&PictogramSet::default_dir()).expect("load");
    let tiles: Vec<Tile> = ["yes", "no", "back"].iter().map(|c| Tile::labelled(*c, *c)).collect();
    let first = set.grid_png(&tiles, 96).expect("grid");
    let cached = set.grid_png(&tiles, 96).expect("grid");
    set.clear_cache();
    let fresh = set.grid_png(&tiles, 96).expect("grid");
    assert_eq!(first, cached);
    assert_eq!(first, fresh);
}

#[test]
fn set_is_shared_between_threads() {
    let set = Arc::new(PictogramSet::load(&PictogramSet::default_dir()).expect("load"));
    let handles: Vec<_> = ["yes", "no", "home", "money"]
        .into_iter()
        .map(|c| {
            let set = Arc::clone(&set);
            std::thread::spawn(move || set.render_png(c, 48).map(|png| png.len()))
        })
        .collect();
    for h in handles {
        assert!(h.join().expect("thread").expect("render") > 0);
    }
}

#[test]
fn replacement_test_set_works_by_concept_id() {
    let set = PictogramSet::load(&crate_dir().join("test-set")).expect("test set loads");
    assert_eq!(set.concepts().collect::<Vec<_>>(), ["home", "no", "yes"]);
    let img = decode(&set.render_png("home", 64).expect("home renders"));
    assert_eq!(img.dimensions(), (64, 64));
    assert!(img.pixels().any(|p| p.0[3] > 0));
    assert!(matches!(set.render_png("money", 64), Err(Error::UnknownConcept(c)) if c == "money"));
    assert_eq!(set.alt("home", "ar"), Some("Start"), "falls back to English");
    let grid =
        set.grid_png(&[Tile::new("yes"), Tile::new("no"), Tile::new("home")], 96).expect("grid");
    assert_eq!(decode(&grid).dimensions(), (2 * 96 + 3 * 6, 2 * 96 + 3 * 6));
}

#[test]
fn errors_are_clear_and_never_panic() {
    let set = openmoji();

    let err = set.render_png("unicorn", 64).expect_err("unknown");
    assert!(matches!(&err, Error::UnknownConcept(c) if c == "unicorn"));
    assert!(err.to_string().contains("unicorn"));
    assert!(matches!(set.svg("unicorn"), Err(Error::UnknownConcept(_))));
    assert!(matches!(set.render_rgba("", 64), Err(Error::UnknownConcept(_))));

    for size in [0, 15, 1025, 100_000] {
        let err = set.render_png("money", size).expect_err("bad size");
        assert!(
            matches!(err, Error::InvalidSize { size: s, min: 16, max: 1024 } if s == size),
            "{size}: {err}"
        );
        assert!(err.to_string().contains(&size.to_string()));
    }
    assert!(set.render_png("money", 16).is_ok() && set.render_png("money", 1024).is_ok());

    let one = [Tile::new("yes")];
    assert!(matches!(set.grid_png(&one, 160), Err(Error::TooFewTiles { count: 1, .. })));
    assert!(matches!(set.grid_png(&[], 160), Err(Error::TooFewTiles { count: 0, .. })));
    let ten = vec![Tile::new("yes"); 10];
    assert!(matches!(set.grid_png(&ten, 160), Err(Error::TooManyTiles { count: 10, .. })));
    assert!(matches!(grid_layout(10, 160, false), Err(Error::TooManyTiles { .. })));
    let two = [Tile::new("yes"), Tile::new("unicorn")];
    assert!(matches!(set.grid_png(&two, 160), Err(Error::UnknownConcept(c)) if c == "unicorn"));
    let two = [Tile::new("yes"), Tile::new("no")];
    for size in [0, 100_000] {
        assert!(matches!(set.grid_png(&two, size), Err(Error::InvalidSize { .. })));
    }
}

fn write_set(dir: &Path, file: &str) {
    let manifest = format!(
        "name = \"t\"\nlicence = \"x\"\nattribution = \"y\"\n[concepts.yes]\nfile = \"{file}\"\nalt = {{ nl = \"Ja\" }}\n"
    );
    std::fs::write(dir.join("manifest.toml"), manifest).expect("write manifest");
}

#[test]
fn manifest_paths_must_stay_inside_the_set() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let inner = tmp.path().join("set");
    std::fs::create_dir(&inner).expect("mkdir");
    // A real SVG outside the set: reachable with `..`, and must still be refused.
    std::fs::copy(crate_dir().join("test-set/svg/yes.svg"), tmp.path().join("x")).expect("copy");
    for bad in ["../x", "svg/../../x", "/etc/passwd"] {
        write_set(&inner, bad);
        let err = PictogramSet::load(&inner).expect_err("bad path");
        assert!(matches!(&err, Error::BadPath(p) if p == bad), "{bad}: {err}");
        assert!(err.to_string().contains(bad));
    }
}

#[test]
fn broken_and_missing_sets_fail_at_load_naming_the_problem() {
    let err = PictogramSet::load(&crate_dir().join("test-set-broken")).expect_err("broken set");
    assert!(matches!(&err, Error::Svg { concept, .. } if concept == "no"), "{err}");
    assert!(err.to_string().contains("`no`"), "{err}");

    let tmp = tempfile::tempdir().expect("tempdir");
    let err = PictogramSet::load(tmp.path()).expect_err("no manifest");
    assert!(matches!(&err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("manifest.toml"));

    write_set(tmp.path(), "svg/missing.svg");
    let err = PictogramSet::load(tmp.path()).expect_err("missing file");
    assert!(matches!(&err, Error::Svg { concept, .. } if concept == "yes"), "{err}");

    std::fs::write(tmp.path().join("manifest.toml"), "name = [").expect("write");
    let err = PictogramSet::load(tmp.path()).expect_err("bad toml");
    assert!(matches!(&err, Error::Manifest { .. }), "{err}");

    std::fs::write(
        tmp.path().join("empty.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"/>",
    )
    .expect("write");
    write_set(tmp.path(), "empty.svg");
    let err = PictogramSet::load(tmp.path()).expect_err("empty drawing");
    assert!(matches!(&err, Error::Svg { .. }), "{err}");

    std::fs::write(tmp.path().join("not.svg"), [0xffu8, 0x00, 0x13, 0x37]).expect("write");
    write_set(tmp.path(), "not.svg");
    assert!(matches!(PictogramSet::load(tmp.path()), Err(Error::Svg { .. })));
}

/// Shown on every menu screen besides its options: talk to a person, back, home.
const NAV_BUTTONS: [&str; 3] = ["person", "back", "home"];

/// Two tiles whose hashes differ in fewer of the 64 bits than this look
/// nearly alike. Measured with [`dhash`] on 64 px renders: one drawing in
/// another skin tone, gender or currency (OpenMoji 1F9D2 child and its dark
/// tone: 7, 1F46E police officer and its woman: 7, euro and pound banknotes:
/// 4, 1F60A and 1F642 smiles: 2; Mulberry doctor_1a/2a: 1,
/// care_assistant_1a/1b: 3, sad_lady/worried_lady: 0) lies 0 to 7 apart,
/// while different drawings with a similar outline (an OpenMoji bust and a
/// Mulberry face, two OpenMoji busts) lie 11 and more apart.
const NEARLY_ALIKE: u32 = 10;

/// A difference hash of a pictogram as a tile shows it: on white, in
/// grayscale, shrunk to 9 x 8, one bit per horizontal neighbour pair
/// (is the left one brighter?). It keeps the outline and the big light and
/// dark areas, which is what tells tiles apart at a glance, and drops detail
/// and colour.
fn dhash(img: &RgbaImage) -> u64 {
    let gray = image::GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let [r, g, b, a] = img.get_pixel(x, y).0;
        let alpha = f32::from(a) / 255.0;
        let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
        image::Luma([(luma * alpha + 255.0 * (1.0 - alpha)).round() as u8])
    });
    let small = image::imageops::resize(&gray, 9, 8, image::imageops::FilterType::Triangle);
    let mut hash = 0u64;
    for y in 0..8 {
        for x in 0..8 {
            hash <<= 1;
            if small.get_pixel(x, y).0[0] > small.get_pixel(x + 1, y).0[0] {
                hash |= 1;
            }
        }
    }
    hash
}

/// One tile of a menu screen: what it is called in the test output, its
/// concept, and the service it opens (None for areas and buttons).
struct ScreenTile {
    name: String,
    concept: String,
    service: Option<String>,
}

/// Every menu screen of the shipped navigation (the home screen and each
/// node with options), with the three buttons every screen shows.
fn menu_screens() -> Vec<(String, Vec<ScreenTile>)> {
    let nav = &crate::support::kb().navigation;
    let node_tiles = |ids: &[String]| -> Vec<ScreenTile> {
        ids.iter()
            .map(|id| {
                let n = nav.node(id).unwrap_or_else(|| panic!("node `{id}`"));
                ScreenTile {
                    name: id.clone(),
                    concept: n.pictogram.clone(),
                    service: n.service.clone(),
                }
            })
            .chain(NAV_BUTTONS.iter().map(|b| ScreenTile {
                name: format!("button {b}"),
                concept: (*b).to_string(),
                service: None,
            }))
            .collect()
    };
    let mut screens = vec![("home".to_string(), node_tiles(&nav.home))];
    for n in nav.nodes.iter().filter(|n| !n.children.is_empty()) {
        screens.push((n.id.clone(), node_tiles(&n.children)));
    }
    screens
}

#[test]
fn tiles_of_one_menu_screen_do_not_look_alike() {
    let set = openmoji();
    let screens = menu_screens();
    assert!(screens.len() >= 9, "home and eight life areas");
    let mut alike = Vec::new();
    for (screen, tiles) in &screens {
        let hashes: Vec<u64> = tiles
            .iter()
            .map(|t| dhash(&set.render_rgba(&t.concept, 64).expect("tile renders")))
            .collect();
        let mut closest: Option<(u32, usize, usize)> = None;
        for i in 0..tiles.len() {
            for j in i + 1..tiles.len() {
                let (a, b) = (&tiles[i], &tiles[j]);
                // The same choice may look the same (does not occur today).
                if a.service.is_some() && a.service == b.service {
                    continue;
                }
                let d = (hashes[i] ^ hashes[j]).count_ones();
                if closest.is_none_or(|(c, _, _)| d < c) {
                    closest = Some((d, i, j));
                }
                if d < NEARLY_ALIKE {
                    alike.push(format!(
                        "screen `{screen}`: {} (`{}`) and {} (`{}`) are {d} bits apart",
                        a.name, a.concept, b.name, b.concept
                    ));
                }
            }
        }
        let (d, i, j) = closest.expect("a screen has at least two tiles");
        println!(
            "screen `{screen}`: closest pair {} (`{}`) / {} (`{}`): distance {d} of 64",
            tiles[i].name, tiles[i].concept, tiles[j].name, tiles[j].concept
        );
    }
    assert!(
        alike.is_empty(),
        "tiles of one screen that look nearly alike (distance below {NEARLY_ALIKE}):\n{}",
        alike.join("\n")
    );
}

#[test]
fn the_likeness_hash_finds_the_same_drawing_and_tells_different_ones_apart() {
    let set = openmoji();
    let hash = |c: &str| dhash(&set.render_rgba(c, 64).expect("renders"));
    // The same pictogram twice: what two tiles with one concept would give.
    assert_eq!(hash("euro") ^ hash("euro"), 0);
    // The same drawing moved by two pixels (64 px tiles are not always
    // pixel-aligned) still counts as nearly alike.
    let img = set.render_rgba("euro", 64).expect("renders");
    let moved = RgbaImage::from_fn(64, 64, |x, y| {
        if x >= 2 {
            *img.get_pixel(x - 2, y)
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    assert!((hash("euro") ^ dhash(&moved)).count_ones() < NEARLY_ALIKE);
    // Pictograms that used to share a drawing are now far apart.
    for (a, b) in [
        ("no-income", "allowance"),
        ("house", "key"),
        ("arrange", "letter"),
        ("job-search", "no-work"),
    ] {
        let d = (hash(a) ^ hash(b)).count_ones();
        assert!(d >= NEARLY_ALIKE, "{a} and {b}: {d}");
    }
}
