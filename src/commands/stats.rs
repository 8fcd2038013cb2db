use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;

/// Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days
///
/// Without names, every counter found in the window is shown (found by SCAN, not KEYS).
/// Rows are counters, columns are days, oldest first, and a total.
///
/// Examples:
///   pipectl stats
///   pipectl stats prospects prospect:new --days 14 --json
///
/// Exit codes: 0.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Counter names [default: all found]
    pub names: Vec<String>,

    /// How many days, ending today
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let days = super::last_days(args.days);
    let mut store = ctx.store()?;
    let names: Vec<String> = if args.names.is_empty() {
        let window: BTreeSet<&str> = days.iter().map(String::as_str).collect();
        let found: BTreeSet<String> = store
            .scan(keys::COUNTER_PATTERN)?
            .iter()
            .filter_map(|k| keys::parse_counter(k))
            .filter(|(_, day)| window.contains(day))
            .map(|(name, _)| name.to_owned())
            .collect();
        found.into_iter().collect()
    } else {
        args.names.clone()
    };
    let keys: Vec<String> = names
        .iter()
        .flat_map(|n| days.iter().map(move |d| keys::counter(n, d)))
        .collect();
    let values = store.counters(&keys)?;
    let rows: Vec<(&String, &[i64])> = names.iter().zip(values.chunks(days.len().max(1))).collect();

    if ctx.out.json {
        let counters: Vec<_> = rows
            .iter()
            .map(|(name, vals)| json!({"name": name, "values": vals, "total": vals.iter().sum::<i64>()}))
            .collect();
        ctx.out.json(&json!({"days": days, "counters": counters}))?;
        return Ok(Exit::Ok);
    }
    if rows.is_empty() {
        ctx.out.note(format_args!(
            "no counters in the last {} days; `pipectl count NAME` makes one",
            args.days
        ));
        return Ok(Exit::Ok);
    }
    let mut header: Vec<String> = vec!["counter".into()];
    header.extend(days.iter().map(|d| d.get(5..).unwrap_or(d).to_owned()));
    header.push("total".into());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = ctx.out.new_table(&header_refs);
    for (name, vals) in rows {
        let mut row = vec![name.clone()];
        row.extend(vals.iter().map(i64::to_string));
        row.push(vals.iter().sum::<i64>().to_string());
        table.add_row(row);
    }
    ctx.out.table(&table)?;
    Ok(Exit::Ok)
}
