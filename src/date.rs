//! Days as pipectl's daily counters name them: in the local time zone (TZ honoured).

/// Today's date in the local time zone (TZ honoured), as counters name their day.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(local_zone())
        .date()
}

/// The local time zone, as jiff's `TimeZone::system()` finds it. Without TZ set it is read
/// straight from /etc/localtime: jiff would first list the whole zoneinfo tree (some twenty
/// directories) to look up the zone's name, a cost every short-lived pipectl would pay for a
/// name it never shows. Kept for five minutes, as jiff keeps its own.
pub fn local_zone() -> jiff::tz::TimeZone {
    use jiff::tz::TimeZone;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static ZONE: Mutex<Option<(Instant, TimeZone)>> = Mutex::new(None);
    let mut cached = ZONE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((at, tz)) = cached.as_ref()
        && at.elapsed() < Duration::from_secs(300)
    {
        return tz.clone();
    }
    let from_file = || {
        let data = std::fs::read("/etc/localtime").ok()?;
        TimeZone::tzif("localtime", &data).ok()
    };
    let tz = match std::env::var_os("TZ") {
        None => from_file().unwrap_or_else(TimeZone::system),
        Some(_) => TimeZone::system(),
    };
    *cached = Some((Instant::now(), tz.clone()));
    tz
}

/// The last `days` dates, oldest first, ending today.
pub fn last_days(days: u32) -> Vec<String> {
    let today = today();
    (0..days)
        .rev()
        .filter_map(|back| {
            today
                .checked_sub(jiff::Span::new().days(i64::from(back)))
                .ok()
        })
        .map(|d| d.to_string())
        .collect()
}

/// A server time in ms since the epoch as RFC 3339 UTC with milliseconds
/// (`2026-12-01T11:48:59.123Z`); out-of-range values come back as the epoch.
pub fn from_ms(ms: u64) -> String {
    let ts = i64::try_from(ms)
        .ok()
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
