use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// Count the items waiting in queues (LLEN)
///
/// One queue prints a bare number; several print "queue<TAB>length" lines.
/// With --json: {"queues":[{"queue":…,"count":…},…]}, in the order given.
///
/// Example:
///   pipectl len prospect:queue prospect:staged prospect:failed
///
/// Exit codes: 0 counted, 1 the output could not be written, 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 2 a bad --url, 78 a TLS file that cannot be read.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue keys (Redis lists)
    #[arg(required = true, value_name = "QUEUE")]
    pub queues: Vec<String>,
}

/// `pipectl len`: each queue's length.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Lengths {
    pub queues: Vec<Length>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Length {
    pub queue: String,
    /// Items waiting (LLEN), leased and delayed ones not included.
    pub count: u64,
}

impl Report for Lengths {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if let [one] = &self.queues[..] {
            return out.line(one.count);
        }
        for q in &self.queues {
            out.line(format_args!("{}\t{}", q.queue, q.count))?;
        }
        Ok(())
    }
}

pub fn lengths(store: &mut crate::store::Store, queues: &[String]) -> Result<Lengths> {
    let counts = store.lens(queues)?;
    Ok(Lengths {
        queues: queues
            .iter()
            .zip(counts)
            .map(|(queue, count)| Length {
                queue: queue.clone(),
                count,
            })
            .collect(),
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let result = lengths(&mut ctx.store()?, &args.queues)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}
