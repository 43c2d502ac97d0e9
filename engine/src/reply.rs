//! What the engine answers: data, not markup. Adapters localize the message
//! keys (fluent) and render the rest (HTML, inline keyboards).

use serde::{Deserialize, Serialize};

use crate::model::LocalContact;

/// A label: a fluent message key, or text from the content (already in the
/// resident's language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Label {
    Key(String),
    Text(String),
}

/// A tile or button the resident can choose. `id` is what comes back as a tap
/// or button input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: Label,
    pub pictogram: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyKind {
    /// Plain text.
    Text,
    /// A pictogram menu.
    Menu,
    /// A service: summary, next steps, contact.
    ServiceCard,
    /// Crisis numbers, shown before anything else.
    Crisis,
    /// "Did this help?"
    Feedback,
    /// Where the conversation stands with a person.
    Handover,
    /// A supporter wrote this.
    Supporter,
}

/// A service as the resident sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub id: String,
    pub name: String,
    /// The Dutch name, when `name` is in another language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_nl: Option<String>,
    pub summary: String,
    pub when: Vec<String>,
    pub steps: Vec<String>,
    pub bring: Vec<String>,
    pub contact: LocalContact,
    pub open_now: bool,
    pub pictograms: Vec<String>,
}

/// The handover state a resident sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HandoverStatus {
    Queued { position: usize, expected_minutes: u32 },
    /// In the queue with crisis priority while no supporter is there: no
    /// waiting time is promised.
    Unstaffed { position: usize },
    Joined { supporter: String },
    Left,
    Closed,
    OutOfHours,
    NobodyAvailable,
}

/// One reply of the bot (or a supporter) to show the resident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub kind: ReplyKind,
    /// Fluent message key of the main text.
    pub key: String,
    /// Fluent arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
    /// Literal text (a supporter's message), shown instead of `key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<ServiceCard>,
    /// Pictogram tiles (menus, clarify choices).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Small buttons (yes/no, person, back, home).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverStatus>,
    /// Main pictogram of this reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pictogram: Option<String>,
}

impl Reply {
    pub fn new(kind: ReplyKind, key: &str) -> Reply {
        Reply {
            kind,
            key: key.to_string(),
            args: Vec::new(),
            text: None,
            service: None,
            card: None,
            choices: Vec::new(),
            buttons: Vec::new(),
            handover: None,
            pictogram: None,
        }
    }

    pub fn text(key: &str) -> Reply {
        Reply::new(ReplyKind::Text, key)
    }

    pub fn arg(mut self, name: &str, value: impl ToString) -> Reply {
        self.args.push((name.to_string(), value.to_string()));
        self
    }

    pub fn pictogram(mut self, concept: &str) -> Reply {
        self.pictogram = Some(concept.to_string());
        self
    }
}
