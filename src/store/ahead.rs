//! Steps sent along with a settle: `run` with a warm handler settles item N, touches the
//! lease of item N+1 it just handed over, and claims item N+2, in one round trip. They stay
//! separate scripts, each its own atomic step, as if sent one after the other; only the
//! waits between them are gone.

use std::time::Duration;

use anyhow::Result;
use redis::Value;

use super::lease::{parse_claim, with_notes};
use super::{Claim, Conn, Recorded, Store, lease_prefix, scripts};
use crate::keys::{self, QueueKeys};

impl Store {
    /// The claim script's call (lease.rs `claim_recorded`), its keys' slot checked.
    pub(super) fn claim_script(
        &self,
        k: &QueueKeys,
        notes: &str,
        count: usize,
        lease: Duration,
        paused_key: Option<&str>,
        record: Option<Recorded<'_>>,
    ) -> Result<scripts::Invocation<'static>> {
        let mut more = vec![notes];
        more.extend(paused_key);
        more.extend(record.map(|r| r.audit.key.as_str()));
        self.queue_slot(k, &more)?;
        let prefix = lease_prefix()?;
        let mut inv = Self::queue_script(&scripts::CLAIM, k);
        inv.key(notes);
        if let Some(paused) = paused_key {
            inv.key(paused);
        }
        inv.arg(count).arg(lease.as_millis() as u64).arg(&prefix);
        if let Some(r) = record {
            // No guard spec (ARGV[4]), then the record (claim.lua).
            inv.key(&r.audit.key)
                .arg("")
                .arg(r.audit.keep_ms())
                .arg(r.entry.head());
        }
        Ok(inv)
    }

    /// Sends a claim (as [`claim`](Self::claim)) along with the next step on this
    /// connection, in the same round trip, after it; [`claimed`](Self::claimed) reads
    /// what it took. False when it cannot (a cluster connection): claim as usual.
    pub fn claim_along(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: Option<&str>,
    ) -> Result<bool> {
        if self.is_cluster() {
            return Ok(false);
        }
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let packed = self
            .claim_script(&k, &notes, count, lease, paused_key, None)?
            .packed();
        if let Conn::Single(c) = &mut self.conn {
            c.ride(packed);
        }
        Ok(true)
    }

    /// What the claim sent along took. None when it did not run or may not have: it was
    /// never sent (the step before it failed first), the connection failed before its
    /// reply (an item it took comes back when its lease expires, as after any lost
    /// reply), or the script was not loaded (NOSCRIPT: it did not run). Then claim as
    /// usual.
    pub fn claimed(&mut self, queue: &str) -> Option<Result<Claim>> {
        let Conn::Single(c) = &mut self.conn else {
            return None;
        };
        let reply = match c.ridden()? {
            Ok(Value::ServerError(e)) if e.kind() == Some(redis::ServerErrorKind::NoScript) => {
                return None;
            }
            Ok(value) => value.extract_error(),
            Err(_) => return None,
        };
        let reply = reply.and_then(|v| Ok(redis::from_redis_value::<Vec<Value>>(v)?));
        Some(match reply {
            Ok(reply) => parse_claim(reply),
            Err(e) => {
                let k = QueueKeys::new(queue);
                let notes = keys::notes(queue);
                Err(self.explain(e, &with_notes(&k, &notes)))
            }
        })
    }

    /// The touch script's call for lease `id` of `queue`: a new deadline, now + `lease`.
    fn touch_script(queue: &str, id: &str, lease: Duration) -> scripts::Invocation<'static> {
        let mut inv = scripts::TOUCH.script().prepare_invoke();
        inv.key(QueueKeys::new(queue).leases)
            .arg(id)
            .arg(lease.as_millis() as u64);
        inv
    }

    /// Gives a held lease a new deadline, now + `lease` (server clock). False when it is
    /// gone (settled, or expired and taken back).
    pub fn touch(&mut self, queue: &str, id: &str, lease: Duration) -> Result<bool> {
        let k = QueueKeys::new(queue);
        self.queue_slot(&k, &[])?;
        let inv = Self::touch_script(queue, id, lease);
        let res: redis::RedisResult<i64> = scripts::invoke(&inv, self.idem());
        let held = res.map_err(|e| self.explain(e, &[(k.leases.as_str(), "zset")]))?;
        Ok(held == 1)
    }

    /// Sends a [`touch`](Self::touch) along with the next step on this connection, before
    /// a claim sent along after it; [`touched`](Self::touched) reads its reply. False when
    /// it cannot (a cluster connection): touch as usual.
    pub fn touch_along(&mut self, queue: &str, id: &str, lease: Duration) -> bool {
        match &mut self.conn {
            Conn::Single(c) => {
                c.ride(Self::touch_script(queue, id, lease).packed());
                true
            }
            _ => false,
        }
    }

    /// What the touch sent along found: Some(held) when it ran; None when it did not or
    /// may not have (never sent, its reply lost, NOSCRIPT), or was refused: then touch as
    /// usual, which says why if it is refused again.
    pub fn touched(&mut self) -> Option<bool> {
        let Conn::Single(c) = &mut self.conn else {
            return None;
        };
        match c.ridden()? {
            Ok(Value::Int(held)) => Some(held == 1),
            _ => None,
        }
    }
}
