//! The storage port. The engine keeps state only through this trait; the
//! `storage` crate implements it over sled.

use serde::{Deserialize, Serialize};

use crate::conversation::{Conversation, Message, Reason};

/// A write's place in the order of writes; see `ConversationStore::append_unflushed`.
pub type Ticket = u64;

/// Resolves once a ticket's write is on disk.
pub type DurableFuture<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send + 'a>>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage failed: {0}")]
    Backend(String),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

/// A conversation waiting for a person, as the queue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub id: String,
    pub since: i64,
    pub reason: Reason,
    pub lang: String,
    pub topic: Option<String>,
}

impl QueueEntry {
    /// Sort key: crisis first, then longest waiting.
    pub fn order(&self) -> (u8, i64, &str) {
        (self.reason.priority(), self.since, &self.id)
    }
}

/// A supporter account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supporter {
    pub name: String,
    /// argon2 PHC string.
    pub password_hash: String,
    pub team: String,
    /// May see the organisation's figures.
    pub stats: bool,
    #[serde(default)]
    pub failed_logins: u32,
    #[serde(default)]
    pub locked_until: i64,
}

/// Who opened or changed which conversation, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub supporter: String,
    pub conversation: String,
    pub action: String,
}

/// Storage of conversations, messages, queue, supporters, audit log and figures.
///
/// Every write that returns `Ok` is durable (flushed to disk): the engine
/// acknowledges a message only after it. The one exception is
/// `append_unflushed`, whose ticket says when its write is durable.
pub trait ConversationStore: Send + Sync {
    fn put_conversation(&self, c: &Conversation) -> Result<(), StoreError>;
    fn conversation(&self, id: &str) -> Result<Option<Conversation>, StoreError>;
    /// Append messages and save the conversation they belong to: after a crash
    /// the store holds all of it or nothing of it that counts.
    fn append(&self, c: &Conversation, messages: &[Message]) -> Result<(), StoreError> {
        let ticket = self.append_unflushed(c, messages)?;
        self.durable(ticket)
    }
    /// `append`, returning once the write is in the store but maybe before it
    /// is on disk. Nothing that depends on the write may be acknowledged
    /// before `durable` or `wait_durable` of the ticket returns `Ok`.
    fn append_unflushed(&self, c: &Conversation, messages: &[Message]) -> Result<Ticket, StoreError>;
    /// Blocks until every write up to `ticket` is on disk.
    fn durable(&self, ticket: Ticket) -> Result<(), StoreError>;
    /// `durable` for async callers: waits without holding a thread.
    fn wait_durable(&self, ticket: Ticket) -> DurableFuture<'_>;
    fn messages(&self, id: &str) -> Result<Vec<Message>, StoreError>;
    /// Remove everything about a conversation.
    fn delete_conversation(&self, id: &str) -> Result<(), StoreError>;
    /// Conversations waiting for a person (unordered).
    fn queue(&self) -> Result<Vec<QueueEntry>, StoreError>;
    /// Blank the text of messages older than `cutoff`; returns how many.
    fn purge_text_before(&self, cutoff: i64) -> Result<usize, StoreError>;
    fn conversation_ids(&self) -> Result<Vec<String>, StoreError>;

    fn put_supporter(&self, s: &Supporter) -> Result<(), StoreError>;
    fn supporter(&self, name: &str) -> Result<Option<Supporter>, StoreError>;
    fn audit(&self, e: &AuditEntry) -> Result<(), StoreError>;
    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError>;

    /// Add to an anonymous counter (figures for the organisation).
    fn count(&self, key: &str, by: u64) -> Result<(), StoreError>;
    /// Counters whose key starts with `prefix`.
    fn counters(&self, prefix: &str) -> Result<Vec<(String, u64)>, StoreError>;
}
