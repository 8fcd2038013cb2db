use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::json;

use crate::config::{Config, Handler, Stage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::report::{Verdict, classify};
use crate::store::{ClusterNode, Node, Probe, Store};

/// Check that Redis and the pipeline are fit to run unattended
///
/// Each check prints OK, WARN or FAIL, with the fix:
///   redis        reachable, and version 6.2 or newer (LMOVE, RPOP with a count)
///   eviction     maxmemory-policy must be noeviction: any allkeys-* or volatile-* policy
///                (allkeys-lru included) may evict queue keys and silently lose work
///   persistence  AOF on, and its appendfsync (WARN when off)
///   memory       headroom under maxmemory
///   config       pipectl.toml loads
///   handler      every exec handler exists and is executable (relative paths are taken
///                from the current directory, as `pipectl run` starts them)
///   leases       no expired leases waiting (WARN: `pipectl recover` returns them)
///   rate limit   every rate-limit window has a TTL
/// With --cluster, also:
///   cluster      cluster_state is ok, and every master has a replica to take over
///   slots        the hash slot of each pipeline's keys and the master (host:port) that
///                serves it; FAIL when one atomic step's keys would cross slots
/// and the server checks run on every node (the worst answer is shown).
/// A server that refuses CONFIG or INFO (ACLs, managed Redis) gives WARN "cannot read".
///
/// Examples:
///   pipectl doctor
///   pipectl doctor --json | jq '.checks[] | select(.status != "ok")'
///
/// Exit codes: 0 nothing failed (warnings allowed), 1 some check failed, 78 bad configuration
/// (the config cannot be read at all).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

struct Check {
    name: String,
    status: Status,
    message: String,
    fix: Option<String>,
}

fn check(name: impl Into<String>, status: Status, message: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        status,
        message: message.into(),
        fix: None,
    }
}

impl Check {
    fn fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = Some(fix.into());
        self
    }
}

/// Redis commands pipectl relies on arrived in 6.2.
const MIN_VERSION: (u32, u32) = (6, 2);

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    // Redis first, then the config and handlers, then what is in Redis for this pipeline.
    let mut local = Vec::new();
    let cluster = ctx.global.cluster;
    let config = match ctx.load_config() {
        Ok(config) => {
            local.push(match &config.source {
                crate::config::Source::File(path) => check(
                    "config",
                    Status::Ok,
                    format!(
                        "{} is valid: {} stages",
                        path.display(),
                        config.stages.len()
                    ),
                ),
                crate::config::Source::Builtin => check(
                    "config",
                    Status::Ok,
                    format!(
                        "no pipectl.toml found: the built-in {} pipeline applies",
                        config.name
                    ),
                )
                .fix("`pipectl init` writes a commented pipectl.toml to edit"),
            });
            for stage in &config.stages {
                local.extend(handler(stage));
            }
            if config
                .stages
                .iter()
                .any(|s| matches!(s.handler, Handler::Exec(_)))
            {
                local.push(check(
                    "supervision",
                    Status::Ok,
                    crate::handler::guard::LIMITS,
                ));
            }
            Some(config)
        }
        Err(err) => {
            let (message, hint) = explain(&err.into());
            let mut c = check("config", Status::Fail, message);
            c.fix = Some(hint.unwrap_or_else(|| {
                "fix the file (see `pipectl init` for a commented example)".into()
            }));
            local.push(c);
            None
        }
    };

    let mut checks = Vec::new();
    match ctx.store() {
        Ok(mut store) => {
            if cluster {
                cluster_checks(&mut store, &mut checks)?;
            } else {
                server_checks(&mut store, None, &mut checks)?;
            }
            checks.append(&mut local);
            if let Some(config) = &config {
                if cluster {
                    let slots = slot_check(&mut store, config)?;
                    let failed = slots.status == Status::Fail;
                    checks.push(slots);
                    if failed {
                        // Cross-slot scripts, or a slot nobody serves: nothing more to read.
                        return report(ctx, &checks);
                    }
                }
                if let Err(err) = lease_checks(&mut store, config, &mut checks) {
                    let (message, hint) = explain(&err);
                    let mut c = check(
                        "queues",
                        Status::Fail,
                        format!("cannot read the pipeline's queues: {message}"),
                    );
                    c.fix = hint;
                    checks.push(c);
                }
            }
        }
        Err(err) => {
            let (message, hint) = explain(&err);
            let mut c = check("redis", Status::Fail, message);
            c.fix = hint;
            checks.push(c);
            checks.append(&mut local);
            if let (Some(config), true) = (&config, cluster)
                && let Err(fail) = crate::config::check_cluster_slots(config)
            {
                checks.push(slot_fail(fail));
            }
        }
    }
    report(ctx, &checks)
}

fn report(ctx: &mut Ctx, checks: &[Check]) -> Result<Exit> {
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    if ctx.out.json {
        let list: Vec<_> = checks
            .iter()
            .map(|c| json!({"check": c.name, "status": c.status.word(), "message": c.message, "fix": c.fix}))
            .collect();
        ctx.out.json(&json!({"ok": !failed, "checks": list}))?;
    } else {
        let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in checks {
            let label = c.status.word().to_uppercase();
            ctx.out.line(format_args!(
                "{label:<4}  {:<width$}  {}",
                c.name, c.message
            ))?;
            if let Some(fix) = c.fix.as_deref().filter(|_| c.status != Status::Ok) {
                ctx.out
                    .line(format_args!("{:<4}  {:<width$}  fix: {fix}", "", ""))?;
            }
        }
    }
    Ok(if failed { Exit::Failure } else { Exit::Ok })
}

/// An error's message and hint, as the reporter would show them.
fn explain(err: &anyhow::Error) -> (String, Option<String>) {
    match classify(err) {
        Verdict::Report {
            message,
            hint,
            causes,
            ..
        } => {
            let message = match causes.last() {
                Some(cause) if *cause != message => format!("{message}: {cause}"),
                _ => message,
            };
            (message, hint)
        }
        Verdict::BrokenPipe => (err.to_string(), None),
    }
}

/// The server checks, on one server (`node` None) or one node of a cluster.
fn server_checks(store: &mut Store, node: Option<&Node>, checks: &mut Vec<Check>) -> Result<()> {
    let url = match node {
        Some((host, port)) => format!("{host}:{port}"),
        None => crate::store::shown_url().unwrap_or_default().to_owned(),
    };
    checks.push(match store.server_version(node)? {
        Ok(version) => match parse_version(&version) {
            Some(v) if v < MIN_VERSION => check(
                "redis",
                Status::Fail,
                format!("Redis {version} at {url} is too old: pipectl needs 6.2 or newer"),
            )
            .fix("upgrade the server to Redis 6.2 or newer (e.g. image redis:7-alpine)"),
            Some(_) => check("redis", Status::Ok, format!("Redis {version} at {url}")),
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

/// In a cluster: its state and replicas, then the server checks on every reachable node,
/// each check's worst answer shown once.
fn cluster_checks(store: &mut Store, checks: &mut Vec<Check>) -> Result<()> {
    let url = crate::store::shown_url().unwrap_or_default().to_owned();
    let nodes = store.cluster_nodes()?;
    let live: Vec<&ClusterNode> = nodes.iter().filter(|n| !n.failed).collect();
    let mut per_check: Vec<(String, Vec<(String, Check)>)> = Vec::new();
    for node in &live {
        let mut found = Vec::new();
        if let Err(err) = server_checks(store, Some(&node.addr), &mut found) {
            let (message, _) = explain(&err);
            found = vec![check("redis", Status::Fail, format!("cannot reach it: {message}"))
                .fix("restart it (a master's replica takes over its slots after cluster-node-timeout); `redis-cli --cluster check HOST:PORT` shows the cluster as the nodes see it")];
        }
        for c in found {
            match per_check.iter_mut().find(|(name, _)| *name == c.name) {
                Some((_, list)) => list.push((node.address(), c)),
                None => per_check.push((c.name.clone(), vec![(node.address(), c)])),
            }
        }
    }
    for (name, list) in per_check {
        checks.push(merge(&name, list));
    }
    if let Some(redis) = checks.iter_mut().find(|c| c.name == "redis")
        && redis.status == Status::Ok
    {
        redis.message = format!(
            "{} · Redis Cluster at {url}",
            redis.message.split(" at ").next().unwrap_or_default()
        );
    }
    checks.push(cluster_state(store, &nodes)?);
    Ok(())
}

/// One line for a check run on several nodes: the worst status, with the nodes that gave it.
fn merge(name: &str, list: Vec<(String, Check)>) -> Check {
    let total = list.len();
    let worst = list
        .iter()
        .map(|(_, c)| c.status)
        .max_by_key(|s| match s {
            Status::Ok => 0,
            Status::Warn => 1,
            Status::Fail => 2,
        })
        .unwrap_or(Status::Ok);
    let mut groups: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    for (addr, c) in list.into_iter().filter(|(_, c)| c.status == worst) {
        match groups.iter_mut().find(|(m, _, _)| *m == c.message) {
            Some((_, addrs, _)) => addrs.push(addr),
            None => groups.push((c.message, vec![addr], c.fix)),
        }
    }
    let fix = groups.iter().find_map(|(_, _, f)| f.clone());
    let nodes = |addrs: &[String]| {
        if addrs.len() == total && total > 1 {
            format!("all {total} nodes")
        } else {
            addrs.join(", ")
        }
    };
    let message = if worst == Status::Ok {
        // OK everywhere: one node's words (e.g. its memory use) stand for all.
        match groups.first() {
            Some((m, addrs, _)) if addrs.len() == total => format!("{m} ({})", nodes(addrs)),
            Some((m, addrs, _)) => format!(
                "{m} ({}); OK on the {} other node(s) too",
                nodes(addrs),
                total - addrs.len()
            ),
            None => String::new(),
        }
    } else {
        groups
            .iter()
            .map(|(m, addrs, _)| format!("{}: {m}", nodes(addrs)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut c = check(name, worst, message);
    c.fix = fix;
    c
}

/// cluster_state, slot coverage, and a replica behind every master.
fn cluster_state(store: &mut Store, nodes: &[ClusterNode]) -> Result<Check> {
    let info = match store.cluster_info()? {
        Ok(info) => info,
        Err(why) => {
            return Ok(check(
                "cluster",
                Status::Warn,
                format!("cannot read CLUSTER INFO: {why}"),
            )
            .fix("check the cluster with `redis-cli --cluster check HOST:PORT`"));
        }
    };
    let state = info.get("cluster_state").map_or("unknown", String::as_str);
    let slots_ok = info.get("cluster_slots_ok").map_or("?", String::as_str);
    let masters: Vec<&ClusterNode> = nodes
        .iter()
        .filter(|n| n.master && !n.slots.is_empty())
        .collect();
    let replicas = |m: &ClusterNode| {
        nodes
            .iter()
            .filter(|r| r.master_of.as_deref() == Some(m.id.as_str()) && !r.failed)
            .count()
    };
    let summary = format!(
        "cluster_state {state}: {} masters, {} replicas, {slots_ok} of 16384 slots served",
        masters.len(),
        nodes
            .iter()
            .filter(|n| n.master_of.is_some() && !n.failed)
            .count()
    );
    let unreachable: Vec<String> = nodes
        .iter()
        .filter(|n| n.failed)
        .map(ClusterNode::address)
        .collect();
    if state != "ok" || slots_ok != "16384" || masters.iter().any(|m| m.failed) {
        let what = if unreachable.is_empty() {
            summary
        } else {
            format!("{summary}; unreachable: {}", unreachable.join(", "))
        };
        return Ok(check("cluster", Status::Fail, what).fix(
            "pipectl cannot work on slots nobody serves: restart the failed masters (or wait for their replicas to take over), then `redis-cli --cluster check HOST:PORT`",
        ));
    }
    let alone: Vec<String> = masters
        .iter()
        .filter(|m| !m.failed && replicas(m) == 0)
        .map(|m| m.address())
        .collect();
    if !alone.is_empty() {
        return Ok(check(
            "cluster",
            Status::Warn,
            format!(
                "{summary}; no replica behind {}: if it fails, its slots and the pipelines there stop until it returns",
                alone.join(", ")
            ),
        )
        .fix("add a replica: `redis-cli --cluster add-node NEW_HOST:PORT HOST:PORT --cluster-slave`"));
    }
    Ok(check("cluster", Status::Ok, summary))
}

/// Where each pipeline's keys live: the hash slot and the master serving it; FAIL with the
/// fix when one atomic step's keys would cross slots.
fn slot_check(store: &mut Store, config: &Config) -> Result<Check> {
    if let Err(fail) = crate::config::check_cluster_slots(config) {
        return Ok(slot_fail(fail));
    }
    let nodes = store.cluster_nodes()?;
    // Each stage's keys share one slot (checked above); group the stages by slot.
    let mut slots: Vec<(u16, Vec<&str>)> = Vec::new();
    for stage in &config.stages {
        let Some(key) = stage.input.as_ref().or(stage.output.as_ref()) else {
            continue;
        };
        let slot = crate::keys::hash_slot(key);
        match slots.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, names)) => names.push(&stage.name),
            None => slots.push((slot, vec![&stage.name])),
        }
    }
    let mut parts = Vec::new();
    let mut unserved = Vec::new();
    for (slot, stages) in &slots {
        let master = nodes.iter().find(|n| n.master && n.serves(*slot));
        let owner = match master {
            Some(m) if m.failed => {
                unserved.push(*slot);
                format!("master {}, which is unreachable", m.address())
            }
            Some(m) => {
                let replicas: Vec<String> = nodes
                    .iter()
                    .filter(|r| r.master_of.as_deref() == Some(m.id.as_str()) && !r.failed)
                    .map(ClusterNode::address)
                    .collect();
                if replicas.is_empty() {
                    format!("master {}", m.address())
                } else {
                    format!("master {} (replica {})", m.address(), replicas.join(", "))
                }
            }
            None => {
                unserved.push(*slot);
                "no master".to_owned()
            }
        };
        let whose = if slots.len() == 1 {
            format!("pipeline {}", config.name)
        } else {
            format!("stages {}", stages.join(", "))
        };
        parts.push(format!("{whose}: hash slot {slot} on {owner}"));
    }
    if !unserved.is_empty() {
        return Ok(check("slots", Status::Fail, parts.join("; "))
            .fix("the cluster has lost these slots: restart their master or promote a replica (`redis-cli -p REPLICA_PORT CLUSTER FAILOVER TAKEOVER`)"));
    }
    Ok(check("slots", Status::Ok, parts.join("; ")))
}

fn slot_fail(fail: crate::error::Fail) -> Check {
    let mut c = check("slots", Status::Fail, fail.message);
    c.fix = fail.hint;
    c
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

fn lease_checks(store: &mut Store, config: &Config, checks: &mut Vec<Check>) -> Result<()> {
    let probe = Probe {
        queues: config
            .stages
            .iter()
            .filter_map(|s| s.input.clone())
            .collect(),
        windows: config
            .stages
            .iter()
            .filter_map(|s| s.rate_limit.as_ref().map(|r| r.key.clone()))
            .collect(),
        ..Probe::default()
    };
    let snap = store.snapshot(&probe)?;
    let mut stale = Vec::new();
    for (queue, reading) in probe.queues.iter().zip(&snap.queues) {
        match reading {
            Ok(q) if q.expired > 0 => stale.push(format!("{} on {queue}", q.expired)),
            Ok(_) => {}
            Err(e) => checks.push(
                check("queues", Status::Fail, format!("cannot read {queue} and its companion keys: {e}"))
                    .fix(format!("inspect them with `redis-cli TYPE {queue}`; rename or delete what is not pipectl's")),
            ),
        }
    }
    checks.push(if stale.is_empty() {
        check("leases", Status::Ok, "no expired leases")
    } else {
        check("leases", Status::Warn, format!("expired leases waiting: {}", stale.join(", ")))
            .fix("`pipectl recover` returns them to their queues now (the next pop or run also does); if it keeps happening, raise the stage's timeout")
    });
    for (key, reading) in probe.windows.iter().zip(&snap.windows) {
        if let Ok(w) = reading
            && w.pttl_ms == -1
            && w.value.is_some()
        {
            checks.push(
                check(
                    "rate limit",
                    Status::Warn,
                    format!("{key} has no TTL: its window never reopens"),
                )
                .fix(format!(
                    "`redis-cli DEL {key}` resets it (set it with EX, as `SET {key} 15 EX 3600`)"
                )),
            );
        }
    }
    Ok(())
}

/// The exec handler's program: found, a file, executable.
fn handler(stage: &Stage) -> Vec<Check> {
    let name = format!("handler {}", stage.name);
    match &stage.handler {
        Handler::Manual => Vec::new(),
        Handler::Http(http) => {
            let missing: Vec<String> = http
                .headers
                .values()
                .flat_map(|v| env_refs(v))
                .filter(|var| std::env::var_os(var).is_none_or(|v| v.is_empty()))
                .collect();
            if missing.is_empty() {
                vec![check(name, Status::Ok, format!("POST {}", http.url))]
            } else {
                vec![
                    check(
                        name,
                        Status::Warn,
                        format!("headers use {} but it is not set here", missing.join(", ")),
                    )
                    .fix("export it in the environment `pipectl run` runs in (e.g. the crontab)"),
                ]
            }
        }
        Handler::Exec(argv) => {
            let Some(program) = argv.first() else {
                return vec![check(name, Status::Fail, "exec names no program")];
            };
            vec![exec_check(name, program)]
        }
    }
}

fn exec_check(name: String, program: &str) -> Check {
    let found: Option<PathBuf> = if program.contains('/') {
        Some(PathBuf::from(program))
    } else {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(program))
                .find(|p| p.is_file())
        })
    };
    let Some(path) = found else {
        return check(name, Status::Fail, format!("{program} is not on PATH"))
            .fix("install it, or write its full path in exec");
    };
    let shown = path.display();
    match std::fs::metadata(&path) {
        Err(_) => check(name, Status::Fail, format!("{shown} does not exist"))
            .fix(format!(
                "create it, or fix the path in exec (relative paths start from the directory pipectl runs in: {})",
                std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default()
            )),
        Ok(meta) if !meta.is_file() => {
            check(name, Status::Fail, format!("{shown} is not a file")).fix("point exec at a program")
        }
        Ok(meta) if !is_executable(&path, &meta) => {
            check(name, Status::Fail, format!("{shown} is not executable")).fix(format!("chmod +x {shown}"))
        }
        Ok(_) => check(name, Status::Ok, format!("{shown} is executable")),
    }
}

#[cfg(unix)]
fn is_executable(_path: &Path, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_path: &Path, _meta: &std::fs::Metadata) -> bool {
    true
}

/// The `${VAR}` names a header value refers to.
fn env_refs(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
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
        assert_eq!(env_refs("Bearer ${A} ${B}x${"), ["A", "B"]);
    }
}
