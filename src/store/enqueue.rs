//! Enqueue: plain LPUSH chunks, dedup batches and delayed batches (`--in`/`--at`), streamed
//! without a round trip between two.

use anyhow::Result;
use std::time::Duration;

use redis::Value;

use super::{Conn, Store, scripts, scripts::Lua};
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
            (cmd, items.len())
        });
        let res = self.stream(cmds, false, None, |reply: redis::RedisResult<u64>, n| {
            done(n, reply.is_ok())
        });
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
        batches: impl Iterator<Item = Vec<(&'a str, &'a [u8])>>,
        counters: Option<&DayCounters<'_>>,
        mut done: impl FnMut(usize, Option<(u64, u64)>),
    ) -> Result<Option<bool>> {
        self.same_slot(&[queue, seen])?;
        let mut batches = batches.peekable();
        let first = batches.next();
        if batches.peek().is_none() {
            // One batch (a one-shot enqueue): EVALSHA, loading the script on NOSCRIPT, rather
            // than its 19 KB source with EVAL.
            let Some(pairs) = first else { return Ok(None) };
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
        let cmds = first
            .into_iter()
            .chain(batches)
            .enumerate()
            .map(|(i, pairs)| {
                let (distinct, left) = distinct(&pairs);
                let mut cmd = call(i == 0);
                cmd.arg(2).arg(queue).arg(seen);
                // The values, then the items (enqueue_dedup.lua).
                for (value, _) in distinct.iter() {
                    cmd.arg(*value);
                }
                for (_, item) in distinct.iter() {
                    cmd.arg(*item);
                }
                (cmd, (pairs.len(), left))
            });
        // Sent again after a lost reply (cluster), items already pushed count as duplicates.
        let res = self.stream(
            cmds,
            true,
            Some(script),
            |reply: redis::RedisResult<(u64, u64)>, (n, left)| {
                done(n, reply.ok().map(|(added, dups)| (added, dups + left)))
            },
        );
        res.map(|()| None)
            .map_err(|e| self.explain(e, &[(queue, "list"), (seen, "set")]))
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
            (cmd, chunk.items.len())
        });
        // With dedup, a batch sent again after a lost reply (cluster) finds its items seen:
        // duplicates, never second entries. Without, it is never sent twice.
        let res = self.stream(
            cmds,
            seen.is_some(),
            Some(script),
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

    /// The start of a script's call in a stream of them: on one server EVALSHA, except the
    /// `first`, which is EVAL and so loads it (the rest then skip sending and hashing its
    /// source: some 19 KB a call); on a cluster always EVAL, as each master needs it.
    fn script_cmd(&self, script: &Lua) -> impl Fn(bool) -> redis::Cmd + use<> {
        let (cluster, source, hash) = (
            self.is_cluster(),
            script.source,
            script.script().hash().to_owned(),
        );
        move |first| {
            if first || cluster {
                let mut cmd = redis::cmd("EVAL");
                cmd.arg(source);
                cmd
            } else {
                let mut cmd = redis::cmd("EVALSHA");
                cmd.arg(&hash);
                cmd
            }
        }
    }

    /// Runs commands in order without waiting a round trip between two of them: on a single
    /// server each is sent as soon as it is built, with up to `IN_FLIGHT` unanswered, so the
    /// server works on one while pipectl builds the next (and the batch never has to be in
    /// memory at once, as one big pipeline would need). On a cluster they go as pipelines of
    /// a few. `each` gets every answered command's reply (or the server's refusal) with the
    /// tag the command came with, in order. At the first refusal nothing more is sent,
    /// the replies on their way are read and given to `each` too (each command is all or
    /// nothing, and one sent after a refusal may still have run), and the first error is
    /// returned. When the connection fails, the commands sent and not answered get no call:
    /// whether they ran is unknown.
    /// `resend`: on a cluster, whether a command whose reply was lost may be sent again
    /// (only for idempotent ones, see `idem`).
    /// `script`: the commands call it (`script_cmd`). When the server no longer has it (its
    /// scripts were flushed meanwhile), a NOSCRIPT call did not run: it is sent again, as
    /// EVAL, with those after it that met NOSCRIPT too — unless one after it ran, which
    /// sending it again would put before it: then it stays refused.
    fn stream<T: redis::FromRedisValue, K: Copy>(
        &mut self,
        cmds: impl Iterator<Item = (redis::Cmd, K)>,
        resend: bool,
        script: Option<&Lua>,
        mut each: impl FnMut(redis::RedisResult<T>, K),
    ) -> redis::RedisResult<()> {
        const IN_FLIGHT: usize = 4;
        let mut failure: Option<redis::RedisError> = None;
        let mut note = |reply: redis::RedisResult<T>, tag, failure: &mut Option<_>| {
            if let Err(err) = &reply {
                failure.get_or_insert_with(|| err.clone());
            }
            each(reply, tag);
        };
        match &mut self.conn {
            Conn::Cluster(c) => {
                let mut cmds = cmds.peekable();
                while failure.is_none() && cmds.peek().is_some() {
                    let mut pipe = redis::pipe();
                    let mut tags = Vec::new();
                    for (cmd, tag) in cmds.by_ref().take(IN_FLIGHT) {
                        pipe.add_command(cmd);
                        tags.push(tag);
                    }
                    c.resend = resend;
                    // A failure here leaves the whole pipeline unanswered.
                    let replies = c.pipeline(&pipe)?;
                    for (value, tag) in replies.into_iter().zip(tags) {
                        let reply = match value {
                            Value::ServerError(e) => Err(e.into()),
                            value => {
                                redis::from_redis_value::<T>(value).map_err(redis::RedisError::from)
                            }
                        };
                        note(reply, tag, &mut failure);
                    }
                }
            }
            Conn::Single(c) => {
                let mut cmds = cmds;
                let mut pending = std::collections::VecDeque::new();
                // Calls that met NOSCRIPT, in order, to be sent again once all before them
                // are answered.
                let mut again: Vec<(Vec<u8>, K, redis::RedisError)> = Vec::new();
                loop {
                    if failure.is_none()
                        && again.is_empty()
                        && pending.len() < IN_FLIGHT
                        && let Some((cmd, tag)) = cmds.next()
                    {
                        let packed = cmd.get_packed_command();
                        c.send_packed_command(&packed)?;
                        pending.push_back((packed, tag));
                        continue;
                    }
                    let Some((packed, tag)) = pending.pop_front() else {
                        break;
                    };
                    let reply = c.recv_response()?.extract_error();
                    match (reply, script) {
                        (Err(e), Some(_)) if failure.is_none() && is_noscript(&e) => {
                            again.push((packed, tag, e));
                        }
                        (reply, _) => {
                            // One after them ran: they stay refused (see above).
                            for (_, tag, e) in again.drain(..) {
                                note(Err(e), tag, &mut failure);
                            }
                            let reply = reply.and_then(|v| {
                                redis::from_redis_value::<T>(v).map_err(redis::RedisError::from)
                            });
                            note(reply, tag, &mut failure);
                        }
                    }
                    if let Some(script) = script
                        && pending.is_empty()
                        && !again.is_empty()
                    {
                        // The first goes as EVAL, which loads the script for the rest: so
                        // each round answers at least one, and this ends.
                        for (i, (packed, tag, _)) in again.drain(..).enumerate() {
                            let packed = if i == 0 {
                                as_eval(&packed, script)?
                            } else {
                                packed
                            };
                            c.send_packed_command(&packed)?;
                            pending.push_back((packed, tag));
                        }
                    }
                }
            }
        }
        failure.map_or(Ok(()), Err)
    }
}

fn is_noscript(e: &redis::RedisError) -> bool {
    e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript)
}

/// A packed EVALSHA call of `script` as the same call by EVAL, with the script's source.
fn as_eval(packed: &[u8], script: &Lua) -> redis::RedisResult<Vec<u8>> {
    let hash = script.script().hash();
    let argc_end = packed.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    let head = format!("$7\r\nEVALSHA\r\n${}\r\n{hash}\r\n", hash.len());
    let rest = packed[argc_end..]
        .strip_prefix(head.as_bytes())
        .ok_or_else(|| {
            redis::RedisError::from((
                redis::ErrorKind::Client,
                "not an EVALSHA call of this script",
            ))
        })?;
    let source = script.source;
    let mut eval = Vec::with_capacity(packed.len() + source.len());
    eval.extend_from_slice(&packed[..argc_end]);
    eval.extend_from_slice(format!("$4\r\nEVAL\r\n${}\r\n", source.len()).as_bytes());
    eval.extend_from_slice(source.as_bytes());
    eval.extend_from_slice(b"\r\n");
    eval.extend_from_slice(rest);
    Ok(eval)
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
