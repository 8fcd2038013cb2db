//! What a Redis error means for the user: its exit code and the fix to suggest (refusals
//! such as NOAUTH, READONLY, LOADING, MASTERDOWN, BUSY, OOM), and whether it is worth
//! reconnecting.

use super::connect::{CLUSTER, server_error, shown_url, tls_hint, untrusted_certificate};
use crate::exit::Exit;

/// Maps a Redis error to its exit code and what the user should do next.
pub fn classify_redis_error(err: &redis::RedisError) -> (Exit, Option<String>) {
    use redis::{ErrorKind, ServerErrorKind};
    let url = shown_url().unwrap_or("the configured URL");
    if let Some(why) = untrusted_certificate(err) {
        return (Exit::NoPerm, Some(tls_hint(&why).to_owned()));
    }
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
    if first
        .as_ref()
        .is_some_and(|(_, detail)| detail.contains("DB index is out of range"))
    {
        // SELECT of a database the server does not have: the URL's /<db> is wrong.
        return (
            Exit::Usage,
            Some(format!(
                "the database number at the end of {url} is beyond what the server has (`CONFIG GET databases`; 16 by default, numbered from 0)"
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
    if code == "READONLY" || matches!(err.kind(), ErrorKind::Server(ServerErrorKind::ReadOnly)) {
        // A replica (or a primary demoted by a failover): writes must go to the primary.
        return (
            Exit::Unavailable,
            Some(format!(
                "{url} is a read-only replica: point --url at the primary"
            )),
        );
    }
    if code == "OOM" {
        // Redis answers and reads still work: a refusal like any other (1), not "unavailable,
        // retry later" (69), since a blind retry of a write cut short would repeat it.
        return (
            Exit::Failure,
            Some(
                "Redis is full: maxmemory is reached and its maxmemory-policy refuses writes; let consumers drain the queues, raise maxmemory, or free memory (`pipectl doctor` shows the policy)"
                    .into(),
            ),
        );
    }
    if code == "LOADING" || matches!(err.kind(), ErrorKind::Server(ServerErrorKind::BusyLoading)) {
        // Restarted and reading its data back: nothing was run; it answers once loaded.
        return (
            Exit::Unavailable,
            Some(format!(
                "{url} is loading its data after a restart (LOADING) and runs nothing until done: try again in a moment (`redis-cli INFO persistence` shows loading_loaded_perc)"
            )),
        );
    }
    if code == "MASTERDOWN" || matches!(err.kind(), ErrorKind::Server(ServerErrorKind::MasterDown))
    {
        // A replica cut off from its primary, configured not to serve stale data.
        return (
            Exit::Unavailable,
            Some(format!(
                "{url} is a replica that lost its primary (MASTERDOWN) and serves nothing meanwhile: point --url at the primary, or wait for it (or a failover) to come back"
            )),
        );
    }
    if code == "BUSY" {
        // Another client's script or function is running: Redis answers nothing else, and
        // pipectl's step did not run.
        return (
            Exit::Unavailable,
            Some(
                "Redis is busy running another client's long script or function (BUSY) and runs nothing else until it ends: try again shortly, or end it with `redis-cli SCRIPT KILL` (`FUNCTION KILL` for a function; a script that already wrote needs `SHUTDOWN NOSAVE`)"
                    .into(),
            ),
        );
    }
    let slot_map_hole = matches!(err.kind(), redis::ErrorKind::Client)
        && err.to_string().to_ascii_lowercase().contains("slot");
    if CLUSTER.get().is_some_and(|c| *c) && (is_transient(err) || slot_map_hole) {
        return (
            Exit::Unavailable,
            Some(format!(
                "a node of the Redis Cluster at {url} did not answer, or its slots are not served: during a failover pipectl retries until --failover-timeout (by default --timeout, 10s); raise it above cluster-node-timeout plus a few seconds to ride one out, and see `pipectl doctor` for the cluster's state"
            )),
        );
    }
    if is_transient(err) {
        return (
            Exit::Unavailable,
            Some(format!(
                "is redis-server running at {url}? Point pipectl elsewhere with --url or REDIS_URL, e.g. --url redis://127.0.0.1:6380"
            )),
        );
    }
    if first
        .as_ref()
        .is_some_and(|(_, detail)| lacks_command(detail))
    {
        return (Exit::Unavailable, Some(TOO_OLD_HINT.into()));
    }
    (Exit::Failure, None)
}

/// What to do when the server lacks a command pipectl needs.
pub const TOO_OLD_HINT: &str = "upgrade to Redis 6.2 or newer; if the server is new enough, redis.conf renames or disables the command (rename-command): restore it";

/// Whether an error means Redis is gone or not ready (unreachable, connection dropped, no
/// answer in time, loading its data after a restart, cluster failing over): worth
/// reconnecting. A refusal (auth, permission, wrong type, script error) is not.
pub fn is_transient(err: &redis::RedisError) -> bool {
    use redis::{ErrorKind, ServerErrorKind};
    if untrusted_certificate(err).is_some() {
        return false;
    }
    err.is_io_error()
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
        )
}

/// Whether a server error says a command pipectl needs does not exist there: a server older
/// than 6.2 (no LMOVE/BLMOVE/SMISMEMBER, RPOP without a count), or one whose redis.conf
/// renamed or disabled the command — also when a script called it.
pub fn lacks_command(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    d.contains("unknown command")
        || d.contains("unknown redis command")
        || d.contains("wrong number of arguments for 'rpop'")
        || d.contains("wrong number of args calling redis command")
}
