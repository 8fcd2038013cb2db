use anyhow::Result;

use crate::audit::{Actor, Entry};
use crate::commands::actor::ActorArgs;
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;
use crate::output::{Output, Report};
use crate::store::Store;

/// Pause a stage: `run` claims nothing more and exits 4 (the kill switch)
///
/// The flag is checked inside the claim step, so a pause takes effect between two items,
/// even in runs already going. It is a plain key: `redis-cli GET <pipeline>:paused:<stage>`.
/// The flag and its audit record (action "pause", --by, the reason as its note; `pipectl
/// audit` shows it) are written in one atomic step. Pausing a paused stage replaces its
/// reason, and is recorded too. With --json: {"stage","key","paused":true,"reason","by"}.
///
/// Examples:
///   pipectl pause outreach --reason 'provider outage, see ticket 42'
///   pipectl pause build --by ops-bot --note 'disk full'
///
/// Exit codes: 0 paused, 65 the flag key or the audit stream holds another type (nothing
/// changed), 69 Redis unavailable, 77 not permitted, 78 no such stage or bad configuration,
/// 2 bad arguments or a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Stage name from the config
    pub stage: String,

    /// Why: shown by `run`, `status` and `doctor`, and kept as the audit record's note
    /// (--note is the same) [default: "paused by pipectl pause"]
    #[arg(long, value_name = "TEXT", conflicts_with = "note")]
    pub reason: Option<String>,

    #[command(flatten)]
    pub actor: ActorArgs,
}

/// The flag's text when no reason is given.
const DEFAULT_REASON: &str = "paused by pipectl pause";

/// Resume a paused stage
///
/// Clears the pause flag and writes its audit record (action "resume", --by, --note, and the
/// reason it was paused for) in one atomic step. A stage that is not paused is left alone:
/// nothing changes and nothing is recorded (exit 1).
/// With --json: {"stage","key","paused":false,"was_paused","by"}.
///
/// Examples:
///   pipectl resume outreach
///   pipectl resume outreach --note 'provider is back'
///
/// Exit codes: 0 resumed, 1 the stage was not paused (nothing changed or recorded), 65 the
/// flag key or the audit stream holds another type (nothing changed), 69 Redis unavailable,
/// 77 not permitted, 78 no such stage or bad configuration, 2 bad arguments or a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ResumeArgs {
    /// Stage name from the config
    pub stage: String,

    #[command(flatten)]
    pub actor: ActorArgs,
}

/// `pipectl pause`: the stage's pause flag, now set.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Paused {
    pub stage: String,
    /// The pause flag key, `<pipeline>:paused:<stage>`.
    pub key: String,
    /// Always true: the stage is paused.
    pub paused: bool,
    /// Why, as `run`, `status` and `doctor` show it.
    pub reason: String,
    /// Who paused it, as the audit stream records it.
    pub by: String,
}

/// `pipectl resume`: the stage's pause flag, now cleared.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Resumed {
    pub stage: String,
    /// The pause flag key, `<pipeline>:paused:<stage>`.
    pub key: String,
    /// Always false: the stage is not paused.
    pub paused: bool,
    /// Whether it was paused before (false: nothing to resume, nothing recorded, exit 1).
    pub was_paused: bool,
    /// Who resumed it (or tried to), as the audit stream records it.
    pub by: String,
}

impl Report for Paused {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        out.line(format_args!(
            "paused {} ({}): {}",
            self.stage, self.key, self.reason
        ))
    }
}

impl Report for Resumed {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        out.line(if self.was_paused {
            format!("resumed {}", self.stage)
        } else {
            format!(
                "{} was not paused: nothing changed, nothing recorded",
                self.stage
            )
        })
    }
}

fn pause_key(config: &Config, stage: &str) -> Result<String> {
    if config.stage(stage).is_none() {
        let names: Vec<&str> = config.stages.iter().map(|s| s.name.as_str()).collect();
        return Err(Fail::config(format!(
            "no stage '{stage}' in the config; its stages are: {}",
            names.join(", ")
        ))
        .into());
    }
    Ok(keys::paused(&config.name, stage))
}

/// Pauses `stage`: the flag holds `reason` (when given, also the record's note).
pub fn pause(
    store: &mut Store,
    config: &Config,
    stage: &str,
    reason: Option<&str>,
    actor: &Actor,
) -> Result<Paused> {
    let key = pause_key(config, stage)?;
    let actor = Actor {
        by: actor.by.clone(),
        note: reason.map(str::to_owned).or_else(|| actor.note.clone()),
    };
    let reason = actor
        .note
        .clone()
        .unwrap_or_else(|| DEFAULT_REASON.to_owned());
    let entry = Entry::new("pause", stage, &actor);
    let details = crate::notify::details(
        config,
        crate::config::Event::StagePaused,
        serde_json::json!({"cause": "hand", "reason": reason, "by": actor.by}),
    );
    let outbox = keys::notify_outbox(&config.name);
    store.pause(
        &key,
        &reason,
        &config.audit,
        &entry,
        (&outbox, stage, &details),
    )?;
    Ok(Paused {
        stage: stage.to_owned(),
        key,
        paused: true,
        reason,
        by: actor.by,
    })
}

pub fn unpause(store: &mut Store, config: &Config, stage: &str, actor: &Actor) -> Result<Resumed> {
    let key = pause_key(config, stage)?;
    let entry = Entry::new("resume", stage, actor);
    let breaker = [
        crate::keys::breaker(&config.name, stage),
        crate::keys::breaker_failures(&config.name, stage),
    ];
    let was_paused = store
        .resume(&key, [&breaker[0], &breaker[1]], &config.audit, &entry)?
        .is_some();
    Ok(Resumed {
        stage: stage.to_owned(),
        key,
        paused: false,
        was_paused,
        by: actor.by.clone(),
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let actor = args.actor.actor()?;
    let config = ctx.config()?.clone();
    // No such stage is a config error, whether Redis is up or not.
    pause_key(&config, &args.stage)?;
    let reason = args
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let result = pause(&mut ctx.store()?, &config, &args.stage, reason, &actor)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

pub fn resume(args: ResumeArgs, ctx: &mut Ctx) -> Result<Exit> {
    let actor = args.actor.actor()?;
    let config = ctx.config()?.clone();
    pause_key(&config, &args.stage)?;
    let result = unpause(&mut ctx.store()?, &config, &args.stage, &actor)?;
    ctx.out.print(&result)?;
    Ok(if result.was_paused {
        Exit::Ok
    } else {
        Exit::Failure
    })
}
