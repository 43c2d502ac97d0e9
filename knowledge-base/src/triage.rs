//! Triage: from a question to an action, a service and a confidence.
//!
//! Stages, in order:
//! 1. crisis phrases (before anything else; a false alarm costs less than a miss);
//! 2. retrieval: the question's words against every example, keyword and name;
//! 3. voting: each target (a service, "@human", "@out-of-scope") scores the sum
//!    of its best few documents, so one lucky match does not win alone;
//! 4. the decision: which action the scores support, and how sure we are.

use engine::{Action, Lang, Triage};

use crate::index::{index_words, Hit};
use crate::text::words;
use crate::KnowledgeBase;

/// Questions longer than this many content words are cut: the start of a
/// message says what it is about, and search cost grows with every word.
pub const MAX_QUERY_WORDS: usize = 64;

/// The knobs of triage. Defaults are what `wegwijs eval` measured best on the
/// development set and on cross-validation over the content's own examples.
#[derive(Clone, Debug)]
pub struct Tuning {
    /// How many documents vote.
    pub top_docs: usize,
    /// Weights of a target's 1st, 2nd and 3rd best documents.
    pub vote: [f32; 3],
    /// Below this the best target matched too little to mean anything.
    pub min_score: f32,
    /// From this score on, a match is strong on its own.
    pub strong_score: f32,
    /// Confidence needed to answer instead of offering choices.
    pub answer_confidence: f32,
    pub search: crate::index::SearchTuning,
    /// Share of the naive Bayes posterior in the final vote.
    pub nb_weight: f32,
    /// Services with many documents win more votes just by size; their vote
    /// is divided by (documents / mean documents) to this power.
    pub size_norm: f32,
    /// When no crisis phrase matched but the question reads most like the
    /// crisis examples, this much confidence gives the crisis card; less
    /// offers crisis as the first choice (with 112 and 113 beside it) instead
    /// of crying crisis over "hang the laundry" or "kill time".
    pub crisis_confidence: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning { top_docs: 60, vote: [1.0, 0.5, 0.25], min_score: 3.0, strong_score: 12.0, answer_confidence: 0.6, search: Default::default(), nb_weight: 0.85, size_norm: 0.5, crisis_confidence: 0.55 }
    }
}

impl Tuning {
    /// Set one knob from `name=value`, for experiments with `wegwijs eval --tune`.
    pub fn set(&mut self, kv: &str) -> Result<(), String> {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("`{kv}`: write name=value"))?;
        let f: f32 = v.parse().map_err(|_| format!("`{v}` is not a number"))?;
        match k {
            "top_docs" => self.top_docs = f as usize,
            "v1" => self.vote[0] = f,
            "v2" => self.vote[1] = f,
            "v3" => self.vote[2] = f,
            "min_score" => self.min_score = f,
            "strong_score" => self.strong_score = f,
            "answer_confidence" => self.answer_confidence = f,
            "gram" => self.search.gram_weight = f,
            "nb" => self.nb_weight = f,
            "size_norm" => self.size_norm = f,
            "crisis_confidence" => self.crisis_confidence = f,
            "grams_for_known" => self.search.grams_for_known = f != 0.0,
            "grams_for_inflected" => self.search.grams_for_inflected = f != 0.0,
            "other_lang" => self.search.other_lang_weight = f,
            "synonym" => self.search.synonym_weight = f,
            "fuzzy" => self.search.fuzzy_weight = f,
            "k_example" => self.search.kind_weight[0] = f,
            "k_keyword" => self.search.kind_weight[1] = f,
            "k_name" => self.search.kind_weight[2] = f,
            "k_when" => self.search.kind_weight[3] = f,
            "k_profile" => self.search.kind_weight[4] = f,
            _ => return Err(format!("unknown knob `{k}`")),
        }
        Ok(())
    }
}

/// A target's total vote.
#[derive(Clone, Copy, Debug)]
pub struct Scored {
    pub target: usize,
    pub score: f32,
}

pub(crate) fn vote(hits: &[Hit], n_targets: usize, weights: &[f32; 3]) -> Vec<Scored> {
    let mut per: Vec<(f32, usize)> = vec![(0.0, 0); n_targets];
    for h in hits {
        let (sum, n) = &mut per[h.target];
        if *n < weights.len() {
            *sum += h.score * weights[*n];
            *n += 1;
        }
    }
    let mut out: Vec<Scored> = per
        .into_iter()
        .enumerate()
        .filter(|(_, (s, _))| *s > 0.0)
        .map(|(target, (score, _))| Scored { target, score })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.target.cmp(&b.target)));
    out
}

impl KnowledgeBase {
    /// Rank targets for a question's content words. Also returns how much the
    /// question matched at all, on the scale `min_score` and `strong_score`
    /// are set in: the best retrieval vote before the blend, in the share of
    /// the question's words the index knows as they are (the blend's scale
    /// shrinks when naive Bayes is unsure, as it is for one rare word; near
    /// spellings and trigrams alone, as for gibberish, count for less).
    pub fn rank(&self, qwords: &[String], lang: Option<Lang>) -> (Vec<Scored>, f32) {
        let mut known_share = 0.0;
        let mut ranked = match self.index.search(qwords, lang, self.tuning.top_docs, &self.tuning.search) {
            Ok((hits, known)) => {
                known_share = known as f32 / qwords.len().max(1) as f32;
                let mut v = vote(&hits, self.targets.len(), &self.tuning.vote);
                if self.tuning.size_norm > 0.0 {
                    let mean = self.doc_counts.iter().sum::<usize>() as f32 / self.doc_counts.len().max(1) as f32;
                    for s in &mut v {
                        s.score /= (self.doc_counts[s.target] as f32 / mean).max(0.1).powf(self.tuning.size_norm);
                    }
                    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.target.cmp(&b.target)));
                }
                v
            }
            // A search error on an in-memory index is a bug, but a resident must
            // still get an answer: "not understood" leads them to a person.
            Err(_) => Vec::new(),
        };
        let raw_top = ranked.first().map_or(0.0, |s| s.score);
        let nb_weight = self.tuning.nb_weight;
        if nb_weight > 0.0 && !ranked.is_empty() {
            let post = self.classifier.posterior(qwords, lang);
            if !post.is_empty() {
                // Both votes on one scale: the best retrieval vote counts as 1.
                let top = ranked[0].score;
                let mut by_target = vec![0f32; self.targets.len()];
                for s in &ranked {
                    by_target[s.target] = s.score / top;
                }
                ranked = by_target
                    .iter()
                    .zip(&post)
                    .enumerate()
                    .map(|(target, (k, p))| Scored { target, score: top * ((1.0 - nb_weight) * k + nb_weight * p) })
                    .filter(|s| s.score > 0.0)
                    .collect();
                ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.target.cmp(&b.target)));
            }
        }
        let blended_top = ranked.first().map_or(0.0, |s| s.score);
        (ranked, blended_top.max(raw_top * known_share))
    }

    /// Triage one question. Never panics, whatever the input.
    pub fn triage_question(&self, question: &str, hint: Option<Lang>) -> Triage {
        let all_words = words(question);
        // Each message is read in the language its words are in; the
        // conversation's language only breaks ties.
        let detected = self.detector.detect(&all_words, hint);
        let lang = detected.or(hint).unwrap_or(Lang::Nl);
        let triage = |action, service: Option<&str>, confidence: f32, alternatives: Vec<String>| Triage {
            action,
            service: service.map(String::from),
            confidence: confidence.clamp(0.0, 1.0),
            alternatives,
            lang,
        };
        if let Some(_phrase) = self.crisis.find(&all_words) {
            return triage(Action::Crisis, Some(CRISIS_ID), 1.0, Vec::new());
        }
        let mut qwords: Vec<String> = index_words(question);
        qwords.dedup();
        qwords.truncate(MAX_QUERY_WORDS);
        if qwords.is_empty() {
            // Only emoji, punctuation or filler words: nothing to route on.
            return triage(Action::OutOfScope, None, 0.0, Vec::new());
        }
        let (mut ranked, mut matched) = self.rank(&qwords, detected);
        if self.human.find(&all_words).is_some() {
            // A wish for a person counts as a strong vote for "@human"; a question
            // that also names a problem can still outvote it.
            boost_target(&mut ranked, self.human_target, self.tuning.strong_score);
            matched = matched.max(self.tuning.strong_score);
        }
        let Some(top) = ranked.first().copied() else {
            return triage(Action::OutOfScope, None, 0.0, Vec::new());
        };
        let services: Vec<Scored> = ranked.iter().copied().filter(|s| s.target < self.services.len()).collect();
        let alternatives = |skip: &str| -> Vec<String> {
            services.iter().map(|s| self.targets[s.target].clone()).filter(|id| id != skip).take(3).collect()
        };
        let tu = &self.tuning;
        let second = ranked.get(1).map_or(0.0, |s| s.score);
        let margin = (top.score - second) / top.score;
        let strength = (matched / tu.strong_score).min(1.0);
        let confidence = 0.6 * margin + 0.4 * strength;
        if matched < tu.min_score {
            return triage(Action::OutOfScope, None, 1.0 - strength, Vec::new());
        }
        if top.target == self.human_target {
            return triage(Action::Human, None, confidence, alternatives(""));
        }
        if top.target == self.out_of_scope_target {
            return triage(Action::OutOfScope, None, confidence, Vec::new());
        }
        let id = self.targets[top.target].clone();
        if id == CRISIS_ID {
            // The phrase stage missed it, but the question reads like the crisis
            // examples: a false alarm costs less than a miss, when the reading
            // is clear. A weak one offers crisis first among the choices.
            if confidence >= tu.crisis_confidence {
                return triage(Action::Crisis, Some(CRISIS_ID), confidence, Vec::new());
            }
            return triage(Action::Clarify, Some(CRISIS_ID), confidence, alternatives(CRISIS_ID));
        }
        let alts = alternatives(&id);
        let action = if confidence >= tu.answer_confidence { Action::Answer } else { Action::Clarify };
        triage(action, Some(&id), confidence, alts)
    }
}

fn boost_target(ranked: &mut Vec<Scored>, target: usize, by: f32) {
    match ranked.iter_mut().find(|s| s.target == target) {
        Some(s) => s.score += by,
        None => ranked.push(Scored { target, score: by }),
    }
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.target.cmp(&b.target)));
}

/// The service id that stands for acute danger.
pub const CRISIS_ID: &str = "crisis";
