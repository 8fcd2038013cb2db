//! Every Redis operation pipectl performs, behind named methods. Item state changes are Lua
//! scripts (one per transition, in this folder) or single commands: never two steps. The one
//! transaction, a bulk dedup enqueue's (stream.rs, enqueue_pushed.lua), is one step too.

mod ahead;
mod cluster;
mod connect;
mod delayed;
mod enqueue;
mod explain;
pub mod guards;
mod lease;
mod read;
mod refusal;
pub mod scripts;
pub mod sentinel;
mod sha1;
mod stage;
mod stream;
mod wait;

pub use delayed::{DelayedEntry, split_delayed};
pub use enqueue::{DayCounters, DelayedChunk, DelayedDone};
pub use lease::{Claim, Counters, Dedup, Destination, Lease, NackTo, Recorded, Recovered, Settled};
pub use stage::Window;

use std::time::Duration;

use anyhow::Result;
use redis::{ConnectionLike, Value};

use scripts::Lua;

pub use connect::{
    ConnectOptions, TlsFiles, classify_redis_error, describe_unavailable, is_transient, redact_url,
    server_error, shown_url, untrusted_certificate,
};

use crate::error::Fail;
use crate::keys::QueueKeys;

mod dead;
pub use dead::Removals;
mod notify;
pub use notify::{OutboxEntry, Pending};
mod server;
mod status;

pub use server::{ClusterNode, Node, Product, Role};
pub use status::{Probe, QueueReading, Reading, Snapshot, WaitReading, WindowReading};

pub mod claims;
pub mod escalate;
pub mod review;
pub mod surgery;

pub mod audit;

/// The connection kinds pipectl speaks through.
enum Conn {
    Single(connect::Single),
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
    /// steps are Lua scripts (a stream's transactions are not pipelines: stream.rs).
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

    fn queue_script(lua: &'static Lua, k: &QueueKeys) -> scripts::Invocation<'static> {
        let mut inv = lua.script().prepare_invoke();
        inv.key(&k.queue)
            .key(&k.leases)
            .key(&k.leased)
            .key(&k.attempts)
            .key(&k.delayed);
        inv
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

/// A new lease id prefix (claim.lua ARGV[3]), unique as 8 random bytes would be: this
/// process's random 64-bit base, read from the OS once, plus a count of prefixes made.
/// (A read of random bytes per claim was a system call per item of a warm handler.)
pub fn lease_prefix() -> Result<String> {
    static BASE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = match BASE.get() {
        Some(base) => *base,
        None => {
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes)
                .map_err(|e| anyhow::anyhow!("cannot read random bytes: {e}"))?;
            *BASE.get_or_init(|| u64::from_le_bytes(bytes))
        }
    };
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(format!("{:016x}", base.wrapping_add(n)))
}

/// `n` random bytes as hex, from the OS.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("cannot read random bytes: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
