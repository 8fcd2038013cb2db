use anyhow::Result;
use serde_json::Value;

use super::staging::{self, StageArg};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::input::lookup;
use crate::output::terminal_width;

/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;

/// List the items waiting for review, in the order `pipectl review` shows them
///
/// Position 1 is the next in line (LINDEX <staging list> -1); `approve` and `reject` take
/// these positions. On a terminal: a table of the chosen fields, cut with … to the width
/// (COLUMNS, else the terminal's); an item that is not a JSON object, or has none of the
/// fields, shows as text in the first column. In a pipe: the raw items, one per line (as
/// `pipectl ls`). With --json: NDJSON records {"pos":…,"item":…}, lossless (see `ls`).
///
/// Examples:
///   pipectl staged
///   pipectl staged --columns name,site.city,preview_url --limit 20
///   pipectl staged --json | jq -r 'select(.item.phone == null) | .pos'
///
/// Exit codes: 0 listed (even when empty), 1 the output could not be written, 2 bad arguments,
/// 65 a key holds another type, 69 Redis unavailable, 77 not permitted, 78 no manual stage in
/// the config or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Fields to show in the table, as dotted paths (e.g. name,site.url,links.0)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "name,url,preview_url,phone",
        value_name = "FIELDS"
    )]
    pub columns: Vec<String>,

    /// Skip this many items first
    #[arg(long, default_value_t = 0)]
    pub offset: usize,

    /// Show at most this many items [default: all; 50 in a table]
    #[arg(long)]
    pub limit: Option<usize>,

    #[command(flatten)]
    pub stage: StageArg,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let manual = staging::manual_stage(ctx, &args.stage)?;
    if ctx.out.json || !ctx.out.stdout_tty {
        let ls = super::ls::Args {
            queue: manual.staged,
            offset: args.offset,
            limit: args.limit,
        };
        return super::ls::run(ls, ctx);
    }
    let columns: Vec<String> = args
        .columns
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    if columns.is_empty() {
        return Err(crate::error::Fail::usage("--columns names no field")
            .hint("e.g. --columns name,url,preview_url")
            .into());
    }

    let mut store = ctx.store()?;
    let total = store.lens(std::slice::from_ref(&manual.staged))?[0];
    let items = store.page(
        &manual.staged,
        args.offset,
        args.limit.unwrap_or(TABLE_ROWS),
    )?;
    if items.is_empty() {
        ctx.out.note(format_args!(
            "nothing staged in {}{}",
            manual.staged,
            if total > 0 {
                format!(" past position {} ({total} staged)", args.offset)
            } else {
                String::new()
            }
        ));
        return Ok(Exit::Ok);
    }
    let mut header = vec!["#".to_owned()];
    header.extend(columns.iter().cloned());
    let rows: Vec<Vec<String>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| row(args.offset + i + 1, item, &columns))
        .collect();
    let table = ctx.out.fitted_table(header, rows, terminal_width());
    ctx.out.table(&table)?;
    let shown_end = args.offset + items.len();
    if (shown_end as u64) < total || args.offset > 0 {
        ctx.out.note(format_args!(
            "showing {}–{shown_end} of {total}; page with --offset/--limit",
            args.offset + 1
        ));
    }
    Ok(Exit::Ok)
}

/// One table row: the position, then each column's value. An item with none of the columns
/// (or not a JSON object) shows whole, as text, in the first column.
fn row(pos: usize, item: &[u8], columns: &[String]) -> Vec<String> {
    let mut cells: Vec<String> = vec![String::new(); columns.len()];
    let parsed = serde_json::from_slice::<Value>(item).ok();
    let mut any = false;
    if let Some(value @ Value::Object(_)) = &parsed {
        for (cell, path) in cells.iter_mut().zip(columns) {
            if let Some(text) = field_text(value, path) {
                *cell = text;
                any = true;
            }
        }
    }
    if !any {
        // The item's own text, so the text `a` and the JSON string `"a"` look different.
        cells[0] = crate::item::display(item);
    }
    let mut row = vec![pos.to_string()];
    row.extend(cells);
    row
}

/// A field as table text: strings as they are, anything else as compact JSON; null as nothing.
pub fn field_text(value: &Value, path: &str) -> Option<String> {
    match lookup(value, path)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_show_fields_or_the_whole_item() {
        let cols: Vec<String> = ["name", "site.url", "n"].map(String::from).into();
        assert_eq!(
            row(1, br#"{"name":"Acme","site":{"url":"a.com"},"n":3}"#, &cols),
            ["1", "Acme", "a.com", "3"]
        );
        assert_eq!(
            row(2, br#"{"other":1}"#, &cols),
            ["2", r#"{"other":1}"#, "", ""]
        );
        assert_eq!(row(3, b"plain \xff text", &cols)[1], "plain \\xff text");
        assert_eq!(
            row(4, br#""a json string""#, &cols)[1],
            r#""a json string""#
        );
        assert_eq!(row(6, b"two\nlines", &cols)[1], "two\\nlines");
        assert_eq!(row(5, b"[1,2]", &cols)[1], "[1,2]");
    }
}
