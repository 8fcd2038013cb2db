//! Staging and review: reading staged items by position and moving them on (approve/reject).

use anyhow::Result;

use super::Store;
use super::scripts::{REVIEW_FLAG, REVIEW_MOVE, REVIEW_POSITIONS};
use crate::keys::StagedKeys;

/// One item to move out of the staging list, and what to push in its place.
pub struct Move<'a> {
    /// The staged item, exactly as stored.
    pub item: &'a [u8],
    /// What lands in the destination: the item itself (approve) or its envelope (reject).
    pub payload: &'a [u8],
    /// Where the item was seen, 1-based from the consumer end: tells the script which end of
    /// the list to search from. Only a hint; a stale one costs time, never correctness.
    pub pos: usize,
    /// The item's escalation entry as read when the destination was chosen by it (None: no
    /// entry); the move is refused as `Changed` when it differs at move time.
    pub expect_ask: Expect<'a>,
}

/// What the caller knows of an item's escalation entry.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    /// The destination does not depend on it (reject).
    Any,
    /// The entry as read (`None`: the item had none).
    Exactly(Option<&'a [u8]>),
    /// A policy samples the item for a person instead of moving it.
    Sample,
}

/// What became of one move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moved {
    Moved,
    /// Someone else moved it first.
    Gone,
    /// Held by another reviewer's live claim: not moved.
    Claimed(String),
    /// Its escalation entry changed since it was read (or, for a policy, it was sampled for
    /// a person already): not moved.
    Changed,
    /// A policy sampled it for a person (`Expect::Sample`): it stays staged, marked.
    Sampled,
}

/// Who moves staged items, and the audit record each move writes.
pub struct Decider<'a> {
    pub audit: &'a crate::audit::AuditLog,
    pub entry: &'a crate::audit::Entry,
    /// The claim holder name that may move claimed items (its own claims).
    pub by: &'a str,
    /// Move items claimed by someone else too.
    pub force: bool,
    /// A policy decides: an item sampled for a person is left alone.
    pub policy: bool,
    /// The audit record of an item the policy samples instead (`Expect::Sample`).
    pub sample_entry: Option<&'a crate::audit::Entry>,
}

impl Store {
    /// The items at runs of positions `(first, last)`, 1-based from the consumer end
    /// (position 1 = `LINDEX <list> -1`), read in one atomic step so they are one moment's
    /// view. Each run's items come next first; a run past the end of the list comes back short.
    pub fn staged_at(&mut self, list: &str, runs: &[(usize, usize)]) -> Result<Vec<Vec<Vec<u8>>>> {
        if runs.is_empty() {
            return Ok(Vec::new());
        }
        let mut inv = REVIEW_POSITIONS.script().prepare_invoke();
        inv.key(list);
        for &(first, last) in runs {
            inv.arg(first).arg(last);
        }
        let res: redis::RedisResult<Vec<Vec<Vec<u8>>>> = super::scripts::invoke(&inv, self.con());
        let mut pages = res.map_err(|e| self.explain(e, &[(list, "list")]))?;
        if pages.len() != runs.len() {
            anyhow::bail!("unexpected reply from the staged-positions script");
        }
        for page in &mut pages {
            page.reverse();
        }
        Ok(pages)
    }

    /// Moves each item from the staging list to `to`, atomically per call (one Lua script),
    /// each with its audit record: an item is pushed only if it was removed, so a concurrent
    /// reviewer never moves it twice, and one held by another reviewer's claim stays.
    pub fn move_staged(
        &mut self,
        staged: &StagedKeys,
        to: &str,
        who: &Decider<'_>,
        moves: &[Move<'_>],
    ) -> Result<Vec<Moved>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        let from = staged.list.as_str();
        if from == to {
            return Err(crate::error::Fail::config(format!(
                "'{from}' is both where the items are and where they would go"
            ))
            .hint("give the manual stage an output (and the pipeline a rejected list) other than its input")
            .into());
        }
        let keys = [
            from,
            to,
            &staged.claims,
            &staged.asks,
            &staged.since,
            &staged.sampled,
            &who.audit.key,
            &staged.flagged,
        ];
        self.same_slot(&keys)?;
        let mut inv = REVIEW_MOVE.script().prepare_invoke();
        for key in keys {
            inv.key(key);
        }
        inv.arg(who.audit.keep_ms())
            .arg(who.entry.head())
            .arg(who.by)
            .arg(match (who.force, who.policy) {
                (true, true) => "fp",
                (true, false) => "f",
                (false, true) => "p",
                (false, false) => "-",
            })
            .arg(
                who.sample_entry
                    .map_or_else(|| "[]".to_owned(), |e| e.head()),
            );
        for m in moves {
            inv.arg(m.item)
                .arg(m.payload)
                .arg(m.pos)
                .arg(crate::audit::sha256_hex(m.item));
            match m.expect_ask {
                Expect::Any => inv.arg("*"),
                Expect::Exactly(ask) => inv.arg(ask.unwrap_or(b"")),
                Expect::Sample => inv.arg("!"),
            };
        }
        let res: redis::RedisResult<Vec<redis::Value>> = super::scripts::invoke(&inv, self.con());
        let replies = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (from, "list"),
                    (to, "list"),
                    (&staged.claims, "hash"),
                    (&staged.asks, "hash"),
                    (&staged.since, "zset"),
                    (&staged.sampled, "set"),
                    (&who.audit.key, "stream"),
                    (&staged.flagged, "hash"),
                ],
            )
        })?;
        if replies.len() != moves.len() {
            anyhow::bail!("unexpected reply from the review script");
        }
        replies
            .into_iter()
            .map(|reply| match reply {
                redis::Value::Int(1) => Ok(Moved::Moved),
                redis::Value::Int(0) => Ok(Moved::Gone),
                redis::Value::Int(-1) => Ok(Moved::Changed),
                redis::Value::Int(2) => Ok(Moved::Sampled),
                redis::Value::BulkString(holder) => Ok(Moved::Claimed(
                    String::from_utf8_lossy(&holder).into_owned(),
                )),
                other => anyhow::bail!("unexpected reply from the review script: {other:?}"),
            })
            .collect()
    }

    /// The escalation entries of items (HMGET of the asks hash), in order.
    pub fn staged_asks(
        &mut self,
        staged: &StagedKeys,
        items: &[&[u8]],
    ) -> Result<Vec<Option<Vec<u8>>>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(&staged.asks);
        for item in items {
            cmd.arg(*item);
        }
        let res: redis::RedisResult<Vec<Option<Vec<u8>>>> = cmd.query(self.idem());
        res.map_err(|e| self.explain(e, &[(&staged.asks, "hash")]))
    }
}

/// An item a handler escalated to a person (the asks hash entry, keys.rs StagedKeys): the
/// stage that asked, and its question.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Ask {
    /// The stage whose handler asked: approving sends the item on to its output.
    pub stage: String,
    /// What the handler asked the reviewer.
    pub question: String,
}

impl Ask {
    /// The entry as stored, when it is one (a hand-made value that is not is ignored).
    pub fn parse(bytes: &[u8]) -> Option<Ask> {
        serde_json::from_slice(bytes).ok()
    }

    pub fn to_json(&self) -> String {
        serde_json::json!({"stage": self.stage, "question": self.question}).to_string()
    }
}

impl Store {
    /// Flags staged items (`(item, arrival ms)`) that waited past max_wait, each with its
    /// audit record, in one atomic step. Returns, per item, whether it was flagged now
    /// (false: gone, or flagged for this arrival already).
    pub fn flag_staged(
        &mut self,
        staged: &StagedKeys,
        audit: &crate::audit::AuditLog,
        entry: &crate::audit::Entry,
        items: &[(&[u8], u64)],
    ) -> Result<Vec<bool>> {
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let keys = [staged.list.as_str(), &staged.flagged, &audit.key];
        self.same_slot(&keys)?;
        let mut inv = REVIEW_FLAG.script().prepare_invoke();
        for key in keys {
            inv.key(key);
        }
        inv.arg(audit.keep_ms()).arg(entry.head());
        for (item, since) in items {
            inv.arg(*item)
                .arg(crate::audit::sha256_hex(item))
                .arg(*since);
        }
        let res: redis::RedisResult<Vec<i64>> = super::scripts::invoke(&inv, self.con());
        let flagged = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (&staged.list, "list"),
                    (&staged.flagged, "hash"),
                    (&audit.key, "stream"),
                ],
            )
        })?;
        Ok(flagged.into_iter().map(|m| m == 1).collect())
    }
}
