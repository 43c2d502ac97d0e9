//! The tantivy index over the content, and the scored search triage runs on.
//!
//! Every example question, keyword, name and "when" line is one small document,
//! tagged with the service it belongs to, in a field of its own language (stems
//! of that language, see `langs`). A question's words are stemmed in every
//! language their script allows and matched against all of them, with
//! synonyms and character trigrams for typos and endings; the best documents
//! then vote for their services (see `triage`).

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use engine::Lang;
use tantivy::{doc, Index, IndexReader, Searcher, TantivyDocument, Term};

use crate::langs::{langs_of, query_langs, script_of, Script, Stemmers};
use crate::text::{is_stop_word, words};
use crate::{Error, Result};

/// What a document is; some kinds speak louder than others when voting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Example = 0,
    Keyword = 1,
    Name = 2,
    When = 3,
    /// All texts of a service in one language, as one document.
    Profile = 4,
}

/// The knobs of retrieval (see `triage::Tuning` for how they are set).
#[derive(Clone, Debug)]
pub struct SearchTuning {
    /// Vote weight per `DocKind`, by its number.
    pub kind_weight: [f32; 5],
    /// Total weight of one word's trigrams, against 1.0 for its exact stem.
    pub gram_weight: f32,
    /// Weight of a synonym against the word itself.
    pub synonym_weight: f32,
    /// Weight of a near spelling of an unknown word.
    pub fuzzy_weight: f32,
    /// Trigrams for every word, not only unknown ones (slower, more typo-tolerant).
    pub grams_for_known: bool,
    /// Trigrams for every word of a question in a language without a stemmer
    /// (Polish), where a known word says less.
    pub grams_for_inflected: bool,
    /// Weight of a document in another language than the question's (Dutch
    /// documents excepted: residents mix Dutch into every language). Examples
    /// in Turkish carry Dutch words too; a Dutch question should hear the
    /// Dutch examples first.
    pub other_lang_weight: f32,
}

impl Default for SearchTuning {
    fn default() -> Self {
        SearchTuning { kind_weight: [1.0, 1.2, 0.9, 1.0, 1.0], gram_weight: 0.4, synonym_weight: 0.6, fuzzy_weight: 0.7, grams_for_known: false, grams_for_inflected: true, other_lang_weight: 0.5 }
    }
}

/// A document to index: text in one language for one target (a service or a
/// special target such as "@human").
pub struct IndexDoc<'a> {
    pub target: usize,
    pub kind: DocKind,
    pub text: &'a str,
}

struct Fields {
    /// Stems of every language in one field, each written `<lang>:<stem>`.
    /// One field, not one per language: BM25 normalises by the average length
    /// of a field over all documents, and a field that most documents lack
    /// would make every document that has it look long.
    text: Field,
    grams: Field,
    target: Field,
    kind: Field,
    lang: Field,
}

/// One scored document from a search.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    pub target: usize,
    pub score: f32,
}

/// The searchable index, built once and shared by all questions.
pub struct SearchIndex {
    fields: Fields,
    reader: IndexReader,
    stemmers: Stemmers,
    /// Per segment: the target of each document, read once so a search does no
    /// column decoding on the hot path.
    targets: Vec<Vec<u32>>,
    kinds: Vec<Vec<u8>>,
    /// Per segment: the language of each document, by `Lang::ALL` index.
    langs: Vec<Vec<u8>>,
    synonyms: HashMap<String, Vec<String>>,
}

/// Words of a text as they are indexed: folded, without stop words.
pub fn index_words(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| !is_stop_word(w)).collect()
}

/// Character trigrams of a word with boundary marks, for typo tolerance:
/// "schuld" gives "^sc", "sch", "chu", "hul", "uld", "ld$".
pub fn trigrams(word: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = std::iter::once('^').chain(word.chars()).chain(std::iter::once('$')).collect();
    for w in chars.windows(3) {
        out.push(w.iter().collect());
    }
}

const MIN_GRAM_WORD: usize = 5;

fn grams_of(words: &[String]) -> String {
    let mut g = Vec::new();
    for w in words.iter().filter(|w| w.chars().count() >= MIN_GRAM_WORD) {
        trigrams(w, &mut g);
    }
    g.join(" ")
}

fn lang_index(lang: Lang) -> usize {
    Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)
}

/// A stem as the index holds it: in its language.
fn lang_term(lang: Lang, stem: &str) -> String {
    format!("{}:{stem}", lang.code())
}

/// Languages whose words are cut to a prefix rather than stemmed, so that
/// trigrams of every word pay for themselves (cross-validation: Polish +1.2
/// points; Turkish, Arabic and Ukrainian, with snowball stems, gained nothing
/// and paid a third more search time).
fn inflected(lang: Lang) -> bool {
    matches!(lang, Lang::Pl)
}

impl SearchIndex {
    /// Build an in-memory index. `synonym_groups` are sets of words that mean the same.
    pub fn build<'a>(
        docs: impl IntoIterator<Item = (Lang, IndexDoc<'a>)>,
        synonym_groups: &[Vec<String>],
    ) -> Result<SearchIndex> {
        let mut stemmers = Stemmers::default();
        let mut sb = Schema::builder();
        let text_opts = |tok: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tok)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        // Words are folded and stemmed here, per document language, so every
        // field splits on whitespace only.
        let fields = Fields {
            text: sb.add_text_field("text", text_opts("whitespace")),
            grams: sb.add_text_field("grams", text_opts("whitespace")),
            target: sb.add_u64_field("target", NumericOptions::default().set_fast()),
            kind: sb.add_u64_field("kind", NumericOptions::default().set_fast()),
            lang: sb.add_u64_field("lang", NumericOptions::default().set_fast()),
        };
        let index = Index::create_in_ram(sb.build());
        // One thread and one segment: the corpus is small, and one segment keeps
        // BM25 statistics identical from build to build.
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 30_000_000)?;
        for (lang, d) in docs {
            let ws = index_words(d.text);
            if ws.is_empty() {
                continue;
            }
            let stems: Vec<String> = ws.iter().map(|w| lang_term(lang, &stemmers.stem(lang, w))).collect();
            let grams = grams_of(&ws);
            let (target, kind) = (d.target as u64, d.kind as u64);
            let f = &fields;
            let li = lang_index(lang);
            let document =
                doc!(f.text => stems.join(" "), f.grams => grams, f.target => target, f.kind => kind, f.lang => li as u64);
            writer.add_document(document)?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut targets = Vec::new();
        let mut kinds = Vec::new();
        let mut langs = Vec::new();
        for seg in searcher.segment_readers() {
            let t = seg.fast_fields().u64("target")?;
            let k = seg.fast_fields().u64("kind")?;
            let l = seg.fast_fields().u64("lang")?;
            let n = seg.max_doc();
            targets.push((0..n).map(|d| t.first(d).unwrap_or(0) as u32).collect());
            kinds.push((0..n).map(|d| k.first(d).unwrap_or(0) as u8).collect());
            langs.push((0..n).map(|d| l.first(d).unwrap_or(0) as u8).collect());
        }
        let mut synonyms: HashMap<String, Vec<String>> = HashMap::new();
        for group in synonym_groups {
            let folded: Vec<String> = group.iter().map(|w| words(w).join(" ")).filter(|w| !w.is_empty()).collect();
            for w in &folded {
                let others = folded.iter().filter(|o| *o != w).cloned();
                synonyms.entry(w.clone()).or_default().extend(others);
            }
        }
        Ok(SearchIndex {
            fields,
            reader,
            stemmers,
            targets,
            kinds,
            langs,
            synonyms,
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Search with a question's content words (already folded, stop words
    /// removed). `lang` is the language the question was read as: near
    /// spellings of unknown words are looked for in it (and in Dutch, which
    /// residents mix in). Returns up to `limit` hits with their kind weight
    /// applied, and the number of question words the index knows as they are.
    pub fn search(&self, qwords: &[String], lang: Option<Lang>, limit: usize, tu: &SearchTuning) -> Result<(Vec<Hit>, usize)> {
        let searcher = self.reader.searcher();
        let (query, known) = self.query(&searcher, qwords, lang, tu)?;
        let Some(query) = query else { return Ok((Vec::new(), known)) };
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let own = lang.map(lang_index);
        let nl = lang_index(Lang::Nl);
        let mut hits: Vec<Hit> = top
            .into_iter()
            .map(|(score, addr)| {
                let seg = addr.segment_ord as usize;
                let doc = addr.doc_id as usize;
                let target = self.targets[seg][doc] as usize;
                let w = tu.kind_weight.get(usize::from(self.kinds[seg][doc])).copied().unwrap_or(1.0);
                let dl = usize::from(self.langs[seg][doc]);
                let lw = match own {
                    Some(o) if dl != o && dl != nl => tu.other_lang_weight,
                    _ => 1.0,
                };
                Hit { target, score: score * w * lw }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        Ok((hits, known))
    }

    /// The query, and how many of the question's words the index knows as
    /// they are (not only by a near spelling or trigrams).
    fn query(&self, searcher: &Searcher, qwords: &[String], lang: Option<Lang>, tu: &SearchTuning) -> Result<(Option<Box<dyn Query>>, usize)> {
        let mut stemmers = self.stemmers.clone();
        let fuzzy_langs: Vec<Lang> = match lang {
            Some(Lang::Nl) | None => vec![Lang::Nl],
            Some(l) => vec![l, Lang::Nl],
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut unknown: Vec<String> = Vec::new();
        // Returns whether any part of the word is in the index as it is.
        let mut add_word = |word: &str, boost: f32, clauses: &mut Vec<(Occur, Box<dyn Query>)>, fuzzy: bool| -> Result<bool> {
            let mut any_known = false;
            // Multi-word synonyms index as separate words.
            for part in word.split(' ') {
                if !seen.insert((part.to_string(), boost.to_bits())) {
                    continue;
                }
                let mut known = false;
                let script = script_of(part);
                for l in query_langs(part, lang) {
                    let term = Term::from_field_text(self.fields.text, &lang_term(l, &stemmers.stem(l, part)));
                    if searcher.doc_freq(&term)? > 0 {
                        known = true;
                        any_known = true;
                        let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                    }
                }
                // A word the index has never seen is probably a typo: look for
                // near spellings among the stems of the question's language.
                let len = part.chars().count();
                if !known && fuzzy && len >= MIN_GRAM_WORD {
                    unknown.push(part.to_string());
                    if tu.fuzzy_weight <= 0.0 {
                        continue;
                    }
                    // Distance 2 automata cost milliseconds; trigrams cover longer typos.
                    let distance = 1;
                    let in_script = langs_of(script);
                    let targets: Vec<Lang> = match script {
                        Script::Latin => fuzzy_langs.iter().copied().filter(|l| in_script.contains(l)).collect(),
                        _ => in_script.to_vec(),
                    };
                    for l in targets {
                        let term = Term::from_field_text(self.fields.text, &lang_term(l, &stemmers.stem(l, part)));
                        let q = FuzzyTermQuery::new(term, distance, true);
                        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost * tu.fuzzy_weight))));
                    }
                }
            }
            Ok(any_known)
        };
        let mut known_words = 0;
        for w in qwords {
            known_words += usize::from(add_word(w, 1.0, &mut clauses, true)?);
            if let Some(syns) = self.synonyms.get(w) {
                for s in syns {
                    add_word(s, tu.synonym_weight, &mut clauses, false)?;
                }
            }
        }
        // Two-word synonyms ("rood staan").
        for pair in qwords.windows(2) {
            if let Some(syns) = self.synonyms.get(&format!("{} {}", pair[0], pair[1])) {
                for s in syns {
                    add_word(s, tu.synonym_weight, &mut clauses, false)?;
                }
            }
        }
        let mut grams = Vec::new();
        // Trigrams only for words the index does not know: known words match
        // exactly, and every trigram clause walks a long posting list.
        let all_grams = tu.grams_for_known || (tu.grams_for_inflected && lang.is_some_and(inflected));
        let gram_words: Vec<&String> = if all_grams {
            qwords.iter().filter(|w| w.chars().count() >= MIN_GRAM_WORD).collect()
        } else {
            unknown.iter().collect()
        };
        for w in gram_words {
            grams.clear();
            trigrams(w, &mut grams);
            if tu.gram_weight <= 0.0 {
                break;
            }
            let per_gram = tu.gram_weight / grams.len() as f32;
            for g in grams.iter() {
                let term = Term::from_field_text(self.fields.grams, g);
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), per_gram))));
            }
        }
        if clauses.is_empty() {
            return Ok((None, known_words));
        }
        Ok((Some(Box::new(BooleanQuery::new(clauses))), known_words))
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string())
    }
}
