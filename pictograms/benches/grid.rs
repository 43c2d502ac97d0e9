//! Benchmarks a 9-tile grid with labels at tile size 160: cold (caches
//! emptied every round), with only the pictograms cached, and fully cached.
//! Targets: cold <= 20 ms, cached <= 1 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use pictograms::{PictogramSet, Tile};

const CONCEPTS: [&str; 9] =
    ["money", "house", "health", "feelings", "family", "work", "safety", "letter", "person"];

fn tiles(set: &PictogramSet) -> Vec<Tile> {
    CONCEPTS.iter().map(|c| Tile::labelled(*c, set.alt(c, "nl").unwrap_or(c))).collect()
}

fn grid(c: &mut Criterion) {
    let set = PictogramSet::load(&PictogramSet::default_dir()).expect("the shipped set loads");
    let tiles = tiles(&set);

    c.bench_function("load OpenMoji set (58 SVGs)", |b| {
        b.iter(|| PictogramSet::load(black_box(&PictogramSet::default_dir())).expect("load"))
    });

    c.bench_function("grid 9 tiles 160px labels: cold", |b| {
        b.iter(|| {
            set.clear_cache();
            set.grid_png(black_box(&tiles), 160).expect("grid")
        })
    });

    // Pictograms cached, grid composed and encoded anew: what a new tile
    // combination costs once the set is warm.
    set.clear_cache();
    let mut round = 0u32;
    c.bench_function("grid 9 tiles 160px labels: pictograms cached, new grid", |b| {
        b.iter(|| {
            // A different label each round, so the finished-grid cache misses.
            round = round.wrapping_add(1);
            let mut fresh = tiles.clone();
            fresh[0].label = Some(format!("Geld {round}"));
            set.grid_png(black_box(&fresh), 160).expect("grid")
        })
    });

    c.bench_function("grid 9 tiles 160px labels: cached", |b| {
        b.iter(|| set.grid_png(black_box(&tiles), 160).expect("grid"))
    });
}

criterion_group!(benches, grid);
criterion_main!(benches);
