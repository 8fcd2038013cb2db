//! Due times of delayed entries (`enqueue --in/--at`, `ls --delayed`, retries): the `--at`
//! syntax, and a due time in ms since the epoch written for people and for JSON.

use jiff::Timestamp;
use jiff::civil::DateTime;

/// When delayed items become due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// This many ms after the Redis server's clock at the write (`--in`).
    In(u64),
    /// At this time, ms since the epoch (`--at`).
    At(i64),
}

/// Parses `--at`: an RFC 3339 time (`2026-12-02T09:00:00Z`, `2026-12-02T10:00:00+01:00`),
/// or a local date and time without an offset (`2026-12-02 09:00`, seconds optional; a bare
/// date is local midnight), in the local time zone (TZ honoured). Returns ms since the epoch.
/// Years beyond 9999 and other absurd values are refused.
pub fn parse_at(text: &str) -> Result<i64, String> {
    let s = text.trim();
    let bad = || {
        format!(
            "'{text}' is not a time: write RFC 3339 (2026-12-02T09:00:00Z, or with an offset: \
             2026-12-02T10:00:00+01:00) or a local YYYY-MM-DD HH:MM (years 0001 to 9999)"
        )
    };
    if s.is_empty() || s.starts_with(['-', '+']) {
        return Err(bad());
    }
    let at = match s.parse::<Timestamp>() {
        Ok(at) => at,
        Err(_) => {
            let local: DateTime = s.parse().map_err(|_| bad())?;
            local
                .to_zoned_datetime(crate::date::local_zone())
                .map_err(|_| bad())?
                .timestamp()
        }
    };
    let ms = at.as_millisecond();
    if ms < Timestamp::from_second(FIRST_SECOND).map_or(i64::MIN, |t| t.as_millisecond()) {
        return Err(bad());
    }
    Ok(ms)
}

/// The first second `--at` takes: 0001-01-01T00:00:00Z.
const FIRST_SECOND: i64 = -62_135_596_800;

/// A due time as RFC 3339 in UTC, to the millisecond (as pipectl stamps records); None for
/// a score out of any calendar's range (a hand-made entry).
pub fn rfc3339(ms: i64) -> Option<String> {
    let at = Timestamp::from_millisecond(ms).ok()?;
    Some(at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// How long until `due` from `now` (both ms), for people: `in 4m59s`, or `due` once passed.
pub fn until(due: i64, now: i64) -> String {
    match u64::try_from(due.saturating_sub(now)) {
        Ok(left) if left > 0 => format!(
            "in {}",
            crate::duration::format(std::time::Duration::from_millis(left))
        ),
        _ => "due".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_z_or_an_offset() {
        assert_eq!(parse_at("2026-12-02T09:00:00Z"), Ok(1_796_202_000_000));
        assert_eq!(parse_at("2026-12-02T10:00:00+01:00"), Ok(1_796_202_000_000));
        assert_eq!(parse_at("2026-12-02T09:00:00.250Z"), Ok(1_796_202_000_250));
        assert_eq!(
            rfc3339(1_796_202_000_250).as_deref(),
            Some("2026-12-02T09:00:00.250Z")
        );
        assert_eq!(parse_at("1970-01-01T00:00:00Z"), Ok(0));
    }

    #[test]
    fn a_local_time_without_offset() {
        let local = parse_at("2026-12-02 09:00").unwrap();
        let zoned = DateTime::constant(2026, 12, 2, 9, 0, 0, 0)
            .to_zoned_datetime(crate::date::local_zone())
            .unwrap();
        assert_eq!(local, zoned.timestamp().as_millisecond());
        assert_eq!(parse_at("2026-12-02T09:00"), Ok(local));
    }

    #[test]
    fn absurd_values_are_refused() {
        for bad in [
            "",
            "tomorrow",
            "99999-01-01T00:00:00Z",
            "+099999-01-01T00:00:00Z",
            "-000001-01-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-02T25:00:00Z",
            "5m",
        ] {
            assert!(parse_at(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn until_reads_for_people() {
        assert_eq!(until(61_000, 1_000), "in 1m");
        assert_eq!(until(1_000, 1_000), "due");
        assert_eq!(until(i64::MIN, i64::MAX), "due");
        assert_eq!(rfc3339(i64::MAX), None);
    }
}
