//! The server checks: version, eviction policy, persistence, memory, role.

use anyhow::Result;

use super::{Check, MIN_VERSION, Status, check};
use crate::store::{Node, Product, Role, Store};

/// A line only when the server is a replica: FAIL when it refuses writes.
fn role(store: &mut Store, url: &str) -> Result<Option<Check>> {
    Ok(match store.role(None)? {
        Ok(Role::Replica { master, read_only: true }) => Some(
            check(
                "role",
                Status::Fail,
                format!("the server at {url} is a read-only replica of {master}: every write pipectl makes (enqueue, run, approve, …) fails with READONLY"),
            )
            .fix(format!("point --url (or REDIS_URL) at the master, {master}; with Sentinel, redis+sentinel://HOST:PORT/MASTER follows failovers")),
        ),
        Ok(Role::Replica { master, read_only: false }) => Some(
            check(
                "role",
                Status::Warn,
                format!("the server at {url} is a writable replica of {master}: what pipectl writes there stays there, and the next full sync from the master erases it"),
            )
            .fix(format!("point --url (or REDIS_URL) at the master, {master}")),
        ),
        Ok(Role::Master) | Err(_) => None,
    })
}

/// The server checks, on one server (`node` None) or one node of a cluster.
pub(super) fn server_checks(
    store: &mut Store,
    node: Option<&Node>,
    checks: &mut Vec<Check>,
) -> Result<()> {
    let url = match node {
        Some((host, port)) => format!("{host}:{port}"),
        None => crate::store::shown_url().unwrap_or_default().to_owned(),
    };
    checks.push(match store.server_version(node)? {
        Ok(Product { name, version }) => match parse_version(&version) {
            Some(v) if v < MIN_VERSION => check(
                "redis",
                Status::Fail,
                format!("{name} {version} at {url} is too old: pipectl needs 6.2 or newer"),
            )
            .fix("upgrade the server to Redis 6.2 or newer (e.g. image redis:7-alpine)"),
            Some(_) => check("redis", Status::Ok, format!("{name} {version} at {url}")),
            None => check(
                "redis",
                Status::Warn,
                format!("reachable at {url}, but its version '{version}' is unreadable"),
            )
            .fix("make sure it is Redis 6.2 or newer"),
        },
        Err(why) => check(
            "redis",
            Status::Warn,
            format!("reachable at {url}; cannot read its version ({why})"),
        )
        .fix("make sure it is Redis 6.2 or newer"),
    });
    // A cluster's replicas are its business (the cluster check); a single server that is a
    // replica takes no writes from pipectl.
    if node.is_none() {
        checks.extend(role(store, &url)?);
    }

    let memory_info = store.info(node, "memory")?;
    let policy = match store.config_get(node, "maxmemory-policy")? {
        Ok(Some(policy)) => Ok(policy),
        Ok(None) => Err("CONFIG GET maxmemory-policy answered nothing".to_owned()),
        Err(refused) => match &memory_info {
            Ok(info) => info.get("maxmemory_policy").cloned().ok_or(format!(
                "CONFIG GET refused ({refused}); INFO memory has no maxmemory_policy"
            )),
            Err(also) => Err(format!(
                "CONFIG GET refused ({refused}); INFO refused ({also})"
            )),
        },
    };
    checks.push(match policy {
        Ok(policy) if policy == "noeviction" => check(
            "eviction",
            Status::Ok,
            "maxmemory-policy is noeviction: Redis refuses writes when full instead of dropping keys",
        ),
        Ok(policy) => check(
            "eviction",
            Status::Fail,
            format!("maxmemory-policy is {policy}: when memory runs out Redis may evict queue, lease or dedup keys and silently lose work"),
        )
        .fix("`redis-cli CONFIG SET maxmemory-policy noeviction`, and `maxmemory-policy noeviction` in redis.conf (or --maxmemory-policy noeviction) so it survives a restart"),
        Err(why) => check("eviction", Status::Warn, format!("cannot read maxmemory-policy: {why}"))
            .fix("make sure the server's maxmemory-policy is noeviction (ask your provider, or grant the user CONFIG GET)"),
    });

    checks.push(persistence(store, node)?);
    checks.push(memory(&memory_info));
    Ok(())
}

fn persistence(store: &mut Store, node: Option<&Node>) -> Result<Check> {
    let aof = match store.config_get(node, "appendonly")? {
        Ok(value) => Ok(value.is_some_and(|v| v.eq_ignore_ascii_case("yes"))),
        Err(refused) => match store.info(node, "persistence")? {
            Ok(info) => info
                .get("aof_enabled")
                .map(|v| v == "1")
                .ok_or(format!("CONFIG GET refused ({refused})")),
            Err(also) => Err(format!(
                "CONFIG GET refused ({refused}); INFO refused ({also})"
            )),
        },
    };
    let enable = "`redis-cli CONFIG SET appendonly yes`, and `appendonly yes` in redis.conf (or --appendonly yes)";
    Ok(match aof {
        Err(why) => check("persistence", Status::Warn, format!("cannot read: {why}"))
            .fix("make sure AOF persistence is on (appendonly yes, appendfsync everysec)"),
        Ok(false) => {
            let save = store
                .config_get(node, "save")?
                .ok()
                .flatten()
                .unwrap_or_default();
            let what = if save.trim().is_empty() {
                "AOF is off and RDB snapshots are off (save \"\"): a restart loses every queue".to_owned()
            } else {
                format!("AOF is off: a crash loses what was written since the last RDB snapshot (save {save})")
            };
            check("persistence", Status::Warn, what).fix(enable)
        }
        Ok(true) => match store.config_get(node, "appendfsync")? {
            Ok(Some(fsync)) if fsync == "no" => check(
                "persistence",
                Status::Warn,
                "AOF is on, but appendfsync no leaves flushing to the OS: a crash may lose many seconds of writes",
            )
            .fix("`redis-cli CONFIG SET appendfsync everysec` (and in redis.conf)"),
            Ok(Some(fsync)) => check(
                "persistence",
                Status::Ok,
                format!("AOF is on, appendfsync {fsync}"),
            ),
            _ => check("persistence", Status::Ok, "AOF is on (appendfsync not readable)"),
        },
    })
}

fn memory(info: &crate::store::Reading<std::collections::HashMap<String, String>>) -> Check {
    let info = match info {
        Ok(info) => info,
        Err(why) => {
            return check(
                "memory",
                Status::Warn,
                format!("cannot read INFO memory: {why}"),
            )
            .fix("watch memory use with your provider's tools");
        }
    };
    let number = |field: &str| info.get(field).and_then(|v| v.parse::<u64>().ok());
    let (Some(used), max) = (number("used_memory"), number("maxmemory").unwrap_or(0)) else {
        return check("memory", Status::Warn, "INFO memory has no used_memory");
    };
    if max == 0 {
        return check(
            "memory",
            Status::Ok,
            format!(
                "{} used, no maxmemory limit (the machine's memory is the limit)",
                bytes(used)
            ),
        );
    }
    let pct = used as f64 * 100.0 / max as f64;
    let message = format!(
        "{} used of maxmemory {} ({pct:.0}%)",
        bytes(used),
        bytes(max)
    );
    let fix = "raise maxmemory, drain the queues, or purge old dead letters (`pipectl dead purge --older-than 30d`)";
    if pct >= 90.0 {
        check(
            "memory",
            Status::Fail,
            format!("{message}: writes will soon be refused"),
        )
        .fix(fix)
    } else if pct >= 75.0 {
        check("memory", Status::Warn, message).fix(fix)
    } else {
        check("memory", Status::Ok, message)
    }
}

/// "7.0.15" -> (7, 0).
fn parse_version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_sizes() {
        assert_eq!(parse_version("7.0.15"), Some((7, 0)));
        assert_eq!(parse_version("6.2.0"), Some((6, 2)));
        assert!(parse_version("6.0.9").unwrap() < MIN_VERSION);
        assert!(parse_version("6.2.14").unwrap() >= MIN_VERSION);
        assert_eq!(parse_version("x"), None);
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3 << 20), "3.0 MiB");
    }
}
