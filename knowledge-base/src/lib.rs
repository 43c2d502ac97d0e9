//! Wegwijs's knowledge base: content files, their checks, the tantivy index and triage.

pub mod check;
pub mod classifier;
pub mod content;
pub mod eval;
pub mod export;
pub mod index;
pub mod langs;
pub mod signals;
pub mod text;
pub mod triage;

use std::path::Path;
use std::time::Instant;

use engine::model::{Municipality, Navigation, Service};
use engine::{KnowledgeSource, Lang, Triage};

pub use content::{Content, Problem};
use index::{DocKind, IndexDoc, SearchIndex};
use signals::PhraseSet;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the content has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Content(Vec<Problem>),
    #[error("index error: {0}")]
    Index(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Targets past the real services, for questions that are not about a service.
pub const HUMAN_TARGET: &str = "@human";
pub const OUT_OF_SCOPE_TARGET: &str = "@out-of-scope";

/// The loaded content with its index, ready to answer.
pub struct KnowledgeBase {
    pub services: Vec<Service>,
    pub navigation: Navigation,
    pub municipalities: Vec<Municipality>,
    /// Service ids, then `@human`, then `@out-of-scope`.
    targets: Vec<String>,
    human_target: usize,
    out_of_scope_target: usize,
    index: SearchIndex,
    crisis: PhraseSet,
    human: PhraseSet,
    classifier: classifier::Classifier,
    detector: langs::Detector,
    /// Indexed documents per target.
    doc_counts: Vec<usize>,
    pub tuning: triage::Tuning,
    /// How long building the index took.
    pub build_time: std::time::Duration,
}

impl KnowledgeBase {
    /// Load a content folder and build the index. Fails on content that does
    /// not parse; call `check::check` for the editorial rules.
    pub fn load(dir: &Path) -> Result<KnowledgeBase> {
        KnowledgeBase::from_content(Content::load(dir)?)
    }

    pub fn from_content(content: Content) -> Result<KnowledgeBase> {
        let start = Instant::now();
        let services: Vec<Service> = content.services.into_iter().map(|s| s.service).collect();
        let mut targets: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
        let human_target = targets.len();
        targets.push(HUMAN_TARGET.into());
        let out_of_scope_target = targets.len();
        targets.push(OUT_OF_SCOPE_TARGET.into());
        let mut profiles: Vec<(Lang, usize, String)> = Vec::new();
        let mut docs: Vec<(Lang, IndexDoc<'_>)> = Vec::new();
        for (i, s) in services.iter().enumerate() {
            for lang in Lang::ALL.into_iter().filter(|l| s.has_text(*l)) {
                let t = s.text(lang);
                docs.push((lang, IndexDoc { target: i, kind: DocKind::Name, text: &t.name }));
                docs.extend(t.keywords.iter().map(|k| (lang, IndexDoc { target: i, kind: DocKind::Keyword, text: k })));
                docs.extend(t.examples.iter().map(|e| (lang, IndexDoc { target: i, kind: DocKind::Example, text: e })));
                docs.extend(t.when.iter().map(|w| (lang, IndexDoc { target: i, kind: DocKind::When, text: w })));
                profiles.push((lang, i, profile_text(t)));
            }
        }
        for (target, sp) in [(human_target, &content.human), (out_of_scope_target, &content.out_of_scope)] {
            for (lang, ex) in sp.by_lang() {
                docs.extend(ex.iter().map(|e| (lang, IndexDoc { target, kind: DocKind::Example, text: e })));
            }
        }
        docs.extend(profiles.iter().map(|(lang, i, text)| (*lang, IndexDoc { target: *i, kind: DocKind::Profile, text })));
        // Each document's words, split once: the detector learns all of them
        // (stop words tell languages apart best), the classifier the content
        // words. Profiles repeat a service's other documents, so neither needs them.
        let mut detector = langs::Detector::default();
        let tokenized: Vec<(usize, Lang, Vec<String>)> = docs
            .iter()
            .filter(|(_, d)| d.kind != DocKind::Profile)
            .map(|(l, d)| {
                let ws = text::words(d.text);
                detector.learn(*l, ws.iter().map(String::as_str));
                (d.target, *l, ws.into_iter().filter(|w| !text::is_stop_word(w)).collect())
            })
            .collect();
        let mut doc_counts = vec![0usize; targets.len()];
        for (t, _, _) in &tokenized {
            doc_counts[*t] += 1;
        }
        let classifier =
            classifier::Classifier::train(targets.len(), tokenized.iter().map(|(t, l, w)| (*t, *l, w.as_slice())));
        for (lang, p) in content.signals.crisis.by_lang().chain(content.signals.human.by_lang()) {
            let ws: Vec<String> = p.iter().flat_map(|p| text::words(&p.replace(['|', '*'], " "))).collect();
            detector.learn(lang, ws.iter().map(String::as_str));
        }
        let index = SearchIndex::build(docs, &content.synonyms.groups)?;
        Ok(KnowledgeBase {
            services,
            navigation: content.navigation,
            municipalities: content.municipalities,
            targets,
            human_target,
            out_of_scope_target,
            index,
            crisis: PhraseSet::new(content.signals.crisis.all()),
            human: PhraseSet::new(content.signals.human.all()),
            classifier,
            detector,
            doc_counts,
            tuning: triage::Tuning::default(),
            build_time: start.elapsed(),
        })
    }

    /// The crisis phrase a question matches, if any: for editors, to see why.
    pub fn crisis_phrase(&self, question: &str) -> Option<&str> {
        self.crisis.find(&text::words(question))
    }

    /// The "talk to a person" phrase a question matches, if any.
    pub fn human_phrase(&self, question: &str) -> Option<&str> {
        self.human.find(&text::words(question))
    }

    pub fn num_indexed_docs(&self) -> u64 {
        self.index.num_docs()
    }
}

/// Everything a service says in one language, as one text.
fn profile_text(t: &engine::model::ServiceText) -> String {
    let mut s = t.name.clone();
    for part in t.keywords.iter().chain(&t.examples).chain(&t.when) {
        s.push(' ');
        s.push_str(part);
    }
    s
}

impl KnowledgeSource for KnowledgeBase {
    fn triage(&self, question: &str, lang: Option<Lang>) -> Triage {
        self.triage_question(question, lang)
    }

    fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    fn services(&self) -> &[Service] {
        &self.services
    }

    fn navigation(&self) -> &Navigation {
        &self.navigation
    }

    fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }
}
