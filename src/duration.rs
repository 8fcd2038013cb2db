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

/// Formats a duration the way `parse` reads it, largest units first: `1h30m`, `250ms`, `0s`.
pub fn format(d: Duration) -> String {
    let mut ms = d.as_millis();
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [
        ("d", 86_400_000u128),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ] {
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
    fn formats_round_trip() {
        for text in ["500ms", "30s", "5m", "1h30m", "7d", "1d2h3m4s5ms"] {
            assert_eq!(format(parse(text).unwrap()), text);
        }
    }
}
