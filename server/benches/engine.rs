//! Engine load: 10,000 conversations, persistence on (sled, flushed per step).
//! Prints step latency p50/p99 and resident set size.
//!
//!     cargo bench -p server --bench engine            # 10,000 conversations
//!     WEGWIJS_BENCH_CONVERSATIONS=1000 cargo bench -p server --bench engine
//!     WEGWIJS_BENCH_THREADS=2 cargo bench -p server --bench engine   # callers at once (default 4 per core)
//!     WEGWIJS_BENCH_ROUNDS=5 cargo bench -p server --bench engine    # steps per conversation (default 3)
//!     WEGWIJS_BENCH_RATE=2000 cargo bench -p server --bench engine   # steps/s offered, evenly spaced
//!     WEGWIJS_BENCH_TRACE=steps.txt cargo bench ...   # each step: start (ms from the first), latency (µs)
//!
//! Without a rate, every caller steps again as soon as its step returns, which
//! gives the most steps per second, and latency that includes waiting behind
//! the other callers for the 2 cores. With a rate, steps are due at fixed
//! times, and a step's latency counts from when it was due (so a late start
//! counts too): latency at a stated load.

use std::sync::Arc;
use std::time::{Duration, Instant};

use engine::{Config, Engine, Input, SystemClock};

/// The allocator of the `wegwijs` binary, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INPUTS: &[&str] = &[
    "ik heb schulden",
    "huurtoeslag terugbetalen",
    "I need help with DigiD",
    "mijn moeder kan niet meer alleen thuis wonen",
];

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Process CPU time (user, system) so far, from /proc/self/stat.
fn cpu() -> (Duration, Duration) {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<u64> = s
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|v| v.parse().unwrap_or(0))
        .collect();
    let tick = |t: u64| Duration::from_millis(t * 10);
    (tick(f.first().copied().unwrap_or(0)), tick(f.get(1).copied().unwrap_or(0)))
}

fn main() {
    let n: usize = std::env::var("WEGWIJS_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let threads = std::env::var("WEGWIJS_BENCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |p| p.get()).max(2) * 4);
    let rate: Option<f64> =
        std::env::var("WEGWIJS_BENCH_RATE").ok().and_then(|v| v.parse().ok()).filter(|r: &f64| *r > 0.0);
    // Each caller takes every `threads`-th step, so its steps are this far apart.
    let interval = rate.map(|r| Duration::from_secs_f64(threads as f64 / r));
    let rounds: usize =
        std::env::var("WEGWIJS_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let kb = Arc::new(
        knowledge_base::KnowledgeBase::load(&knowledge_base::content::default_dir())
            .expect("content"),
    );
    let store = Arc::new(storage::SledStore::open(dir.path()).expect("store"));
    let engine = Arc::new(Engine::new(kb, store, Arc::new(SystemClock), Config::default()));
    let start = Instant::now();
    let ids: Vec<String> =
        (0..n).map(|_| engine.start("bench", None, None).expect("start").0.id).collect();
    println!("started {n} conversations in {:.1?} (rss {:.0} MB)", start.elapsed(), rss_mb());
    let ids = Arc::new(ids);
    let (u0, s0) = cpu();
    let t0 = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (engine, ids) = (engine.clone(), ids.clone());
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mine = ids.iter().enumerate().skip(t).step_by(threads);
                // Callers start spread over one interval, not all at once.
                let first = t0 + interval.map_or(Duration::ZERO, |iv| iv.mul_f64(t as f64 / threads as f64));
                for (k, (i, id)) in std::iter::repeat_n(mine, rounds).flatten().enumerate() {
                    let input = match (i + lat.len()) % 3 {
                        0 => Input::Text(INPUTS[i % INPUTS.len()].into()),
                        1 => Input::Tap("money".into()),
                        _ => Input::Button("home".into()),
                    };
                    let s = match interval {
                        Some(iv) => {
                            let due = first + iv * k as u32;
                            std::thread::sleep(due.saturating_duration_since(Instant::now()));
                            due
                        }
                        None => Instant::now(),
                    };
                    engine.step(id, input).expect("step");
                    lat.push((s.duration_since(t0), s.elapsed()));
                }
                lat
            })
        })
        .collect();
    let timed: Vec<(Duration, Duration)> =
        handles.into_iter().flat_map(|h| h.join().expect("thread")).collect();
    let wall = t0.elapsed();
    let (u1, s1) = cpu();
    if let Ok(path) = std::env::var("WEGWIJS_BENCH_TRACE") {
        let lines: String =
            timed.iter().map(|(at, l)| format!("{:.3} {}\n", at.as_secs_f64() * 1e3, l.as_micros())).collect();
        std::fs::write(&path, lines).expect("trace file");
    }
    let mut lat: Vec<Duration> = timed.into_iter().map(|(_, l)| l).collect();
    lat.sort();
    let pct = |p: usize| lat[(lat.len() * p / 100).min(lat.len() - 1)];
    println!(
        "engine step over {n} conversations ({threads} threads, {} steps, {}): p50 {:?}, p99 {:?}, {:.0} steps/s, rss {:.0} MB",
        lat.len(),
        rate.map_or("as fast as they return".to_string(), |r| format!("{r:.0} steps/s offered")),
        pct(50),
        pct(99),
        lat.len() as f64 / wall.as_secs_f64(),
        rss_mb()
    );
    println!(
        "cpu per step: user {:.0} µs, system {:.0} µs",
        (u1 - u0).as_secs_f64() * 1e6 / lat.len() as f64,
        (s1 - s0).as_secs_f64() * 1e6 / lat.len() as f64
    );
}
