use anyhow::Result;
use serde_json::{Map, Value};

use crate::context::Ctx;
use crate::exit::Exit;

/// Count the items waiting in queues (LLEN)
///
/// One queue prints a bare number; several print "queue<TAB>length" lines.
///
/// Example:
///   pipectl len prospect:queue prospect:staged prospect:failed
///
/// Exit codes: 0.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue keys (Redis lists)
    #[arg(required = true)]
    pub queues: Vec<String>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let lens = ctx.store()?.lens(&args.queues)?;
    if ctx.out.json {
        let map: Map<String, Value> = args
            .queues
            .iter()
            .cloned()
            .zip(lens.iter().map(|&n| Value::from(n)))
            .collect();
        ctx.out.json(&Value::Object(map))?;
    } else if let [len] = lens[..] {
        ctx.out.line(len)?;
    } else {
        for (queue, len) in args.queues.iter().zip(&lens) {
            ctx.out.line(format_args!("{queue}\t{len}"))?;
        }
    }
    Ok(Exit::Ok)
}
