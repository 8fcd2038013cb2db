use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;

/// Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days
///
/// Without names, every counter found in the window is shown (found by SCAN, not KEYS),
/// among them the per-stage counters `pipectl run` keeps (<pipeline>:<stage>:<event>).
/// Rows are counters; a trend sparkline (▁▂▃▄▅▆▇█, oldest day first, scaled to the row's
/// busiest day), one column per day (up to 14 days), and a total.
/// With --json every counter also has "trend", the same sparkline.
///
/// Examples:
///   pipectl stats
///   pipectl stats prospects prospect:new --days 14 --json
///
/// Exit codes: 0 shown, 1 the output could not be written, 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Counter names [default: all found]
    pub names: Vec<String>,

    /// How many days, ending today
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
}

/// Beyond this many days the table shows the trend, today and the total, not every day.
const MAX_DAY_COLUMNS: usize = 14;

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
            .map(|(name, vals)| json!({"name": name, "values": vals, "total": total(vals), "trend": sparkline(vals)}))
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
    let by_day = days.len() <= MAX_DAY_COLUMNS;
    let mut header: Vec<String> = vec!["counter".into(), "trend".into()];
    if by_day {
        header.extend(days.iter().map(|d| d.get(5..).unwrap_or(d).to_owned()));
    } else {
        header.push("today".into());
    }
    header.push("total".into());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = ctx.out.new_table(&header_refs);
    for (name, vals) in rows {
        let mut row = vec![name.clone(), sparkline(vals)];
        if by_day {
            row.extend(vals.iter().map(i64::to_string));
        } else {
            row.push(vals.last().copied().unwrap_or(0).to_string());
        }
        row.push(total(vals).to_string());
        table.add_row(row);
    }
    ctx.out.table(&table)?;
    Ok(Exit::Ok)
}

/// The sum of a row, saturating: counters are set by hand too, and may be anything.
pub fn total(values: &[i64]) -> i64 {
    values.iter().fold(0i64, |sum, v| sum.saturating_add(*v))
}

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One block per value, scaled to the largest: ▁ is nothing (or less), █ the busiest day.
/// Any value above zero shows at least ▂, so a quiet day is told apart from an empty one.
pub fn sparkline(values: &[i64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(0);
    values
        .iter()
        .map(|&v| {
            if v <= 0 || max == 0 {
                return BLOCKS[0];
            }
            // 1..=7 in proportion to the maximum, rounded up.
            let level = (i128::from(v) * 7 + i128::from(max) - 1) / i128::from(max);
            let level = level.clamp(1, 7);
            BLOCKS[level as usize]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_busiest_day() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 7, 14]), "▁▂▂▃▅█");
        assert_eq!(sparkline(&[0, 0, 0]), "▁▁▁");
        assert_eq!(sparkline(&[-5, 3, 3]), "▁██");
        assert_eq!(sparkline(&[1, i64::MAX]), "▂█");
        assert_eq!(sparkline(&[]), "");
    }
}
