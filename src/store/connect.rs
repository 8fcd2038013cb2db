//! Opening a connection: URL, REDISCLI_AUTH, timeouts, and errors that name the server.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result};
use redis::IntoConnectionInfo;

use crate::error::Fail;

/// How to reach Redis, from `--url`/`REDIS_URL`, `REDISCLI_AUTH` and `--connect-timeout`.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub url: String,
    pub password_from_env: Option<String>,
    pub connect_timeout: Duration,
    /// How long a single reply may take (blocking commands add their own block time).
    pub response_timeout: Duration,
    /// Redis Cluster: how long one step may keep trying through a failover
    /// (`--failover-timeout`, default `--timeout`).
    pub failover_timeout: Duration,
    /// Redis Cluster: `url` is one or more seed nodes, comma-separated.
    pub cluster: bool,
    /// Certificates for `rediss://` (read only for such URLs).
    pub tls: TlsFiles,
}

/// PEM files for TLS: a CA to trust instead of the system's roots, and a client certificate
/// and key for servers that require one (`tls-auth-clients yes`).
#[derive(Clone, Debug, Default)]
pub struct TlsFiles {
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl TlsFiles {
    /// The certificates for rediss:// connections. Read only when a URL asks for TLS, so a
    /// plain connection never pays for it. The server's certificate is always verified
    /// (chain and host name): there is no switch to skip that.
    pub(super) fn certificates(&self) -> Result<redis::TlsCertificates> {
        let read = |path: &PathBuf, what: &str| {
            std::fs::read(path).map_err(|e| {
                Fail::config(format!(
                    "cannot read the TLS {what} {}: {e}",
                    path.display()
                ))
                .hint(
                    "check --tls-ca / --tls-cert / --tls-key (or PIPECTL_TLS_CA, REDISCLI_CACERT)",
                )
            })
        };
        let root_cert = self.ca.as_ref().map(|p| read(p, "CA file")).transpose()?;
        let client_tls = match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => Some(redis::ClientTlsConfig {
                client_cert: read(cert, "client certificate")?,
                client_key: read(key, "client key")?,
            }),
            _ => None,
        };
        Ok(redis::TlsCertificates {
            client_tls,
            root_cert,
        })
    }
}

fn is_tls(url: &str) -> bool {
    url.trim().starts_with("rediss://")
}

/// The URL of the server in use, password hidden, for error messages raised far from `connect`.
static SHOWN_URL: OnceLock<String> = OnceLock::new();

/// Set when pipectl talks to a Redis Cluster, for the hints of errors raised far from `connect`.
pub(super) static CLUSTER: OnceLock<bool> = OnceLock::new();

pub fn shown_url() -> Option<&'static str> {
    SHOWN_URL.get().map(String::as_str)
}

/// `redis://user:secret@host` -> `redis://user:***@host`; URLs without a password are unchanged.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &rest[..at];
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None if userinfo.is_empty() => String::new(),
        // `redis://secret@host`: redis-rs reads a lone userinfo as the password.
        None => "***".to_owned(),
    };
    format!("{scheme}://{user}@{}", &rest[at + 1..])
}

/// Parses one URL, filling in the password from REDISCLI_AUTH when the URL has none.
fn connection_info(url: &str, opts: &ConnectOptions) -> Result<redis::ConnectionInfo> {
    let shown = redact_url(url);
    if url.trim().starts_with("rediss://") && url.contains("#insecure") {
        return Err(Fail::usage(format!(
            "'{shown}' asks to skip TLS certificate verification (#insecure); pipectl always verifies"
        ))
        .hint("remove #insecure and pass the CA that signed the server's certificate with --tls-ca FILE")
        .into());
    }
    let mut info = url.trim().into_connection_info().map_err(|e| {
        Fail::usage(format!("invalid Redis URL '{shown}': {e}"))
            .hint("write it as redis://[user:password@]host:port[/db], rediss://… for TLS, or unix:///path/to/redis.sock")
    })?;
    if info.redis_settings().password().is_none()
        && let Some(password) = &opts.password_from_env
    {
        let settings = info.redis_settings().clone().set_password(password);
        info = info.set_redis_settings(settings);
    }
    let settings = info.redis_settings().clone().set_skip_set_lib_name();
    Ok(info.set_redis_settings(settings))
}

/// A client for a Redis Cluster reached through its seed nodes (`--url` names them,
/// comma-separated), and the seeds as shown (password hidden). Its own retries are off:
/// `cluster::Cluster` decides what is safe to send again (see there).
pub fn cluster_client(opts: &ConnectOptions) -> Result<(redis::cluster::ClusterClient, String)> {
    let shown = redact_url(&opts.url);
    SHOWN_URL.set(shown.clone()).ok();
    CLUSTER.set(true).ok();
    let seeds = opts
        .url
        .split(',')
        .filter(|u| !u.trim().is_empty())
        .map(|u| connection_info(u, opts))
        .collect::<Result<Vec<_>>>()?;
    let mut builder = redis::cluster::ClusterClientBuilder::new(seeds)
        .connection_timeout(opts.connect_timeout)
        .response_timeout(opts.response_timeout)
        .retries(0);
    if opts.url.split(',').any(is_tls) {
        builder = builder.certs(opts.tls.certificates()?);
    }
    let client = builder
        .build()
        .map_err(|e| Fail::usage(format!("invalid Redis Cluster seeds '{shown}': {e}")))?;
    Ok((client, shown))
}

/// A connection to one server that is never used again once a reply was lost.
///
/// redis-rs's sync `Connection` stays usable after a read timed out (it skips the late reply
/// when it comes), and its pipelines read on after a lost reply, waiting the read timeout
/// again for every reply still due: under a network stall, `status` (a pipeline of a few
/// dozen commands) took 23 times `--timeout`. Here the first transport error (a timeout, a
/// reset, a dropped or garbled reply) is the connection's last: a pipeline stops reading at
/// it, and every later step fails at once with that error, so no command outlives its
/// `--timeout` by waiting for a connection already known to be broken (and no step is sent
/// on a stream whose replies are out of step). Server replies, errors included, are not
/// transport errors.
pub struct Single {
    conn: redis::Connection,
    lost: Option<redis::RedisError>,
    /// Commands to send in the same write as the next one (`ride`), and their replies, in
    /// order, once read after that one's.
    ride: Vec<Vec<u8>>,
    ridden: std::collections::VecDeque<redis::RedisResult<redis::Value>>,
}

impl Single {
    fn usable(&self) -> redis::RedisResult<()> {
        self.lost.clone().map_or(Ok(()), Err)
    }

    fn note<T>(&mut self, res: redis::RedisResult<T>) -> redis::RedisResult<T> {
        if let Err(err) = &res
            && self.lost.is_none()
        {
            self.lost = Some(err.clone());
        }
        res
    }

    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> redis::RedisResult<()> {
        self.conn.set_read_timeout(timeout)
    }

    /// Sends one command without reading its reply (the caller reads it with `recv_response`).
    pub fn send_packed_command(&mut self, cmd: &[u8]) -> redis::RedisResult<()> {
        self.usable()?;
        let res = self.conn.send_packed_command(cmd);
        self.note(res)
    }

    pub fn recv_response(&mut self) -> redis::RedisResult<redis::Value> {
        self.usable()?;
        let res = self.conn.recv_response();
        self.note(res)
    }

    /// Sends `cmd` along with the next command (one write, one round trip), after those
    /// already riding; its reply, read after that command's, is kept for
    /// [`ridden`](Self::ridden).
    pub fn ride(&mut self, cmd: Vec<u8>) {
        if self.ride.is_empty() {
            self.ridden.clear();
        }
        self.ride.push(cmd);
    }

    /// The reply of the first command sent along whose reply was not taken yet; None when
    /// it was not sent (it never will be now) or its reply was not read (the connection
    /// failed first).
    pub fn ridden(&mut self) -> Option<redis::RedisResult<redis::Value>> {
        self.ride.clear();
        self.ridden.pop_front()
    }

    /// The next reply, RESP3 push data skipped.
    fn reply(&mut self) -> redis::RedisResult<redis::Value> {
        loop {
            match self.recv_response()? {
                redis::Value::Push { .. } => {}
                value => return Ok(value),
            }
        }
    }
}

impl redis::ConnectionLike for Single {
    fn req_packed_command(&mut self, cmd: &[u8]) -> redis::RedisResult<redis::Value> {
        self.usable()?;
        if !self.ride.is_empty() {
            let along = std::mem::take(&mut self.ride);
            let mut all = cmd.to_vec();
            for rider in &along {
                all.extend_from_slice(rider);
            }
            self.send_packed_command(&all)?;
            let first = self.reply()?;
            for _ in &along {
                let reply = self.reply();
                let lost = reply.is_err();
                self.ridden.push_back(reply);
                if lost {
                    break;
                }
            }
            return Ok(first);
        }
        let res = self.conn.req_packed_command(cmd);
        self.note(res)
    }

    /// A pipeline: sent at once, its replies read in order up to the first lost one.
    fn req_packed_commands(
        &mut self,
        cmd: &[u8],
        offset: usize,
        count: usize,
    ) -> redis::RedisResult<Vec<redis::Value>> {
        self.usable()?;
        if offset > 0 {
            // A MULTI/EXEC pipeline (pipectl sends none: stream.rs sends its own): redis-rs's own, for its handling of queued errors.
            let res = self.conn.req_packed_commands(cmd, offset, count);
            return self.note(res);
        }
        self.send_packed_command(cmd)?;
        let mut replies = Vec::with_capacity(count);
        while replies.len() < count {
            match self.recv_response()? {
                // RESP3 push data between replies is not a reply.
                redis::Value::Push { .. } => {}
                value => replies.push(value),
            }
        }
        Ok(replies)
    }

    fn get_db(&self) -> i64 {
        self.conn.get_db()
    }

    fn check_connection(&mut self) -> bool {
        redis::cmd("PING").query::<String>(self).is_ok()
    }

    fn is_open(&self) -> bool {
        self.lost.is_none() && self.conn.is_open()
    }
}

pub fn connect(opts: &ConnectOptions) -> Result<Single> {
    if !super::sentinel::is_sentinel(&opts.url) {
        return connect_direct(opts);
    }
    // Through Redis Sentinel: the current master, asked for on every (re)connect.
    SHOWN_URL.set(redact_url(&opts.url)).ok();
    let url = super::sentinel::parse(&opts.url)?;
    let ask = |sentinel: &str| super::sentinel::connect_to(sentinel, url.tls, opts);
    let (host, port) = super::sentinel::master_address(&url, &ask, opts.response_timeout)?;
    let master = ConnectOptions {
        url: url.master_url(&host, port),
        ..opts.clone()
    };
    let mut single = connect_direct(&master)?;
    // Mid-failover the sentinels may still name the old master, back as a replica.
    let role: Vec<redis::Value> = redis::cmd("ROLE")
        .query(&mut single.conn)
        .with_context(|| format!("cannot ask {host}:{port} for its role"))?;
    if !matches!(role.first(), Some(redis::Value::BulkString(r)) if r == b"master") {
        return Err(anyhow::Error::new(super::sentinel::unreachable(format!(
            "the sentinels name {host}:{port} the master of '{}', but it is not one (a failover in progress?)",
            url.master
        ))));
    }
    Ok(single)
}

fn connect_direct(opts: &ConnectOptions) -> Result<Single> {
    let shown = redact_url(&opts.url);
    SHOWN_URL.set(shown.clone()).ok();
    if opts.url.contains(',') {
        return Err(Fail::usage(format!(
            "'{shown}' names several servers, but --cluster is not set"
        ))
        .hint("pass --cluster (or PIPECTL_CLUSTER=1) to use them as Redis Cluster seed nodes")
        .into());
    }
    let info = connection_info(&opts.url, opts)?;
    let client = if is_tls(&opts.url) {
        redis::Client::build_with_tls(info, opts.tls.certificates()?)
    } else {
        redis::Client::open(info)
    }
    .map_err(|e| Fail::usage(format!("invalid Redis URL '{shown}': {e}")))?;
    let conn = client
        .get_connection_with_timeout(opts.connect_timeout)
        .map_err(|e| match untrusted_certificate(&e) {
            // The handshake happens with the first bytes: at connect when there is an AUTH
            // to send, else with the first command (see `describe_unavailable`).
            Some(why) => {
                let message = tls_refusal(&shown, &why);
                anyhow::Error::new(e).context(message)
            }
            None => anyhow::Error::new(e).context(format!("cannot connect to Redis at {shown}")),
        })?;
    conn.set_read_timeout(Some(opts.response_timeout))
        .context("cannot set the read timeout")?;
    conn.set_write_timeout(Some(opts.response_timeout))
        .context("cannot set the write timeout")?;
    Ok(Single {
        conn,
        lost: None,
        ride: Vec::new(),
        ridden: std::collections::VecDeque::new(),
    })
}

/// Why a TLS handshake failed over a certificate (the server's not trusted, or the server
/// refusing ours), in rustls's words; None for any other error.
pub fn untrusted_certificate(err: &redis::RedisError) -> Option<String> {
    let mut texts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    texts
        .into_iter()
        .rev()
        .find(|t| t.to_ascii_lowercase().contains("certificate"))
}

pub use super::refusal::{TOO_OLD_HINT, classify_redis_error, is_transient, lacks_command};

/// The message for a TLS handshake refused over a certificate.
pub fn tls_refusal(url: &str, why: &str) -> String {
    if why.contains("alert") {
        format!("the Redis server at {url} refused the TLS handshake: {why}")
    } else {
        format!("refused the TLS certificate of {url}: {why}")
    }
}

pub(super) fn tls_hint(why: &str) -> &'static str {
    if why.contains("alert") {
        "the server may require a client certificate: pass --tls-cert FILE and --tls-key FILE (or PIPECTL_TLS_CERT, PIPECTL_TLS_KEY)"
    } else {
        "pass the CA that signed the server's certificate with --tls-ca FILE (or PIPECTL_TLS_CA, REDISCLI_CACERT); the certificate must name the host in the URL; pipectl never skips this check"
    }
}

/// Says in words why Redis is unavailable, naming the server, for errors raised far from
/// `connect` (a connection that dropped mid-run, a reply that never came).
pub fn describe_unavailable(err: &redis::RedisError) -> String {
    let url = shown_url().unwrap_or("the configured URL");
    if let Some(why) = untrusted_certificate(err) {
        tls_refusal(url, &why)
    } else if matches!(
        err.kind(),
        redis::ErrorKind::Server(redis::ServerErrorKind::BusyLoading)
    ) {
        format!("Redis at {url} is still loading its data (it just restarted)")
    } else if err.is_timeout() {
        format!("Redis at {url} did not answer in time")
    } else if err.is_connection_refusal() {
        format!("cannot connect to Redis at {url}")
    } else {
        format!("lost the connection to Redis at {url}")
    }
}

/// The first error code and detail the server sent, also when it came inside a pipeline or
/// transaction reply (where `RedisError::code` is empty).
pub fn server_error(err: &redis::RedisError) -> Option<(String, String)> {
    if let Some(code) = err.code()
        && let Some(detail) = err.detail()
    {
        return Some((code.to_owned(), detail.to_owned()));
    }
    let Some(errors) = err.clone().into_server_errors() else {
        return err.code().map(|code| (code.to_owned(), String::new()));
    };
    let (_, first) = errors.first()?;
    Some((
        first.code().to_owned(),
        first.details().unwrap_or_default().to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("redis://u:pw@h:1/0"), "redis://u:***@h:1/0");
        assert_eq!(redact_url("redis://:pw@h"), "redis://:***@h");
        assert_eq!(redact_url("rediss://pw@h"), "rediss://***@h");
        assert_eq!(redact_url("redis://h:6379"), "redis://h:6379");
        assert_eq!(redact_url("redis://h/0?x=a@b"), "redis://h/0?x=a@b");
        assert_eq!(redact_url("unix:///tmp/r.sock"), "unix:///tmp/r.sock");
    }
}
