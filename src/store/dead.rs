//! The dead-letter list: reading it in pages, retrying entries (one Lua script) and purging.
//! Indices here count from the left, where dead letters are LPUSHed: 0 is the newest.

use anyhow::Result;

use super::Store;
use super::scripts::RETRY_DEAD;
use crate::keys::QueueKeys;

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

    /// Moves dead letters back to `queue`, each atomically: the exact entry leaves the list
    /// and only then is its item pushed, with the queue's attempt count for it cleared.
    /// `moves` are (entry, item) pairs. Returns, per pair, whether the entry was still there.
    pub fn retry_dead(
        &mut self,
        list: &str,
        queue: &str,
        moves: &[(&[u8], &[u8])],
    ) -> Result<Vec<bool>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        let k = QueueKeys::new(queue);
        self.same_slot(&[list, &k.queue, &k.attempts])?;
        let mut inv = RETRY_DEAD.script().prepare_invoke();
        inv.key(list).key(&k.queue).key(&k.attempts);
        for (entry, item) in moves {
            inv.arg(*entry).arg(*item);
        }
        let res: redis::RedisResult<Vec<i64>> = inv.invoke(self.idem());
        let flags = res.map_err(|e| {
            self.explain(
                e,
                &[(list, "list"), (&k.queue, "list"), (&k.attempts, "hash")],
            )
        })?;
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }

    /// Deletes one copy of each entry (LREM from the oldest end), in one round trip.
    /// Returns how many were still there.
    pub fn remove_entries(&mut self, list: &str, entries: &[&[u8]]) -> Result<u64> {
        if entries.is_empty() {
            return Ok(0);
        }
        let mut pipe = redis::pipe();
        for entry in entries {
            pipe.cmd("LREM").arg(list).arg(-1).arg(*entry);
        }
        let res: redis::RedisResult<Vec<u64>> = self.query_pipe_once(&pipe);
        let removed = res.map_err(|e| self.explain(e, &[(list, "list")]))?;
        Ok(removed.iter().sum())
    }

    /// Deletes the `count` oldest entries (LTRIM keeps the newer ones, and anything pushed
    /// meanwhile).
    pub fn trim_oldest(&mut self, list: &str, count: usize) -> Result<()> {
        if count == 0 {
            return Ok(());
        }
        let stop = -(count as i64) - 1;
        let res: redis::RedisResult<()> = redis::cmd("LTRIM")
            .arg(list)
            .arg(0)
            .arg(stop)
            .query(self.con());
        res.map_err(|e| self.explain(e, &[(list, "list")]))
    }
}
