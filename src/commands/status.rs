use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Result;
use serde_json::{Map, Value, json};

use crate::config::{Config, Handler, Stage};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;
use crate::store::{Probe, QueueReading, Reading, Snapshot, Store, WindowReading};

/// Show the whole pipeline on one screen
///
/// Per stage: the length of its input queue, items in flight under a lease (and how many of
/// those leases have expired), delayed retries, whether it is paused (and why), what is left
/// of its rate limit and when the window reopens, and today's processed and failed counters.
/// Then the items staged for review (the inputs of manual stages) and the dead letters.
/// Everything is read in one pipelined round trip, so the numbers are a near-instant snapshot.
///
/// --watch redraws in place on a terminal until Ctrl-C; elsewhere it prints a snapshot each
/// time (an NDJSON stream with --json).
///
/// Examples:
///   pipectl status
///   pipectl status --watch 2s
///   pipectl status --json | jq '.stages[] | select(.expired_leases > 0) | .name'
///
/// Exit codes: 0 shown, 1 the output could not be written, 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Refresh every SECONDS (or a duration: 500ms, 2s, 1m) until Ctrl-C
    #[arg(long, value_parser = crate::duration::positive, value_name = "SECONDS")]
    pub watch: Option<Duration>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    let redraw = args.watch.is_some() && ctx.out.stdout_tty && !ctx.out.json;
    let Some(every) = args.watch else {
        let day = super::today().to_string();
        let (probe, plan) = probe(&config, &day);
        let snapshot = ctx.store()?.snapshot(&probe)?;
        show(ctx, &config, &View::new(&config, &plan, snapshot), false)?;
        return Ok(Exit::Ok);
    };
    // Watching: a Redis that goes away (a restart, a network blip) is shown and retried,
    // not the end of the watch.
    let mut store: Option<Store> = None;
    loop {
        let day = super::today().to_string();
        let (probe, plan) = probe(&config, &day);
        let snapshot = match store.take() {
            Some(s) => Ok(s),
            None => ctx.store(),
        }
        .and_then(|mut s| {
            let snapshot = s.snapshot(&probe)?;
            store = Some(s);
            Ok(snapshot)
        });
        match snapshot {
            Ok(snapshot) => show(ctx, &config, &View::new(&config, &plan, snapshot), redraw)?,
            Err(err) => {
                let (top, root) = (err.to_string(), err.root_cause().to_string());
                let why = if root == top {
                    top
                } else {
                    format!("{top}: {root}")
                };
                let message = format!(
                    "{why}; trying again every {}",
                    crate::duration::format(every)
                );
                if redraw {
                    ctx.out.line(format_args!("\x1b[H\x1b[2J{message}"))?;
                    ctx.out.flush()?;
                } else {
                    ctx.out.warn(message);
                }
            }
        }
        if !redraw && !ctx.out.json {
            ctx.out.line("")?;
        }
        ctx.out.flush()?;
        std::thread::sleep(every);
    }
}

/// Prints one snapshot: a JSON document, or the text view (redrawn in place when watching).
fn show(ctx: &mut Ctx, config: &Config, view: &View<'_>, redraw: bool) -> Result<()> {
    if ctx.out.json {
        ctx.out.json(&view.to_json(config))?;
    } else {
        let mut frame = String::new();
        if redraw {
            // Home and clear, then the whole frame in one write: no flicker, no leftovers.
            frame.push_str("\x1b[H\x1b[2J");
        }
        frame.push_str(&view.render(ctx, config));
        ctx.out.line(frame.trim_end())?;
    }
    ctx.out.flush()?;
    Ok(())
}

/// Where each stage's readings sit in the snapshot.
struct Plan {
    /// Per stage: index into `queues` (stages with an input).
    queue: Vec<Option<usize>>,
    /// Per stage: index into `strings` of the pause flag; the counters follow it.
    strings: Vec<usize>,
    /// Per stage: index into `windows` (stages with a rate limit).
    window: Vec<Option<usize>>,
}

fn probe(config: &Config, day: &str) -> (Probe, Plan) {
    let mut probe = Probe::default();
    let mut plan = Plan {
        queue: Vec::new(),
        strings: Vec::new(),
        window: Vec::new(),
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
    }
    probe.lists.push(config.dead_letters.clone());
    (probe, plan)
}

struct StageView<'a> {
    stage: &'a Stage,
    queue: Option<Reading<QueueReading>>,
    paused: Reading<Option<String>>,
    /// Today's counters, in `keys::STAGE_EVENTS` order.
    today: Vec<Reading<i64>>,
    window: Option<Reading<WindowReading>>,
}

struct View<'a> {
    stages: Vec<StageView<'a>>,
    dead: Reading<u64>,
}

impl<'a> View<'a> {
    fn new(config: &'a Config, plan: &Plan, snap: Snapshot) -> View<'a> {
        let Snapshot {
            queues,
            lists,
            strings,
            windows,
        } = snap;
        let string = |i: usize| -> Reading<Option<String>> {
            strings
                .get(i)
                .cloned()
                .unwrap_or_else(|| Err("no reply".into()))
        };
        let stages = config
            .stages
            .iter()
            .enumerate()
            .map(|(n, stage)| {
                let at = plan.strings.get(n).copied().unwrap_or(usize::MAX);
                StageView {
                    stage,
                    queue: plan.queue[n].and_then(|i| queues.get(i).cloned()),
                    paused: string(at),
                    today: (1..=keys::STAGE_EVENTS.len())
                        .map(|k| {
                            string(at.saturating_add(k))
                                .map(|v| v.and_then(|s| s.trim().parse().ok()).unwrap_or(0))
                        })
                        .collect(),
                    window: plan.window[n].and_then(|i| windows.get(i).cloned()),
                }
            })
            .collect();
        View {
            stages,
            dead: lists
                .into_iter()
                .next()
                .unwrap_or_else(|| Err("no reply".into())),
        }
    }

    /// Items waiting in the inputs of manual stages (staged for review).
    fn staged(&self) -> (u64, Vec<&str>) {
        let mut count = 0;
        let mut queues = Vec::new();
        for s in &self.stages {
            if let (Handler::Manual, Some(input)) = (&s.stage.handler, s.stage.input.as_deref()) {
                queues.push(input);
                if let Some(Ok(q)) = &s.queue {
                    count += q.len;
                }
            }
        }
        (count, queues)
    }

    fn to_json(&self, config: &Config) -> Value {
        let stages: Vec<Value> = self
            .stages
            .iter()
            .map(|s| {
                let mut errors: Vec<&str> = Vec::new();
                let q = s.queue.as_ref().and_then(|r| ok(r, &mut errors));
                let paused = ok(&s.paused, &mut errors).map(Option::as_deref);
                let mut today = Map::new();
                for (event, value) in keys::STAGE_EVENTS.iter().zip(&s.today) {
                    let value = ok(value, &mut errors).copied();
                    today.insert((*event).into(), value.into());
                }
                let rate_limit = s.stage.rate_limit.as_ref().map(|rl| {
                    let w = s
                        .window
                        .as_ref()
                        .and_then(|r| ok(r, &mut errors))
                        .map(|w| Window::read(w, rl.limit));
                    json!({
                        "key": rl.key,
                        "limit": rl.limit,
                        "per": crate::duration::format(rl.per.0),
                        "used": w.as_ref().map(|w| w.used),
                        "remaining": w.as_ref().map(|w| w.remaining),
                        "resets_in_ms": w.as_ref().and_then(|w| w.resets_in_ms),
                        "never_resets": w.as_ref().map(|w| w.stuck),
                    })
                });
                json!({
                    "name": s.stage.name,
                    "kind": kind(s.stage),
                    "input": s.stage.input,
                    "output": s.stage.output,
                    "queued": q.map(|q| q.len),
                    "leased": q.map(|q| q.leased),
                    "expired_leases": q.map(|q| q.expired),
                    "delayed": q.map(|q| q.delayed),
                    "due_retries": q.map(|q| q.due),
                    "paused": paused.map(|p| p.is_some()),
                    "paused_reason": paused.flatten(),
                    "rate_limit": rate_limit,
                    "today": today,
                    "errors": errors,
                })
            })
            .collect();
        let (staged, staged_queues) = self.staged();
        json!({
            "pipeline": config.name,
            "at": jiff::Timestamp::now().to_string(),
            "stages": stages,
            "staged": {"count": staged, "queues": staged_queues},
            "dead_letters": {
                "key": config.dead_letters,
                "count": self.dead.as_ref().ok(),
            },
        })
    }

    fn render(&self, ctx: &Ctx, config: &Config) -> String {
        let mut out = String::new();
        let now = jiff::Timestamp::now()
            .to_zoned_datetime(super::local_zone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string();
        let server = crate::store::shown_url().unwrap_or_default();
        writeln!(out, "pipeline {} · {server} · {now}", config.name).ok();
        let mut table = ctx.out.new_table(&[
            "stage",
            "input",
            "queued",
            "leased",
            "delayed",
            "state",
            "rate limit",
            "processed",
            "failed",
        ]);
        let processed = event_index("processed");
        let failed = event_index("failed");
        let mut warnings = Vec::new();
        for s in &self.stages {
            let (waiting, leased, delayed) = match &s.queue {
                None => ("-".to_owned(), "-".to_owned(), "-".to_owned()),
                Some(Err(e)) => {
                    warnings.push(format!(
                        "cannot read {}: {e}",
                        s.stage.input.as_deref().unwrap_or_default()
                    ));
                    ("?".to_owned(), "?".to_owned(), "?".to_owned())
                }
                Some(Ok(q)) => {
                    if q.expired > 0 {
                        warnings.push(format!(
                            "{} expired lease(s) on {}: `pipectl recover` returns them now (the next pop does too)",
                            q.expired,
                            s.stage.input.as_deref().unwrap_or_default()
                        ));
                    }
                    let leased = if q.expired > 0 {
                        format!("{} ({} expired)", q.leased, q.expired)
                    } else {
                        q.leased.to_string()
                    };
                    let delayed = if q.due > 0 {
                        format!("{} ({} due)", q.delayed, q.due)
                    } else {
                        q.delayed.to_string()
                    };
                    (q.len.to_string(), leased, delayed)
                }
            };
            let state = match &s.paused {
                Ok(Some(reason)) if reason.is_empty() => "PAUSED".to_owned(),
                Ok(Some(reason)) => format!("PAUSED: {}", crate::output::truncate(reason, 40)),
                Ok(None) if kind(s.stage) == "manual" => "manual".to_owned(),
                Ok(None) => "active".to_owned(),
                Err(e) => {
                    warnings.push(format!(
                        "cannot read {}: {e}",
                        keys::paused(&config.name, &s.stage.name)
                    ));
                    "?".to_owned()
                }
            };
            let rate = match (&s.stage.rate_limit, &s.window) {
                (Some(rl), Some(Ok(w))) => {
                    let w = Window::read(w, rl.limit);
                    if w.stuck {
                        warnings.push(format!(
                            "rate-limit key {} has no TTL: its window never reopens; `redis-cli DEL {}` resets it",
                            rl.key, rl.key
                        ));
                    }
                    w.describe(rl.limit)
                }
                (Some(rl), Some(Err(e))) => {
                    warnings.push(format!("cannot read {}: {e}", rl.key));
                    "?".to_owned()
                }
                _ => "-".to_owned(),
            };
            let count = |i: usize| match s.today.get(i) {
                Some(Ok(n)) => n.to_string(),
                _ => "?".to_owned(),
            };
            table.add_row(vec![
                s.stage.name.clone(),
                s.stage.input.clone().unwrap_or_else(|| "(source)".into()),
                waiting,
                leased,
                delayed,
                state,
                rate,
                count(processed),
                count(failed),
            ]);
        }
        writeln!(out, "{table}").ok();
        let (staged, staged_queues) = self.staged();
        if !staged_queues.is_empty() {
            writeln!(
                out,
                "staged for review: {staged} ({})",
                staged_queues.join(", ")
            )
            .ok();
        }
        match &self.dead {
            Ok(n) => {
                let hint = if *n > 0 { " · pipectl dead ls" } else { "" };
                writeln!(out, "dead letters: {n} ({}){hint}", config.dead_letters).ok();
            }
            Err(e) => {
                writeln!(out, "dead letters: ? ({}: {e})", config.dead_letters).ok();
            }
        }
        for w in warnings {
            writeln!(out, "warning: {w}").ok();
        }
        out
    }
}

/// A reading's value, or None with its error noted.
fn ok<'r, T>(reading: &'r Reading<T>, errors: &mut Vec<&'r str>) -> Option<&'r T> {
    match reading {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn event_index(event: &str) -> usize {
    keys::STAGE_EVENTS
        .iter()
        .position(|e| *e == event)
        .unwrap_or(usize::MAX)
}

pub fn kind(stage: &Stage) -> &'static str {
    match (&stage.handler, &stage.input) {
        (Handler::Manual, _) => "manual",
        (_, None) => "source",
        (Handler::Exec(_), _) => "exec",
        (Handler::Http(_), _) => "http",
    }
}

/// A rate-limit window read from its counter: value = uses so far, TTL = until it reopens.
struct Window {
    used: u64,
    remaining: u64,
    resets_in_ms: Option<i64>,
    /// The counter exists but has no TTL: the window never reopens by itself.
    stuck: bool,
}

impl Window {
    fn read(w: &WindowReading, limit: u64) -> Window {
        let used = w
            .value
            .as_deref()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map_or(0, |v| v.max(0) as u64);
        Window {
            used,
            remaining: limit.saturating_sub(used),
            resets_in_ms: (w.pttl_ms >= 0).then_some(w.pttl_ms),
            stuck: w.pttl_ms == -1 && w.value.is_some(),
        }
    }

    fn describe(&self, limit: u64) -> String {
        let left = format!("{}/{limit} left", self.remaining);
        match self.resets_in_ms {
            Some(ms) => format!(
                "{left}, reopens in {}",
                crate::duration::format(Duration::from_secs((ms as u64).div_ceil(1000)))
            ),
            None if self.stuck => format!("{left}, never reopens"),
            None => left,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_like_the_counter_pattern() {
        let w = Window::read(
            &WindowReading {
                value: Some("12".into()),
                pttl_ms: 2_460_500,
            },
            15,
        );
        assert_eq!((w.used, w.remaining, w.stuck), (12, 3, false));
        assert_eq!(w.describe(15), "3/15 left, reopens in 41m1s");
        let w = Window::read(
            &WindowReading {
                value: None,
                pttl_ms: -2,
            },
            15,
        );
        assert_eq!(w.describe(15), "15/15 left");
        let w = Window::read(
            &WindowReading {
                value: Some("99".into()),
                pttl_ms: -1,
            },
            15,
        );
        assert!(w.stuck);
        assert_eq!(w.describe(15), "0/15 left, never reopens");
        let w = Window::read(
            &WindowReading {
                value: Some("junk".into()),
                pttl_ms: 5,
            },
            15,
        );
        assert_eq!(w.remaining, 15);
    }
}
