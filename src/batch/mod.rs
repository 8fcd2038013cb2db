//! Pushing a validated batch of items into a queue: atomic chunks, dedup, saturation counters.

use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use crate::input::Item;
use crate::keys;
use crate::store::Store;

mod cut;

use cut::State;
pub use cut::{Cut, Partial};

/// Most items sent in one atomic call, and most bytes: bounds each script's run time.
const CHUNK_ITEMS: usize = 2_000;
const CHUNK_BYTES: usize = 4 << 20;

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
    let (mut added, mut dups) = (0u64, 0u64);
    let chunks: Vec<&[Item<'_>]> = chunks(items).collect();
    // How many chunks were handed to the store (sent, or about to be), and the written
    // state of each answered one, in order.
    let taken = std::cell::Cell::new(0usize);
    let mut answered: Vec<bool> = Vec::with_capacity(chunks.len());
    let take = |_: &&&[Item<'_>]| taken.set(taken.get() + 1);
    let res = match dedup {
        Some(d) => {
            let batches = chunks.iter().inspect(take).map(|chunk| {
                chunk
                    .iter()
                    .map(|i| (i.dedup.as_deref().unwrap_or_default(), i.bytes))
                    .collect()
            });
            store.push_dedup_stream(queue, d.seen_set, batches, |n, done| {
                answered.push(done.is_some());
                if let Some((a, b)) = done {
                    added += a;
                    dups += b;
                    bar.inc(n as u64);
                }
            })
        }
        None => {
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
    // What went in is counted, also when the batch was cut short.
    let counted = match dedup {
        Some(d) if added > 0 || dups > 0 => {
            let day = crate::date::today().to_string();
            let counters = [
                (
                    keys::counter(&keys::counter_new(d.pipeline), &day),
                    added as i64,
                ),
                (
                    keys::counter(&keys::counter_dup(d.pipeline), &day),
                    dups as i64,
                ),
            ];
            store.incr_counters(&counters, d.retention).map(|_| ())
        }
        _ => Ok(()),
    };
    match res {
        Ok(()) => {
            counted.context("items were enqueued, but the saturation counters were not updated")?;
            Ok((added, dups))
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
            let cut = Cut::new(queue, &chunks, &states, dedup.map(|_| (added, dups)));
            let (advice, command) = (resume(&cut), command(&cut));
            Err(cut.into_error(err, counted.is_err(), advice, command))
        }
    }
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
        {
            bytes += items[end].bytes.len();
            end += 1;
        }
        let chunk = &items[start..end];
        start = end;
        Some(chunk)
    })
}
