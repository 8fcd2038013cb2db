use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::input::{Condition, parse_condition};
use crate::item::{Item, Positioned};
use crate::output::{summary, terminal_width};

/// Entries read per LRANGE: memory stays flat however long the list is.
const PAGE: usize = 1_000;
/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;

/// Search a list: a queue, a staging list, ready, rejected, the dead letters
///
/// Looks at every entry of LIST from the consumer end, in pages (a list of millions is fine),
/// and shows those matching every --where, numbered as `pipectl ls` numbers them (1 = next in
/// line: LINDEX <list> -1), which `move`, `rm` and `unreject` take. In the dead-letter list and
/// the rejected list an entry is seen as its envelope, so FIELD is a path into it: item.url
/// (the item's fields), error (a dead letter's reason), reason (a rejection's), stage, bare
/// (true for entries pushed by hand); anywhere else as the item itself (url, site.city).
/// A table on a terminal (the first 50 unless --limit); the entries, one per line, in a pipe
/// (as `pipectl ls`); NDJSON records {"pos":…,"item":…} with --json, the entry exactly as
/// stored in its lossless form (item, item_text or item_base64).
///
/// Examples:
///   pipectl find prospect:queue --where url~acme
///   pipectl find prospect:failed --where 'error~timed out' --where item.city=Austin
///   pipectl find prospect:rejected --where reason~parked --json | jq .pos
///
/// Exit codes: 0 found, 1 the output could not be written, 2 bad arguments, 3 nothing matched
/// (or the list is empty), 65 the key holds another type, 69 Redis unavailable, 77 not
/// permitted, 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The list to search (a Redis key)
    pub list: String,

    /// Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >,
    /// <=, <); repeat to require several
    #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = parse_condition)]
    pub filters: Vec<Condition>,

    /// Show at most this many [default: all; 50 in a table]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let role = super::role(ctx.config()?, &args.list);
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .map_or(if as_table { TABLE_ROWS } else { usize::MAX }, |l| {
            usize::try_from(l).unwrap_or(usize::MAX)
        });
    let mut store = ctx.store()?;
    let total = super::select::length(&mut store, &args.list)?;
    let bar = ctx.out.progress(total as u64, "looked at");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let scanned = scan(
        &mut store,
        &role,
        &args.list,
        &args.filters,
        limit,
        &bar,
        |pos, entry| {
            if as_table {
                rows.push(vec![pos.to_string(), summary(&entry, usize::MAX)]);
            } else {
                ctx.out.print(&Positioned {
                    pos: pos as u64,
                    item: Item(entry),
                })?;
            }
            Ok(())
        },
    )?;
    let (found, offset, more) = (scanned.found, scanned.offset, scanned.more);
    bar.finish_and_clear();
    if as_table {
        if rows.is_empty() {
            ctx.out.line(if offset == 0 && total == 0 {
                format!("{} is empty", args.list)
            } else {
                format!("nothing in {} matches", args.list)
            })?;
        } else {
            let table =
                ctx.out
                    .fitted_table(vec!["#".into(), "item".into()], rows, terminal_width());
            ctx.out.table(&table)?;
            if more {
                ctx.out.note(format_args!(
                    "showing the first {found} matches; more with --limit N, or all with --json"
                ));
            }
        }
    }
    Ok(if found == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

/// What a scan found.
pub struct Scanned {
    /// Entries that matched and were handed on.
    pub found: usize,
    /// Where the last page read started.
    pub offset: usize,
    /// Whether more matched than `limit`.
    pub more: bool,
}

/// Reads `list` from the consumer end in pages and hands each entry matching `filters` (as
/// `role` sees entries) to `each` with its position (1 = next in line), up to `limit`.
pub fn scan(
    store: &mut crate::store::Store,
    role: &super::Role,
    list: &str,
    filters: &[Condition],
    limit: usize,
    bar: &indicatif::ProgressBar,
    mut each: impl FnMut(usize, Vec<u8>) -> Result<()>,
) -> Result<Scanned> {
    let (mut found, mut offset, mut more) = (0usize, 0usize, false);
    'pages: loop {
        let page = store.page(list, offset, PAGE)?;
        let full = page.len() == PAGE;
        bar.inc(page.len() as u64);
        for (i, entry) in page.into_iter().enumerate() {
            if !role.matches(&entry, filters) {
                continue;
            }
            if found == limit {
                more = true;
                break 'pages;
            }
            found += 1;
            each(offset + i + 1, entry)?;
        }
        if !full {
            break;
        }
        offset += PAGE;
    }
    Ok(Scanned {
        found,
        offset,
        more,
    })
}
