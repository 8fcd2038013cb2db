//! A stage's guards for unattended runs (README "Running unattended"): sending windows, a
//! circuit breaker and spend caps, as pipectl.toml writes them.

use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::duration::ConfigDuration;

/// What a stage's guards say; all empty by default (no guard).
#[derive(Clone, Debug, Default)]
pub struct Guards {
    /// `window`: the stage claims only inside one of these (none: always).
    pub windows: Vec<Window>,
    pub breaker: Option<Breaker>,
    pub budget: Option<Budget>,
}

impl Guards {
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty() && self.breaker.is_none() && self.budget.is_none()
    }
}

/// `window = { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicago" }`.
#[derive(Clone, Debug)]
pub struct Window {
    /// Which days a window starts on, Monday = index 0.
    pub days: [bool; 7],
    /// Seconds after local midnight; `end` may be 86400 (24:00). `end <= start` runs over
    /// midnight into the next day.
    pub start: u32,
    pub end: u32,
    pub tz: jiff::tz::TimeZone,
    /// As written, for status and errors.
    pub text: String,
}

/// `breaker = { failures = 5, within = "10m", cool_down = "30m" }`.
#[derive(Clone, Debug)]
pub struct Breaker {
    pub failures: u32,
    pub within: Duration,
    pub cool_down: Duration,
}

/// `budget = { usd = 25, sms = 200, per = "1d" }`: caps per unit, in millionths of a unit
/// (costs are kept in millionths so money adds up exactly).
#[derive(Clone, Debug)]
pub struct Budget {
    pub caps: Vec<(String, u64)>,
    pub per: Duration,
}

/// Costs are kept in millionths of their unit.
pub const MICRO: f64 = 1_000_000.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowSection {
    days: Option<String>,
    hours: String,
    tz: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BreakerSection {
    failures: u32,
    within: ConfigDuration,
    cool_down: ConfigDuration,
}

/// The raw sections of one stage: window, breaker, budget.
pub(super) struct Sections(
    pub Option<toml::Value>,
    pub Option<BreakerSection>,
    pub Option<IndexMap<String, toml::Value>>,
);

/// A stage's guards; `claims` says whether it claims items (an input and a handler).
pub(super) fn parse(s: Sections, claims: bool) -> Result<Guards, String> {
    let guards = parse_sections(s)?;
    if !guards.is_empty() && !claims {
        return Err(
            "window, breaker and budget guard the claims of a stage with an input and a handler"
                .into(),
        );
    }
    Ok(guards)
}

fn parse_sections(Sections(window_section, breaker, budget): Sections) -> Result<Guards, String> {
    let windows = match window_section {
        None => Vec::new(),
        Some(toml::Value::Array(list)) => {
            if list.is_empty() {
                return Err("window = [] lists no window: leave it out to run at any time".into());
            }
            list.into_iter().map(window).collect::<Result<_, _>>()?
        }
        Some(one) => vec![window(one)?],
    };
    let breaker = match breaker {
        None => None,
        Some(b) => {
            if b.failures == 0 || b.within.0.is_zero() || b.cool_down.0 < Duration::from_secs(1) {
                return Err(
                    "breaker needs failures >= 1, within > 0s and cool_down >= 1s, e.g. breaker = { failures = 5, within = \"10m\", cool_down = \"30m\" }"
                        .into(),
                );
            }
            Some(Breaker {
                failures: b.failures,
                within: b.within.0,
                cool_down: b.cool_down.0,
            })
        }
    };
    let budget = budget.map(parse_budget).transpose()?;
    Ok(Guards {
        windows,
        breaker,
        budget,
    })
}

const WINDOW_FORM: &str =
    "e.g. window = { days = \"mon-fri\", hours = \"09:00-18:00\", tz = \"America/Chicago\" }";

fn window(value: toml::Value) -> Result<Window, String> {
    let section: WindowSection = value
        .try_into()
        .map_err(|e: toml::de::Error| format!("window: {} ({WINDOW_FORM})", e.message().trim()))?;
    let days_text = section.days.as_deref().unwrap_or("mon-sun");
    let days = days(days_text)?;
    let (start, end) = hours(&section.hours)?;
    let tz_name = section.tz.as_deref().unwrap_or("UTC");
    let tz = jiff::tz::db().get(tz_name).map_err(|_| {
        format!("window: unknown time zone '{tz_name}' (an IANA name such as America/Chicago, Europe/Berlin or UTC)")
    })?;
    Ok(Window {
        days,
        start,
        end,
        tz,
        text: format!("{days_text} {} {tz_name}", section.hours.trim()),
    })
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `mon-fri`, `sat,sun`, `mon-wed,fri`, `fri-mon` (wrapping), `daily`.
fn days(text: &str) -> Result<[bool; 7], String> {
    let bad = || {
        format!(
            "window: days = \"{text}\" is not a list of days (write e.g. \"mon-fri\", \"sat,sun\" or \"daily\")"
        )
    };
    let text = text.trim().to_ascii_lowercase();
    if text == "daily" || text == "*" {
        return Ok([true; 7]);
    }
    let index = |name: &str| DAY_NAMES.iter().position(|d| *d == name.trim());
    let mut set = [false; 7];
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (Some(from), Some(to)) = (index(from), index(to)) else {
                    return Err(bad());
                };
                let mut d = from;
                loop {
                    set[d] = true;
                    if d == to {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => set[index(part).ok_or_else(bad)?] = true,
        }
    }
    Ok(set)
}

/// `09:00-18:00` (or to the second, `09:00:30`) as seconds after midnight; `24:00` ends at
/// midnight.
fn hours(text: &str) -> Result<(u32, u32), String> {
    let bad = || {
        format!(
            "window: hours = \"{text}\" is not a time range (write e.g. \"09:00-18:00\"; \"22:00-06:00\" runs over midnight)"
        )
    };
    let minute = |t: &str| -> Option<u32> {
        let mut parts = t.trim().split(':');
        let (h, m, sec) = (parts.next()?, parts.next()?, parts.next().unwrap_or("00"));
        if parts.next().is_some() || [h, m, sec].iter().any(|p| p.len() != 2) {
            return None;
        }
        let (h, m, sec): (u32, u32, u32) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
        let valid = m < 60 && sec < 60 && (h < 24 || (h == 24 && m == 0 && sec == 0));
        valid.then_some(h * 3600 + m * 60 + sec)
    };
    let (from, to) = text.split_once('-').ok_or_else(bad)?;
    let (start, end) = (minute(from).ok_or_else(bad)?, minute(to).ok_or_else(bad)?);
    if start == end || start == 86_400 {
        return Err(bad());
    }
    Ok((start, end))
}

fn parse_budget(mut table: IndexMap<String, toml::Value>) -> Result<Budget, String> {
    const FORM: &str = "e.g. budget = { usd = 25, sms = 200, per = \"1d\" }";
    let per = match table.shift_remove("per") {
        None => Duration::from_secs(86_400),
        Some(toml::Value::String(text)) => crate::duration::parse(text.trim())
            .map_err(|e| format!("budget: per = \"{text}\": {e}"))?,
        Some(_) => return Err(format!("budget: per takes a duration ({FORM})")),
    };
    if per < Duration::from_secs(1) {
        return Err("budget: per must be at least 1s".into());
    }
    let mut caps = Vec::new();
    for (unit, value) in table {
        if !valid_unit(&unit) {
            return Err(format!(
                "budget: '{unit}' is not a cost unit (lowercase letters, digits and '_', at most 32)"
            ));
        }
        let amount = match value {
            toml::Value::Integer(n) => n as f64,
            toml::Value::Float(f) => f,
            _ => return Err(format!("budget: {unit} takes a number ({FORM})")),
        };
        let micro = amount * MICRO;
        if !(1.0..9.0e15).contains(&micro) {
            return Err(format!(
                "budget: {unit} = {amount} must be more than 0 (and less than 9000000000)"
            ));
        }
        caps.push((unit, micro.round() as u64));
    }
    if caps.is_empty() {
        return Err(format!("budget caps nothing: name a unit ({FORM})"));
    }
    Ok(Budget { caps, per })
}

/// A cost unit's name: what a handler reports (`{"cost": {"usd": 0.02}}`) and a budget caps.
pub fn valid_unit(unit: &str) -> bool {
    !unit.is_empty()
        && unit.len() <= 32
        && unit
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_hours() {
        assert_eq!(
            days("mon-fri").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(
            days("fri-mon").unwrap(),
            [true, false, false, false, true, true, true]
        );
        assert_eq!(days("sat, sun").unwrap()[5..], [true, true]);
        assert!(days("mon-fry").is_err());
        assert!(days("").is_err());
        assert_eq!(hours("09:00-18:00").unwrap(), (32_400, 64_800));
        assert_eq!(hours("22:00-06:00").unwrap(), (79_200, 21_600));
        assert_eq!(hours("00:00-24:00").unwrap(), (0, 86_400));
        assert_eq!(hours("09:00:30-09:01").unwrap(), (32_430, 32_460));
        for bad in [
            "9-18",
            "09:00",
            "09:00-09:00",
            "25:00-26:00",
            "24:00-01:00",
            "09:60-10:00",
        ] {
            assert!(hours(bad).is_err(), "{bad}");
        }
    }
}
