//! Engine load: 10,000 conversations, persistence on (sled, flushed per step).
//! Prints step latency p50/p99 and resident set size.
//!
//!     cargo bench -p server --bench engine            # 10,000 conversations
//!     WEGWIJS_BENCH_CONVERSATIONS=1000 cargo bench -p server --bench engine

use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::{Config, Engine, Input, SystemClock};

const INPUTS: &[&str] = &[
    "ik heb schulden",
    "huurtoeslag terugbetalen",
    "I need help with DigiD",
    "mijn moeder kan niet meer alleen thuis wonen",
];

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string()))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let n: usize = std::env::var("WEGWIJS_BENCH_CONVERSATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get()).max(2) * 4;
    let dir = tempfile::tempdir().expect("tempdir");
    let kb = Arc::new(knowledge_base::KnowledgeBase::load(&knowledge_base::content::default_dir()).expect("content"));
    let store = Arc::new(storage::SledStore::open(dir.path()).expect("store"));
    let engine = Arc::new(Engine::new(kb, store, Arc::new(SystemClock), Config::default()));
    let start = Instant::now();
    let ids: Vec<String> = (0..n).map(|_| engine.start("bench", None, None).expect("start").0.id).collect();
    println!("started {n} conversations in {:.1?} (rss {:.0} MB)", start.elapsed(), rss_mb());
    let ids = Arc::new(ids);
    let t0 = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (engine, ids) = (engine.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                for (i, id) in ids.iter().enumerate().skip(t).step_by(threads) {
                    let input = match i % 3 {
                        0 => Input::Text(INPUTS[i % INPUTS.len()].into()),
                        1 => Input::Tap("money".into()),
                        _ => Input::Button("home".into()),
                    };
                    let s = Instant::now();
                    engine.step(id, input).expect("step");
                    lat.push(s.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<Duration> = handles.into_iter().flat_map(|h| h.join().expect("thread")).collect();
    let wall = t0.elapsed();
    lat.sort();
    let pct = |p: usize| lat[(lat.len() * p / 100).min(lat.len() - 1)];
    println!(
        "engine step over {n} conversations ({threads} threads): p50 {:?}, p99 {:?}, {:.0} steps/s, rss {:.0} MB",
        pct(50),
        pct(99),
        lat.len() as f64 / wall.as_secs_f64(),
        rss_mb()
    );
}
