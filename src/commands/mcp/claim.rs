//! `pipectl_claim`: leases of a stage's input, as `pop --lease` takes them, refused while
//! the stage is paused or its rate limit is spent, and for a guarded stage outside its
//! sending window or with a budget spent (guards/claim.rs, the words `run` uses).

use anyhow::Result;
use serde::Deserialize;
use serde_json::Value;

use super::work::worked_stage;
use super::{Inner, parse, to_value};
use crate::commands::pop;
use crate::error::Fail;
use crate::exit::Exit;
use crate::store::{Claim, Store};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimArgs {
    /// The stage whose input queue to claim from.
    pub stage: String,
    /// How many items, 1 to 100 [default: 1].
    #[serde(default)]
    pub count: Option<usize>,
    /// How long the lease lasts (e.g. "10m") [default: the stage's timeout plus a margin].
    #[serde(default)]
    pub lease: Option<String>,
}

pub(super) fn call_claim(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: ClaimArgs = parse(args)?;
    let count = args.count.unwrap_or(1);
    if !(1..=100).contains(&count) {
        return Err(Fail::usage(format!("count {count} is out of range"))
            .hint("give 1 to 100")
            .into());
    }
    let (stage, queue) = worked_stage(inner, &args.stage)?;
    let lease = match super::read::duration("lease", args.lease.as_deref())? {
        Some(d) if d.is_zero() => return Err(Fail::usage("lease must be longer than 0s").into()),
        Some(d) => d,
        None => crate::runner::lease_for(stage.timeout),
    };
    let mut granted = count as u64;
    if let Some(rl) = &stage.rate_limit {
        // A take is all or nothing: ask for what the window has left, at most `count`
        // (a claim racing this one may spend it first: then nothing is granted).
        let left = rl
            .limit
            .saturating_sub(store.rate_window(&rl.key, rl.limit)?.used);
        let (got, reset_in) = match granted.min(left) {
            0 => (0, store.rate_window(&rl.key, rl.limit)?.reset_in),
            n => store.rate_take(&rl.key, n, rl.limit, rl.per.0)?,
        };
        if got == 0 {
            return Err(Fail::new(
                Exit::RateLimited,
                format!(
                    "stage '{}' has spent its rate limit ({} per {}); it resets in {}",
                    stage.name,
                    rl.limit,
                    crate::duration::format(rl.per.0),
                    crate::duration::format(reset_in)
                ),
            )
            .hint("wait until it resets, then claim again")
            .into());
        }
        granted = got;
    }
    let paused_key = crate::keys::paused(&inner.config.name, &stage.name);
    // One audit record per item claimed, by the agent, in the claim's own step.
    let entry = crate::audit::Entry::new("claim", &stage.name, &inner.actor(None)?)
        .with("from", queue)
        .with("lease_ms", lease.as_millis().to_string());
    let record = crate::store::Recorded {
        audit: &inner.config.audit,
        entry: &entry,
    };
    // A guarded stage's claim honours its window, breaker and budget in the same step.
    let claimed = if crate::guards::guarded(stage) {
        use crate::guards::claim::{self, Taken};
        let config = &inner.config;
        let n = granted as usize;
        match claim::claim(config, stage, store, queue, n, lease, Some(record)) {
            Ok(Taken::Claim(claimed)) => Ok(claimed),
            Ok(Taken::Closed { refusal, .. } | Taken::Reserved(refusal)) => Err(refusal.into()),
            Err(e) => Err(e),
        }
    } else {
        store.claim_recorded(
            queue,
            granted as usize,
            lease,
            Some(&paused_key),
            Some(record),
        )
    };
    let unused = match &claimed {
        Ok(Claim::Leased(leases)) => granted - leases.len() as u64,
        _ => granted,
    };
    if let (Some(rl), true) = (&stage.rate_limit, unused > 0) {
        store.rate_give(&rl.key, unused)?;
    }
    match claimed? {
        Claim::Paused(reason) => Err(Fail::new(
            Exit::Paused,
            format!("stage '{}' is paused: {reason}", stage.name),
        )
        .hint("wait until an operator resumes it (pipectl resume), or work on another stage")
        .into()),
        Claim::Leased(leases) if leases.is_empty() => Err(Fail::new(
            Exit::NothingToDo,
            format!(
                "nothing to claim: {queue} (stage '{}') is empty",
                stage.name
            ),
        )
        .hint("nothing is waiting now; check pipectl_status, or try again later")
        .into()),
        Claim::Leased(leases) => to_value(&pop::Popped::leased(queue, leases)),
    }
}
