//! Phrase signals: danger (crisis) and "I want a person".
//!
//! Crisis detection runs before any ranking and must never miss, so it is
//! deliberately generous: typos are tolerated, words may stand a little apart,
//! and a word may carry extra letters where the pattern says so ("zelfmoord*"
//! also matches "zelfmoordgedachten").
//!
//! Pattern syntax, one phrase per string: words in order; `a|b` is either word;
//! a trailing `*` matches any word that starts with it, a leading `*` any word
//! that ends with it (both: any word that contains it); up to `MAX_GAP` other
//! words may stand between two pattern words. An Arabic word also matches
//! without the particles written onto its front (و، ف، ب، ل، ال).

use std::collections::HashMap;

use crate::text::{edit_distance_within, typo_budget, words};

const MAX_GAP: usize = 3;

#[derive(Clone, Debug)]
struct Alt {
    word: String,
    /// More letters may follow (`word*`).
    prefix: bool,
    /// More letters may come before (`*word`).
    suffix: bool,
    /// Letters, not bytes: the typo budget goes by what a reader counts.
    len: usize,
    /// Which letters and digits the word uses (see `letter_mask`).
    mask: u64,
}

/// One bit per letter a-z and digit 0-9 a word contains, and for other
/// letters (Arabic, Cyrillic) one of 28 bits by the letter's code. Every bit of
/// a pattern that is missing from a word stands for a letter missing from it,
/// which costs at least one edit, so comparing masks rules out most words
/// before the edit distance is computed.
fn letter_mask(w: &str) -> u64 {
    w.chars().fold(0, |m, c| match c {
        'a'..='z' => m | 1 << (c as u32 - 'a' as u32),
        '0'..='9' => m | 1 << (26 + c as u32 - '0' as u32),
        other => m | 1 << (36 + other as u32 % 28),
    })
}

/// Particles Arabic writes onto the front of a word ("and", "so", "with",
/// "for", "the"), longest first.
const ARABIC_PROCLITICS: [&str; 10] = ["وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل"];

/// A word and, for Arabic, the word without its front particles. An iterator,
/// not a list: this runs for every distinct word of every message.
fn forms(w: &str) -> impl Iterator<Item = &str> {
    let arabic = crate::langs::script_of(w) == crate::langs::Script::Arabic;
    let bare = ARABIC_PROCLITICS
        .iter()
        .filter(move |_| arabic)
        .filter_map(move |p| w.strip_prefix(p))
        .filter(|rest| rest.chars().count() >= 3);
    std::iter::once(w).chain(bare)
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
        let mut ids: HashMap<(String, bool, bool), usize> = HashMap::new();
        for p in patterns {
            let mut tokens = Vec::new();
            for tok in p.split_whitespace() {
                let mut alts = Vec::new();
                for a in tok.split('|') {
                    let prefix = a.ends_with('*');
                    let suffix = a.starts_with('*');
                    let w = words(a.trim_matches('*')).join("");
                    if w.is_empty() {
                        continue;
                    }
                    let id = *ids.entry((w.clone(), prefix, suffix)).or_insert_with(|| {
                        let id = set.alts.len();
                        let len = w.chars().count();
                        let loose = prefix || suffix || typo_budget(len) > 0;
                        if loose {
                            set.loose.push(id);
                        } else {
                            set.exact.entry(w.clone()).or_default().push(id);
                        }
                        set.alts.push(Alt { mask: letter_mask(&w), word: w, prefix, suffix, len });
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
                    for f in forms(w) {
                        for &id in self.exact.get(f).into_iter().flatten() {
                            row[id / 64] |= 1 << (id % 64);
                        }
                        let wmask = letter_mask(f);
                        for &id in &self.loose {
                            if word_matches(&self.alts[id], f, wmask) {
                                row[id / 64] |= 1 << (id % 64);
                            }
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
    if alt.suffix {
        // No typos here: an infix is short and would match too much.
        return if alt.prefix { w.contains(&alt.word) } else { w.ends_with(&alt.word) };
    }
    if alt.prefix {
        if w.starts_with(&alt.word) {
            return true;
        }
        // A typo inside the stem part: compare the same number of letters.
        // Short stems take no typo: "strop" must not find "stroom", nor
        // "strangl" find "strange".
        let n = alt.len;
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
    let budget = typo_budget(alt.len);
    budget > 0
        && alt.len.abs_diff(w.chars().count()) <= budget
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

    #[test]
    fn counts_letters_not_bytes_and_strips_arabic_particles() {
        // "жити" has 4 letters (8 bytes): no typo allowed, so "жито" (rye) stays out.
        let s = set(&["не хочу жити"]);
        assert!(s.find(&words("я не хочу жити")).is_some());
        assert!(s.find(&words("не хочу жито")).is_none());
        // Russian spelling of the same phrase, folded close to Ukrainian.
        let s = set(&["не хочу жити|жить"]);
        assert!(s.find(&words("Не хочу жить больше")).is_some());
        let s = set(&["انتحار"]);
        assert!(s.find(&words("أفكر بالانتحار")).is_some());
        assert!(s.find(&words("أُفَكِّرُ فِي الاِنْتِحَارِ")).is_some(), "harakat on every letter");
        let s = set(&["*intihar*"]);
        assert!(s.find(&words("intiharetmek istiyorum")).is_some());
    }
}
