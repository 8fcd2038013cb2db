//! Every Redis operation pipectl performs, behind named methods. Item state changes are Lua
//! scripts (one per transition, in this folder) or single commands: never two steps.

mod cluster;
mod connect;
pub mod scripts;
mod stage;

pub use stage::Window;

use std::time::Duration;

use anyhow::Result;
use redis::{ConnectionLike, Script, Value};

use scripts::Lua;

pub use connect::{
    ConnectOptions, TlsFiles, classify_redis_error, describe_unavailable, is_transient, redact_url,
    server_error, shown_url, untrusted_certificate,
};

use crate::error::Fail;
use crate::keys::QueueKeys;

mod dead;
mod server;
mod status;

pub use server::{ClusterNode, Node, Product, Role};
pub use status::{Probe, QueueReading, Reading, Snapshot, WindowReading};

pub mod review;

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

/// Where a leased item goes when it does not go to the output queue.
pub enum NackTo<'a> {
    /// The back of the queue (LPUSH): retried after everything already waiting.
    Requeue,
    /// The front of the queue (RPUSH), the claim not counted: pipectl stopped, not the item.
    Release,
    /// The delayed set, due after this long: a retry waiting out its backoff.
    Retry(Duration),
    /// The delayed set, the claim not counted (not a failure), maybe as a new version.
    Defer {
        after: Duration,
        replacement: Option<&'a [u8]>,
    },
    /// The dead-letter list, as this envelope.
    Dead { list: &'a str, envelope: &'a [u8] },
}

/// What happened to a lease pipectl tried to move.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    Moved,
    /// The lease is gone: acked already, or expired and returned to the queue.
    Unknown,
}

/// What `recover` did to one queue.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    /// Expired leases returned to the queue.
    pub leases: u64,
    /// Delayed retries made due.
    pub retries: u64,
    /// Leased items that had no deadline, returned to the queue.
    pub orphans: u64,
    /// Deadlines that had no leased item, dropped.
    pub stale_deadlines: u64,
}

/// Daily counters a transition adds to, in the same atomic step.
pub struct Counters<'a> {
    pub keys: &'a [String],
    pub ttl: Duration,
}

impl Counters<'_> {
    pub const NONE: Counters<'static> = Counters {
        keys: &[],
        ttl: Duration::from_secs(1),
    };
}

/// The connection kinds pipectl speaks through.
enum Conn {
    Single(redis::Connection),
    Cluster(Box<cluster::Cluster>),
}

pub struct Store {
    conn: Conn,
    response_timeout: Duration,
}

impl Store {
    pub fn connect(opts: &ConnectOptions) -> Result<Store> {
        let conn = if opts.cluster {
            Conn::Cluster(Box::new(cluster::Cluster::connect(opts)?))
        } else {
            Conn::Single(connect::connect(opts)?)
        };
        Ok(Store {
            conn,
            response_timeout: opts.response_timeout,
        })
    }

    /// The connection, for a step that must not be sent twice: if its reply is lost (the
    /// server may have run it), the error is returned, never a second copy of the step.
    fn con(&mut self) -> &mut dyn ConnectionLike {
        self.connection(false)
    }

    /// The connection, for a read or an idempotent step (a lease-checked transition, a
    /// dedup enqueue): in a cluster it may be sent again after a lost reply, until
    /// `--timeout`, which carries it through a failover.
    fn idem(&mut self) -> &mut dyn ConnectionLike {
        self.connection(true)
    }

    fn connection(&mut self, resend: bool) -> &mut dyn ConnectionLike {
        match &mut self.conn {
            Conn::Single(c) => c,
            Conn::Cluster(c) => {
                c.resend = resend;
                c.as_mut()
            }
        }
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self.conn, Conn::Cluster(_))
    }

    fn set_read_timeout(&mut self, timeout: Duration) -> Result<()> {
        match &mut self.conn {
            Conn::Single(c) => c.set_read_timeout(Some(timeout))?,
            Conn::Cluster(c) => c.set_read_timeout(timeout)?,
        }
        Ok(())
    }

    /// Runs a read-only or idempotent pipeline in one round trip (on a cluster, one per
    /// node, or one per command after a failover or a refused command). Store pipelines
    /// never `.ignore()` a command and are never MULTI/EXEC: every reply is read, and atomic
    /// steps are Lua scripts.
    fn query_pipe<T: redis::FromRedisValue>(
        &mut self,
        pipe: &redis::Pipeline,
    ) -> redis::RedisResult<T> {
        self.run_pipe(pipe, true)
    }

    /// Runs a pipeline whose commands must not run twice (INCRBY, LREM): on a cluster, one
    /// command at a time, none sent again once its reply is lost.
    fn query_pipe_once<T: redis::FromRedisValue>(
        &mut self,
        pipe: &redis::Pipeline,
    ) -> redis::RedisResult<T> {
        self.run_pipe(pipe, false)
    }

    /// Runs a read-only pipeline and returns every reply, a refused command's error in its
    /// place (`Value::ServerError`): a key of the wrong type spoils only its own reply.
    fn query_pipe_lenient(&mut self, pipe: &mut redis::Pipeline) -> redis::RedisResult<Vec<Value>> {
        match &mut self.conn {
            Conn::Single(c) => pipe.ignore_errors().query(c),
            Conn::Cluster(c) => {
                c.resend = true;
                c.pipeline(pipe)
            }
        }
    }

    fn run_pipe<T: redis::FromRedisValue>(
        &mut self,
        pipe: &redis::Pipeline,
        resend: bool,
    ) -> redis::RedisResult<T> {
        match &mut self.conn {
            Conn::Single(c) => pipe.query(c),
            Conn::Cluster(c) => {
                c.resend = resend;
                let replies = c.pipeline(pipe)?;
                if let Some(err) = replies.iter().find_map(|v| match v {
                    Value::ServerError(e) => Some(e.clone()),
                    _ => None,
                }) {
                    return Err(err.into());
                }
                Ok(redis::from_redis_value(Value::Array(replies))?)
            }
        }
    }

    /// In a cluster, the keys of one atomic step must share a hash slot: refuse before sending.
    fn same_slot(&self, keys: &[&str]) -> Result<()> {
        if !self.is_cluster() {
            return Ok(());
        }
        cross_slot(keys).map_or(Ok(()), |fail| Err(fail.into()))
    }

    /// Runs a read-only command on one node of the cluster, by address; on a single server,
    /// on that server.
    fn on_node<T: redis::FromRedisValue>(
        &mut self,
        node: &(String, u16),
        cmd: &redis::Cmd,
    ) -> redis::RedisResult<T> {
        use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
        let Conn::Cluster(c) = &mut self.conn else {
            return cmd.query(self.idem());
        };
        let route = RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress {
            host: node.0.clone(),
            port: node.1,
        });
        c.resend = true;
        let value = c.route(cmd, &route)?;
        Ok(redis::from_redis_value(value.extract_error()?)?)
    }

    fn queue_script(lua: &'static Lua, k: &QueueKeys) -> redis::ScriptInvocation<'static> {
        let mut inv = lua.script().prepare_invoke();
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
        if let Some(refusal) = acl_refusal(code.as_str(), &detail) {
            return anyhow::Error::new(err).context(refusal);
        }
        if connect::lacks_command(&detail) {
            let detail = detail.split(", with args").next().unwrap_or_default();
            let detail = detail.split(" script:").next().unwrap_or_default().trim();
            return anyhow::Error::new(err).context(
                Fail::new(
                    crate::exit::Exit::Unavailable,
                    format!(
                        "this Redis server cannot run a command pipectl needs ({code} {detail}): pipectl needs Redis ≥ 6.2 (LMOVE/BLMOVE, RPOP with a count, SMISMEMBER) with those commands enabled"
                    ),
                )
                .hint(connect::TOO_OLD_HINT),
            );
        }
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
        let fix = |key: &str| {
            format!(
                "inspect it with `redis-cli TYPE {key}`; rename or delete it, or point pipectl at another key"
            )
        };
        for (key, want) in expected {
            let found: Option<String> = redis::cmd("TYPE").arg(*key).query(self.idem()).ok();
            if let Some(found) = found
                && found != "none"
                && found != *want
            {
                return Fail::data(format!(
                    "key '{key}' holds a {found}, but pipectl needs a {want} there; nothing was changed"
                ))
                .hint(fix(key))
                .into();
            }
        }
        // pipectl's scripts name the key themselves: "key K holds a T, but pipectl needs …".
        let detail = detail.split(" script:").next().unwrap_or_default().trim();
        if let Some((key, found)) = detail
            .strip_prefix("key ")
            .and_then(|rest| rest.rsplit_once(" holds a "))
        {
            return Fail::data(format!("key '{key}' holds a {found}; nothing was changed"))
                .hint(fix(key))
                .into();
        }
        err.into()
    }

    fn queue_slot(&self, k: &QueueKeys, more: &[&str]) -> Result<()> {
        let mut keys = vec![
            k.queue.as_str(),
            &k.leases,
            &k.leased,
            &k.attempts,
            &k.delayed,
        ];
        keys.extend_from_slice(more);
        self.same_slot(&keys)
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
        let res = self.stream(cmds, false, |reply: redis::RedisResult<u64>, n| {
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
        self.push_dedup_stream(queue, seen, std::iter::once(pairs.to_vec()), |_, done| {
            counts = done.unwrap_or_default()
        })?;
        Ok(counts)
    }

    /// `push_dedup` for a sequence of batches, each still one atomic script, streamed (see
    /// `stream`). `done` gets each answered batch's size and, when Redis ran it, its
    /// (added, duplicates); None when it was refused (nothing of it written). In order, also
    /// after a refusal; a batch sent but never answered gets no call.
    pub fn push_dedup_stream<'a>(
        &mut self,
        queue: &str,
        seen: &str,
        batches: impl Iterator<Item = Vec<(&'a str, &'a [u8])>>,
        mut done: impl FnMut(usize, Option<(u64, u64)>),
    ) -> Result<()> {
        self.same_slot(&[queue, seen])?;
        let cmds = batches.map(|pairs| {
            let mut cmd = redis::cmd("EVAL");
            cmd.arg(scripts::ENQUEUE_DEDUP.source)
                .arg(2)
                .arg(queue)
                .arg(seen);
            for (value, item) in &pairs {
                cmd.arg(*value).arg(*item);
            }
            (cmd, pairs.len())
        });
        // Sent again after a lost reply (cluster), items already pushed count as duplicates.
        let res = self.stream(cmds, true, |reply: redis::RedisResult<(u64, u64)>, n| {
            done(n, reply.ok())
        });
        res.map_err(|e| self.explain(e, &[(queue, "list"), (seen, "set")]))
    }

    /// Runs commands in order without waiting a round trip between two of them: on a single
    /// server each is sent as soon as it is built, with up to `IN_FLIGHT` unanswered, so the
    /// server works on one while pipectl builds the next (and the batch never has to be in
    /// memory at once, as one big pipeline would need). On a cluster they go as pipelines of
    /// a few. `each` gets every answered command's reply (or the server's refusal) with the
    /// number the command came with, in order. At the first refusal nothing more is sent,
    /// the replies on their way are read and given to `each` too (each command is all or
    /// nothing, and one sent after a refusal may still have run), and the first error is
    /// returned. When the connection fails, the commands sent and not answered get no call:
    /// whether they ran is unknown.
    /// `resend`: on a cluster, whether a command whose reply was lost may be sent again
    /// (only for idempotent ones, see `idem`).
    fn stream<T: redis::FromRedisValue>(
        &mut self,
        cmds: impl Iterator<Item = (redis::Cmd, usize)>,
        resend: bool,
        mut each: impl FnMut(redis::RedisResult<T>, usize),
    ) -> redis::RedisResult<()> {
        const IN_FLIGHT: usize = 4;
        let mut failure: Option<redis::RedisError> = None;
        let mut note = |reply: redis::RedisResult<T>, n, failure: &mut Option<_>| {
            if let Err(err) = &reply {
                failure.get_or_insert_with(|| err.clone());
            }
            each(reply, n);
        };
        match &mut self.conn {
            Conn::Cluster(c) => {
                let mut cmds = cmds.peekable();
                while failure.is_none() && cmds.peek().is_some() {
                    let mut pipe = redis::pipe();
                    let mut sizes = Vec::new();
                    for (cmd, n) in cmds.by_ref().take(IN_FLIGHT) {
                        pipe.add_command(cmd);
                        sizes.push(n);
                    }
                    c.resend = resend;
                    // A failure here leaves the whole pipeline unanswered.
                    let replies = c.pipeline(&pipe)?;
                    for (value, n) in replies.into_iter().zip(sizes) {
                        let reply = match value {
                            Value::ServerError(e) => Err(e.into()),
                            value => {
                                redis::from_redis_value::<T>(value).map_err(redis::RedisError::from)
                            }
                        };
                        note(reply, n, &mut failure);
                    }
                }
            }
            Conn::Single(c) => {
                let mut cmds = cmds;
                let mut pending = std::collections::VecDeque::new();
                loop {
                    if failure.is_none()
                        && pending.len() < IN_FLIGHT
                        && let Some((cmd, n)) = cmds.next()
                    {
                        c.send_packed_command(&cmd.get_packed_command())?;
                        pending.push_back(n);
                        continue;
                    }
                    let Some(n) = pending.pop_front() else { break };
                    let reply = c.recv_response()?.extract_error().and_then(|v| {
                        redis::from_redis_value::<T>(v).map_err(redis::RedisError::from)
                    });
                    note(reply, n, &mut failure);
                }
            }
        }
        failure.map_or(Ok(()), Err)
    }

    /// Takes up to `count` items from the consumer end, with no lease.
    pub fn pop(&mut self, queue: &str, count: usize) -> Result<Vec<Vec<u8>>> {
        let k = QueueKeys::new(queue);
        self.queue_slot(&k, &[])?;
        let res = Self::queue_script(&scripts::POP, &k)
            .arg(count)
            .invoke(self.con());
        res.map_err(|e| self.explain(e, &Self::queue_types(&k)))
    }

    /// Puts items taken by `pop` but never delivered back at the consumer end, in one atomic
    /// command, so `items[0]` is the next to be taken again and the rest follow in order.
    pub fn give_back(&mut self, queue: &str, items: &[Vec<u8>]) -> Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let res: redis::RedisResult<u64> = redis::cmd("RPUSH")
            .arg(queue)
            .arg(items.iter().rev().collect::<Vec<_>>())
            .query(self.con());
        res.map(drop)
            .map_err(|e| self.explain(e, &[(queue, "list")]))
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
        self.queue_slot(&k, paused_key.as_slice())?;
        let prefix = random_hex(8)?;
        let mut inv = Self::queue_script(&scripts::CLAIM, &k);
        if let Some(paused) = paused_key {
            inv.key(paused);
        }
        inv.arg(count).arg(lease.as_millis() as u64).arg(&prefix);
        // Sent again after a lost reply, a claim takes other items; those it had taken stay
        // leased until the lease expires and then go back: late, never lost.
        let res: redis::RedisResult<Vec<Value>> = inv.invoke(self.idem());
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
            .query(self.idem());
        self.set_read_timeout(self.response_timeout)?;
        let got = res.map_err(|e| self.explain(e, &[(queue, "list")]))?;
        Ok(got.is_some())
    }

    /// Finishes leases. Returns, per id, whether it was still leased.
    pub fn ack(&mut self, queue: &str, ids: &[&str]) -> Result<Vec<bool>> {
        let k = QueueKeys::new(queue);
        self.queue_slot(&k, &[])?;
        let mut inv = Self::queue_script(&scripts::ACK, &k);
        for id in ids {
            inv.arg(*id);
        }
        let res: redis::RedisResult<Vec<i64>> = inv.invoke(self.idem());
        let done = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
        Ok(done.into_iter().map(|d| d == 1).collect())
    }

    /// The item under a lease and its attempt count, if the lease exists.
    pub fn lease(&mut self, queue: &str, id: &str) -> Result<Option<(Vec<u8>, u64)>> {
        let k = QueueKeys::new(queue);
        let item: Option<Vec<u8>> = redis::cmd("HGET")
            .arg(&k.leased)
            .arg(id)
            .query(self.idem())?;
        let Some(item) = item else { return Ok(None) };
        let attempts: Option<u64> = redis::cmd("HGET")
            .arg(&k.attempts)
            .arg(&item)
            .query(self.idem())?;
        Ok(Some((item, attempts.unwrap_or(1))))
    }

    /// Moves a leased item (which must still be `item`) to where `to` says, atomically,
    /// adding to `counters` in the same step.
    pub fn settle(
        &mut self,
        queue: &str,
        id: &str,
        item: &[u8],
        to: NackTo<'_>,
        counters: &Counters<'_>,
    ) -> Result<Settled> {
        let k = QueueKeys::new(queue);
        let mut more: Vec<&str> = counters.keys.iter().map(String::as_str).collect();
        if let NackTo::Dead { list, .. } = &to {
            more.push(list);
        }
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::NACK, &k);
        match &to {
            NackTo::Dead { list, .. } => inv.key(*list),
            _ => inv.key(&k.queue),
        };
        for key in counters.keys {
            inv.key(key);
        }
        let (mode, delay, payload): (&str, Duration, &[u8]) = match &to {
            NackTo::Requeue => ("requeue", Duration::ZERO, b""),
            NackTo::Release => ("release", Duration::ZERO, b""),
            NackTo::Retry(after) => ("retry", *after, b""),
            NackTo::Defer { after, replacement } => {
                ("defer", *after, replacement.unwrap_or_default())
            }
            NackTo::Dead { envelope, .. } => ("dead", Duration::ZERO, *envelope),
        };
        inv.arg(id)
            .arg(mode)
            .arg(item)
            .arg(delay.as_millis() as u64)
            .arg(random_hex(8)?)
            .arg(payload);
        inv.arg(counters.ttl.as_secs().max(1));
        let res: redis::RedisResult<i64> = inv.invoke(self.idem());
        settled(
            res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?,
            queue,
            id,
        )
    }

    /// Moves a leased item (which must still hold the same item) to `output` as the handler's answer
    /// (`items`, each with its dedup value when `dedup` is given), atomically, adding to
    /// `counters` in the same step. Returns whether it moved, and (added, duplicates).
    pub fn complete(
        &mut self,
        queue: &str,
        lease: &Lease,
        output: Option<&str>,
        dedup: Option<&Dedup<'_>>,
        items: &[(Option<String>, Vec<u8>)],
        counters: &Counters<'_>,
    ) -> Result<(Settled, u64, u64)> {
        let k = QueueKeys::new(queue);
        let mut more: Vec<&str> = counters.keys.iter().map(String::as_str).collect();
        more.extend(output);
        if let Some(d) = dedup {
            more.extend([d.seen_set, d.new_counter, d.dup_counter]);
        }
        self.queue_slot(&k, &more)?;
        let mut inv = Self::queue_script(&scripts::COMPLETE, &k);
        // Unused key slots repeat the queue's name, which keeps every key in its hash slot.
        let placeholder = k.queue.as_str();
        inv.key(output.unwrap_or(placeholder));
        match dedup {
            Some(d) => inv.key(d.seen_set).key(d.new_counter).key(d.dup_counter),
            None => inv.key(placeholder).key(placeholder).key(placeholder),
        };
        for key in counters.keys {
            inv.key(key);
        }
        inv.arg(&lease.id)
            .arg(&lease.item)
            .arg(counters.ttl.as_secs().max(1));
        let items = if output.is_some() { items } else { &[] };
        match dedup {
            Some(_) => {
                inv.arg("dedup");
                for (value, out) in items {
                    inv.arg(value.as_deref().unwrap_or_default()).arg(out);
                }
            }
            None => {
                inv.arg("plain");
                for (_, out) in items {
                    inv.arg(out);
                }
            }
        }
        let res: redis::RedisResult<Vec<i64>> = inv.invoke(self.idem());
        let reply = res.map_err(|e| {
            let mut expected = Self::queue_types(&k).to_vec();
            expected.extend(output.map(|o| (o, "list")));
            expected.extend(dedup.map(|d| (d.seen_set, "set")));
            self.explain(e, &expected)
        })?;
        let status = settled(reply.first().copied().unwrap_or(0), queue, &lease.id)?;
        let added = reply.get(1).copied().unwrap_or(0).max(0) as u64;
        let dups = reply.get(2).copied().unwrap_or(0).max(0) as u64;
        Ok((status, added, dups))
    }

    /// Returns every expired lease and due retry of `queue` now, then repairs broken lease
    /// bookkeeping: an item leased with no deadline goes back to the queue, a deadline with
    /// no item is dropped. Every batch is one atomic step.
    pub fn recover(&mut self, queue: &str) -> Result<Recovered> {
        let k = QueueKeys::new(queue);
        self.queue_slot(&k, &[])?;
        let mut done = Recovered::default();
        loop {
            let res: redis::RedisResult<(u64, u64, u64)> =
                Self::queue_script(&scripts::RECOVER, &k).invoke(self.idem());
            let (l, r, seen) = res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
            done.leases += l;
            done.retries += r;
            if seen == 0 {
                break;
            }
        }
        let (mut leased_cursor, mut leases_cursor) = ("0".to_owned(), "0".to_owned());
        while leased_cursor != "-" || leases_cursor != "-" {
            let res: redis::RedisResult<(String, String, u64, u64)> =
                Self::queue_script(&scripts::REPAIR, &k)
                    .arg(&leased_cursor)
                    .arg(&leases_cursor)
                    .invoke(self.con());
            let (next_leased, next_leases, returned, dropped) =
                res.map_err(|e| self.explain(e, &Self::queue_types(&k)))?;
            done.orphans += returned;
            done.stale_deadlines += dropped;
            (leased_cursor, leases_cursor) = (next_leased, next_leases);
        }
        Ok(done)
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
            .query(self.idem());
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
        let res = self.query_pipe(&pipe);
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
            .query(self.idem());
        let flags = res.map_err(|e| self.explain(e, &[(set, "set")]))?;
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }

    /// INCRBY + EXPIRE each counter (each one atomic, all in one round trip). Returns the
    /// new values.
    pub fn incr_counters(&mut self, counters: &[(String, i64)], ttl: Duration) -> Result<Vec<i64>> {
        let mut pipe = redis::pipe();
        for (key, by) in counters {
            pipe.cmd("EVAL")
                .arg(scripts::INCR_COUNTER.source)
                .arg(1)
                .arg(key)
                .arg(*by)
                .arg(ttl.as_secs().max(1));
        }
        let res: redis::RedisResult<Vec<i64>> = self.query_pipe_once(&pipe);
        res.map_err(|e| {
            let detail = server_error(&e).map(|(_, d)| d).unwrap_or_default();
            let key = match counters {
                [(key, _)] => format!("counter '{key}'"),
                _ => "a counter".to_owned(),
            };
            if detail.contains("would overflow") {
                return Fail::data(format!(
                    "{key} would pass the range of a 64-bit integer (±9223372036854775807); nothing was added"
                ))
                .into();
            }
            if detail.contains("not an integer") {
                return Fail::data(format!(
                    "{key} holds a value that is not an integer; nothing was added"
                ))
                .hint("inspect it with `redis-cli GET <key>`; delete it to start the count again")
                .into();
            }
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
        let res: redis::RedisResult<Vec<Option<String>>> = self.query_pipe(&pipe);
        let values = res.map_err(|e| self.explain(e, &[]))?;
        Ok(values
            .into_iter()
            .map(|v| v.and_then(|s| s.trim().parse().ok()).unwrap_or(0))
            .collect())
    }

    /// Every key matching `pattern`, by SCAN (never KEYS: it would block the server); on a
    /// cluster, on every master.
    pub fn scan(&mut self, pattern: &str) -> Result<Vec<String>> {
        let masters = self.masters()?;
        let mut found = Vec::new();
        if masters.is_empty() {
            self.scan_node(None, pattern, &mut found)?;
        }
        for node in &masters {
            self.scan_node(Some(node), pattern, &mut found)?;
        }
        Ok(found)
    }

    fn scan_node(
        &mut self,
        node: Option<&(String, u16)>,
        pattern: &str,
        found: &mut Vec<String>,
    ) -> Result<()> {
        let mut cursor: u64 = 0;
        loop {
            let mut cmd = redis::cmd("SCAN");
            cmd.arg(cursor)
                .arg("MATCH")
                .arg(pattern)
                .arg("COUNT")
                .arg(1000);
            let page: redis::RedisResult<(u64, Vec<String>)> = match node {
                Some(node) => self.on_node(node, &cmd),
                None => cmd.query(self.idem()),
            };
            let (next, keys) = page.map_err(|e| self.explain(e, &[]))?;
            found.extend(keys);
            if next == 0 {
                return Ok(());
            }
            cursor = next;
        }
    }
}

/// The seen set and saturation counters for output with dedup.
pub struct Dedup<'a> {
    pub seen_set: &'a str,
    pub new_counter: &'a str,
    pub dup_counter: &'a str,
}

/// Why keys cannot go together in one cluster step, naming the fix; None when they can.
pub fn cross_slot(keys: &[&str]) -> Option<Fail> {
    let first = keys.first()?;
    let slot = crate::keys::hash_slot(first);
    let other = keys.iter().find(|k| crate::keys::hash_slot(k) != slot)?;
    // The key to rename: one without a hash tag (the other's companions follow its name).
    let untagged = [*first, *other]
        .into_iter()
        .find(|k| crate::keys::hash_tag(k).is_none())
        .unwrap_or(first);
    Some(
        Fail::config(format!(
            "in Redis Cluster, '{first}' (slot {slot}) and '{other}' (slot {}) must change together in one atomic step, but live in different hash slots",
            crate::keys::hash_slot(other)
        ))
        .hint(format!(
            "give every key of a pipeline one hash tag, e.g. '{}' instead of '{untagged}' (companion keys like '<queue>:leases' follow the queue's name): name the pipeline \"{{prospect}}\" and its queues \"{{prospect}}:queue\", \"{{prospect}}:staged\", … (`pipectl init --cluster` writes such a config)",
            crate::keys::with_hash_tag(untagged)
        )),
    )
}

fn settled(code: i64, queue: &str, id: &str) -> Result<Settled> {
    match code {
        1 => Ok(Settled::Moved),
        0 => Ok(Settled::Unknown),
        _ => Err(anyhow::anyhow!(
            "lease {id} on {queue} holds another item than expected; nothing was moved"
        )),
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

/// An ACL refusal in words, naming the command or key the Redis user may not use — also
/// when the refusal came from inside a script, where Redis 7.0 names only the script's line.
fn acl_refusal(code: &str, detail: &str) -> Option<Fail> {
    let lower = detail.to_ascii_lowercase();
    let key_denied = lower.contains("access at least one of the keys")
        || lower.contains("no permissions to access");
    let command_denied = code == "NOPERM"
        || lower.contains("can't run this command")
        || lower.contains("no permissions to run");
    if !key_denied && !command_denied {
        return None;
    }
    let hint = "grant it to the user (ACL SETUSER <user> …); the README (\"ACL user\") gives the exact line pipectl needs";
    if key_denied {
        return Some(
            Fail::new(
                crate::exit::Exit::NoPerm,
                "the Redis user may not access a key pipectl uses (NOPERM): its key patterns (~…) must cover the pipeline's keys, stats:* and the rate-limit keys",
            )
            .hint(hint),
        );
    }
    let command = refused_command(detail).unwrap_or_else(|| "a command".to_owned());
    Some(
        Fail::new(
            crate::exit::Exit::NoPerm,
            format!(
                "the Redis user may not run {command}, which pipectl needs (NOPERM: {})",
                detail.split(" script:").next().unwrap_or_default().trim()
            ),
        )
        .hint(format!(
            "grant it: ACL SETUSER <user> +{}; the README (\"ACL user\") gives the exact line pipectl needs",
            command.to_ascii_lowercase()
        )),
    )
}

/// The command Redis refused: named in the message (`'lpush'`, `[command INCRBY]`), or
/// the one called at the script line it points to (`script: <sha>, on @user_script:11.`).
fn refused_command(detail: &str) -> Option<String> {
    if let Some(rest) = detail.split_once("[command ").map(|(_, r)| r) {
        return rest.split(']').next().map(str::to_uppercase);
    }
    if let Some(rest) = detail.split_once("to run the '").map(|(_, r)| r) {
        return rest.split('\'').next().map(str::to_uppercase);
    }
    let (_, at) = detail.split_once(" script: ")?;
    let (sha, line) = at.split_once(", on @user_script:")?;
    let line: usize = line.trim_end_matches('.').trim().parse().ok()?;
    let source = scripts::ALL
        .iter()
        .map(|lua| lua.source)
        .find(|src| Script::new(src).get_hash() == sha.trim())?;
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let (_, call) = text.split_once("call('")?;
    call.split('\'').next().map(str::to_uppercase)
}

/// `n` random bytes as hex, from the OS.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("cannot read random bytes: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
