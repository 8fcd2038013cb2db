//! Pushing a validated batch of items into a queue: atomic chunks, dedup, saturation counters.

use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use crate::input::Item;
use crate::keys;
use crate::store::Store;

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
/// without a round trip between two. With `dedup`, each item's dedup value is marked seen in the same step,
/// and today's new/dup counters grow. Returns (added, duplicates).
pub fn push(
    store: &mut Store,
    queue: &str,
    items: &[Item<'_>],
    dedup: Option<&DedupInto<'_>>,
    bar: &ProgressBar,
) -> Result<(u64, u64)> {
    let (mut added, mut dups) = (0u64, 0u64);
    match dedup {
        Some(d) => {
            let batches = chunks(items).map(|chunk| {
                chunk
                    .iter()
                    .map(|i| (i.dedup.as_deref().unwrap_or_default(), i.bytes))
                    .collect()
            });
            store.push_dedup_stream(queue, d.seen_set, batches, |n, a, b| {
                added += a;
                dups += b;
                bar.inc(n as u64);
            })?;
        }
        None => {
            let batches = chunks(items).map(|chunk| chunk.iter().map(|i| i.bytes).collect());
            store.push_stream(queue, batches, |n| {
                added += n as u64;
                bar.inc(n as u64);
            })?;
        }
    }
    if let Some(d) = dedup
        && (added > 0 || dups > 0)
    {
        let day = crate::commands::today().to_string();
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
        store
            .incr_counters(&counters, d.retention)
            .context("items were enqueued, but the saturation counters were not updated")?;
    }
    Ok((added, dups))
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
