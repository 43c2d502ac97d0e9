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

use std::collections::HashMap;

use crate::text::{edit_distance_within, typo_budget, words};

const MAX_GAP: usize = 3;

#[derive(Clone, Debug)]
struct Alt {
    word: String,
    prefix: bool,
    /// Which letters and digits the word uses (see `letter_mask`).
    mask: u64,
}

/// One bit per letter a-z and digit 0-9 a word contains. Every letter of a
/// pattern that is missing from a word costs at least one edit, so comparing
/// masks rules out most words before the edit distance is computed.
fn letter_mask(w: &str) -> u64 {
    w.bytes().fold(0, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + b - b'0'),
        _ => m | 1 << 63,
    })
}

#[derive(Clone, Debug)]
struct Phrase {
    /// Per pattern word, the ids of its alternatives in `PhraseSet::alts`.
    tokens: Vec<Vec<usize>>,
    source: String,
}

/// A compiled list of phrases.
///
/// Matching first works out, once per distinct word of the text, which
/// alternatives it matches (exact ones through a hash map, typo-tolerant and
/// prefix ones by comparison); phrases are then checked against those bits.
/// A long message with repeated words costs little more than a short one.
#[derive(Clone, Debug, Default)]
pub struct PhraseSet {
    alts: Vec<Alt>,
    /// Alternatives that only match exactly, by word.
    exact: HashMap<String, Vec<usize>>,
    /// Alternatives that may match with typos or as a prefix.
    loose: Vec<usize>,
    phrases: Vec<Phrase>,
}

impl PhraseSet {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a String>) -> PhraseSet {
        let mut set = PhraseSet::default();
        let mut ids: HashMap<(String, bool), usize> = HashMap::new();
        for p in patterns {
            let mut tokens = Vec::new();
            for tok in p.split_whitespace() {
                let mut alts = Vec::new();
                for a in tok.split('|') {
                    let prefix = a.ends_with('*');
                    let w = words(a.trim_end_matches('*')).join("");
                    if w.is_empty() {
                        continue;
                    }
                    let id = *ids.entry((w.clone(), prefix)).or_insert_with(|| {
                        let id = set.alts.len();
                        let loose = prefix || typo_budget(w.len()) > 0;
                        if loose {
                            set.loose.push(id);
                        } else {
                            set.exact.entry(w.clone()).or_default().push(id);
                        }
                        set.alts.push(Alt { mask: letter_mask(&w), word: w, prefix });
                        id
                    });
                    alts.push(id);
                }
                if !alts.is_empty() {
                    tokens.push(alts);
                }
            }
            if !tokens.is_empty() {
                set.phrases.push(Phrase { tokens, source: p.clone() });
            }
        }
        set
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The first phrase found in the (folded) words of a text.
    pub fn find(&self, text_words: &[String]) -> Option<&str> {
        if text_words.is_empty() || self.phrases.is_empty() {
            return None;
        }
        let blocks = self.alts.len().div_ceil(64);
        let mut distinct: HashMap<&str, usize> = HashMap::new();
        let mut bits: Vec<u64> = Vec::new();
        let positions: Vec<usize> = text_words
            .iter()
            .map(|w| {
                let next = distinct.len();
                *distinct.entry(w.as_str()).or_insert_with(|| {
                    bits.resize((next + 1) * blocks, 0);
                    let row = &mut bits[next * blocks..];
                    for &id in self.exact.get(w.as_str()).into_iter().flatten() {
                        row[id / 64] |= 1 << (id % 64);
                    }
                    let wmask = letter_mask(w);
                    for &id in &self.loose {
                        if word_matches(&self.alts[id], w, wmask) {
                            row[id / 64] |= 1 << (id % 64);
                        }
                    }
                    next
                })
            })
            .collect();
        let has = |row: &[u64], id: usize| row[id / 64] & (1 << (id % 64)) != 0;
        let hit = |pos: usize, alts: &[usize]| {
            let row = &bits[positions[pos] * blocks..];
            alts.iter().any(|&id| has(row, id))
        };
        // The alternatives found anywhere in the text: a phrase with a word
        // that none of them matches cannot be there, wherever it starts.
        let mut anywhere = vec![0u64; blocks];
        for row in bits.chunks(blocks) {
            anywhere.iter_mut().zip(row).for_each(|(a, r)| *a |= r);
        }
        self.phrases
            .iter()
            .filter(|p| p.tokens.iter().all(|alts| alts.iter().any(|&id| has(&anywhere, id))))
            .find(|p| (0..positions.len()).any(|start| matches_at(p, positions.len(), start, &hit)))
            .map(|p| p.source.as_str())
    }
}

fn word_matches(alt: &Alt, w: &str, wmask: u64) -> bool {
    if alt.prefix {
        if w.starts_with(&alt.word) {
            return true;
        }
        // A typo inside the stem part: compare the same number of letters.
        // Short stems take no typo: "strop" must not find "stroom", nor
        // "strangl" find "strange".
        let n = alt.word.chars().count();
        if n < 9 || w.chars().count() < n || (alt.mask & !wmask).count_ones() > 1 {
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
    budget > 0
        && alt.word.len().abs_diff(w.len()) <= budget
        && (alt.mask & !wmask).count_ones() as usize <= budget
        && edit_distance_within(&alt.word, w, budget) <= budget
}

fn matches_at(p: &Phrase, len: usize, start: usize, hit: &dyn Fn(usize, &[usize]) -> bool) -> bool {
    let mut pos = start;
    for (i, alts) in p.tokens.iter().enumerate() {
        let reach = if i == 0 { 1 } else { 1 + MAX_GAP };
        let end = (pos + reach).min(len);
        match (pos..end).find(|&j| hit(j, alts)) {
            Some(j) => pos = j + 1,
            None => return false,
        }
    }
    true
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
