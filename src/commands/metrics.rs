use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::commands::status::{self, Status};
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::store::Store;

/// Print the pipeline's metrics in the Prometheus text format
///
/// The same numbers as `pipectl status --json`, read in ONE round trip to Redis (one
/// pipeline of reads, whatever the number of stages; `/metrics` of `pipectl serve` answers
/// the same): per stage (labels `stage`, and `queue` for its input) queue length, leased
/// and expired leases, delayed and due, paused (0/1), rate-limit remaining and limit, a
/// manual stage's oldest staged age; staged items and dead letters; today's counters by
/// stage and outcome; dead letters the retention caps and purges removed, and
/// dead_letters_max when set; the guards of guarded stages (window open, breaker open,
/// budget spent and cap); what the stages' items cost today per unit, budget or not; today's
/// enqueues with dedup (new, seen) and the saturation ratio seen / (new + seen), as
/// `saturation --days 1` says. All are gauges: the daily counters
/// restart each day, so none is named `_total`. A value pipectl could not read is left out. With --json: {"textfile","samples":[{"name","labels","value"}]}. --textfile PATH writes them for node_exporter's textfile collector instead: to
/// a temporary file beside PATH, then renamed over it, so a scrape never sees half a file.
///
/// Examples:
///   pipectl metrics
///   pipectl metrics --textfile /var/lib/node_exporter/textfile/pipectl.prom
///
/// Exit codes: 0 written, 1 the output or the file could not be written, 2 bad arguments,
/// 65 a key holds another type (the rest is written), 69 Redis unavailable, 77 not permitted,
/// 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Write to this file (atomically: a temporary file, then rename) instead of stdout
    #[arg(long, value_name = "PATH")]
    pub textfile: Option<PathBuf>,
}

/// Label values escaped as the text format wants (backslash, quote, line break).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `pipectl metrics --json`: the samples (and the file written, with --textfile).
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Metrics {
    /// The file written (--textfile); null when the text went nowhere else.
    pub textfile: Option<String>,
    pub samples: Vec<Sample>,
}

/// One sample: a gauge's name (with the `pipectl_` prefix), its labels and value.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Sample {
    pub name: String,
    pub labels: indexmap::IndexMap<String, String>,
    pub value: f64,
}

impl crate::output::Report for Metrics {
    fn text(&self, out: &mut crate::output::Output) -> std::io::Result<()> {
        if let Some(path) = &self.textfile {
            out.note(format_args!(
                "wrote {} samples to {path}",
                self.samples.len()
            ));
        }
        Ok(())
    }
}

/// Metric families as they are read: each gauge's HELP and TYPE, then its samples.
struct Family<'a> {
    out: &'a mut String,
    samples: &'a mut Vec<Sample>,
}

impl Family<'_> {
    fn head(&mut self, name: &str, help: &str) {
        let _ = writeln!(
            self.out,
            "# HELP pipectl_{name} {help}\n# TYPE pipectl_{name} gauge"
        );
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: Option<f64>) {
        let Some(value) = value else { return };
        let shown: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", label(v)))
            .collect();
        let _ = if shown.is_empty() {
            writeln!(self.out, "pipectl_{name} {value}")
        } else {
            writeln!(self.out, "pipectl_{name}{{{}}} {value}", shown.join(","))
        };
        self.samples.push(Sample {
            name: format!("pipectl_{name}"),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            value,
        });
    }
}

/// What one scrape reads, in one round trip: the status snapshot (the guards' state and the
/// server's clock included) and today's dedup counters.
pub struct Scrape {
    pub status: Status,
    /// Today's enqueues with dedup that were new, and already seen (None: unreadable).
    pub new: Option<i64>,
    pub seen: Option<i64>,
    /// Per stage with a handler, today's cost per unit it has reported, in millionths
    /// (None: unreadable; -1 a counter spoiled by hand, left out).
    pub costs: Vec<StageCosts>,
}

/// A stage's name and today's cost per unit in millionths (None: unreadable).
pub type StageCosts = (String, Option<Vec<(String, i64)>>);

/// Reads a scrape: one pipelined round trip.
pub fn scrape(config: &Config, store: &mut Store) -> Result<Scrape> {
    let day = crate::date::today().to_string();
    let counters = [
        crate::keys::counter(&crate::keys::counter_new(&config.name), &day),
        crate::keys::counter(&crate::keys::counter_dup(&config.name), &day),
    ];
    let costed: Vec<&str> = config
        .stages
        .iter()
        .filter(|s| !matches!(s.handler, crate::config::Handler::Manual))
        .map(|s| s.name.as_str())
        .collect();
    let extra = crate::store::Probe {
        strings: counters.to_vec(),
        costs: costed
            .iter()
            .map(|stage| {
                (
                    crate::keys::budget(&config.name, stage),
                    crate::keys::cost_counter_around(&config.name, stage, &day),
                )
            })
            .collect(),
        ..Default::default()
    };
    let (status, mut read) = status::execute_with(config, store, extra)?;
    let count = |i: usize| match read.strings.get(i) {
        Some(Ok(None)) => Some(0),
        Some(Ok(Some(text))) => text.trim().parse().ok(),
        _ => None,
    };
    let (new, seen) = (count(0), count(1));
    let costs = costed
        .iter()
        .zip(read.costs.drain(..))
        .map(|(stage, reading)| ((*stage).to_owned(), reading.ok()))
        .collect();
    Ok(Scrape {
        status,
        new,
        seen,
        costs,
    })
}

/// The text format of one scrape.
pub fn render(scrape: &Scrape) -> String {
    collect(scrape).0
}

/// The text and the samples of one scrape.
pub fn collect(scrape: &Scrape) -> (String, Vec<Sample>) {
    let status = &scrape.status;
    let mut out = String::new();
    let mut samples = Vec::new();
    let mut f = Family {
        out: &mut out,
        samples: &mut samples,
    };
    let n = |v: Option<u64>| v.map(|v| v as f64);
    type Get = fn(&status::StageStatus) -> Option<f64>;
    let per_stage: [(&str, &str, Get); 9] = [
        (
            "queue_length",
            "Items waiting in the stage's input queue.",
            |s| s.queued.map(|v| v as f64),
        ),
        ("leased", "Items claimed under a lease.", |s| {
            s.leased.map(|v| v as f64)
        }),
        ("expired_leases", "Leases past their deadline.", |s| {
            s.expired_leases.map(|v| v as f64)
        }),
        ("delayed", "Entries of the input's delayed set.", |s| {
            s.delayed.map(|v| v as f64)
        }),
        ("delayed_due", "Delayed entries already due.", |s| {
            s.due_retries.map(|v| v as f64)
        }),
        ("paused", "1 when the stage's pause flag is set.", |s| {
            s.paused.map(|p| f64::from(u8::from(p)))
        }),
        (
            "ratelimit_remaining",
            "Uses left in the stage's rate-limit window.",
            |s| {
                s.rate_limit
                    .as_ref()
                    .and_then(|r| r.remaining)
                    .map(|v| v as f64)
            },
        ),
        (
            "ratelimit_limit",
            "Uses allowed per rate-limit window.",
            |s| s.rate_limit.as_ref().map(|r| r.limit as f64),
        ),
        (
            "oldest_staged_age_seconds",
            "How long a manual stage's longest-waiting item has waited.",
            |s| s.oldest_staged_ms.map(|ms| ms as f64 / 1000.0),
        ),
    ];
    for (name, help, get) in per_stage {
        f.head(name, help);
        for s in &status.stages {
            let queue = s.input.as_deref().unwrap_or("");
            f.sample(name, &[("stage", &s.name), ("queue", queue)], get(s));
        }
    }
    f.head(
        "items_today",
        "Items settled today by stage and outcome (restarts each day).",
    );
    for s in &status.stages {
        let t = &s.today;
        for (outcome, v) in [
            ("processed", t.processed),
            ("succeeded", t.succeeded),
            ("failed", t.failed),
            ("retried", t.retried),
            ("deferred", t.deferred),
            ("dead", t.dead),
            ("escalated", t.escalated),
        ] {
            f.sample(
                "items_today",
                &[("stage", &s.name), ("outcome", outcome)],
                v.map(|v| v as f64),
            );
        }
    }
    f.head("staged", "Items staged for review in all manual stages.");
    f.sample("staged", &[], n(status.staged.count));
    f.head("dead_letters", "Items on the dead-letter list.");
    f.sample(
        "dead_letters",
        &[("queue", &status.dead_letters.queue)],
        n(status.dead_letters.count),
    );
    f.head(
        "dedup_today",
        "Enqueues with dedup today, new or already seen (restarts each day).",
    );
    for (outcome, v) in [("new", scrape.new), ("seen", scrape.seen)] {
        f.sample("dedup_today", &[("outcome", outcome)], v.map(|v| v as f64));
    }
    f.head(
        "saturation_ratio",
        "Today's already-seen share of enqueues with dedup: seen / (new + seen).",
    );
    let ratio = match (scrape.new, scrape.seen) {
        (Some(n), Some(s)) if n.max(0) + s.max(0) > 0 => {
            Some(s.max(0) as f64 / (n.max(0) + s.max(0)) as f64)
        }
        _ => None,
    };
    f.sample("saturation_ratio", &[], ratio);
    guard_samples(&mut f, status);
    cost_samples(&mut f, &scrape.costs);
    let d = &status.dead_letters;
    for (name, help, value) in [
        (
            "dead_letters_trimmed",
            "Dead letters the retention caps removed, ever (<pipeline>:dead_trimmed).",
            d.trimmed,
        ),
        (
            "dead_letters_purged",
            "Dead letters `dead purge` removed, ever (<pipeline>:dead_purged).",
            d.purged,
        ),
        ("dead_letters_max", "The dead_letters_max cap.", d.max),
    ] {
        if value.is_some() {
            f.head(name, help);
            f.sample(name, &[("queue", &d.queue)], n(value));
        }
    }
    (out, samples)
}

/// What the stages' items cost today, per unit their handlers reported (the daily cost
/// counters `stats` shows), budget or not.
fn cost_samples(f: &mut Family<'_>, costs: &[StageCosts]) {
    f.head(
        "cost_today",
        "What the stage's items cost today, in the unit, as its handlers reported it (restarts each day).",
    );
    for (stage, units) in costs {
        for (unit, millionths) in units.iter().flatten() {
            if *millionths >= 0 {
                let labels = [("stage", stage.as_str()), ("unit", unit.as_str())];
                f.sample(
                    "cost_today",
                    &labels,
                    Some(*millionths as f64 / crate::config::MICRO),
                );
            }
        }
    }
}

/// The stages' guards (README "Running unattended"): windows, breakers, budgets.
fn guard_samples(f: &mut Family<'_>, status: &Status) {
    let guarded = || {
        status
            .stages
            .iter()
            .filter_map(|s| s.guards.as_ref().map(|g| (s.name.as_str(), g)))
    };
    let flag = |b: bool| Some(f64::from(u8::from(b)));
    f.head("window_open", "1 while the stage's sending window is open.");
    for (stage, g) in guarded() {
        if let Some(w) = &g.window {
            f.sample("window_open", &[("stage", stage)], flag(w.open));
        }
    }
    f.head(
        "breaker_open",
        "1 while the stage's circuit breaker is open or probing.",
    );
    for (stage, g) in guarded() {
        if let Some(b) = &g.breaker {
            f.sample(
                "breaker_open",
                &[("stage", stage)],
                flag(b.state != "closed"),
            );
        }
    }
    f.head(
        "budget_spent",
        "Spent of the stage's budget in its current window, in the unit (restarts each window).",
    );
    for (stage, g) in guarded() {
        for b in &g.budget {
            let labels = [("stage", stage), ("unit", b.unit.as_str())];
            f.sample("budget_spent", &labels, Some(b.spent));
        }
    }
    f.head("budget_cap", "The stage's budget per window, in the unit.");
    for (stage, g) in guarded() {
        for b in &g.budget {
            let labels = [("stage", stage), ("unit", b.unit.as_str())];
            f.sample("budget_cap", &labels, Some(b.cap));
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same directory, then a rename.
fn write_atomically(path: &std::path::Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".pipectl-metrics")
        .tempfile_in(dir)
        .map_err(|e| {
            Fail::new(
                Exit::Failure,
                format!("cannot write in {}: {e}", dir.display()),
            )
        })?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    tmp.persist(path).map_err(|e| {
        Fail::new(
            Exit::Failure,
            format!("cannot rename onto {}: {e}", path.display()),
        )
    })?;
    Ok(())
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    let scrape = scrape(&config, &mut ctx.store()?)?;
    let status = &scrape.status;
    let (text, samples) = collect(&scrape);
    let mut result = Metrics {
        textfile: None,
        samples,
    };
    match &args.textfile {
        Some(path) => {
            write_atomically(path, &text)?;
            result.textfile = Some(path.display().to_string());
            ctx.out.print(&result)?;
        }
        None if ctx.out.json => ctx.out.print(&result)?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    let mut spoiled_costs = false;
    for (stage, units) in &scrape.costs {
        let bad = units.as_ref().is_none_or(|u| u.iter().any(|(_, n)| *n < 0));
        if bad {
            spoiled_costs = true;
            ctx.out.warn(format_args!(
                "stage '{stage}': its cost counters or budget hash hold another type; its costs are left out"
            ));
        }
    }
    Ok(if status.spoiled() || spoiled_costs {
        Exit::DataErr
    } else {
        Exit::Ok
    })
}
