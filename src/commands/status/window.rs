//! A stage's rate-limit window, as its counter reads.

use crate::store::WindowReading;

/// A rate-limit window read from its counter: value = uses so far, TTL = until it reopens.
pub(super) struct Window {
    pub used: u64,
    pub remaining: u64,
    pub resets_in_ms: Option<u64>,
    /// The counter exists but has no TTL: the window never reopens by itself.
    pub stuck: bool,
}

impl Window {
    pub fn read(w: &WindowReading, limit: u64) -> Window {
        let used = w
            .value
            .as_deref()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map_or(0, |v| v.max(0) as u64);
        Window {
            used,
            remaining: limit.saturating_sub(used),
            resets_in_ms: u64::try_from(w.pttl_ms).ok(),
            stuck: w.pttl_ms == -1 && w.value.is_some(),
        }
    }
}
