use anyhow::Result;

use super::PAGE;
use super::letter::{self, Filter, Letter, Record};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{summary, terminal_width};
use crate::store::Store;

/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;

/// List dead letters, newest first
///
/// Position 1 is the newest (LINDEX <list> 0); `dead show` and `dead retry` take the same
/// positions. A table on a terminal (the first 50 unless --limit); NDJSON records
/// {"queue","pos","stage","source_queue","error","attempts","failed_at","item","bare"} with
/// --json or in a pipe ("queue" is the dead-letter list, "source_queue" the queue the item
/// failed out of). Entries pushed by hand are listed with "bare": true. Reads the list in
/// pages, so a million dead letters are fine.
///
/// Examples:
///   pipectl dead ls
///   pipectl dead ls --stage outreach --since 1d
///   pipectl dead ls --where 'error~bounced' --json | jq -r .item.phone
///
/// Exit codes: 0 listed (also when nothing matched), 1 the output could not be written, 65 a
/// key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration, 2 a
/// bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub select: letter::Select,

    /// Show at most this many [default: all; 50 in a table]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let list = ctx.config()?.dead_letters.clone();
    let filter = args.select.filter();
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { usize::MAX });
    let mut store = ctx.store()?;

    if !as_table {
        scan(&mut store, &list, &filter, limit, |pos, letter| {
            Ok(ctx.out.print(&Record::new(&list, pos, &letter))?)
        })?;
        return Ok(Exit::Ok);
    }
    let mut rows: Vec<(usize, Letter)> = Vec::new();
    let scanned = scan(&mut store, &list, &filter, limit, |pos, letter| {
        rows.push((pos, letter));
        Ok(())
    })?;
    if rows.is_empty() {
        ctx.out.line(if scanned.looked == 0 {
            format!("{list} is empty: no dead letters")
        } else {
            format!(
                "none of the {} dead letter{} in {list} match",
                scanned.looked,
                crate::commands::enqueue::plural(scanned.looked as u64)
            )
        })?;
        return Ok(Exit::Ok);
    }
    table(ctx, &rows)?;
    if scanned.more {
        ctx.out.note(format_args!(
            "showing the first {}; more with --limit N, or all with --json",
            rows.len()
        ));
    }
    Ok(Exit::Ok)
}

/// What a scan looked at.
pub struct Scanned {
    /// Entries read from the list.
    pub looked: usize,
    /// Whether more matched than `limit`.
    pub more: bool,
}

/// Reads the list newest first in pages and hands each entry that matches to `each`, with
/// its position, up to `limit` of them.
pub fn scan(
    store: &mut Store,
    list: &str,
    filter: &Filter,
    limit: usize,
    mut each: impl FnMut(usize, Letter) -> Result<()>,
) -> Result<Scanned> {
    let mut shown = 0usize;
    let mut start = 0usize;
    let mut looked = 0usize;
    loop {
        let page = store.range(list, start, PAGE)?;
        let full = page.len() == PAGE;
        for (i, raw) in page.into_iter().enumerate() {
            looked += 1;
            let letter = Letter::parse(raw);
            if !filter.matches(&letter) {
                continue;
            }
            if shown == limit {
                return Ok(Scanned { looked, more: true });
            }
            shown += 1;
            each(start + i + 1, letter)?;
        }
        if !full {
            return Ok(Scanned {
                looked,
                more: false,
            });
        }
        start += PAGE;
    }
}

fn table(ctx: &mut Ctx, rows: &[(usize, Letter)]) -> Result<()> {
    let header = ["#", "stage", "error", "tries", "failed", "item"]
        .map(String::from)
        .to_vec();
    let mut cells = Vec::with_capacity(rows.len());
    for (pos, letter) in rows {
        let (stage, error) = if letter.is_envelope() {
            (
                letter.stage().unwrap_or("-").to_owned(),
                letter.error().unwrap_or_default(),
            )
        } else {
            ("-".to_owned(), "(bare item)".to_owned())
        };
        cells.push(vec![
            pos.to_string(),
            stage,
            error,
            letter
                .attempts()
                .map(|a| a.to_string())
                .unwrap_or_else(|| "-".into()),
            letter
                .failed_at()
                .map(|at| format!("{} ago", letter::age(at)))
                .unwrap_or_else(|| "-".into()),
            summary(&letter.item, usize::MAX),
        ]);
    }
    let table = ctx.out.fitted_table(header, cells, terminal_width());
    ctx.out.table(&table)?;
    Ok(())
}
