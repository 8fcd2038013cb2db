//! Sending windows: whether a stage may claim at an instant, and until when (or from when).
//! Local times are read in each window's IANA time zone (jiff's bundled database, so a
//! machine without tzdata agrees), so daylight-saving changes move the instants, not the
//! local hours: a window opening at a local time that does not exist that day (the spring
//! gap) opens when the clocks have jumped, one ending in the autumn's repeated hour ends at
//! its second pass.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::config::Window;

/// A stage's windows at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowState {
    /// Inside a window, which (with any window that overlaps or follows it at once) lasts
    /// until this instant.
    Open { until: Timestamp },
    /// Outside every window; the next opens then (None: within no day ahead, which a valid
    /// config never gives).
    Closed { opens: Option<Timestamp> },
}

/// How many days around the instant are looked at: a window listed once a week opens
/// within seven.
const BACK_DAYS: i64 = 1;
const AHEAD_DAYS: i64 = 8;

/// The instants each window is open around `now`, as [start, end) pairs.
fn intervals(windows: &[Window], now: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    let mut out = Vec::new();
    for w in windows {
        let today = now.to_zoned_datetime(w.tz.clone()).date();
        for offset in -BACK_DAYS..=AHEAD_DAYS {
            let Ok(day) = today.checked_add(jiff::Span::new().days(offset)) else {
                continue;
            };
            let weekday = day.weekday().to_monday_zero_offset() as usize;
            if !w.days[weekday % 7] {
                continue;
            }
            let end_day = if w.end <= w.start || w.end == 86_400 {
                day.tomorrow().ok()
            } else {
                Some(day)
            };
            let (Some(start), Some(end)) = (
                instant(w, day, w.start),
                end_day.and_then(|d| instant(w, d, w.end % 86_400)),
            ) else {
                continue;
            };
            if end > start {
                out.push((start, end));
            }
        }
    }
    out.sort();
    out
}

/// Local second `second` of `day` in the window's zone, as an instant (a time in the spring gap is
/// read as the same wall-clock distance past the gap; one in the autumn's repeated hour as
/// its first pass: jiff's "compatible" rule).
fn instant(w: &Window, day: Date, second: u32) -> Option<Timestamp> {
    let (h, m, s) = (second / 3600, second / 60 % 60, second % 60);
    let at = day.at(h as i8, m as i8, s as i8, 0);
    Some(at.to_zoned_datetime(w.tz.clone()).ok()?.timestamp())
}

/// Where `now` falls among the windows (none configured: always open, until far ahead).
pub fn evaluate(windows: &[Window], now: Timestamp) -> WindowState {
    if windows.is_empty() {
        return WindowState::Open {
            until: Timestamp::MAX,
        };
    }
    let all = intervals(windows, now);
    let Some(mut until) = all
        .iter()
        .filter(|(s, e)| *s <= now && now < *e)
        .map(|(_, e)| *e)
        .max()
    else {
        let opens = all.iter().map(|(s, _)| *s).filter(|s| *s > now).min();
        return WindowState::Closed { opens };
    };
    // A window that starts before (or as) another ends keeps the stage open.
    loop {
        let next = all
            .iter()
            .filter(|(s, e)| *s <= until && *e > until)
            .map(|(_, e)| *e)
            .max();
        match next {
            Some(end) => until = end,
            None => return WindowState::Open { until },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hours and minutes as HHMM.
    fn window(days: [bool; 7], start: u32, end: u32, tz: &str) -> Window {
        let secs = |hhmm: u32| hhmm / 100 * 3600 + hhmm % 100 * 60;
        Window {
            days,
            start: secs(start),
            end: secs(end),
            tz: jiff::tz::db().get(tz).unwrap(),
            text: String::new(),
        }
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];
    const SUNDAY: [bool; 7] = [false, false, false, false, false, false, true];

    #[test]
    fn office_hours_in_chicago() {
        let w = [window(WEEKDAYS, 900, 1800, "America/Chicago")];
        // Tuesday 2026-12-01 10:00 CST = 16:00Z: open until 18:00 CST.
        assert_eq!(
            evaluate(&w, ts("2026-12-01T16:00:00Z")),
            WindowState::Open {
                until: ts("2026-12-02T00:00:00Z")
            }
        );
        // 08:59 CST: opens at 09:00.
        assert_eq!(
            evaluate(&w, ts("2026-12-01T14:59:00Z")),
            WindowState::Closed {
                opens: Some(ts("2026-12-01T15:00:00Z"))
            }
        );
        // Exactly at the opening: open; exactly at the close: closed.
        assert!(matches!(
            evaluate(&w, ts("2026-12-01T15:00:00Z")),
            WindowState::Open { .. }
        ));
        assert!(matches!(
            evaluate(&w, ts("2026-12-02T00:00:00Z")),
            WindowState::Closed { .. }
        ));
        // Saturday (a day not listed): opens Monday 09:00 CST.
        assert_eq!(
            evaluate(&w, ts("2026-12-05T18:00:00Z")),
            WindowState::Closed {
                opens: Some(ts("2026-12-07T15:00:00Z"))
            }
        );
    }

    #[test]
    fn daylight_saving_changes() {
        // Spring forward in Chicago on Sunday 2026-03-08: 02:00 CST becomes 03:00 CDT.
        let w = [window(SUNDAY, 100, 330, "America/Chicago")];
        // 01:59 CST = 07:59Z, open; 03:30 CDT = 08:30Z: only 90 real minutes after 01:00.
        assert_eq!(
            evaluate(&w, ts("2026-03-08T07:59:00Z")),
            WindowState::Open {
                until: ts("2026-03-08T08:30:00Z")
            }
        );
        // A window opening in the gap (02:30) opens when the clocks have jumped.
        let gap = [window(SUNDAY, 230, 500, "America/Chicago")];
        assert_eq!(
            evaluate(&gap, ts("2026-03-08T07:00:00Z")),
            WindowState::Closed {
                opens: Some(ts("2026-03-08T08:30:00Z"))
            }
        );
        // Fall back on Sunday 2026-11-01: 01:00-02:00 lasts two real hours (01:00 CDT to
        // 02:00 CST), the repeated hour included.
        let fall = [window(SUNDAY, 100, 200, "America/Chicago")];
        assert_eq!(
            evaluate(&fall, ts("2026-11-01T06:30:00Z")),
            WindowState::Open {
                until: ts("2026-11-01T08:00:00Z")
            }
        );
        assert!(matches!(
            evaluate(&fall, ts("2026-11-01T07:30:00Z")),
            WindowState::Open { .. }
        ));
    }

    #[test]
    fn overnight_and_adjacent_windows() {
        let every = [true; 7];
        let night = [window(every, 2200, 600, "UTC")];
        assert_eq!(
            evaluate(&night, ts("2026-12-01T23:00:00Z")),
            WindowState::Open {
                until: ts("2026-12-02T06:00:00Z")
            }
        );
        assert_eq!(
            evaluate(&night, ts("2026-12-02T03:00:00Z")),
            WindowState::Open {
                until: ts("2026-12-02T06:00:00Z")
            }
        );
        let two = [
            window(every, 900, 1200, "UTC"),
            window(every, 1200, 1700, "UTC"),
        ];
        assert_eq!(
            evaluate(&two, ts("2026-12-01T10:00:00Z")),
            WindowState::Open {
                until: ts("2026-12-01T17:00:00Z")
            }
        );
    }
}
