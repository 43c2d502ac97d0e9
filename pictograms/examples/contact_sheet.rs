//! Renders every pictogram of a set as numbered grids of nine, to check a
//! set by eye: `cargo run -p pictograms --example contact_sheet -- DIR OUT_PREFIX [LANG]`.

use std::path::PathBuf;

use pictograms::{PictogramSet, Tile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map_or_else(PictogramSet::default_dir, PathBuf::from);
    let prefix = args.next().unwrap_or_else(|| "sheet".into());
    let lang = args.next().unwrap_or_else(|| "nl".into());
    let set = PictogramSet::load(&dir)?;
    let concepts: Vec<&str> = set.concepts().collect();
    for (page, chunk) in concepts.chunks(9).enumerate() {
        let mut tiles: Vec<Tile> =
            chunk.iter().map(|c| Tile::labelled(*c, set.alt(c, &lang).unwrap_or(c))).collect();
        // A grid needs two tiles; repeat the last one on a lone last page.
        if tiles.len() == 1 {
            tiles.push(tiles[0].clone());
        }
        let png = set.grid_png(&tiles, 160)?;
        let out = format!("{prefix}-{page}.png");
        std::fs::write(&out, png)?;
        println!("{out}: {}", chunk.join(", "));
    }
    Ok(())
}
