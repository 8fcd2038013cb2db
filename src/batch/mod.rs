//! Pushing a validated batch of items into a queue: atomic chunks, dedup, saturation counters.

use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use crate::due::Due;
use crate::error::Fail;
use crate::input::Item;
use crate::keys;
use crate::store::{DayCounters, DelayedChunk, Store, random_hex};

mod cut;

use cut::State;
pub use cut::{Cut, Partial};

/// Most items sent in one atomic call, and most bytes: bounds each script's run time.
const CHUNK_ITEMS: usize = 2_000;
const CHUNK_BYTES: usize = 4 << 20;
/// A delayed batch numbers its entries in blocks of this many items (6 hex digits), each
/// block with an id of its own; no chunk spans two blocks.
const BLOCK: usize = 1 << 24;

/// Dedup for a batch: the seen set, and the pipeline whose new/dup counters to add to.
pub struct DedupInto<'a> {
    pub seen_set: &'a str,
    pub pipeline: &'a str,
    pub retention: Duration,
}

/// Pushes `items` to `queue` (LPUSH order), each chunk one atomic step, the chunks streamed
/// without a round trip between two. With `dedup`, each item's dedup value is marked seen in
/// the same step, and today's new/dup counters grow. Returns (added, duplicates).
///
/// When Redis refuses a chunk (out of memory, a permission, a key of the wrong type) or the
/// connection is lost, the error says exactly which items were written — every chunk whose
/// reply says so — and which input lines remain: a `Fail` with the refusal's exit code and
/// a machine-readable `partial` (see `Cut`), which a command may give a resume hint.
pub fn push(
    store: &mut Store,
    queue: &str,
    items: &[Item<'_>],
    dedup: Option<&DedupInto<'_>>,
    bar: &ProgressBar,
) -> Result<(u64, u64)> {
    push_resumable(
        store,
        queue,
        items,
        dedup,
        bar,
        &|cut| cut.resume_advice(),
        &|_| None,
    )
}

/// `push`, where a batch cut short is reported with `resume` (what to do next, for the
/// hint) and `command` (the exact command that resumes it, for `--json`: `partial.resume`).
pub fn push_resumable(
    store: &mut Store,
    queue: &str,
    items: &[Item<'_>],
    dedup: Option<&DedupInto<'_>>,
    bar: &ProgressBar,
    resume: &dyn Fn(&Cut) -> String,
    command: &dyn Fn(&Cut) -> Option<String>,
) -> Result<(u64, u64)> {
    let pushed = push_into(store, queue, items, dedup, None, bar, resume, command)?;
    Ok((pushed.added, pushed.duplicates))
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pushed {
    pub added: u64,
    pub duplicates: u64,
    /// Delayed: the first written chunk's due time and the server's clock when it wrote it
    /// (ms since the epoch); None when not delayed or nothing was sent.
    pub due: Option<(i64, i64)>,
}

/// `push_resumable`, into the queue itself or, with `delay`, into its delayed set
/// (`<queue>:delayed`), due as `delay` says: the entries join the queue when a claim reaps
/// them, in input order among equal due times.
#[allow(clippy::too_many_arguments)]
pub fn push_into(
    store: &mut Store,
    queue: &str,
    items: &[Item<'_>],
    dedup: Option<&DedupInto<'_>>,
    delay: Option<Due>,
    bar: &ProgressBar,
    resume: &dyn Fn(&Cut) -> String,
    command: &dyn Fn(&Cut) -> Option<String>,
) -> Result<Pushed> {
    let (mut added, mut dups) = (0u64, 0u64);
    let mut due = None;
    // The day's new/dup counters (one day for the whole batch), and whether the dedup step
    // counted into them itself (it can for a single batch on one server).
    let day = dedup.map(|d| (d, day_counters(d, &crate::date::today().to_string())));
    let mut counted_in_step: Option<bool> = None;
    let chunks: Vec<&[Item<'_>]> = chunks(items).collect();
    // How many chunks were handed to the store (sent, or about to be), and the written
    // state of each answered one, in order.
    let taken = std::cell::Cell::new(0usize);
    let mut answered: Vec<bool> = Vec::with_capacity(chunks.len());
    let take = |_: &&&[Item<'_>]| taken.set(taken.get() + 1);
    let res = match (delay, dedup) {
        (Some(when), _) => {
            // One random id per block of 2^24 items: with the entry's number in the block
            // it makes the 16-hex prefix of each entry (enqueue_delayed.lua).
            let ids = (0..items.len().div_ceil(BLOCK))
                .map(|_| random_hex(5))
                .collect::<Result<Vec<String>>>()?;
            let mut start = 0;
            let batches = chunks.iter().inspect(take).map(|chunk| {
                let first = start;
                start += chunk.len();
                DelayedChunk {
                    id: &ids[first / BLOCK],
                    first: first % BLOCK,
                    items: chunk.iter().map(pair).collect(),
                }
            });
            let seen = dedup.map(|d| d.seen_set);
            store.push_delayed_stream(queue, seen, when, batches, |n, done| {
                answered.push(done.is_some());
                if let Some(done) = done {
                    added += done.added;
                    dups += done.duplicates;
                    due.get_or_insert((done.due_ms, done.now_ms));
                    bar.inc(n as u64);
                }
            })
        }
        (None, Some(d)) => {
            let batches = chunks
                .iter()
                .inspect(take)
                .map(|chunk| chunk.iter().map(pair).collect());
            let counters = day.as_ref().map(|(_, (new, dup))| DayCounters {
                new,
                dup,
                ttl: d.retention,
            });
            let counted = &mut counted_in_step;
            store
                .push_dedup_stream(queue, d.seen_set, batches, counters.as_ref(), |n, done| {
                    answered.push(done.is_some());
                    if let Some((a, b)) = done {
                        added += a;
                        dups += b;
                        bar.inc(n as u64);
                    }
                })
                .map(|c| *counted = c)
        }
        (None, None) => {
            let batches = chunks
                .iter()
                .inspect(take)
                .map(|chunk| chunk.iter().map(|i| i.bytes).collect());
            store.push_stream(queue, batches, |n, written| {
                answered.push(written);
                if written {
                    added += n as u64;
                    bar.inc(n as u64);
                }
            })
        }
    };
    // What went in is counted, also when the batch was cut short (unless the one step of a
    // single batch counted it already).
    let counted = match (day, counted_in_step) {
        (Some(_), Some(true)) => Ok(()),
        (Some((_, (new, dup))), Some(false)) => Err(Fail::data(format!(
            "today's counter {new} or {dup} holds a value that is not a number"
        ))
        .hint("delete it (redis-cli DEL) and the day's count starts again from 0")
        .into()),
        (Some((d, (new, dup))), None) if added > 0 || dups > 0 => {
            let counters = [(new, added as i64), (dup, dups as i64)];
            store.incr_counters(&counters, d.retention).map(|_| ())
        }
        _ => Ok(()),
    };
    match res {
        Ok(()) => {
            counted.context("items were enqueued, but the saturation counters were not updated")?;
            Ok(Pushed {
                added,
                duplicates: dups,
                due,
            })
        }
        Err(err) => {
            let states: Vec<State> = (0..chunks.len())
                .map(|i| match answered.get(i) {
                    Some(true) => State::Written,
                    Some(false) => State::Refused,
                    None if i < taken.get() => State::Unknown,
                    None => State::NotSent,
                })
                .collect();
            let mut cut = Cut::new(queue, &chunks, &states, dedup.map(|_| (added, dups)));
            cut.delayed_set = delay.map(|_| keys::QueueKeys::new(queue).delayed);
            let (advice, command) = (resume(&cut), command(&cut));
            Err(cut.into_error(err, counted.is_err(), advice, command))
        }
    }
}

/// An item and its dedup value ("" without one), as the store takes them.
fn pair<'a>(item: &'a Item<'_>) -> (&'a str, &'a [u8]) {
    (item.dedup.as_deref().unwrap_or_default(), item.bytes)
}

/// Splits items into chunks bounded by count and bytes.
fn chunks<'a, 'b>(items: &'b [Item<'a>]) -> impl Iterator<Item = &'b [Item<'a>]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= items.len() {
            return None;
        }
        let mut end = start;
        let mut bytes = 0;
        while end < items.len()
            && end - start < CHUNK_ITEMS
            && (end == start || bytes + items[end].bytes.len() <= CHUNK_BYTES)
            && (end == start || end % BLOCK != 0)
        {
            bytes += items[end].bytes.len();
            end += 1;
        }
        let chunk = &items[start..end];
        start = end;
        Some(chunk)
    })
}

/// The day's counters of new and of duplicate items (keys.rs counter).
fn day_counters(d: &DedupInto<'_>, day: &str) -> (String, String) {
    (
        keys::counter(&keys::counter_new(d.pipeline), day),
        keys::counter(&keys::counter_dup(d.pipeline), day),
    )
}
