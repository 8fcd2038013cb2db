use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::item::{Item, Positioned};
use crate::output::{summary, terminal_width};

/// Items fetched per round trip: memory stays flat however long the list is.
const PAGE: usize = 1_000;
/// Rows a table shows when --limit is not given (a table is for reading, not for 1M rows).
const TABLE_ROWS: usize = 50;

/// List a queue's items in the order they will be taken
///
/// Position 1 is the next item a consumer takes (the right end: LINDEX <queue> -1).
/// A table on a terminal; raw items, one per line, in a pipe (an item holding a line break
/// is written with \n escaped); NDJSON records {"pos":…,"item":…} with --json, the item in
/// its lossless form (item, item_text or item_base64: see the README). Streams in pages, so a list of millions is fine.
///
/// Examples:
///   pipectl ls prospect:staged
///   pipectl ls prospect:queue --json | jq -r .item.url
///
/// Exit codes: 0 listed (even when empty), 1 the output could not be written, 65 a key holds
/// another type, 69 Redis unavailable, 77 not permitted, 2 a bad --url, 78 a TLS file that
/// cannot be read.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list)
    pub queue: String,

    /// Skip this many items first
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// Show at most this many items [default: all; 50 in a table]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let mut store = ctx.store()?;
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { usize::MAX });

    if as_table {
        let total = store.lens(std::slice::from_ref(&args.queue))?[0];
        let items = store.page(&args.queue, args.offset, limit)?;
        if items.is_empty() {
            ctx.out.line(if total == 0 {
                format!("{} is empty", args.queue)
            } else {
                format!("nothing past position {total} of {}", args.queue)
            })?;
            return Ok(Exit::Ok);
        }
        let rows = items
            .iter()
            .enumerate()
            .map(|(i, item)| vec![(args.offset + i + 1).to_string(), summary(item, usize::MAX)])
            .collect();
        let table = ctx
            .out
            .fitted_table(vec!["#".into(), "item".into()], rows, terminal_width());
        ctx.out.table(&table)?;
        let shown_end = args.offset + items.len();
        if (shown_end as u64) < total || args.offset > 0 {
            ctx.out.note(format_args!(
                "showing {}–{shown_end} of {total}; page with --offset/--limit",
                (args.offset + 1).min(shown_end)
            ));
        }
        return Ok(Exit::Ok);
    }

    let mut offset = args.offset;
    let mut left = limit;
    while left > 0 {
        let page = store.page(&args.queue, offset, left.min(PAGE))?;
        for (i, item) in page.iter().enumerate() {
            ctx.out.print(&Positioned {
                pos: (offset + i + 1) as u64,
                item: Item(item.clone()),
            })?;
        }
        if page.len() < left.min(PAGE) {
            break;
        }
        offset += page.len();
        left -= page.len();
    }
    Ok(Exit::Ok)
}
