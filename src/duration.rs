//! Durations as pipectl writes them everywhere: `500ms`, `30s`, `5m`, `1h30m`, `7d`.

use std::time::Duration;

/// The longest duration accepted (100 years): beyond that, arithmetic on deadlines overflows.
const MAX: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Parses `500ms`, `30s`, `5m`, `1h`, `7d` and combinations like `1h30m`. A bare number is seconds.
pub fn parse(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration (write e.g. 30s, 5m, 1h30m, 7d)".into());
    }
    if s.starts_with('-') {
        return Err(format!("duration '{text}' is negative"));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u64 = s
            .parse()
            .map_err(|_| format!("duration '{text}' is too large"))?;
        return check(Duration::from_secs(secs), text);
    }
    let mut total_ms: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad(text));
        }
        let n: u128 = rest[..digits]
            .parse()
            .map_err(|_| format!("duration '{text}' is too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit_ms: u128 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 7 * 86_400_000,
            _ => return Err(bad(text)),
        };
        rest = &rest[unit_len..];
        total_ms = n
            .checked_mul(unit_ms)
            .and_then(|ms| total_ms.checked_add(ms))
            .ok_or_else(|| format!("duration '{text}' is too large"))?;
    }
    let ms = u64::try_from(total_ms).map_err(|_| format!("duration '{text}' is too large"))?;
    check(Duration::from_millis(ms), text)
}

fn check(d: Duration, text: &str) -> Result<Duration, String> {
    if d > MAX {
        Err(format!("duration '{text}' is too large (at most 36500d)"))
    } else {
        Ok(d)
    }
}

fn bad(text: &str) -> String {
    format!("invalid duration '{text}' (write e.g. 500ms, 30s, 5m, 1h30m, 7d)")
}

const UNITS: [(&str, u128); 5] = [
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// A duration for people, in `parse`'s syntax but at most two units, rounded to the nearest
/// of the smaller one: `59m59s998ms` is `1h`, `1h30m15s` is `1h30m`, `41m0s500ms` is
/// `41m1s`, `250ms` stays `250ms`. Use [`exact`] where the text must read back to the same
/// duration (a config shown to be copied).
pub fn format(d: Duration) -> String {
    let ms = d.as_millis();
    let Some(lead) = UNITS.iter().position(|&(_, size)| ms >= size) else {
        return "0s".into();
    };
    let step = UNITS.get(lead + 1).map_or(1, |&(_, size)| size);
    // Round half up to a whole number of the second unit; a carry (59m59.9s -> 1h) is fine,
    // since only units of `step` and above can remain.
    let rounded = (ms + step / 2) / step * step;
    exact(Duration::from_millis(
        u64::try_from(rounded).unwrap_or(u64::MAX),
    ))
}

/// Formats a duration the way `parse` reads it, every unit kept, largest first: `1h30m`,
/// `250ms`, `1d2h3m4s5ms`, `0s`.
pub fn exact(d: Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in UNITS {
        if ms >= size {
            out.push_str(&format!("{}{unit}", ms / size));
            ms %= size;
        }
    }
    out
}

/// clap value parser.
pub fn arg(text: &str) -> Result<Duration, String> {
    parse(text)
}

/// clap value parser for durations that must be longer than zero (timeouts).
pub fn positive(text: &str) -> Result<Duration, String> {
    match parse(text)? {
        d if d.is_zero() => Err(format!("duration '{text}' must be longer than 0s")),
        d => Ok(d),
    }
}

/// A duration read from pipectl.toml, with the parse error reported at its line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigDuration(pub Duration);

impl<'de> serde::Deserialize<'de> for ConfigDuration {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let text = String::deserialize(de)?;
        parse(&text)
            .map(ConfigDuration)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_combinations() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("7d"), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse("12"), Ok(Duration::from_secs(12)));
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "-5m",
            "5x",
            "m",
            "99999999d",
            "1h 30m",
            "18446744073709551616s",
            "٣s",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn exact_formats_round_trip() {
        for text in ["500ms", "30s", "5m", "1h30m", "7d", "1d2h3m4s5ms"] {
            assert_eq!(exact(parse(text).unwrap()), text);
        }
    }

    #[test]
    fn human_formats_keep_two_units_rounded() {
        let ms = |n: u64| format(Duration::from_millis(n));
        assert_eq!(ms(3_599_998), "1h");
        assert_eq!(ms(5_415_000), "1h30m");
        assert_eq!(ms(5_430_000), "1h31m");
        assert_eq!(ms(2_460_500), "41m1s");
        assert_eq!(ms(99_992), "1m40s");
        assert_eq!(ms(250), "250ms");
        assert_eq!(ms(1_500), "1s500ms");
        assert_eq!(ms(0), "0s");
        assert_eq!(ms(86_399_999), "1d");
        assert_eq!(format(parse("1d2h3m4s5ms").unwrap()), "1d2h");
        for text in ["500ms", "30s", "5m", "1h30m", "7d"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
    }
}
