use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;

use crate::config::{Config, Handler, Stage};
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::handler::Shutdown;
use crate::keys;
use crate::output::summary;
use crate::runner::{StageRun, source};

/// Items shown by --dry-run --drain.
const DRY_RUN_SHOWN: usize = 20;

/// Run a stage: claim items, call the stage's handler, move each where its answer says
///
/// Each claim, completion, retry and dead letter is one atomic step; a claimed item is
/// leased, so if pipectl dies mid-item the lease expires and the item runs again (handlers
/// run at least once). A source stage (no input) runs its handler once and enqueues its
/// NDJSON output with dedup.
///
/// Examples:
///   pipectl run build --max 20              # from cron, every 10 minutes
///   pipectl run outreach --drain --concurrency 4
///   pipectl run build --drain --wait 1h     # a long-running worker
///
/// Exit codes: 0 ok, 1 some items failed (retried or dead-lettered) or were released by a
/// signal, 2 a manual stage, 3 nothing to do, 4 paused, 5 rate limit spent, 65 a key holds
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
    #[arg(long, short = 'j', default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
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
    let stage = find_stage(&config, &args.stage)?.clone();
    if let Handler::Manual = stage.handler {
        return Err(Fail::usage(format!(
            "stage '{}' is a manual stage: it has no handler to run",
            stage.name
        ))
        .hint("review its items with `pipectl review`, or `pipectl approve` / `pipectl reject`")
        .into());
    }
    let shutdown = Shutdown::new(args.grace);
    register_signals(&shutdown)?;
    let runtime_dir = tempfile::Builder::new()
        .prefix("pipectl-run-")
        .tempdir()
        .context("cannot create a temp dir")?;
    let mut store = ctx.store()?;

    let Some(queue) = stage.input.clone() else {
        if args.dry_run {
            return dry_run_source(ctx, &config, &stage, &mut store);
        }
        if let Some(reason) = store.paused(&keys::paused(&config.name, &stage.name))? {
            return paused(ctx, &stage, &reason);
        }
        let done = source::run(
            &config,
            &stage,
            &mut store,
            &shutdown,
            runtime_dir.path(),
            &mut ctx.out,
        )?;
        if ctx.out.json {
            ctx.out.json(&done.report)?;
        } else if let Some(reason) = &done.failure {
            ctx.out
                .warn(format_args!("{}: handler failed: {reason}", stage.name));
        } else if !ctx.out.quiet {
            let r = &done.report;
            ctx.out.line(format_args!(
                "{}: discovered {}, enqueued {} to {}, {} duplicate(s), {} invalid",
                stage.name,
                r["discovered"],
                r["enqueued"],
                r["output"].as_str().unwrap_or_default(),
                r["duplicates"],
                r["invalid"]
            ))?;
        }
        return Ok(if done.failure.is_some() || done.invalid > 0 {
            Exit::Failure
        } else {
            Exit::Ok
        });
    };

    let budget = if args.drain {
        u64::MAX
    } else {
        args.max.unwrap_or(1)
    };
    if args.dry_run {
        return dry_run(ctx, &config, &stage, &queue, &mut store, budget);
    }
    let total = if args.drain {
        store.lens(std::slice::from_ref(&queue))?[0]
    } else {
        budget
    };
    let bar = if budget > 1 {
        ctx.out.progress(total, &stage.name)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let workers = usize::from(args.concurrency).min(usize::try_from(budget).unwrap_or(usize::MAX));
    let run = StageRun::new(
        &config,
        &stage,
        &queue,
        ctx.connect_options(),
        budget,
        args.wait,
        &shutdown,
        bar,
        ctx.out.verbose > 0,
        runtime_dir.path().to_owned(),
    );
    let result = run.run(workers);
    run.bar.finish_and_clear();
    result?;
    report(ctx, &stage, &run, shutdown.is_requested())
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

fn paused(ctx: &mut Ctx, stage: &Stage, reason: &str) -> Result<Exit> {
    if ctx.out.json {
        ctx.out
            .json(&json!({"stage": stage.name, "paused": reason}))?;
    } else {
        ctx.out.warn(format_args!(
            "stage '{}' is paused: {reason}; `pipectl resume {}` lifts it",
            stage.name, stage.name
        ));
    }
    Ok(Exit::Paused)
}

fn report(ctx: &mut Ctx, stage: &Stage, run: &StageRun<'_>, interrupted: bool) -> Result<Exit> {
    let t = &run.tally;
    let paused = t.paused_reason();
    let limited = t.rate_limited_for();
    let processed = t.processed.load(std::sync::atomic::Ordering::Relaxed);
    if ctx.out.json {
        let mut doc = json!({"stage": stage.name});
        if let (Some(obj), serde_json::Value::Object(counts)) = (doc.as_object_mut(), t.to_json()) {
            obj.extend(counts);
            obj.insert("paused".into(), json!(paused));
            obj.insert(
                "rate_limited_for".into(),
                json!(limited.map(crate::duration::format)),
            );
            obj.insert("interrupted".into(), json!(interrupted));
        }
        ctx.out.json(&doc)?;
    } else if !ctx.out.quiet {
        let c = t.to_json();
        ctx.out.line(format_args!(
            "{}: {} processed: {} succeeded, {} retried, {} deferred, {} dead-lettered",
            stage.name,
            c["processed"],
            c["succeeded"],
            c["retried"],
            c["deferred"],
            c["dead_lettered"]
        ))?;
    }
    if let Some(reason) = &paused {
        ctx.out
            .note(format_args!("stage '{}' is paused: {reason}", stage.name));
    }
    if let Some(wait) = limited {
        ctx.out.note(format_args!(
            "rate limit spent; the window reopens in {}",
            crate::duration::format(wait)
        ));
    }
    let lost = t.lost_leases.load(std::sync::atomic::Ordering::Relaxed);
    if lost > 0 {
        ctx.out.warn(format_args!(
            "{lost} result(s) came after the lease expired; those items went back to the queue and will run again"
        ));
    }
    let released = t.released.load(std::sync::atomic::Ordering::Relaxed);
    if released > 0 {
        ctx.out.note(format_args!(
            "stopped: {released} item(s) released back to the queue"
        ));
    }
    Ok(if t.failed() > 0 || released > 0 {
        Exit::Failure
    } else if paused.is_some() {
        Exit::Paused
    } else if limited.is_some() {
        Exit::RateLimited
    } else if processed == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

fn dry_run(
    ctx: &mut Ctx,
    config: &Config,
    stage: &Stage,
    queue: &str,
    store: &mut crate::store::Store,
    budget: u64,
) -> Result<Exit> {
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
    if ctx.out.json {
        let values: Vec<_> = items.iter().map(|i| crate::item::object(i)).collect();
        ctx.out.json(&json!({
            "stage": stage.name, "queue": queue, "would_claim": values, "paused": paused,
            "rate_limit_remaining": remaining,
        }))?;
    } else {
        for (i, item) in items.iter().enumerate() {
            ctx.out.line(format_args!(
                "would run {} on #{}: {}",
                stage.name,
                i + 1,
                summary(item, 100)
            ))?;
        }
        if let Some(reason) = &paused {
            ctx.out
                .note(format_args!("stage '{}' is paused: {reason}", stage.name));
        }
        if let Some(0) = remaining {
            ctx.out.note("rate limit spent: nothing would be claimed");
        }
    }
    Ok(if paused.is_some() {
        Exit::Paused
    } else if remaining == Some(0) {
        Exit::RateLimited
    } else if items.is_empty() {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

fn dry_run_source(
    ctx: &mut Ctx,
    config: &Config,
    stage: &Stage,
    store: &mut crate::store::Store,
) -> Result<Exit> {
    let paused = store.paused(&keys::paused(&config.name, &stage.name))?;
    if ctx.out.json {
        ctx.out
            .json(&json!({"stage": stage.name, "source": true, "paused": paused}))?;
    } else {
        ctx.out.line(format_args!(
            "would run source stage {} once, enqueueing its output",
            stage.name
        ))?;
    }
    Ok(if paused.is_some() {
        Exit::Paused
    } else {
        Exit::Ok
    })
}
