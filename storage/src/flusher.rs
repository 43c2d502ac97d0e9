//! Group commit. One thread flushes sled; a writer takes a ticket after its
//! write and waits until a flush covers it, blocking or as a future. Writes
//! that come in while a flush runs share the next one.
//!
//! A ticket is taken only after its write returned, and a flush covers every
//! ticket taken before it started, so a flush that covers ticket `t` has every
//! write of tickets up to `t` on disk.

use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use engine::{StoreError, Ticket};
use tokio::sync::watch;

use crate::backend;

/// How far flushing got: tickets up to `durable` are on disk; a flush that
/// would have covered tickets up to `failed` failed.
#[derive(Clone, Copy, Debug, Default)]
struct Progress {
    durable: Ticket,
    failed: Ticket,
}

impl Progress {
    fn settles(&self, t: Ticket) -> bool {
        self.durable >= t || self.failed >= t
    }

    fn outcome(&self, t: Ticket, error: impl FnOnce() -> String) -> Result<(), StoreError> {
        if self.durable >= t {
            Ok(())
        } else {
            Err(backend(format!("writing to disk failed: {}", error())))
        }
    }
}

#[derive(Default)]
struct State {
    /// The last ticket handed out; every write up to it has returned.
    issued: Ticket,
    progress: Progress,
    error: Option<String>,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    /// To the flushing thread: there is work, or it should stop.
    work: Condvar,
    /// To blocking waiters: a flush ended.
    done: Condvar,
    /// To async waiters: a flush ended.
    progress: watch::Sender<Progress>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Flusher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// Work the flushing thread does before each flush (and once more at the end),
/// so that its writes go to disk with that flush.
pub type BeforeFlush = Box<dyn Fn() + Send>;

impl Flusher {
    pub fn start(db: sled::Db, before: BeforeFlush) -> Result<Flusher, StoreError> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            work: Condvar::new(),
            done: Condvar::new(),
            progress: watch::Sender::new(Progress::default()),
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("wegwijs-flush".into())
            .spawn(move || run(&s, &db, &before))
            .map_err(|e| backend(format!("cannot start the flushing thread: {e}")))?;
        Ok(Flusher { shared, thread: Some(thread) })
    }

    /// A ticket for every write that has returned so far, and a flush asked for.
    pub fn ticket(&self) -> Ticket {
        let mut st = self.shared.lock();
        st.issued += 1;
        self.shared.work.notify_one();
        st.issued
    }

    /// Blocks until ticket `t` is on disk (or its flush failed).
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

impl Drop for Flusher {
    /// Flushes what was asked for, then stops the thread.
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.work.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(shared: &Shared, db: &sled::Db, before: &BeforeFlush) {
    loop {
        let target = {
            let mut st = shared.lock();
            while !st.stop && st.issued <= st.progress.durable.max(st.progress.failed) {
                st = shared.work.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            if st.issued <= st.progress.durable.max(st.progress.failed) {
                // Stopping, and no one waits: a last flush for `before`'s writes.
                drop(st);
                before();
                let _ = db.flush();
                return;
            }
            // Every ticket issued so far belongs to a write that has returned.
            st.issued
        };
        before();
        let result = db.flush();
        let mut st = shared.lock();
        match result {
            Ok(_) => st.progress.durable = st.progress.durable.max(target),
            Err(e) => {
                st.progress.failed = st.progress.failed.max(target);
                st.error = Some(e.to_string());
            }
        }
        let progress = st.progress;
        drop(st);
        shared.done.notify_all();
        shared.progress.send_replace(progress);
    }
}
