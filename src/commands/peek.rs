use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::item::Positioned;
use crate::output::{Output, Report};

/// Show the next items a consumer would take, without taking them
///
/// One item per line (an item holding a line break is written with \n escaped); with
/// --json: {"queue":…,"items":[{"pos":1,"item":…},…]}, each item lossless (docs/json.md).
///
/// Example:
///   pipectl peek prospect:queue --count 3
///
/// Exit codes: 0 items shown, 1 the output could not be written, 3 the queue is empty, 65 a key
/// holds another type, 69 Redis unavailable, 77 not permitted, 2 a bad --url, 78 a TLS file
/// that cannot be read.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list)
    pub queue: String,

    /// How many items to show
    #[arg(long, short = 'n', default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000), value_name = "N")]
    pub count: u64,
}

/// `pipectl peek`: the next items, next first.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Peeked {
    pub queue: String,
    pub items: Vec<Positioned>,
}

impl Report for Peeked {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        for entry in &self.items {
            out.item_line(&entry.item.0)?;
        }
        Ok(())
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let items = ctx.store()?.peek(&args.queue, args.count as usize)?;
    let result = Peeked {
        queue: args.queue,
        items: Positioned::numbered(items),
    };
    ctx.out.print(&result)?;
    Ok(if result.items.is_empty() {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}
