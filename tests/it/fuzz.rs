//! Bounded mutation fuzzing, run in CI: content files, triage input and engine
//! inputs get random and mutated bytes; nothing may panic. Time per target comes
//! from WEGWIJS_FUZZ_SECS (default 5). Crashes found become named regression
//! tests below the fuzz loops.

use std::time::{Duration, Instant};

use engine::{Input, KnowledgeSource};

/// A small, seedable generator (xorshift64*), so a failure prints its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn budget() -> Duration {
    Duration::from_secs(std::env::var("WEGWIJS_FUZZ_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(5))
}

fn seed() -> u64 {
    std::env::var("WEGWIJS_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1
    })
}

const INTERESTING: &[&str] = &[
    "\u{0}", "\u{feff}", "\u{202e}", "🙂", "ij", "é", "\n", "\r\n", "\"", "'", "[", "]", "=", "{", "}", "\\",
    "zelfmoord", "eind aan", "*", "|", "<script>", "%", "1e308", "-", "…", "ß", "İ", "ﬀ", "\t",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..=rng.below(8) {
        match rng.below(5) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                let n = rng.below(16).min(v.len() - i);
                v.drain(i..i + n);
            }
            2 => {
                let i = rng.below(v.len() + 1);
                let s = INTERESTING[rng.below(INTERESTING.len())].as_bytes();
                v.splice(i..i, s.iter().copied());
            }
            3 if v.len() > 2 => {
                let i = rng.below(v.len());
                let j = rng.below(v.len());
                let (a, b) = (i.min(j), i.max(j));
                let chunk = v[a..b].to_vec();
                v.splice(a..a, chunk);
            }
            _ => v.push(rng.next() as u8),
        }
    }
    v
}

#[test]
fn fuzz_content_parser() {
    let seed = seed();
    let mut rng = Rng(seed);
    let tmp = crate::support::content_copy();
    let file = tmp.path().join("services/schuldhulp.toml");
    let signals = tmp.path().join("signals.toml");
    let base = std::fs::read(&file).unwrap();
    let base_signals = std::fs::read(&signals).unwrap();
    let start = Instant::now();
    let mut runs = 0;
    while start.elapsed() < budget() {
        std::fs::write(&file, mutate(&mut rng, &base)).unwrap();
        if runs % 4 == 0 {
            std::fs::write(&signals, mutate(&mut rng, &base_signals)).unwrap();
        }
        // Must return Ok or a clear Err, never panic (seed {seed}).
        if let Ok(content) = knowledge_base::Content::load(tmp.path()) {
            let _ = knowledge_base::check::check(&content, &[], None);
        }
        runs += 1;
    }
    assert!(runs > 10, "only {runs} runs (seed {seed})");
    eprintln!("fuzz_content_parser: {runs} inputs, seed {seed}");
}

#[test]
fn fuzz_triage_input() {
    let seed = seed();
    let mut rng = Rng(seed);
    let kb = crate::support::kb();
    let seeds = ["ik heb schulden", "I want to die", "kan iemand mij bellen", "zelfmoord gedachten", ""];
    let start = Instant::now();
    let mut runs = 0;
    while start.elapsed() < budget() {
        let base = seeds[rng.below(seeds.len())].as_bytes();
        let bytes = mutate(&mut rng, base);
        let q = String::from_utf8_lossy(&bytes);
        let t = kb.triage(&q, None);
        assert!((0.0..=1.0).contains(&t.confidence), "seed {seed}: {q:?} -> {t:?}");
        runs += 1;
    }
    eprintln!("fuzz_triage_input: {runs} inputs, seed {seed}");
}

#[test]
fn fuzz_engine_inputs() {
    let seed = seed();
    let mut rng = Rng(seed);
    let f = crate::conversations::fixture();
    let (c, _, _) = f.engine.start("fuzz", None, None).unwrap();
    let taps = ["home", "back", "person", "money", "money.schuldhulp", "service:pgb", "", "service:", "lang:xx"];
    let start = Instant::now();
    let mut runs = 0;
    while start.elapsed() < budget() / 2 {
        let pick = taps[rng.below(taps.len())];
        let bytes = mutate(&mut rng, pick.as_bytes());
        let s = String::from_utf8_lossy(&bytes).into_owned();
        let input = match rng.below(4) {
            0 => Input::Text(s),
            1 => Input::Tap(s),
            2 => Input::Button(s),
            _ => Input::Button(pick.to_string()),
        };
        match f.engine.step(&c.id, input) {
            Ok(_) | Err(engine::Error::TooLong { .. }) => {}
            Err(engine::Error::NotFound) => break, // fuzzed into "delete-confirm"
            Err(e) => panic!("seed {seed}: {e}"),
        }
        runs += 1;
    }
    eprintln!("fuzz_engine_inputs: {runs} inputs, seed {seed}");
}
