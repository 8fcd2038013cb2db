//! A source stage: run the handler once; its stdout NDJSON is enqueued with dedup.

use std::path::Path;

use anyhow::Result;

use crate::batch::{self, DedupInto};
use crate::config::{Config, Handler, Stage};
use crate::error::Fail;
use crate::handler::exec::{Ended, run_process};
use crate::handler::{Shutdown, tail};
use crate::input::{self, Rules};
use crate::keys;
use crate::output::Output;
use crate::store::Store;

pub fn run(
    config: &Config,
    stage: &Stage,
    store: &mut Store,
    shutdown: &Shutdown,
    runtime_dir: &Path,
    out: &mut Output,
) -> Result<super::RunReport> {
    let Handler::Exec(argv) = &stage.handler else {
        return Err(Fail::config(format!(
            "source stage '{}' needs an exec handler",
            stage.name
        ))
        .into());
    };
    let Some(output) = stage.output.as_deref() else {
        return Err(
            Fail::config(format!("source stage '{}' has no output queue", stage.name)).into(),
        );
    };
    let env = [
        ("PIPECTL_STAGE", stage.name.clone()),
        ("PIPECTL_ATTEMPT", "1".to_owned()),
        ("PIPECTL_QUEUE", output.to_owned()),
    ];
    let guard = super::start_guard()?;
    let done = run_process(
        &guard,
        argv,
        &env,
        b"",
        stage.timeout,
        &runtime_dir.join("source.control"),
        shutdown,
    )
    .map_err(|e| Fail::config(e.0).hint("fix the stage's handler in the config"))?;
    // Whatever the handler left running ends with it, before its output is enqueued.
    drop(guard);
    let day = crate::date::today().to_string();
    let counter =
        |event: &str| keys::counter(&keys::stage_counter(&config.name, &stage.name, event), &day);

    let failure = match done.ended {
        Ended::Exited(0) => None,
        Ended::Exited(code) => Some(format!("exit code {code}")),
        Ended::Signaled(signal) => Some(format!("killed by signal {signal}")),
        Ended::TimedOut => Some(format!(
            "timed out after {}",
            crate::duration::format(stage.timeout)
        )),
        Ended::TooMuchOutput => Some("printed too much output".to_owned()),
        Ended::Interrupted => Some("interrupted".to_owned()),
    };
    if let Some(what) = failure {
        let stderr = tail(&done.stderr, 500);
        let reason = if stderr.is_empty() {
            what
        } else {
            format!("{what}: {stderr}")
        };
        let counters = [(counter("processed"), 1), (counter("failed"), 1)];
        store.incr_counters(&counters, config.stats_retention)?;
        return Ok(super::RunReport {
            processed: 1,
            failure: Some(reason),
            ..report(stage, output)
        });
    }

    let rules = Rules {
        max_bytes: config.max_item_bytes,
        dedup_by: stage.dedup_by.as_deref(),
    };
    let mut items = Vec::new();
    let mut invalid: u64 = 0;
    for (origin, line) in input::lines(&done.stdout) {
        match input::validate(origin, line, &rules) {
            Ok(item) => items.push(item),
            Err(bad) => {
                invalid += 1;
                out.warn(format_args!(
                    "{} output {}: {}; skipped",
                    stage.name, bad.origin, bad.reason
                ));
            }
        }
    }
    let bar = out.progress(items.len() as u64, "enqueued");
    let dedup = stage.dedup_by.as_ref().map(|_| DedupInto {
        seen_set: &config.seen_set,
        pipeline: &config.name,
        retention: config.stats_retention,
    });
    let (added, dups) = batch::push(store, output, &items, dedup.as_ref(), &bar)?;
    bar.finish_and_clear();
    let counters = [(counter("processed"), 1), (counter("succeeded"), 1)];
    store.incr_counters(&counters, config.stats_retention)?;
    Ok(super::RunReport {
        processed: 1,
        succeeded: 1,
        enqueued: added,
        duplicates: dups,
        invalid,
        ..report(stage, output)
    })
}

/// A source stage's report with nothing done yet.
pub fn report(stage: &Stage, output: &str) -> super::RunReport {
    super::RunReport {
        stage: stage.name.clone(),
        output: Some(output.to_owned()),
        source: true,
        ..super::RunReport::default()
    }
}
