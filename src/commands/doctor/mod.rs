//! `pipectl doctor`: checks that Redis and the pipeline are fit to run unattended.

mod cluster;
mod guards;
mod local;
mod server;

use anyhow::Result;

use crate::config::{Config, Handler};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::report::{Verdict, classify};
use crate::store::{Probe, Store};

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
///   dead letters with dead_letters_max: WARN from 80 % of the cap
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
/// Exit codes: 0 nothing failed (warnings allowed), 1 some check failed, 69 Redis went away
/// part-way through the checks, 78 bad configuration (the config cannot be read at all).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

/// A check's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Works, but not safely unattended.
    Warn,
    /// pipectl will not work (or will lose work) until it is fixed.
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

    fn rank(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Warn => 1,
            Status::Fail => 2,
        }
    }
}

/// `pipectl doctor`: every check, in the order run.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Doctor {
    /// No check failed (warnings allowed): exit 0.
    pub ok: bool,
    pub checks: Vec<Check>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Check {
    /// What was checked: `redis`, `eviction`, `handler build`, …
    #[serde(rename = "check")]
    pub name: String,
    pub status: Status,
    /// What was found, in words.
    pub message: String,
    /// What to do about it (null when nothing needs doing).
    pub fix: Option<String>,
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

impl Report for Doctor {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in &self.checks {
            let label = format!("{:<4}", c.status.word().to_uppercase());
            let label = match (out.color_stdout, c.status) {
                (false, _) => label,
                (true, Status::Ok) => format!("\x1b[32m{label}\x1b[0m"),
                (true, Status::Warn) => format!("\x1b[1;33m{label}\x1b[0m"),
                (true, Status::Fail) => format!("\x1b[1;31m{label}\x1b[0m"),
            };
            out.line(format_args!("{label}  {:<width$}  {}", c.name, c.message))?;
            if let Some(fix) = c.fix.as_deref().filter(|_| c.status != Status::Ok) {
                out.line(format_args!("{:<4}  {:<width$}  fix: {fix}", "", ""))?;
            }
        }
        Ok(())
    }
}

/// Redis commands pipectl relies on arrived in 6.2.
const MIN_VERSION: (u32, u32) = (6, 2);

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let doctor = execute(ctx)?;
    ctx.out.print(&doctor)?;
    Ok(if doctor.ok { Exit::Ok } else { Exit::Failure })
}

/// Runs every check. Only what stops the checks themselves is an error (the output).
pub fn execute(ctx: &mut Ctx) -> Result<Doctor> {
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
                        "{} is valid: {}",
                        path.display(),
                        crate::output::count_of(config.stages.len() as u64, "stage")
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
                local.extend(local::handler(stage));
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
                cluster::cluster_checks(&mut store, &mut checks)?;
            } else {
                server::server_checks(&mut store, None, &mut checks)?;
            }
            let opts = ctx.connect_options();
            if crate::store::sentinel::is_sentinel(&opts.url) {
                checks.push(sentinel_check(&opts));
            }
            checks.append(&mut local);
            if let Some(config) = &config {
                if cluster {
                    let slots = cluster::slot_check(&mut store, config)?;
                    let failed = slots.status == Status::Fail;
                    checks.push(slots);
                    if failed {
                        // Cross-slot scripts, or a slot nobody serves: nothing more to read.
                        return Ok(doctor(checks));
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
                checks.push(cluster::slot_fail(fail));
            }
        }
    }
    Ok(doctor(checks))
}

fn doctor(checks: Vec<Check>) -> Doctor {
    Doctor {
        ok: !checks.iter().any(|c| c.status == Status::Fail),
        checks,
    }
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

/// Redis Sentinel: the master the sentinels name, its replicas and quorum; WARN when fewer
/// than three sentinels agree on it (one more down and no failover can be agreed on).
fn sentinel_check(opts: &crate::store::ConnectOptions) -> Check {
    let topo = match crate::store::sentinel::topology(opts) {
        Ok(topo) => topo,
        Err(err) => {
            let (message, hint) = explain(&err);
            let mut c = check("sentinel", Status::Fail, message);
            c.fix = hint;
            return c;
        }
    };
    let Some((host, port)) = &topo.master else {
        return check(
            "sentinel",
            Status::Fail,
            format!(
                "none of the {} sentinels names a master '{}'",
                topo.named, topo.master_name
            ),
        )
        .fix(
            "check the master name at the end of the URL and `redis-cli -p 26379 SENTINEL MASTERS`",
        );
    };
    let count = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
    let message = format!(
        "master '{}' at {host}:{port}, {} replica(s), quorum {}; {} of {} sentinels agree ({} answered)",
        topo.master_name,
        count(topo.replicas),
        count(topo.quorum),
        topo.agree,
        topo.named,
        topo.answered
    );
    if topo.agree < 3 {
        check("sentinel", Status::Warn, message).fix(
            "run at least three sentinels on separate hosts and name them all in the URL: with fewer, one more down and no failover can be agreed on",
        )
    } else {
        check("sentinel", Status::Ok, message)
    }
}

/// The manual stages with a max_wait: (stage, its arrival zset, max_wait).
fn waited(config: &Config) -> impl Iterator<Item = (&str, String, std::time::Duration)> {
    config.stages.iter().filter_map(|s| {
        let max = s.review.max_wait?;
        let input = s.input.as_deref()?;
        Some((
            s.name.as_str(),
            crate::keys::StagedKeys::new(input).since,
            max,
        ))
    })
}

/// WARN from 80 % of dead_letters_max: the oldest are about to be trimmed.
fn dead_letter_check(config: &Config, n: u64, max: u64) -> Check {
    let list = &config.dead_letters;
    if n < crate::commands::status::retention::near_cap_threshold(max) {
        return check(
            "dead letters",
            Status::Ok,
            format!("{n} in {list}, under 80% of dead_letters_max ({max})"),
        );
    }
    check(
        "dead letters",
        Status::Warn,
        format!("{n} in {list}: 80% or more of dead_letters_max ({max}); beyond it the oldest are trimmed"),
    )
    .fix("look at why they fail (`pipectl dead ls`), retry them (`pipectl dead retry`), or keep a copy before they go (`pipectl dead trim --export FILE`)")
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
        waits: waited(config)
            .map(|(_, since, max)| (since, max.as_millis() as u64))
            .collect(),
        lists: vec![config.dead_letters.clone()],
        ..Probe::default()
    };
    let snap = store.snapshot(&probe)?;
    if let (Some(max), Some(Ok(n))) = (config.dead_letters_max, snap.lists.first()) {
        checks.push(dead_letter_check(config, *n, max));
    }
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
    for ((stage, _, max), reading) in waited(config).zip(&snap.waits) {
        if let Ok(w) = reading
            && w.overdue > 0
        {
            let max = crate::duration::format(max);
            checks.push(
                check(
                    "review",
                    Status::Warn,
                    format!(
                        "{} in stage '{stage}' waited longer than its max_wait ({max})",
                        crate::output::count_of(w.overdue, "staged item")
                    ),
                )
                .fix(format!(
                    "review them (`pipectl staged --stage {stage}` shows them as overdue), or set on_timeout = \"reject\" or \"approve\" for `pipectl run {stage}` to decide them"
                )),
            );
        }
    }
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
    guards::guard_checks(store, config, checks)
}
