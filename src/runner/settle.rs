//! Settling an item: the handler's outcome recorded in one atomic step, with its counters.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::step::{Done, Step};
use super::{Runner, StageRun, unrunnable};
use crate::handler::cost::Cost;
use crate::handler::stream::{Answer, Direct};
use crate::handler::{Call, Outcome, Unrunnable};
use crate::store::{Claim, Lease, Settled, Store};

/// An item its handler answered, to be settled.
pub(super) struct Answered {
    lease: Lease,
    outcome: Outcome,
    cost: Cost,
    started: Instant,
}

/// What a worker that overlaps its handler and Redis (overlap.rs) carries between items:
/// the item answered last, settled in the round trip made while the next is handled.
pub(super) type Overlap = Option<Answered>;

impl StageRun<'_> {
    /// Gives the item to the handler and settles its answer. A worker driving a warm
    /// handler itself (`direct`) with `ahead` (the next claim's lease and the pause flag)
    /// overlaps them (overlap.rs): returns the next item's claim, made meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn process(
        &self,
        store: &mut Store,
        runner: &Runner,
        direct: Option<&mut Direct<'_>>,
        lease: Lease,
        slot: usize,
        ahead: Option<(Duration, &str)>,
        overlap: &mut Overlap,
        claimed_ahead: bool,
    ) -> Result<Option<Result<Claim>>> {
        let direct = match (direct, ahead) {
            (Some(direct), Some(ahead)) => {
                return self.overlapped(store, direct, lease, ahead, overlap, claimed_ahead);
            }
            // An item claimed along with the settle before it is handed over at once here:
            // its lease needs no touch.
            (direct, _) => direct,
        };
        let started = Instant::now();
        let note = lease.note.as_deref().map(crate::handler::note_text);
        let call = call_of(self, &lease, note.as_deref());
        let called = match runner {
            Runner::Exec(h) => h.call(&call, self.shutdown),
            Runner::Http(h) => Ok(h.call(&call)),
            Runner::Stream(h, _) => match direct {
                Some(direct) => direct.call(&call),
                None => h.call(slot, &call),
            }
            .map(stream_outcome),
        };
        let answered = self.answered(store, lease, called, started)?;
        self.settle_answered(store, answered, None, ahead)
    }

    /// The handler's answer, checked (outputs, review): what to settle. An unrunnable
    /// handler is not the item's fault: it goes back as it was and the run stops.
    pub(super) fn answered(
        &self,
        store: &mut Store,
        lease: Lease,
        called: Result<(Outcome, Cost), Unrunnable>,
        started: Instant,
    ) -> Result<Answered> {
        let (outcome, cost) = match called {
            Ok(answer) => answer,
            Err(err) => {
                self.release(store, &lease)?;
                return Err(unrunnable(err).into());
            }
        };
        let outcome = self.step().check_review(self.step().check_outputs(outcome));
        Ok(Answered {
            lease,
            outcome,
            cost,
            started,
        })
    }

    /// Settles an answered item in one atomic step. Sent along in the same round trip,
    /// each its own step after it: the touch of `handed` (a lease claimed ahead and just
    /// handed to the handler: its deadline counts from now), then, with `ahead`, the next
    /// item's claim, which is returned.
    pub(super) fn settle_answered(
        &self,
        store: &mut Store,
        a: Answered,
        handed: Option<(&str, Duration)>,
        ahead: Option<(Duration, &str)>,
    ) -> Result<Option<Result<Claim>>> {
        let Answered {
            lease,
            outcome,
            cost,
            started,
        } = a;
        let settle = |s: &mut Store| self.settle(s, &lease, outcome.clone(), &cost);
        let touching = handed.is_some_and(|(id, dur)| store.touch_along(self.queue, id, dur));
        let along = match ahead {
            Some((next_lease, paused)) if !self.stopping() && self.reserve() => {
                let sent = store.claim_along(self.queue, 1, next_lease, Some(paused));
                if !matches!(sent, Ok(true)) {
                    self.unreserve();
                }
                matches!(sent, Ok(true))
            }
            _ => false,
        };
        let settled = self.resilient(store, settle);
        // The replies of what rode along, in the order sent: the touch's, then the claim's.
        let touched = touching.then(|| store.touched()).flatten();
        let next = along.then(|| store.claimed(self.queue));
        let label = match settled {
            Ok(label) => label,
            Err(err) if super::transient(&err) => {
                // Redis went away (and `resilient` gave up): the move may have happened, and
                // the connection is gone; the lease brings the item back if it did not.
                if let Some(next) = next {
                    self.drop_ahead(store, next);
                }
                return Err(err);
            }
            Err(err) => {
                // The move was refused as a whole (a key of the wrong type, a permission):
                // hand the item back now rather than when its lease expires.
                self.release(store, &lease).ok();
                if let Some(next) = next {
                    self.drop_ahead(store, next);
                }
                return Err(err);
            }
        };
        // A touch not sent along (a cluster) or not known to have run: made on its own now.
        if let (None, Some((id, dur))) = (touched, handed) {
            self.resilient(store, |s| s.touch(self.queue, id, dur))?;
        }
        // Not sent after all, or not known to have run: the worker claims as usual.
        let next = match next {
            Some(None) => {
                self.unreserve();
                None
            }
            next => next.flatten(),
        };
        self.bar.inc(1);
        if self.verbose {
            let cost: String = cost
                .0
                .iter()
                .map(|(unit, micro)| format!(", {unit} {}", *micro as f64 / crate::config::MICRO))
                .collect();
            let line = format!(
                "pipectl: {} attempt {} of {}: {label} in {}ms{cost}",
                self.stage.name,
                lease.attempt,
                crate::output::summary(&lease.item, 60),
                started.elapsed().as_millis()
            );
            self.bar
                .suspend(|| writeln!(std::io::stderr().lock(), "{line}").ok());
        }
        Ok(next)
    }

    /// A claim sent along that will not be processed (the worker stops): its items go back
    /// to the front of the queue, not counted, and its budget is handed back.
    pub(super) fn drop_ahead(&self, store: &mut Store, next: Option<Result<Claim>>) {
        let Some(next) = next else { return };
        if let Ok(Claim::Leased(leases)) = next {
            for lease in &leases {
                self.release(store, lease).ok();
            }
        }
        self.unreserve();
    }

    pub(super) fn step(&self) -> Step<'_> {
        Step {
            config: self.config,
            stage: self.stage,
            queue: self.queue,
        }
    }

    /// Records an outcome in one atomic step (runner/step.rs) and tallies it. Returns a
    /// word for the log.
    fn settle(
        &self,
        store: &mut Store,
        lease: &Lease,
        outcome: Outcome,
        cost: &Cost,
    ) -> Result<String> {
        let actor = crate::audit::Actor::named(format!("handler:{}", self.stage.name));
        let done = self
            .step()
            .settle_costed(store, lease, outcome, cost, &actor)?;
        if !done.events.is_empty()
            && let Ok(mut events) = self.tally.guard_events.lock()
        {
            events.extend(done.events.iter().cloned());
        }
        let t = &self.tally;
        let moved = done.settled == Settled::Moved;
        let count = |counter: &AtomicU64| {
            if moved {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        };
        match done.done {
            Done::Succeeded { added, duplicates } => {
                if moved {
                    t.succeeded.fetch_add(1, Ordering::Relaxed);
                    t.outputs.fetch_add(added, Ordering::Relaxed);
                    t.duplicates.fetch_add(duplicates, Ordering::Relaxed);
                }
            }
            Done::Deferred(_) => count(&t.deferred),
            Done::Retried(_) => count(&t.retried),
            Done::Dead => count(&t.dead),
            Done::Escalated => count(&t.escalated),
            Done::Released => {
                count(&t.released);
                return Ok(done.label);
            }
        }
        t.processed.fetch_add(1, Ordering::Relaxed);
        if !moved {
            t.lost_leases.fetch_add(1, Ordering::Relaxed);
            return Ok(format!(
                "{}, but the lease had expired: the item went back to its queue",
                done.label
            ));
        }
        Ok(done.label)
    }

    /// Hands a leased item back to the front of its queue, its claim not counted: not the
    /// item's fault.
    pub(super) fn release(&self, store: &mut Store, lease: &Lease) -> Result<Settled> {
        self.step().release(store, lease)
    }
}

/// The handler call for a leased item (`note`: its note as text, [`note_text`]).
///
/// [`note_text`]: crate::handler::note_text
pub(super) fn call_of<'a>(
    run: &'a StageRun<'_>,
    lease: &'a Lease,
    note: Option<&'a str>,
) -> Call<'a> {
    Call {
        item: &lease.item,
        stage: &run.stage.name,
        queue: run.queue,
        attempt: lease.attempt,
        note,
    }
}

/// A stream handler's answer carries its cost as JSON: the same checks as a control
/// channel's, and a malformed one fails the item rather than being ignored.
pub(super) fn stream_outcome(answer: Answer) -> (Outcome, Cost) {
    match crate::handler::cost::from_json(answer.cost) {
        Ok(cost) => (answer.outcome, cost),
        Err(reason) => (
            Outcome::Retry {
                reason,
                after: None,
            },
            Cost::default(),
        ),
    }
}
