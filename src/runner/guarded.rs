//! Claiming for a guarded stage (guards/mod.rs): outside the sending window the run stops
//! (or, with --wait, sleeps until it opens when that is within the wait); a spent budget
//! stops it (exit 5); items in flight holding back the rest of a budget make the worker
//! wait for one to settle.

use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Result;

use super::StageRun;
use crate::guards::{self, ClaimPlan};
use crate::store::guards::Guarded;
use crate::store::{Claim, Store};

/// What a worker's claim came to.
pub(super) enum Taken {
    Claimed(Claim),
    /// A guard stopped the run (its reason is in the tally).
    Stopped,
}

/// How long a worker waits before it asks again when items in flight hold a budget back.
const RESERVED_POLL: Duration = Duration::from_millis(100);

impl StageRun<'_> {
    /// Claims one item, under the stage's guards when it has any.
    pub(super) fn take(&self, store: &mut Store, lease: Duration, paused: &str) -> Result<Taken> {
        if !guards::guarded(self.stage) {
            let claim = self.resilient(store, |s| s.claim(self.queue, 1, lease, Some(paused)))?;
            return Ok(Taken::Claimed(claim));
        }
        let mut waited = Duration::ZERO;
        loop {
            if self.stopping() {
                return Ok(Taken::Stopped);
            }
            let plan = self.resilient(store, |s| guards::plan_claim(self.config, self.stage, s))?;
            let guard = match plan {
                ClaimPlan::Go(guard) => guard,
                ClaimPlan::Closed { opens, in_ms } => {
                    let shown = opens.map(|at| guards::show_instant(self.stage, at));
                    let left = in_ms.map(Duration::from_millis);
                    if let (Some(wait), Some(left)) = (self.wait, left)
                        && waited + left <= wait
                    {
                        self.log(format_args!(
                            "pipectl: {}: outside the sending window; waiting until it opens {}",
                            self.stage.name,
                            shown.as_deref().unwrap_or_default()
                        ));
                        // Wake a little after the opening, so the window is open by then.
                        let nap = left + Duration::from_millis(20);
                        self.sleep(nap);
                        waited += nap;
                        continue;
                    }
                    if let Ok(mut w) = self.tally.outside_window.lock() {
                        w.get_or_insert(shown);
                    }
                    self.halt.store(true, Ordering::Relaxed);
                    return Ok(Taken::Stopped);
                }
            };
            let claimed = self.resilient(store, |s| {
                s.claim_guarded(self.queue, 1, lease, paused, &guard.borrow())
            })?;
            match claimed {
                Guarded::Claim(claim) => return Ok(Taken::Claimed(claim)),
                // The window closed between the look at the clock and the claim.
                Guarded::WindowClosed => continue,
                Guarded::BudgetSpent(refusal) => {
                    if let Ok(mut b) = self.tally.budget_spent.lock() {
                        b.get_or_insert(refusal);
                    }
                    self.halt.store(true, Ordering::Relaxed);
                    return Ok(Taken::Stopped);
                }
                Guarded::Reserved(_) => self.sleep(RESERVED_POLL),
            }
        }
    }
}
