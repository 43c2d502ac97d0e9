//! What triage decides about a question, and the port the engine asks it through.

use serde::{Deserialize, Serialize};

use crate::model::{Lang, Municipality, Navigation, Service};

/// What to do with a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Confident about one service.
    Answer,
    /// Ambiguous: offer the top choices.
    Clarify,
    /// The resident asks for a person.
    Human,
    /// Danger to life: crisis numbers at once.
    Crisis,
    /// Not something any service helps with.
    OutOfScope,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Answer => "answer",
            Action::Clarify => "clarify",
            Action::Human => "human",
            Action::Crisis => "crisis",
            Action::OutOfScope => "out_of_scope",
        }
    }
}

/// The outcome of triage, in the shape the CLI and the API print.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Triage {
    pub action: Action,
    /// The top service for answer and clarify, `"crisis"` for crisis, none otherwise.
    pub service: Option<String>,
    /// How sure triage is of `action` (and `service`), in [0, 1].
    pub confidence: f32,
    /// Other services worth offering, best first.
    pub alternatives: Vec<String>,
    /// The language the question was read as.
    pub lang: Lang,
}

impl Triage {
    /// The object `wegwijs triage --format jsonl` and `POST /api/v1/triage`
    /// print, field for field.
    pub fn to_json(&self, question: &str) -> serde_json::Value {
        serde_json::json!({
            "question": question,
            "action": self.action.as_str(),
            "service": self.service,
            "confidence": (self.confidence as f64 * 1000.0).round() / 1000.0,
            "alternatives": self.alternatives,
            "lang": self.lang.code(),
        })
    }
}

/// The knowledge the engine needs: triage plus the content behind it.
///
/// Implemented by the `knowledge-base` crate over tantivy; the engine only sees
/// this trait.
pub trait KnowledgeSource: Send + Sync {
    /// Triage a question. `lang` is a hint; `None` lets triage detect it.
    fn triage(&self, question: &str, lang: Option<Lang>) -> Triage;
    fn service(&self, id: &str) -> Option<&Service>;
    fn services(&self) -> &[Service];
    fn navigation(&self) -> &Navigation;
    fn municipalities(&self) -> &[Municipality];
}
