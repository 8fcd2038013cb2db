//! Escalation: a handler hands a leased item to a person (its `review` control), and a
//! reviewer sends an escalated item back to the stage that asked, with a note. Each is one
//! Lua script with its audit record (common.lua, rule 3).

use anyhow::Result;

use redis::Value;

use super::guards::{GuardEvent, events};
use super::lease::{Counters, Lease, Settled, with_notes};
use super::review::Moved;
use super::{Store, scripts};
use crate::audit::{AuditLog, Entry, sha256_hex};
use crate::keys::{self, QueueKeys, StagedKeys};

/// Where a leased item is escalated to, and what is recorded.
pub struct Escalation<'a> {
    /// The manual stage's staging list and its bookkeeping.
    pub staged: &'a StagedKeys,
    /// The asks entry (`Ask::to_json`): the escalating stage and the handler's question.
    pub ask: &'a str,
    /// The handler's one new version of the item, staged instead of it (None: the item).
    pub replacement: Option<&'a [u8]>,
    pub audit: &'a AuditLog,
    pub entry: &'a Entry,
}

/// Who sends escalated items back, the note their handler gets, and the audit record.
pub struct SendBack<'a> {
    pub staged: &'a StagedKeys,
    /// The escalating stage's input queue.
    pub to: &'a str,
    pub note: &'a str,
    pub audit: &'a AuditLog,
    pub entry: &'a Entry,
    /// The claim holder name that may move claimed items (its own claims).
    pub by: &'a str,
    /// Move items claimed by someone else too.
    pub force: bool,
}

/// One escalated item to send back: as stored, where it was seen (a hint, 1-based from the
/// consumer end), and its asks entry as read (the destination was chosen by it).
pub struct Back<'a> {
    pub item: &'a [u8],
    pub pos: usize,
    pub ask: &'a [u8],
}

impl Store {
    /// Moves a leased item (which must still be `lease.item`) into a manual stage's staging
    /// list with the handler's question, atomically, adding to `counters` in the same step
    /// (with `counters.guard`: the item's cost, and what the stage's guards did).
    pub fn escalate(
        &mut self,
        queue: &str,
        lease: &Lease,
        to: &Escalation<'_>,
        counters: &Counters<'_>,
    ) -> Result<(Settled, Vec<GuardEvent>)> {
        let k = QueueKeys::new(queue);
        let notes = keys::notes(queue);
        let mut more: Vec<&str> = vec![
            &to.staged.list,
            &to.staged.asks,
            &to.staged.since,
            &notes,
            &to.audit.key,
        ];
        more.extend(counters.keys.iter().map(String::as_str));
        more.extend(
            counters
                .guard
                .iter()
                .flat_map(|g| g.keys.iter().map(String::as_str)),
        );
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::ESCALATE, &k);
        for key in &more {
            inv.key(*key);
        }
        let staged = to.replacement.unwrap_or(&lease.item);
        inv.arg(&lease.id)
            .arg(&lease.item)
            .arg(counters.ttl.as_secs().max(1))
            .arg(to.audit.keep_ms())
            .arg(to.entry.head())
            .arg(to.ask)
            .arg(if to.replacement.is_some() {
                "new"
            } else {
                "same"
            })
            .arg(to.replacement.unwrap_or_default())
            .arg(sha256_hex(staged));
        if let Some(guard) = counters.guard {
            inv.arg(&guard.spec);
        }
        let res: redis::RedisResult<Value> = super::scripts::invoke(&inv, self.idem());
        let reply = res.map_err(|e| {
            let mut expected = with_notes(&k, &notes);
            expected.extend([
                (to.staged.list.as_str(), "list"),
                (&to.staged.asks, "hash"),
                (&to.staged.since, "zset"),
                (&to.audit.key, "stream"),
            ]);
            self.explain(e, &expected)
        })?;
        let (code, events) = match reply {
            Value::Array(values) => {
                let code = values
                    .first()
                    .and_then(|v| redis::from_redis_value::<i64>(v.clone()).ok())
                    .unwrap_or(0);
                (code, events(values.get(1..).unwrap_or_default()))
            }
            other => (redis::from_redis_value(other)?, Vec::new()),
        };
        match code {
            1 => Ok((Settled::Moved, events)),
            0 => Ok((Settled::Unknown, events)),
            _ => Err(anyhow::anyhow!(
                "lease {} on {queue} holds another item than expected; nothing was moved",
                lease.id
            )),
        }
    }

    /// Sends escalated staged items back to the escalating stage's input with the note, each
    /// in one atomic step of one script call: an item is pushed only if it was removed, and
    /// one held by another reviewer's claim, or whose asks entry changed, stays.
    pub fn send_back(&mut self, back: &SendBack<'_>, items: &[Back<'_>]) -> Result<Vec<Moved>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let s = back.staged;
        let notes = keys::notes(back.to);
        if s.list == back.to {
            anyhow::bail!(
                "'{}' is both where the items are and where they would go",
                s.list
            );
        }
        let keys = [
            s.list.as_str(),
            &s.claims,
            &s.asks,
            &s.since,
            &s.sampled,
            back.to,
            &notes,
            &back.audit.key,
            &s.flagged,
        ];
        self.same_slot(&keys)?;
        let mut inv = scripts::ESCALATE_SEND_BACK.script().prepare_invoke();
        for key in keys {
            inv.key(key);
        }
        inv.arg(back.audit.keep_ms())
            .arg(back.entry.head())
            .arg(back.by)
            .arg(if back.force { "1" } else { "0" })
            .arg(back.note);
        for b in items {
            inv.arg(b.item)
                .arg(b.pos)
                .arg(sha256_hex(b.item))
                .arg(b.ask);
        }
        let res: redis::RedisResult<Vec<redis::Value>> = super::scripts::invoke(&inv, self.con());
        let replies = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (&s.list, "list"),
                    (&s.claims, "hash"),
                    (&s.asks, "hash"),
                    (&s.since, "zset"),
                    (&s.sampled, "set"),
                    (back.to, "list"),
                    (&notes, "hash"),
                    (&back.audit.key, "stream"),
                    (&s.flagged, "hash"),
                ],
            )
        })?;
        if replies.len() != items.len() {
            anyhow::bail!("unexpected reply from the send-back script");
        }
        replies
            .into_iter()
            .map(|reply| match reply {
                redis::Value::Int(1) => Ok(Moved::Moved),
                redis::Value::Int(0) => Ok(Moved::Gone),
                redis::Value::Int(-1) => Ok(Moved::Changed),
                redis::Value::BulkString(holder) => Ok(Moved::Claimed(
                    String::from_utf8_lossy(&holder).into_owned(),
                )),
                other => anyhow::bail!("unexpected reply from the send-back script: {other:?}"),
            })
            .collect()
    }
}
