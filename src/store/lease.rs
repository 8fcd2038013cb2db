//! Taking and settling: pop, claim under a lease, ack, settle (requeue, release, retry,
//! defer, dead-letter), complete into the output, and lease expiry. Each is one Lua script.

use std::time::Duration;

use anyhow::Result;
use redis::Value;

use super::guards::{GuardEvent, SettleGuard, events};
use super::{Store, random_hex, scripts};
use crate::keys::{self, QueueKeys};

/// One claimed item: its lease id, the item, which attempt this is (1 = first), and the
/// reviewer's note it was sent back from review with, if any (`<queue>:notes`).
#[derive(Clone, Debug)]
pub struct Lease {
    pub id: String,
    pub item: Vec<u8>,
    pub attempt: u64,
    pub note: Option<Vec<u8>>,
}

pub enum Claim {
    Leased(Vec<Lease>),
    Paused(String),
}

/// Where a leased item goes when it does not go to the output queue.
pub enum NackTo<'a> {
    /// The back of the queue (LPUSH): retried after everything already waiting.
    Requeue,
    /// The front of the queue (RPUSH), the claim not counted: pipectl stopped, not the item.
    Release,
    /// The delayed set, due after this long: a retry waiting out its backoff.
    Retry(Duration),
    /// The delayed set, the claim not counted (not a failure), maybe as a new version.
    Defer {
        after: Duration,
        replacement: Option<&'a [u8]>,
    },
    /// The dead-letter list, as this envelope.
    Dead { list: &'a str, envelope: &'a [u8] },
}

/// What happened to a lease pipectl tried to move.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    Moved,
    /// The lease is gone: acked already, or expired and returned to the queue.
    Unknown,
}

/// What `recover` did to one queue.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    /// Expired leases returned to the queue.
    pub leases: u64,
    /// Delayed retries made due.
    pub retries: u64,
    /// Leased items that had no deadline, returned to the queue.
    pub orphans: u64,
    /// Deadlines that had no leased item, dropped.
    pub stale_deadlines: u64,
}

/// Daily counters a transition adds to, and the audit record it writes (when it is on
/// someone's say-so: an agent's MCP call), in the same atomic step.
pub struct Counters<'a> {
    pub keys: &'a [String],
    pub ttl: Duration,
    /// A guarded stage's breaker, budget and costs, settled in the same step (guards.rs).
    pub guard: Option<&'a SettleGuard>,
    pub record: Option<Recorded<'a>>,
}

impl Counters<'_> {
    pub const NONE: Counters<'static> = Counters {
        keys: &[],
        ttl: Duration::from_secs(1),
        guard: None,
        record: None,
    };

    fn guard_keys(&self) -> impl Iterator<Item = &str> {
        self.guard
            .into_iter()
            .flat_map(|g| g.keys.iter().map(String::as_str))
    }
}

/// An audit record a queue step writes with its change (common.lua `step_record`): the
/// stream and the entry's shared fields; the script adds the item's.
#[derive(Clone, Copy, Debug)]
pub struct Recorded<'a> {
    pub audit: &'a crate::audit::AuditLog,
    pub entry: &'a crate::audit::Entry,
}

/// The seen set and saturation counters for output with dedup.
pub struct Dedup<'a> {
    pub seen_set: &'a str,
    pub new_counter: &'a str,
    pub dup_counter: &'a str,
}

impl Store {
    /// Takes up to `count` items from the consumer end, with no lease.
    pub fn pop(&mut self, queue: &str, count: usize) -> Result<Vec<Vec<u8>>> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        self.queue_slot(&k, &[&notes])?;
        let mut inv = Self::queue_script(&scripts::POP, &k);
        inv.key(&notes).arg(count);
        let res = scripts::invoke(&inv, self.con());
        res.map_err(|e| self.explain(e, &with_notes(&k, &notes)))
    }

    /// Puts items taken by `pop` but never delivered back at the consumer end, in one atomic
    /// command, so `items[0]` is the next to be taken again and the rest follow in order.
    pub fn give_back(&mut self, queue: &str, items: &[Vec<u8>]) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let res: redis::RedisResult<u64> = redis::cmd("RPUSH")
            .arg(queue)
            .arg(items.iter().rev().collect::<Vec<_>>())
            .query(self.con());
        res.map(drop)
            .map_err(|e| self.explain(e, &[(queue, "list")]))
    }

    /// Claims up to `count` items under a lease of `lease`, unless `paused_key` is set.
    pub fn claim(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: Option<&str>,
    ) -> Result<Claim> {
        self.claim_recorded(queue, count, lease, paused_key, None)
    }

    /// `claim`, writing one audit record per item claimed in the same step (`record`).
    pub fn claim_recorded(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: Option<&str>,
        record: Option<Recorded<'_>>,
    ) -> Result<Claim> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let inv = self.claim_script(&k, &notes, count, lease, paused_key, record)?;
        // Sent again after a lost reply, a claim takes other items; those it had taken stay
        // leased until the lease expires and then go back: late, never lost.
        let res: redis::RedisResult<Vec<Value>> = super::scripts::invoke(&inv, self.idem());
        let reply = res.map_err(|e| {
            let mut expected = with_notes(&k, &notes);
            expected.extend(record.map(|r| (r.audit.key.as_str(), "stream")));
            self.explain(e, &expected)
        })?;
        parse_claim(reply)
    }

    /// Finishes leases. Returns, per id, whether it was still leased.
    pub fn ack(&mut self, queue: &str, ids: &[&str]) -> Result<Vec<bool>> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        self.queue_slot(&k, &[&notes])?;
        let mut inv = Self::queue_script(&scripts::ACK, &k);
        inv.key(&notes);
        for id in ids {
            inv.arg(*id);
        }
        let res: redis::RedisResult<Vec<i64>> = super::scripts::invoke(&inv, self.idem());
        let done = res.map_err(|e| self.explain(e, &with_notes(&k, &notes)))?;
        Ok(done.into_iter().map(|d| d == 1).collect())
    }

    /// The item under a lease and its attempt count, if the lease exists.
    pub fn lease(&mut self, queue: &str, id: &str) -> Result<Option<(Vec<u8>, u64)>> {
        let k = QueueKeys::new(queue);
        let item: Option<Vec<u8>> = redis::cmd("HGET")
            .arg(&k.leased)
            .arg(id)
            .query(self.idem())?;
        let Some(item) = item else { return Ok(None) };
        let attempts: Option<u64> = redis::cmd("HGET")
            .arg(&k.attempts)
            .arg(&item)
            .query(self.idem())?;
        Ok(Some((item, attempts.unwrap_or(1))))
    }

    /// Moves a leased item (which must still be `item`) to where `to` says, atomically,
    /// adding to `counters` in the same step.
    pub fn settle(
        &mut self,
        queue: &str,
        id: &str,
        item: &[u8],
        to: NackTo<'_>,
        counters: &Counters<'_>,
    ) -> Result<Settled> {
        Ok(self.settle_reporting(queue, id, item, to, counters)?.0)
    }

    /// `settle`, also returning what the stage's guards did in the step (`counters.guard`).
    pub fn settle_reporting(
        &mut self,
        queue: &str,
        id: &str,
        item: &[u8],
        to: NackTo<'_>,
        counters: &Counters<'_>,
    ) -> Result<(Settled, Vec<GuardEvent>)> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let mut more: Vec<&str> = counters.keys.iter().map(String::as_str).collect();
        more.extend(counters.guard_keys());
        more.push(&notes);
        if let NackTo::Dead { list, .. } = &to {
            more.push(list);
        }
        more.extend(counters.record.map(|r| r.audit.key.as_str()));
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::NACK, &k);
        match &to {
            NackTo::Dead { list, .. } => inv.key(*list),
            _ => inv.key(&k.queue),
        };
        inv.key(&notes);
        for key in counters.keys {
            inv.key(key);
        }
        for key in counters.guard_keys() {
            inv.key(key);
        }
        let (mode, delay, payload): (&str, Duration, &[u8]) = match &to {
            NackTo::Requeue => ("requeue", Duration::ZERO, b""),
            NackTo::Release => ("release", Duration::ZERO, b""),
            NackTo::Retry(after) => ("retry", *after, b""),
            NackTo::Defer { after, replacement } => {
                ("defer", *after, replacement.unwrap_or_default())
            }
            NackTo::Dead { envelope, .. } => ("dead", Duration::ZERO, *envelope),
        };
        inv.arg(id)
            .arg(mode)
            .arg(item)
            .arg(delay.as_millis() as u64)
            .arg(random_hex(8)?)
            .arg(payload);
        inv.arg(counters.ttl.as_secs().max(1));
        match (counters.guard, counters.record) {
            (Some(guard), _) => {
                inv.arg(&guard.spec);
            }
            (None, Some(_)) => {
                inv.arg("");
            }
            (None, None) => {}
        }
        if let Some(r) = counters.record {
            inv.key(&r.audit.key)
                .arg(r.audit.keep_ms())
                .arg(r.entry.head())
                .arg(crate::audit::sha256_hex(item));
        }
        let res: redis::RedisResult<Value> = super::scripts::invoke(&inv, self.idem());
        let mut expected = with_notes(&k, &notes);
        expected.extend(counters.record.map(|r| (r.audit.key.as_str(), "stream")));
        let reply = res.map_err(|e| self.explain(e, &expected))?;
        let (code, rest) = match reply {
            Value::Array(values) => {
                let code = values
                    .first()
                    .and_then(|v| redis::from_redis_value::<i64>(v.clone()).ok())
                    .unwrap_or(0);
                (code, events(values.get(1..).unwrap_or_default()))
            }
            other => (redis::from_redis_value(other)?, Vec::new()),
        };
        Ok((settled(code, queue, id)?, rest))
    }

    /// Moves a leased item (which must still hold the same item) to `to` as the handler's answer
    /// (`items`, each with its dedup value when `dedup` is given), atomically, adding to
    /// `counters` in the same step. Returns whether it moved, and (added, duplicates).
    pub fn complete(
        &mut self,
        queue: &str,
        lease: &Lease,
        to: Option<Destination<'_>>,
        dedup: Option<&Dedup<'_>>,
        items: &[(Option<String>, Vec<u8>)],
        counters: &Counters<'_>,
    ) -> Result<(Settled, u64, u64, Vec<GuardEvent>)> {
        let output = to.as_ref().map(|d| d.list);
        let arrivals = to.as_ref().and_then(|d| d.arrivals);
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let mut more: Vec<&str> = counters.keys.iter().map(String::as_str).collect();
        more.push(&notes);
        more.extend(output);
        more.extend(arrivals);
        if let Some(d) = dedup {
            more.extend([d.seen_set, d.new_counter, d.dup_counter]);
        }
        more.extend(counters.guard_keys());
        more.extend(counters.record.map(|r| r.audit.key.as_str()));
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::COMPLETE, &k);
        // Unused key slots repeat the queue's name, which keeps every key in its hash slot.
        let placeholder = k.queue.as_str();
        inv.key(output.unwrap_or(placeholder));
        match dedup {
            Some(d) => inv.key(d.seen_set).key(d.new_counter).key(d.dup_counter),
            None => inv.key(placeholder).key(placeholder).key(placeholder),
        };
        inv.key(arrivals.unwrap_or(placeholder));
        inv.key(&notes);
        for key in counters.keys {
            inv.key(key);
        }
        for key in counters.guard_keys() {
            inv.key(key);
        }
        inv.arg(&lease.id)
            .arg(&lease.item)
            .arg(counters.ttl.as_secs().max(1));
        let items = if output.is_some() { items } else { &[] };
        let guarded = if counters.guard.is_some() {
            ":guard"
        } else {
            ""
        };
        let kind = if dedup.is_some() { "dedup" } else { "plain" };
        inv.arg(format!("{kind}{guarded}"))
            .arg(if arrivals.is_some() { "1" } else { "0" });
        // The record (always three arguments, '' for none), then the guard spec.
        match counters.record {
            Some(r) => inv
                .key(&r.audit.key)
                .arg(r.audit.keep_ms())
                .arg(r.entry.head())
                .arg(crate::audit::sha256_hex(&lease.item)),
            None => inv.arg("").arg("").arg(""),
        };
        if let Some(guard) = counters.guard {
            inv.arg(&guard.spec);
        }
        match dedup {
            Some(_) => {
                for (value, out) in items {
                    inv.arg(value.as_deref().unwrap_or_default()).arg(out);
                }
            }
            None => {
                for (_, out) in items {
                    inv.arg(out);
                }
            }
        }
        let res: redis::RedisResult<Vec<Value>> = super::scripts::invoke(&inv, self.idem());
        let reply = res.map_err(|e| {
            let mut expected = with_notes(&k, &notes);
            expected.extend(output.map(|o| (o, "list")));
            expected.extend(dedup.map(|d| (d.seen_set, "set")));
            expected.extend(arrivals.map(|a| (a, "zset")));
            expected.extend(counters.record.map(|r| (r.audit.key.as_str(), "stream")));
            self.explain(e, &expected)
        })?;
        let number = |i: usize| {
            reply
                .get(i)
                .and_then(|v| redis::from_redis_value::<i64>(v.clone()).ok())
                .unwrap_or(0)
        };
        let status = settled(number(0), queue, &lease.id)?;
        let added = number(1).max(0) as u64;
        let dups = number(2).max(0) as u64;
        Ok((
            status,
            added,
            dups,
            events(reply.get(3..).unwrap_or_default()),
        ))
    }

    /// Returns every expired lease and due retry of `queue` now, then repairs broken lease
    /// bookkeeping: an item leased with no deadline goes back to the queue, a deadline with
    /// no item is dropped. Every batch is one atomic step.
    pub fn recover(&mut self, queue: &str) -> Result<Recovered> {
        let k = QueueKeys::new(queue);
        self.queue_slot(&k, &[])?;
        let mut done = Recovered::default();
        loop {
            let inv = Self::queue_script(&scripts::RECOVER, &k);
            let res: redis::RedisResult<(u64, u64, u64)> = scripts::invoke(&inv, self.idem());
            let (l, r, seen) = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
            done.leases += l;
            done.retries += r;
            if seen == 0 {
                break;
            }
        }
        let (mut leased_cursor, mut leases_cursor) = ("0".to_owned(), "0".to_owned());
        while leased_cursor != "-" || leases_cursor != "-" {
            let mut inv = Self::queue_script(&scripts::REPAIR, &k);
            inv.arg(&leased_cursor).arg(&leases_cursor);
            let res: redis::RedisResult<(String, String, u64, u64)> =
                scripts::invoke(&inv, self.con());
            let (next_leased, next_leases, returned, dropped) =
                res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
            done.orphans += returned;
            done.stale_deadlines += dropped;
            (leased_cursor, leases_cursor) = (next_leased, next_leases);
        }
        Ok(done)
    }
}

fn settled(code: i64, queue: &str, id: &str) -> Result<Settled> {
    match code {
        1 => Ok(Settled::Moved),
        0 => Ok(Settled::Unknown),
        _ => Err(anyhow::anyhow!(
            "lease {id} on {queue} holds another item than expected; nothing was moved"
        )),
    }
}

pub(super) fn parse_claim(reply: Vec<Value>) -> Result<Claim> {
    let mut it = reply.into_iter();
    let status: String =
        redis::from_redis_value(it.next().unwrap_or(Value::Nil)).unwrap_or_default();
    if status == "paused" {
        let reason: String = it
            .next()
            .map(|v| redis::from_redis_value(v).unwrap_or_default())
            .unwrap_or_default();
        return Ok(Claim::Paused(reason));
    }
    let rest: Vec<Value> = it.collect();
    let mut leases = Vec::with_capacity(rest.len() / 4);
    for four in rest.chunks(4) {
        let [id, item, attempt, note] = four else {
            anyhow::bail!("unexpected reply from the claim script");
        };
        leases.push(Lease {
            id: redis::from_redis_value(id.clone())?,
            item: redis::from_redis_value(item.clone())?,
            attempt: redis::from_redis_value(attempt.clone())?,
            note: redis::from_redis_value(note.clone())?,
        });
    }
    Ok(Claim::Leased(leases))
}

/// The queue keys' types and the notes hash's, for naming a key of the wrong type.
pub(super) fn with_notes<'a>(k: &'a QueueKeys, notes: &'a str) -> Vec<(&'a str, &'static str)> {
    let mut expected = Store::queue_types(k).to_vec();
    expected.push((notes, "hash"));
    expected
}

/// Where a completed item's answer goes: a list, and when that list is a staging list, the
/// zset where the answer's arrival is kept (keys.rs StagedKeys.since).
#[derive(Clone, Copy, Debug)]
pub struct Destination<'a> {
    pub list: &'a str,
    pub arrivals: Option<&'a str>,
}
