use std::time::Duration;

use anyhow::{Context, Result};

use crate::config::{Config, Handler, Stage};
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::handler::Shutdown;
use crate::item::Positioned;
use crate::keys;
use crate::output::Output;
use crate::runner::{RunReport, StageRun, source};

/// Items shown by --dry-run --drain.
const DRY_RUN_SHOWN: usize = 20;

/// Run a stage: claim items, call the stage's handler, move each where its answer says
///
/// Each claim, completion, retry and dead letter is one atomic step; a claimed item is
/// leased, so if pipectl dies mid-item the lease expires and the item runs again (handlers
/// run at least once). A source stage (no input) runs its handler once and enqueues its
/// NDJSON output with dedup. A manual stage (no handler) with an `auto_approve` policy or a
/// `max_wait` has its rules applied to every staged item (or --max N of them): see the
/// README's "Review desk"; with --json then {"stage", "queue", "policy", "max_wait_ms",
/// "on_timeout", "looked_at", "auto_approved", "sampled", "left", "timed_out_flagged",
/// "timed_out_rejected", "timed_out_approved", "arrivals_recorded", "taken", "paused",
/// "paused_reason", "dry_run"} (schema run-review).
///
/// Examples:
///   pipectl run build --max 20              # from cron, every 10 minutes
///   pipectl run outreach --drain --concurrency 4
///   pipectl run build --drain --wait 1h     # a long-running worker
///
/// With --json one document, the same fields for every kind of stage and for --dry-run:
/// {"stage","queue","output","source","dry_run","processed","succeeded","retried",
/// "deferred","dead_lettered","escalated","released","lost_leases","enqueued","duplicates",
/// "invalid",
/// "failure","paused","paused_reason","rate_limit_resets_in_ms","rate_limit_remaining",
/// "outside_window","window_opens_at","budget_spent","guard_events",
/// "interrupted","would_claim":[{"pos",item…}]}.
///
/// A stage's guards (README "Running unattended") hold in the claim step for every worker:
/// outside its sending `window` nothing is claimed (exit 4; with --wait it sleeps until the
/// window opens, when that is within the wait); a circuit `breaker` that opened pauses the
/// stage (exit 4) until one probe after its cool-down succeeds or `pipectl resume`; a spent
/// `budget` stops the run (exit 5).
///
/// Exit codes: 0 ok, 1 some items failed (retried or dead-lettered) or were released by a
/// signal, 2 a manual stage without rules, 3 nothing to do, 4 paused or outside the sending
/// window, 5 rate limit or budget spent, 65 a key holds
/// another type, 69 Redis unavailable, 77 not permitted, 78 bad config/handler.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Stage name from the config, e.g. build
    pub stage: String,

    /// Process up to this many items [default: 1]
    #[arg(long, value_name = "N", conflicts_with = "drain", value_parser = clap::value_parser!(u64).range(1..))]
    pub max: Option<u64>,

    /// Process until the queue is empty
    #[arg(long)]
    pub drain: bool,

    /// Run this many handlers in parallel
    #[arg(long, short = 'j', default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256), value_name = "N")]
    pub concurrency: u16,

    /// When the queue is empty, wait up to this long for work before giving up
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// Show what would be claimed, and whether the stage is paused or rate-limited; change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// On SIGINT/SIGTERM, let running handlers finish this long before they are stopped and
    /// their items released to the queue
    #[arg(long, default_value = "30s", value_parser = crate::duration::arg, value_name = "DURATION")]
    pub grace: Duration,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    if let Some(stage) = config.stage(&args.stage)
        && matches!(stage.handler, Handler::Manual)
    {
        let max = if args.drain { None } else { args.max };
        return crate::commands::review::policy::run(ctx, &args.stage, max, args.dry_run);
    }
    let connect = ctx.connect_options();
    // Notifications and dead-letter retention, on a thread of their own (none without
    // [notify] or a dead-letter cap): never in the way of an item.
    let background = (!args.dry_run)
        .then(|| crate::commands::notify::Background::start(&config, &connect))
        .flatten();
    let report = execute(&args, &config, connect, &mut ctx.out);
    if let Some(trouble) = background.and_then(|b| b.finish(Duration::from_secs(2))) {
        ctx.out.warn(trouble);
    }
    let report = report?;
    ctx.out.print(&report)?;
    if report.lost_leases > 0 {
        let lost = report.lost_leases;
        let (results, those) = if lost == 1 {
            ("1 result", "that item")
        } else {
            ("results", "those items")
        };
        let results = if lost == 1 {
            results.to_owned()
        } else {
            format!("{lost} {results}")
        };
        ctx.out.warn(format_args!(
            "{results} came after the lease expired; {those} went back to the queue and will run again"
        ));
    }
    Ok(report.exit())
}

/// Runs (or, with --dry-run, looks at) the stage `args.stage`; `out` gets the progress bar
/// and warnings about the handler's output, never the result.
pub fn execute(
    args: &Args,
    config: &Config,
    connect: crate::store::ConnectOptions,
    out: &mut Output,
) -> Result<RunReport> {
    let stage = find_stage(config, &args.stage)?.clone();
    if let Handler::Manual = stage.handler {
        return Err(Fail::usage(format!(
            "stage '{}' is a manual stage: it has no handler to run",
            stage.name
        ))
        .hint("review its items with `pipectl review`, or `pipectl approve` / `pipectl reject`")
        .into());
    }
    let shutdown = Shutdown::new(args.grace);
    // What pipectl was started with ignored, read before its own handlers hide it.
    crate::handler::spawn::ignored_signals();
    register_signals(&shutdown)?;
    let runtime_dir = tempfile::Builder::new()
        .prefix("pipectl-run-")
        .tempdir()
        .context("cannot create a temp dir")?;
    let mut store = crate::store::Store::connect(&connect)?;

    let Some(queue) = stage.input.clone() else {
        let output = stage.output.clone().unwrap_or_default();
        let paused = store.paused(&keys::paused(&config.name, &stage.name))?;
        if args.dry_run || paused.is_some() {
            return Ok(RunReport {
                dry_run: args.dry_run,
                paused: paused.is_some(),
                paused_reason: paused,
                ..source::report(&stage, &output)
            });
        }
        return source::run(
            config,
            &stage,
            &mut store,
            &shutdown,
            runtime_dir.path(),
            out,
        );
    };

    let budget = if args.drain {
        u64::MAX
    } else {
        args.max.unwrap_or(1)
    };
    if args.dry_run {
        return dry_run(config, &stage, &queue, &mut store, budget);
    }
    let total = if args.drain {
        store.lens(std::slice::from_ref(&queue))?[0]
    } else {
        budget
    };
    let bar = if budget > 1 {
        out.progress(total, &stage.name)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let workers = usize::from(args.concurrency).min(usize::try_from(budget).unwrap_or(usize::MAX));
    let run = StageRun::new(
        config,
        &stage,
        &queue,
        connect,
        budget,
        args.wait,
        &shutdown,
        bar,
        out.verbose > 0,
        runtime_dir.path().to_owned(),
    );
    let result = run.run(workers);
    run.bar.finish_and_clear();
    result?;
    Ok(RunReport {
        interrupted: shutdown.is_requested(),
        ..run
            .tally
            .report(&stage.name, &queue, stage.output.as_deref())
    })
}

fn find_stage<'c>(config: &'c Config, name: &str) -> Result<&'c Stage> {
    config.stage(name).ok_or_else(|| {
        let names: Vec<&str> = config.stages.iter().map(|s| s.name.as_str()).collect();
        Fail::config(format!(
            "no stage '{name}' in the config; its stages are: {}",
            names.join(", ")
        ))
        .hint("check the name, or which config is in use with `pipectl config path`")
        .into()
    })
}

fn register_signals(shutdown: &Shutdown) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        // A second signal while stopping ends pipectl at once; leases then expire as usual.
        signal_hook::flag::register_conditional_shutdown(signal, 130, shutdown.requested.clone())
            .context("cannot install a signal handler")?;
        signal_hook::flag::register(signal, shutdown.requested.clone())
            .context("cannot install a signal handler")?;
    }
    Ok(())
}

fn dry_run(
    config: &Config,
    stage: &Stage,
    queue: &str,
    store: &mut crate::store::Store,
    budget: u64,
) -> Result<RunReport> {
    let paused = store.paused(&keys::paused(&config.name, &stage.name))?;
    let window = match &stage.rate_limit {
        Some(rl) => Some((rl, store.rate_window(&rl.key, rl.limit)?)),
        None => None,
    };
    let remaining = window.map(|(rl, w)| rl.limit.saturating_sub(w.used));
    let shown = usize::try_from(budget)
        .unwrap_or(usize::MAX)
        .min(DRY_RUN_SHOWN);
    let shown = remaining.map_or(shown, |r| {
        shown.min(usize::try_from(r).unwrap_or(usize::MAX))
    });
    let items = if paused.is_some() {
        Vec::new()
    } else {
        store.peek(queue, shown)?
    };
    Ok(RunReport {
        stage: stage.name.clone(),
        queue: Some(queue.to_owned()),
        output: stage.output.clone(),
        dry_run: true,
        paused: paused.is_some(),
        paused_reason: paused,
        rate_limit_remaining: remaining,
        would_claim: Positioned::numbered(items),
        ..RunReport::default()
    })
}
