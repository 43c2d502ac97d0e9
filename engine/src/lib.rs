//! Wegwijs's conversation engine: channel-free, it turns a resident's input into
//! replies, keeps the conversation through a storage port, and runs the queue
//! for human handover. It knows nothing of Telegram, HTTP, sled or tantivy.

pub mod conversation;
mod engine;
pub mod hours;
pub mod model;
pub mod msg;
pub mod reply;
pub mod store;
pub mod triage;

pub use conversation::{Conversation, Message, Mode, Reason, Sender};
pub use engine::{Clock, Config, Engine, Error, Event, EventKind, Input, QueueItem, Stepped, SystemClock, Team, MAX_TEXT_CHARS};
/// The UI speaks the same six languages as the content.
pub use model::Lang as UiLang;
pub use model::{Lang, Service};
pub use reply::{Choice, HandoverStatus, Label, Reply, ReplyKind, ServiceCard};
pub use store::{AuditEntry, ConversationStore, DurableFuture, QueueEntry, StoreError, Supporter, Ticket};
pub use triage::{Action, KnowledgeSource, Triage};
