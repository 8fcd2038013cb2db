//! Settling an item: the handler's outcome recorded in one atomic step, with its counters.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::step::{Done, Step};
use super::{Runner, StageRun, unrunnable};
use crate::handler::cost::Cost;
use crate::handler::stream::Direct;
use crate::handler::{Call, Outcome};
use crate::store::{Claim, Lease, Settled, Store};

impl StageRun<'_> {
    pub(super) fn process(
        &self,
        store: &mut Store,
        runner: &Runner,
        direct: Option<&mut Direct<'_>>,
        lease: Lease,
        slot: usize,
        ahead: Option<(Duration, &str)>,
    ) -> Result<Option<Result<Claim>>> {
        let started = Instant::now();
        let note = lease.note.as_deref().map(crate::handler::note_text);
        let call = Call {
            item: &lease.item,
            stage: &self.stage.name,
            queue: self.queue,
            attempt: lease.attempt,
            note: note.as_deref(),
        };
        // A stream handler's answer carries its cost as JSON: the same checks as a control
        // channel's, and a malformed one fails the item rather than being ignored.
        let called = match runner {
            Runner::Exec(h) => h.call(&call, self.shutdown),
            Runner::Http(h) => Ok(h.call(&call)),
            Runner::Stream(h, _) => match direct {
                Some(direct) => direct.call(&call),
                None => h.call(slot, &call),
            }
            .map(
                |answer| match crate::handler::cost::from_json(answer.cost) {
                    Ok(cost) => (answer.outcome, cost),
                    Err(reason) => (
                        crate::handler::Outcome::Retry {
                            reason,
                            after: None,
                        },
                        Cost::default(),
                    ),
                },
            ),
        };
        let (outcome, cost) = match called {
            Ok(answer) => answer,
            Err(err) => {
                // Not the item's fault: put it back as it was and stop the run.
                self.release(store, &lease)?;
                return Err(unrunnable(err).into());
            }
        };
        let outcome = self.step().check_review(self.step().check_outputs(outcome));
        let settle = |s: &mut Store| self.settle(s, &lease, outcome.clone(), &cost);
        // The next item's claim, sent in the same round trip after this settle (each its
        // own atomic step), when the worker goes on.
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

    fn step(&self) -> Step<'_> {
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
    fn release(&self, store: &mut Store, lease: &Lease) -> Result<Settled> {
        self.step().release(store, lease)
    }
}
