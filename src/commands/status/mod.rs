//! `pipectl status`: the whole pipeline in one pipelined read, as one typed result.

pub mod retention;
mod text;
mod window;
use window::Window;

pub use retention::DeadLetters;

use std::time::Duration;

use anyhow::Result;

use crate::config::{Config, Handler, Stage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::guards::state;
use crate::keys;
use crate::store::{Probe, QueueReading, Reading, Snapshot, Store};

/// Show the whole pipeline on one screen
///
/// Per stage: the length of its input queue, items in flight under a lease (and how many of
/// those leases have expired), its delayed entries (retries waiting out a backoff and items
/// enqueued with --in/--at, and how many are due), whether it is paused (and why), what is left
/// of its rate limit and when the window reopens, and today's processed and failed counters.
/// Then the items staged for review (the inputs of manual stages) and the dead letters.
/// Everything is read in one pipelined round trip, so the numbers are a near-instant snapshot.
/// The table fits the terminal (COLUMNS): narrower, it drops the input column first, then
/// the least needed counts. A key of the wrong type spoils only its own cells (shown `?`,
/// null in JSON) and makes the exit 65; nothing unread is ever shown as a number.
///
/// --watch redraws in place on a terminal until Ctrl-C; elsewhere it prints a snapshot each
/// time (an NDJSON stream with --json). While Redis is down it says so, and keeps trying.
///
/// Examples:
///   pipectl status
///   pipectl status --watch 2s
///   pipectl status --json | jq '.stages[] | select(.expired_leases > 0) | .name'
///
/// Exit codes: 0 shown, 1 the output could not be written, 65 a key holds another type (the
/// rest is shown), 69 Redis unavailable, loading or a read-only replica, 77 not permitted, 78
/// bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Refresh every SECONDS (or a duration: 500ms, 2s, 1m) until Ctrl-C
    #[arg(long, value_parser = crate::duration::positive, value_name = "SECONDS")]
    pub watch: Option<Duration>,
}

/// `pipectl status`: one snapshot of the pipeline.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Status {
    /// The pipeline's name (the default key prefix).
    pub pipeline: String,
    /// The server read, its password redacted.
    pub server: String,
    /// When the snapshot was read.
    pub read_at: String,
    /// Every stage, in the config's order.
    pub stages: Vec<StageStatus>,
    pub staged: Staged,
    pub dead_letters: DeadLetters,
}

/// What a stage runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// No handler: items wait for `approve` / `reject`.
    Manual,
    /// No input queue: the handler's output is enqueued.
    Source,
    Exec,
    Http,
}

/// One stage. A count is null when the stage has no input queue, or when it could not be
/// read (then `errors` says why).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StageStatus {
    pub name: String,
    pub kind: Kind,
    /// Its input queue (null for a source stage).
    pub input: Option<String>,
    /// Its output queue (null for the last stage).
    pub output: Option<String>,
    /// Items waiting in the input queue (LLEN).
    pub queued: Option<u64>,
    /// Items claimed under a lease.
    pub leased: Option<u64>,
    /// Of those, leases past their deadline (`pipectl recover` returns them).
    pub expired_leases: Option<u64>,
    /// Entries of the input's delayed set (`<queue>:delayed`, ZCARD): retries waiting out a
    /// backoff and items enqueued with `--in`/`--at`, not yet in the queue.
    pub delayed: Option<u64>,
    /// Of those, entries already due (retries or delayed enqueues): the next claim moves
    /// them into the queue.
    pub due_retries: Option<u64>,
    /// Whether its pause flag is set.
    pub paused: Option<bool>,
    /// The reason given with `pipectl pause --reason` (null when not paused).
    pub paused_reason: Option<String>,
    /// Its rate-limit window (null when the stage has none).
    pub rate_limit: Option<RateLimit>,
    /// A manual stage: how long its longest-waiting item has waited, in ms (null when no
    /// arrival is known, or for other stages).
    pub oldest_staged_ms: Option<u64>,
    /// A manual stage with max_wait: items that waited longer (null otherwise).
    pub overdue: Option<u64>,
    /// Today's counters for the stage.
    pub today: Today,
    /// Its sending windows, circuit breaker and budget (null for a stage without any).
    pub guards: Option<crate::guards::state::GuardStatus>,
    /// What could not be read, each naming its key.
    pub errors: Vec<String>,
}

/// A rate-limit window, read from its counter (value = uses so far, TTL = until it reopens).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RateLimit {
    /// The counter's key.
    pub key: String,
    /// Uses allowed per window.
    pub limit: u64,
    /// The window's length.
    pub per_ms: u64,
    /// Uses so far in this window.
    pub used: Option<u64>,
    pub remaining: Option<u64>,
    /// Until the window reopens (null when no window is open).
    pub resets_in_ms: Option<u64>,
    /// The counter has no TTL: the window never reopens by itself.
    pub never_resets: Option<bool>,
}

/// Today's counters (`stats:<pipeline>:<stage>:<event>:<date>`); null when unreadable.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Today {
    /// Items settled in any way.
    pub processed: Option<i64>,
    pub succeeded: Option<i64>,
    /// Retried or dead-lettered.
    pub failed: Option<i64>,
    pub retried: Option<i64>,
    pub deferred: Option<i64>,
    /// Dead-lettered.
    pub dead: Option<i64>,
    /// Handed to a person with a question (the handler's `review` control).
    pub escalated: Option<i64>,
}

impl Today {
    fn set(&mut self, event: &str, value: Option<i64>) {
        let slot = match event {
            "processed" => &mut self.processed,
            "succeeded" => &mut self.succeeded,
            "failed" => &mut self.failed,
            "retried" => &mut self.retried,
            "deferred" => &mut self.deferred,
            "dead" => &mut self.dead,
            "escalated" => &mut self.escalated,
            _ => return,
        };
        *slot = value;
    }
}

/// Items staged for review: the inputs of manual stages.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Staged {
    /// Their total (null when one of them could not be read).
    pub count: Option<u64>,
    pub queues: Vec<String>,
}

impl Status {
    /// Whether some key could not be read (a key of the wrong type): exit 65.
    pub fn spoiled(&self) -> bool {
        self.dead_letters.error.is_some() || self.stages.iter().any(|s| !s.errors.is_empty())
    }
}

/// Reads the pipeline's snapshot in one round trip, the guards of guarded stages included.
pub fn execute(config: &Config, store: &mut Store) -> Result<Status> {
    execute_with(config, store, Probe::default()).map(|(status, _)| status)
}

/// [`execute`], with the reads `extra` names made in the same round trip: the status and a
/// snapshot of those reads alone (`/metrics` and the dashboard).
pub fn execute_with(
    config: &Config,
    store: &mut Store,
    extra: Probe,
) -> Result<(Status, Snapshot)> {
    let day = crate::date::today().to_string();
    let (mut probe, plan) = probe(config, &day);
    let marks = probe.append(extra);
    let mut snapshot = store.snapshot(&probe)?;
    let extras = snapshot.split_off(&marks);
    let guards = (plan.guards.iter().zip(&config.stages))
        .map(|(p, stage)| {
            p.as_ref()
                .map(|p| state::evaluate(stage, p, &snapshot))
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    let mut status = build(config, &plan, &day, snapshot);
    for (shown, guards) in status.stages.iter_mut().zip(guards) {
        shown.guards = guards;
    }
    Ok((status, extras))
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    let Some(every) = args.watch else {
        let status = execute(&config, &mut ctx.store()?)?;
        ctx.out.print(&status)?;
        return Ok(if status.spoiled() {
            Exit::DataErr
        } else {
            Exit::Ok
        });
    };
    let redraw = ctx.out.stdout_tty && !ctx.out.json;
    // Watching: a Redis that goes away (a restart, a network blip) is shown and retried,
    // not the end of the watch.
    let mut store: Option<Store> = None;
    let mut first = true;
    loop {
        let read = match store.take() {
            Some(s) => Ok(s),
            None => ctx.store(),
        }
        .and_then(|mut s| {
            let status = execute(&config, &mut s)?;
            store = Some(s);
            Ok(status)
        });
        if redraw {
            // Home and clear, then the whole frame in one write: no flicker, no leftovers.
            ctx.out.write_bytes(b"\x1b[H\x1b[2J")?;
        } else if !first && !ctx.out.json {
            ctx.out.line("")?;
        }
        first = false;
        match read {
            Ok(status) => ctx.out.print(&status)?,
            Err(err) => {
                let message = format!(
                    "{}; trying again every {}",
                    text::why(&err),
                    crate::duration::format(every)
                );
                if ctx.out.json {
                    ctx.out.warn(message);
                } else {
                    let stamp = jiff::Timestamp::now()
                        .to_zoned_datetime(crate::date::local_zone())
                        .strftime("%H:%M:%S")
                        .to_string();
                    ctx.out.line(format_args!("{stamp} {message}"))?;
                }
            }
        }
        ctx.out.flush()?;
        std::thread::sleep(every);
    }
}

/// Where each stage's readings sit in the snapshot.
struct Plan {
    /// Per stage: index into `queues` (stages with an input).
    queue: Vec<Option<usize>>,
    /// Per stage: index into `strings` of the pause flag; the counters follow it.
    strings: Vec<usize>,
    /// Per stage: index into `windows` (stages with a rate limit).
    window: Vec<Option<usize>>,
    /// Per stage: index into `waits` (manual stages).
    wait: Vec<Option<usize>>,
    /// Index into `strings` of the dead-letter removal totals (trimmed, then purged).
    dead: usize,
    /// Per stage: where its guards' readings are (guarded stages).
    guards: Vec<Option<state::Plan>>,
}

fn probe(config: &Config, day: &str) -> (Probe, Plan) {
    let mut probe = Probe::default();
    let mut plan = Plan {
        queue: Vec::new(),
        strings: Vec::new(),
        window: Vec::new(),
        wait: Vec::new(),
        dead: 0,
        guards: Vec::new(),
    };
    for stage in &config.stages {
        plan.queue.push(stage.input.as_ref().map(|input| {
            probe.queues.push(input.clone());
            probe.queues.len() - 1
        }));
        plan.strings.push(probe.strings.len());
        probe.strings.push(keys::paused(&config.name, &stage.name));
        for event in keys::STAGE_EVENTS {
            probe.strings.push(keys::counter(
                &keys::stage_counter(&config.name, &stage.name, event),
                day,
            ));
        }
        plan.window.push(stage.rate_limit.as_ref().map(|rl| {
            probe.windows.push(rl.key.clone());
            probe.windows.len() - 1
        }));
        let staged = stage
            .input
            .as_ref()
            .filter(|_| matches!(stage.handler, Handler::Manual));
        plan.wait.push(staged.map(|input| {
            // 0 means none; a max_wait is at least 1ms.
            let max_wait = stage
                .review
                .max_wait
                .map_or(0, |d| (d.as_millis() as u64).max(1));
            probe
                .waits
                .push((keys::StagedKeys::new(input).since, max_wait));
            probe.waits.len() - 1
        }));
        plan.guards.push(state::probe(config, stage, &mut probe));
    }
    probe.lists.push(config.dead_letters.clone());
    plan.dead = retention::probe(config, &mut probe);
    (probe, plan)
}

fn no_reply<T>() -> Reading<T> {
    Err("no reply".into())
}

fn build(config: &Config, plan: &Plan, day: &str, snap: Snapshot) -> Status {
    let Snapshot {
        queues,
        lists,
        strings,
        windows,
        waits,
        ..
    } = snap;
    let string =
        |i: usize| -> Reading<Option<String>> { strings.get(i).cloned().unwrap_or_else(no_reply) };
    let stages: Vec<StageStatus> = config
        .stages
        .iter()
        .enumerate()
        .map(|(n, stage)| {
            let mut errors = Vec::new();
            let mut note = |key: &str, e: &str| errors.push(format!("{key}: {e}"));
            let queue: Option<QueueReading> =
                plan.queue[n].and_then(|i| match queues.get(i).cloned().unwrap_or_else(no_reply) {
                    Ok(q) => Some(q),
                    Err(e) => {
                        note(stage.input.as_deref().unwrap_or_default(), &e);
                        None
                    }
                });
            let at = plan.strings.get(n).copied().unwrap_or(usize::MAX);
            let paused_key = keys::paused(&config.name, &stage.name);
            let paused = match string(at) {
                Ok(flag) => Some(flag),
                Err(e) => {
                    note(&paused_key, &e);
                    None
                }
            };
            let mut today = Today::default();
            for (k, event) in keys::STAGE_EVENTS.iter().enumerate() {
                let key =
                    keys::counter(&keys::stage_counter(&config.name, &stage.name, event), day);
                let value = match string(at.saturating_add(k + 1)) {
                    Ok(None) => Some(0),
                    Ok(Some(text)) => match text.trim().parse() {
                        Ok(n) => Some(n),
                        Err(_) => {
                            note(&key, &format!("holds {text:?}, not a number"));
                            None
                        }
                    },
                    Err(e) => {
                        note(&key, &e);
                        None
                    }
                };
                today.set(event, value);
            }
            let rate_limit = stage.rate_limit.as_ref().map(|rl| {
                let reading = plan.window[n].map_or_else(no_reply, |i| {
                    windows.get(i).cloned().unwrap_or_else(no_reply)
                });
                let w = match reading {
                    Ok(w) => Some(Window::read(&w, rl.limit)),
                    Err(e) => {
                        note(&rl.key, &e);
                        None
                    }
                };
                RateLimit {
                    key: rl.key.clone(),
                    limit: rl.limit,
                    per_ms: u64::try_from(rl.per.0.as_millis()).unwrap_or(u64::MAX),
                    used: w.as_ref().map(|w| w.used),
                    remaining: w.as_ref().map(|w| w.remaining),
                    resets_in_ms: w.as_ref().and_then(|w| w.resets_in_ms),
                    never_resets: w.as_ref().map(|w| w.stuck),
                }
            });
            let wait =
                plan.wait[n].and_then(|i| match waits.get(i).cloned().unwrap_or_else(no_reply) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        let since =
                            keys::StagedKeys::new(stage.input.as_deref().unwrap_or_default()).since;
                        note(&since, &e);
                        None
                    }
                });
            StageStatus {
                name: stage.name.clone(),
                oldest_staged_ms: wait.and_then(|w| w.oldest_ms),
                overdue: wait
                    .filter(|_| stage.review.max_wait.is_some())
                    .map(|w| w.overdue),
                kind: kind(stage),
                input: stage.input.clone(),
                output: stage.output.clone(),
                queued: queue.as_ref().map(|q| q.len),
                leased: queue.as_ref().map(|q| q.leased),
                expired_leases: queue.as_ref().map(|q| q.expired),
                delayed: queue.as_ref().map(|q| q.delayed),
                due_retries: queue.as_ref().map(|q| q.due),
                paused: paused.as_ref().map(Option::is_some),
                paused_reason: paused.flatten(),
                rate_limit,
                today,
                guards: None,
                errors,
            }
        })
        .collect();
    let manual: Vec<&StageStatus> = stages
        .iter()
        .filter(|s| s.kind == Kind::Manual && s.input.is_some())
        .collect();
    let staged = Staged {
        count: manual.iter().map(|s| s.queued).sum(),
        queues: manual.iter().filter_map(|s| s.input.clone()).collect(),
    };
    let dead = lists.into_iter().next().unwrap_or_else(no_reply);
    Status {
        pipeline: config.name.clone(),
        server: crate::store::shown_url().unwrap_or_default().to_owned(),
        read_at: crate::output::timestamp(),
        stages,
        staged,
        dead_letters: retention::dead_letters(
            config,
            dead,
            [string(plan.dead), string(plan.dead + 1)],
        ),
    }
}

pub fn kind(stage: &Stage) -> Kind {
    match (&stage.handler, &stage.input) {
        (Handler::Manual, _) => Kind::Manual,
        (_, None) => Kind::Source,
        (Handler::Exec(_), _) => Kind::Exec,
        (Handler::Http(_), _) => Kind::Http,
    }
}

#[cfg(test)]
mod tests;
