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

/// Pieces that make callback data interesting: other and absurd versions,
/// huge numbers, separators, and characters that change length when cased.
const CALLBACK_PIECES: &[&str] = &[
    "v0",
    "v2",
    "V1",
    "v",
    "v01",
    "v18446744073709551616",
    "v99999999999999999999999999",
    "1",
    ":",
    "::",
    "t",
    "b",
    "l",
    "service:",
    "lang:",
    "-1",
    "99999999999999999999",
    "😀",
    "\u{301}",
    "ǅ",
    "ı",
    "İ",
    "..",
    "/",
    "%3A",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// What Telegram hands back as callback data is whatever a client sent:
/// random bytes and mutations of valid data (cut short, flipped, other
/// versions, huge numbers, unicode) either decode to an action that encodes
/// back to exactly the same data, or are refused. Never a panic.
#[test]
fn fuzz_callback_data() {
    let seed = seed();
    let mut rng = Rng(seed);
    let mut valid: Vec<String> =
        bot::callback::BUTTONS.iter().filter_map(|b| bot::callback::button(b)).collect();
    valid.extend(engine::UiLang::ALL.iter().map(|l| bot::callback::lang(*l)));
    valid.extend(
        ["money", "money.toeslagen", "service:schuldhulp"]
            .iter()
            .filter_map(|t| bot::callback::tile(t)),
    );
    let start = Instant::now();
    let (mut runs, mut accepted) = (0, 0);
    // Short: the parser is small, and a second covers millions of inputs.
    while start.elapsed() < budget() / 4 {
        let bytes = if rng.below(4) == 0 {
            (0..rng.below(90)).map(|_| rng.next() as u8).collect()
        } else {
            let base = valid[rng.below(valid.len())].clone();
            let mut v = mutate(&mut rng, base.as_bytes());
            for _ in 0..rng.below(3) {
                let (i, piece) = (rng.below(v.len() + 1), rng.below(CALLBACK_PIECES.len()));
                v.splice(i..i, CALLBACK_PIECES[piece].bytes());
            }
            if rng.below(4) == 0 {
                v.truncate(rng.below(v.len() + 1));
            }
            v
        };
        let data = String::from_utf8_lossy(&bytes);
        accepted += usize::from(callback_round_trips(&data, seed));
        runs += 1;
    }
    assert!(
        accepted > 0,
        "no mutation survived in {runs} runs; the loop tests nothing (seed {seed})"
    );
    eprintln!("fuzz_callback_data: {runs} inputs, {accepted} accepted, seed {seed}");
}

/// Decode; what is accepted must encode back to the same bytes and fit
/// Telegram's 64 bytes. True if accepted.
fn callback_round_trips(data: &str, seed: u64) -> bool {
    use bot::callback::{self, Action};
    let Ok(action) = callback::decode(data) else { return false };
    let again = match &action {
        Action::Tap(id) => callback::tile(id),
        Action::Button(b) => callback::button(b),
        Action::Lang(l) => Some(callback::lang(*l)),
    };
    assert_eq!(again.as_deref(), Some(data), "seed {seed}: {data:?} decoded to {action:?}");
    assert!(data.len() <= callback::MAX_DATA, "seed {seed}: {data:?}");
    true
}

#[test]
fn callback_data_edge_cases_are_refused_or_round_trip() {
    for data in [
        "v1:t:service:",
        "v1:b:service:x",
        "v18446744073709551616:b:yes",
        "v:b:yes",
        "v1:l:NL",
        "v1:l:nl ",
        "v1::",
        ":::",
        "v1:t:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "v1:t:😀",
        "\u{301}v1:b:yes",
    ] {
        callback_round_trips(data, 0);
    }
    assert!(callback_round_trips("v1:t:service:schuldhulp", 0));
    assert!(callback_round_trips(&format!("v1:t:{}", "a".repeat(59)), 0));
}
