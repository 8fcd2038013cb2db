use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;

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
/// Exit codes: 0 not saturated, 1 saturated (seen > new over the window), 3 no data in the
/// window, 65 a key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad
/// configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// How many days, ending today (1 = today only)
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    NoData,
    Fresh,
    Even,
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

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let pipeline = ctx.config()?.name.clone();
    let days = super::last_days(args.days);
    let (new_name, dup_name) = (keys::counter_new(&pipeline), keys::counter_dup(&pipeline));
    let mut counter_keys: Vec<String> = days.iter().map(|d| keys::counter(&new_name, d)).collect();
    counter_keys.extend(days.iter().map(|d| keys::counter(&dup_name, d)));
    let values = ctx.store()?.counters(&counter_keys)?;
    let (new, seen) = values.split_at(days.len());

    let (total_new, total_seen) = (super::stats::total(new), super::stats::total(seen));
    let overall = Verdict::of(total_new, total_seen);
    let exit = match overall {
        Verdict::NoData => Exit::NothingToDo,
        Verdict::Saturated => Exit::Failure,
        Verdict::Fresh | Verdict::Even => Exit::Ok,
    };
    // Seen ratio per day as a sparkline, in percent (days without data show as ▁).
    let ratios: Vec<i64> = new
        .iter()
        .zip(seen)
        .map(|(&n, &s)| ratio(n, s).map_or(0, |r| (r * 100.0).round() as i64))
        .collect();
    let trend = super::stats::sparkline(&ratios);

    if ctx.out.json {
        let per_day: Vec<_> = days
            .iter()
            .zip(new.iter().zip(seen))
            .map(|(day, (&n, &s))| {
                json!({"day": day, "new": n, "seen": s, "seen_ratio": ratio(n, s), "verdict": Verdict::of(n, s).word()})
            })
            .collect();
        ctx.out.json(&json!({
            "pipeline": pipeline,
            "days": per_day,
            "total": {"new": total_new, "seen": total_seen, "seen_ratio": ratio(total_new, total_seen)},
            "verdict": overall.word(),
            "saturated": overall == Verdict::Saturated,
            "advice": overall.advice(),
            "trend": trend,
        }))?;
        return Ok(exit);
    }
    let mut table = ctx
        .out
        .new_table(&["day", "new", "seen", "seen ratio", "verdict"]);
    for (day, (&n, &s)) in days.iter().zip(new.iter().zip(seen)) {
        table.add_row(vec![
            day.clone(),
            n.to_string(),
            s.to_string(),
            percent(ratio(n, s)),
            Verdict::of(n, s).word().to_owned(),
        ]);
    }
    table.add_row(vec![
        "total".to_owned(),
        total_new.to_string(),
        total_seen.to_string(),
        percent(ratio(total_new, total_seen)),
        overall.word().to_owned(),
    ]);
    ctx.out.table(&table)?;
    ctx.out.line(format_args!("seen ratio trend: {trend}"))?;
    ctx.out.line(format_args!(
        "{}: {}",
        overall.word().to_uppercase(),
        overall.advice()
    ))?;
    Ok(exit)
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
