use anyhow::Result;
use serde_json::Value;

use super::{Manual, StageArg};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::input::lookup;
use crate::item::Item;
use crate::output::{Output, terminal_width};
use crate::store::Store;

/// Rows a table shows when --limit is not given.
const TABLE_ROWS: usize = 50;
/// Items read per round trip with --json: memory stays flat however long the list.
const PAGE: usize = 1_000;

/// List the items waiting for review, in the order `pipectl review` shows them
///
/// Position 1 is the next in line (LINDEX <staging list> -1); `approve` and `reject` take
/// these positions. On a terminal: a table of the chosen fields, cut with … to the width
/// (COLUMNS, else the terminal's), then how long each item has waited, who holds a claim on
/// it, and the question of an item a handler escalated; an item that is not a JSON object,
/// or has none of the fields, shows as text in the first column. In a pipe: the raw items,
/// one per line (as `pipectl ls`). With --json: NDJSON records {"pos","item",
/// "staged_at","waiting_ms","overdue","claimed_by","claimed_until","question","asked_by",
/// "sampled"}, the item lossless (see `ls`); unknown values are null.
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
    if !ctx.out.json && !ctx.out.stdout_tty {
        // The same lines as `ls` of the staging list, streamed in pages.
        let ls = crate::commands::ls::Args {
            queue: manual.staged,
            offset: args.offset,
            limit: args.limit,
        };
        return crate::commands::ls::run(ls, ctx);
    }
    if ctx.out.json {
        let mut store = ctx.store()?;
        let (mut offset, mut left) = (args.offset, args.limit.unwrap_or(usize::MAX));
        while left > 0 {
            let page = execute(&mut store, &manual, offset, left.min(PAGE))?;
            for record in &page.items {
                ctx.out.print(record)?;
            }
            if page.items.len() < left.min(PAGE) {
                break;
            }
            offset += page.items.len();
            left -= page.items.len();
        }
        return Ok(Exit::Ok);
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
    pub items: Vec<StagedRecord>,
}

/// A record of `pipectl staged --json`: a staged item and what pipectl knows about it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StagedRecord {
    /// Its position, 1 = next in line (what approve/reject take).
    pub pos: u64,
    #[serde(flatten)]
    pub item: Item,
    /// When it was staged (RFC 3339 UTC, server clock); null when pipectl does not know
    /// (pushed by hand and not yet seen by `pipectl run` of the stage).
    pub staged_at: Option<String>,
    /// How long it has waited, in ms; null when unknown.
    pub waiting_ms: Option<u64>,
    /// It has waited longer than the stage's `max_wait`.
    pub overdue: bool,
    /// The reviewer holding a live claim on it; null when unclaimed.
    pub claimed_by: Option<String>,
    /// When that claim ends (RFC 3339 UTC); null when unclaimed.
    pub claimed_until: Option<String>,
    /// The question of a handler that escalated it to a person; null otherwise.
    pub question: Option<String>,
    /// The stage whose handler asked; null when not escalated.
    pub asked_by: Option<String>,
    /// The stage's auto-approve policy left it for a person, as its audit sample.
    pub sampled: bool,
}

impl crate::output::Report for StagedRecord {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.item_line(&self.item.0)
    }
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
    let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
    let (meta, now) = store.staged_meta(&manual.keys, &refs)?;
    let max_wait = manual.rules.max_wait.map(|d| d.as_millis() as u64);
    Ok(StagedPage {
        queue: manual.staged.clone(),
        total,
        offset,
        items: items
            .into_iter()
            .zip(meta)
            .zip(offset as u64 + 1..)
            .map(|((bytes, meta), pos)| {
                let waiting_ms = meta.since_ms.map(|since| now.saturating_sub(since));
                StagedRecord {
                    pos,
                    item: Item(bytes),
                    staged_at: meta.since_ms.map(crate::date::from_ms),
                    waiting_ms,
                    overdue: matches!((waiting_ms, max_wait), (Some(w), Some(m)) if w > m),
                    claimed_by: meta.claim.as_ref().map(|c| c.by.clone()),
                    claimed_until: meta
                        .claim
                        .as_ref()
                        .map(|c| crate::date::from_ms(c.until_ms)),
                    question: meta.ask.as_ref().map(|a| a.question.clone()),
                    asked_by: meta.ask.map(|a| a.stage),
                    sampled: meta.sampled,
                }
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
        // Bookkeeping columns only when some item on the page has something to show.
        let waits = self.items.iter().any(|r| r.waiting_ms.is_some());
        let claims = self.items.iter().any(|r| r.claimed_by.is_some());
        let asks = self.items.iter().any(|r| r.question.is_some());
        let extra: Vec<(&str, bool)> = vec![
            ("waiting", waits),
            ("claimed by", claims),
            ("question", asks),
        ];
        header.extend(
            extra
                .iter()
                .filter(|(_, on)| *on)
                .map(|(h, _)| (*h).to_owned()),
        );
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|r| {
                let mut cells = row(r.pos as usize, &r.item.0, columns);
                if waits {
                    let waited = r.waiting_ms.map_or_else(
                        || "?".to_owned(),
                        |ms| crate::duration::format(std::time::Duration::from_millis(ms)),
                    );
                    cells.push(if r.overdue {
                        format!("{waited} overdue")
                    } else {
                        waited
                    });
                }
                if claims {
                    cells.push(r.claimed_by.clone().unwrap_or_default());
                }
                if asks {
                    cells.push(match (&r.asked_by, &r.question) {
                        (Some(stage), Some(q)) => format!("{stage}: {q}"),
                        _ => String::new(),
                    });
                }
                cells
            })
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
