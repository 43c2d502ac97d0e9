//! Write-ahead log and group commit.
//!
//! Every write to the store goes through `Log::write`: its operations are
//! applied to sled's trees (in memory) and encoded as one record, which is
//! added to a buffer, and the write gets a ticket. One thread (`wegwijs-log`) takes
//! the buffer, appends it to the current log file and syncs the file's data: a
//! single sync covers every write since the last (group commit). A writer
//! waits until its ticket is covered, blocking or as a future.
//!
//! sled itself is flushed rarely, by a second thread (`wegwijs-checkpoint`).
//! When a log file is full or old, the logging thread moves on to a new file
//! and hands the old one over; the checkpoint thread flushes sled, which then
//! holds everything the old file held, and deletes the file. It also makes the
//! next file ahead, filled with zeros and synced, so that a sync of the log
//! writes data only, no file metadata.
//!
//! At open, the files left by a crash are replayed into sled in order, up to
//! the first record that is cut or damaged, before anything else reads the
//! trees. Replay keeps the log's order, so for every key the log's order must be
//! the order sled saw: a write names a stripe (a conversation id, say) that
//! covers all its keys, and writes of one stripe are applied and added to the
//! buffer one at a time. Writes of different stripes run side by side; only
//! adding the record to the buffer is behind one lock.
//!
//! A failed write or sync leaves the file in an unknown state, so after one the
//! log refuses every later write until the store is opened again.

use std::collections::VecDeque;
use std::fs::File;
use std::future::Future;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use engine::{StoreError, Ticket};
use sled::IVec;
use tokio::sync::watch;

use crate::{backend, corrupt, sync_dir, sync_dir_io};

/// The trees whose writes are logged, by their number in a record.
pub const TREES: [&str; 7] = ["conversations", "messages", "queue", "supporters", "audit", "counters", "key-slots"];

/// Bytes of a log file, made ahead and filled with zeros.
pub const FILE_BYTES: u64 = 4 * 1024 * 1024;
/// A log file older than this is handed over for a checkpoint, so that what it
/// holds (deleted conversations, purged text) does not linger on disk.
const MAX_FILE_AGE: Duration = Duration::from_secs(30);
/// How soon a new file is tried again when none was made ahead yet.
const RETRY: Duration = Duration::from_millis(20);

const MAGIC: [u8; 4] = *b"WWL1";
/// Magic, payload length (u32) and CRC-32 of the payload.
const HEADER: usize = 12;
const PUT: u8 = 1;
const REMOVE: u8 = 2;
const PREPARED: &str = "next.tmp";
const STRIPES: usize = 64;

/// A sled tree whose writes go through the log. Reads go straight to sled.
#[derive(Clone)]
pub struct LoggedTree {
    id: u8,
    tree: sled::Tree,
}

impl LoggedTree {
    pub fn open(db: &sled::Db, name: &str) -> Result<LoggedTree, StoreError> {
        let id = TREES.iter().position(|t| *t == name).ok_or_else(|| backend(format!("tree {name} is not logged")))?;
        Ok(LoggedTree { id: id as u8, tree: db.open_tree(name).map_err(backend)? })
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<IVec>, StoreError> {
        self.tree.get(key).map_err(backend)
    }

    pub fn scan_prefix(&self, prefix: &[u8]) -> sled::Iter {
        self.tree.scan_prefix(prefix)
    }

    pub fn iter(&self) -> sled::Iter {
        self.tree.iter()
    }

    /// The tree without the log, for tests that make what a crash leaves.
    #[cfg(test)]
    pub fn raw(&self) -> &sled::Tree {
        &self.tree
    }
}

/// The operations of one write, applied to sled and encoded as they go.
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn op(&mut self, tree: u8, kind: u8, key: &[u8], value: Option<&[u8]>) {
        self.buf.extend_from_slice(&[tree, kind]);
        self.buf.extend_from_slice(&(key.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(key);
        if let Some(v) = value {
            self.buf.extend_from_slice(&(v.len() as u32).to_le_bytes());
            self.buf.extend_from_slice(v);
        }
    }

    pub fn insert(&mut self, t: &LoggedTree, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        t.tree.insert(key, value).map_err(backend)?;
        self.op(t.id, PUT, key, Some(value));
        Ok(())
    }

    pub fn remove(&mut self, t: &LoggedTree, key: &[u8]) -> Result<(), StoreError> {
        if t.tree.remove(key).map_err(backend)?.is_some() {
            self.op(t.id, REMOVE, key, None);
        }
        Ok(())
    }

    /// Inserts only where the key is absent; otherwise gives the value there.
    pub fn insert_new(&mut self, t: &LoggedTree, key: &[u8], value: &[u8]) -> Result<Option<IVec>, StoreError> {
        match t.tree.compare_and_swap(key, None::<&[u8]>, Some(value)).map_err(backend)? {
            Ok(()) => {
                self.op(t.id, PUT, key, Some(value));
                Ok(None)
            }
            Err(lost) => Ok(lost.current),
        }
    }

    /// Sets the key to what `f` makes of its current value.
    pub fn update(
        &mut self,
        t: &LoggedTree,
        key: &[u8],
        f: impl FnOnce(Option<&[u8]>) -> Vec<u8>,
    ) -> Result<(), StoreError> {
        let new = f(t.tree.get(key).map_err(backend)?.as_deref());
        self.insert(t, key, &new)
    }
}

/// How far logging got: tickets up to `durable` are on disk; from `failed`
/// on, nothing will be.
#[derive(Clone, Copy, Debug)]
struct Progress {
    durable: Ticket,
    failed: Option<Ticket>,
}

impl Progress {
    fn settles(&self, t: Ticket) -> bool {
        self.durable >= t || self.failed.is_some_and(|f| f <= t)
    }

    fn outcome(&self, t: Ticket, error: impl FnOnce() -> String) -> Result<(), StoreError> {
        if self.durable >= t {
            Ok(())
        } else {
            Err(backend(format!("writing to disk failed: {}", error())))
        }
    }
}

struct State {
    /// Records not yet handed to the logging thread.
    buf: Vec<u8>,
    /// The last ticket handed out; its record is in `buf` or in a file.
    issued: Ticket,
    progress: Progress,
    error: Option<String>,
    /// Move to a new file soon (after a deletion or a purge).
    rotate: bool,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    /// To the logging thread: there is work, or it should stop.
    work: Condvar,
    /// To blocking waiters: a sync ended.
    done: Condvar,
    /// To async waiters: a sync ended.
    progress: watch::Sender<Progress>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Default)]
struct CheckpointState {
    prepared: Option<File>,
    retire: VecDeque<PathBuf>,
    stop: bool,
}

struct Checkpoints {
    state: Mutex<CheckpointState>,
    wake: Condvar,
}

impl Checkpoints {
    fn lock(&self) -> MutexGuard<'_, CheckpointState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Log {
    /// Writes of one stripe, one at a time (see the module's notes).
    stripes: Arc<Vec<Mutex<()>>>,
    shared: Arc<Shared>,
    checkpoints: Arc<Checkpoints>,
    threads: Vec<JoinHandle<()>>,
}

/// Work the logging thread does before each sync (and once more at the end),
/// so that its writes go to disk with that sync.
pub type BeforeSync = Box<dyn Fn(&Log) + Send>;

/// The file being appended to.
struct Active {
    file: File,
    path: PathBuf,
    number: u64,
    /// Bytes written; records start at 0 and follow each other.
    len: u64,
    /// Bytes made ahead (zeros); writing within them changes no metadata.
    room: u64,
    opened: Instant,
}

fn file_name(number: u64) -> String {
    format!("{number:016x}.log")
}

fn open_error(path: &Path, e: std::io::Error) -> StoreError {
    backend(format!("cannot open log file {}: {e}", path.display()))
}

fn crc(payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(payload);
    h.finalize()
}

/// The complete records at the start of a log file. Reading stops at zeros
/// (room made ahead), a cut record or a damaged one.
fn records(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let header = bytes.get(at..at + HEADER)?;
        if header[..4] != MAGIC {
            return None;
        }
        let len = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
        let payload = bytes.get(at + HEADER..at + HEADER + len)?;
        if crc(payload) != u32::from_le_bytes(header[8..12].try_into().ok()?) {
            return None;
        }
        at += HEADER + len;
        Some(payload)
    })
}

/// Fills in the header of `record`: `HEADER` bytes, then the payload.
fn frame(record: &mut [u8]) {
    let (header, payload) = record.split_at_mut(HEADER);
    header[..4].copy_from_slice(&MAGIC);
    header[4..8].copy_from_slice(&(payload.len() as u32).to_le_bytes());
    header[8..].copy_from_slice(&crc(payload).to_le_bytes());
}

/// Applies the operations of one record to the trees.
fn replay_record(trees: &[sled::Tree], mut p: &[u8]) -> Result<(), StoreError> {
    fn take<'a>(p: &mut &'a [u8], n: usize) -> Result<&'a [u8], StoreError> {
        if p.len() < n {
            return Err(corrupt("a log record is cut inside an operation"));
        }
        let (head, rest) = p.split_at(n);
        *p = rest;
        Ok(head)
    }
    fn len(p: &mut &[u8]) -> Result<usize, StoreError> {
        Ok(u32::from_le_bytes(take(p, 4)?.try_into().map_err(corrupt)?) as usize)
    }
    while !p.is_empty() {
        let (tree, kind) = match take(&mut p, 2)? {
            [tree, kind] => (*tree, *kind),
            _ => unreachable!("take gives two bytes"),
        };
        let tree =
            trees.get(tree as usize).ok_or_else(|| corrupt(format!("a log record names unknown tree {tree}")))?;
        let n = len(&mut p)?;
        let key = take(&mut p, n)?;
        match kind {
            PUT => {
                let n = len(&mut p)?;
                tree.insert(key, take(&mut p, n)?).map_err(backend)?;
            }
            REMOVE => {
                tree.remove(key).map_err(backend)?;
            }
            other => return Err(corrupt(format!("a log record has unknown operation {other}"))),
        }
    }
    Ok(())
}

/// The numbers of the log files in `dir`, oldest first.
fn log_files(dir: &Path) -> Result<Vec<u64>, StoreError> {
    let mut numbers = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(backend)? {
        let name = entry.map_err(backend)?.file_name();
        let name = name.to_string_lossy();
        if let Some(n) = name.strip_suffix(".log").and_then(|hex| u64::from_str_radix(hex, 16).ok()) {
            numbers.push(n);
        }
    }
    numbers.sort_unstable();
    Ok(numbers)
}

/// A file of `FILE_BYTES` zeros, synced, at `path`.
fn make_file(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(path)?;
    let zeros = vec![0u8; 1 << 20];
    let mut at = 0;
    while at < FILE_BYTES {
        file.write_all_at(&zeros, at)?;
        at += zeros.len() as u64;
    }
    file.sync_all()?;
    Ok(file)
}

/// Replays the log files in `dir` into sled, flushes sled and deletes them.
/// Returns the number the next file gets.
fn recover(dir: &Path, db: &sled::Db) -> Result<u64, StoreError> {
    let trees: Vec<sled::Tree> = TREES.iter().map(|t| db.open_tree(t).map_err(backend)).collect::<Result<_, _>>()?;
    let numbers = log_files(dir)?;
    for n in &numbers {
        let path = dir.join(file_name(*n));
        let bytes = std::fs::read(&path).map_err(|e| open_error(&path, e))?;
        for record in records(&bytes) {
            replay_record(&trees, record)?;
        }
    }
    db.flush().map_err(backend)?;
    for n in &numbers {
        std::fs::remove_file(dir.join(file_name(*n))).map_err(backend)?;
    }
    match std::fs::remove_file(dir.join(PREPARED)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(backend(e)),
    }
    // The removals are made durable by `open`'s sync after the next file.
    Ok(numbers.last().map_or(0, |n| n + 1))
}

impl Log {
    /// Replays what a crash left in `dir` into `db`, then starts logging there.
    /// Call before anything reads the trees.
    pub fn open(dir: &Path, db: sled::Db, before: BeforeSync) -> Result<Log, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| backend(format!("cannot create {}: {e}", dir.display())))?;
        let number = recover(dir, &db)?;
        let path = dir.join(file_name(number));
        let file = make_file(&path).map_err(|e| open_error(&path, e))?;
        sync_dir(dir)?;
        let active = Active { file, path, number, len: 0, room: FILE_BYTES, opened: Instant::now() };
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                buf: Vec::new(),
                issued: 0,
                progress: Progress { durable: 0, failed: None },
                error: None,
                rotate: false,
                stop: false,
            }),
            work: Condvar::new(),
            done: Condvar::new(),
            progress: watch::Sender::new(Progress { durable: 0, failed: None }),
        });
        let checkpoints = Arc::new(Checkpoints { state: Mutex::new(CheckpointState::default()), wake: Condvar::new() });
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(f)
                .map_err(|e| backend(format!("cannot start the {name} thread: {e}")))
        };
        // The logging thread gets a handle on the same parts, without threads
        // of its own (its drop does nothing).
        let stripes: Arc<Vec<Mutex<()>>> = Arc::new((0..STRIPES).map(|_| Mutex::new(())).collect());
        let handle = Log {
            stripes: stripes.clone(),
            shared: shared.clone(),
            checkpoints: checkpoints.clone(),
            threads: Vec::new(),
        };
        let (cp, cp_dir) = (checkpoints.clone(), dir.to_path_buf());
        let checkpoint = spawn("wegwijs-checkpoint", Box::new(move || checkpoint_loop(&cp, &cp_dir, &db)))?;
        let log_dir = dir.to_path_buf();
        let logging = match spawn("wegwijs-log", Box::new(move || log_loop(&handle, active, &log_dir, &before))) {
            Ok(t) => t,
            Err(e) => {
                checkpoints.lock().stop = true;
                checkpoints.wake.notify_one();
                let _ = checkpoint.join();
                return Err(e);
            }
        };
        Ok(Log { stripes, shared, checkpoints, threads: vec![logging, checkpoint] })
    }

    /// Applies and logs the operations `f` makes, as one record. Every key
    /// `f` writes must belong to `stripe`: the same key always with the same
    /// stripe. Returns what `f` returned and the write's ticket. Operations
    /// applied before an error are logged all the same.
    pub fn write<T>(
        &self,
        stripe: &[u8],
        f: impl FnOnce(&mut Writer) -> Result<T, StoreError>,
    ) -> Result<(T, Ticket), StoreError> {
        let shard = stripe.iter().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(*b as usize)) % STRIPES;
        let _one_at_a_time = self.stripes[shard].lock().unwrap_or_else(|e| e.into_inner());
        let mut w = Writer { buf: Vec::with_capacity(HEADER + 512) };
        w.buf.extend_from_slice(&[0u8; HEADER]);
        let result = f(&mut w);
        let mut record = w.buf;
        if record.len() == HEADER {
            return result.map(|r| (r, self.ticket()));
        }
        frame(&mut record);
        let mut st = self.shared.lock();
        if st.progress.failed.is_some() {
            return Err(backend(format!("writing to disk failed: {}", st.error.clone().unwrap_or_default())));
        }
        st.buf.extend_from_slice(&record);
        st.issued += 1;
        let ticket = st.issued;
        drop(st);
        self.shared.work.notify_one();
        result.map(|r| (r, ticket))
    }

    /// Blocks until every write so far is on disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.wait(self.ticket())
    }

    /// A ticket that covers every write so far.
    pub fn ticket(&self) -> Ticket {
        self.shared.lock().issued
    }

    /// Move to a new log file soon, so that the old one is checkpointed and
    /// deleted (after a deletion or a purge).
    pub fn rotate_soon(&self) {
        self.shared.lock().rotate = true;
        self.shared.work.notify_one();
    }

    /// Blocks until ticket `t` is on disk (or its write failed).
    pub fn wait(&self, t: Ticket) -> Result<(), StoreError> {
        let mut st = self.shared.lock();
        while !st.progress.settles(t) {
            st = self.shared.done.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        st.progress.outcome(t, || st.error.clone().unwrap_or_default())
    }

    /// `wait` as a future; holds no thread while it waits.
    pub fn wait_async(&self, t: Ticket) -> impl Future<Output = Result<(), StoreError>> + Send + 'static {
        let mut rx = self.shared.progress.subscribe();
        let shared = self.shared.clone();
        async move {
            let progress = *rx.wait_for(|p| p.settles(t)).await.map_err(|_| backend("the store was closed"))?;
            progress.outcome(t, || shared.lock().error.clone().unwrap_or_default())
        }
    }
}

impl Drop for Log {
    /// Logs what was written, checkpoints everything, then stops the threads.
    fn drop(&mut self) {
        if self.threads.is_empty() {
            return; // The logging thread's handle.
        }
        self.shared.lock().stop = true;
        self.shared.work.notify_one();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Active {
    fn append(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.file.write_all_at(buf, self.len)?;
        self.len += buf.len() as u64;
        if self.len > self.room {
            // Past the room made ahead: the file grew, so its size must be synced too.
            self.file.sync_all()
        } else {
            self.file.sync_data()
        }
    }
}

/// Moves to the file made ahead, if there is one, and hands the old file to the
/// checkpoint thread.
fn rotate(active: &mut Active, dir: &Path, cp: &Checkpoints) -> std::io::Result<bool> {
    let number = active.number + 1;
    let path = dir.join(file_name(number));
    let mut st = cp.lock();
    let Some(file) = st.prepared.take() else { return Ok(false) };
    // Under the lock, so that the next file is not begun under the same name.
    if let Err(e) = std::fs::rename(dir.join(PREPARED), &path) {
        st.prepared = Some(file);
        return Err(e);
    }
    drop(st);
    // The new name must be on disk before a record in the file is acknowledged.
    sync_dir_io(dir)?;
    let old =
        std::mem::replace(active, Active { file, path, number, len: 0, room: FILE_BYTES, opened: Instant::now() });
    cp.lock().retire.push_back(old.path);
    cp.wake.notify_one();
    Ok(true)
}

fn log_loop(log: &Log, mut active: Active, dir: &Path, before: &BeforeSync) {
    let shared = &log.shared;
    let mut spare = Vec::new();
    // A new file is wanted (asked for, or the file is old); `blocked` while
    // none is made yet, then it is tried again shortly.
    let (mut want_rotation, mut blocked) = (false, false);
    loop {
        let stopping = {
            let mut st = shared.lock();
            loop {
                want_rotation |= std::mem::take(&mut st.rotate);
                if active.len > 0 && active.opened.elapsed() >= MAX_FILE_AGE {
                    want_rotation = true;
                }
                // An empty file holds nothing to checkpoint.
                want_rotation &= active.len > 0;
                let pending = st.progress.failed.is_none() && st.issued > st.progress.durable;
                if st.stop || pending || (want_rotation && !blocked) {
                    break;
                }
                st = match (active.len, want_rotation) {
                    (0, _) => shared.work.wait(st).unwrap_or_else(|e| e.into_inner()),
                    (_, true) => shared.work.wait_timeout(st, RETRY).unwrap_or_else(|e| e.into_inner()).0,
                    _ => {
                        let left = MAX_FILE_AGE.saturating_sub(active.opened.elapsed());
                        shared.work.wait_timeout(st, left).unwrap_or_else(|e| e.into_inner()).0
                    }
                };
                blocked = false;
            }
            st.stop
        };
        before(log);
        let (mut buf, target) = {
            let mut st = shared.lock();
            std::mem::swap(&mut st.buf, &mut spare);
            (std::mem::take(&mut spare), st.issued)
        };
        let full = !buf.is_empty() && active.len + buf.len() as u64 > active.room;
        let mut result = Ok(());
        if full || want_rotation {
            result = rotate(&mut active, dir, &log.checkpoints).map(|moved| {
                blocked = !moved;
                want_rotation &= !moved;
            });
        }
        if result.is_ok() && !buf.is_empty() {
            result = active.append(&buf);
        }
        buf.clear();
        spare = buf;
        let mut st = shared.lock();
        match result {
            Ok(()) if st.progress.failed.is_none() => st.progress.durable = target,
            Ok(()) => {}
            Err(e) => {
                st.progress.failed = Some(st.progress.durable + 1);
                st.error = Some(e.to_string());
            }
        }
        let (progress, failed) = (st.progress, st.progress.failed.is_some());
        drop(st);
        shared.done.notify_all();
        shared.progress.send_replace(progress);
        if stopping {
            // Everything is in sled; the checkpoint thread flushes it and
            // deletes the files, this one too, on its way out.
            let mut cp = log.checkpoints.lock();
            if !failed {
                cp.retire.push_back(active.path);
            }
            cp.stop = true;
            drop(cp);
            log.checkpoints.wake.notify_one();
            return;
        }
    }
}

fn checkpoint_loop(cp: &Checkpoints, dir: &Path, db: &sled::Db) {
    let mut pause = Duration::from_millis(100);
    loop {
        let (retire, prepare, stop) = {
            let mut st = cp.lock();
            while !st.stop && st.retire.is_empty() && st.prepared.is_some() {
                st = cp.wake.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            (st.retire.iter().cloned().collect::<Vec<_>>(), st.prepared.is_none() && !st.stop, st.stop)
        };
        let mut failed = false;
        if !retire.is_empty() {
            // sled now holds everything these files hold; once it is on disk,
            // the files can go.
            let retired = db.flush().map_err(|e| e.to_string()).and_then(|_| {
                for path in &retire {
                    std::fs::remove_file(path).map_err(|e| e.to_string())?;
                }
                sync_dir_io(dir).map_err(|e| e.to_string())
            });
            match retired {
                Ok(()) => {
                    cp.lock().retire.drain(..retire.len());
                }
                Err(_) => failed = true, // Kept, and replayed at open if never retired.
            }
        }
        if prepare {
            match make_file(&dir.join(PREPARED)) {
                Ok(file) => cp.lock().prepared = Some(file),
                Err(_) => failed = true,
            }
        }
        if stop {
            let _ = std::fs::remove_file(dir.join(PREPARED));
            return;
        }
        if failed {
            // Try again later, without spinning.
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(10));
        } else {
            pause = Duration::from_millis(100);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_stop_at_zeros_a_cut_record_and_a_damaged_one() {
        let tree = |db: &sled::Db| LoggedTree::open(db, "queue").unwrap();
        let mut buf = Vec::new();
        for (k, v) in [("a", "1"), ("b", "2"), ("c", "3")] {
            let start = buf.len();
            buf.extend_from_slice(&[0u8; HEADER]);
            let db = sled::Config::new().temporary(true).open().unwrap();
            let mut w = Writer { buf: std::mem::take(&mut buf) };
            w.insert(&tree(&db), k.as_bytes(), v.as_bytes()).unwrap();
            buf = w.buf;
            frame(&mut buf[start..]);
        }
        let one = buf.len() / 3;
        assert_eq!(records(&buf).count(), 3);
        let mut zeros = buf.clone();
        zeros.extend_from_slice(&[0u8; 64]);
        assert_eq!(records(&zeros).count(), 3, "room made ahead ends the log");
        assert_eq!(records(&buf[..buf.len() - 1]).count(), 2, "a cut record is not read");
        let mut damaged = buf.clone();
        damaged[one + HEADER + 3] ^= 1;
        assert_eq!(records(&damaged).count(), 1, "nothing from a damaged record on");
        let db = sled::Config::new().temporary(true).open().unwrap();
        let trees: Vec<sled::Tree> = TREES.iter().map(|t| db.open_tree(t).unwrap()).collect();
        for r in records(&buf) {
            replay_record(&trees, r).unwrap();
        }
        assert_eq!(tree(&db).get(b"c").unwrap().as_deref(), Some(&b"3"[..]));
    }
}
