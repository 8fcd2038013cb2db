//! Settling an item: the handler's outcome recorded in one atomic step, with its counters.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::Result;

use super::{Runner, StageRun, backoff, unrunnable};
use crate::handler::{Call, Outcome};
use crate::input;
use crate::keys;
use crate::store::escalate::Escalation;
use crate::store::{Counters, Dedup, Destination, Lease, NackTo, Settled, Store};

impl StageRun<'_> {
    pub(super) fn process(&self, store: &mut Store, runner: &Runner, lease: Lease) -> Result<()> {
        let started = Instant::now();
        let note = lease.note.as_deref().map(crate::handler::note_text);
        let call = Call {
            item: &lease.item,
            stage: &self.stage.name,
            queue: self.queue,
            attempt: lease.attempt,
            note: note.as_deref(),
        };
        let outcome = match runner {
            Runner::Exec(h) => match h.call(&call, self.shutdown) {
                Ok(outcome) => outcome,
                Err(err) => {
                    // Not the item's fault: put it back as it was and stop the run.
                    self.release(store, &lease)?;
                    return Err(unrunnable(err).into());
                }
            },
            Runner::Http(h) => h.call(&call),
        };
        let outcome = self.check_review(self.check_outputs(outcome));
        let label = match self.resilient(store, |s| self.settle(s, &lease, outcome.clone())) {
            Ok(label) => label,
            Err(err) if super::transient(&err) => {
                // Redis went away (and `resilient` gave up): the move may have happened, and
                // the connection is gone; the lease brings the item back if it did not.
                return Err(err);
            }
            Err(err) => {
                // The move was refused as a whole (a key of the wrong type, a permission):
                // hand the item back now rather than when its lease expires.
                self.release(store, &lease).ok();
                return Err(err);
            }
        };
        self.bar.inc(1);
        if self.verbose {
            let line = format!(
                "pipectl: {} attempt {} of {}: {label} in {}ms",
                self.stage.name,
                lease.attempt,
                crate::output::summary(&lease.item, 60),
                started.elapsed().as_millis()
            );
            self.bar
                .suspend(|| writeln!(std::io::stderr().lock(), "{line}").ok());
        }
        Ok(())
    }

    /// With dedup_by, every output must carry the field: an answer without it is a handler
    /// failure, not an item to push.
    fn check_outputs(&self, outcome: Outcome) -> Outcome {
        let (Outcome::Success(items), Some(field)) = (&outcome, &self.stage.dedup_by) else {
            return outcome;
        };
        let rules = input::Rules {
            max_bytes: self.config.max_item_bytes,
            dedup_by: Some(field),
        };
        for (i, item) in items.iter().enumerate() {
            if let Err(bad) = input::validate(input::Origin::Line(i + 1), item, &rules) {
                return Outcome::Retry {
                    reason: format!("handler output item {}: {}", i + 1, bad.reason),
                    after: None,
                };
            }
        }
        outcome
    }

    /// A `review` control from a stage that names no manual stage to escalate to is a
    /// handler failure (retried, then dead-lettered), never a silent drop.
    fn check_review(&self, outcome: Outcome) -> Outcome {
        match (&outcome, &self.stage.escalate_to) {
            (Outcome::Review { question, .. }, None) => Outcome::Retry {
                reason: format!(
                    "the handler asked for review (\"{}\"), but stage '{}' has no escalate_to: set escalate_to = \"<manual stage>\" in [stages.{}] of pipectl.toml",
                    crate::output::truncate(question, 100),
                    self.stage.name,
                    self.stage.name
                ),
                after: None,
            },
            _ => outcome,
        }
    }

    fn counters(&self, events: &[&str]) -> Vec<String> {
        let day = crate::date::today().to_string();
        events
            .iter()
            .map(|e| {
                keys::counter(
                    &keys::stage_counter(&self.config.name, &self.stage.name, e),
                    &day,
                )
            })
            .collect()
    }

    /// Records an outcome in one atomic step. Returns a word for the log.
    fn settle(&self, store: &mut Store, lease: &Lease, outcome: Outcome) -> Result<String> {
        let ttl = self.config.stats_retention;
        let t = &self.tally;
        let (settled, label) = match outcome {
            Outcome::Success(items) => {
                let keys = self.counters(&["processed", "succeeded"]);
                let counters = Counters { keys: &keys, ttl };
                let day = crate::date::today().to_string();
                let (new_counter, dup_counter) = (
                    keys::counter(&keys::counter_new(&self.config.name), &day),
                    keys::counter(&keys::counter_dup(&self.config.name), &day),
                );
                let dedup = self.stage.dedup_by.as_ref().map(|_| Dedup {
                    seen_set: &self.config.seen_set,
                    new_counter: &new_counter,
                    dup_counter: &dup_counter,
                });
                let outputs: Vec<(Option<String>, Vec<u8>)> = items
                    .into_iter()
                    .map(|item| {
                        let value = self.stage.dedup_by.as_deref().and_then(|field| {
                            serde_json::from_slice(&item)
                                .ok()
                                .and_then(|v| input::dedup_value(&v, field).ok())
                        });
                        (value, item)
                    })
                    .collect();
                let output = self.stage.output.as_deref();
                // Into a staging list: the items' arrival is kept for their waiting time.
                let arrivals = output
                    .filter(|out| {
                        self.config
                            .stage_for_input(out)
                            .is_some_and(|s| matches!(s.handler, crate::config::Handler::Manual))
                    })
                    .map(|out| keys::StagedKeys::new(out).since);
                let (settled, added, dups) = store.complete(
                    self.queue,
                    lease,
                    output.map(|list| Destination {
                        list,
                        arrivals: arrivals.as_deref(),
                    }),
                    dedup.as_ref(),
                    &outputs,
                    &counters,
                )?;
                if settled == Settled::Moved {
                    t.succeeded.fetch_add(1, Ordering::Relaxed);
                    t.outputs.fetch_add(added, Ordering::Relaxed);
                    t.duplicates.fetch_add(dups, Ordering::Relaxed);
                }
                (settled, format!("succeeded, {added} out"))
            }
            Outcome::Defer { after, replacement } => {
                let to = NackTo::Defer {
                    after,
                    replacement: replacement.as_deref(),
                };
                let settled =
                    self.move_counted(store, lease, to, &["processed", "deferred"], &t.deferred)?;
                (
                    settled,
                    format!("deferred {}", crate::duration::format(after)),
                )
            }
            Outcome::Retry { reason, after }
                if lease.attempt < u64::from(self.stage.max_attempts) =>
            {
                let delay = after.unwrap_or_else(|| backoff(self.stage, lease.attempt));
                let events = ["processed", "failed", "retried"];
                let settled =
                    self.move_counted(store, lease, NackTo::Retry(delay), &events, &t.retried)?;
                (
                    settled,
                    format!("retry in {} ({reason})", crate::duration::format(delay)),
                )
            }
            Outcome::Retry { reason, .. } => {
                let reason = format!(
                    "gave up after {}: {reason}",
                    crate::output::count_of(lease.attempt, "attempt")
                );
                self.dead_letter(store, lease, &reason)?
            }
            Outcome::Dead { reason } => self.dead_letter(store, lease, &reason)?,
            Outcome::Review {
                question,
                replacement,
            } => self.escalate(store, lease, &question, replacement.as_deref())?,
            Outcome::Interrupted => {
                let settled = self.release(store, lease)?;
                if settled == Settled::Moved {
                    t.released.fetch_add(1, Ordering::Relaxed);
                }
                return Ok("released (stopping)".into());
            }
        };
        t.processed.fetch_add(1, Ordering::Relaxed);
        if settled == Settled::Unknown {
            t.lost_leases.fetch_add(1, Ordering::Relaxed);
            return Ok(format!(
                "{label}, but the lease had expired: the item went back to its queue"
            ));
        }
        Ok(label)
    }

    /// Stages a leased item for a person, with the handler's question, in one atomic step
    /// with its audit record and counters.
    fn escalate(
        &self,
        store: &mut Store,
        lease: &Lease,
        question: &str,
        replacement: Option<&[u8]>,
    ) -> Result<(Settled, String)> {
        // check_review turned a review without escalate_to into a failure; the config
        // checked that escalate_to names a manual stage with an input.
        let target = self
            .stage
            .escalate_to
            .as_deref()
            .and_then(|name| self.config.stage(name))
            .and_then(|stage| Some((stage.name.as_str(), stage.input.as_deref()?)));
        let Some((manual, staged)) = target else {
            anyhow::bail!(
                "stage '{}' escalates to a stage that is not a manual stage with an input",
                self.stage.name
            );
        };
        let staged = keys::StagedKeys::new(staged);
        let ask = crate::store::review::Ask {
            stage: self.stage.name.clone(),
            question: question.to_owned(),
        }
        .to_json();
        let actor = crate::audit::Actor::named(format!("handler:{}", self.stage.name));
        let mut entry = crate::audit::Entry::new("escalate", &self.stage.name, &actor)
            .with("question", question)
            .with("to", staged.list.clone())
            .with("review_stage", manual);
        if replacement.is_some() {
            entry = entry.with("replaces_sha256", crate::audit::sha256_hex(&lease.item));
        }
        let keys = self.counters(&["processed", "escalated"]);
        let counters = Counters {
            keys: &keys,
            ttl: self.config.stats_retention,
        };
        let to = Escalation {
            staged: &staged,
            ask: &ask,
            replacement,
            audit: &self.config.audit,
            entry: &entry,
        };
        let settled = store.escalate(self.queue, lease, &to, &counters)?;
        if settled == Settled::Moved {
            self.tally.escalated.fetch_add(1, Ordering::Relaxed);
        }
        Ok((
            settled,
            format!(
                "escalated to {manual} ({})",
                crate::output::truncate(question, 100)
            ),
        ))
    }

    /// Hands a leased item back to the front of its queue, its claim not counted: not the
    /// item's fault.
    fn release(&self, store: &mut Store, lease: &Lease) -> Result<Settled> {
        store.settle(
            self.queue,
            &lease.id,
            &lease.item,
            NackTo::Release,
            &Counters::NONE,
        )
    }

    fn dead_letter(
        &self,
        store: &mut Store,
        lease: &Lease,
        reason: &str,
    ) -> Result<(Settled, String)> {
        let envelope = crate::envelope::DeadLetter {
            item: &lease.item,
            stage: Some(&self.stage.name),
            queue: self.queue,
            error: reason,
            attempts: lease.attempt,
        }
        .to_bytes();
        let to = NackTo::Dead {
            list: &self.config.dead_letters,
            envelope: &envelope,
        };
        let settled = self.move_counted(
            store,
            lease,
            to,
            &["processed", "failed", "dead"],
            &self.tally.dead,
        )?;
        Ok((settled, format!("dead-lettered ({reason})")))
    }

    /// Moves a leased item elsewhere than the output, adding to the stage's daily counters for
    /// `events` in the same atomic step, and to `tally` when it moved.
    fn move_counted(
        &self,
        store: &mut Store,
        lease: &Lease,
        to: NackTo<'_>,
        events: &[&str],
        tally: &AtomicU64,
    ) -> Result<Settled> {
        let keys = self.counters(events);
        let counters = Counters {
            keys: &keys,
            ttl: self.config.stats_retention,
        };
        let settled = store.settle(self.queue, &lease.id, &lease.item, to, &counters)?;
        if settled == Settled::Moved {
            tally.fetch_add(1, Ordering::Relaxed);
        }
        Ok(settled)
    }
}
