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
use crate::text::{detect_lang, words};
use crate::KnowledgeBase;

/// Questions longer than this many content words are cut: the start of a
/// message says what it is about, and search cost grows with every word.
pub const MAX_QUERY_WORDS: usize = 64;
/// How many documents vote.
const TOP_DOCS: usize = 60;
/// Weights of a target's 1st, 2nd and 3rd best documents.
const VOTE_WEIGHTS: [f32; 3] = [1.0, 0.5, 0.25];
/// Below this the best target matched too little to mean anything.
const MIN_SCORE: f32 = 3.0;
/// From this score on, a match is strong on its own.
const STRONG_SCORE: f32 = 12.0;
/// Crisis wins when it is at least this close to the top (misses cost more).
const CRISIS_CLOSE: f32 = 0.75;
/// Confidence needed to answer instead of offering choices.
const ANSWER_CONFIDENCE: f32 = 0.5;

/// A target's total vote.
#[derive(Clone, Copy, Debug)]
pub struct Scored {
    pub target: usize,
    pub score: f32,
}

pub(crate) fn vote(hits: &[Hit], n_targets: usize) -> Vec<Scored> {
    let mut per: Vec<(f32, usize)> = vec![(0.0, 0); n_targets];
    for h in hits {
        let (sum, n) = &mut per[h.target];
        if *n < VOTE_WEIGHTS.len() {
            *sum += h.score * VOTE_WEIGHTS[*n];
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
    /// Rank targets for a question's content words.
    pub fn rank(&self, qwords: &[String]) -> Vec<Scored> {
        match self.index.search(qwords, TOP_DOCS) {
            Ok(hits) => vote(&hits, self.targets.len()),
            // A search error on an in-memory index is a bug, but a resident must
            // still get an answer: "not understood" leads them to a person.
            Err(_) => Vec::new(),
        }
    }

    /// Triage one question. Never panics, whatever the input.
    pub fn triage_question(&self, question: &str, hint: Option<Lang>) -> Triage {
        let all_words = words(question);
        let lang = hint.or_else(|| detect_lang(question)).unwrap_or(Lang::Nl);
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
        let mut ranked = self.rank(&qwords);
        if self.human.find(&all_words).is_some() {
            // A wish for a person counts as a strong vote for "@human"; a question
            // that also names a problem can still outvote it.
            boost_target(&mut ranked, self.human_target, STRONG_SCORE);
        }
        let Some(top) = ranked.first().copied() else {
            return triage(Action::OutOfScope, None, 0.0, Vec::new());
        };
        let services: Vec<Scored> = ranked.iter().copied().filter(|s| s.target < self.services.len()).collect();
        let alternatives = |skip: &str| -> Vec<String> {
            services.iter().map(|s| self.targets[s.target].clone()).filter(|id| id != skip).take(3).collect()
        };
        // Crisis as a service: recall first.
        if let Some(c) = services.iter().take(2).find(|s| self.targets[s.target] == CRISIS_ID) {
            if c.score >= top.score * CRISIS_CLOSE && c.score >= MIN_SCORE {
                return triage(Action::Crisis, Some(CRISIS_ID), c.score / top.score.max(c.score), Vec::new());
            }
        }
        let second = ranked.get(1).map_or(0.0, |s| s.score);
        let margin = (top.score - second) / top.score;
        let strength = (top.score / STRONG_SCORE).min(1.0);
        let confidence = 0.6 * margin + 0.4 * strength;
        if top.score < MIN_SCORE {
            return triage(Action::OutOfScope, None, 1.0 - strength, Vec::new());
        }
        if top.target == self.human_target {
            return triage(Action::Human, None, confidence, alternatives(""));
        }
        if top.target == self.out_of_scope_target {
            return triage(Action::OutOfScope, None, confidence, Vec::new());
        }
        let id = self.targets[top.target].clone();
        let alts = alternatives(&id);
        let action = if confidence >= ANSWER_CONFIDENCE { Action::Answer } else { Action::Clarify };
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
