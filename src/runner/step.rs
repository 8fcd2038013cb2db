//! Settling one leased item of a stage: a handler's outcome (`pipectl run`) or an agent's
//! (`pipectl mcp`), recorded in one atomic step with the stage's counters. One
//! implementation for both: the stage's output, dedup and escalation rules apply the same.

use std::time::Duration;

use anyhow::Result;

use super::backoff;
use crate::audit::Actor;
use crate::config::{Config, Stage};
use crate::handler::Outcome;
use crate::handler::cost::Cost;
use crate::input;
use crate::keys;
use crate::store::escalate::Escalation;
use crate::store::guards::{GuardEvent, SettleGuard};
use crate::store::{Counters, Dedup, Destination, Lease, NackTo, Settled, Store};

/// One stage's settling of leased items of `queue`.
pub struct Step<'a> {
    pub config: &'a Config,
    pub stage: &'a Stage,
    pub queue: &'a str,
}

/// What became of a leased item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    /// To the output: `added` new items, `duplicates` already seen.
    Succeeded {
        added: u64,
        duplicates: u64,
    },
    Deferred(Duration),
    Retried(Duration),
    Dead,
    Escalated,
    Released,
}

/// The step's result: whether the lease was still there, what was done, where the item
/// went, and a word for the log.
#[derive(Debug)]
pub struct Settlement {
    pub settled: Settled,
    pub done: Done,
    /// The list (or delayed set) the item went to; None when it went nowhere (a success
    /// of a stage without output).
    pub to: Option<String>,
    pub label: String,
    /// What the stage's guards did in the same step (the breaker opened or closed, a budget
    /// was spent): where notifications hook in.
    pub events: Vec<GuardEvent>,
}

impl Step<'_> {
    /// With dedup_by, every output must carry the field: an answer without it is a handler
    /// failure, not an item to push.
    pub fn check_outputs(&self, outcome: Outcome) -> Outcome {
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
    pub fn check_review(&self, outcome: Outcome) -> Outcome {
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

    /// Records an outcome in one atomic step; `actor` is who escalates (its audit record).
    pub fn settle(
        &self,
        store: &mut Store,
        lease: &Lease,
        outcome: Outcome,
        actor: &Actor,
    ) -> Result<Settlement> {
        self.settle_costed(store, lease, outcome, &Cost::default(), actor)
    }

    /// `settle`, with what the handler reported the item cost: added to the stage's cost
    /// counters and budget, and the stage's breaker told of a failure or a probe's end, in
    /// the same step (guards/mod.rs).
    pub fn settle_costed(
        &self,
        store: &mut Store,
        lease: &Lease,
        outcome: Outcome,
        cost: &Cost,
        actor: &Actor,
    ) -> Result<Settlement> {
        self.settle_as(store, lease, outcome, cost, actor, false)
    }

    /// `settle` on record: every outcome writes its audit record (action complete, fail,
    /// defer or escalate, by `actor`) in the same atomic step. An agent's MCP calls.
    pub fn settle_recorded(
        &self,
        store: &mut Store,
        lease: &Lease,
        outcome: Outcome,
        cost: &Cost,
        actor: &Actor,
    ) -> Result<Settlement> {
        self.settle_as(store, lease, outcome, cost, actor, true)
    }

    /// The audit entry of a recorded step: its action, the stage, `actor`, the lease.
    fn entry(&self, action: &str, lease: &Lease, actor: &Actor) -> crate::audit::Entry {
        crate::audit::Entry::new(action, &self.stage.name, actor)
            .with("from", self.queue)
            .with("lease", lease.id.clone())
            .with("attempt", lease.attempt.to_string())
    }

    fn settle_as(
        &self,
        store: &mut Store,
        lease: &Lease,
        outcome: Outcome,
        cost: &Cost,
        actor: &Actor,
        recorded: bool,
    ) -> Result<Settlement> {
        let entry = |action: &str, more: &[(&'static str, String)]| {
            recorded.then(|| {
                more.iter()
                    .fold(self.entry(action, lease, actor), |e, (k, v)| {
                        e.with(k, v.clone())
                    })
            })
        };
        let error = match &outcome {
            Outcome::Retry { reason, .. } | Outcome::Dead { reason } => Some(reason.as_str()),
            _ => None,
        };
        let guard = crate::guards::settle_guard(self.config, self.stage, cost, error);
        let guard = guard.as_ref();
        match outcome {
            Outcome::Success(items) => {
                let to = self.stage.output.clone().unwrap_or_default();
                let entry = entry("complete", &[("to", to)]);
                self.succeed(store, lease, items, guard, entry.as_ref())
            }
            Outcome::Defer { after, replacement } => {
                let mut more = vec![("after", crate::duration::format(after))];
                if let Some(r) = &replacement {
                    more.push(("replacement_sha256", crate::audit::sha256_hex(r)));
                }
                let entry = entry("defer", &more);
                let to = NackTo::Defer {
                    after,
                    replacement: replacement.as_deref(),
                };
                let counted = ["processed", "deferred"];
                let (settled, events) =
                    self.move_counted(store, lease, to, &counted, guard, entry.as_ref())?;
                Ok(Settlement {
                    settled,
                    events,
                    done: Done::Deferred(after),
                    to: Some(keys::QueueKeys::new(self.queue).delayed),
                    label: format!("deferred {}", crate::duration::format(after)),
                })
            }
            Outcome::Retry { reason, after }
                if lease.attempt < u64::from(self.stage.max_attempts) =>
            {
                let delay = after.unwrap_or_else(|| backoff(self.stage, lease.attempt));
                let events = ["processed", "failed", "retried"];
                let entry = entry(
                    "fail",
                    &[
                        ("reason", reason.clone()),
                        ("outcome", "retry".into()),
                        ("retry_in", crate::duration::format(delay)),
                    ],
                );
                let to = NackTo::Retry(delay);
                let (settled, events) =
                    self.move_counted(store, lease, to, &events, guard, entry.as_ref())?;
                Ok(Settlement {
                    settled,
                    events,
                    done: Done::Retried(delay),
                    to: Some(keys::QueueKeys::new(self.queue).delayed),
                    label: format!("retry in {} ({reason})", crate::duration::format(delay)),
                })
            }
            Outcome::Retry { reason, .. } => {
                let reason = format!(
                    "gave up after {}: {reason}",
                    crate::output::count_of(lease.attempt, "attempt")
                );
                let more = [("reason", reason.clone()), ("outcome", "dead".into())];
                self.dead_letter(store, lease, &reason, guard, entry("fail", &more).as_ref())
            }
            Outcome::Dead { reason } => {
                let more = [("reason", reason.clone()), ("outcome", "dead".into())];
                self.dead_letter(store, lease, &reason, guard, entry("fail", &more).as_ref())
            }
            Outcome::Review {
                question,
                replacement,
            } => {
                let replacement = replacement.as_deref();
                self.escalate(store, lease, &question, replacement, guard, actor)
            }
            Outcome::Interrupted => Ok(Settlement {
                settled: self.release(store, lease)?,
                events: Vec::new(),
                done: Done::Released,
                to: Some(self.queue.to_owned()),
                label: "released (stopping)".into(),
            }),
        }
    }

    fn succeed(
        &self,
        store: &mut Store,
        lease: &Lease,
        items: Vec<Vec<u8>>,
        guard: Option<&SettleGuard>,
        entry: Option<&crate::audit::Entry>,
    ) -> Result<Settlement> {
        let keys = self.counters(&["processed", "succeeded"]);
        let counters = Counters {
            record: self.recorded(entry),
            keys: &keys,
            ttl: self.config.stats_retention,
            guard,
        };
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
        let (settled, added, duplicates, events) = store.complete(
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
        Ok(Settlement {
            settled,
            events,
            done: Done::Succeeded { added, duplicates },
            to: output.map(str::to_owned),
            label: format!("succeeded, {added} out"),
        })
    }

    /// Stages a leased item for a person, with the question, in one atomic step with its
    /// audit record and counters (and the item's cost, under `guard`).
    fn escalate(
        &self,
        store: &mut Store,
        lease: &Lease,
        question: &str,
        replacement: Option<&[u8]>,
        guard: Option<&SettleGuard>,
        actor: &Actor,
    ) -> Result<Settlement> {
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
        let mut entry = crate::audit::Entry::new("escalate", &self.stage.name, actor)
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
            guard,
            record: None,
        };
        let to = Escalation {
            staged: &staged,
            ask: &ask,
            replacement,
            audit: &self.config.audit,
            entry: &entry,
        };
        let (settled, events) = store.escalate(self.queue, lease, &to, &counters)?;
        Ok(Settlement {
            settled,
            events,
            done: Done::Escalated,
            to: Some(staged.list.clone()),
            label: format!(
                "escalated to {manual} ({})",
                crate::output::truncate(question, 100)
            ),
        })
    }

    /// Hands a leased item back to the front of its queue, its claim not counted: not the
    /// item's fault.
    pub fn release(&self, store: &mut Store, lease: &Lease) -> Result<Settled> {
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
        guard: Option<&SettleGuard>,
        entry: Option<&crate::audit::Entry>,
    ) -> Result<Settlement> {
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
        let events = ["processed", "failed", "dead"];
        let (settled, events) = self.move_counted(store, lease, to, &events, guard, entry)?;
        Ok(Settlement {
            settled,
            events,
            done: Done::Dead,
            to: Some(self.config.dead_letters.clone()),
            label: format!("dead-lettered ({reason})"),
        })
    }

    /// Moves a leased item elsewhere than the output, adding to the stage's daily counters for
    /// `events` in the same atomic step.
    fn move_counted(
        &self,
        store: &mut Store,
        lease: &Lease,
        to: NackTo<'_>,
        events: &[&str],
        guard: Option<&SettleGuard>,
        entry: Option<&crate::audit::Entry>,
    ) -> Result<(Settled, Vec<GuardEvent>)> {
        let keys = self.counters(events);
        let counters = Counters {
            keys: &keys,
            ttl: self.config.stats_retention,
            guard,
            record: self.recorded(entry),
        };
        store.settle_reporting(self.queue, &lease.id, &lease.item, to, &counters)
    }

    fn recorded<'e>(
        &'e self,
        entry: Option<&'e crate::audit::Entry>,
    ) -> Option<crate::store::Recorded<'e>> {
        entry.map(|entry| crate::store::Recorded {
            audit: &self.config.audit,
            entry,
        })
    }
}
