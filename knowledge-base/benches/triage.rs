//! Triage latency per question and index build time, on the shipped knowledge
//! base and on a generated one of 1,000 services x 25 examples.
//!
//!     cargo bench -p knowledge-base --bench triage

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use knowledge_base::{content, Content, KnowledgeBase};

const QUESTIONS: &[&str] = &[
    "ik heb schulden en de deurwaarder komt morgen",
    "huurtoeslag terugbetalen",
    "mn moeder kan nie meer alleen douchen wie helpt",
    "I lost my job and have no income, what can I apply for?",
    "ik zie het niet meer zitten",
    "hoe laat begint de wedstrijd",
    "kan iemand mij bellen",
    "Mijn zoon van 15 blowt elke dag en spijbelt, waar kan ik terecht met mijn zorgen?",
    "kira borcum var ve ev sahibi beni cikarmak istiyor",
    "artık yaşamak istemiyorum",
    "لا أستطيع دفع فاتورة الكهرباء، عندي ديون كثيرة",
    "ana mish 3arif a3mel DigiD",
    "nie mam pieniedzy na jedzenie dla dzieci",
    "szukam pracy, mam uitkering od gemeente",
    "у мене борги і прийшов deurwaarder",
    "не могу найти квартиру, живу у друзей",
];

/// A knowledge base of `n` services with 25 examples each, built from the
/// shipped services' words so the vocabulary is realistic.
fn generated(n: usize) -> Content {
    let base = Content::load(&content::default_dir()).expect("shipped content");
    let mut c = base.clone();
    c.services.clear();
    for i in 0..n {
        let mut sf = base.services[i % base.services.len()].clone();
        sf.service.id = format!("svc-{i}");
        // Dutch and English only, as the figure has been measured since the start.
        sf.service.translations.clear();
        for t in [&mut sf.service.nl, &mut sf.service.en] {
            t.examples = t.examples.iter().cycle().skip(i % 7).take(25).map(|e| format!("{e} {i}")).collect();
        }
        c.services.push(sf);
    }
    c
}

fn p99(kb: &KnowledgeBase) -> (Duration, Duration) {
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..200 {
        for q in QUESTIONS {
            let t = Instant::now();
            black_box(kb.triage_question(q, None));
            times.push(t.elapsed());
        }
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 99 / 100])
}

fn bench(c: &mut Criterion) {
    let shipped = Content::load(&content::default_dir()).expect("shipped content");
    let kb = KnowledgeBase::from_content(shipped.clone()).expect("index");
    let (p50, p99v) = p99(&kb);
    println!("shipped KB: triage p50 {p50:?}, p99 {p99v:?} per question");
    c.bench_function("triage/shipped", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(kb.triage_question(QUESTIONS[i % QUESTIONS.len()], None))
        })
    });
    let mut g = c.benchmark_group("index-build");
    g.sample_size(10);
    g.bench_function("shipped", |b| b.iter(|| KnowledgeBase::from_content(shipped.clone()).expect("index")));
    let big = generated(1000);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("generated-1000x25", |b| b.iter(|| KnowledgeBase::from_content(big.clone()).expect("index")));
    g.finish();
    let big_kb = KnowledgeBase::from_content(big).expect("index");
    let (p50, p99v) = p99(&big_kb);
    println!("generated KB (1000 services): triage p50 {p50:?}, p99 {p99v:?} per question");
    c.bench_function("triage/generated-1000", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(big_kb.triage_question(QUESTIONS[i % QUESTIONS.len()], None))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
