//! Opening a connection: URL, REDISCLI_AUTH, timeouts, and errors that name the server.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result};
use redis::IntoConnectionInfo;

use crate::error::Fail;
use crate::exit::Exit;

/// How to reach Redis, from `--url`/`REDIS_URL`, `REDISCLI_AUTH` and `--connect-timeout`.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    pub url: String,
    pub password_from_env: Option<String>,
    pub connect_timeout: Duration,
    /// How long a single reply may take (blocking commands add their own block time).
    pub response_timeout: Duration,
    /// Redis Cluster: `url` is one or more seed nodes, comma-separated.
    pub cluster: bool,
}

/// The URL of the server in use, password hidden, for error messages raised far from `connect`.
static SHOWN_URL: OnceLock<String> = OnceLock::new();

/// Set when pipectl talks to a Redis Cluster, for the hints of errors raised far from `connect`.
static CLUSTER: OnceLock<bool> = OnceLock::new();

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
    let client = redis::cluster::ClusterClientBuilder::new(seeds)
        .connection_timeout(opts.connect_timeout)
        .response_timeout(opts.response_timeout)
        .retries(0)
        .build()
        .map_err(|e| Fail::usage(format!("invalid Redis Cluster seeds '{shown}': {e}")))?;
    Ok((client, shown))
}

pub fn connect(opts: &ConnectOptions) -> Result<redis::Connection> {
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
    let client = redis::Client::open(info)
        .map_err(|e| Fail::usage(format!("invalid Redis URL '{shown}': {e}")))?;
    let conn = client
        .get_connection_with_timeout(opts.connect_timeout)
        .with_context(|| format!("cannot connect to Redis at {shown}"))?;
    conn.set_read_timeout(Some(opts.response_timeout))
        .context("cannot set the read timeout")?;
    conn.set_write_timeout(Some(opts.response_timeout))
        .context("cannot set the write timeout")?;
    Ok(conn)
}

/// Maps a Redis error to its exit code and what the user should do next.
pub fn classify_redis_error(err: &redis::RedisError) -> (Exit, Option<String>) {
    use redis::{ErrorKind, ServerErrorKind};
    let url = shown_url().unwrap_or("the configured URL");
    let first = server_error(err);
    let code = first.as_ref().map_or("", |(code, _)| code.as_str());
    if matches!(code, "NOAUTH" | "WRONGPASS")
        || matches!(err.kind(), ErrorKind::AuthenticationFailed)
        || matches!(err.kind(), ErrorKind::Server(ServerErrorKind::NoPerm))
        || code == "NOPERM"
    {
        return (
            Exit::NoPerm,
            Some(format!(
                "check the user and password for {url}: put them in the URL (redis://user:password@host) or REDISCLI_AUTH, and check the user's ACL"
            )),
        );
    }
    if code == "WRONGTYPE" {
        return (
            Exit::DataErr,
            Some(
                "a key pipectl uses holds another type; inspect it with redis-cli TYPE <key>"
                    .into(),
            ),
        );
    }
    let unavailable = err.is_io_error()
        || err.is_connection_refusal()
        || err.is_timeout()
        || err.is_connection_dropped()
        || matches!(
            err.kind(),
            ErrorKind::ClusterConnectionNotFound
                | ErrorKind::Server(
                    ServerErrorKind::BusyLoading
                        | ServerErrorKind::ClusterDown
                        | ServerErrorKind::MasterDown
                        | ServerErrorKind::TryAgain
                )
        );
    let slot_map_hole = matches!(err.kind(), ErrorKind::Client)
        && err.to_string().to_ascii_lowercase().contains("slot");
    if CLUSTER.get().is_some_and(|c| *c) && (unavailable || slot_map_hole) {
        return (
            Exit::Unavailable,
            Some(format!(
                "a node of the Redis Cluster at {url} did not answer, or its slots are not served: during a failover pipectl retries until --timeout (10s by default); raise it above cluster-node-timeout plus a few seconds to ride one out, and see `pipectl doctor` for the cluster's state"
            )),
        );
    }
    if unavailable {
        return (
            Exit::Unavailable,
            Some(format!(
                "is redis-server running at {url}? Point pipectl elsewhere with --url or REDIS_URL, e.g. --url redis://127.0.0.1:6380"
            )),
        );
    }
    if code == "ERR"
        && first
            .as_ref()
            .is_some_and(|(_, detail)| detail.contains("unknown command"))
    {
        return (
            Exit::Unavailable,
            Some("pipectl needs Redis 6.2 or newer (LMOVE, RPOP with a count)".into()),
        );
    }
    (Exit::Failure, None)
}

/// The first error code and detail the server sent, also when it came inside a pipeline or
/// transaction reply (where `RedisError::code` is empty).
pub fn server_error(err: &redis::RedisError) -> Option<(String, String)> {
    if let Some(code) = err.code() {
        return Some((code.to_owned(), err.detail().unwrap_or_default().to_owned()));
    }
    let errors = err.clone().into_server_errors()?;
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
