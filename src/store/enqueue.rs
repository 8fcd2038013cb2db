//! Enqueue: plain LPUSH chunks, dedup batches and delayed batches (`--in`/`--at`), streamed
//! without a round trip between two.

use anyhow::Result;
use std::time::Duration;

use super::stream::{Flow, Request};
use super::{Store, scripts};
use crate::due::Due;
use crate::keys::QueueKeys;

/// One chunk of a delayed batch: its entries are `<id><6-hex seq>:<item>`, `seq` counting
/// from `first` (enqueue_delayed.lua). Each item comes with its dedup value ("" without one).
pub struct DelayedChunk<'a> {
    /// The batch's id: 10 hex digits, random.
    pub id: &'a str,
    pub first: usize,
    pub items: Vec<(&'a str, &'a [u8])>,
}

/// What Redis did with one delayed chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DelayedDone {
    pub added: u64,
    pub duplicates: u64,
    /// The entries' due time, ms since the epoch (with `--in`: from the server's clock).
    pub due_ms: i64,
    /// The server's clock when it wrote them, ms since the epoch.
    pub now_ms: i64,
}

/// The day's counters of new and duplicate items an enqueue with dedup adds to (keys.rs
/// counter), kept `ttl`.
pub struct DayCounters<'a> {
    pub new: &'a str,
    pub dup: &'a str,
    pub ttl: Duration,
}

impl Store {
    /// An agent's enqueue on record (pipectl mcp): `items`, each with its dedup value when
    /// `seen` is given ("" without), into `queue` or, with `due`, its delayed set, with the
    /// call's audit record, in one script (at most 2,000 items). `due_ms` is -1 when not
    /// delayed. Not sent again after a lost reply.
    pub fn push_recorded(
        &mut self,
        queue: &str,
        seen: Option<&str>,
        due: Option<Due>,
        items: &[(&str, &[u8])],
        record: super::Recorded<'_>,
    ) -> Result<DelayedDone> {
        let delayed = QueueKeys::new(queue).delayed;
        let seen_key = seen.unwrap_or(queue);
        self.same_slot(&[queue, &delayed, seen_key, &record.audit.key])?;
        let mut inv = scripts::ENQUEUE_RECORDED.script().prepare_invoke();
        inv.key(queue)
            .key(&delayed)
            .key(seen_key)
            .key(&record.audit.key);
        let (mode, ms) = match due {
            None => ("", 0),
            Some(Due::In(ms)) => ("in", i64::try_from(ms).unwrap_or(i64::MAX)),
            Some(Due::At(ms)) => ("at", ms),
        };
        inv.arg(record.audit.keep_ms())
            .arg(record.entry.head())
            .arg(if seen.is_some() { "dedup" } else { "plain" })
            .arg(mode)
            .arg(ms)
            .arg(super::random_hex(5)?);
        for (value, item) in items {
            if seen.is_some() {
                inv.arg(*value);
            }
            inv.arg(*item);
        }
        let res: redis::RedisResult<(u64, u64, i64, i64)> = scripts::invoke(&inv, self.con());
        let (added, duplicates, due_ms, now_ms) = res.map_err(|e| {
            let mut expected = vec![(queue, "list"), (delayed.as_str(), "zset")];
            expected.extend(seen.map(|s| (s, "set")));
            expected.push((record.audit.key.as_str(), "stream"));
            self.explain(e, &expected)
        })?;
        Ok(DelayedDone {
            added,
            duplicates,
            due_ms,
            now_ms,
        })
    }

    /// LPUSH a chunk of items in one atomic command. Returns the queue's new length.
    pub fn push(&mut self, queue: &str, items: &[&[u8]]) -> Result<u64> {
        let res = redis::cmd("LPUSH").arg(queue).arg(items).query(self.con());
        res.map_err(|e| self.explain(e, &[(queue, "list")]))
    }

    /// LPUSHes batches of items, each batch one atomic command, streamed (see `stream`).
    /// `done` gets each answered batch's size and whether Redis wrote it, in order — also
    /// the batches answered after a refusal, which may have been written or refused too.
    /// A batch sent but never answered (the connection was lost) gets no call.
    pub fn push_stream<'a>(
        &mut self,
        queue: &str,
        batches: impl Iterator<Item = Vec<&'a [u8]>>,
        mut done: impl FnMut(usize, bool),
    ) -> Result<()> {
        let cmds = batches.map(|items| {
            let mut cmd = redis::cmd("LPUSH");
            cmd.arg(queue).arg(&items);
            (Request::One(cmd), items.len())
        });
        let res = self.stream(
            cmds,
            Flow::default(),
            |reply: redis::RedisResult<u64>, n| done(n, reply.is_ok()),
        );
        res.map_err(|e| self.explain(e, &[(queue, "list")]))
    }

    /// Marks each item's dedup value seen and pushes the new ones, atomically per call.
    /// Returns (added, duplicates).
    pub fn push_dedup(
        &mut self,
        queue: &str,
        seen: &str,
        pairs: &[(&str, &[u8])],
    ) -> Result<(u64, u64)> {
        let mut counts = (0, 0);
        let once = std::iter::once(pairs.to_vec());
        self.push_dedup_stream(queue, seen, once, None, |_, done| {
            counts = done.unwrap_or_default()
        })?;
        Ok(counts)
    }

    /// `push_dedup` for a sequence of batches, each still one atomic script, streamed (see
    /// `stream`). `done` gets each answered batch's size and, when Redis ran it, its
    /// (added, duplicates); None when it was refused (nothing of it written). In order, also
    /// after a refusal; a batch sent but never answered gets no call.
    ///
    /// With `counters`, a single batch on one server (a one-shot enqueue) adds to them in
    /// its own step: Some(whether they were, false when one holds a value that is not a
    /// number); None when the caller is to count.
    pub fn push_dedup_stream<'a>(
        &mut self,
        queue: &str,
        seen: &str,
        batches: impl ExactSizeIterator<Item = Vec<(&'a str, &'a [u8])>>,
        counters: Option<&DayCounters<'_>>,
        mut done: impl FnMut(usize, Option<(u64, u64)>),
    ) -> Result<Option<bool>> {
        self.same_slot(&[queue, seen])?;
        let mut batches = batches;
        if batches.len() <= 1 {
            // One batch (a one-shot enqueue): EVALSHA, loading the script on NOSCRIPT, rather
            // than its 19 KB source with EVAL.
            let Some(pairs) = batches.next() else {
                return Ok(None);
            };
            let size = pairs.len();
            // The day's counters in the same step (and round trip): on one server only, as a
            // cluster keeps them in other slots than the queue's.
            let counters = counters.filter(|_| !self.is_cluster());
            let (pairs, left) = distinct(&pairs);
            let mut inv = scripts::ENQUEUE_DEDUP.script().prepare_invoke();
            inv.key(queue).key(seen);
            if let Some(c) = counters {
                inv.key(c.new).key(c.dup);
            }
            for (value, _) in pairs.iter() {
                inv.arg(*value);
            }
            for (_, item) in pairs.iter() {
                inv.arg(*item);
            }
            if let Some(c) = counters {
                inv.arg(left).arg(c.ttl.as_secs().max(1));
            }
            // Sent again after a lost reply (cluster), items already pushed count as duplicates.
            let res: redis::RedisResult<Vec<u64>> = scripts::invoke(&inv, self.idem());
            let counts = res
                .as_ref()
                .ok()
                .and_then(|r| Some((*r.first()?, *r.get(1)? + left)));
            match &res {
                // Not answered: whether it ran is unknown, so no call.
                Err(e) if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() => {}
                _ => done(size, counts),
            }
            let mut expected = vec![(queue, "list"), (seen, "set")];
            if let Some(c) = counters {
                expected.extend([(c.new, "string"), (c.dup, "string")]);
            }
            let reply = res.map_err(|e| self.explain(e, &expected))?;
            return Ok(counters.map(|_| reply.get(2) == Some(&1)));
        }
        let script = &scripts::ENQUEUE_DEDUP;
        let call = self.script_cmd(script);
        // On one server, as transactions when this user may run theirs (Redis 7): the items
        // go by LPUSH, not as script arguments (enqueue_pushed.lua). But duplicates cost Redis
        // more that way (each pushed, then taken off again in its place): the first batch
        // goes as a script call, answered before the next is built, and after a batch
        // answered with more than a tenth of them, but not all, the next goes as a call too
        // (whole, by EVAL: an EVALSHA that met NOSCRIPT with a transaction run after it could
        // not be sent again).
        let pushed = !self.is_cluster() && self.may_push_then_dedup(queue, seen)?;
        let as_call = std::cell::Cell::new(true);
        let cmds = batches.enumerate().map(|(i, pairs)| {
            let (distinct, left) = distinct(&pairs);
            let request = if pushed && !as_call.get() {
                push_then_dedup(queue, seen, &distinct)
            } else {
                let mut cmd = call(i == 0 || pushed);
                cmd.arg(2).arg(queue).arg(seen);
                // The values, then the items (enqueue_dedup.lua).
                for (value, _) in distinct.iter() {
                    cmd.arg(*value);
                }
                for (_, item) in distinct.iter() {
                    cmd.arg(*item);
                }
                Request::One(cmd)
            };
            (request, (pairs.len(), left))
        });
        // Sent again after a lost reply (cluster), items already pushed count as duplicates.
        let flow = Flow {
            resend: true,
            script: Some(script).filter(|_| !pushed),
            first_alone: pushed,
        };
        let res = self.stream(
            cmds,
            flow,
            |reply: redis::RedisResult<(u64, u64)>, (n, left)| {
                if let Ok((added, dups)) = reply {
                    as_call.set(added > 0 && dups * 10 > added + dups);
                }
                done(n, reply.ok().map(|(added, dups)| (added, dups + left)))
            },
        );
        res.map(|()| None)
            .map_err(|e| self.explain(e, &[(queue, "list"), (seen, "set")]))
    }

    /// Whether dedup batches into `queue` may go as transactions (enqueue_pushed_check.lua,
    /// sent whole: it is small, and cannot meet NOSCRIPT). Fails on a key of the wrong type,
    /// as the batches would.
    fn may_push_then_dedup(&mut self, queue: &str, seen: &str) -> Result<bool> {
        let check = scripts::ENQUEUE_PUSHED_CHECK.whole(&[queue, seen]);
        let res: redis::RedisResult<i64> = check.query(self.con());
        let may = res.map_err(|e| self.explain(e, &[(queue, "list"), (seen, "set")]))?;
        Ok(may == 1)
    }

    /// Adds batches of items to the queue's delayed set (`<queue>:delayed`), due as `due`
    /// says, each batch one atomic script, streamed (see `stream`); with `seen`, each item's
    /// dedup value is marked in the same step and only new ones go in. `done` gets each
    /// answered batch's size and, when Redis ran it, what it did; None when it was refused
    /// (nothing of it written). In order, also after a refusal; a batch sent but never
    /// answered gets no call.
    pub fn push_delayed_stream<'a>(
        &mut self,
        queue: &str,
        seen: Option<&str>,
        due: Due,
        batches: impl Iterator<Item = DelayedChunk<'a>>,
        mut done: impl FnMut(usize, Option<DelayedDone>),
    ) -> Result<()> {
        let delayed = QueueKeys::new(queue).delayed;
        // The delayed set is reaped together with the queue: it must live in its slot.
        let mut keys = vec![queue, delayed.as_str()];
        keys.extend(seen);
        self.same_slot(&keys)?;
        let (mode, ms) = match due {
            Due::In(ms) => ("in", i64::try_from(ms).unwrap_or(i64::MAX)),
            Due::At(ms) => ("at", ms),
        };
        let script = &scripts::ENQUEUE_DELAYED;
        let call = self.script_cmd(script);
        let cmds = batches.enumerate().map(|(i, chunk)| {
            let mut cmd = call(i == 0);
            cmd.arg(1 + usize::from(seen.is_some())).arg(&delayed);
            if let Some(seen) = seen {
                cmd.arg(seen);
            }
            cmd.arg(mode).arg(ms).arg(chunk.id).arg(chunk.first);
            for (value, item) in &chunk.items {
                if seen.is_some() {
                    cmd.arg(*value);
                }
                cmd.arg(*item);
            }
            (Request::One(cmd), chunk.items.len())
        });
        // With dedup, a batch sent again after a lost reply (cluster) finds its items seen:
        // duplicates, never second entries. Without, it is never sent twice.
        let flow = Flow {
            resend: seen.is_some(),
            script: Some(script),
            first_alone: false,
        };
        let res = self.stream(
            cmds,
            flow,
            |reply: redis::RedisResult<(u64, u64, i64, i64)>, n| {
                done(
                    n,
                    reply
                        .ok()
                        .map(|(added, duplicates, due_ms, now_ms)| DelayedDone {
                            added,
                            duplicates,
                            due_ms,
                            now_ms,
                        }),
                )
            },
        );
        res.map_err(|e| {
            let mut expected = vec![(delayed.as_str(), "zset")];
            expected.extend(seen.map(|s| (s, "set")));
            self.explain(e, &expected)
        })
    }
}

/// An item with its dedup value.
type Pair<'a> = (&'a str, &'a [u8]);

/// A dedup batch's pairs with each value once (enqueue_dedup.lua takes distinct values): an
/// item whose value came earlier in the batch is left out, and is a duplicate; returns how
/// many were. As it is when no value repeats (the usual case).
fn distinct<'p, 'a>(pairs: &'p [Pair<'a>]) -> (std::borrow::Cow<'p, [Pair<'a>]>, u64) {
    let mut seen = std::collections::HashSet::with_capacity(pairs.len());
    if pairs.iter().all(|(value, _)| seen.insert(*value)) {
        return (std::borrow::Cow::Borrowed(pairs), 0);
    }
    seen.clear();
    let kept: Vec<_> = pairs
        .iter()
        .filter(|(value, _)| seen.insert(*value))
        .copied()
        .collect();
    let left = (pairs.len() - kept.len()) as u64;
    (std::borrow::Cow::Owned(kept), left)
}

/// A dedup batch as one transaction (enqueue_pushed.lua): MULTI, LPUSH of its items, the
/// script with their values, EXEC. The script goes whole with EVAL: an EVALSHA could meet
/// NOSCRIPT after the LPUSH ran.
fn push_then_dedup(queue: &str, seen: &str, pairs: &[Pair<'_>]) -> Request {
    let mut push = redis::cmd("LPUSH");
    push.arg(queue);
    let mut dedup = scripts::ENQUEUE_PUSHED.whole(&[queue, seen]);
    for (value, item) in pairs {
        push.arg(*item);
        dedup.arg(*value);
    }
    Request::Transaction(vec![push, dedup])
}
