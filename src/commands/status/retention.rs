//! The dead-letter list in `status` (and `metrics`, `doctor`): its count, its retention caps,
//! what pipectl removed from it, and the warning from 80 % of `dead_letters_max`.

use crate::config::Config;
use crate::keys;
use crate::store::{Probe, Reading};

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DeadLetters {
    /// The dead-letter list.
    pub queue: String,
    pub count: Option<u64>,
    /// Why it could not be read (null when it was).
    pub error: Option<String>,
    /// `dead_letters_max` (null: no count cap).
    pub max: Option<u64>,
    /// `dead_letters_max_age` in ms (null: no age cap).
    pub max_age_ms: Option<u64>,
    /// Dead letters the retention caps removed, ever (`<pipeline>:dead_trimmed`; null when
    /// unreadable).
    pub trimmed: Option<u64>,
    /// Dead letters `dead purge` removed, ever (`<pipeline>:dead_purged`).
    pub purged: Option<u64>,
    /// The list holds 80 % of `dead_letters_max` or more: the oldest are about to be trimmed.
    pub near_cap: bool,
}

/// The share of `dead_letters_max` from which status, doctor and a notification warn.
pub fn near_cap_threshold(max: u64) -> u64 {
    (max.saturating_mul(4) / 5).max(1)
}

/// Adds the removal totals to `probe`; returns the index of the first.
pub fn probe(config: &Config, probe: &mut Probe) -> usize {
    let at = probe.strings.len();
    for how in ["trimmed", "purged"] {
        probe.strings.push(keys::dead_removed(&config.name, how));
    }
    at
}

fn total(reading: Reading<Option<String>>) -> Option<u64> {
    match reading {
        Ok(None) => Some(0),
        Ok(Some(text)) => text.trim().parse().ok(),
        Err(_) => None,
    }
}

pub fn dead_letters(
    config: &Config,
    count: Reading<u64>,
    [trimmed, purged]: [Reading<Option<String>>; 2],
) -> DeadLetters {
    let n = count.as_ref().ok().copied();
    DeadLetters {
        queue: config.dead_letters.clone(),
        count: n,
        error: count.err(),
        max: config.dead_letters_max,
        max_age_ms: config
            .dead_letters_max_age
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        trimmed: total(trimmed),
        purged: total(purged),
        near_cap: matches!((n, config.dead_letters_max), (Some(n), Some(max)) if n >= near_cap_threshold(max)),
    }
}

impl DeadLetters {
    /// The line under status's table.
    pub fn line(&self) -> String {
        let count = self.count.map_or("?".to_owned(), |n| n.to_string());
        let mut line = format!("dead letters: {count}");
        if let Some(max) = self.max {
            line.push_str(&format!(" of max {max}"));
        }
        line.push_str(&format!(" ({})", self.queue));
        if let Some(ms) = self.max_age_ms {
            let age = crate::duration::format(std::time::Duration::from_millis(ms));
            line.push_str(&format!(" · kept {age}"));
        }
        if let Some(t) = self.trimmed.filter(|t| *t > 0) {
            line.push_str(&format!(" · {t} trimmed"));
        }
        if self.count.is_some_and(|n| n > 0) {
            line.push_str(" · pipectl dead ls");
        }
        line
    }

    /// The warning from 80 % of the cap.
    pub fn warning(&self) -> Option<String> {
        let (true, Some(n), Some(max)) = (self.near_cap, self.count, self.max) else {
            return None;
        };
        Some(format!(
            "{n} dead letters: {}% of dead_letters_max ({max}); beyond it the oldest are trimmed (`pipectl dead trim --export FILE` keeps a copy, `pipectl dead retry` sends them back)",
            n.saturating_mul(100) / max.max(1)
        ))
    }
}
