//! A conversation and its messages, as the engine keeps them.

use serde::{Deserialize, Serialize};

use crate::reply::Reply;
use crate::UiLang;

/// Why a conversation waits for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Crisis,
    AskedForPerson,
    NotUnderstood,
    AnswerDidNotHelp,
}

impl Reason {
    /// Lower is more urgent: crisis first, then by waiting time.
    pub fn priority(self) -> u8 {
        match self {
            Reason::Crisis => 0,
            _ => 1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Crisis => "crisis",
            Reason::AskedForPerson => "asked_for_person",
            Reason::NotUnderstood => "not_understood",
            Reason::AnswerDidNotHelp => "answer_did_not_help",
        }
    }
}

/// Who holds the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Mode {
    /// The bot answers.
    Bot,
    /// In the queue for a person.
    Waiting { since: i64, reason: Reason, timeout_told: bool },
    /// A supporter holds it; the bot stays silent.
    WithSupporter { supporter: String, since: i64, reason: Reason },
    /// Closed by a supporter or the resident.
    Closed { outcome: String },
}

/// What the bot asked last, so the next input is read in that light.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pending {
    #[default]
    Nothing,
    /// "Did this help?" about a service.
    Feedback { service: String },
    /// Choices were offered after an unsure triage.
    Choose { services: Vec<String> },
    /// "Delete everything?" was asked.
    ConfirmDelete,
    /// Out of hours or no one came: may we keep a question and contact?
    ConsentContact,
    /// Consent given: the next text is the question and contact.
    LeaveContact,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: String,
    /// SHA-256 of the resident's bearer token; the token itself is never stored.
    pub token_hash: String,
    /// "web", "telegram", "cli": for figures only.
    pub channel: String,
    pub lang: UiLang,
    /// True once the resident chose a language (then detection stops).
    pub lang_chosen: bool,
    pub municipality: Option<String>,
    pub created: i64,
    pub updated: i64,
    pub mode: Mode,
    pub pending: Pending,
    /// Pictogram menu path, home first.
    pub nav: Vec<String>,
    /// Services triage considered last, best first.
    pub last_services: Vec<String>,
    /// The topic (service id) the conversation is about, for the queue and figures.
    pub topic: Option<String>,
    pub not_understood: u8,
    pub next_seq: u64,
}

impl Conversation {
    /// A new conversation with the bot, nothing said yet. `lang` is the
    /// resident's choice, if they made one.
    pub fn new(id: String, token_hash: String, channel: &str, lang: Option<UiLang>, municipality: Option<String>, now: i64) -> Conversation {
        Conversation {
            id,
            token_hash,
            channel: channel.to_string(),
            lang: lang.unwrap_or(UiLang::Nl),
            lang_chosen: lang.is_some(),
            municipality,
            created: now,
            updated: now,
            mode: Mode::Bot,
            pending: Pending::Nothing,
            nav: Vec::new(),
            last_services: Vec::new(),
            topic: None,
            not_understood: 0,
            next_seq: 0,
        }
    }
}

/// Who said something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Sender {
    Resident,
    Bot,
    Supporter { name: String },
    System,
}

/// What the resident sent, kept as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum InputRecord {
    Text(String),
    Tap(String),
    Button(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub seq: u64,
    pub at: i64,
    pub from: Sender,
    /// Free text (resident or supporter). `None` once purged by retention.
    pub text: Option<String>,
    /// A tap or button, when that is what the resident sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<InputRecord>,
    /// The bot's replies (message keys and data, not rendered text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<Reply>,
    #[serde(default)]
    pub purged: bool,
}
