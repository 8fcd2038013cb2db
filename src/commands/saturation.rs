use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;
use crate::output::{Output, Report};

/// Say whether the search is saturated: new vs already-seen prospects per day
///
/// Reads the counters every enqueue with dedup keeps, stats:<pipeline>:new:<date> and
/// stats:<pipeline>:dup:<date>, and gives per day the new and already-seen counts, the seen
/// ratio (seen / (new + seen)) and a verdict in words. When seen outnumbers new — SISMEMBER
/// answers 1 more often than 0 — the finder keeps rediscovering the same prospects: time to
/// expand the search radius or switch categories.
///
/// The exit status judges the whole window (its totals), for cron alerting:
///   pipectl saturation --days 1 || notify "prospect search saturated today"
///
/// Examples:
///   pipectl saturation
///   pipectl saturation --days 14 --json
///
/// A counter key of another type is skipped with a warning naming it (that day counts as no
/// data). With --json: {"pipeline","days":[{"day","new","seen","seen_ratio","verdict"}],
/// "total":{…},"verdict","saturated","advice","trend","skipped"}.
///
/// Exit codes: 0 not saturated, 1 saturated (seen > new over the window) or the output could
/// not be written, 3 no data in the window, 69 Redis unavailable, loading or a read-only
/// replica, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// How many days, ending today (1 = today only)
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366), value_name = "N")]
    pub days: u32,
}

/// How the seen ratio reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Nothing counted: no enqueue with dedup.
    NoData,
    /// More new than already seen.
    Fresh,
    /// As many already seen as new.
    Even,
    /// More already seen than new.
    Saturated,
}

impl Verdict {
    fn of(new: i64, seen: i64) -> Verdict {
        let (new, seen) = (new.max(0), seen.max(0));
        if new == 0 && seen == 0 {
            Verdict::NoData
        } else if seen > new {
            Verdict::Saturated
        } else if seen == new {
            Verdict::Even
        } else {
            Verdict::Fresh
        }
    }

    fn word(self) -> &'static str {
        match self {
            Verdict::NoData => "no data",
            Verdict::Fresh => "fresh",
            Verdict::Even => "even",
            Verdict::Saturated => "saturated",
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Verdict::NoData => {
                "no enqueues with dedup counted: enqueue with --dedup-by (or a source stage with dedup_by) to measure"
            }
            Verdict::Fresh => "mostly new prospects: the search still finds fresh ground",
            Verdict::Even => {
                "as many already seen as new: saturation is near; plan the next search area"
            }
            Verdict::Saturated => {
                "seen outnumbers new (SISMEMBER returns 1 more often than 0): time to expand the search radius or switch categories"
            }
        }
    }
}

fn ratio(new: i64, seen: i64) -> Option<f64> {
    let (new, seen) = (new.max(0), seen.max(0));
    let total = new as f64 + seen as f64;
    (total > 0.0).then(|| seen as f64 / total)
}

/// `pipectl saturation`: new vs already-seen prospects per day, and a verdict.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Saturation {
    pub pipeline: String,
    /// One per day, oldest first.
    pub days: Vec<Day>,
    /// The whole window.
    pub total: Totals,
    /// The window's verdict (its totals): the exit status follows it.
    pub verdict: Verdict,
    /// Whether seen outnumbers new over the window (exit 1).
    pub saturated: bool,
    /// What the verdict means, in words.
    pub advice: String,
    /// The seen ratio per day as a sparkline (▁ for days without data).
    pub trend: String,
    /// Counter keys that could not be read as counters (their days count as no data).
    pub skipped: Vec<super::stats::Skipped>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Day {
    /// YYYY-MM-DD, local time.
    pub day: String,
    /// Enqueues with dedup that were new (null when the counter is unreadable).
    pub new: Option<i64>,
    /// Enqueues with dedup already seen.
    pub seen: Option<i64>,
    /// seen / (new + seen); null without data.
    pub seen_ratio: Option<f64>,
    pub verdict: Verdict,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Totals {
    pub new: i64,
    pub seen: i64,
    pub seen_ratio: Option<f64>,
}

/// Reads the pipeline's new/dup counters over the last `days` days.
pub fn execute(store: &mut crate::store::Store, pipeline: &str, days: u32) -> Result<Saturation> {
    let days = crate::date::last_days(days);
    let (new_name, dup_name) = (keys::counter_new(pipeline), keys::counter_dup(pipeline));
    let mut counter_keys: Vec<String> = days.iter().map(|d| keys::counter(&new_name, d)).collect();
    counter_keys.extend(days.iter().map(|d| keys::counter(&dup_name, d)));
    let super::stats::Readings {
        values, skipped, ..
    } = super::stats::read_counters(store, &counter_keys)?;
    let (new, seen) = values.split_at(days.len());
    let read = |v: &[Option<i64>]| -> Vec<i64> { v.iter().map(|n| n.unwrap_or(0)).collect() };
    let (new_read, seen_read) = (read(new), read(seen));
    let (total_new, total_seen) = (
        super::stats::total(&new_read),
        super::stats::total(&seen_read),
    );
    let overall = Verdict::of(total_new, total_seen);
    // Seen ratio per day as a sparkline, in percent (days without data show as ▁).
    let ratios: Vec<i64> = new_read
        .iter()
        .zip(&seen_read)
        .map(|(&n, &s)| ratio(n, s).map_or(0, |r| (r * 100.0).round() as i64))
        .collect();
    let per_day = days
        .iter()
        .zip(new.iter().zip(seen))
        .map(|(day, (&n, &s))| {
            let (nr, sr) = (n.unwrap_or(0), s.unwrap_or(0));
            Day {
                day: day.clone(),
                new: n,
                seen: s,
                seen_ratio: ratio(nr, sr),
                verdict: Verdict::of(nr, sr),
            }
        })
        .collect();
    Ok(Saturation {
        pipeline: pipeline.to_owned(),
        days: per_day,
        total: Totals {
            new: total_new,
            seen: total_seen,
            seen_ratio: ratio(total_new, total_seen),
        },
        verdict: overall,
        saturated: overall == Verdict::Saturated,
        advice: overall.advice().to_owned(),
        trend: super::stats::sparkline(&ratios),
        skipped,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let pipeline = ctx.config()?.name.clone();
    let result = execute(&mut ctx.store()?, &pipeline, args.days)?;
    super::stats::warn_skipped(&mut ctx.out, &result.skipped);
    ctx.out.print(&result)?;
    Ok(match result.verdict {
        Verdict::NoData => Exit::NothingToDo,
        Verdict::Saturated => Exit::Failure,
        Verdict::Fresh | Verdict::Even => Exit::Ok,
    })
}

impl Report for Saturation {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let shown = |v: Option<i64>| v.map_or_else(|| "?".to_owned(), |n| n.to_string());
        let mut rows: Vec<Vec<String>> = self
            .days
            .iter()
            .map(|d| {
                vec![
                    d.day.clone(),
                    shown(d.new),
                    shown(d.seen),
                    percent(d.seen_ratio),
                    d.verdict.word().to_owned(),
                ]
            })
            .collect();
        rows.push(vec![
            "total".to_owned(),
            self.total.new.to_string(),
            self.total.seen.to_string(),
            percent(self.total.seen_ratio),
            self.verdict.word().to_owned(),
        ]);
        let header = ["day", "new", "seen", "seen ratio", "verdict"].map(String::from);
        let table = out.fitted_table(header.into(), rows, crate::output::terminal_width());
        out.table(&table)?;
        out.line(format_args!("seen ratio trend: {}", self.trend))?;
        let word = self.verdict.word().to_uppercase();
        let word = if self.saturated && out.color_stdout {
            format!("\x1b[1;33m{word}\x1b[0m")
        } else {
            word
        };
        out.line(format_args!("{word}: {}", self.advice))
    }
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(Verdict::of(0, 0), Verdict::NoData);
        assert_eq!(Verdict::of(10, 3), Verdict::Fresh);
        assert_eq!(Verdict::of(5, 5), Verdict::Even);
        assert_eq!(Verdict::of(3, 10), Verdict::Saturated);
        assert_eq!(Verdict::of(-4, 1), Verdict::Saturated);
        assert_eq!(ratio(1, 3), Some(0.75));
        assert_eq!(ratio(0, 0), None);
    }
}
