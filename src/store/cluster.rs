//! A Redis Cluster connection that rides through failovers, on top of redis-rs's sync
//! `ClusterConnection`.
//!
//! What the sync `ClusterConnection` (redis 1.8) cannot do by itself, and what this does
//! instead:
//! - Its retries resend a command whose connection dropped, whether or not the server had
//!   already run it, and wait up to minutes (exponential, 1.28s to 655s) on CLUSTERDOWN.
//!   Here its own retries are off: every error comes back, and a step is retried only when it
//!   surely did not run (MOVED, ASK, TRYAGAIN, CLUSTERDOWN, MASTERDOWN, LOADING, READONLY, a
//!   refused connection) or when it is idempotent (`resend`), within `--failover-timeout`. Each retry
//!   starts from the seed nodes again, so it routes on a fresh slot map (the old master may
//!   have died and its replica taken over).
//! - A `ClusterPipeline` has no `ignore_errors`: one WRONGTYPE key fails the whole pipeline
//!   and every other reply is lost. MOVED/ASK/TRYAGAIN replies inside a pipeline come back as
//!   reply values and are not followed. And a node that cannot be reached while the pipeline
//!   is being sent leaves unread replies on the other nodes' sockets. Here a pipeline runs as
//!   a `ClusterPipeline` (one round trip per node) when all goes well, and otherwise — for
//!   idempotent pipelines — one command at a time, each routed and retried by itself, with
//!   the connection rebuilt first. Non-idempotent pipelines always run one command at a time.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use redis::cluster::ClusterConnection;
use redis::cluster_routing::RoutingInfo;
use redis::{ConnectionLike, ErrorKind, RedisError, RedisResult, ServerErrorKind, Value};

use super::connect::{ConnectOptions, cluster_client};

/// Shortest and longest pause between two attempts while the cluster fails over.
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_millis(1000);

pub(super) struct Cluster {
    client: redis::cluster::ClusterClient,
    /// None after an error left the connection in an unknown state: rebuilt on next use.
    conn: Option<ClusterConnection>,
    /// How long one step may keep trying through a failover (`--failover-timeout`).
    window: Duration,
    read_timeout: Duration,
    /// Whether the step being sent may be sent again when its reply was lost (the server
    /// may have run it): true only for idempotent steps. Set by `Store` before each step.
    pub(super) resend: bool,
}

/// What an error says about the command that met it.
#[derive(Debug, PartialEq, Eq)]
enum Fault {
    /// The server surely did not run it: try again (elsewhere, or later).
    NotRun,
    /// The reply was lost: the server may or may not have run it.
    Lost,
    /// An answer: nothing to retry.
    Final,
}

impl Cluster {
    pub(super) fn connect(opts: &ConnectOptions) -> Result<Cluster> {
        let (client, shown) = cluster_client(opts)?;
        let conn = client
            .get_connection()
            .with_context(|| format!("cannot connect to the Redis Cluster at {shown}"))?;
        conn.set_write_timeout(Some(opts.response_timeout))
            .context("cannot set the write timeout")?;
        Ok(Cluster {
            client,
            conn: Some(conn),
            window: opts.failover_timeout,
            read_timeout: opts.response_timeout,
            resend: false,
        })
    }

    fn conn(&mut self) -> RedisResult<&mut ClusterConnection> {
        if self.conn.is_none() {
            let conn = self.client.get_connection()?;
            conn.set_read_timeout(Some(self.read_timeout))?;
            conn.set_write_timeout(Some(self.window))?;
            self.conn = Some(conn);
        }
        match &mut self.conn {
            Some(conn) => Ok(conn),
            None => Err((ErrorKind::Client, "no cluster connection").into()),
        }
    }

    pub(super) fn set_read_timeout(&mut self, timeout: Duration) -> RedisResult<()> {
        self.read_timeout = timeout;
        match &self.conn {
            Some(conn) => conn.set_read_timeout(Some(timeout)),
            None => Ok(()),
        }
    }

    /// Runs `op` until it answers, fails for good, or `--failover-timeout` has passed; between two
    /// attempts, the connection is rebuilt from the seeds (a fresh slot map).
    fn retrying<T>(
        &mut self,
        resend: bool,
        mut op: impl FnMut(&mut ClusterConnection) -> RedisResult<T>,
    ) -> RedisResult<T> {
        let deadline = Instant::now() + self.window;
        let mut pause = FIRST_PAUSE;
        loop {
            let (err, fault) = match self.conn() {
                Ok(conn) => match op(conn) {
                    Ok(value) => return Ok(value),
                    Err(err) => {
                        let fault = fault(&err);
                        (err, fault)
                    }
                },
                // Nothing was sent: the seeds are unreachable or the cluster is not ready.
                Err(err) => (err, Fault::NotRun),
            };
            if fault != Fault::Final {
                // Its sockets may hold unread replies, and its slot map may be stale.
                self.conn = None;
            }
            let again = match fault {
                Fault::NotRun => true,
                Fault::Lost => resend,
                Fault::Final => false,
            };
            if !again || Instant::now() + pause > deadline {
                return Err(err);
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    }

    /// Sends one command to the node `routing` names (by address): once, since no failover
    /// brings a dead node back; the caller hears at once that it is unreachable.
    pub(super) fn route(&mut self, cmd: &redis::Cmd, routing: &RoutingInfo) -> RedisResult<Value> {
        let res = self
            .conn()
            .and_then(|c| c.route_command(cmd, routing.clone()));
        if let Err(err) = &res
            && fault(err) != Fault::Final
        {
            self.conn = None;
        }
        res
    }

    /// Runs a pipeline's commands, each on its slot's node. Returns every reply; a command
    /// the server refused is a `Value::ServerError` in its place.
    pub(super) fn pipeline(&mut self, pipe: &redis::Pipeline) -> RedisResult<Vec<Value>> {
        let resend = self.resend;
        if resend {
            let mut routed = redis::cluster::cluster_pipe();
            for cmd in pipe.cmd_iter() {
                routed.add_command(cmd.clone());
            }
            let fast = self.conn().and_then(|c| routed.query::<Vec<Value>>(c));
            match fast {
                Ok(values) => return Ok(values),
                Err(err) if !answered(&err) => self.conn = None,
                // Some commands were refused (e.g. WRONGTYPE): ask again one by one to get
                // every other reply too. Reads and idempotent steps only get here.
                Err(_) => {}
            }
        }
        let mut replies = Vec::new();
        for cmd in pipe.cmd_iter() {
            match self.retrying(resend, |c| c.req_command(cmd)) {
                Ok(value) => replies.push(value),
                Err(err) => match err.clone().into_server_errors() {
                    Some(errors) if fault(&err) == Fault::Final => {
                        replies.extend(errors.iter().map(|(_, e)| Value::ServerError(e.clone())))
                    }
                    _ => return Err(err),
                },
            }
        }
        Ok(replies)
    }
}

/// A failed pipeline whose commands all reached the server and were answered (with an
/// error such as WRONGTYPE), as opposed to a connection problem or a redirect.
fn answered(err: &RedisError) -> bool {
    err.clone()
        .into_server_errors()
        .is_some_and(|errors| errors.iter().all(|(_, e)| !redirect(e.kind())))
}

fn redirect(kind: Option<ServerErrorKind>) -> bool {
    matches!(
        kind,
        Some(
            ServerErrorKind::Moved
                | ServerErrorKind::Ask
                | ServerErrorKind::TryAgain
                | ServerErrorKind::ClusterDown
                | ServerErrorKind::MasterDown
                | ServerErrorKind::BusyLoading
                | ServerErrorKind::ReadOnly
        )
    )
}

fn fault(err: &RedisError) -> Fault {
    match err.kind() {
        ErrorKind::Server(kind) if redirect(Some(kind)) => Fault::NotRun,
        ErrorKind::ClusterConnectionNotFound => Fault::NotRun,
        // "Missing slot coverage", "Slot refresh error": the client's slot map has a hole.
        ErrorKind::Client if err.to_string().to_ascii_lowercase().contains("slot") => Fault::NotRun,
        _ if err.is_connection_refusal() => Fault::NotRun,
        ErrorKind::Io => Fault::Lost,
        _ => Fault::Final,
    }
}

impl ConnectionLike for Cluster {
    fn req_packed_command(&mut self, cmd: &[u8]) -> RedisResult<Value> {
        let resend = self.resend;
        self.retrying(resend, |c| c.req_packed_command(cmd))
    }

    fn req_packed_commands(
        &mut self,
        cmd: &[u8],
        offset: usize,
        count: usize,
    ) -> RedisResult<Vec<Value>> {
        let resend = self.resend;
        self.retrying(resend, |c| c.req_packed_commands(cmd, offset, count))
    }

    fn req_command(&mut self, cmd: &redis::Cmd) -> RedisResult<Value> {
        let resend = self.resend;
        self.retrying(resend, |c| c.req_command(cmd))
    }

    fn get_db(&self) -> i64 {
        0
    }

    fn check_connection(&mut self) -> bool {
        self.conn().is_ok_and(|c| c.check_connection())
    }

    fn is_open(&self) -> bool {
        self.conn.as_ref().is_some_and(|c| c.is_open())
    }
}
