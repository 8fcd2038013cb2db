use anyhow::Result;

use crate::commands::enqueue::plural;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

/// Return every expired lease (and due delayed retry) to its queue now
///
/// pipectl does this by itself whenever it takes from a queue; `recover` is for cron or
/// after a crash. Without queues, every input queue of the pipeline's stages is recovered.
/// It also repairs lease bookkeeping broken by hand: an item in <queue>:leased with no
/// deadline in <queue>:leases goes back to the queue, a deadline with no item is dropped.
/// With --json: {"queues":[{"queue","leases_returned","retries_due","orphans_returned",
/// "stale_deadlines_dropped"},…]}.
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

/// `pipectl recover`: what was returned, per queue, in the order given.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RecoveredQueues {
    pub queues: Vec<RecoveredQueue>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RecoveredQueue {
    pub queue: String,
    /// Expired leases returned to the queue.
    pub leases_returned: u64,
    /// Delayed retries whose time had come, moved to the queue.
    pub retries_due: u64,
    /// Leased items that had no deadline (bookkeeping broken by hand), returned to the queue.
    pub orphans_returned: u64,
    /// Deadlines that had no leased item, dropped.
    pub stale_deadlines_dropped: u64,
}

impl Report for RecoveredQueues {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        if self.queues.is_empty() {
            return out.line("no queues to recover: no stage in the config has an input");
        }
        for q in &self.queues {
            let (l, r) = (q.leases_returned, q.retries_due);
            if l == 0 && r == 0 {
                out.line(format_args!("{}: nothing was due", q.queue))?;
                continue;
            }
            out.line(format_args!(
                "{}: {l} expired lease{} returned, {r} delayed retr{} made due",
                q.queue,
                plural(l),
                if r == 1 { "y" } else { "ies" }
            ))?;
        }
        Ok(())
    }
}

pub fn execute(store: &mut Store, queues: &[String]) -> Result<RecoveredQueues> {
    let mut done = Vec::with_capacity(queues.len());
    for queue in queues {
        let r = store.recover(queue)?;
        done.push(RecoveredQueue {
            queue: queue.clone(),
            leases_returned: r.leases,
            retries_due: r.retries,
            orphans_returned: r.orphans,
            stale_deadlines_dropped: r.stale_deadlines,
        });
    }
    Ok(RecoveredQueues { queues: done })
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
    let result = execute(&mut ctx.store()?, &queues)?;
    for q in &result.queues {
        let (o, s) = (q.orphans_returned, q.stale_deadlines_dropped);
        if o > 0 || s > 0 {
            ctx.out.warn(format_args!(
                "{}: repaired broken lease bookkeeping: {o} leased item{} without a deadline returned to the queue, {s} deadline{} without an item dropped",
                q.queue,
                plural(o),
                plural(s)
            ));
        }
    }
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}
