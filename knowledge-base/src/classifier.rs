//! A multinomial naive Bayes classifier over stems and trigrams, trained on the
//! same documents as the index when the knowledge base loads.
//!
//! The nearest-example vote (see `index`) is good at questions close to one
//! example; naive Bayes pools the evidence of all examples of a service, which
//! helps with questions phrased unlike any single example. Triage blends both.

use std::collections::HashMap;

use tantivy::tokenizer::{Language, TextAnalyzer};

use crate::index::{analyzer, stem, trigrams};

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
    nl: TextAnalyzer,
    en: TextAnalyzer,
}

impl Classifier {
    fn features_of(&self, words: &[String], out: &mut Vec<(String, f32)>) {
        let (mut nl, mut en) = (self.nl.clone(), self.en.clone());
        extract(words, &mut nl, &mut en, out);
    }

    /// Train on (target, content words) pairs.
    pub fn train<'a>(n_targets: usize, docs: impl IntoIterator<Item = (usize, &'a [String])>) -> Classifier {
        let mut nl = analyzer(Language::Dutch);
        let mut en = analyzer(Language::English);
        let mut features: HashMap<String, usize> = HashMap::new();
        let mut counts: Vec<Vec<f32>> = Vec::new();
        let mut totals = vec![0f32; n_targets];
        let mut buf = Vec::new();
        for (target, words) in docs {
            buf.clear();
            extract(words, &mut nl, &mut en, &mut buf);
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
        Classifier { n_targets, features, log_prob, nl, en }
    }

    /// Posterior probability of each target for a question's content words
    /// (uniform prior). Empty when no word is known.
    pub fn posterior(&self, words: &[String]) -> Vec<f32> {
        let mut feats = Vec::new();
        self.features_of(words, &mut feats);
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

fn extract(words: &[String], nl: &mut TextAnalyzer, en: &mut TextAnalyzer, out: &mut Vec<(String, f32)>) {
    let mut grams = Vec::new();
    for w in words {
        let sn = stem(nl, w);
        let se = stem(en, w);
        out.push((format!("w:{sn}"), 1.0));
        if se != sn {
            out.push((format!("w:{se}"), 1.0));
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
