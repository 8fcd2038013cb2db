//! exec handlers with `mode = "stream"`: one long-lived handler process per concurrency
//! slot, given items over a line protocol on its stdin and answering on its stdout
//! (docs/handler-stream.md).
//!
//! A slot's process (started by the run's handler guard, so it dies with pipectl, SIGKILL
//! included) runs in a session (session.rs): requests written, answers and stderr read
//! with poll(2), each item's timeout enforced, the process restarted with backoff when it
//! exits, writes something that is not a response, or is killed for a timeout. Workers
//! claim and settle items exactly as for one process per item. With `in_flight = 1` (the
//! default) a slot is one worker, which runs its session itself (direct.rs); with more,
//! a driver thread per slot owns the session (driver.rs) and the slot's `in_flight`
//! workers hand it their calls.

mod direct;
mod driver;
pub mod protocol;
mod session;

use std::collections::VecDeque;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use direct::{Direct, Ticket};
pub use protocol::Answer;

use super::guard::Guard;
use super::{Call, Outcome, Shutdown, Unrunnable};

/// How long a handler has to exit once its stdin is closed at the end of a run.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Restarting a handler that ended: the first pause, doubled while it keeps ending without
/// answering anything, up to the last.
const RESTART_FIRST: Duration = Duration::from_millis(100);
const RESTART_MAX: Duration = Duration::from_secs(2);
/// How often a session looks at the shutdown's grace period when nothing happens.
const TICK: Duration = Duration::from_millis(100);

/// The pause before a restart after `failures` ends in a row (1 after an answer).
fn restart_pause(failures: u32) -> Duration {
    RESTART_FIRST
        .saturating_mul(1 << failures.saturating_sub(1).min(10))
        .min(RESTART_MAX)
}

/// A stream handler for one stage: its settings and its slots.
pub struct StreamHandler {
    pub argv: Vec<String>,
    pub timeout: Duration,
    pub max_item_bytes: usize,
    pub stage: String,
    pub queue: String,
    guard: Mutex<Arc<Guard>>,
    slots: Vec<Slot>,
    next_id: AtomicU64,
}

/// One handler process's place: requests waiting for its driver, and how to wake it.
struct Slot {
    queue: Mutex<VecDeque<Request>>,
    closed: AtomicBool,
    /// An eventfd the driver polls: written when a request is queued or the slot closed.
    wake: OwnedFd,
}

/// An item handed to a driver.
struct Request {
    id: u64,
    line: Vec<u8>,
    item: Vec<u8>,
    reply: SyncSender<Reply>,
}

enum Reply {
    Answer(Answer),
    Unrunnable(String),
}

impl StreamHandler {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        argv: Vec<String>,
        timeout: Duration,
        max_item_bytes: usize,
        stage: &str,
        queue: &str,
        slots: usize,
        guard: Guard,
    ) -> std::io::Result<StreamHandler> {
        let slots = (0..slots.max(1))
            .map(|_| {
                // SAFETY: eventfd returns a new descriptor (or -1), which we then own.
                let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
                if fd < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(Slot {
                    queue: Mutex::new(VecDeque::new()),
                    closed: AtomicBool::new(false),
                    // SAFETY: just opened, owned by no one else.
                    wake: unsafe { OwnedFd::from_raw_fd(fd) },
                })
            })
            .collect::<std::io::Result<Vec<Slot>>>()?;
        Ok(StreamHandler {
            argv,
            timeout,
            max_item_bytes,
            stage: stage.to_owned(),
            queue: queue.to_owned(),
            guard: Mutex::new(Arc::new(guard)),
            slots,
            next_id: AtomicU64::new(1),
        })
    }

    pub fn slots(&self) -> usize {
        self.slots.len()
    }

    /// Gives the item to slot `slot`'s handler and waits for its answer (the driver
    /// enforces the timeout). A driver that is gone means pipectl is stopping: the item is
    /// released.
    pub fn call(&self, slot: usize, call: &Call<'_>) -> Result<Answer, Unrunnable> {
        let Some(place) = self.slots.get(slot % self.slots.len().max(1)) else {
            return Err(Unrunnable("stream handler has no slots".into()));
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (reply, answer) = sync_channel(1);
        let request = Request {
            id,
            line: protocol::request(id, call),
            item: call.item.to_vec(),
            reply,
        };
        match place.queue.lock() {
            Ok(mut queue) => queue.push_back(request),
            Err(_) => return Err(Unrunnable("the stream handler's queue is unusable".into())),
        }
        place.wake();
        match answer.recv() {
            Ok(Reply::Answer(answer)) => Ok(answer),
            Ok(Reply::Unrunnable(why)) => Err(Unrunnable(why)),
            Err(_) => Ok(Answer {
                outcome: Outcome::Interrupted,
                cost: None,
            }),
        }
    }

    /// Slot `slot`'s process, driven by the worker that calls it (`in_flight = 1`: no
    /// driver thread for the slot).
    pub fn direct<'h>(&'h self, slot: usize, shutdown: &'h Shutdown) -> Direct<'h> {
        Direct::new(self, slot, shutdown)
    }

    /// Runs slot `slot`'s driver until [`close`](Self::close) and its last answer.
    pub fn drive(&self, slot: usize, shutdown: &Shutdown) {
        if let Some(place) = self.slots.get(slot) {
            driver::drive(self, slot, place, shutdown);
        }
    }

    /// No more requests: each driver closes its handler's stdin once its requests are
    /// answered, and ends.
    pub fn close(&self) {
        for slot in &self.slots {
            slot.closed.store(true, Ordering::SeqCst);
            slot.wake();
        }
    }

    /// The guard, replaced by a new one first if it died (it was killed).
    fn live_guard(&self) -> Result<Arc<Guard>, String> {
        let Ok(mut current) = self.guard.lock() else {
            return Err("the handler guard is unusable".into());
        };
        if !current.alive() {
            let fresh =
                Guard::start().map_err(|e| format!("cannot start the handler guard again: {e}"))?;
            *current = Arc::new(fresh);
        }
        Ok(current.clone())
    }
}

impl Slot {
    fn wake(&self) {
        let one = 1u64.to_ne_bytes();
        // SAFETY: an 8-byte write to our eventfd; a full counter (never) just drops it.
        unsafe { libc::write(self.wake.as_raw_fd(), one.as_ptr().cast(), 8) };
    }

    fn drain_wake(&self) {
        let mut buf = [0u8; 8];
        // SAFETY: an 8-byte read from our non-blocking eventfd.
        unsafe { libc::read(self.wake.as_raw_fd(), buf.as_mut_ptr().cast(), 8) };
    }

    fn take(&self) -> Vec<Request> {
        match self.queue.lock() {
            Ok(mut queue) => queue.drain(..).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.queue.lock().map(|q| q.is_empty()).unwrap_or(true)
    }

    fn closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}
