//! The dead-letter list: reading it in pages, retrying and purging entries (one Lua script
//! each, writing each entry's audit record in the same step).
//! Indices here count from the left, where dead letters are LPUSHed: 0 is the newest.

use anyhow::Result;

use super::Store;
use super::scripts::{PURGE_DEAD, RETRY_DEAD};
use crate::audit::{AuditLog, Entry, sha256_hex};
use crate::keys::QueueKeys;

/// Where a purge counts what it removed (purge_dead.lua), and the floor it keeps.
#[derive(Clone, Copy, Debug)]
pub struct Removals<'a> {
    /// The running total (a string without expiry).
    pub total: &'a str,
    /// Today's counter, and its TTL in seconds.
    pub today: &'a str,
    pub ttl_secs: u64,
    /// Keep at least this many entries (a count cap); 0 for none.
    pub floor: u64,
}

impl Store {
    /// Entries at indices `start..start+count` from the newest end (LRANGE), newest first.
    pub fn range(&mut self, list: &str, start: usize, count: usize) -> Result<Vec<Vec<u8>>> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let stop = start.saturating_add(count - 1);
        let res = redis::cmd("LRANGE")
            .arg(list)
            .arg(start)
            .arg(stop)
            .query(self.idem());
        res.map_err(|e| self.explain(e, &[(list, "list")]))
    }

    /// The entries at these indices from the newest end, in one round trip; `None` where the
    /// list has no entry.
    pub fn entries_at(&mut self, list: &str, indices: &[usize]) -> Result<Vec<Option<Vec<u8>>>> {
        if indices.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for index in indices {
            pipe.cmd("LINDEX").arg(list).arg(*index);
        }
        let res = self.query_pipe(&pipe);
        res.map_err(|e| self.explain(e, &[(list, "list")]))
    }

    /// Moves dead letters back to `queue`, each atomically with its audit record (`entry`
    /// plus the item's sha256 and bytes): only while the exact entry is in the list is its
    /// item pushed, recorded and the entry removed, with the queue's attempt count for it
    /// cleared. `moves` are (entry, item) pairs. Returns, per pair, whether the entry was
    /// still there.
    pub fn retry_dead(
        &mut self,
        list: &str,
        queue: &str,
        audit: &AuditLog,
        entry: &Entry,
        moves: &[(&[u8], &[u8])],
    ) -> Result<Vec<bool>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        let k = QueueKeys::new(queue);
        self.same_slot(&[list, &k.queue, &k.attempts, &audit.key])?;
        let mut inv = RETRY_DEAD.script().prepare_invoke();
        inv.key(list)
            .key(&k.queue)
            .key(&k.attempts)
            .key(&audit.key)
            .arg(audit.keep_ms())
            .arg(entry.head());
        for (letter, item) in moves {
            inv.arg(*letter).arg(*item).arg(sha256_hex(item));
        }
        // Sent again after a lost reply, it finds the entries it moved gone: nothing is moved
        // or recorded twice.
        let res: redis::RedisResult<Vec<i64>> = super::scripts::invoke(&inv, self.idem());
        let flags = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (list, "list"),
                    (&k.queue, "list"),
                    (&k.attempts, "hash"),
                    (&audit.key, "stream"),
                ],
            )
        })?;
        if flags.len() != moves.len() {
            anyhow::bail!("unexpected reply from the dead-letter retry script");
        }
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }

    /// Deletes dead letters for good, each atomically with its audit record (`entry` plus
    /// the item's sha256 and bytes, and the envelope's error): only while the exact entry is
    /// in the list is it recorded and one copy removed (from the oldest end). `letters` are
    /// (entry, item, error) triples. Returns, per letter, whether it was still there.
    /// `count` names the total and today's counter the removals are added to, and the
    /// daily counter's TTL; `floor` keeps the list from going below that many (0: no floor).
    pub fn purge_dead(
        &mut self,
        list: &str,
        audit: &AuditLog,
        entry: &Entry,
        count: &Removals<'_>,
        letters: &[(&[u8], &[u8], Option<&str>)],
    ) -> Result<Vec<bool>> {
        if letters.is_empty() {
            return Ok(Vec::new());
        }
        self.same_slot(&[list, &audit.key, count.total, count.today])?;
        let mut inv = PURGE_DEAD.script().prepare_invoke();
        inv.key(list)
            .key(&audit.key)
            .key(count.total)
            .key(count.today)
            .arg(audit.keep_ms())
            .arg(entry.head())
            .arg(count.ttl_secs)
            .arg(count.floor);
        for (letter, item, error) in letters {
            inv.arg(*letter)
                .arg(*item)
                .arg(sha256_hex(item))
                .arg(error.unwrap_or(""));
        }
        let res: redis::RedisResult<Vec<i64>> = super::scripts::invoke(&inv, self.con());
        let flags = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (list, "list"),
                    (&audit.key, "stream"),
                    (count.total, "string"),
                    (count.today, "string"),
                ],
            )
        })?;
        if flags.len() != letters.len() {
            anyhow::bail!("unexpected reply from the dead-letter purge script");
        }
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }
}
