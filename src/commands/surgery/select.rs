//! Selecting items of a list by position, `--where` or `--all`, and acting on each one in
//! atomic script calls bounded in server time: what `approve`, `reject` and `review`
//! (review/select.rs) and `move`, `rm` and `unreject` share.

use anyhow::Result;
use serde_json::Value;

use crate::error::Fail;
use crate::input::Condition;
use crate::output::Output;
use crate::store::Store;
pub use crate::store::review::Moved;

/// Items read per LRANGE when selecting over the whole list: memory stays flat however long.
const PAGE: usize = 1_000;
/// Items acted on per script call: bounds how long one call holds the server.
const MOVE_CHUNK: usize = 500;
/// List elements one script call may scan to find the items it moves (a few ms of server time).
const SCAN_BUDGET: usize = 200_000;
/// Most items positions may select: they are read in one moment, so into memory at once.
/// More are selected with --all --limit N (positions 1-N), read in pages.
pub const MAX_POSITIONS: usize = 100_000;

/// A run of positions, 1-based from the consumer end (as `pipectl ls` and `staged` number them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub first: usize,
    pub last: usize,
}

impl Span {
    /// How many positions it names.
    pub fn count(&self) -> usize {
        self.last - self.first + 1
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// Parses a position (`3`) or a range of positions (`2-5`).
pub fn parse_span(text: &str) -> Result<Span, String> {
    let bad = || {
        format!("'{text}' is not a position: write a number from 1 (e.g. 3) or a range (e.g. 2-5)")
    };
    let number = |s: &str| -> Result<usize, String> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        match s.parse::<usize>() {
            Ok(0) => Err(format!("positions start at 1, not 0 ('{text}')")),
            Ok(n) => Ok(n),
            Err(_) => Err(format!("position '{text}' is too large")),
        }
    };
    let (first, last) = match text.split_once('-') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => {
            let n = number(text)?;
            (n, n)
        }
    };
    if first > last {
        return Err(format!(
            "range '{text}' runs backwards: write {last}-{first}"
        ));
    }
    Ok(Span { first, last })
}

/// True when the item is JSON and every filter matches it (always, with no filters).
/// A non-JSON item matches only an empty filter list.
pub fn matches_all(item: &[u8], filters: &[Condition]) -> bool {
    if filters.is_empty() {
        return true;
    }
    match serde_json::from_slice::<Value>(item) {
        Ok(value) => filters.iter().all(|f| f.matches(&value)),
        Err(_) => false,
    }
}

/// LLEN of a list (0 when absent).
pub fn length(store: &mut Store, list: &str) -> Result<usize> {
    let lens = store.lens(&[list.to_owned()])?;
    Ok(lens
        .first()
        .map_or(0, |&n| usize::try_from(n).unwrap_or(usize::MAX)))
}

/// Sorted, non-overlapping runs covering every position asked for.
pub fn merge(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let mut runs: Vec<Span> = Vec::with_capacity(sorted.len());
    for span in sorted {
        match runs.last_mut() {
            Some(last) if span.first <= last.last.saturating_add(1) => {
                last.last = last.last.max(span.last);
            }
            _ => runs.push(span),
        }
    }
    runs
}

/// What a selection came to.
#[derive(Debug, Default)]
pub struct Tally {
    /// Items selected (by position or filter) and still in the list when they were read.
    pub matched: u64,
    /// Items this process moved (or deleted).
    pub moved: u64,
    /// Selected items someone else moved first (skipped, not an error).
    pub taken: u64,
    /// Positions selected by those taken items, when selected by position.
    pub taken_positions: Vec<usize>,
    /// Positions past the end of the list.
    pub missing: Vec<Span>,
    /// Selected items held by another reviewer's claim, not moved: (position when selected
    /// by position, the holder).
    pub claimed: Vec<(Option<usize>, String)>,
}

impl Tally {
    fn count<T>(&mut self, selected: &[(usize, T)], moved: Vec<Moved>, by_position: bool) -> usize {
        let mut left = 0;
        for ((pos, _), result) in selected.iter().zip(moved) {
            match result {
                Moved::Moved => {
                    self.moved += 1;
                    left += 1;
                }
                Moved::Gone | Moved::Changed | Moved::Sampled => {
                    self.taken += 1;
                    if by_position {
                        self.taken_positions.push(*pos);
                    }
                    left += usize::from(result == Moved::Gone);
                }
                Moved::Claimed(holder) => {
                    self.claimed.push((by_position.then_some(*pos), holder));
                }
            }
        }
        left
    }
}

/// How a script call's server time grows with the items it takes out of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cost {
    /// Each item is found by a scan of its own from the nearer end (an LREM each,
    /// review_move.lua): a call costs the sum of those scans.
    EachItem,
    /// Items are found at their positions and removed by one scan (surgery_move.lua): a call
    /// costs the scan from the nearer end to the farthest of them.
    OneScan,
}

/// What to say when Redis refuses a step part-way through a selection.
#[derive(Clone, Copy, Debug)]
pub struct Words<'a> {
    /// What was done to the items: "approved", "moved", "deleted".
    pub done: &'a str,
    /// Where they went, when they went somewhere.
    pub to: Option<&'a str>,
    /// Where the rest are: "still staged", "still in prospect:queue".
    pub left: &'a str,
    /// What shows the positions again: "`pipectl staged`".
    pub look: &'a str,
}

/// One selection over one list: by positions (read in one moment) or, without positions, over
/// every item in pages; filtered by the caller's `wanted`, at most `limit`, acted on by `act`
/// in calls bounded by `cost`.
pub struct Walk<'a> {
    pub list: &'a str,
    pub positions: &'a [Span],
    pub limit: Option<u64>,
    /// Only count what would be selected; act on nothing.
    pub dry_run: bool,
    pub cost: Cost,
    pub words: Words<'a>,
}

/// The items one call acts on: `(position, item)`, the position as it is now (a hint).
pub type Chunk<'c, 'i> = &'c [(usize, &'i [u8])];

impl Walk<'_> {
    /// Selects the items and acts on each, atomically per call.
    ///
    /// Positions are resolved to item values in one moment (one script); each item then moves
    /// by value, so an item another process took meanwhile is counted as taken, never moved
    /// twice. Without positions the list is read in pages from the consumer end, looking at no
    /// more items than it held when the walk started (items added meanwhile wait for the next
    /// run); memory stays bounded by a page and a call's items however long the list.
    pub fn run(
        &self,
        out: &Output,
        store: &mut Store,
        mut wanted: impl FnMut(&[u8]) -> bool,
        mut act: impl FnMut(&mut Store, Chunk<'_, '_>) -> Result<Vec<Moved>>,
    ) -> Result<Tally> {
        let limit = self.limit.map_or(usize::MAX, |l| l as usize);
        let mut tally = Tally::default();
        if !self.positions.is_empty() {
            // Runs past the end of the list are missing without a read; the rest are cut to
            // its length, so a huge range costs what the list holds.
            let len = length(store, self.list)?;
            let runs = merge(self.positions);
            let (asked, past): (Vec<Span>, Vec<Span>) = runs.iter().partition(|s| s.first <= len);
            let pairs: Vec<(usize, usize)> =
                asked.iter().map(|s| (s.first, s.last.min(len))).collect();
            let named = pairs
                .iter()
                .fold(0usize, |n, (a, b)| n.saturating_add(b - a + 1));
            if named > MAX_POSITIONS {
                return Err(Fail::usage(format!(
                    "the positions name {named} items, more than the {MAX_POSITIONS} read in one moment"
                ))
                .hint("select the first N with --all --limit N (the same as positions 1-N), read in pages")
                .into());
            }
            let pages = store.staged_at(self.list, &pairs)?;
            let mut selected: Vec<(usize, &[u8])> = Vec::new();
            for (run, page) in asked.iter().zip(&pages) {
                for (i, item) in page.iter().enumerate() {
                    if selected.len() < limit && wanted(item) {
                        selected.push((run.first + i, item));
                    }
                }
                if run.first + page.len() <= run.last {
                    tally.missing.push(Span {
                        first: run.first + page.len(),
                        last: run.last,
                    });
                }
            }
            tally.missing.extend(past);
            tally.matched = selected.len() as u64;
            if self.dry_run {
                return Ok(tally);
            }
            self.act_all(store, &mut tally, &selected, len, &mut act)?;
            return Ok(tally);
        }

        let total = length(store, self.list)?;
        let bar = out.progress(total as u64, "looked at");
        let (mut offset, mut examined, mut len) = (0usize, 0usize, total);
        let mut pending: Vec<(usize, Vec<u8>)> = Vec::new();
        // Items chosen so far: those acted on and waiting, or (dry run) all that matched.
        let chosen_so_far = |tally: &Tally, pending: usize| {
            if self.dry_run {
                tally.matched as usize
            } else {
                (tally.moved as usize).saturating_add(pending)
            }
        };
        while examined < total && chosen_so_far(&tally, pending.len()) < limit {
            let page = store.page(self.list, offset, PAGE.min(total - examined))?;
            if page.is_empty() {
                break;
            }
            let want = limit - chosen_so_far(&tally, pending.len());
            let mut chosen = 0;
            let mut looked = 0;
            for (i, item) in page.into_iter().enumerate() {
                if chosen == want {
                    break;
                }
                looked += 1;
                if wanted(&item) {
                    chosen += 1;
                    pending.push((offset + i + 1, item));
                }
            }
            examined += looked;
            offset += looked;
            bar.inc(looked as u64);
            tally.matched += chosen as u64;
            if self.dry_run {
                pending.clear();
                continue;
            }
            // Full calls go now; a short one waits for the next page's matches.
            loop {
                let n = chunk_len(&pending, len, self.cost);
                if n == 0 || (n == pending.len() && n < MOVE_CHUNK) {
                    break;
                }
                let gone = self.act_front(store, &mut tally, &mut pending, n, &mut act)?;
                offset = offset.saturating_sub(gone);
                len = len.saturating_sub(gone);
            }
        }
        while !pending.is_empty() {
            let n = chunk_len(&pending, len, self.cost).max(1);
            let gone = self.act_front(store, &mut tally, &mut pending, n, &mut act)?;
            len = len.saturating_sub(gone);
        }
        bar.finish_and_clear();
        Ok(tally)
    }

    /// Acts on the first `n` pending items; the later ones move up by those that left.
    /// Returns how many left the list.
    fn act_front(
        &self,
        store: &mut Store,
        tally: &mut Tally,
        pending: &mut Vec<(usize, Vec<u8>)>,
        n: usize,
        act: &mut impl FnMut(&mut Store, Chunk<'_, '_>) -> Result<Vec<Moved>>,
    ) -> Result<usize> {
        let chunk: Vec<(usize, &[u8])> = pending[..n]
            .iter()
            .map(|(pos, item)| (*pos, item.as_slice()))
            .collect();
        let done = act(store, &chunk).map_err(|e| cut_short(e, tally, &self.words, false))?;
        let gone = tally.count(&chunk, done, false);
        drop(chunk);
        pending.drain(..n);
        for (pos, _) in pending.iter_mut() {
            *pos = pos.saturating_sub(gone).max(1);
        }
        Ok(gone)
    }

    /// Acts on items selected by position, in calls bounded by `cost`.
    fn act_all(
        &self,
        store: &mut Store,
        tally: &mut Tally,
        selected: &[(usize, &[u8])],
        mut len: usize,
        act: &mut impl FnMut(&mut Store, Chunk<'_, '_>) -> Result<Vec<Moved>>,
    ) -> Result<()> {
        let (mut at, mut gone) = (0, 0usize);
        while at < selected.len() {
            let now: Vec<(usize, &[u8])> = selected[at..]
                .iter()
                .map(|(pos, item)| (pos.saturating_sub(gone).max(1), *item))
                .collect();
            let n = chunk_len(&now, len, self.cost).max(1);
            let done = act(store, &now[..n]).map_err(|e| cut_short(e, tally, &self.words, true))?;
            let left = tally.count(&selected[at..at + n], done, true);
            gone += left;
            len = len.saturating_sub(left);
            at += n;
        }
        Ok(())
    }
}

/// How many of the leading `(position, item)` moves go in the next script call: at most
/// MOVE_CHUNK, and no more list elements to scan than the budget allows (an item at position
/// `p` from the nearer end of a list of `len` costs about `p`; see [`Cost`]), so no call
/// holds the server for long. 0 only when there are none.
pub(super) fn chunk_len<T>(moves: &[(usize, T)], len: usize, cost: Cost) -> usize {
    let near = |pos: usize| pos.min(len.saturating_sub(pos)).saturating_add(1);
    let mut end = 0;
    match cost {
        Cost::EachItem => {
            let mut sum = 0usize;
            while end < moves.len() && end < MOVE_CHUNK {
                let item_cost = near(moves[end].0);
                if end > 0 && sum.saturating_add(item_cost) > SCAN_BUDGET {
                    break;
                }
                sum = sum.saturating_add(item_cost);
                end += 1;
            }
        }
        Cost::OneScan => {
            // A call scans from the nearer end to the farthest of its items: it may reach
            // SCAN_BUDGET elements past what its first item alone costs.
            let Some((first, _)) = moves.first() else {
                return 0;
            };
            let allowed = near(*first).saturating_add(SCAN_BUDGET);
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            while end < moves.len() && end < MOVE_CHUNK {
                let pos = moves[end].0;
                let (l, h) = (lo.min(pos), hi.max(pos));
                let scan = h.min(len.saturating_sub(l).saturating_add(1));
                if end > 0 && scan > allowed {
                    break;
                }
                (lo, hi) = (l, h);
                end += 1;
            }
        }
    }
    end
}

/// A refusal part-way through a selection, saying exactly what was done: each script call is
/// all or nothing against a refusal such as OOM (Redis refuses only a script's first write),
/// so the moves counted so far happened and none after them.
fn cut_short(
    err: anyhow::Error,
    tally: &Tally,
    words: &Words<'_>,
    by_position: bool,
) -> anyhow::Error {
    if tally.moved == 0 && tally.taken == 0 {
        return err;
    }
    let again = if by_position {
        format!(
            "positions have shifted: look at {} before selecting the rest",
            words.look
        )
    } else {
        "the same command again goes on with the rest".to_owned()
    };
    let lost = err
        .chain()
        .filter_map(|c| c.downcast_ref::<redis::RedisError>())
        .any(crate::store::is_transient);
    let (done, left) = (words.done, words.left);
    let moved = crate::output::count_of(tally.moved, "item");
    let to = words.to.map(|to| format!(" to {to}")).unwrap_or_default();
    if lost {
        // The reply of the call in flight was lost: it may have happened or not. Either way
        // each item is in one list, and a rerun acts only on what is still there.
        return err.context(format!(
            "{done} {moved}{to}, then the connection to Redis was lost: the step in flight may or may not have happened, every other item not {done} is {left} ({again})"
        ));
    }
    err.context(format!(
        "{done} {moved}{to} before Redis refused the next step; every item not {done} is {left} ({again})"
    ))
}
