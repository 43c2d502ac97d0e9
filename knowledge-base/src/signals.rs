//! Phrase signals: danger (crisis) and "I want a person".
//!
//! Crisis detection runs before any ranking and must never miss, so it is
//! deliberately generous: typos are tolerated, words may stand a little apart,
//! and a word may carry extra letters where the pattern says so ("zelfmoord*"
//! also matches "zelfmoordgedachten").
//!
//! Pattern syntax, one phrase per string: words in order; `a|b` is either word;
//! a trailing `*` matches any word that starts with it; up to `MAX_GAP` other
//! words may stand between two pattern words.

use crate::text::{edit_distance_within, typo_budget, words};

const MAX_GAP: usize = 3;

#[derive(Clone, Debug)]
struct Alt {
    word: String,
    prefix: bool,
}

#[derive(Clone, Debug)]
struct Phrase {
    tokens: Vec<Vec<Alt>>,
    source: String,
}

/// A compiled list of phrases.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    phrases: Vec<Phrase>,
}

impl PhraseSet {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a String>) -> PhraseSet {
        let phrases = patterns
            .into_iter()
            .filter_map(|p| {
                let tokens: Vec<Vec<Alt>> = p
                    .split_whitespace()
                    .map(|tok| {
                        tok.split('|')
                            .filter_map(|a| {
                                let prefix = a.ends_with('*');
                                let w = words(a.trim_end_matches('*')).join("");
                                (!w.is_empty()).then_some(Alt { word: w, prefix })
                            })
                            .collect::<Vec<_>>()
                    })
                    .filter(|alts| !alts.is_empty())
                    .collect();
                (!tokens.is_empty()).then(|| Phrase { tokens, source: p.clone() })
            })
            .collect();
        PhraseSet { phrases }
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The first phrase found in the (folded) words of a text.
    pub fn find(&self, text_words: &[String]) -> Option<&str> {
        self.phrases.iter().find(|p| matches_phrase(p, text_words)).map(|p| p.source.as_str())
    }
}

fn word_matches(alt: &Alt, w: &str) -> bool {
    if alt.prefix {
        if w.starts_with(&alt.word) {
            return true;
        }
        // A typo inside the stem part: compare the same number of letters.
        // Short stems take no typo: "strop" must not find "stroom", nor
        // "strangl" find "strange".
        let n = alt.word.chars().count();
        if n < 9 || w.chars().count() < n {
            return false;
        }
        let head = match w.char_indices().nth(n) {
            Some((i, _)) => &w[..i],
            None => w,
        };
        return edit_distance_within(&alt.word, head, 1) <= 1;
    }
    if alt.word == w {
        return true;
    }
    let budget = typo_budget(alt.word.len());
    budget > 0 && alt.word.len().abs_diff(w.len()) <= budget && edit_distance_within(&alt.word, w, budget) <= budget
}

fn matches_at(p: &Phrase, ws: &[String], start: usize) -> bool {
    let mut pos = start;
    for (i, alts) in p.tokens.iter().enumerate() {
        let reach = if i == 0 { 1 } else { 1 + MAX_GAP };
        let end = (pos + reach).min(ws.len());
        match (pos..end).find(|&j| alts.iter().any(|a| word_matches(a, &ws[j]))) {
            Some(j) => pos = j + 1,
            None => return false,
        }
    }
    true
}

fn matches_phrase(p: &Phrase, ws: &[String]) -> bool {
    (0..ws.len()).any(|s| matches_at(p, ws, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(p: &[&str]) -> PhraseSet {
        let v: Vec<String> = p.iter().map(|s| s.to_string()).collect();
        PhraseSet::new(&v)
    }

    #[test]
    fn finds_phrases_with_gaps_typos_and_prefixes() {
        let s = set(&["eind aan maken", "zelfmoord*", "wil|wou dood"]);
        assert!(s.find(&words("ik wil er een eind aan kan maken")).is_some());
        assert!(s.find(&words("ik heb zelfmoordgedachten")).is_some());
        assert!(s.find(&words("ik heb zelfmorodgedachten")).is_some());
        assert!(s.find(&words("ik wou gewoon dood")).is_some());
        assert!(s.find(&words("ik maak het eind aan")).is_none());
        assert!(s.find(&words("de dood van mijn wil")).is_none());
    }
}
