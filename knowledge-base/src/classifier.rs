//! A multinomial naive Bayes classifier over stems and trigrams, trained on the
//! same documents as the index when the knowledge base loads.
//!
//! The nearest-example vote (see `index`) is good at questions close to one
//! example; naive Bayes pools the evidence of all examples of a service, which
//! helps with questions phrased unlike any single example. Triage blends both.

use std::collections::HashMap;

use engine::Lang;

use crate::index::trigrams;
use crate::langs::{query_langs, Stemmers};

/// Weight of one trigram against one word; a word has several trigrams.
const GRAM_COUNT: f32 = 0.25;
/// Weight of a word pair against one word.
const BIGRAM_COUNT: f32 = 0.5;
/// Additive smoothing.
const ALPHA: f32 = 0.1;
/// Temperature of the posterior: naive Bayes is overconfident (it counts every
/// word as independent evidence), so its log-likelihoods are flattened before
/// they are blended with the retrieval vote.
const TEMPERATURE: f32 = 8.0;

pub struct Classifier {
    n_targets: usize,
    features: HashMap<String, usize>,
    /// `log P(feature | target)`, row-major by feature.
    log_prob: Vec<f32>,
    stemmers: Stemmers,
}

impl Classifier {
    /// Features of a question: a word's stems in the question's language and
    /// Dutch (residents mix Dutch in), or in every language its script allows
    /// when the language is not known.
    fn features_of(&self, words: &[String], lang: Option<Lang>, out: &mut Vec<(String, f32)>) {
        extract(words, Query(lang), &mut self.stemmers.clone(), out);
    }

    /// Train on (target, language, content words) triples.
    pub fn train<'a>(n_targets: usize, docs: impl IntoIterator<Item = (usize, Lang, &'a [String])>) -> Classifier {
        let mut stemmers = Stemmers::default();
        let mut features: HashMap<String, usize> = HashMap::new();
        let mut counts: Vec<Vec<f32>> = Vec::new();
        let mut totals = vec![0f32; n_targets];
        let mut buf = Vec::new();
        for (target, lang, words) in docs {
            buf.clear();
            extract(words, Doc(lang), &mut stemmers, &mut buf);
            for (f, c) in buf.drain(..) {
                let next = features.len();
                let id = *features.entry(f).or_insert(next);
                if id == counts.len() {
                    counts.push(vec![0.0; n_targets]);
                }
                counts[id][target] += c;
                totals[target] += c;
            }
        }
        let v = features.len() as f32;
        let denom: Vec<f32> = totals.iter().map(|t| t + ALPHA * v).collect();
        let mut log_prob = Vec::with_capacity(counts.len() * n_targets);
        for row in &counts {
            for t in 0..n_targets {
                log_prob.push(((row[t] + ALPHA) / denom[t]).ln());
            }
        }
        Classifier { n_targets, features, log_prob, stemmers }
    }

    /// Posterior probability of each target for a question's content words
    /// (uniform prior). Empty when no word is known.
    pub fn posterior(&self, words: &[String], lang: Option<Lang>) -> Vec<f32> {
        let mut feats = Vec::new();
        self.features_of(words, lang, &mut feats);
        let mut logp = vec![0f32; self.n_targets];
        let mut known = false;
        for (f, c) in &feats {
            // Unknown features say nothing about the target; skipping them
            // keeps long questions from drowning in smoothing.
            if let Some(&id) = self.features.get(f) {
                known = true;
                let row = &self.log_prob[id * self.n_targets..(id + 1) * self.n_targets];
                for (l, r) in logp.iter_mut().zip(row) {
                    *l += c * r;
                }
            }
        }
        if !known {
            return Vec::new();
        }
        logp.iter_mut().for_each(|l| *l /= TEMPERATURE);
        let max = logp.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut p: Vec<f32> = logp.iter().map(|l| (l - max).exp()).collect();
        let sum: f32 = p.iter().sum();
        p.iter_mut().for_each(|x| *x /= sum);
        p
    }
}

/// Features of content words. A training document's words are stemmed in its
/// own language; a question's in each language its script allows, since its
/// language is a guess.
enum Source {
    /// A training document in a known language.
    Doc(Lang),
    /// A question, read as this language if known.
    Query(Option<Lang>),
}
use Source::{Doc, Query};

fn extract(words: &[String], source: Source, stemmers: &mut Stemmers, out: &mut Vec<(String, f32)>) {
    let mut grams = Vec::new();
    let mut stems: Vec<String> = Vec::new();
    for w in words {
        stems.clear();
        match source {
            Doc(l) => stems.push(stemmers.stem(l, w)),
            Query(lang) => {
                for l in query_langs(w, lang) {
                    let s = stemmers.stem(l, w);
                    if !stems.contains(&s) {
                        stems.push(s);
                    }
                }
            }
        }
        for s in &stems {
            out.push((format!("w:{s}"), 1.0));
        }
        if w.chars().count() >= 5 {
            grams.clear();
            trigrams(w, &mut grams);
            for g in grams.drain(..) {
                out.push((g, GRAM_COUNT));
            }
        }
    }
    for pair in words.windows(2) {
        out.push((format!("b:{} {}", pair[0], pair[1]), BIGRAM_COUNT));
    }
}
