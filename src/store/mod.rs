//! Every Redis operation pipectl performs, behind named methods. Item state changes are Lua
//! scripts (one per transition, in this folder) or single commands: never two steps.

mod connect;

use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Result;
use redis::{ConnectionLike, Script, Value};

pub use connect::{ConnectOptions, classify_redis_error, redact_url, server_error, shown_url};

use crate::error::Fail;
use crate::keys::QueueKeys;

macro_rules! script {
    ($file:literal) => {
        LazyLock::new(|| {
            Script::new(concat!(
                include_str!("common.lua"),
                "\n",
                include_str!($file)
            ))
        })
    };
}

// Operator views (after `script!`, which they use).
mod dead;
mod server;
mod status;

pub use status::{Probe, QueueReading, Reading, Snapshot, WindowReading};

static POP: LazyLock<Script> = script!("pop.lua");
static CLAIM: LazyLock<Script> = script!("claim.lua");
static ACK: LazyLock<Script> = script!("ack.lua");
static NACK: LazyLock<Script> = script!("nack.lua");
static RECOVER: LazyLock<Script> = script!("recover.lua");
static ENQUEUE_DEDUP: LazyLock<Script> = script!("enqueue_dedup.lua");

/// One claimed item: its lease id, the item, and which attempt this is (1 = first).
#[derive(Clone, Debug)]
pub struct Lease {
    pub id: String,
    pub item: Vec<u8>,
    pub attempt: u64,
}

pub enum Claim {
    Leased(Vec<Lease>),
    Paused(String),
}

/// Where `nack` sends a leased item.
pub enum NackTo<'a> {
    /// The back of the queue (LPUSH): retried after everything already waiting.
    Requeue,
    /// The front of the queue (RPUSH): next to be taken, as if never claimed.
    Release,
    /// The delayed set, due after this long.
    Delay(Duration),
    /// The dead-letter list, as this envelope.
    Dead { list: &'a str, envelope: &'a str },
}

pub enum NackOutcome {
    Moved,
    /// The lease is gone: acked already, or expired and returned to the queue.
    Unknown,
}

/// The connection kinds pipectl speaks through.
enum Conn {
    Single(redis::Connection),
}

pub struct Store {
    conn: Conn,
    response_timeout: Duration,
}

impl Store {
    pub fn connect(opts: &ConnectOptions) -> Result<Store> {
        let conn = connect::connect(opts)?;
        Ok(Store {
            conn: Conn::Single(conn),
            response_timeout: opts.response_timeout,
        })
    }

    fn con(&mut self) -> &mut dyn ConnectionLike {
        match &mut self.conn {
            Conn::Single(c) => c,
        }
    }

    fn set_read_timeout(&mut self, timeout: Duration) -> Result<()> {
        match &self.conn {
            Conn::Single(c) => c.set_read_timeout(Some(timeout))?,
        }
        Ok(())
    }

    fn queue_script<'s>(script: &'s Script, k: &QueueKeys) -> redis::ScriptInvocation<'s> {
        let mut inv = script.prepare_invoke();
        inv.key(&k.queue)
            .key(&k.leases)
            .key(&k.leased)
            .key(&k.attempts)
            .key(&k.delayed);
        inv
    }

    /// Makes a Redis error say what went wrong in words: the server's own reply (also from
    /// inside a pipeline), and for WRONGTYPE the key and the type pipectl needs there.
    fn explain(&mut self, err: redis::RedisError, expected: &[(&str, &str)]) -> anyhow::Error {
        let Some((code, detail)) = server_error(&err) else {
            return err.into();
        };
        if code != "WRONGTYPE" {
            let detail = detail
                .split(" script:")
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            return anyhow::Error::new(err)
                .context(format!("Redis refused the command: {code} {detail}"));
        }
        for (key, want) in expected {
            let found: Option<String> = redis::cmd("TYPE").arg(*key).query(self.con()).ok();
            if let Some(found) = found
                && found != "none"
                && found != *want
            {
                return anyhow::Error::new(err).context(Fail::data(format!(
                    "key '{key}' holds a {found}, but pipectl needs a {want} there"
                ))
                .hint(format!("inspect it with `redis-cli TYPE {key}`; rename or delete it, or point pipectl at another key")));
            }
        }
        err.into()
    }

    fn queue_types(k: &QueueKeys) -> [(&str, &'static str); 5] {
        [
            (&k.queue, "list"),
            (&k.leases, "zset"),
            (&k.leased, "hash"),
            (&k.attempts, "hash"),
            (&k.delayed, "zset"),
        ]
    }

    /// LPUSH a chunk of items in one atomic command. Returns the queue's new length.
    pub fn push(&mut self, queue: &str, items: &[&[u8]]) -> Result<u64> {
        let res = redis::cmd("LPUSH").arg(queue).arg(items).query(self.con());
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
        let mut inv = ENQUEUE_DEDUP.prepare_invoke();
        inv.key(queue).key(seen);
        for (value, item) in pairs {
            inv.arg(*value).arg(*item);
        }
        let res = inv.invoke(self.con());
        res.map_err(|e| self.explain(e, &[(queue, "list"), (seen, "set")]))
    }

    /// Takes up to `count` items from the consumer end, with no lease.
    pub fn pop(&mut self, queue: &str, count: usize) -> Result<Vec<Vec<u8>>> {
        let k = QueueKeys::new(queue);
        let res = Self::queue_script(&POP, &k).arg(count).invoke(self.con());
        res.map_err(|e| self.explain(e, &Self::queue_types(&k)))
    }

    /// Claims up to `count` items under a lease of `lease`, unless `paused_key` is set.
    pub fn claim(
        &mut self,
        queue: &str,
        count: usize,
        lease: Duration,
        paused_key: Option<&str>,
    ) -> Result<Claim> {
        let k = QueueKeys::new(queue);
        let prefix = random_hex(8)?;
        let mut inv = Self::queue_script(&CLAIM, &k);
        if let Some(paused) = paused_key {
            inv.key(paused);
        }
        inv.arg(count).arg(lease.as_millis() as u64).arg(&prefix);
        let res: redis::RedisResult<Vec<Value>> = inv.invoke(self.con());
        let reply = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
        parse_claim(reply)
    }

    /// Blocks until the queue has an item or `timeout` passes, without taking anything:
    /// BLMOVE from the right end back onto the right end leaves the list as it was.
    pub fn wait_for_item(&mut self, queue: &str, timeout: Duration) -> Result<bool> {
        let secs = timeout.as_secs_f64().max(0.01);
        self.set_read_timeout(self.response_timeout + timeout)?;
        let res: redis::RedisResult<Option<Vec<u8>>> = redis::cmd("BLMOVE")
            .arg(queue)
            .arg(queue)
            .arg("RIGHT")
            .arg("RIGHT")
            .arg(format!("{secs:.3}"))
            .query(self.con());
        self.set_read_timeout(self.response_timeout)?;
        let got = res.map_err(|e| self.explain(e, &[(queue, "list")]))?;
        Ok(got.is_some())
    }

    /// Finishes leases. Returns, per id, whether it was still leased.
    pub fn ack(&mut self, queue: &str, ids: &[&str]) -> Result<Vec<bool>> {
        let k = QueueKeys::new(queue);
        let mut inv = Self::queue_script(&ACK, &k);
        for id in ids {
            inv.arg(*id);
        }
        let res: redis::RedisResult<Vec<i64>> = inv.invoke(self.con());
        let done = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
        Ok(done.into_iter().map(|d| d == 1).collect())
    }

    /// The item under a lease and its attempt count, if the lease exists.
    pub fn lease(&mut self, queue: &str, id: &str) -> Result<Option<(Vec<u8>, u64)>> {
        let k = QueueKeys::new(queue);
        let item: Option<Vec<u8>> = redis::cmd("HGET")
            .arg(&k.leased)
            .arg(id)
            .query(self.con())?;
        let Some(item) = item else { return Ok(None) };
        let attempts: Option<u64> = redis::cmd("HGET")
            .arg(&k.attempts)
            .arg(&item)
            .query(self.con())?;
        Ok(Some((item, attempts.unwrap_or(1))))
    }

    /// Moves a leased item (which must still be `item`) to where `to` says, atomically.
    pub fn nack(
        &mut self,
        queue: &str,
        id: &str,
        item: &[u8],
        to: NackTo<'_>,
    ) -> Result<NackOutcome> {
        let k = QueueKeys::new(queue);
        let mut inv = Self::queue_script(&NACK, &k);
        match &to {
            NackTo::Dead { list, .. } => inv.key(*list),
            _ => inv.key(&k.queue),
        };
        inv.arg(id);
        match to {
            NackTo::Requeue => inv.arg("requeue").arg(item),
            NackTo::Release => inv.arg("release").arg(item),
            NackTo::Delay(after) => {
                let now = server_time_ms(self.con())?;
                inv.arg("delay")
                    .arg(item)
                    .arg(now + after.as_millis() as u64)
                    .arg(random_hex(8)?)
            }
            NackTo::Dead { envelope, .. } => inv.arg("dead").arg(item).arg(envelope),
        };
        let res: redis::RedisResult<i64> = inv.invoke(self.con());
        match res.map_err(|e| self.explain(e, &Self::queue_types(&k)))? {
            1 => Ok(NackOutcome::Moved),
            0 => Ok(NackOutcome::Unknown),
            _ => Err(anyhow::anyhow!(
                "lease {id} on {queue} changed while it was being moved; try again"
            )),
        }
    }

    /// Returns every expired lease and due retry of `queue` now. Returns (leases, retries).
    pub fn recover(&mut self, queue: &str) -> Result<(u64, u64)> {
        let k = QueueKeys::new(queue);
        let (mut leases, mut retries) = (0, 0);
        loop {
            let res: redis::RedisResult<(u64, u64, u64)> =
                Self::queue_script(&RECOVER, &k).invoke(self.con());
            let (l, r, seen) = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
            leases += l;
            retries += r;
            if seen == 0 {
                return Ok((leases, retries));
            }
        }
    }

    /// The next `count` items to be taken, next first, without taking them.
    pub fn peek(&mut self, queue: &str, count: usize) -> Result<Vec<Vec<u8>>> {
        self.page(queue, 0, count)
    }

    /// Items at positions `offset..offset+limit` counted from the consumer end (0 = next).
    pub fn page(&mut self, queue: &str, offset: usize, limit: usize) -> Result<Vec<Vec<u8>>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let start = -((offset + limit) as i64);
        let stop = -(offset as i64) - 1;
        let res: redis::RedisResult<Vec<Vec<u8>>> = redis::cmd("LRANGE")
            .arg(queue)
            .arg(start)
            .arg(stop)
            .query(self.con());
        let mut items = res.map_err(|e| self.explain(e, &[(queue, "list")]))?;
        items.reverse();
        Ok(items)
    }

    /// LLEN of each queue, in one round trip.
    pub fn lens(&mut self, queues: &[String]) -> Result<Vec<u64>> {
        let mut pipe = redis::pipe();
        for q in queues {
            pipe.cmd("LLEN").arg(q);
        }
        let res = pipe.query(self.con());
        res.map_err(|e| {
            let expected: Vec<(&str, &str)> = queues.iter().map(|q| (q.as_str(), "list")).collect();
            self.explain(e, &expected)
        })
    }

    /// SMISMEMBER: whether each value is in the set.
    pub fn seen(&mut self, set: &str, values: &[String]) -> Result<Vec<bool>> {
        let res: redis::RedisResult<Vec<i64>> = redis::cmd("SMISMEMBER")
            .arg(set)
            .arg(values)
            .query(self.con());
        let flags = res.map_err(|e| self.explain(e, &[(set, "set")]))?;
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }

    /// INCRBY + EXPIRE each counter in one MULTI/EXEC. Returns the new values.
    pub fn incr_counters(&mut self, counters: &[(String, i64)], ttl: Duration) -> Result<Vec<i64>> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (key, by) in counters {
            pipe.cmd("INCRBY").arg(key).arg(*by);
            pipe.cmd("EXPIRE")
                .arg(key)
                .arg(ttl.as_secs().max(1))
                .ignore();
        }
        let res: redis::RedisResult<Vec<i64>> = pipe.query(self.con());
        res.map_err(|e| {
            let expected: Vec<(&str, &str)> = counters
                .iter()
                .map(|(k, _)| (k.as_str(), "string"))
                .collect();
            self.explain(e, &expected)
        })
    }

    /// MGET of counter keys; absent counters read as 0.
    pub fn counters(&mut self, keys: &[String]) -> Result<Vec<i64>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for key in keys {
            pipe.cmd("GET").arg(key);
        }
        let res: redis::RedisResult<Vec<Option<String>>> = pipe.query(self.con());
        let values = res.map_err(|e| self.explain(e, &[]))?;
        Ok(values
            .into_iter()
            .map(|v| v.and_then(|s| s.trim().parse().ok()).unwrap_or(0))
            .collect())
    }

    /// Every key matching `pattern`, by SCAN (never KEYS: it would block the server).
    pub fn scan(&mut self, pattern: &str) -> Result<Vec<String>> {
        let mut cursor: u64 = 0;
        let mut found = Vec::new();
        loop {
            let res: redis::RedisResult<(u64, Vec<String>)> = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(pattern)
                .arg("COUNT")
                .arg(1000)
                .query(self.con());
            let (next, keys) = res.map_err(|e| self.explain(e, &[]))?;
            found.extend(keys);
            if next == 0 {
                return Ok(found);
            }
            cursor = next;
        }
    }
}

fn parse_claim(reply: Vec<Value>) -> Result<Claim> {
    let mut it = reply.into_iter();
    let status: String =
        redis::from_redis_value(it.next().unwrap_or(Value::Nil)).unwrap_or_default();
    if status == "paused" {
        let reason: String = it
            .next()
            .map(|v| redis::from_redis_value(v).unwrap_or_default())
            .unwrap_or_default();
        return Ok(Claim::Paused(reason));
    }
    let rest: Vec<Value> = it.collect();
    let mut leases = Vec::with_capacity(rest.len() / 3);
    for triple in rest.chunks(3) {
        let [id, item, attempt] = triple else {
            anyhow::bail!("unexpected reply from the claim script");
        };
        leases.push(Lease {
            id: redis::from_redis_value(id.clone())?,
            item: redis::from_redis_value(item.clone())?,
            attempt: redis::from_redis_value(attempt.clone())?,
        });
    }
    Ok(Claim::Leased(leases))
}

fn server_time_ms(con: &mut dyn ConnectionLike) -> Result<u64> {
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query(con)?;
    Ok(secs * 1000 + micros / 1000)
}

/// `n` random bytes as hex, from the OS.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("cannot read random bytes: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
