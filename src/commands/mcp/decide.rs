//! Decide tools: approve and reject staged items, offered only where a manual stage's config
//! says `agent_may_decide = true` (off by default: a person stays in the loop). The same
//! execute functions as `pipectl approve` / `reject`, with the agent (`--as`) as reviewer;
//! an agent never overrides a person's review claim (no force).

use anyhow::Result;
use serde::Deserialize;
use serde_json::Value;

use super::tools::{Group, ToolDef, input, output};
use super::{Inner, parse, to_value};
use crate::commands::review::{self, Decided, Manual, StageArg, select::Selection};
use crate::config::{Config, Handler};
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{ColorChoice, Output};
use crate::store::Store;

pub static TOOLS: &[ToolDef] = &[
    ToolDef {
        name: "pipectl_approve",
        title: "Approve staged items",
        description: "Approve items waiting for review in a manual stage whose config lets an \
                      agent decide (`agent_may_decide = true`): they move on to the stage's \
                      output (an escalated item to its escalating stage's output), each in one \
                      atomic step with an audit record naming you. Select by `positions` \
                      (\"1\", \"2-4\", from a fresh pipectl_staged: positions shift as items \
                      come and go), by `where` conditions, or `all`. Items a person holds a \
                      review claim on are skipped. Same result as `pipectl approve --json`.",
        group: Group::Decide,
        read_only: false,
        destructive: false,
        idempotent: false,
        input: input::<DecideArgs>,
        output: output::<Decided>,
        call: call_approve,
    },
    ToolDef {
        name: "pipectl_reject",
        title: "Reject staged items",
        description: "Reject items waiting for review in a manual stage whose config lets an \
                      agent decide (`agent_may_decide = true`), with a `reason`: they move to \
                      the pipeline's rejected list, each in one atomic step with an audit \
                      record naming you. Select as pipectl_approve does. Same result as \
                      `pipectl reject --json`.",
        group: Group::Decide,
        read_only: false,
        destructive: true,
        idempotent: false,
        input: input::<DecideArgs>,
        output: output::<Decided>,
        call: call_reject,
    },
];

/// Whether a session offers the decide tools: some manual stage open to it says so.
pub fn offered(config: &Config, stages: &[String]) -> bool {
    config.stages.iter().any(|s| {
        matches!(s.handler, Handler::Manual)
            && s.review.agent_may_decide
            && (stages.is_empty() || stages.contains(&s.name))
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideArgs {
    /// The manual stage [default: the pipeline's only one].
    #[serde(default)]
    pub stage: Option<String>,
    /// Positions ("1", "2-4"), 1 = next in line, as pipectl_staged shows them.
    #[serde(default)]
    pub positions: Vec<String>,
    /// Only items matching every condition (FIELD=VALUE, FIELD~TEXT, >=, …).
    #[serde(default, rename = "where")]
    pub conditions: Vec<String>,
    /// Every staged item (with `where`: every matching one).
    #[serde(default)]
    pub all: bool,
    /// Why (reject: kept with the rejected item; approve: the audit record's note).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The manual stage and the selection, when the stage lets an agent decide.
fn select(inner: &Inner, args: DecideArgs, verb: &str) -> Result<(Manual, Selection)> {
    let manual = review::manual_of(&inner.config, args.stage.as_deref())?;
    inner.allow_stage(&manual.stage)?;
    if !manual.rules.agent_may_decide {
        return Err(Fail::usage(format!(
            "stage '{}' keeps decisions for people: an agent may not {verb} its items",
            manual.stage
        ))
        .hint(format!(
            "escalate or leave them for a person; an operator can set agent_may_decide = true in [stages.{}]",
            manual.stage
        ))
        .into());
    }
    let positions = args
        .positions
        .iter()
        .map(|p| review::select::parse_span(p).map_err(|e| Fail::usage(format!("positions: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let filters = super::conditions(&args.conditions)?;
    if args.all && !positions.is_empty() {
        return Err(Fail::usage("give positions or all, not both").into());
    }
    let selection = Selection {
        positions,
        filters,
        all: args.all,
        limit: None,
        stage: StageArg {
            stage: Some(manual.stage.clone()),
        },
    };
    selection.check(verb)?;
    Ok((manual, selection))
}

/// A decision that moved nothing is a tool error, as the CLI's exit 3.
fn answer(decided: Decided) -> Result<Value> {
    if decided.exit() == Exit::NothingToDo {
        return Err(
            Fail::new(Exit::NothingToDo, "no staged item matched: nothing decided")
                .hint("see pipectl_staged for what is waiting")
                .into(),
        );
    }
    to_value(&decided)
}

fn call_approve(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DecideArgs = parse(args)?;
    let actor = inner.actor(args.reason.as_deref())?;
    let (manual, selection) = select(inner, args, "approve")?;
    let out = Output::new(true, true, 0, ColorChoice::Never);
    let verdict = review::approve::Verdict {
        actor: &actor,
        force: false,
        reason: None,
    };
    answer(review::approve::execute(
        store, &manual, &selection, &verdict, &out,
    )?)
}

fn call_reject(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DecideArgs = parse(args)?;
    let reason = args.reason.clone();
    let actor = inner.actor(None)?;
    let (manual, selection) = select(inner, args, "reject")?;
    let out = Output::new(true, true, 0, ColorChoice::Never);
    let verdict = review::approve::Verdict {
        actor: &actor,
        force: false,
        reason: reason.as_deref(),
    };
    answer(review::reject::execute(
        store, &manual, &selection, &verdict, &out,
    )?)
}
