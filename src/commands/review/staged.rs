use anyhow::Result;
use serde_json::Value;

use super::{Manual, StageArg};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::input::lookup;
use crate::item::{Item, Positioned};
use crate::output::{Output, terminal_width};
use crate::store::Store;

/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;

/// List the items waiting for review, in the order `pipectl review` shows them
///
/// Position 1 is the next in line (LINDEX <staging list> -1); `approve` and `reject` take
/// these positions. On a terminal: a table of the chosen fields, cut with … to the width
/// (COLUMNS, else the terminal's); an item that is not a JSON object, or has none of the
/// fields, shows as text in the first column. In a pipe: the raw items, one per line (as
/// `pipectl ls`). With --json: NDJSON records {"pos":…,"item":…}, lossless (see `ls`).
/// Nothing staged: a plain line on a terminal, no records in a pipe.
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
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// Show at most this many items [default: all; 50 in a table]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    #[command(flatten)]
    pub stage: StageArg,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let manual = super::manual_stage(ctx, &args.stage)?;
    if ctx.out.json || !ctx.out.stdout_tty {
        // The same records as `ls` of the staging list, streamed in pages.
        let ls = crate::commands::ls::Args {
            queue: manual.staged,
            offset: args.offset,
            limit: args.limit,
        };
        return crate::commands::ls::run(ls, ctx);
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
    let page = execute(
        &mut ctx.store()?,
        &manual,
        args.offset,
        args.limit.unwrap_or(TABLE_ROWS),
    )?;
    page.table(&mut ctx.out, &columns)?;
    Ok(Exit::Ok)
}

/// One page of the staging list, as the table shows it.
#[derive(Debug)]
pub struct StagedPage {
    /// The staging list.
    pub queue: String,
    /// Items staged in all.
    pub total: u64,
    /// Items skipped before this page.
    pub offset: usize,
    pub items: Vec<Positioned>,
}

/// Reads up to `limit` staged items after the first `offset`, next in line first.
pub fn execute(
    store: &mut Store,
    manual: &Manual,
    offset: usize,
    limit: usize,
) -> Result<StagedPage> {
    let total = store.lens(std::slice::from_ref(&manual.staged))?[0];
    let items = store.page(&manual.staged, offset, limit)?;
    Ok(StagedPage {
        queue: manual.staged.clone(),
        total,
        offset,
        items: items
            .into_iter()
            .zip(offset as u64 + 1..)
            .map(|(bytes, pos)| Positioned {
                pos,
                item: Item(bytes),
            })
            .collect(),
    })
}

impl StagedPage {
    /// A table of `columns` cut to the terminal's width; a plain line when the page is empty.
    pub fn table(&self, out: &mut Output, columns: &[String]) -> std::io::Result<()> {
        if self.items.is_empty() {
            return out.line(if self.total == 0 {
                format!("nothing staged in {}", self.queue)
            } else {
                format!(
                    "nothing staged in {} past position {} ({} staged)",
                    self.queue, self.offset, self.total
                )
            });
        }
        let mut header = vec!["#".to_owned()];
        header.extend(columns.iter().cloned());
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|p| row(p.pos as usize, &p.item.0, columns))
            .collect();
        let table = out.fitted_table(header, rows, terminal_width());
        out.table(&table)?;
        let shown_end = self.offset + self.items.len();
        if (shown_end as u64) < self.total || self.offset > 0 {
            out.note(format_args!(
                "showing {}–{shown_end} of {}; page with --offset/--limit",
                self.offset + 1,
                self.total
            ));
        }
        Ok(())
    }
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
