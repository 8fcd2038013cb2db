//! Item surgery: taking entries out of any list, into another list or nowhere, each with its
//! audit record, in one Lua script per call (surgery_move.lua).

use anyhow::Result;

use super::Store;
use super::scripts::SURGERY_MOVE;
use crate::keys::StagedKeys;
use crate::store::review::Moved;

/// One entry to take out of a list.
pub struct Take<'a> {
    /// The entry, exactly as stored.
    pub entry: &'a [u8],
    /// What lands in the destination instead of the entry (`unreject`: the envelope's item);
    /// `None`: the entry itself.
    pub payload: Option<&'a [u8]>,
    /// Where it was seen, 1-based from the consumer end: a hint that finds it without a scan
    /// while it is still there. A stale one costs time, never correctness.
    pub pos: usize,
}

/// Where entries go: `Some` list, or nowhere (`rm`).
pub struct Cut<'a> {
    /// The list the entries leave.
    pub from: &'a str,
    /// The bookkeeping beside `from` when it is a staging list: it leaves with each entry.
    pub from_staged: Option<&'a StagedKeys>,
    /// Where they go; `None` deletes them (the audit record keeps the exact bytes).
    pub to: Option<&'a str>,
    /// The arrival times beside `to` when it is a staging list: each entry's is recorded.
    pub to_since: Option<&'a str>,
    /// The attempts and notes hashes beside `from` when it is a stage's queue: an entry
    /// leaves them with it, as it does when it is escalated or finished.
    pub from_queue: Option<(&'a str, &'a str)>,
    pub audit: &'a crate::audit::AuditLog,
    /// The fields every record of the call shares (action, stage, by, note, from, to).
    pub entry: &'a crate::audit::Entry,
}

/// The mode argument of surgery_move.lua.
fn mode(cut: &Cut<'_>, takes: &[Take<'_>]) -> &'static str {
    if cut.to.is_none() {
        "rm"
    } else if takes.iter().any(|t| t.payload.is_some()) {
        "unwrap"
    } else {
        "move"
    }
}

impl Cut<'_> {
    /// Every key a call touches, in the script's order; unused slots repeat `from`.
    fn keys(&self) -> [&str; 10] {
        let from = self.from;
        let staged: [&str; 4] = match self.from_staged {
            Some(k) => [&k.claims, &k.asks, &k.since, &k.sampled],
            None => [from; 4],
        };
        [
            from,
            self.to.unwrap_or(from),
            &self.audit.key,
            staged[0],
            staged[1],
            staged[2],
            staged[3],
            self.to_since.unwrap_or(from),
            self.from_queue.map_or(from, |q| q.0),
            self.from_queue.map_or(from, |q| q.1),
        ]
    }
}

impl Store {
    /// In a cluster, refuses (before anything is read or asked) a cut whose keys live in
    /// different hash slots.
    pub fn check_slots(&self, cut: &Cut<'_>) -> Result<()> {
        self.same_slot(&cut.keys())
    }

    /// Takes each entry out of `cut.from`, atomically per call, each with its audit record:
    /// an entry is pushed (or deleted) only when it was still there, so two processes moving
    /// the same item move it once. Returns per entry `Moved` or `Gone`.
    pub fn surgery(&mut self, cut: &Cut<'_>, takes: &[Take<'_>]) -> Result<Vec<Moved>> {
        if takes.is_empty() {
            return Ok(Vec::new());
        }
        let from = cut.from;
        if cut.to == Some(from) {
            return Err(crate::error::Fail::usage(format!(
                "'{from}' is both where the items are and where they would go"
            ))
            .hint("give a destination other than the source")
            .into());
        }
        let keys = cut.keys();
        self.same_slot(&keys)?;
        let mode = mode(cut, takes);
        let marker = format!("\u{0}pipectl:taken:{}", super::random_hex(16)?);
        let mut inv = SURGERY_MOVE.script().prepare_invoke();
        for key in keys {
            inv.key(key);
        }
        inv.arg(cut.audit.keep_ms())
            .arg(cut.entry.head())
            .arg(mode)
            .arg(if cut.from_staged.is_some() { "1" } else { "0" })
            .arg(if cut.to_since.is_some() { "1" } else { "0" })
            .arg(&marker);
        for take in takes {
            let kept = match (mode, take.payload) {
                ("unwrap", Some(payload)) => payload,
                _ => take.entry,
            };
            inv.arg(take.entry)
                .arg(take.pos)
                .arg(crate::audit::sha256_hex(kept));
            if mode == "unwrap" {
                inv.arg(kept);
            }
        }
        let res: redis::RedisResult<Vec<i64>> = super::scripts::invoke(&inv, self.con());
        let flags = res.map_err(|e| {
            let mut expected = vec![(from, "list"), (&cut.audit.key as &str, "stream")];
            if let Some(to) = cut.to {
                expected.push((to, "list"));
            }
            if let Some(k) = cut.from_staged {
                expected.extend([
                    (k.claims.as_str(), "hash"),
                    (&k.asks, "hash"),
                    (&k.since, "zset"),
                    (&k.sampled, "set"),
                ]);
            }
            if let Some(since) = cut.to_since {
                expected.push((since, "zset"));
            }
            if let Some((attempts, notes)) = cut.from_queue {
                expected.extend([(attempts, "hash"), (notes, "hash")]);
            }
            self.explain(e, &expected)
        })?;
        if flags.len() != takes.len() {
            anyhow::bail!("unexpected reply from the surgery script");
        }
        Ok(flags
            .into_iter()
            .map(|f| if f == 1 { Moved::Moved } else { Moved::Gone })
            .collect())
    }
}
