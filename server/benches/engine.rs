//! Engine load: 10,000 conversations, persistence on (sled, flushed per step).
//! Prints step latency p50/p99 and resident set size.
//!
//!     cargo bench -p server --bench engine            # 10,000 conversations
//!     WEGWIJS_BENCH_CONVERSATIONS=1000 cargo bench -p server --bench engine
//!     WEGWIJS_BENCH_THREADS=2 cargo bench -p server --bench engine   # callers at once (default 4 per core)
//!     WEGWIJS_BENCH_ROUNDS=5 cargo bench -p server --bench engine    # steps per conversation (default 3)
//!     WEGWIJS_BENCH_RATE=2000 cargo bench -p server --bench engine   # steps/s offered, evenly spaced
//!     WEGWIJS_BENCH_WORKERS=2 cargo bench -p server --bench engine   # steps as the server runs them
//!     WEGWIJS_BENCH_TRACE=steps.txt cargo bench ...   # each step: start (ms from the first), latency (µs)
//!     WEGWIJS_STORE_CACHE_MB=32 cargo bench ...      # sled's cache, as for `wegwijs serve` (default 8)
//!
//! Without a rate, every caller steps again as soon as its step returns, which
//! gives the most steps per second, and latency that includes waiting behind
//! the other callers for the 2 cores. With a rate, steps are due at fixed
//! times, and a step's latency counts from when it was due (so a late start
//! counts too): latency at a stated load.
//!
//! By default each caller is a thread that waits for the disk itself. With
//! `WEGWIJS_BENCH_WORKERS`, steps run as the web adapter runs them: on a tokio
//! runtime with that many worker threads, through `step_as_resident`, and the
//! wait for the disk holds no thread. The callers are then tasks; with a rate,
//! one pacing thread hands each step to the runtime when it is due.

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

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The input of a conversation's step: a question, a tap or a button.
fn input(i: usize, k: usize) -> Input {
    match (i + k) % 3 {
        0 => Input::Text(INPUTS[i % INPUTS.len()].into()),
        1 => Input::Tap("money".into()),
        _ => Input::Button("home".into()),
    }
}

/// Where a step stands in a run: its caller's conversation index and step number.
struct Plan {
    threads: usize,
    rounds: usize,
    /// Steps of one caller are this far apart, when a rate is set.
    interval: Option<Duration>,
    t0: Instant,
}

impl Plan {
    /// Caller `t`'s steps: (conversation index, step number, when due).
    fn steps(&self, t: usize, n: usize) -> impl Iterator<Item = (usize, usize, Option<Instant>)> + '_ {
        // Callers start spread over one interval, not all at once.
        let first = self.t0 + self.interval.map_or(Duration::ZERO, |iv| iv.mul_f64(t as f64 / self.threads as f64));
        let mine = (t..n).step_by(self.threads);
        std::iter::repeat_n(mine, self.rounds)
            .flatten()
            .enumerate()
            .map(move |(k, i)| (i, k, self.interval.map(|iv| first + iv * k as u32)))
    }
}

/// Callers as threads that each wait for the disk.
fn run_threads(engine: &Arc<Engine>, ids: &Arc<Vec<(String, String)>>, plan: &Arc<Plan>) -> Vec<(Duration, Duration)> {
    let handles: Vec<_> = (0..plan.threads)
        .map(|t| {
            let (engine, ids, plan) = (engine.clone(), ids.clone(), plan.clone());
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                for (i, k, due) in plan.steps(t, ids.len()) {
                    let s = match due {
                        Some(due) => {
                            std::thread::sleep(due.saturating_duration_since(Instant::now()));
                            due
                        }
                        None => Instant::now(),
                    };
                    engine.step(&ids[i].0, input(i, k)).expect("step");
                    lat.push((s.duration_since(plan.t0), s.elapsed()));
                }
                lat
            })
        })
        .collect();
    handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
}

/// Steps as the web adapter runs them, on `workers` runtime threads.
fn run_tasks(
    engine: &Arc<Engine>,
    ids: &Arc<Vec<(String, String)>>,
    plan: &Arc<Plan>,
    workers: usize,
) -> Vec<(Duration, Duration)> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build().expect("runtime");
    let lat = Arc::new(std::sync::Mutex::new(Vec::new()));
    let step = |engine: Arc<Engine>, ids: Arc<Vec<(String, String)>>, i: usize, k: usize| async move {
        let (id, token) = &ids[i];
        engine.step_as_resident(id, token, input(i, k), |_| Ok::<(), engine::Error>(())).await.expect("step");
    };
    if plan.interval.is_some() {
        // Open loop: every step is handed over when due, whatever is still running.
        let mut due: Vec<(Instant, usize, usize)> =
            (0..plan.threads).flat_map(|t| plan.steps(t, ids.len()).map(|(i, k, d)| (d.expect("due"), i, k))).collect();
        due.sort_unstable_by_key(|d| d.0);
        let tasks: Vec<_> = due
            .into_iter()
            .map(|(at, i, k)| {
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                let (engine, ids, lat, t0) = (engine.clone(), ids.clone(), lat.clone(), plan.t0);
                rt.spawn(async move {
                    step(engine, ids, i, k).await;
                    lat.lock().unwrap().push((at.duration_since(t0), at.elapsed()));
                })
            })
            .collect();
        rt.block_on(async {
            for t in tasks {
                t.await.expect("task");
            }
        });
    } else {
        rt.block_on(async {
            let tasks: Vec<_> = (0..plan.threads)
                .map(|t| {
                    let (engine, ids, lat, plan) = (engine.clone(), ids.clone(), lat.clone(), plan.clone());
                    tokio::spawn(async move {
                        for (i, k, _) in plan.steps(t, ids.len()) {
                            let s = Instant::now();
                            step(engine.clone(), ids.clone(), i, k).await;
                            lat.lock().unwrap().push((s.duration_since(plan.t0), s.elapsed()));
                        }
                    })
                })
                .collect();
            for t in tasks {
                t.await.expect("task");
            }
        });
    }
    let out = std::mem::take(&mut *lat.lock().unwrap());
    out
}

fn main() {
    let n: usize = env("WEGWIJS_BENCH_CONVERSATIONS").unwrap_or(10_000);
    let threads = env("WEGWIJS_BENCH_THREADS")
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |p| p.get()).max(2) * 4);
    let rate: Option<f64> = env("WEGWIJS_BENCH_RATE").filter(|r: &f64| *r > 0.0);
    let workers: Option<usize> = env("WEGWIJS_BENCH_WORKERS").filter(|w: &usize| *w > 0);
    // Each caller takes every `threads`-th step, so its steps are this far apart.
    let interval = rate.map(|r| Duration::from_secs_f64(threads as f64 / r));
    let rounds: usize = env("WEGWIJS_BENCH_ROUNDS").unwrap_or(3).max(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let kb = Arc::new(
        knowledge_base::KnowledgeBase::load(&knowledge_base::content::default_dir())
            .expect("content"),
    );
    // sled's cache limit, read as `wegwijs serve` reads it.
    let cache = env::<u64>("WEGWIJS_STORE_CACHE_MB").map_or(storage::DEFAULT_CACHE_BYTES, |mb| mb * 1024 * 1024);
    let store = Arc::new(storage::SledStore::open_with_cache(dir.path(), cache).expect("store"));
    let engine = Arc::new(Engine::new(kb, store, Arc::new(SystemClock), Config::default()));
    let start = Instant::now();
    let ids: Vec<(String, String)> = (0..n)
        .map(|_| {
            let (c, token, _) = engine.start("bench", None, None).expect("start");
            (c.id, token)
        })
        .collect();
    println!("started {n} conversations in {:.1?} (rss {:.0} MB)", start.elapsed(), rss_mb());
    let ids = Arc::new(ids);
    let (u0, s0) = cpu();
    let plan = Arc::new(Plan { threads, rounds, interval, t0: Instant::now() });
    let timed = match workers {
        Some(w) => run_tasks(&engine, &ids, &plan, w),
        None => run_threads(&engine, &ids, &plan),
    };
    let wall = plan.t0.elapsed();
    let (u1, s1) = cpu();
    if let Ok(path) = std::env::var("WEGWIJS_BENCH_TRACE") {
        let lines: String =
            timed.iter().map(|(at, l)| format!("{:.3} {}\n", at.as_secs_f64() * 1e3, l.as_micros())).collect();
        std::fs::write(&path, lines).expect("trace file");
    }
    let mut lat: Vec<Duration> = timed.into_iter().map(|(_, l)| l).collect();
    lat.sort();
    let pct = |p: usize| lat[(lat.len() * p / 100).min(lat.len() - 1)];
    let callers = match workers {
        Some(w) => format!("{threads} tasks on {w} worker threads"),
        None => format!("{threads} threads"),
    };
    println!(
        "engine step over {n} conversations ({callers}, {} steps, {}): p50 {:?}, p99 {:?}, {:.0} steps/s, rss {:.0} MB",
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
