//! The engine's storage port over sled: one data directory, durable writes.
//!
//! Trees: `conversations` (id -> JSON), `messages` (id, 0, seq -> the JSON
//! array of the messages one step wrote, from number `seq` on; records of older
//! stores hold one JSON message),
//! `queue` (id -> JSON), `supporters`, `audit` and `counters`. Every write goes
//! through a write-ahead log of our own (`wal`), which is synced before the
//! write is acknowledged: what the engine acknowledged survives a crash. sled
//! is flushed at checkpoints only. Writes that touch several trees are ordered
//! so that any prefix of them reads back consistently (see `append`); sled
//! transactions are not used.
//!
//! Message records are encrypted (ChaCha20-Poly1305) with a key per
//! conversation, kept in a slot of `keys.bin` beside the database (see `keys`).
//! sled is log-structured and keeps old bytes on disk until it cleans a
//! segment, so removing a record is not enough to make deleted text unreadable;
//! overwriting the key is. Deleting a conversation zeroes its key
//! ("crypto-shredding").

mod keys;
mod wal;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use engine::{
    AuditEntry, Conversation, ConversationStore, DurableFuture, Message, Mode, QueueEntry, StoreError, Supporter,
    Ticket,
};
use sled::Db;

use keys::KeyRing;
use wal::{Log, LoggedTree};

/// sled caches up to 1 GB by default; a small bound keeps memory flat however
/// many conversations the store holds (see README, "Reliability", for figures).
pub const DEFAULT_CACHE_BYTES: u64 = 8 * 1024 * 1024;

/// Figures counted in memory and added to the `counters` tree just before each
/// sync of the log, so a count costs no write of its own and still reaches
/// the disk with the next sync.
struct Tally {
    pending: Mutex<HashMap<String, u64>>,
    tree: LoggedTree,
}

impl Tally {
    fn add(&self, key: &str, by: u64) {
        let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        match p.get_mut(key) {
            Some(n) => *n += by,
            None => {
                p.insert(key.to_string(), by);
            }
        }
    }

    /// Add what was counted to the tree, as one write. What cannot be added
    /// stays pending.
    fn merge(&self, log: &Log) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if pending.is_empty() {
            return Ok(());
        }
        let mut added = 0;
        // One stripe for all figures: merges from two threads add up in turn.
        let written = log.write(b"counters", |w| {
            for (key, by) in &pending {
                w.update(&self.tree, key.as_bytes(), |old| {
                    let n = old.and_then(|o| <[u8; 8]>::try_from(o).ok()).map_or(0, u64::from_be_bytes);
                    (n + by).to_be_bytes().to_vec()
                })?;
                added += 1;
            }
            Ok(())
        });
        if written.is_err() {
            // The key that failed and the ones after it were not added.
            for (key, by) in pending.iter().skip(added) {
                self.add(key, *by);
            }
        }
        written.map(drop)
    }
}

pub struct SledStore {
    db: Db,
    log: Log,
    keys: KeyRing,
    conversations: LoggedTree,
    messages: LoggedTree,
    queue: LoggedTree,
    supporters: LoggedTree,
    audit: LoggedTree,
    tally: Arc<Tally>,
}

pub(crate) fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn msg_key(id: &str, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(id.len() + 9);
    k.extend_from_slice(id.as_bytes());
    k.push(0);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// The message number at the end of a `msg_key`; None for a key too short.
fn msg_seq(key: &[u8]) -> Option<u64> {
    let tail = key.len().checked_sub(8).map(|at| &key[at..])?;
    tail.try_into().ok().map(u64::from_be_bytes)
}

/// First byte of a compressed record. JSON never starts with it.
const COMPRESSED: u8 = 1;
/// A record larger than this when decompressed is damaged: a step's record is
/// a few kB, and a message's text at most 2,000 characters.
const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// A record as it is sealed: the messages as JSON, compressed with LZ4.
/// Compressed records are about half the size; sled copies whole pages of
/// records as they change, and over 10,000 conversations needs about 30 MB
/// less memory (engine bench).
fn encode_record(messages: &[Message]) -> Result<Vec<u8>, StoreError> {
    let mut out = lz4_flex::block::compress_prepend_size(&json(&messages)?);
    out.insert(0, COMPRESSED);
    Ok(out)
}

/// The messages of a record: compressed JSON, or (older stores) a JSON array
/// or one message.
fn decode_record(plain: &[u8]) -> Result<Vec<Message>, StoreError> {
    match plain.first() {
        Some(&COMPRESSED) => {
            let (size, body) = lz4_flex::block::uncompressed_size(&plain[1..]).map_err(corrupt)?;
            if size > MAX_RECORD_BYTES {
                return Err(corrupt("a message record has an impossible size"));
            }
            let json = lz4_flex::block::decompress(body, size).map_err(corrupt)?;
            serde_json::from_slice(&json).map_err(corrupt)
        }
        Some(b'[') => serde_json::from_slice(plain).map_err(corrupt),
        _ => serde_json::from_slice(plain).map(|m| vec![m]).map_err(corrupt),
    }
}

fn msg_prefix(id: &str) -> Vec<u8> {
    let mut k = id.as_bytes().to_vec();
    k.push(0);
    k
}

fn queue_entry(c: &Conversation) -> Option<QueueEntry> {
    match c.mode {
        Mode::Waiting { since, reason, .. } => Some(QueueEntry {
            id: c.id.clone(),
            since,
            reason,
            lang: c.lang.code().to_string(),
            topic: c.topic.clone(),
        }),
        _ => None,
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v).map_err(backend)
}

impl SledStore {
    /// Open (or create) the store in `dir`. A directory another process holds
    /// open, or one that is damaged, gives a clear error, not a panic.
    pub fn open(dir: &Path) -> Result<SledStore, StoreError> {
        SledStore::open_with_cache(dir, DEFAULT_CACHE_BYTES)
    }

    /// Like `open`, with sled's cache limit in bytes. sled's memory use is a
    /// multiple of this figure (its page table and buffers come on top).
    pub fn open_with_cache(dir: &Path, cache_bytes: u64) -> Result<SledStore, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| backend(format!("cannot create data directory {}: {e}", dir.display())))?;
        // sled is flushed at checkpoints (see `wal`), not every half second.
        let config = sled::Config::new().path(dir.join("db")).cache_capacity(cache_bytes).flush_every_ms(None);
        let db = config.open().map_err(|e| match e {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") => {
                backend(format!("data directory {} is in use by another Wegwijs process", dir.display()))
            }
            sled::Error::Corruption { .. } => corrupt(format!("data directory {} is damaged: {e}", dir.display())),
            other => backend(format!("cannot open data directory {}: {other}", dir.display())),
        })?;
        let tree = |name: &str| LoggedTree::open(&db, name);
        let tally = Arc::new(Tally { pending: Mutex::new(HashMap::new()), tree: tree("counters")? });
        let merging = tally.clone();
        // Replays what a crash left in the log: before anything reads the trees.
        // Figures that cannot be added now are added before a later sync.
        let log = Log::open(&dir.join("log"), db.clone(), Box::new(move |log: &Log| drop(merging.merge(log))))?;
        let store = SledStore {
            keys: KeyRing::open(dir, tree("key-slots")?)?,
            log,
            tally,
            conversations: tree("conversations")?,
            messages: tree("messages")?,
            queue: tree("queue")?,
            supporters: tree("supporters")?,
            audit: tree("audit")?,
            db,
        };
        store.drop_stale_queue_entries()?;
        store.flush()?;
        Ok(store)
    }

    /// Drop queue entries whose conversation is not waiting: a crash between
    /// two writes of `append` leaves them, and the conversation decides.
    fn drop_stale_queue_entries(&self) -> Result<usize, StoreError> {
        let mut stale = 0;
        for entry in self.queue()? {
            match self.conversation(&entry.id)?.as_ref().and_then(queue_entry) {
                Some(current) if current == entry => {}
                Some(current) => {
                    self.log
                        .write(entry.id.as_bytes(), |w| w.insert(&self.queue, entry.id.as_bytes(), &json(&current)?))?;
                }
                None => {
                    self.log.write(entry.id.as_bytes(), |w| w.remove(&self.queue, entry.id.as_bytes()))?;
                    stale += 1;
                }
            }
        }
        Ok(stale)
    }

    fn seal(&self, id: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = self.keys.key(id, Some(&self.log))?.ok_or_else(|| backend("no key"))?;
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
        let ct = cipher.encrypt(Nonce::from_slice(&nonce), plain).map_err(|_| backend("encryption failed"))?;
        let mut out = Vec::with_capacity(2 + 12 + ct.len());
        out.extend_from_slice(b"E1");
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// The plain record, or None when the key is gone (the conversation was deleted).
    fn open_record(&self, id: &str, sealed: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(rest) = sealed.strip_prefix(b"E1") else {
            return Err(corrupt("message record has no known format"));
        };
        if rest.len() < 12 {
            return Err(corrupt("message record is truncated"));
        }
        let Some(key) = self.keys.key(id, None)? else { return Ok(None) };
        let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
        cipher
            .decrypt(Nonce::from_slice(&rest[..12]), &rest[12..])
            .map(Some)
            .map_err(|_| corrupt("message record fails its integrity check"))
    }

    /// Make every write so far durable. Concurrent callers share one sync of
    /// the log (group commit, see `wal`).
    fn flush(&self) -> Result<(), StoreError> {
        self.log.flush()
    }

    /// Bytes on disk, for metrics (sled's; the log adds a few megabytes).
    pub fn size_on_disk(&self) -> u64 {
        self.db.size_on_disk().unwrap_or(0)
    }
}

impl ConversationStore for SledStore {
    fn put_conversation(&self, c: &Conversation) -> Result<(), StoreError> {
        // The same ordered write as an append, with no messages.
        self.append(c, &[])
    }

    fn conversation(&self, id: &str) -> Result<Option<Conversation>, StoreError> {
        match self.conversations.get(id.as_bytes())? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(corrupt),
            None => Ok(None),
        }
    }

    fn append_unflushed(&self, c: &Conversation, messages: &[Message]) -> Result<Ticket, StoreError> {
        let cj = json(c)?;
        // The messages of one step are one record: one seal, one write.
        let sealed = match messages.first() {
            Some(first) => Some((msg_key(&c.id, first.seq), self.seal(&c.id, &encode_record(messages)?)?)),
            None => None,
        };
        let qj = queue_entry(c).map(|q| json(&q)).transpose()?;
        // The writes go in an order whose every prefix reads back
        // consistently, because the conversation record is the truth: messages
        // at or past its `next_seq` are not there yet (see `messages`), and a
        // queue entry counts only while its conversation is waiting (settled at
        // open, see `drop_stale_queue_entries`). The log replays a prefix of
        // them; sled may have kept some later writes that were never
        // acknowledged, which these rules cover too.
        let written = self.log.write(c.id.as_bytes(), |w| {
            if let Some((key, mj)) = &sealed {
                w.insert(&self.messages, key, mj)?;
            }
            if let Some(q) = &qj {
                w.insert(&self.queue, c.id.as_bytes(), q)?;
            }
            w.insert(&self.conversations, c.id.as_bytes(), &cj)?;
            if qj.is_none() {
                w.remove(&self.queue, c.id.as_bytes())?;
            }
            Ok(())
        });
        written.map(|((), ticket)| ticket)
    }

    fn durable(&self, ticket: Ticket) -> Result<(), StoreError> {
        self.log.wait(ticket)
    }

    fn wait_durable(&self, ticket: Ticket) -> DurableFuture<'_> {
        Box::pin(self.log.wait_async(ticket))
    }

    fn messages(&self, id: &str) -> Result<Vec<Message>, StoreError> {
        // Records past the conversation's `next_seq` belong to a write that a
        // crash cut short (never acknowledged); the next step overwrites them.
        let next = self.conversation(id)?.map_or(0, |c| c.next_seq);
        let mut out: Vec<Message> = Vec::new();
        let counted = |kv: &sled::Result<(sled::IVec, sled::IVec)>| {
            kv.as_ref().map_or(true, |(k, _)| msg_seq(k).is_some_and(|seq| seq < next))
        };
        for kv in self.messages.scan_prefix(&msg_prefix(id)).take_while(counted) {
            let (_, v) = kv.map_err(backend)?;
            if let Some(plain) = self.open_record(id, &v)? {
                for m in decode_record(&plain)? {
                    // A record that starts inside the one before it was left by a
                    // cut write of an older store; the later record replaced it.
                    if out.last().is_none_or(|last| m.seq > last.seq) {
                        out.push(m);
                    }
                }
            }
        }
        Ok(out)
    }

    fn delete_conversation(&self, id: &str) -> Result<(), StoreError> {
        // The key goes first: whatever a crash leaves behind after this point
        // is unreadable, and the conversation is still there to delete again.
        self.keys.delete(id, &self.log)?;
        self.log.write(id.as_bytes(), |w| {
            w.remove(&self.queue, id.as_bytes())?;
            for k in self.messages.scan_prefix(&msg_prefix(id)).keys() {
                w.remove(&self.messages, &k.map_err(backend)?)?;
            }
            w.remove(&self.conversations, id.as_bytes())
        })?;
        self.flush()?;
        // The log files that still hold the conversation are checkpointed and
        // deleted soon after.
        self.log.rotate_soon();
        Ok(())
    }

    fn queue(&self) -> Result<Vec<QueueEntry>, StoreError> {
        // Entries a crash left stale were dropped at open; while running, an
        // entry is rewritten with its conversation on every write of `append`.
        self.queue.iter().values().map(|v| serde_json::from_slice(&v.map_err(backend)?).map_err(corrupt)).collect()
    }

    fn purge_text_before(&self, cutoff: i64) -> Result<usize, StoreError> {
        let mut n = 0;
        for kv in self.messages.iter() {
            let (k, v) = kv.map_err(backend)?;
            let Some(zero) = k.iter().position(|b| *b == 0) else { continue };
            let id = String::from_utf8_lossy(&k[..zero]).into_owned();
            let Some(plain) = self.open_record(&id, &v)? else { continue };
            let mut record = decode_record(&plain)?;
            let mut purged = 0;
            for m in record.iter_mut().filter(|m| m.at < cutoff && !m.purged) {
                m.text = None;
                if let Some(engine::conversation::InputRecord::Text(_)) = m.input {
                    m.input = None;
                }
                for r in &mut m.replies {
                    r.text = None;
                }
                m.purged = true;
                purged += 1;
            }
            if purged > 0 {
                let sealed = self.seal(&id, &encode_record(&record)?)?;
                self.log.write(id.as_bytes(), |w| w.insert(&self.messages, &k, &sealed))?;
                n += purged;
            }
        }
        if n > 0 {
            self.flush()?;
            // The log files that still hold the text are checkpointed and deleted soon after.
            self.log.rotate_soon();
        }
        Ok(n)
    }

    fn conversation_ids(&self) -> Result<Vec<String>, StoreError> {
        self.conversations
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k.map_err(backend)?).into_owned()))
            .collect()
    }

    fn put_supporter(&self, s: &Supporter) -> Result<(), StoreError> {
        self.log.write(s.name.as_bytes(), |w| w.insert(&self.supporters, s.name.as_bytes(), &json(s)?))?;
        self.flush()
    }

    fn supporter(&self, name: &str) -> Result<Option<Supporter>, StoreError> {
        match self.supporters.get(name.as_bytes())? {
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(corrupt),
            None => Ok(None),
        }
    }

    fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let id = self.db.generate_id().map_err(backend)?;
        let mut key = e.at.to_be_bytes().to_vec();
        key.extend_from_slice(&id.to_be_bytes());
        self.log.write(&key, |w| w.insert(&self.audit, &key, &json(e)?))?;
        self.flush()
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.audit.iter().values().map(|v| serde_json::from_slice(&v.map_err(backend)?).map_err(corrupt)).collect()
    }

    fn count(&self, key: &str, by: u64) -> Result<(), StoreError> {
        // Figures are not acknowledged to anyone: the next sync takes them along.
        self.tally.add(key, by);
        Ok(())
    }

    fn counters(&self, prefix: &str) -> Result<Vec<(String, u64)>, StoreError> {
        self.tally.merge(&self.log)?;
        self.tally
            .tree
            .scan_prefix(prefix.as_bytes())
            .map(|kv| {
                let (k, v) = kv.map_err(backend)?;
                let n = <[u8; 8]>::try_from(v.as_ref()).map(u64::from_be_bytes).map_err(corrupt)?;
                Ok((String::from_utf8_lossy(&k).into_owned(), n))
            })
            .collect()
    }
}

pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    sync_dir_io(dir).map_err(backend)
}

/// A rename or removal is durable only once the folder itself is synced.
pub(crate) fn sync_dir_io(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir).and_then(|d| d.sync_all())
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::Sender;

    fn conversation(id: &str, next_seq: u64) -> Conversation {
        Conversation { next_seq, ..Conversation::new(id.into(), String::new(), "test", None, None, 0) }
    }

    fn message(seq: u64, text: &str) -> Message {
        Message {
            seq,
            at: 10,
            from: Sender::Resident,
            text: Some(text.into()),
            input: None,
            replies: vec![],
            purged: false,
        }
    }

    #[test]
    fn records_of_one_message_and_of_a_step_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let c = conversation("c1", 4);
        // An older store: one record per message, and a record that a cut write
        // left at number 3 before the crash.
        for m in [message(0, "zero"), message(1, "one"), message(3, "stale")] {
            let sealed = store.seal(&c.id, &json(&m).unwrap()).unwrap();
            store.messages.raw().insert(msg_key(&c.id, m.seq), sealed).unwrap();
        }
        // A step of this store: messages 2 and 3 in one record.
        store.append(&c, &[message(2, "two"), message(3, "three")]).unwrap();
        let texts = |store: &SledStore| -> Vec<(u64, Option<String>)> {
            store.messages(&c.id).unwrap().into_iter().map(|m| (m.seq, m.text)).collect()
        };
        let want: Vec<(u64, Option<String>)> =
            [(0, "zero"), (1, "one"), (2, "two"), (3, "three")].into_iter().map(|(s, t)| (s, Some(t.into()))).collect();
        assert_eq!(texts(&store), want);
        // Retention purges text in both kinds of record and keeps the messages.
        assert_eq!(store.purge_text_before(11).unwrap(), 5, "four messages and the stale one");
        assert_eq!(texts(&store), (0..4).map(|s| (s, None)).collect::<Vec<_>>());
        assert!(store.messages(&c.id).unwrap().iter().all(|m| m.purged));
    }

    #[test]
    fn records_are_compressed_and_a_damaged_one_is_an_error_not_a_panic() {
        let step: Vec<Message> = (0..3).map(|s| message(s, "ik heb schulden en de deurwaarder komt morgen")).collect();
        let record = encode_record(&step).unwrap();
        assert!(record.len() < json(&step).unwrap().len(), "{} bytes", record.len());
        let back: Vec<(u64, Option<String>)> =
            decode_record(&record).unwrap().into_iter().map(|m| (m.seq, m.text)).collect();
        assert_eq!(back, step.iter().map(|m| (m.seq, m.text.clone())).collect::<Vec<_>>());
        // Cut short, a size past any real record, a body that is not LZ4, no size.
        let mut huge = vec![COMPRESSED];
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(&record[5..]);
        // And a size smaller than what the body holds.
        let mut small = record.clone();
        small[1..5].copy_from_slice(&4u32.to_le_bytes());
        for bad in [
            &record[..record.len() / 2],
            &huge[..],
            &[COMPRESSED, 9, 0, 0, 0, 0xff, 0xff][..],
            &[COMPRESSED][..],
            &small[..],
        ] {
            assert!(matches!(decode_record(bad), Err(StoreError::Corrupt(_))), "{bad:?}");
        }
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let (src, dst) = (entry.path(), to.join(entry.file_name()));
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&src, &dst);
            } else if let Err(e) = std::fs::copy(&src, &dst) {
                // A file made ahead may be renamed while we copy.
                assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{}", src.display());
            }
        }
    }

    /// What a crash leaves behind: a copy of the data directory, taken while
    /// the store runs (`with_log`: with its write-ahead log). The log is copied
    /// first: a log file is deleted only once sled holds what it held, so sled
    /// copied later holds it too. Keys come last, like a key is synced before
    /// its mapping is logged.
    fn crash_copy(from: &Path, to: &Path, with_log: bool) {
        if with_log {
            copy_dir(&from.join("log"), &to.join("log"));
        }
        copy_dir(&from.join("db"), &to.join("db"));
        std::fs::copy(from.join("keys.bin"), to.join("keys.bin")).unwrap();
    }

    fn texts(store: &SledStore, id: &str) -> Vec<String> {
        store.messages(id).unwrap().into_iter().filter_map(|m| m.text).collect()
    }

    #[test]
    fn acknowledged_writes_come_back_from_the_log_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let waiting = Conversation {
            mode: Mode::Waiting { since: 5, reason: engine::Reason::Crisis, timeout_told: false },
            ..conversation("c1", 2)
        };
        store.append(&waiting, &[message(0, "zero"), message(1, "one")]).unwrap();
        store.count("topic/a", 3).unwrap();
        assert_eq!(store.counters("topic/").unwrap().len(), 1);
        store.flush().unwrap();
        let (copy, bare) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        crash_copy(dir.path(), copy.path(), true);
        crash_copy(dir.path(), bare.path(), false);
        // sled itself was not flushed since: without the log, all is lost.
        let without_log = SledStore::open(bare.path()).unwrap();
        assert!(without_log.conversation("c1").unwrap().is_none(), "the test needs sled not flushed");
        let reopened = SledStore::open(copy.path()).unwrap();
        assert_eq!(texts(&reopened, "c1"), ["zero", "one"]);
        assert_eq!(reopened.queue().unwrap(), vec![queue_entry(&waiting).unwrap()]);
        assert_eq!(reopened.counters("topic/").unwrap(), vec![("topic/a".to_string(), 3)]);
        // The next step goes on where the conversation was.
        reopened.append(&conversation("c1", 3), &[message(2, "two")]).unwrap();
        assert_eq!(texts(&reopened, "c1"), ["zero", "one", "two"]);
        assert!(reopened.queue().unwrap().is_empty());
    }

    #[test]
    fn a_deleted_conversation_stays_deleted_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        store.append(&conversation("gone", 1), &[message(0, "bye")]).unwrap();
        store.append(&conversation("kept", 1), &[message(0, "hi")]).unwrap();
        store.delete_conversation("gone").unwrap();
        let copy = tempfile::tempdir().unwrap();
        crash_copy(dir.path(), copy.path(), true);
        let reopened = SledStore::open(copy.path()).unwrap();
        assert!(reopened.conversation("gone").unwrap().is_none());
        assert!(reopened.messages.scan_prefix(&msg_prefix("gone")).next().is_none(), "no record left");
        assert_eq!(texts(&reopened, "kept"), ["hi"]);
    }

    #[test]
    fn a_full_log_file_is_checkpointed_and_deleted_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        // Text that does not compress, so 2,000 characters take 2,000 bytes.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let long: String = (0..2000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                char::from(b'a' + (state % 26) as u8)
            })
            .collect();
        let steps = 2 * wal::FILE_BYTES / 2000;
        for seq in 0..steps {
            store.append_unflushed(&conversation("long", seq + 1), &[message(seq, &long)]).unwrap();
        }
        store.flush().unwrap();
        // The first file was handed over once full; wait until it is deleted.
        let logs = || -> Vec<String> {
            let names = std::fs::read_dir(dir.path().join("log")).unwrap().map(|e| e.unwrap().file_name());
            names.map(|n| n.to_string_lossy().into_owned()).filter(|n| n.ends_with(".log")).collect()
        };
        let started = std::time::Instant::now();
        while logs().len() > 1 || logs().iter().any(|n| n == "0000000000000000.log") {
            assert!(started.elapsed().as_secs() < 20, "log files were not checkpointed: {:?}", logs());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let copy = tempfile::tempdir().unwrap();
        crash_copy(dir.path(), copy.path(), true);
        let reopened = SledStore::open(copy.path()).unwrap();
        assert_eq!(reopened.messages("long").unwrap().len() as u64, steps);
    }

    #[test]
    fn counts_are_read_at_once_and_kept_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        store.count("topic/a", 2).unwrap();
        store.count("topic/a", 1).unwrap();
        store.count("other", 1).unwrap();
        assert_eq!(store.counters("topic/").unwrap(), vec![("topic/a".to_string(), 3)]);
        store.count("topic/b", 4).unwrap();
        // Counted after the last read and never flushed by a write: a clean
        // stop still takes it to disk.
        drop(store);
        let store = SledStore::open(dir.path()).unwrap();
        assert_eq!(store.counters("topic/").unwrap(), vec![("topic/a".to_string(), 3), ("topic/b".to_string(), 4)]);
    }

    #[test]
    fn queue_entries_a_crash_left_behind_are_settled_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(dir.path()).unwrap();
        let waiting = |id: &str, reason| Conversation {
            mode: Mode::Waiting { since: 5, reason, timeout_told: false },
            ..conversation(id, 0)
        };
        let (left, upgraded) =
            (waiting("left", engine::Reason::AskedForPerson), waiting("up", engine::Reason::AskedForPerson));
        store.put_conversation(&left).unwrap();
        store.put_conversation(&upgraded).unwrap();
        assert_eq!(store.queue().unwrap().len(), 2);
        // A crash after the conversation was written and before its entry was
        // removed; and one after a new entry was written and before its
        // conversation was.
        store.put_conversation(&conversation("left", 0)).unwrap();
        store.queue.raw().insert("left", json(&queue_entry(&left).unwrap()).unwrap()).unwrap();
        let crisis = waiting("up", engine::Reason::Crisis);
        store.queue.raw().insert("up", json(&queue_entry(&crisis).unwrap()).unwrap()).unwrap();
        store.flush().unwrap();
        drop(store);
        let store = SledStore::open(dir.path()).unwrap();
        assert_eq!(store.queue().unwrap(), vec![queue_entry(&upgraded).unwrap()], "the conversations decide");
    }
}
