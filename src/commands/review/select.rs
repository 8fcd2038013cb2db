//! Selecting staged items (positions, `--where`, `--all`) and moving each one on in one
//! atomic step: what `approve`, `reject` and `review` share.

use anyhow::Result;
use serde_json::Value;

use super::decide::move_batch;
pub use super::decide::{Decision, Kind, decide_one};
use super::{Manual, StageArg};
use crate::error::Fail;
use crate::input::{Condition, parse_condition};
use crate::output::Output;
use crate::store::Store;
use crate::store::review::Moved;

/// Items read per LRANGE when selecting over the whole list: memory stays flat however long.
const PAGE: usize = 1_000;
/// Items moved per script call: bounds how long one call holds the server.
const MOVE_CHUNK: usize = 500;
/// List elements one script call may scan to find the items it moves (a few ms of server time).
const SCAN_BUDGET: usize = 200_000;

/// A run of positions from `pipectl staged`, 1-based from the consumer end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub first: usize,
    pub last: usize,
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

/// Which staged items `approve` / `reject` act on.
#[derive(clap::Args, Debug, Clone)]
pub struct Selection {
    /// Positions as `pipectl staged` shows them (1 = next in line), or ranges like 2-5
    #[arg(value_name = "POSITION", value_parser = parse_span, conflicts_with = "all")]
    pub positions: Vec<Span>,

    /// Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT.
    /// Repeat to require several. Without positions, every staged item is looked at
    #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = parse_condition)]
    pub filters: Vec<Condition>,

    /// Every staged item (with --where: every matching one), read in pages
    #[arg(long)]
    pub all: bool,

    /// Move at most this many items
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    #[command(flatten)]
    pub stage: StageArg,
}

impl Selection {
    /// Refuses a selection that names nothing (exit 2).
    pub fn check(&self, verb: &str) -> Result<(), Fail> {
        if self.positions.is_empty() && self.filters.is_empty() && !self.all {
            return Err(Fail::usage(format!("say which staged items to {verb}"))
                .hint(format!(
                    "give positions from `pipectl staged` (pipectl {verb} 1 3), --where FIELD=VALUE, or --all"
                )));
        }
        Ok(())
    }
}

/// What a selection came to.
#[derive(Debug, Default)]
pub struct Tally {
    /// Items selected (by position or filter) and still staged when they were read.
    pub matched: u64,
    /// Items this process moved.
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
    /// Counts a chunk's results; returns how many of its items are still staged (held by
    /// another reviewer's claim, or changed since they were read).
    fn count(
        &mut self,
        selected: &[(usize, &[u8])],
        moved: Vec<Moved>,
        by_position: bool,
    ) -> usize {
        let mut stayed = 0;
        for ((pos, _), result) in selected.iter().zip(moved) {
            match result {
                Moved::Moved => self.moved += 1,
                Moved::Gone => {
                    self.taken += 1;
                    if by_position {
                        self.taken_positions.push(*pos);
                    }
                }
                Moved::Changed | Moved::Sampled => {
                    stayed += 1;
                    self.taken += 1;
                    if by_position {
                        self.taken_positions.push(*pos);
                    }
                }
                Moved::Claimed(holder) => {
                    stayed += 1;
                    self.claimed.push((by_position.then_some(*pos), holder));
                }
            }
        }
        stayed
    }
}

/// Selects staged items and moves each one atomically as `decision` says.
///
/// Positions are resolved to item values in one moment (one MULTI); each item then moves by
/// value, so an item another reviewer took meanwhile is counted as taken, never moved twice.
/// `--all` / `--where` read the list in pages from the consumer end, looking at no more items
/// than were staged when it started (items staged meanwhile wait for the next run).
pub fn select_and_move(
    out: &Output,
    store: &mut Store,
    manual: &Manual,
    sel: &Selection,
    decision: &Decision<'_>,
) -> Result<Tally> {
    let limit = sel.limit.map_or(usize::MAX, |l| l as usize);
    let mut tally = Tally::default();
    if !sel.positions.is_empty() {
        let runs = merge(&sel.positions);
        let pairs: Vec<(usize, usize)> = runs.iter().map(|s| (s.first, s.last)).collect();
        let pages = store.staged_at(&manual.staged, &pairs)?;
        let mut selected: Vec<(usize, &[u8])> = Vec::new();
        for (run, page) in runs.iter().zip(&pages) {
            for (i, item) in page.iter().enumerate() {
                if selected.len() < limit && matches_all(item, &sel.filters) {
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
        tally.matched = selected.len() as u64;
        let len = store.lens(std::slice::from_ref(&manual.staged))?[0] as usize;
        for chunk in cost_chunks(&selected, len) {
            let moved = move_batch(store, manual, chunk, decision)
                .map_err(|e| cut_short(e, &tally, decision, true))?;
            tally.count(chunk, moved, true);
        }
        return Ok(tally);
    }

    let total = store.lens(std::slice::from_ref(&manual.staged))?[0] as usize;
    let bar = out.progress(total as u64, "looked at");
    let (mut offset, mut examined) = (0usize, 0usize);
    while examined < total && (tally.moved as usize) < limit {
        let page = store.page(&manual.staged, offset, PAGE.min(total - examined))?;
        if page.is_empty() {
            break;
        }
        let want = limit - tally.moved as usize;
        let mut chosen: Vec<(usize, &[u8])> = Vec::new();
        let mut stay = 0usize;
        let mut looked = 0;
        for (i, item) in page.iter().enumerate() {
            if chosen.len() == want {
                break;
            }
            looked += 1;
            if matches_all(item, &sel.filters) {
                chosen.push((offset + i + 1, item));
            } else {
                stay += 1;
            }
        }
        examined += looked;
        bar.inc(looked as u64);
        tally.matched += chosen.len() as u64;
        let len = total.max(offset + page.len());
        for chunk in cost_chunks(&chosen, len) {
            let moved = move_batch(store, manual, chunk, decision)
                .map_err(|e| cut_short(e, &tally, decision, false))?;
            stay += tally.count(chunk, moved, false);
        }
        // Moved and taken items left the list; the ones that did not match, and the ones
        // another reviewer holds, are still there.
        offset += stay;
    }
    bar.finish_and_clear();
    Ok(tally)
}

/// A refusal part-way through a selection, saying exactly what was done: each script call is
/// all or nothing against a refusal such as OOM (Redis refuses only a script's first write),
/// so the moves counted so far happened and none after them.
fn cut_short(
    err: anyhow::Error,
    tally: &Tally,
    decision: &Decision<'_>,
    by_position: bool,
) -> anyhow::Error {
    let verb = match decision.kind {
        Kind::Approve => "approved",
        Kind::Reject => "rejected",
    };
    let to = decision.to;
    if tally.moved == 0 && tally.taken == 0 {
        return err;
    }
    let again = if by_position {
        "positions have shifted: look at `pipectl staged` before selecting the rest"
    } else {
        "the same command again goes on with the rest"
    };
    let lost = err
        .chain()
        .filter_map(|c| c.downcast_ref::<redis::RedisError>())
        .any(crate::store::is_transient);
    let moved = crate::output::count_of(tally.moved, "item");
    if lost {
        // The reply of the move in flight was lost: it may have happened or not. Either way
        // each item is in one list, and a rerun moves only what is still staged.
        return err.context(format!(
            "{verb} {moved} to {to}, then the connection to Redis was lost: the move in flight may or may not have happened, every other item not moved is still staged ({again})"
        ));
    }
    err.context(format!(
        "{verb} {moved} to {to} before Redis refused the next move; every item not moved is still staged ({again})"
    ))
}

/// Splits `(position, item)` moves into script calls bounded in items and in how many list
/// elements the script may have to scan to find them (an item `p` from the nearer end of a
/// list of `len` costs about `p`), so no call holds the server for long.
fn cost_chunks<'s, 'i>(
    moves: &'s [(usize, &'i [u8])],
    len: usize,
) -> impl Iterator<Item = &'s [(usize, &'i [u8])]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= moves.len() {
            return None;
        }
        let (mut end, mut cost) = (start, 0usize);
        while end < moves.len() && end - start < MOVE_CHUNK {
            let pos = moves[end].0;
            let item_cost = pos.min(len.saturating_sub(pos)).saturating_add(1);
            if end > start && cost.saturating_add(item_cost) > SCAN_BUDGET {
                break;
            }
            cost = cost.saturating_add(item_cost);
            end += 1;
        }
        let chunk = &moves[start..end];
        start = end;
        Some(chunk)
    })
}

/// Sorted, non-overlapping runs covering every position asked for.
fn merge(spans: &[Span]) -> Vec<Span> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn span(first: usize, last: usize) -> Span {
        Span { first, last }
    }

    #[test]
    fn positions_and_ranges() {
        assert_eq!(parse_span("3"), Ok(span(3, 3)));
        assert_eq!(parse_span("2-5"), Ok(span(2, 5)));
        assert!(parse_span("0").unwrap_err().contains("start at 1"));
        assert!(parse_span("5-2").unwrap_err().contains("backwards"));
        for bad in [
            "",
            "x",
            "-1",
            "1-",
            "+2",
            "1.5",
            "1-2-3",
            "99999999999999999999999",
        ] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
        assert_eq!(
            merge(&[span(5, 5), span(1, 2), span(3, 3), span(7, 9), span(8, 8)]),
            [span(1, 3), span(5, 5), span(7, 9)]
        );
    }

    fn item_for_ops() -> &'static [u8] {
        br#"{"name":"Acme","score":0.85}"#
    }

    #[test]
    fn filters() {
        assert_eq!(
            parse_condition("site.url=a=b~c"),
            Ok(Condition {
                path: "site.url".into(),
                value: "a=b~c".into(),
                op: crate::input::Op::Eq
            })
        );
        assert_eq!(
            parse_condition("name~Auto").unwrap().op,
            crate::input::Op::Contains
        );
        assert!(matches_all(
            item_for_ops(),
            &[parse_condition("score>=0.8").unwrap()]
        ));
        assert!(!matches_all(
            item_for_ops(),
            &[parse_condition("score>0.9").unwrap()]
        ));
        assert!(matches_all(
            item_for_ops(),
            &[parse_condition("name!=Bob").unwrap()]
        ));
        assert!(!matches_all(
            item_for_ops(),
            &[parse_condition("name>=1").unwrap()]
        ));
        assert!(parse_condition("score>=high").is_err());
        assert!(parse_condition("score>=").is_err());
        assert!(parse_condition("=x").is_err());
        assert!(parse_condition("novalue").is_err());
        let item = br#"{"name":"Acme","n":5,"ok":true,"site":{"city":"Austin"},"nil":null}"#;
        let f = |s: &str| vec![parse_condition(s).unwrap()];
        assert!(matches_all(item, &f("name=Acme")));
        assert!(matches_all(item, &f("name~cm")));
        assert!(matches_all(item, &f("n=5")));
        assert!(matches_all(item, &f("ok=true")));
        assert!(matches_all(item, &f("nil=null")));
        assert!(matches_all(item, &f("site.city=Austin")));
        assert!(matches_all(item, &f(r#"site={"city":"Austin"}"#)));
        assert!(!matches_all(item, &f("name=acme")));
        assert!(!matches_all(item, &f("name~Acme Auto")));
        assert!(!matches_all(item, &f("missing=x")));
        // An empty value or text would select everything: refused.
        assert!(parse_condition("name~").unwrap_err().contains("name~TEXT"));
        assert!(parse_condition("name=").unwrap_err().contains("name=VALUE"));
        assert!(!matches_all(b"not json", &f("name=Acme")));
        assert!(matches_all(b"not json", &[]));
        let both = [f("name=Acme"), f("n=6")].concat();
        assert!(!matches_all(item, &both));
    }
}
