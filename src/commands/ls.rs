use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::item::{Item, Positioned};
use crate::output::{Output, Report, summary, terminal_width};
use crate::store::Store;

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
/// --delayed lists the queue's delayed set instead (<queue>:delayed: retries waiting out a
/// backoff, and items enqueued with --in/--at), soonest due first, each with its due time:
/// in a pipe one line per entry, the due time (RFC 3339, UTC), a tab, the item; with --json
/// {"pos":…,"due":…,"due_ms":…,"id":…,"item":…}.
///
/// Examples:
///   pipectl ls prospect:staged
///   pipectl ls prospect:queue --json | jq -r .item.url
///   pipectl ls prospect:queue --delayed
///
/// Exit codes: 0 listed (even when empty), 1 the output could not be written, 65 a key holds
/// another type, 69 Redis unavailable, 77 not permitted, 2 a bad --url, 78 a TLS file that
/// cannot be read.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Command {
    #[command(flatten)]
    pub list: Args,

    /// List the queue's delayed set (<queue>:delayed) with each entry's due time, soonest first
    #[arg(long)]
    pub delayed: bool,
}

// What `ls` lists and how much of it (`staged` lists its staging list with these).
#[derive(clap::Args, Debug)]
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

/// A record of `ls --delayed`: an entry of a queue's delayed set, by position (1 = the
/// soonest due).
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DelayedRecord {
    pub pos: u64,
    /// When it becomes due (RFC 3339, UTC); null for a score no calendar holds (set by hand).
    pub due: Option<String>,
    /// Its due time in ms since the epoch (the entry's score, server clock).
    pub due_ms: i64,
    /// The entry's 16-hex id (the member's prefix `<id>:`); null for a member made by hand
    /// without one, which is taken whole as the item.
    pub id: Option<String>,
    #[serde(flatten)]
    pub item: Item,
}

impl Report for DelayedRecord {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let due = self.due.clone().unwrap_or_else(|| self.due_ms.to_string());
        out.write_bytes(format!("{due}\t").as_bytes())?;
        out.item_line(&self.item.0)
    }
}

/// `pipectl ls`: the list, or with --delayed the queue's delayed set.
pub fn run_command(command: Command, ctx: &mut Ctx) -> Result<Exit> {
    if !command.delayed {
        return run(command.list, ctx);
    }
    let args = command.list;
    let mut store = ctx.store()?;
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { usize::MAX });
    delayed(&args, limit, as_table, &mut store, ctx)
}

/// Lists a list's items, next first, in pages.
pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let mut store = ctx.store()?;
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { usize::MAX });

    if as_table {
        let total = store.lens(std::slice::from_ref(&args.queue))?[0];
        let items = store.page(&args.queue, args.offset, limit)?;
        let rows = items
            .iter()
            .enumerate()
            .map(|(i, item)| vec![(args.offset + i + 1).to_string(), summary(item, usize::MAX)])
            .collect();
        table(ctx, &args, &args.queue, total, vec!["#", "item"], rows)?;
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

/// `ls --delayed`: the delayed set, soonest first, in pages.
fn delayed(
    args: &Args,
    limit: usize,
    as_table: bool,
    store: &mut Store,
    ctx: &mut Ctx,
) -> Result<Exit> {
    let key = crate::keys::QueueKeys::new(&args.queue).delayed;
    if as_table {
        let total = store.delayed_len(&key)?;
        let entries = store.delayed_page(&key, args.offset, limit)?;
        let now = i64::try_from(store.server_ms()?).unwrap_or(i64::MAX);
        let rows = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![
                    (args.offset + i + 1).to_string(),
                    crate::due::rfc3339(e.due_ms).unwrap_or_else(|| e.due_ms.to_string()),
                    crate::due::until(e.due_ms, now),
                    summary(&e.item, usize::MAX),
                ]
            })
            .collect();
        table(ctx, args, &key, total, vec!["#", "due", "in", "item"], rows)?;
        return Ok(Exit::Ok);
    }
    let mut offset = args.offset;
    let mut left = limit;
    while left > 0 {
        let page = store.delayed_page(&key, offset, left.min(PAGE))?;
        let got = page.len();
        for (i, entry) in page.into_iter().enumerate() {
            ctx.out.print(&DelayedRecord {
                pos: (offset + i + 1) as u64,
                due: crate::due::rfc3339(entry.due_ms),
                due_ms: entry.due_ms,
                id: entry.id,
                item: Item(entry.item),
            })?;
        }
        if got < left.min(PAGE) {
            break;
        }
        offset += got;
        left -= got;
    }
    Ok(Exit::Ok)
}

/// A page of `key` as a table, or a line saying there is nothing to show; a note when the
/// page is not all of it.
fn table(
    ctx: &mut Ctx,
    args: &Args,
    key: &str,
    total: u64,
    header: Vec<&str>,
    rows: Vec<Vec<String>>,
) -> Result<()> {
    if rows.is_empty() {
        ctx.out.line(if total == 0 {
            format!("{key} is empty")
        } else {
            format!("nothing past position {total} of {key}")
        })?;
        return Ok(());
    }
    let shown_end = args.offset + rows.len();
    let header = header.into_iter().map(str::to_owned).collect();
    let table = ctx.out.fitted_table(header, rows, terminal_width());
    ctx.out.table(&table)?;
    if (shown_end as u64) < total || args.offset > 0 {
        ctx.out.note(format_args!(
            "showing {}–{shown_end} of {total}; page with --offset/--limit",
            (args.offset + 1).min(shown_end)
        ));
    }
    Ok(())
}
