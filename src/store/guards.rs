//! Stage guards in the claim and settle steps (common.lua rule 4): a claim that honours a
//! sending window, a circuit breaker and a budget in the same atomic step as it takes, and
//! what a guarded settle reports back (the breaker opened or closed, a budget was spent).
//! The specs are built by runner/guards.rs; here they are only passed on.

use std::time::Duration;

use anyhow::Result;
use redis::Value;

use super::{Claim, Recorded, Store, lease_prefix, scripts};
use crate::keys::{self, QueueKeys};

/// The extra keys and spec of a guarded claim.
pub struct ClaimGuard<'a> {
    pub breaker: &'a str,
    pub budget: &'a str,
    /// JSON for claim.lua's ARGV[4].
    pub spec: String,
}

/// The extra keys and spec of a guarded settle (nack.lua, complete.lua): pause flag, audit
/// stream, breaker hash, breaker failures, budget hash, then one cost counter per unit.
#[derive(Clone, Debug)]
pub struct SettleGuard {
    pub keys: Vec<String>,
    pub spec: String,
}

/// A hash's fields.
pub type Fields = std::collections::BTreeMap<String, String>;

/// What a guarded claim answered.
pub enum Guarded {
    Claim(Claim),
    /// The sending window closed (between the client's look at the clock and the claim).
    WindowClosed,
    /// A budget is spent: nothing more until its window ends.
    BudgetSpent(BudgetRefusal),
    /// Items in flight hold back what is left of a budget: try again when one settles.
    Reserved(BudgetRefusal),
}

/// Which budget refused a claim, and where it stands (amounts in millionths of the unit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetRefusal {
    pub unit: String,
    pub spent: u64,
    pub cap: u64,
    pub resets_in: Duration,
    pub in_flight: u64,
}

/// Something a guarded settle step did beyond settling the item: the point where
/// notifications hook in (each reported by exactly the one step that did it).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum GuardEvent {
    /// The failures reached the threshold: the breaker opened and paused the stage.
    BreakerOpened,
    /// The probe failed: the breaker opened again for another cool-down.
    BreakerReopened,
    /// The probe succeeded: the breaker closed and the stage runs again.
    BreakerClosed,
    /// This item's cost reached a budget's cap.
    BudgetSpent { unit: String },
}

impl GuardEvent {
    fn parse(word: &str) -> Option<GuardEvent> {
        Some(match word {
            "breaker-opened" => GuardEvent::BreakerOpened,
            "breaker-reopened" => GuardEvent::BreakerReopened,
            "breaker-closed" => GuardEvent::BreakerClosed,
            _ => GuardEvent::BudgetSpent {
                unit: word.strip_prefix("budget-spent:")?.to_owned(),
            },
        })
    }
}

/// The events at the end of a guarded settle's reply.
pub(super) fn events(values: &[Value]) -> Vec<GuardEvent> {
    values
        .iter()
        .filter_map(|v| redis::from_redis_value::<String>(v.clone()).ok())
        .filter_map(|w| GuardEvent::parse(&w))
        .collect()
}

impl Store {
    /// Claims up to `count` items as `claim` does, under the stage's guards: the pause flag
    /// (a breaker past its cool-down lets one probe through), the sending window's end and
    /// the budget, all checked in the one atomic claim step.
    pub fn claim_guarded(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: &str,
        guard: &ClaimGuard<'_>,
    ) -> Result<Guarded> {
        self.claim_guarded_recorded(queue, count, lease, paused_key, guard, None)
    }

    /// `claim_guarded`, writing one audit record per item claimed in the same step.
    pub fn claim_guarded_recorded(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: &str,
        guard: &ClaimGuard<'_>,
        record: Option<Recorded<'_>>,
    ) -> Result<Guarded> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let mut more = vec![notes.as_str(), paused_key, guard.breaker, guard.budget];
        more.extend(record.map(|r| r.audit.key.as_str()));
        self.queue_slot(&k, &more)?;
        let prefix = lease_prefix()?;
        let mut inv = Self::queue_script(&scripts::CLAIM, &k);
        inv.key(&notes)
            .key(paused_key)
            .key(guard.breaker)
            .key(guard.budget);
        inv.arg(count)
            .arg(lease.as_millis() as u64)
            .arg(&prefix)
            .arg(&guard.spec);
        if let Some(r) = record {
            // The record after the guard spec (claim.lua ARGV[5..6]), its stream last.
            inv.key(&r.audit.key)
                .arg(r.audit.keep_ms())
                .arg(r.entry.head());
        }
        let res: redis::RedisResult<Vec<Value>> = scripts::invoke(&inv, self.idem());
        let reply = res.map_err(|e| {
            let mut expected = super::lease::with_notes(&k, &notes);
            expected.extend([
                (paused_key, "string"),
                (guard.breaker, "hash"),
                (guard.budget, "hash"),
            ]);
            expected.extend(record.map(|r| (r.audit.key.as_str(), "stream")));
            self.explain(e, &expected)
        })?;
        let word = reply
            .first()
            .and_then(|v| redis::from_redis_value::<String>(v.clone()).ok())
            .unwrap_or_default();
        let number = |i: usize| {
            reply
                .get(i)
                .and_then(|v| redis::from_redis_value::<i64>(v.clone()).ok())
                .unwrap_or(0)
                .max(0) as u64
        };
        let refusal = || BudgetRefusal {
            unit: reply
                .get(1)
                .and_then(|v| redis::from_redis_value::<String>(v.clone()).ok())
                .unwrap_or_default(),
            spent: number(2),
            cap: number(3),
            resets_in: Duration::from_millis(number(4)),
            in_flight: number(5),
        };
        Ok(match word.as_str() {
            "closed" => Guarded::WindowClosed,
            "budget" => Guarded::BudgetSpent(refusal()),
            "reserved" => Guarded::Reserved(refusal()),
            _ => Guarded::Claim(super::lease::parse_claim(reply)?),
        })
    }

    /// Finishes leases as `ack` does, each the guarded stage's success in the same step
    /// (ack.lua: a breaker's probe acked closes the breaker). Returns, per id, whether it
    /// was still leased.
    pub fn ack_guarded(
        &mut self,
        queue: &str,
        ids: &[&str],
        guard: &SettleGuard,
    ) -> Result<Vec<bool>> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let mut more = vec![notes.as_str()];
        more.extend(guard.keys.iter().map(String::as_str));
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::ACK, &k);
        for key in &more {
            inv.key(*key);
        }
        inv.arg(&guard.spec);
        for id in ids {
            inv.arg(*id);
        }
        let res: redis::RedisResult<Vec<i64>> = scripts::invoke(&inv, self.idem());
        let done = res.map_err(|e| self.explain(e, &super::lease::with_notes(&k, &notes)))?;
        Ok(done.into_iter().map(|d| d == 1).collect())
    }
}
