//! Wegwijs's conversation engine: channel-free, it turns a resident's input into replies.

pub mod hours;
pub mod model;
pub mod triage;

pub use model::{Lang, Service};
pub use triage::{Action, KnowledgeSource, Triage};
