//! The six languages as triage reads them: which script a word is in, how a
//! word is stemmed in each language, and which language a message is in.
//!
//! Stems: snowball for Dutch, English, Turkish and Arabic (after the Arabic
//! normalisation of `text::fold`); Russian snowball for Ukrainian, whose folded
//! spelling (`text::fold`) is close to Russian; Polish has no snowball stemmer,
//! so its words are cut to a prefix, and character trigrams do the rest.

use std::collections::HashMap;

use engine::Lang;
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, WhitespaceTokenizer};

/// The writing system of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Cyrillic,
    /// Letters of a script no language of Wegwijs uses (Ge'ez, Hangul, ...).
    Other,
}

/// The script of a word: its first letter decides; digits alone count as Latin.
pub fn script_of(word: &str) -> Script {
    for c in word.chars() {
        match c {
            '0'..='9' => continue,
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => return Script::Latin,
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => {
                return Script::Arabic
            }
            '\u{0400}'..='\u{052F}' => return Script::Cyrillic,
            _ if c.is_alphabetic() => return Script::Other,
            _ => continue,
        }
    }
    Script::Latin
}

/// The languages a word in this script may belong to. Arabic residents also
/// write Arabic in Latin letters ("arabizi"), so Latin includes Arabic.
pub fn langs_of(script: Script) -> &'static [Lang] {
    match script {
        Script::Latin => &[Lang::Nl, Lang::En, Lang::Tr, Lang::Pl, Lang::Ar],
        Script::Arabic => &[Lang::Ar],
        Script::Cyrillic => &[Lang::Uk],
        Script::Other => &[],
    }
}

/// The languages to read a question's word in: the question's language and
/// Dutch (which residents mix into every language), or every language its
/// script allows when the question's language is not known or not this word's.
pub fn query_langs(word: &str, lang: Option<Lang>) -> Vec<Lang> {
    let in_script = langs_of(script_of(word));
    match lang {
        Some(Lang::Nl) => vec![Lang::Nl],
        Some(l) if in_script.contains(&l) => {
            if in_script.contains(&Lang::Nl) {
                vec![l, Lang::Nl]
            } else {
                vec![l]
            }
        }
        _ => in_script.to_vec(),
    }
}

/// Polish words are cut to this many letters: endings change with case and
/// number ("zasiłek", "zasiłku", "zasiłki").
const PREFIX_STEM: usize = 5;

/// One stemmer per language. Cheap to clone (one per search).
#[derive(Clone)]
pub struct Stemmers {
    nl: TextAnalyzer,
    en: TextAnalyzer,
    tr: TextAnalyzer,
    ar: TextAnalyzer,
    ru: TextAnalyzer,
}

impl Default for Stemmers {
    fn default() -> Self {
        let an = |l| TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(Stemmer::new(l)).build();
        Stemmers {
            nl: an(Language::Dutch),
            en: an(Language::English),
            tr: an(Language::Turkish),
            ar: an(Language::Arabic),
            ru: an(Language::Russian),
        }
    }
}

impl Stemmers {
    /// The stem of one folded word in one language.
    pub fn stem(&mut self, lang: Lang, word: &str) -> String {
        let an = match lang {
            Lang::Nl => &mut self.nl,
            Lang::En => &mut self.en,
            Lang::Tr => &mut self.tr,
            Lang::Ar => &mut self.ar,
            Lang::Uk => &mut self.ru,
            Lang::Pl => return word.chars().take(PREFIX_STEM).collect(),
        };
        let mut out = String::new();
        let mut ts = an.token_stream(word);
        while ts.advance() {
            out.push_str(&ts.token().text);
        }
        if out.is_empty() {
            word.to_string()
        } else {
            out
        }
    }
}

/// Which words each language's content uses, to tell the language of a message.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    /// Per word, the languages whose content has it (bit per `Lang::ALL` index).
    words: HashMap<String, u8>,
}

fn bit(lang: Lang) -> u8 {
    1 << Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

impl Detector {
    /// Learn from folded words of texts in a known language.
    pub fn learn<'a>(&mut self, lang: Lang, words: impl IntoIterator<Item = &'a str>) {
        for w in words {
            *self.words.entry(w.to_string()).or_default() |= bit(lang);
        }
    }

    /// The language of a message's folded words, or `None` when nothing tips
    /// the balance. A word counts for each language that uses it, split
    /// between them: "gemeente" in a Turkish message says little. Arabic or
    /// Cyrillic letters settle it for Arabic and Ukrainian. On a tie the hint
    /// wins when it is one of the best.
    pub fn detect(&self, words: &[String], hint: Option<Lang>) -> Option<Lang> {
        let mut score = [0f32; 6];
        for w in words {
            match script_of(w) {
                Script::Arabic => score[3] += 1.0,
                Script::Cyrillic => score[5] += 1.0,
                Script::Other => {}
                Script::Latin => {
                    if let Some(&mask) = self.words.get(w.as_str()) {
                        let n = mask.count_ones() as f32;
                        for (i, s) in score.iter_mut().enumerate() {
                            if mask & (1 << i) != 0 {
                                *s += 1.0 / n;
                            }
                        }
                    }
                }
            }
        }
        let best = score.iter().copied().fold(0f32, f32::max);
        if best <= 0.0 {
            return None;
        }
        let top: Vec<Lang> =
            Lang::ALL.iter().zip(score).filter(|(_, s)| (best - s).abs() < 1e-4).map(|(l, _)| *l).collect();
        match top.as_slice() {
            [one] => Some(*one),
            many => hint.filter(|h| many.contains(h)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::words;

    #[test]
    fn scripts() {
        assert_eq!(script_of("borç"), Script::Latin);
        assert_eq!(script_of("ديون"), Script::Arabic);
        assert_eq!(script_of("борги"), Script::Cyrillic);
        assert_eq!(script_of("3ayez"), Script::Latin);
        assert_eq!(script_of("ሰላም"), Script::Other);
    }

    #[test]
    fn stems_in_each_language() {
        let mut s = Stemmers::default();
        assert_eq!(s.stem(Lang::Pl, "zasilku"), s.stem(Lang::Pl, "zasilek"));
        assert_eq!(s.stem(Lang::Tr, "borçlarım"), s.stem(Lang::Tr, "borçlar"));
        let w = words("الديون");
        assert!(!s.stem(Lang::Ar, &w[0]).is_empty());
    }

    #[test]
    fn detects_by_vocabulary_and_script() {
        let mut d = Detector::default();
        d.learn(Lang::Nl, ["ik", "heb", "schulden", "gemeente"]);
        d.learn(Lang::Tr, ["borclarim", "var", "gemeente"]);
        d.learn(Lang::En, ["i", "have", "debts"]);
        assert_eq!(d.detect(&words("borclarim var"), None), Some(Lang::Tr));
        assert_eq!(d.detect(&words("ik heb schulden"), Some(Lang::Tr)), Some(Lang::Nl));
        assert_eq!(d.detect(&words("gemeente"), Some(Lang::Tr)), Some(Lang::Tr));
        assert_eq!(d.detect(&words("у мене борги"), None), Some(Lang::Uk));
        assert_eq!(d.detect(&words("عندي ديون"), None), Some(Lang::Ar));
        assert_eq!(d.detect(&words("waan ku faraxsanahay"), Some(Lang::Nl)), None);
    }
}
