//! Work tools: enqueue, claim, complete, fail, defer, escalate, count. An agent that claims
//! work is the stage's handler: complete, fail, defer and escalate are `pipectl run`'s own
//! atomic steps (runner/step.rs), with the stage's output, dedup and escalation rules.

use anyhow::Result;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::claim::ClaimArgs;
use super::queue::ItemIn;
use super::tools::{Group, ToolDef, input, output};
use super::{Inner, parse, to_value};
use crate::commands::{enqueue, nack, pop};
use crate::config::{Handler, Stage};
use crate::error::Fail;
use crate::handler::Outcome;
use crate::runner::step::{Done, Settlement, Step};
use crate::store::{Lease, Settled, Store};

#[allow(clippy::too_many_arguments)]
pub(super) const fn work(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    destructive: bool,
    idempotent: bool,
    input: fn() -> std::sync::Arc<rmcp::model::JsonObject>,
    output: fn() -> std::sync::Arc<rmcp::model::JsonObject>,
    call: super::tools::Call,
) -> ToolDef {
    ToolDef {
        name,
        title,
        description,
        group: Group::Work,
        read_only: false,
        destructive,
        idempotent,
        input,
        output,
        call,
    }
}

pub static TOOLS: &[ToolDef] = &[
    work(
        "pipectl_claim",
        "Claim work",
        "Take up to `count` items of a stage's input queue under a lease: each comes with a \
         `token`, the item and which attempt this is. Do the stage's work for each, then \
         finish every lease with pipectl_complete, pipectl_fail, pipectl_defer or \
         pipectl_escalate before it expires (the stage's timeout plus a margin, or `lease`); \
         an unfinished lease returns the item to the queue, so nothing is lost, and two \
         agents never get the same item. Refused when the stage is paused (or its circuit \
         breaker open), its rate limit or budget is spent, it is outside its sending window, \
         or there is nothing to claim. Same result as `pipectl pop --lease --json`.",
        false,
        false,
        input::<ClaimArgs>,
        output::<pop::Popped>,
        super::claim::call_claim,
    ),
    work(
        "pipectl_complete",
        "Finish a lease with output",
        "Finish a claimed item (its lease `token`) with zero, one or several output items, \
         in one atomic step: they go to the stage's output queue under the stage's dedup \
         rule (duplicates skipped), and the lease ends. Give no items to drop the item; \
         give the item itself to pass it on unchanged. Outputs use the same lossless form \
         as pipectl_enqueue. An expired or finished lease is refused, nothing moved.",
        false,
        true,
        input::<CompleteArgs>,
        output::<Completed>,
        call_complete,
    ),
    work(
        "pipectl_fail",
        "Fail a lease",
        "Give up on a claimed item with a `reason`: it is retried later (after the stage's \
         backoff, or `retry_in`), until the stage's max_attempts, then dead-lettered; with \
         `dead` = true it is dead-lettered now (a dead letter keeps the item, the reason and \
         the attempts; an operator can retry it). Same result as `pipectl nack --json`.",
        true,
        true,
        input::<FailArgs>,
        output::<nack::Nacked>,
        call_fail,
    ),
    work(
        "pipectl_defer",
        "Look again later",
        "Not a failure: put a claimed item aside and have it claimed again after `after` \
         (e.g. \"1h\"), its attempt not counted; optionally as a new version of it \
         (`replacement`, lossless form). Same result as `pipectl nack --json`.",
        false,
        true,
        input::<DeferArgs>,
        output::<nack::Nacked>,
        call_defer,
    ),
    work(
        "pipectl_escalate",
        "Ask a person",
        "Hand one claimed item to a person: it is staged for review in the stage's \
         `escalate_to` manual stage with your `question`, recorded in the audit stream with \
         your name, in one atomic step. Use it when the decision is not yours to make or you \
         are unsure. A person approves it (on to the stage's output) or rejects it.",
        false,
        true,
        input::<EscalateArgs>,
        output::<Escalated>,
        call_escalate,
    ),
];

/// A stage an agent may take work from: one with an input and a handler (manual stages are
/// for people: approve/reject).
pub(super) fn worked_stage<'a>(inner: &'a Inner, name: &str) -> Result<(&'a Stage, &'a str)> {
    let stage = inner.stage(name)?;
    if matches!(stage.handler, Handler::Manual) {
        return Err(Fail::usage(format!(
            "stage '{name}' is manual: its items wait for a person's approve or reject, not for claims"
        ))
        .hint("claim from a stage with a handler; see pipectl_status")
        .into());
    }
    let Some(queue) = stage.input.as_deref() else {
        return Err(Fail::usage(format!("stage '{name}' has no input queue")).into());
    };
    Ok((stage, queue))
}

/// The stage's lease `token` names, with its item: refused when the token is of another
/// queue than the stage's input, or the lease is gone.
fn leased<'a>(
    inner: &'a Inner,
    store: &mut Store,
    stage: &str,
    token: &str,
) -> Result<(Step<'a>, Lease)> {
    let (stage, queue) = worked_stage(inner, stage)?;
    let (of, id) = nack::parse(token)?;
    if of != queue {
        return Err(Fail::usage(format!(
            "lease {token} is of queue {of}, not of stage '{}' (input {queue})",
            stage.name
        ))
        .hint("pass the stage the item was claimed from")
        .into());
    }
    let Some((item, attempt)) = store.lease(queue, id)? else {
        return Err(nack::unknown(token, queue).into());
    };
    let lease = Lease {
        id: id.to_owned(),
        item,
        attempt,
        note: None,
    };
    let step = Step {
        config: &inner.config,
        stage,
        queue,
    };
    Ok((step, lease))
}

/// Settles a lease with `outcome`; a lease that expired meanwhile is refused.
fn settle(
    inner: &Inner,
    store: &mut Store,
    step: &Step<'_>,
    lease: &Lease,
    token: &str,
    outcome: Outcome,
    cost: Option<Map<String, Value>>,
) -> Result<Settlement> {
    let cost = crate::handler::cost::from_tool(cost).map_err(Fail::usage)?;
    let actor = inner.actor(None)?;
    let done = step.settle_recorded(store, lease, outcome, &cost, &actor)?;
    if done.settled == Settled::Unknown {
        return Err(nack::unknown(token, step.queue).into());
    }
    Ok(done)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteArgs {
    /// The stage the item was claimed from.
    pub stage: String,
    /// The lease token pipectl_claim gave.
    pub token: String,
    /// The output items (lossless form), none to drop the item.
    #[serde(default)]
    pub items: Vec<ItemIn>,
    /// What the item cost, per unit (e.g. {"usd": 0.02, "sms": 1}): added to the stage's
    /// daily cost counters and its budget in the same step. None: it cost nothing.
    #[serde(default)]
    pub cost: Option<Map<String, Value>>,
}

/// `pipectl_complete`: where the output went.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Completed {
    /// The lease token, as given.
    pub token: String,
    pub stage: String,
    /// The queue the item was claimed from.
    pub from: String,
    /// The stage's output queue; null when it has none (the outputs went nowhere).
    pub to: Option<String>,
    /// Output items pushed.
    pub added: u64,
    /// Output items skipped as seen before (the stage's dedup_by).
    pub duplicates: u64,
    /// Which claim of the item this was, 1 the first.
    pub attempt: u64,
}

fn call_complete(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: CompleteArgs = parse(args)?;
    let (step, lease) = leased(inner, store, &args.stage, &args.token)?;
    let outputs: Vec<Vec<u8>> = args
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| item.bytes(&format!("output item {}", i + 1)))
        .collect::<Result<_>>()?;
    let rules = crate::input::Rules {
        max_bytes: inner.config.max_item_bytes,
        dedup_by: step.stage.dedup_by.as_deref(),
    };
    let raw: Vec<(crate::input::Origin, &[u8])> = outputs
        .iter()
        .enumerate()
        .map(|(i, b)| (crate::input::Origin::Argument(i + 1), b.as_slice()))
        .collect();
    let (_, invalid) = crate::input::validate_all(&raw, &rules);
    if !invalid.is_empty() {
        return Err(enqueue::invalid_batch(&invalid, "completed").into());
    }
    let done = settle(
        inner,
        store,
        &step,
        &lease,
        &args.token,
        Outcome::Success(outputs),
        args.cost,
    )?;
    let (added, duplicates) = match done.done {
        Done::Succeeded { added, duplicates } => (added, duplicates),
        _ => (0, 0),
    };
    to_value(&Completed {
        token: args.token,
        stage: step.stage.name.clone(),
        from: step.queue.to_owned(),
        to: done.to,
        added,
        duplicates,
        attempt: lease.attempt,
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FailArgs {
    pub stage: String,
    /// The lease token pipectl_claim gave.
    pub token: String,
    /// Why it failed: kept with a dead letter, shown to whoever looks at it.
    pub reason: String,
    /// Dead-letter now instead of retrying later.
    #[serde(default)]
    pub dead: bool,
    /// Retry after this long (e.g. "10m") instead of the stage's backoff.
    #[serde(default)]
    pub retry_in: Option<String>,
    /// What the item cost, per unit (e.g. {"usd": 0.02, "sms": 1}): added to the stage's
    /// daily cost counters and its budget in the same step. None: it cost nothing.
    #[serde(default)]
    pub cost: Option<Map<String, Value>>,
}

/// A settlement as `pipectl nack --json` reports it.
fn nacked(token: String, step: &Step<'_>, lease: &Lease, done: &Settlement) -> nack::Nacked {
    let delay = match done.done {
        Done::Retried(d) | Done::Deferred(d) => {
            Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        }
        _ => None,
    };
    nack::Nacked {
        token,
        from: step.queue.to_owned(),
        to: done.to.clone().unwrap_or_default(),
        attempts: lease.attempt,
        delay_ms: delay,
        dead: done.done == Done::Dead,
    }
}

fn call_fail(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: FailArgs = parse(args)?;
    if args.reason.trim().is_empty() {
        return Err(Fail::usage("give a reason: it is what a person reads later").into());
    }
    let after = super::read::duration("retry_in", args.retry_in.as_deref())?;
    let (step, lease) = leased(inner, store, &args.stage, &args.token)?;
    let outcome = if args.dead {
        Outcome::Dead {
            reason: args.reason,
        }
    } else {
        Outcome::Retry {
            reason: args.reason,
            after,
        }
    };
    let done = settle(inner, store, &step, &lease, &args.token, outcome, args.cost)?;
    to_value(&nacked(args.token, &step, &lease, &done))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferArgs {
    pub stage: String,
    /// The lease token pipectl_claim gave.
    pub token: String,
    /// Claim it again after this long (e.g. "1h").
    pub after: String,
    /// A new version of the item to look at then (lossless form).
    #[serde(default)]
    pub replacement: Option<ItemIn>,
    /// What the item cost, per unit (e.g. {"usd": 0.02, "sms": 1}): added to the stage's
    /// daily cost counters and its budget in the same step. None: it cost nothing.
    #[serde(default)]
    pub cost: Option<Map<String, Value>>,
}

fn call_defer(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DeferArgs = parse(args)?;
    let Some(after) = super::read::duration("after", Some(&args.after))? else {
        return Err(Fail::usage("give after").into());
    };
    let replacement = args
        .replacement
        .as_ref()
        .map(|r| r.bytes("replacement"))
        .transpose()?;
    let (step, lease) = leased(inner, store, &args.stage, &args.token)?;
    let done = settle(
        inner,
        store,
        &step,
        &lease,
        &args.token,
        Outcome::Defer { after, replacement },
        args.cost,
    )?;
    to_value(&nacked(args.token, &step, &lease, &done))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateArgs {
    pub stage: String,
    /// The lease token pipectl_claim gave.
    pub token: String,
    /// What the person should decide, in a sentence or two.
    pub question: String,
    /// A new version of the item to stage instead (lossless form).
    #[serde(default)]
    pub replacement: Option<ItemIn>,
    /// What the item cost, per unit (e.g. {"usd": 0.02, "sms": 1}): added to the stage's
    /// daily cost counters and its budget in the same step. None: it cost nothing.
    #[serde(default)]
    pub cost: Option<Map<String, Value>>,
}

/// `pipectl_escalate`: where the item waits for a person.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Escalated {
    /// The lease token, as given.
    pub token: String,
    pub stage: String,
    /// The queue the item was claimed from.
    pub from: String,
    /// The manual stage that reviews it.
    pub review_stage: String,
    /// Its staging list, where the item now waits.
    pub to: String,
    pub question: String,
    /// Who asked, as the audit record names them.
    pub by: String,
}

fn call_escalate(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: EscalateArgs = parse(args)?;
    if args.question.trim().is_empty() {
        return Err(Fail::usage("give a question for the person").into());
    }
    let replacement = args
        .replacement
        .as_ref()
        .map(|r| r.bytes("replacement"))
        .transpose()?;
    let (step, lease) = leased(inner, store, &args.stage, &args.token)?;
    let Some(review_stage) = step.stage.escalate_to.clone() else {
        return Err(Fail::config(format!(
            "stage '{}' has no escalate_to, so there is no person to ask",
            step.stage.name
        ))
        .hint(format!(
            "set escalate_to = \"<manual stage>\" in [stages.{}] of pipectl.toml, or finish the item with pipectl_complete or pipectl_fail",
            step.stage.name
        ))
        .into());
    };
    let outcome = Outcome::Review {
        question: args.question.clone(),
        replacement,
    };
    let done = settle(inner, store, &step, &lease, &args.token, outcome, args.cost)?;
    to_value(&Escalated {
        token: args.token,
        stage: step.stage.name.clone(),
        from: step.queue.to_owned(),
        review_stage,
        to: done.to.unwrap_or_default(),
        question: args.question,
        by: inner.options.by.clone(),
    })
}
