use std::collections::BTreeSet;

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;
use crate::output::{Output, Report};
use crate::store::{Probe, Store};

/// Show daily counters (stats:<NAME>:<YYYY-MM-DD>) over the last days
///
/// Without names, every counter found in the window is shown (found by SCAN, not KEYS),
/// among them the per-stage counters `pipectl run` keeps (<pipeline>:<stage>:<event>) and
/// what a stage's items cost as their handlers reported it (<pipeline>:<stage>:cost:<unit>,
/// kept in millionths of the unit, shown in units; `scale` in JSON).
/// Rows are counters; a trend sparkline (▁▂▃▄▅▆▇█, oldest day first, scaled to the row's
/// busiest day), one column per day (the most recent 14 at most, fewer when the terminal is
/// narrow), and a total.
/// A key under stats:* that is not a counter (another type, or not a number) is skipped
/// with a warning naming it (its day shows `?`, null in JSON).
/// With --json: {"days":[…],"counters":[{"name","values","total","trend","scale"}],"skipped":[…]}.
///
/// Examples:
///   pipectl stats
///   pipectl stats prospects prospect:new --days 14 --json
///
/// Exit codes: 0 shown, 1 the output could not be written, 69 Redis unavailable, loading or
/// a read-only replica, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Counter names [default: all found]
    pub names: Vec<String>,

    /// How many days, ending today
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366), value_name = "N")]
    pub days: u32,
}

/// The table shows at most this many days (the most recent; fewer when the terminal is
/// narrow); the trend and the total cover them all.
const MAX_DAY_COLUMNS: usize = 14;

/// `pipectl stats`: daily counters over a window of days.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Stats {
    /// The days of the window, oldest first (YYYY-MM-DD, local time).
    pub days: Vec<String>,
    /// One per counter name, sorted by name (or in the order asked for).
    pub counters: Vec<Counter>,
    /// Keys under stats:* that could not be read as counters.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Counter {
    pub name: String,
    /// One per day of `days`; 0 when the key is absent, null when it is not a counter.
    pub values: Vec<Option<i64>>,
    /// The sum of the values read.
    pub total: i64,
    /// The values as a sparkline (▁ nothing … █ the busiest day).
    pub trend: String,
    /// How many of a value make one unit: 1, or 1000000 for a cost counter
    /// (`<pipeline>:<stage>:cost:<unit>`, kept in millionths so money adds up exactly).
    pub scale: u64,
}

/// A key that is not a counter.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Skipped {
    pub key: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Counter keys read leniently: absent is `Some(0)`; a key of another type, or whose value
/// is not an integer, is None and listed in `skipped`.
pub struct Readings {
    pub values: Vec<Option<i64>>,
    /// Per key: whether it exists and holds a counter.
    pub counted: Vec<bool>,
    pub skipped: Vec<Skipped>,
}

pub fn read_counters(store: &mut Store, keys: &[String]) -> Result<Readings> {
    let probe = Probe {
        strings: keys.to_vec(),
        ..Probe::default()
    };
    let snap = store.snapshot(&probe)?;
    let mut skipped = Vec::new();
    let mut counted = Vec::with_capacity(keys.len());
    let values = keys
        .iter()
        .zip(snap.strings)
        .map(|(key, reading)| {
            counted.push(false);
            let reason = match reading {
                Ok(None) => return Some(0),
                Ok(Some(text)) => match text.trim().parse() {
                    Ok(n) => {
                        if let Some(last) = counted.last_mut() {
                            *last = true;
                        }
                        return Some(n);
                    }
                    Err(_) => format!(
                        "holds {:?}, not an integer",
                        crate::output::truncate(&text, 40)
                    ),
                },
                Err(e) => e,
            };
            skipped.push(Skipped {
                key: key.clone(),
                reason,
            });
            None
        })
        .collect();
    Ok(Readings {
        values,
        counted,
        skipped,
    })
}

/// The counters named (all found by SCAN when `names` is empty) over the last `days` days.
pub fn execute(store: &mut Store, names: &[String], days: u32) -> Result<Stats> {
    let days = crate::date::last_days(days);
    let discovered = names.is_empty();
    let names: Vec<String> = if discovered {
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
        names.to_vec()
    };
    let keys: Vec<String> = names
        .iter()
        .flat_map(|n| days.iter().map(move |d| keys::counter(n, d)))
        .collect();
    let Readings {
        values,
        counted,
        skipped,
    } = read_counters(store, &keys)?;
    let per_name = days.len().max(1);
    let counters = names
        .iter()
        .zip(values.chunks(per_name).zip(counted.chunks(per_name)))
        // A name found by SCAN whose keys are all something else is no counter at all.
        .filter(|(_, (_, counted))| !discovered || counted.iter().any(|c| *c))
        .map(|(name, (vals, _))| {
            let read: Vec<i64> = vals.iter().map(|v| v.unwrap_or(0)).collect();
            Counter {
                scale: if keys::cost_unit(name).is_some() {
                    crate::config::MICRO as u64
                } else {
                    1
                },
                name: name.clone(),
                values: vals.to_vec(),
                total: total(&read),
                trend: sparkline(&read),
            }
        })
        .collect();
    Ok(Stats {
        days,
        counters,
        skipped,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let stats = execute(&mut ctx.store()?, &args.names, args.days)?;
    warn_skipped(&mut ctx.out, &stats.skipped);
    ctx.out.print(&stats)?;
    Ok(Exit::Ok)
}

/// One warning naming the keys that are not counters.
pub fn warn_skipped(out: &mut Output, skipped: &[Skipped]) {
    if skipped.is_empty() {
        return;
    }
    let list: Vec<String> = skipped
        .iter()
        .map(|s| format!("{} ({})", s.key, s.reason))
        .collect();
    let what = if skipped.len() == 1 {
        "a key that is not a counter"
    } else {
        "keys that are not counters"
    };
    out.warn(format_args!(
        "skipped {what}: {}; `redis-cli TYPE <key>` shows what it is",
        list.join(", ")
    ));
}

impl Report for Stats {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if self.counters.is_empty() {
            let days = self.days.len();
            let span = if days == 1 {
                "today".to_owned()
            } else {
                format!("the last {days} days")
            };
            return out.line(format_args!(
                "no counters in {span}; `pipectl count NAME` makes one"
            ));
        }
        let width = crate::output::terminal_width();
        // The most recent days that fit beside the name, trend and total (at most 14).
        let shown = self.days_fitting(width).min(MAX_DAY_COLUMNS);
        let skip = self.days.len() - shown;
        let mut header: Vec<String> = vec!["counter".into(), "trend".into()];
        header.extend(
            self.days[skip..]
                .iter()
                .map(|d| d.get(5..).unwrap_or(d).to_owned()),
        );
        header.push("total".into());
        let rows = self
            .counters
            .iter()
            .map(|c| {
                let cell = |v: &Option<i64>| v.map_or_else(|| "?".to_owned(), |n| c.shown(n));
                let mut row = vec![c.name.clone(), c.trend.clone()];
                row.extend(c.values.iter().skip(skip).map(cell));
                row.push(c.shown(c.total));
                row
            })
            .collect();
        let table = out.fitted_table(header, rows, width);
        out.table(&table)
    }
}

impl Counter {
    /// A value in the counter's unit (a cost counter's millionths as units: `0.02`).
    fn shown(&self, n: i64) -> String {
        if self.scale <= 1 {
            return n.to_string();
        }
        crate::guards::state::amount(n as f64 / self.scale as f64)
    }
}

impl Stats {
    /// How many day columns fit in `width` beside the name, trend and total (at least 1).
    fn days_fitting(&self, width: usize) -> usize {
        let widest = |f: &dyn Fn(&Counter) -> usize, header: usize| {
            self.counters.iter().map(f).max().unwrap_or(0).max(header)
        };
        let name = widest(&|c| crate::output::display_width(&c.name), 7);
        let trend = self.days.len().max(5);
        let day = widest(
            &|c| {
                c.values
                    .iter()
                    .map(|v| v.map_or(1, |n| c.shown(n).len()))
                    .max()
                    .unwrap_or(1)
            },
            5,
        );
        let total = widest(&|c| c.shown(c.total).len(), 5);
        let fixed = name + trend + total + 3 * 3 + 1;
        (width.saturating_sub(fixed) / (day + 3)).clamp(1, self.days.len().max(1))
    }
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
