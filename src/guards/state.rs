//! A stage's guards as `status` and `doctor` show them: whether the sending window is open
//! (and until when, or when it opens), the breaker's state, and what is spent of each budget.

use std::time::Duration;

use anyhow::Result;

use super::window::{self, WindowState};
use crate::config::{Config, MICRO, Stage};
use crate::keys;
use crate::store::guards::Fields;
use crate::store::{Probe, Snapshot, Store};

/// A stage's guards (status `guards`; null for a stage without any).
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct GuardStatus {
    /// Its sending windows (null without any).
    pub window: Option<WindowStatus>,
    /// Its circuit breaker (null without one).
    pub breaker: Option<BreakerStatus>,
    /// Its budget, one entry per capped unit (empty without a budget).
    pub budget: Vec<BudgetStatus>,
}

#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct WindowStatus {
    /// The windows as configured (`mon-fri 09:00-18:00 America/Chicago`).
    pub windows: Vec<String>,
    /// Whether a window is open at the server's clock.
    pub open: bool,
    /// Open: until when (RFC 3339, in the first window's time zone).
    pub until: Option<String>,
    /// Closed: when the next opens (RFC 3339, in the first window's time zone).
    pub opens: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct BreakerStatus {
    /// `closed`, `open` (the stage is paused; a probe goes through after the cool-down) or
    /// `probing` (one item is being tried).
    pub state: String,
    /// Why it opened: the threshold and the last error (null when closed).
    pub reason: Option<String>,
    /// Failures counted in the last `within`.
    pub failures: u64,
    /// How many failures within `within_ms` open it.
    pub threshold: u32,
    pub within_ms: u64,
    /// Open: the cool-down ends (a probe may go through) in this long; 0 when over.
    pub probe_in_ms: Option<u64>,
}

#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct BudgetStatus {
    pub unit: String,
    /// Spent in the current budget window, in units.
    pub spent: f64,
    pub cap: f64,
    /// The budget window's length (`per`); windows start at multiples of it since the epoch
    /// (UTC midnight for `1d`).
    pub per_ms: u64,
    /// The current window ends in this long.
    pub resets_in_ms: u64,
    /// The cap is reached: the stage claims nothing more until the window ends.
    pub spent_out: bool,
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Where a stage's guard readings sit in a snapshot ([`probe`]).
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// The breaker's hash and its recent failures: indices into `hashes` and `recent`.
    breaker: Option<(usize, usize)>,
    /// The budget's hash: an index into `hashes`.
    budget: Option<usize>,
}

/// Adds what a stage's guards are read from to `probe`: the server's clock, the breaker's
/// hash and its failures within `within`, the budget's hash. None for a stage without
/// guards (nothing added).
pub fn probe(config: &Config, stage: &Stage, probe: &mut Probe) -> Option<Plan> {
    let g = &stage.guards;
    if g.is_empty() {
        return None;
    }
    probe.time = true;
    let breaker = g.breaker.as_ref().map(|b| {
        probe.hashes.push(keys::breaker(&config.name, &stage.name));
        probe.recent.push((
            keys::breaker_failures(&config.name, &stage.name),
            ms(b.within),
        ));
        (probe.hashes.len() - 1, probe.recent.len() - 1)
    });
    let budget = g.budget.as_ref().map(|_| {
        probe.hashes.push(keys::budget(&config.name, &stage.name));
        probe.hashes.len() - 1
    });
    Some(Plan { breaker, budget })
}

/// Reads a stage's guards at the server's clock, in one round trip; None for a stage
/// without guards.
pub fn read(config: &Config, stage: &Stage, store: &mut Store) -> Result<Option<GuardStatus>> {
    let mut reads = Probe::default();
    let Some(plan) = probe(config, stage, &mut reads) else {
        return Ok(None);
    };
    let snap = store.snapshot(&reads)?;
    evaluate(stage, &plan, &snap).map(Some)
}

/// A stage's guards from a snapshot that read what [`probe`] added. A breaker or budget
/// key of another type reads as absent (the claim and settle scripts refuse it, naming it).
pub fn evaluate(stage: &Stage, plan: &Plan, snap: &Snapshot) -> Result<GuardStatus> {
    let g = &stage.guards;
    let server = match &snap.time_ms {
        Some(Ok(ms)) => *ms,
        Some(Err(e)) => anyhow::bail!("cannot read the server's clock (TIME): {e}"),
        None => anyhow::bail!("the server's clock was not read"),
    };
    let now = super::eval_now(server);
    let shown = |at| super::show_instant(stage, at);
    let hash = |at: Option<usize>| -> Fields {
        at.and_then(|i| snap.hashes.get(i))
            .and_then(|r| r.as_ref().ok())
            .cloned()
            .unwrap_or_default()
    };
    let reading = Reading {
        breaker: hash(plan.breaker.map(|(h, _)| h)),
        budget: hash(plan.budget),
        failures: plan
            .breaker
            .and_then(|(_, r)| snap.recent.get(r))
            .and_then(|r| r.as_ref().ok())
            .copied()
            .unwrap_or(0),
    };
    let window = (!g.windows.is_empty()).then(|| {
        let state = window::evaluate(&g.windows, now);
        let (open, until, opens) = match state {
            WindowState::Open { until } => (true, Some(shown(until)), None),
            WindowState::Closed { opens } => (false, None, opens.map(shown)),
        };
        WindowStatus {
            windows: g.windows.iter().map(|w| w.text.clone()).collect(),
            open,
            until,
            opens,
        }
    });
    let number = |fields: &Fields, f: &str| {
        fields
            .get(f)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let breaker = g.breaker.as_ref().map(|b| {
        let state = reading
            .breaker
            .get("state")
            .cloned()
            .unwrap_or_else(|| "closed".into());
        let retry_at = number(&reading.breaker, "retry_at") as u64;
        BreakerStatus {
            probe_in_ms: (state == "open").then(|| retry_at.saturating_sub(server)),
            reason: reading.breaker.get("reason").cloned(),
            state,
            failures: reading.failures,
            threshold: b.failures,
            within_ms: ms(b.within),
        }
    });
    let budget = g.budget.as_ref().map_or_else(Vec::new, |b| {
        let per = ms(b.per).max(1);
        let start = server - server % per;
        let current = number(&reading.budget, "window") as u64 == start;
        b.caps
            .iter()
            .map(|(unit, cap)| {
                let spent = if current {
                    number(&reading.budget, &format!("spent:{unit}"))
                } else {
                    0.0
                };
                BudgetStatus {
                    unit: unit.clone(),
                    spent: spent / MICRO,
                    cap: *cap as f64 / MICRO,
                    per_ms: per,
                    resets_in_ms: start + per - server,
                    spent_out: spent >= *cap as f64,
                }
            })
            .collect()
    });
    Ok(GuardStatus {
        window,
        breaker,
        budget,
    })
}

/// A stage's breaker and budget hashes as read (empty when absent or of another type), and
/// the breaker's failures within its `within`.
struct Reading {
    breaker: Fields,
    budget: Fields,
    failures: u64,
}

impl GuardStatus {
    /// Lines for status's details below the table.
    pub fn lines(&self, stage: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let fmt = |ms: u64| crate::duration::format(Duration::from_secs(ms.div_ceil(1000)));
        if let Some(w) = &self.window {
            lines.push(match (w.open, &w.until, &w.opens) {
                (true, Some(until), _) => format!("{stage}: sending window open until {until}"),
                (true, None, _) => format!("{stage}: sending window open"),
                (false, _, Some(opens)) => {
                    format!("{stage}: sending window closed until {opens}")
                }
                (false, _, None) => format!("{stage}: sending window closed"),
            });
        }
        if let Some(b) = &self.breaker
            && b.state != "closed"
        {
            let when = match b.probe_in_ms {
                Some(0) => "; the next run probes with one item".to_owned(),
                Some(ms) => format!("; a probe may go through in {}", fmt(ms)),
                None => String::new(),
            };
            lines.push(format!(
                "{stage}: circuit breaker {}{when} (`pipectl resume {stage}` closes it)",
                b.state
            ));
        }
        for b in &self.budget {
            let state = if b.spent_out { "SPENT" } else { "spent" };
            lines.push(format!(
                "{stage}: budget {}: {} of {} {state}, resets in {}",
                b.unit,
                amount(b.spent),
                amount(b.cap),
                fmt(b.resets_in_ms)
            ));
        }
        lines
    }
}

/// An amount as people read it: no trailing zeros (`0.02`, `20`).
pub fn amount(n: f64) -> String {
    let text = format!("{n:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}
