//! Read-only looks at a whole pipeline in one pipelined round trip (`status`, `doctor`).

use anyhow::Result;
use redis::{FromRedisValue, Value};

use super::Store;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys::QueueKeys;

/// Counts expired leases and due retries by the server clock (sent with EVAL inside the
/// pipeline, so it costs no extra round trip; self-contained and small, since its text goes
/// with every queue of the snapshot).
use super::scripts::{QUEUE_STATUS, STAGED_WAIT};

/// What to read. Every key is read with plain commands, in one pipeline.
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

#[derive(Debug)]
pub struct Snapshot {
    pub queues: Vec<Reading<QueueReading>>,
    pub lists: Vec<Reading<u64>>,
    pub strings: Vec<Reading<Option<String>>>,
    pub windows: Vec<Reading<WindowReading>>,
    pub waits: Vec<Reading<WaitReading>>,
}

impl Store {
    /// Reads everything `probe` names in ONE pipelined round trip.
    pub fn snapshot(&mut self, probe: &Probe) -> Result<Snapshot> {
        let mut pipe = redis::pipe();
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
        if pipe.is_empty() {
            return Ok(Snapshot {
                queues: Vec::new(),
                lists: Vec::new(),
                strings: Vec::new(),
                windows: Vec::new(),
                waits: Vec::new(),
            });
        }
        let res = self.query_pipe_lenient(&mut pipe);
        let replies = res.map_err(|e| self.explain(e, &[]))?;
        if let Some(err) = self.fatal(&replies) {
            return Err(err);
        }
        let mut it = replies.into_iter();

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
        Ok(Snapshot {
            queues,
            lists,
            strings,
            windows,
            waits,
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
