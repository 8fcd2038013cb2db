//! A worker that drives a warm handler itself (stream mode, `in_flight = 1`, no rate limit
//! or guard) overlaps the handler and Redis: once item N is handed to the handler, one round
//! trip settles item N-1, touches N's lease and claims N+1, while the handler works. Each
//! item still has its own atomic settle, and every lease counts from its hand-over: N+1,
//! claimed while N was in the handler, gets its deadline moved when it is handed over in
//! turn (touch.lua), so waiting behind N does not eat into its time. At most one item is
//! claimed and not yet handed over; if pipectl dies, it comes back when its lease expires,
//! as any item in flight does.

use std::time::{Duration, Instant};

use anyhow::Result;

use super::StageRun;
use super::settle::{Overlap, call_of, stream_outcome};
use crate::handler::stream::Direct;
use crate::store::{Claim, Lease, Store};

impl StageRun<'_> {
    /// Hands `lease` to the handler, settles the item answered before it meanwhile, and
    /// waits for the answer, which is left in `overlap` to settle in the next item's round
    /// trip. Returns the next item's claim. `claimed_ahead`: the lease was claimed while the
    /// item before it was in the handler (it is touched now).
    pub(super) fn overlapped(
        &self,
        store: &mut Store,
        direct: &mut Direct<'_>,
        lease: Lease,
        ahead: (Duration, &str),
        overlap: &mut Overlap,
        claimed_ahead: bool,
    ) -> Result<Option<Result<Claim>>> {
        // A restart's pause would hold the answered item's settle back while its lease runs.
        if overlap.is_some() && direct.pausing() {
            self.flush(store, overlap)?;
        }
        let started = Instant::now();
        let note = lease.note.as_deref().map(crate::handler::note_text);
        let ticket = match direct.begin(&call_of(self, &lease, note.as_deref())) {
            Ok(ticket) => ticket,
            Err(err) => {
                let flushed = self.flush(store, overlap);
                let released = self.answered(store, lease, Err(err), started).map(|_| None);
                return flushed.and(released);
            }
        };
        let handed = claimed_ahead.then_some((lease.id.as_str(), ahead.0));
        let next = match overlap.take() {
            Some(before) => self.settle_answered(store, before, handed, Some(ahead)),
            None => self.claim_meanwhile(store, handed, ahead),
        };
        let next = match next {
            Ok(next) => next,
            Err(err) => {
                // The run stops: the item in the handler goes back, its answer not waited for.
                self.release(store, &lease).ok();
                return Err(err);
            }
        };
        let called = direct.finish(ticket).map(stream_outcome);
        match self.answered(store, lease, called, started) {
            Ok(answered) => {
                *overlap = Some(answered);
                Ok(next)
            }
            Err(err) => {
                self.drop_ahead(store, next);
                Err(err)
            }
        }
    }

    /// Nothing answered to settle (the first item, or after a restart's pause): the touch
    /// on its own, then the next claim, while the handler works.
    fn claim_meanwhile(
        &self,
        store: &mut Store,
        handed: Option<(&str, Duration)>,
        (lease, paused): (Duration, &str),
    ) -> Result<Option<Result<Claim>>> {
        if let Some((id, dur)) = handed {
            self.resilient(store, |s| s.touch(self.queue, id, dur))?;
        }
        if self.stopping() || !self.reserve() {
            return Ok(None);
        }
        Ok(Some(self.resilient(store, |s| {
            s.claim(self.queue, 1, lease, Some(paused))
        })))
    }

    /// Settles the item answered last, if any, with nothing sent along.
    pub(super) fn flush(&self, store: &mut Store, overlap: &mut Overlap) -> Result<()> {
        match overlap.take() {
            Some(answered) => self
                .settle_answered(store, answered, None, None)
                .map(|_| ()),
            None => Ok(()),
        }
    }
}
