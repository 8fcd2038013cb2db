use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;

/// Return every expired lease (and due delayed retry) to its queue now
///
/// pipectl does this by itself whenever it takes from a queue; `recover` is for cron or
/// after a crash. Without queues, every input queue of the pipeline's stages is recovered.
///
/// Example:
///   pipectl recover prospect:queue
///
/// Exit codes: 0.
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
        let (leases, retries) = store.recover(queue)?;
        report.push(json!({"queue": queue, "leases_returned": leases, "retries_due": retries}));
        if !ctx.out.json && !ctx.out.quiet {
            ctx.out.line(format_args!(
                "{queue}: {leases} expired lease(s) returned, {retries} delayed retr(ies) made due"
            ))?;
        }
    }
    if ctx.out.json {
        ctx.out.json(&json!({"recovered": report}))?;
    }
    Ok(Exit::Ok)
}
