//! Conversation keys, in one file of fixed 32-byte slots (`keys.bin`).
//!
//! A conversation's key lives in a slot; the sled tree `key-slots` maps the
//! conversation id to its slot. Deleting a conversation overwrites its slot with
//! zeros in place and syncs it, so the key is gone from the disk blocks too, and
//! whatever sled still keeps of the encrypted text is unreadable.
//!
//! A new key is synced before its slot is mapped, and the slot is zeroed before
//! the mapping is removed, so a crash never maps a conversation to a key that
//! was not on disk. Keys are made ahead in batches (`READY_BATCH` keys, one
//! sync), so a new conversation costs no sync of its own. Slots with a key but
//! no mapping (made ahead, or a crash between the two steps) are zeroed at open
//! and when the ring is dropped. Stores made before key slots kept one file per
//! conversation under `keys/`; those are still read and deleted.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use engine::StoreError;
use rand::RngCore;

use crate::wal::{Log, LoggedTree};
use crate::{backend, corrupt, sync_dir};

pub type Key = [u8; 32];

const SLOT: u64 = 32;
/// Slots added at a time; new room is written as zeros and synced once, so
/// writing a key later changes no file metadata and one data sync suffices.
const GROW_SLOTS: u64 = 4096;
/// Keys kept in memory; the file is the truth. Room for every conversation
/// of a busy organisation (about 2 MB): with 4,096, a bench over 10,000
/// conversations emptied the cache again and again, and an eighth of a step's
/// CPU went to reading keys back.
const MAX_CACHED_KEYS: usize = 65_536;
/// Keys made and synced ahead of use, in one batch.
const READY_BATCH: usize = 64;

struct Slots {
    /// Slots in the file (its length / 32).
    capacity: u64,
    /// Never used so far: every slot from here on.
    next: u64,
    /// Zeroed slots free for reuse.
    free: Vec<u64>,
    /// Keys written and synced but not yet mapped to a conversation.
    ready: Vec<(u64, Key)>,
}

pub struct KeyRing {
    file: File,
    path: PathBuf,
    map: LoggedTree,
    slots: Mutex<Slots>,
    cache: Mutex<HashMap<String, Key>>,
    legacy_dir: PathBuf,
    /// Whether `legacy_dir` existed at open; if not, no id has a key file.
    has_legacy: bool,
}

fn slot_of(v: &[u8]) -> Result<u64, StoreError> {
    <[u8; 8]>::try_from(v).map(u64::from_be_bytes).map_err(|_| corrupt("a key slot number is damaged"))
}

impl KeyRing {
    /// Call after the log replayed what a crash left, so that every mapping
    /// that was acknowledged is there.
    pub fn open(dir: &Path, map: LoggedTree) -> Result<KeyRing, StoreError> {
        let path = dir.join("keys.bin");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| backend(format!("cannot open {}: {e}", path.display())))?;
        let len = file.metadata().map_err(backend)?.len();
        let capacity = len / SLOT;
        let mut used = HashSet::new();
        for v in map.iter().values() {
            used.insert(slot_of(&v.map_err(backend)?)?);
        }
        // Read the whole file once: it is 32 bytes per conversation ever kept.
        let mut bytes = vec![0u8; (capacity * SLOT) as usize];
        file.read_exact_at(&mut bytes, 0).map_err(backend)?;
        let (mut free, mut next, mut orphans) = (Vec::new(), 0, 0);
        for slot in 0..capacity {
            let key = &bytes[(slot * SLOT) as usize..((slot + 1) * SLOT) as usize];
            let zero = key.iter().all(|b| *b == 0);
            if used.contains(&slot) {
                next = slot + 1;
            } else if zero {
                free.push(slot);
            } else {
                // Made, but the crash came before it was mapped: nothing uses it.
                file.write_all_at(&[0u8; SLOT as usize], slot * SLOT).map_err(backend)?;
                free.push(slot);
                orphans += 1;
            }
        }
        if orphans > 0 {
            file.sync_data().map_err(backend)?;
        }
        // Slots past the last used one are handed out in order, the rest reused.
        free.retain(|s| *s < next);
        free.reverse();
        Ok(KeyRing {
            file,
            path,
            map,
            slots: Mutex::new(Slots { capacity, next, free, ready: Vec::new() }),
            cache: Mutex::new(HashMap::new()),
            has_legacy: dir.join("keys").is_dir(),
            legacy_dir: dir.join("keys"),
        })
    }

    fn legacy_path(&self, id: &str) -> Result<PathBuf, StoreError> {
        // Ids are hex from the engine; refuse anything that could leave the folder.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(backend(format!("invalid conversation id for a key: {id:?}")));
        }
        Ok(self.legacy_dir.join(format!("{id}.key")))
    }

    fn read_slot(&self, slot: u64) -> Result<Option<Key>, StoreError> {
        let mut k = [0u8; 32];
        self.file.read_exact_at(&mut k, slot * SLOT).map_err(|e| backend(format!("{}: {e}", self.path.display())))?;
        Ok((k != [0u8; 32]).then_some(k))
    }

    fn write_slot(&self, slot: u64, key: &Key) -> Result<(), StoreError> {
        self.file.write_all_at(key, slot * SLOT).map_err(backend)?;
        self.file.sync_data().map_err(backend)
    }

    /// A synced key in a slot that no conversation uses yet. When none is
    /// ready, makes a batch: one data sync for all of them.
    fn take_ready(&self) -> Result<(u64, Key), StoreError> {
        let mut s = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ready) = s.ready.pop() {
            return Ok(ready);
        }
        let mut batch = Vec::with_capacity(READY_BATCH);
        let made = (|| {
            for _ in 0..READY_BATCH {
                let slot = match s.free.pop() {
                    Some(slot) => slot,
                    None => {
                        if s.next == s.capacity {
                            let zeros = vec![0u8; (GROW_SLOTS * SLOT) as usize];
                            self.file.write_all_at(&zeros, s.capacity * SLOT)?;
                            self.file.sync_all()?;
                            s.capacity += GROW_SLOTS;
                        }
                        s.next += 1;
                        s.next - 1
                    }
                };
                let mut key = [0u8; 32];
                rand::rng().fill_bytes(&mut key);
                batch.push((slot, key));
                self.file.write_all_at(&key, slot * SLOT)?;
            }
            self.file.sync_data()
        })();
        if let Err(e) = made {
            // Unmapped, so nothing reads them: the slots are free again.
            s.free.extend(batch.iter().map(|(slot, _)| *slot));
            return Err(backend(e));
        }
        s.ready = batch;
        s.ready.pop().ok_or_else(|| backend("no key slot could be made"))
    }

    fn release(&self, slot: u64) {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).free.push(slot);
    }

    /// A ready key that lost a race goes back, still unmapped and synced.
    fn unreserve(&self, ready: (u64, Key)) {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).ready.push(ready);
    }

    fn remember(&self, id: &str, key: Key) -> Key {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= MAX_CACHED_KEYS {
            cache.clear();
        }
        *cache.entry(id.to_string()).or_insert(key)
    }

    /// The conversation's key, made and synced on first use when a log to
    /// write the mapping to is given. None when it has none (never written, or
    /// deleted). The mapping is durable with the next sync of the log.
    pub fn key(&self, id: &str, create: Option<&Log>) -> Result<Option<Key>, StoreError> {
        if let Some(k) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(id) {
            return Ok(Some(*k));
        }
        if let Some(v) = self.map.get(id.as_bytes())? {
            return Ok(self.read_slot(slot_of(&v)?)?.map(|k| self.remember(id, k)));
        }
        if self.has_legacy {
            if let Some(k) = read_legacy(&self.legacy_path(id)?)? {
                return Ok(Some(self.remember(id, k)));
            }
        }
        let Some(log) = create else { return Ok(None) };
        let (slot, key) = self.take_ready()?;
        // Two writers racing for one conversation agree on the first mapping.
        match log.write(id.as_bytes(), |w| w.insert_new(&self.map, id.as_bytes(), &slot.to_be_bytes())) {
            Ok((None, _)) => Ok(Some(self.remember(id, key))),
            Ok((Some(theirs), _)) => {
                self.unreserve((slot, key));
                Ok(self.read_slot(slot_of(&theirs)?)?.map(|k| self.remember(id, k)))
            }
            Err(e) => {
                self.unreserve((slot, key));
                Err(e)
            }
        }
    }

    /// Destroy the conversation's key: zeroed on disk before anything else.
    pub fn delete(&self, id: &str, log: &Log) -> Result<(), StoreError> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
        if let Some(v) = self.map.get(id.as_bytes())? {
            let slot = slot_of(&v)?;
            self.write_slot(slot, &[0u8; 32])?;
            log.write(id.as_bytes(), |w| w.remove(&self.map, id.as_bytes()))?;
            // Reused only once the removal is on disk: a crash before would
            // map this conversation to the slot's next key.
            log.flush()?;
            self.release(slot);
        }
        if !self.has_legacy {
            return Ok(());
        }
        let legacy = self.legacy_path(id)?;
        match std::fs::remove_file(&legacy) {
            Ok(()) => sync_dir(&self.legacy_dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}

impl Drop for KeyRing {
    /// Keys made ahead and never used are destroyed on a clean stop (after a
    /// crash, `open` does it).
    fn drop(&mut self) {
        let s = self.slots.get_mut().unwrap_or_else(|e| e.into_inner());
        for (slot, _) in s.ready.drain(..) {
            let _ = self.file.write_all_at(&[0u8; SLOT as usize], slot * SLOT);
        }
        let _ = self.file.sync_data();
    }
}

/// A key file of a store made before key slots, or None.
fn read_legacy(path: &Path) -> Result<Option<Key>, StoreError> {
    match std::fs::read(path) {
        Ok(bytes) => bytes.try_into().map(Some).map_err(|_| corrupt(format!("key file {} is damaged", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(backend(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ring over a database and its log; dropping the log checkpoints it.
    fn ring(dir: &Path) -> (Log, KeyRing) {
        let db = sled::Config::new().path(dir.join("db")).temporary(false).open().unwrap();
        let log = Log::open(&dir.join("log"), db.clone(), Box::new(|_: &Log| {})).unwrap();
        let ring = KeyRing::open(dir, LoggedTree::open(&db, "key-slots").unwrap()).unwrap();
        (log, ring)
    }

    fn file_holds(dir: &Path, key: &Key) -> bool {
        std::fs::read(dir.join("keys.bin")).unwrap().windows(32).any(|w| w == key)
    }

    #[test]
    fn a_key_survives_reopening_and_deletion_zeroes_it_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (log, r) = ring(dir.path());
        assert_eq!(r.key("a", None).unwrap(), None, "no key until one is made");
        let a = r.key("a", Some(&log)).unwrap().unwrap();
        let b = r.key("b", Some(&log)).unwrap().unwrap();
        assert_ne!(a, b);
        drop((r, log));
        let (log, r) = ring(dir.path());
        assert_eq!(r.key("a", None).unwrap(), Some(a));
        r.delete("a", &log).unwrap();
        assert!(!file_holds(dir.path(), &a), "the key's bytes are overwritten, not just unlinked");
        assert!(file_holds(dir.path(), &b));
        assert_eq!(r.key("a", None).unwrap(), None);
        // The freed slot is used again.
        let c = r.key("c", Some(&log)).unwrap().unwrap();
        assert_eq!(std::fs::metadata(dir.path().join("keys.bin")).unwrap().len(), GROW_SLOTS * SLOT);
        drop((r, log));
        let (_log, r) = ring(dir.path());
        assert_eq!((r.key("b", None).unwrap(), r.key("c", None).unwrap()), (Some(b), Some(c)));
    }

    #[test]
    fn a_key_made_but_never_mapped_is_zeroed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        let (log, r) = ring(dir.path());
        let a = r.key("a", Some(&log)).unwrap().unwrap();
        // A crash after the key was synced but before its mapping was: simulate
        // by dropping the mapping the store never flushed.
        r.map.raw().remove("a").unwrap();
        drop((r, log));
        assert!(file_holds(dir.path(), &a));
        let (_log, r) = ring(dir.path());
        assert!(!file_holds(dir.path(), &a), "an orphaned key is destroyed");
        assert_eq!(r.key("a", None).unwrap(), None);
    }

    fn keys_on_disk(dir: &Path) -> usize {
        std::fs::read(dir.join("keys.bin")).unwrap().chunks(32).filter(|k| k.iter().any(|b| *b != 0)).count()
    }

    #[test]
    fn keys_made_ahead_are_destroyed_on_drop_and_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let (log, r) = ring(dir.path());
        let r_map = r.map.clone();
        let a = r.key("a", Some(&log)).unwrap().unwrap();
        assert_eq!(keys_on_disk(dir.path()), READY_BATCH, "one batch, one sync");
        let b = r.key("b", Some(&log)).unwrap().unwrap();
        assert_eq!(keys_on_disk(dir.path()), READY_BATCH, "the second key came from the batch");
        drop(r);
        assert_eq!(keys_on_disk(dir.path()), 2, "unused keys are zeroed on a clean stop");
        let r = KeyRing::open(dir.path(), r_map.clone()).unwrap();
        assert_eq!(r.key("c", Some(&log)).unwrap().map(|_| ()), Some(()));
        // A crash: the ring is never dropped. (It keeps the database open, so
        // the next ring opens over the same tree.)
        std::mem::forget(r);
        assert_eq!(keys_on_disk(dir.path()), 2 + READY_BATCH);
        let r = KeyRing::open(dir.path(), r_map.clone()).unwrap();
        assert_eq!(keys_on_disk(dir.path()), 3, "keys made ahead are zeroed at open");
        assert_eq!((r.key("a", None).unwrap(), r.key("b", None).unwrap()), (Some(a), Some(b)));
        assert!(r.key("c", None).unwrap().is_some());
    }

    #[test]
    fn key_files_of_older_stores_are_read_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("keys")).unwrap();
        let old = [7u8; 32];
        std::fs::write(dir.path().join("keys/abc.key"), old).unwrap();
        let (log, r) = ring(dir.path());
        assert_eq!(r.key("abc", Some(&log)).unwrap(), Some(old), "the old key, not a new one");
        r.delete("abc", &log).unwrap();
        assert!(!dir.path().join("keys/abc.key").exists());
        assert!(r.key("../x", Some(&log)).is_err(), "ids cannot name paths");
    }
}
