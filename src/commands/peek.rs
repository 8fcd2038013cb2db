use anyhow::Result;
use serde_json::{Value, json};

use crate::context::Ctx;
use crate::exit::Exit;
use crate::item;

/// Show the next items a consumer would take, without taking them
///
/// Example:
///   pipectl peek prospect:queue --count 3
///
/// Exit codes: 0 items shown, 3 the queue is empty.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list)
    pub queue: String,

    /// How many items to show
    #[arg(long, short = 'n', default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub count: u64,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let items = ctx.store()?.peek(&args.queue, args.count as usize)?;
    if ctx.out.json {
        let values: Vec<Value> = items.iter().map(|i| item::object(i)).collect();
        ctx.out
            .json(&json!({"queue": args.queue, "items": values}))?;
    } else {
        for item in &items {
            ctx.out.item_line(item)?;
        }
    }
    Ok(if items.is_empty() {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}
