//! What a run did: the workers' shared tally, and the typed result `pipectl run` prints.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::exit::Exit;
use crate::item::Positioned;
use crate::output::{Output, Report, summary};
use crate::store::guards::{BudgetRefusal, GuardEvent};

/// How one run went. Shared by the workers; read when they are done.
#[derive(Default)]
pub struct Tally {
    pub processed: AtomicU64,
    pub succeeded: AtomicU64,
    pub retried: AtomicU64,
    pub deferred: AtomicU64,
    pub dead: AtomicU64,
    /// Handed to a person: staged for the stage's `escalate_to` with the handler's question.
    pub escalated: AtomicU64,
    pub released: AtomicU64,
    pub outputs: AtomicU64,
    pub duplicates: AtomicU64,
    /// Results recorded too late: the lease had expired and the item went back to its queue.
    pub lost_leases: AtomicU64,
    pub paused: Mutex<Option<String>>,
    pub rate_limited: Mutex<Option<Duration>>,
    /// Outside the sending window: when the next opens (as status shows it), if known.
    pub outside_window: Mutex<Option<Option<String>>>,
    /// A budget refused a claim: spent.
    pub budget_spent: Mutex<Option<BudgetRefusal>>,
    /// What the stage's guards did while settling this run's items.
    pub guard_events: Mutex<Vec<GuardEvent>>,
}

impl Tally {
    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    pub fn failed(&self) -> u64 {
        Self::get(&self.retried) + Self::get(&self.dead)
    }

    pub fn paused_reason(&self) -> Option<String> {
        self.paused.lock().ok().and_then(|p| p.clone())
    }

    pub fn rate_limited_for(&self) -> Option<Duration> {
        self.rate_limited.lock().ok().and_then(|r| *r)
    }

    /// The counts into a report for `stage`.
    pub fn report(&self, stage: &str, queue: &str, output: Option<&str>) -> RunReport {
        let paused = self.paused_reason();
        RunReport {
            stage: stage.to_owned(),
            queue: Some(queue.to_owned()),
            output: output.map(str::to_owned),
            processed: Self::get(&self.processed),
            succeeded: Self::get(&self.succeeded),
            retried: Self::get(&self.retried),
            deferred: Self::get(&self.deferred),
            dead_lettered: Self::get(&self.dead),
            escalated: Self::get(&self.escalated),
            released: Self::get(&self.released),
            lost_leases: Self::get(&self.lost_leases),
            enqueued: Self::get(&self.outputs),
            duplicates: Self::get(&self.duplicates),
            paused: paused.is_some(),
            paused_reason: paused,
            rate_limit_resets_in_ms: self.rate_limited_for().map(millis),
            outside_window: self.outside_window.lock().ok().is_some_and(|w| w.is_some()),
            window_opens_at: self
                .outside_window
                .lock()
                .ok()
                .and_then(|w| w.clone().flatten()),
            budget_spent: self
                .budget_spent
                .lock()
                .ok()
                .and_then(|b| b.clone())
                .map(BudgetSpent::from),
            guard_events: self
                .guard_events
                .lock()
                .map(|e| e.clone())
                .unwrap_or_default(),
            ..RunReport::default()
        }
    }
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// `pipectl run`: what one run did. The same fields for every stage kind, dry runs included.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct RunReport {
    /// The stage run.
    pub stage: String,
    /// Its input queue (null for a source stage).
    pub queue: Option<String>,
    /// Where its results go (null for the last stage).
    pub output: Option<String>,
    /// A source stage: the handler ran once and its output was enqueued with dedup.
    pub source: bool,
    /// --dry-run: nothing was claimed or changed.
    pub dry_run: bool,
    /// Items settled one way or another (a source stage: handler runs, 0 or 1).
    pub processed: u64,
    pub succeeded: u64,
    /// Failed, to be tried again after a backoff.
    pub retried: u64,
    /// Handed back by the handler to run later (exit 75 with a delay).
    pub deferred: u64,
    /// Failed for good: moved to the dead letters.
    pub dead_lettered: u64,
    /// Handed to a person by the handler (its `review` control): staged for the stage's
    /// `escalate_to` manual stage with the handler's question.
    pub escalated: u64,
    /// Released back to the queue, unprocessed, by a signal.
    pub released: u64,
    /// Results recorded after their lease expired: those items went back to the queue.
    pub lost_leases: u64,
    /// Items pushed to the output queue.
    pub enqueued: u64,
    /// Outputs not pushed because their dedup value was seen before.
    pub duplicates: u64,
    /// Lines of a source handler's output that are not valid items (skipped).
    pub invalid: u64,
    /// Why the source handler failed (null when it did not).
    pub failure: Option<String>,
    /// The stage is paused: the run stopped, or did not start.
    pub paused: bool,
    /// The reason given with `pipectl pause --reason` (null when not paused).
    pub paused_reason: Option<String>,
    /// The rate limit is spent: its window reopens in this long (null when it is not).
    pub rate_limit_resets_in_ms: Option<u64>,
    /// --dry-run: what is left of the stage's rate limit (null without one, or not a dry run).
    pub rate_limit_remaining: Option<u64>,
    /// Outside the stage's sending window (`window`): nothing more was claimed (exit 4).
    pub outside_window: bool,
    /// When the next sending window opens (RFC 3339, in the window's time zone; null when
    /// inside one or unknown).
    pub window_opens_at: Option<String>,
    /// A budget of the stage (`budget`) is spent: nothing more was claimed (exit 5).
    pub budget_spent: Option<BudgetSpent>,
    /// What the stage's guards did in this run's settle steps: the breaker opened
    /// (`breaker-opened`, `breaker-reopened`) or closed, a budget was spent.
    pub guard_events: Vec<GuardEvent>,
    /// A signal stopped the run.
    pub interrupted: bool,
    /// --dry-run: the items a run would claim, next first (empty otherwise).
    pub would_claim: Vec<Positioned>,
}

impl RunReport {
    pub fn failed(&self) -> u64 {
        self.retried + self.dead_lettered
    }

    /// The exit code this run earns (docs: `pipectl run --help`).
    pub fn exit(&self) -> Exit {
        if self.source {
            return if self.failure.is_some() || self.invalid > 0 {
                Exit::Failure
            } else if self.paused {
                Exit::Paused
            } else {
                Exit::Ok
            };
        }
        if self.dry_run {
            return if self.paused {
                Exit::Paused
            } else if self.rate_limit_remaining == Some(0) {
                Exit::RateLimited
            } else if self.would_claim.is_empty() {
                Exit::NothingToDo
            } else {
                Exit::Ok
            };
        }
        if self.failed() > 0 || self.released > 0 {
            Exit::Failure
        } else if self.paused || self.outside_window {
            Exit::Paused
        } else if self.rate_limit_resets_in_ms.is_some() || self.budget_spent.is_some() {
            Exit::RateLimited
        } else if self.processed == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }
}

/// `n thing` or `n things`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Report for RunReport {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let stage = &self.stage;
        let paused = |out: &mut Output| {
            let reason = self.paused_reason.as_deref().unwrap_or_default();
            out.note(format_args!(
                "stage '{stage}' is paused: {reason}; `pipectl resume {stage}` lifts it"
            ));
        };
        if self.dry_run {
            if self.source {
                out.line(format_args!(
                    "would run source stage {stage} once, enqueueing its output"
                ))?;
            }
            for entry in &self.would_claim {
                out.line(format_args!(
                    "would run {stage} on #{}: {}",
                    entry.pos,
                    summary(&entry.item.0, 100)
                ))?;
            }
            if self.paused {
                paused(out);
            } else if self.rate_limit_remaining == Some(0) {
                out.note("rate limit spent: nothing would be claimed");
            } else if self.would_claim.is_empty() && !self.source {
                let queue = self.queue.as_deref().unwrap_or_default();
                out.line(format_args!("{queue} is empty: nothing would be claimed"))?;
            }
            return Ok(());
        }
        if self.paused && self.processed == 0 {
            paused(out);
            return Ok(());
        }
        if self.source {
            if let Some(reason) = &self.failure {
                out.warn(format_args!("{stage}: handler failed: {reason}"));
            } else if !out.quiet {
                let found = self.enqueued + self.duplicates + self.invalid;
                out.line(format_args!(
                    "{stage}: discovered {found}, enqueued {} to {}, {}, {} invalid",
                    self.enqueued,
                    self.output.as_deref().unwrap_or_default(),
                    plural(self.duplicates, "duplicate", "duplicates"),
                    self.invalid
                ))?;
            }
            return Ok(());
        }
        if !out.quiet {
            if self.processed == 0 && self.released == 0 && !self.paused {
                let queue = self.queue.as_deref().unwrap_or_default();
                if self.rate_limit_resets_in_ms.is_none()
                    && !self.outside_window
                    && self.budget_spent.is_none()
                {
                    out.line(format_args!("{stage}: {queue} is empty, nothing to do"))?;
                }
            } else {
                let mut line = format!(
                    "{stage}: {} processed: {} succeeded, {} retried, {} deferred, {} dead-lettered",
                    plural(self.processed, "item", "items"),
                    self.succeeded,
                    self.retried,
                    self.deferred,
                    self.dead_lettered
                );
                if self.escalated > 0 {
                    line.push_str(&format!(", {} escalated for review", self.escalated));
                }
                out.line(line)?;
            }
        }
        if self.paused {
            paused(out);
        }
        if let Some(ms) = self.rate_limit_resets_in_ms {
            out.note(format_args!(
                "rate limit spent; the window reopens in {}",
                crate::duration::format(Duration::from_millis(ms))
            ));
        }
        if self.outside_window {
            let said = crate::guards::claim::window_message(self.window_opens_at.as_deref());
            out.note(format_args!("{said}"));
        }
        if let Some(b) = &self.budget_spent {
            let resets_in = Duration::from_millis(b.resets_in_ms);
            let said = crate::guards::claim::budget_message(&b.unit, b.spent, b.cap, resets_in);
            out.note(format_args!("{said}"));
        }
        if self.released > 0 {
            out.note(format_args!(
                "stopped: {} released back to the queue",
                plural(self.released, "item", "items")
            ));
        }
        Ok(())
    }
}

/// A spent budget: which unit, what was spent of the cap (in units), when it resets.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct BudgetSpent {
    pub unit: String,
    pub spent: f64,
    pub cap: f64,
    /// The budget's window ends, and what was spent is forgotten, in this long.
    pub resets_in_ms: u64,
}

impl From<BudgetRefusal> for BudgetSpent {
    fn from(r: BudgetRefusal) -> Self {
        BudgetSpent {
            unit: r.unit,
            spent: r.spent as f64 / crate::config::MICRO,
            cap: r.cap as f64 / crate::config::MICRO,
            resets_in_ms: millis(r.resets_in),
        }
    }
}
