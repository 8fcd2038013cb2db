//! Operate tools (profile operator): pause, resume, dead_retry. Each writes its audit record
//! in the same atomic step as the change, with the agent (`--as`) as `by`.

use anyhow::Result;
use serde::Deserialize;
use serde_json::Value;

use super::tools::{Group, ToolDef, input, output};
use super::{Inner, parse, to_value};
use crate::commands::actor::ActorArgs;
use crate::commands::{dead, pause};
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{ColorChoice, Output};
use crate::store::Store;

pub static TOOLS: &[ToolDef] = &[
    ToolDef {
        name: "pipectl_pause",
        title: "Pause a stage",
        description: "Stop a stage from taking new work (claims and `pipectl run` are refused \
                      until it is resumed; leases already out finish normally), with a reason \
                      every operator sees. Recorded in the audit stream with your name. Use it \
                      when a stage is failing everything or a downstream service is down. Same \
                      result as `pipectl pause --json`.",
        group: Group::Operate,
        read_only: false,
        destructive: false,
        idempotent: true,
        input: input::<PauseArgs>,
        output: output::<pause::Paused>,
        call: call_pause,
    },
    ToolDef {
        name: "pipectl_resume",
        title: "Resume a stage",
        description: "Let a paused stage take work again, with an optional note; recorded in \
                      the audit stream with your name. A stage that is not paused is a tool \
                      error (nothing changed, nothing recorded). Same result as `pipectl \
                      resume --json`.",
        group: Group::Operate,
        read_only: false,
        destructive: false,
        idempotent: true,
        input: input::<ResumeArgs>,
        output: output::<pause::Resumed>,
        call: call_resume,
    },
    ToolDef {
        name: "pipectl_dead_retry",
        title: "Retry dead letters",
        description: "Send dead letters back to the queue they failed out of, for another \
                      round of attempts: by position (`positions`, 1 = newest, as \
                      pipectl_dead_list shows), or every one matching `stage`, `since` and \
                      `where`, or `all`. One audit record per item, with your name. Retry only \
                      once the cause of the failure is fixed. Same result as `pipectl dead \
                      retry --json`.",
        group: Group::Operate,
        read_only: false,
        destructive: false,
        idempotent: false,
        input: input::<DeadRetryArgs>,
        output: output::<dead::Retried>,
        call: call_dead_retry,
    },
];

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseArgs {
    pub stage: String,
    /// Why, as status, run and doctor show it.
    #[serde(default)]
    pub reason: Option<String>,
}

fn call_pause(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: PauseArgs = parse(args)?;
    inner.stage(&args.stage)?;
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let actor = inner.actor(None)?;
    to_value(&pause::pause(
        store,
        &inner.config,
        &args.stage,
        reason,
        &actor,
    )?)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeArgs {
    pub stage: String,
    /// A note for the audit record.
    #[serde(default)]
    pub note: Option<String>,
}

fn call_resume(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: ResumeArgs = parse(args)?;
    inner.stage(&args.stage)?;
    let actor = inner.actor(args.note.as_deref())?;
    let resumed = pause::unpause(store, &inner.config, &args.stage, &actor)?;
    if !resumed.was_paused {
        return Err(Fail::new(
            Exit::Failure,
            format!(
                "{} was not paused: nothing changed, nothing recorded",
                args.stage
            ),
        )
        .into());
    }
    to_value(&resumed)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadRetryArgs {
    /// Positions to retry (1 = newest).
    #[serde(default)]
    pub positions: Vec<usize>,
    /// Every dead letter.
    #[serde(default)]
    pub all: bool,
    /// Only dead letters of this stage.
    #[serde(default)]
    pub stage: Option<String>,
    /// Only those that failed within this long (e.g. "1d").
    #[serde(default)]
    pub since: Option<String>,
    /// Conditions on the envelope, as pipectl_dead_list takes them.
    #[serde(default, rename = "where")]
    pub conditions: Vec<String>,
    /// Where entries naming no stage or queue go [default: the first stage input].
    #[serde(default)]
    pub to: Option<String>,
}

fn call_dead_retry(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DeadRetryArgs = parse(args)?;
    let filtered = args.stage.is_some() || args.since.is_some() || !args.conditions.is_empty();
    match (args.positions.is_empty(), args.all, filtered) {
        (false, false, false) | (true, true, false) | (true, false, true) => {}
        _ => {
            return Err(Fail::usage(
                "give positions, or all, or filters (stage, since, where): one of them",
            )
            .into());
        }
    }
    if args.positions.contains(&0) {
        return Err(Fail::usage("positions count from 1 (1 = the newest dead letter)").into());
    }
    if !inner.options.stages.is_empty() {
        // Limited to some stages: only their dead letters, by stage.
        let Some(stage) = &args.stage else {
            return Err(Fail::usage(
                "this agent may retry only the dead letters of its stages: give stage",
            )
            .into());
        };
        inner.allow_stage(stage)?;
    }
    let conditions = super::conditions(&args.conditions)?;
    let actor = inner.actor(None)?;
    let retry = dead::retry::Args {
        positions: args.positions,
        all: args.all,
        select: dead::Select {
            stage: args.stage,
            since: super::read::duration("since", args.since.as_deref())?,
            conditions,
        },
        to: args.to,
        actor: ActorArgs {
            by: Some(actor.by.clone()),
            note: None,
        },
    };
    // Progress bars only, never drawn: nothing reaches stdout, the protocol's channel.
    let out = Output::new(true, true, 0, ColorChoice::Never);
    let retried = dead::retry::execute(store, &inner.config, retry, &actor, &out)?;
    if retried.exit() == Exit::NothingToDo {
        return Err(
            Fail::new(Exit::NothingToDo, "no dead letter matched: nothing retried")
                .hint("see pipectl_dead_list for what is there")
                .into(),
        );
    }
    to_value(&retried)
}
