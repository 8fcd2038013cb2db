//! Doctor's look at the stages' guards: an open circuit breaker or a spent budget is worth a
//! warning (the stage does nothing until someone or the clock acts); a closed sending window
//! is said so, as fine.

use anyhow::Result;

use super::{Check, Status, check};
use crate::config::Config;
use crate::guards::state::{self, amount};
use crate::store::Store;

pub(super) fn guard_checks(
    store: &mut Store,
    config: &Config,
    checks: &mut Vec<Check>,
) -> Result<()> {
    let fmt = |ms: u64| crate::duration::format(std::time::Duration::from_secs(ms.div_ceil(1000)));
    for stage in &config.stages {
        let Some(g) = state::read(config, stage, store)? else {
            continue;
        };
        let name = &stage.name;
        if let Some(w) = &g.window
            && !w.open
        {
            let opens = w.opens.as_deref().unwrap_or("never");
            checks.push(check(
                "window",
                Status::Ok,
                format!("stage '{name}' is outside its sending window; it opens {opens}"),
            ));
        }
        if let Some(b) = &g.breaker
            && b.state != "closed"
        {
            let reason = b.reason.as_deref().unwrap_or("(no reason recorded)");
            let wait = match b.probe_in_ms {
                Some(0) | None => "the next run probes with one item".to_owned(),
                Some(ms) => format!("a probe may go through in {}", fmt(ms)),
            };
            checks.push(
                check(
                    "breaker",
                    Status::Warn,
                    format!(
                        "stage '{name}' has its circuit breaker {}: {reason}",
                        b.state
                    ),
                )
                .fix(format!(
                    "fix the cause, then `pipectl resume {name}` closes it; or let it be: {wait}"
                )),
            );
        }
        for b in g.budget.iter().filter(|b| b.spent_out) {
            checks.push(
                check(
                    "budget",
                    Status::Warn,
                    format!(
                        "stage '{name}' has spent its {} budget ({} of {}); it resets in {}",
                        b.unit,
                        amount(b.spent),
                        amount(b.cap),
                        fmt(b.resets_in_ms)
                    ),
                )
                .fix(format!(
                    "wait for the reset, or raise budget.{} in [stages.{name}]",
                    b.unit
                )),
            );
        }
    }
    Ok(())
}
