//! A stream handler driven by its worker (`in_flight = 1`): the worker that claims an item
//! writes its request to its own handler process and waits for the answer itself, on its
//! own thread — no driver thread between them, so no hand-over and wake-up of another
//! thread per item. Everything else is the driver's: the same session (session.rs) with
//! its timeouts, garbage and crash handling, the same restart pauses, the same end.
//!
//! Between items nobody reads the process's pipes: what it wrote meanwhile (stderr, an
//! unexpected line, its exit) is looked at before the next request is written, and belongs
//! to no item, as when a driver reads it while nothing is in flight.

use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use super::session::{End, Session};
use super::{Answer, CLOSE_GRACE, Reply, Request, StreamHandler, TICK, protocol, restart_pause};
use crate::handler::{Call, Outcome, Shutdown, Unrunnable};

/// An item given to the handler, its answer still to come.
pub struct Ticket(Option<std::sync::mpsc::Receiver<Reply>>);

/// One worker's handler process, started at its first item.
pub struct Direct<'h> {
    h: &'h StreamHandler,
    index: usize,
    shutdown: &'h Shutdown,
    session: Option<Session>,
    failures: u32,
    not_before: Option<Instant>,
}

impl<'h> Direct<'h> {
    pub(super) fn new(h: &'h StreamHandler, index: usize, shutdown: &'h Shutdown) -> Direct<'h> {
        Direct {
            h,
            index,
            shutdown,
            session: None,
            failures: 0,
            not_before: None,
        }
    }

    /// Gives the item to this worker's handler process and waits for its answer.
    pub fn call(&mut self, call: &Call<'_>) -> Result<Answer, Unrunnable> {
        let ticket = self.begin(call)?;
        self.finish(ticket)
    }

    /// Whether the next [`begin`](Self::begin) waits out a restart's pause first (the
    /// process ended, maybe while it was idle, without answering anything lately).
    pub fn pausing(&mut self) -> bool {
        self.look_idle();
        self.not_before.is_some()
    }

    /// Writes the item's request to this worker's handler process (started, or restarted
    /// after its pause, first) and returns at once: [`finish`](Self::finish) waits for the
    /// answer. The item's timeout counts from now.
    pub fn begin(&mut self, call: &Call<'_>) -> Result<Ticket, Unrunnable> {
        let shutdown = self.shutdown;
        self.look_idle();
        if let Some(at) = self.not_before.take() {
            // A restart's pause (the process ended without answering anything).
            while !shutdown.grace_over() {
                let left = at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                std::thread::sleep(left.min(TICK));
            }
        }
        if shutdown.grace_over() {
            return Ok(Ticket(None));
        }
        let session = match &mut self.session {
            Some(session) => session,
            empty => {
                let guard = self.h.live_guard().map_err(Unrunnable)?;
                empty.insert(Session::start(self.h, self.index, &guard).map_err(Unrunnable)?)
            }
        };
        let id = self.h.next_id.fetch_add(1, Ordering::Relaxed);
        let (reply, answer) = sync_channel(1);
        session.send(Request {
            id,
            line: protocol::request(id, call),
            item: call.item.to_vec(),
            reply,
        });
        Ok(Ticket(Some(answer)))
    }

    /// Waits for the answer to the request [`begin`](Self::begin) wrote.
    pub fn finish(&mut self, ticket: Ticket) -> Result<Answer, Unrunnable> {
        let Ticket(Some(answer)) = ticket else {
            return Ok(interrupted());
        };
        let shutdown = self.shutdown;
        loop {
            let Some(session) = self.session.as_mut() else {
                // Every item of an ended session was answered; Interrupted if not (never).
                return answer.try_recv().map_or(Ok(interrupted()), answer_of);
            };
            let end = session.turn(None, TICK, false, shutdown);
            let got = answer.try_recv();
            if let Some(end) = end {
                self.session = None;
                self.ended(&end);
                return got.map_or(Ok(interrupted()), answer_of);
            }
            if let Ok(reply) = got {
                return answer_of(reply);
            }
        }
    }

    /// What happened while it was idle: it may have exited, or written a stray line.
    fn look_idle(&mut self) {
        if let Some(s) = self.session.as_mut()
            && s.idle()
            && let Some(end) = s.turn(None, Duration::ZERO, false, self.shutdown)
        {
            self.session = None;
            self.ended(&end);
        }
    }

    fn ended(&mut self, end: &End) {
        if let End::Ended { answered } = end {
            self.failures = if *answered { 1 } else { self.failures + 1 };
            self.not_before = Some(Instant::now() + restart_pause(self.failures));
        }
    }
}

impl Drop for Direct<'_> {
    /// End of the run for this worker: the process's stdin is closed and it has
    /// [`CLOSE_GRACE`] to exit before it is killed (dropping the session).
    fn drop(&mut self) {
        if let Some(mut s) = self.session.take() {
            s.close_stdin();
            let at = Instant::now();
            while at.elapsed() <= CLOSE_GRACE {
                if s.turn(None, TICK, true, self.shutdown).is_some() {
                    return;
                }
            }
        }
    }
}

fn interrupted() -> Answer {
    Answer {
        outcome: Outcome::Interrupted,
        cost: None,
    }
}

fn answer_of(reply: Reply) -> Result<Answer, Unrunnable> {
    match reply {
        Reply::Answer(answer) => Ok(answer),
        Reply::Unrunnable(why) => Err(Unrunnable(why)),
    }
}
