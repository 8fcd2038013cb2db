use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;

/// Return every expired lease (and due delayed retry) to its queue now
///
/// pipectl does this by itself whenever it takes from a queue; `recover` is for cron or
/// after a crash. Without queues, every input queue of the pipeline's stages is recovered.
/// It also repairs lease bookkeeping broken by hand: an item in <queue>:leased with no
/// deadline in <queue>:leases goes back to the queue, a deadline with no item is dropped.
///
/// Example:
///   pipectl recover prospect:queue
///
/// Exit codes: 0 recovered (also when nothing was due), 1 the output could not be written, 65 a
/// key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration, 2 a
/// bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue keys [default: every stage input in the config]
    pub queues: Vec<String>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let queues = if args.queues.is_empty() {
        ctx.config()?
            .stages
            .iter()
            .filter_map(|s| s.input.clone())
            .collect()
    } else {
        args.queues
    };
    let mut store = ctx.store()?;
    let mut report = Vec::new();
    for queue in &queues {
        let done = store.recover(queue)?;
        report.push(json!({
            "queue": queue,
            "leases_returned": done.leases,
            "retries_due": done.retries,
            "orphans_returned": done.orphans,
            "stale_deadlines_dropped": done.stale_deadlines,
        }));
        if !ctx.out.json && !ctx.out.quiet {
            ctx.out.line(format_args!(
                "{queue}: {} expired lease(s) returned, {} delayed retr(ies) made due",
                done.leases, done.retries
            ))?;
        }
        if done.orphans > 0 || done.stale_deadlines > 0 {
            ctx.out.warn(format_args!(
                "{queue}: repaired broken lease bookkeeping: {} leased item(s) without a deadline returned to the queue, {} deadline(s) without an item dropped",
                done.orphans, done.stale_deadlines
            ));
        }
    }
    if ctx.out.json {
        ctx.out.json(&json!({"recovered": report}))?;
    }
    Ok(Exit::Ok)
}
