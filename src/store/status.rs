//! Read-only looks at a whole pipeline in one pipelined round trip (`status`, `metrics`,
//! `doctor`, the dashboard of `serve`): lengths, counters, windows, the guards' state and
//! the server's clock, pages of lists and streams, all in one pipeline.

use anyhow::Result;
use redis::{FromRedisValue, Value};

use super::Store;
use super::audit::StreamEntry;
use super::guards::Fields;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys::QueueKeys;

/// Count expired leases and due retries, staged waits and a breaker's recent failures by
/// the server clock (sent with EVAL inside the pipeline, so they cost no extra round trip;
/// self-contained and small, since their text goes with every key they read).
use super::scripts::{COST_TODAY, QUEUE_STATUS, STAGED_WAIT, ZSET_RECENT};

/// What to read. Every key is read with plain commands (or a small read-only script), in
/// one pipeline.
#[derive(Debug, Default)]
pub struct Probe {
    /// Queues: LLEN, and their leases and delayed entries.
    pub queues: Vec<String>,
    /// Other lists: LLEN only.
    pub lists: Vec<String>,
    /// Strings: GET (pause flags, counters).
    pub strings: Vec<String>,
    /// Strings whose TTL matters too: GET and PTTL (rate-limit windows).
    pub windows: Vec<String>,
    /// Staging lists' arrival zsets, with their stage's max_wait in ms (0: none).
    pub waits: Vec<(String, u64)>,
    /// The server's clock (TIME), for what is judged by it (sending windows, budgets).
    pub time: bool,
    /// Hashes: HGETALL (a breaker's and a budget's state).
    pub hashes: Vec<String>,
    /// Zsets with a span in ms: the entries scored within that span by the server clock.
    pub recent: Vec<(String, u64)>,
    /// List pages: key, start index, how many (LRANGE; the dashboard's dead letters).
    pub ranges: Vec<(String, usize, usize)>,
    /// Stream pages, newest first: key and how many (XREVRANGE + - COUNT; the audit).
    pub streams: Vec<(String, usize)>,
    /// Stages' costs today: the budget hash naming their units, and the daily counter's
    /// name around the unit (keys::cost_counter_around; cost_today.lua).
    pub costs: Vec<(String, (String, String))>,
}

/// Where the reads of a probe appended to another begin ([`Probe::append`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Marks {
    queues: usize,
    lists: usize,
    strings: usize,
    windows: usize,
    waits: usize,
    hashes: usize,
    recent: usize,
    ranges: usize,
    streams: usize,
    costs: usize,
}

impl Probe {
    /// Adds `other`'s reads after this probe's, to be read in the same round trip; the
    /// marks give them back ([`Snapshot::split_off`]).
    pub fn append(&mut self, other: Probe) -> Marks {
        let marks = Marks {
            queues: self.queues.len(),
            lists: self.lists.len(),
            strings: self.strings.len(),
            windows: self.windows.len(),
            waits: self.waits.len(),
            hashes: self.hashes.len(),
            recent: self.recent.len(),
            ranges: self.ranges.len(),
            streams: self.streams.len(),
            costs: self.costs.len(),
        };
        self.queues.extend(other.queues);
        self.lists.extend(other.lists);
        self.strings.extend(other.strings);
        self.windows.extend(other.windows);
        self.waits.extend(other.waits);
        self.time |= other.time;
        self.hashes.extend(other.hashes);
        self.recent.extend(other.recent);
        self.ranges.extend(other.ranges);
        self.streams.extend(other.streams);
        self.costs.extend(other.costs);
        marks
    }
}

/// How long a staging list's items have waited (staged_wait.lua).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitReading {
    /// The longest wait, in ms; None when no arrival is known.
    pub oldest_ms: Option<u64>,
    /// Items that waited past max_wait.
    pub overdue: u64,
}

/// One key's reading, or the server's error for that key alone (e.g. WRONGTYPE): a key of
/// the wrong type spoils its own cell, not the whole snapshot.
pub type Reading<T> = std::result::Result<T, String>;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueReading {
    pub len: u64,
    /// Items under a lease (ZCARD <queue>:leases).
    pub leased: u64,
    /// Of those, leases past their deadline: returned by the next pop or `pipectl recover`.
    pub expired: u64,
    /// Delayed entries: retries waiting out a backoff and `enqueue --in/--at` items (ZCARD
    /// <queue>:delayed).
    pub delayed: u64,
    /// Of those, entries already due.
    pub due: u64,
}

/// A rate-limit window: the counter's value and its PTTL (-1 no expiry, -2 no key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowReading {
    pub value: Option<String>,
    pub pttl_ms: i64,
}

#[derive(Debug, Default)]
pub struct Snapshot {
    pub queues: Vec<Reading<QueueReading>>,
    pub lists: Vec<Reading<u64>>,
    pub strings: Vec<Reading<Option<String>>>,
    pub windows: Vec<Reading<WindowReading>>,
    pub waits: Vec<Reading<WaitReading>>,
    /// The server's clock in ms since the epoch (None when the probe did not ask).
    pub time_ms: Option<Reading<u64>>,
    pub hashes: Vec<Reading<Fields>>,
    pub recent: Vec<Reading<u64>>,
    pub ranges: Vec<Reading<Vec<Vec<u8>>>>,
    pub streams: Vec<Reading<Vec<StreamEntry>>>,
    /// Per unit, today's cost in millionths (-1: a counter spoiled by hand).
    pub costs: Vec<Reading<Vec<(String, i64)>>>,
}

impl Snapshot {
    /// Takes out the readings of the probe appended at `marks`: a snapshot of their own
    /// (the server's clock is in both).
    pub fn split_off(&mut self, marks: &Marks) -> Snapshot {
        fn tail<T>(v: &mut Vec<T>, at: usize) -> Vec<T> {
            v.split_off(at.min(v.len()))
        }
        Snapshot {
            queues: tail(&mut self.queues, marks.queues),
            lists: tail(&mut self.lists, marks.lists),
            strings: tail(&mut self.strings, marks.strings),
            windows: tail(&mut self.windows, marks.windows),
            waits: tail(&mut self.waits, marks.waits),
            time_ms: self.time_ms.clone(),
            hashes: tail(&mut self.hashes, marks.hashes),
            recent: tail(&mut self.recent, marks.recent),
            ranges: tail(&mut self.ranges, marks.ranges),
            streams: tail(&mut self.streams, marks.streams),
            costs: tail(&mut self.costs, marks.costs),
        }
    }
}

impl Store {
    /// Reads everything `probe` names in ONE pipelined round trip (in a cluster, each
    /// command goes to its slot's node, all sent before any reply is awaited).
    pub fn snapshot(&mut self, probe: &Probe) -> Result<Snapshot> {
        let mut pipe = redis::pipe();
        if probe.time {
            pipe.cmd("TIME");
        }
        for queue in &probe.queues {
            let k = QueueKeys::new(queue);
            pipe.cmd("LLEN").arg(&k.queue);
            pipe.cmd("ZCARD").arg(&k.leases);
            pipe.cmd("ZCARD").arg(&k.delayed);
            pipe.cmd("EVAL")
                .arg(QUEUE_STATUS.source)
                .arg(2)
                .arg(&k.leases)
                .arg(&k.delayed);
        }
        for list in &probe.lists {
            pipe.cmd("LLEN").arg(list);
        }
        for key in &probe.strings {
            pipe.cmd("GET").arg(key);
        }
        for key in &probe.windows {
            pipe.cmd("GET").arg(key);
            pipe.cmd("PTTL").arg(key);
        }
        for (since, max_wait) in &probe.waits {
            pipe.cmd("EVAL")
                .arg(STAGED_WAIT.source)
                .arg(1)
                .arg(since)
                .arg(*max_wait);
        }
        for key in &probe.hashes {
            pipe.cmd("HGETALL").arg(key);
        }
        for (key, span_ms) in &probe.recent {
            pipe.cmd("EVAL")
                .arg(ZSET_RECENT.source)
                .arg(1)
                .arg(key)
                .arg(*span_ms);
        }
        for (key, start, count) in &probe.ranges {
            let stop = start.saturating_add((*count).max(1) - 1);
            pipe.cmd("LRANGE").arg(key).arg(*start).arg(stop);
        }
        for (key, count) in &probe.streams {
            pipe.cmd("XREVRANGE")
                .arg(key)
                .arg("+")
                .arg("-")
                .arg("COUNT")
                .arg((*count).max(1));
        }
        for (budget, (prefix, suffix)) in &probe.costs {
            pipe.cmd("EVAL")
                .arg(COST_TODAY.source)
                .arg(1)
                .arg(budget)
                .arg(prefix)
                .arg(suffix);
        }
        if pipe.is_empty() {
            return Ok(Snapshot::default());
        }
        let res = self.query_pipe_lenient(&mut pipe);
        let replies = res.map_err(|e| self.explain(e, &[]))?;
        if let Some(err) = self.fatal(&replies) {
            return Err(err);
        }
        let mut it = replies.into_iter();
        let time_ms = probe.time.then(|| {
            let (secs, micros) = reading::<(u64, u64)>(&mut it)?;
            Ok(secs.saturating_mul(1000).saturating_add(micros / 1000))
        });

        let mut queues = Vec::with_capacity(probe.queues.len());
        for _ in &probe.queues {
            let len = reading::<u64>(&mut it);
            let leased = reading::<u64>(&mut it);
            let delayed = reading::<u64>(&mut it);
            let counts = reading::<(u64, u64)>(&mut it);
            queues.push(len.and_then(|len| {
                let (expired, due) = counts?;
                Ok(QueueReading {
                    len,
                    leased: leased?,
                    expired,
                    delayed: delayed?,
                    due,
                })
            }));
        }
        let lists = probe.lists.iter().map(|_| reading(&mut it)).collect();
        let strings = probe.strings.iter().map(|_| reading(&mut it)).collect();
        let windows = probe
            .windows
            .iter()
            .map(|_| {
                let value = reading::<Option<String>>(&mut it);
                let pttl = reading::<i64>(&mut it);
                Ok(WindowReading {
                    value: value?,
                    pttl_ms: pttl?,
                })
            })
            .collect();
        let waits = probe
            .waits
            .iter()
            .map(|_| {
                let (age, overdue) = reading::<(i64, u64)>(&mut it)?;
                Ok(WaitReading {
                    oldest_ms: u64::try_from(age).ok(),
                    overdue,
                })
            })
            .collect();
        let hashes = probe.hashes.iter().map(|_| reading(&mut it)).collect();
        let recent = probe.recent.iter().map(|_| reading(&mut it)).collect();
        let ranges = probe.ranges.iter().map(|_| reading(&mut it)).collect();
        let streams = probe
            .streams
            .iter()
            .map(|(key, _)| {
                let page = reading::<Value>(&mut it)?;
                super::audit::parse_entries(page)
                    .ok_or_else(|| format!("{key}: the reply to XREVRANGE is not a stream's"))
            })
            .collect();
        let costs = probe
            .costs
            .iter()
            .map(|_| {
                let flat = reading::<Vec<Value>>(&mut it)?;
                flat.chunks(2)
                    .map(|pair| match pair {
                        [unit, n] => Ok((
                            String::from_redis_value(unit.clone()).map_err(|e| e.to_string())?,
                            i64::from_redis_value(n.clone()).map_err(|e| e.to_string())?,
                        )),
                        _ => Err("cost_today.lua answered an odd list".to_owned()),
                    })
                    .collect()
            })
            .collect();
        Ok(Snapshot {
            queues,
            lists,
            strings,
            windows,
            waits,
            time_ms,
            hashes,
            recent,
            ranges,
            streams,
            costs,
        })
    }
}

/// Server errors that are no key's own: the server refuses every reading alike (auth, ACL,
/// still loading its data, a read-only replica, a cluster without a master).
const SERVER_WIDE: [&str; 9] = [
    "NOAUTH",
    "WRONGPASS",
    "NOPERM",
    "LOADING",
    "READONLY",
    "MASTERDOWN",
    "CLUSTERDOWN",
    "TRYAGAIN",
    "BUSY",
];

impl Store {
    /// What stops the whole snapshot, if anything: a refusal no key earned alone (SERVER_WIDE),
    /// or a reply Redis never gives (an integer where a list length should be), from
    /// something that is not Redis. A snapshot of '?' cells would hide both from a cron job.
    fn fatal(&mut self, replies: &[Value]) -> Option<anyhow::Error> {
        for reply in replies {
            let Value::ServerError(err) = reply else {
                continue;
            };
            let code = err.code().to_owned();
            if code == "READONLY" {
                let url = super::shown_url().unwrap_or("the configured URL");
                return Some(
                    Fail::new(
                        Exit::Unavailable,
                        format!(
                            "the server at {url} is a read-only replica (READONLY): pipectl reads the pipeline with a script, which a replica refuses"
                        ),
                    )
                    .hint("point --url (or REDIS_URL) at the master; with Sentinel, use redis+sentinel://HOST:PORT/MASTER so pipectl follows failovers")
                    .into(),
                );
            }
            if SERVER_WIDE.contains(&code.as_str()) {
                return Some(self.explain(redis::RedisError::from(err.clone()), &[]));
            }
        }
        let garbage = replies.iter().find(|v| {
            matches!(
                v,
                Value::SimpleString(_) | Value::Okay | Value::Double(_) | Value::Boolean(_)
            )
        })?;
        let url = super::shown_url().unwrap_or("the configured URL");
        Some(
            Fail::new(
                Exit::Unavailable,
                format!(
                    "the server at {url} answered a length or counter read with {garbage:?}, which Redis never does: is it a Redis server?"
                ),
            )
            .hint("check --url (or REDIS_URL): it must point at Redis 6.2 or newer, not at another service or a proxy that rewrites replies")
            .into(),
        )
    }
}

/// The next reply as `T`, or the server's error for it in words.
fn reading<T: FromRedisValue>(it: &mut impl Iterator<Item = Value>) -> Reading<T> {
    match it.next() {
        None => Err("no reply".to_owned()),
        Some(Value::ServerError(err)) => {
            Err(
                format!("{} {}", err.code(), err.details().unwrap_or_default())
                    .trim()
                    .to_owned(),
            )
        }
        Some(value) => redis::from_redis_value(value).map_err(|e| e.to_string()),
    }
}
