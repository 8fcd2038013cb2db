//! A stage's guards for unattended runs (README "Running unattended"): what the claim and
//! settle steps are told (store/guards.rs, common.lua rule 4), and the guards' state for
//! `status` and `doctor`.
//!
//! - Sending windows are evaluated here, at the Redis server's clock (TIME), so workers on
//!   machines whose clocks differ agree; the claim step is given the instant the window
//!   ends and refuses past it, so a claim racing the close cannot slip through.
//! - The breaker counts failures (retries and dead letters) in the settle step that records
//!   them and pauses the stage at the threshold; the claim step lets one probe through
//!   after the cool-down.
//! - Budgets: costs are added in the settle step; the claim step admits an item only when
//!   what is spent plus what the items in flight may still cost (each the most one item has
//!   cost so far) stays within every cap, so concurrent workers cannot overshoot.

pub mod claim;
pub mod state;
pub mod window;

use anyhow::Result;
use jiff::Timestamp;
use serde_json::json;

use crate::audit::{Actor, Entry};
use crate::config::{Config, Stage};
use crate::handler::cost::Cost;
use crate::keys;
use crate::store::Store;
use crate::store::guards::{ClaimGuard, SettleGuard};
use window::WindowState;

/// The instant guards are evaluated at: the server's clock. Debug builds honour
/// `PIPECTL_TEST_NOW` (RFC 3339) instead, so tests can stand at a daylight-saving change
/// or on a day no window lists; release builds never read it.
pub fn eval_now(server_ms: u64) -> Timestamp {
    #[cfg(debug_assertions)]
    if let Some(ts) = std::env::var("PIPECTL_TEST_NOW")
        .ok()
        .and_then(|t| t.trim().parse::<Timestamp>().ok())
    {
        return ts;
    }
    Timestamp::from_millisecond(i64::try_from(server_ms).unwrap_or(i64::MAX))
        .unwrap_or(Timestamp::MAX)
}

/// What the next claim of a guarded stage is.
pub enum ClaimPlan {
    /// Outside every sending window; the next opens then, in this many ms.
    Closed {
        opens: Option<Timestamp>,
        in_ms: Option<u64>,
    },
    /// Claim under these guard keys and spec.
    Go(OwnedClaimGuard),
}

/// A claim guard's keys and spec, owned.
pub struct OwnedClaimGuard {
    pub breaker: String,
    pub budget: String,
    pub spec: String,
}

impl OwnedClaimGuard {
    pub fn borrow(&self) -> ClaimGuard<'_> {
        ClaimGuard {
            breaker: &self.breaker,
            budget: &self.budget,
            spec: self.spec.clone(),
        }
    }
}

fn budget_spec(stage: &Stage) -> Option<serde_json::Value> {
    stage.guards.budget.as_ref().map(|b| {
        json!({
            "per_ms": millis(b.per),
            "caps": b.caps.iter().map(|(u, c)| json!([u, c])).collect::<Vec<_>>(),
        })
    })
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Looks at the server's clock (when the stage has windows) and says how to claim.
pub fn plan_claim(config: &Config, stage: &Stage, store: &mut Store) -> Result<ClaimPlan> {
    let g = &stage.guards;
    let mut spec = serde_json::Map::new();
    if !g.windows.is_empty() {
        let server = store.server_ms()?;
        let now = eval_now(server);
        match window::evaluate(&g.windows, now) {
            WindowState::Closed { opens } => {
                let in_ms = opens.map(|at| {
                    u64::try_from(at.as_millisecond() - now.as_millisecond()).unwrap_or(0)
                });
                return Ok(ClaimPlan::Closed { opens, in_ms });
            }
            WindowState::Open { until } => {
                if until != Timestamp::MAX {
                    let left = until.as_millisecond() - now.as_millisecond();
                    let end = server.saturating_add(u64::try_from(left).unwrap_or(0));
                    spec.insert("window_ms".into(), json!(end));
                }
            }
        }
    }
    if g.breaker.is_some() {
        spec.insert("breaker".into(), json!(true));
    }
    if let Some(b) = budget_spec(stage) {
        spec.insert("budget".into(), b);
    }
    Ok(ClaimPlan::Go(OwnedClaimGuard {
        breaker: keys::breaker(&config.name, &stage.name),
        budget: keys::budget(&config.name, &stage.name),
        spec: serde_json::Value::Object(spec).to_string(),
    }))
}

/// Whether a stage's claims go through the guarded claim step.
pub fn guarded(stage: &Stage) -> bool {
    !stage.guards.is_empty()
}

/// The longest last error a breaker's reason quotes.
const REASON_ERROR: usize = 300;

/// What a settle step of `stage` is told: its costs (today's counters), budget and
/// breaker, and `error` (the failure's reason, for the breaker's). None when the stage has
/// no breaker or budget and the item cost nothing: a plain settle.
pub fn settle_guard(
    config: &Config,
    stage: &Stage,
    cost: &Cost,
    error: Option<&str>,
) -> Option<SettleGuard> {
    let g = &stage.guards;
    if g.breaker.is_none() && g.budget.is_none() && cost.is_empty() {
        return None;
    }
    let (pipeline, name) = (&config.name, &stage.name);
    let day = crate::date::today().to_string();
    let mut keys_ = vec![
        keys::paused(pipeline, name),
        config.audit.key.clone(),
        keys::breaker(pipeline, name),
        keys::breaker_failures(pipeline, name),
        keys::budget(pipeline, name),
    ];
    keys_.extend(
        cost.0
            .iter()
            .map(|(unit, _)| keys::counter(&keys::cost_counter(pipeline, name, unit), &day)),
    );
    let actor = Actor::named("pipectl");
    let mut spec = json!({
        "cost": cost.0.iter().map(|(u, n)| json!([u, n])).collect::<Vec<_>>(),
        "ttl": config.stats_retention.as_secs().max(1),
        "keep_ms": config.audit.keep_ms(),
        "open_head": Entry::new("breaker-open", name, &actor).head(),
        "close_head": Entry::new("breaker-close", name, &actor).head(),
    });
    if let Some(b) = budget_spec(stage) {
        spec["budget"] = b;
    }
    if let Some(b) = &g.breaker {
        let last = crate::output::truncate(error.unwrap_or("(no reason given)"), REASON_ERROR);
        spec["breaker"] = json!({
            "failures": b.failures,
            "within_ms": millis(b.within),
            "cool_ms": millis(b.cool_down),
            "reason": format!(
                "circuit breaker: {} within {}; last: {last}",
                crate::output::count_of(u64::from(b.failures), "failure"),
                crate::duration::format(b.within)
            ),
            "reopen_reason": format!("circuit breaker: the probe failed: {last}"),
        });
    }
    Some(SettleGuard {
        keys: keys_,
        spec: spec.to_string(),
    })
}

/// An instant in RFC 3339, in the zone of the stage's first window (UTC without).
pub fn show_instant(stage: &Stage, at: Timestamp) -> String {
    let tz = stage
        .guards
        .windows
        .first()
        .map_or(jiff::tz::TimeZone::UTC, |w| w.tz.clone());
    let zoned = at.to_zoned_datetime(tz);
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}
