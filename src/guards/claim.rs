//! Claiming a guarded stage's input outside `pipectl run`: `pop --lease` and the MCP claim
//! tool take leases under the same guards, in the same one claim step (claim.lua), as `run`
//! does (runner/guarded.rs), and refuse in the same words: outside the sending window
//! (exit 4), a budget spent (exit 5), the stage paused or its breaker open (exit 4).

use std::time::Duration;

use anyhow::Result;

use super::{ClaimPlan, plan_claim, show_instant};
use crate::config::{Config, Stage};
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;
use crate::store::guards::{BudgetRefusal, Guarded};
use crate::store::{Claim, Recorded, Store};

/// What a guarded claim outside `run` came to.
pub enum Taken {
    /// Leases (none when the queue is empty), or the stage's pause (its breaker's too).
    Claim(Claim),
    /// Outside every sending window: the refusal, and how long until the next opens.
    Closed {
        refusal: Fail,
        opens_in: Option<Duration>,
    },
    /// Items in flight hold back what is left of a budget: try again when one settles.
    Reserved(Fail),
}

/// How often a claim racing the window's close looks at the clock again.
const CLOSING_RETRIES: usize = 3;

/// Claims up to `count` items of `stage`'s input `queue` under the stage's guards (the pause
/// flag, a breaker's probe, the window's end, the budget), with `record` written per item
/// in the same step. A spent budget is an error (exit 5).
pub fn claim(
    config: &Config,
    stage: &Stage,
    store: &mut Store,
    queue: &str,
    count: usize,
    lease: Duration,
    record: Option<Recorded<'_>>,
) -> Result<Taken> {
    let paused = keys::paused(&config.name, &stage.name);
    for _ in 0..CLOSING_RETRIES {
        let guard = match plan_claim(config, stage, store)? {
            ClaimPlan::Closed { opens, in_ms } => {
                let opens = opens.map(|at| show_instant(stage, at));
                return Ok(Taken::Closed {
                    refusal: closed(stage, opens.as_deref()),
                    opens_in: in_ms.map(Duration::from_millis),
                });
            }
            ClaimPlan::Go(guard) => guard,
        };
        let claimed =
            store.claim_guarded_recorded(queue, count, lease, &paused, &guard.borrow(), record)?;
        match claimed {
            Guarded::Claim(claim) => return Ok(Taken::Claim(claim)),
            // The window closed between the look at the clock and the claim: look again.
            Guarded::WindowClosed => continue,
            Guarded::BudgetSpent(r) => return Err(spent(stage, &r).into()),
            Guarded::Reserved(r) => return Ok(Taken::Reserved(reserved(stage, &r))),
        }
    }
    Ok(Taken::Closed {
        refusal: closed(stage, None),
        opens_in: None,
    })
}

/// What `run` says outside the sending window: `outside the sending window; opens <time>`.
pub fn window_message(opens: Option<&str>) -> String {
    format!(
        "outside the sending window; opens {}",
        opens.unwrap_or("(no window ahead)")
    )
}

/// What `run` says of a spent budget: `budget sms spent (20 of 20); it resets in 5h3m`
/// (amounts in units).
pub fn budget_message(unit: &str, spent: f64, cap: f64, resets_in: Duration) -> String {
    format!(
        "budget {unit} spent ({spent} of {cap}); it resets in {}",
        crate::duration::format(resets_in)
    )
}

fn units(n: u64) -> f64 {
    n as f64 / crate::config::MICRO
}

fn closed(stage: &Stage, opens: Option<&str>) -> Fail {
    Fail::new(
        Exit::Paused,
        format!("stage '{}': {}", stage.name, window_message(opens)),
    )
    .hint("nothing is claimed outside the stage's window; claim again once it opens")
}

fn spent(stage: &Stage, r: &BudgetRefusal) -> Fail {
    Fail::new(
        Exit::RateLimited,
        format!(
            "stage '{}': {}",
            stage.name,
            budget_message(&r.unit, units(r.spent), units(r.cap), r.resets_in)
        ),
    )
    .hint(format!(
        "nothing is claimed until the budget resets; to spend more, raise budget in [stages.{}] of pipectl.toml",
        stage.name
    ))
}

fn reserved(stage: &Stage, r: &BudgetRefusal) -> Fail {
    Fail::new(
        Exit::RateLimited,
        format!(
            "stage '{}': budget {}: the {} in flight may spend what is left ({} of {} spent)",
            stage.name,
            r.unit,
            crate::output::count_of(r.in_flight, "item"),
            units(r.spent),
            units(r.cap)
        ),
    )
    .hint("claim again when one of them is finished")
}

/// A paused stage's refusal (by hand, or its breaker open): exit 4.
pub fn paused(stage: &Stage, reason: &str) -> Fail {
    Fail::new(
        Exit::Paused,
        format!("stage '{}' is paused: {reason}", stage.name),
    )
    .hint(format!("`pipectl resume {}` lifts it", stage.name))
}
