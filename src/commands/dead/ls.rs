use std::time::Duration;

use anyhow::Result;

use super::PAGE;
use super::letter::{self, Condition, Filter, Letter};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{summary, terminal_width};

/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;

/// List dead letters, newest first
///
/// Position 1 is the newest (LINDEX <list> 0); `dead show` and `dead retry` take the same
/// positions. A table on a terminal (the first 50 unless --limit); NDJSON records
/// {"pos","stage","queue","error","attempts","failed_at","item","bare"} with --json or in a
/// pipe. Entries pushed by hand are listed with "bare": true. Reads the list in pages, so a
/// million dead letters are fine.
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
    /// Only dead letters of this stage
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,

    /// Only those that failed within this long (e.g. 1d); bare items have no date and are left out
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub since: Option<Duration>,

    /// Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted
    /// path into the envelope: stage, error, attempts, item.url, bare (true for entries
    /// pushed by hand). Repeat to require several.
    #[arg(long = "where", value_parser = letter::parse_condition, value_name = "FIELD=VALUE")]
    pub conditions: Vec<Condition>,

    /// Show at most this many [default: all; 50 in a table]
    #[arg(long)]
    pub limit: Option<usize>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let list = ctx.config()?.dead_letters.clone();
    let filter = Filter {
        stage: args.stage,
        since: args.since.map(letter::ago),
        conditions: args.conditions,
    };
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { usize::MAX });
    let mut store = ctx.store()?;

    let mut rows: Vec<(usize, Letter)> = Vec::new();
    let mut shown = 0usize;
    let mut more = false;
    let mut start = 0usize;
    'pages: loop {
        let page = store.range(&list, start, PAGE)?;
        let full = page.len() == PAGE;
        for (i, raw) in page.into_iter().enumerate() {
            let letter = Letter::parse(raw);
            if !filter.matches(&letter) {
                continue;
            }
            if shown == limit {
                more = true;
                break 'pages;
            }
            shown += 1;
            let pos = start + i + 1;
            if as_table {
                rows.push((pos, letter));
            } else {
                ctx.out.json(&letter.record(pos))?;
            }
        }
        if !full {
            break;
        }
        start += PAGE;
    }
    if !as_table {
        return Ok(Exit::Ok);
    }
    if rows.is_empty() {
        ctx.out
            .note(format_args!("no dead letters in {list} match"));
        return Ok(Exit::Ok);
    }
    let header = ["#", "stage", "error", "tries", "failed", "item"]
        .map(String::from)
        .to_vec();
    let mut cells = Vec::with_capacity(rows.len());
    for (pos, letter) in &rows {
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
    if more {
        ctx.out.note(format_args!(
            "showing the first {shown}; more with --limit N, or all with --json"
        ));
    }
    Ok(Exit::Ok)
}
