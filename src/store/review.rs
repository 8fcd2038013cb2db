//! Staging and review: reading staged items by position and moving them on (approve/reject).

use anyhow::Result;

use super::Store;
use super::scripts::{REVIEW_MOVE, REVIEW_POSITIONS};

/// One item to move out of the staging list, and what to push in its place.
pub struct Move<'a> {
    /// The staged item, exactly as stored.
    pub item: &'a [u8],
    /// What lands in the destination: the item itself (approve) or its envelope (reject).
    pub payload: &'a [u8],
    /// Where the item was seen, 1-based from the consumer end: tells the script which end of
    /// the list to search from. Only a hint; a stale one costs time, never correctness.
    pub pos: usize,
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
        let res: redis::RedisResult<Vec<Vec<Vec<u8>>>> = inv.invoke(self.con());
        let mut pages = res.map_err(|e| self.explain(e, &[(list, "list")]))?;
        if pages.len() != runs.len() {
            anyhow::bail!("unexpected reply from the staged-positions script");
        }
        for page in &mut pages {
            page.reverse();
        }
        Ok(pages)
    }

    /// Moves each item from the staging list to `to`, atomically per call (one Lua script):
    /// an item is pushed only if it was removed, so a concurrent reviewer never moves it twice.
    /// Returns, per item, whether it was moved (false: someone else took it first).
    pub fn move_staged(&mut self, from: &str, to: &str, moves: &[Move<'_>]) -> Result<Vec<bool>> {
        if moves.is_empty() {
            return Ok(Vec::new());
        }
        if from == to {
            return Err(crate::error::Fail::config(format!(
                "'{from}' is both where the items are and where they would go"
            ))
            .hint("give the manual stage an output (and the pipeline a rejected list) other than its input")
            .into());
        }
        self.same_slot(&[from, to])?;
        let mut inv = REVIEW_MOVE.script().prepare_invoke();
        inv.key(from).key(to);
        for m in moves {
            inv.arg(m.item).arg(m.payload).arg(m.pos);
        }
        let res: redis::RedisResult<Vec<i64>> = inv.invoke(self.con());
        let moved = res.map_err(|e| self.explain(e, &[(from, "list"), (to, "list")]))?;
        if moved.len() != moves.len() {
            anyhow::bail!("unexpected reply from the review script");
        }
        Ok(moved.into_iter().map(|m| m == 1).collect())
    }
}
