use anyhow::Result;

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
/// With --json: {"stage","key","paused":true,"reason"}.
///
/// Example:
///   pipectl pause outreach --reason 'provider outage, see ticket 42'
///
/// Exit codes: 0 paused, 65 the flag key holds another type, 69 Redis unavailable, 77 not
/// permitted, 78 no such stage or bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Stage name from the config
    pub stage: String,

    /// Why: shown by `run`, `status` and `doctor`
    #[arg(long, value_name = "TEXT", default_value = "paused by pipectl pause")]
    pub reason: String,
}

/// Resume a paused stage
///
/// With --json: {"stage","key","paused":false,"was_paused"}.
///
/// Example:
///   pipectl resume outreach
///
/// Exit codes: 0 resumed, 1 the stage was not paused, 69 Redis unavailable, 77 not permitted,
/// 78 no such stage or bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct ResumeArgs {
    /// Stage name from the config
    pub stage: String,
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
}

/// `pipectl resume`: the stage's pause flag, now cleared.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Resumed {
    pub stage: String,
    /// The pause flag key, `<pipeline>:paused:<stage>`.
    pub key: String,
    /// Always false: the stage is not paused.
    pub paused: bool,
    /// Whether it was paused before (false: nothing to resume, exit 1).
    pub was_paused: bool,
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
            format!("{} was not paused", self.stage)
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

pub fn pause(store: &mut Store, config: &Config, stage: &str, reason: &str) -> Result<Paused> {
    let key = pause_key(config, stage)?;
    store.pause(&key, reason)?;
    Ok(Paused {
        stage: stage.to_owned(),
        key,
        paused: true,
        reason: reason.to_owned(),
    })
}

pub fn unpause(store: &mut Store, config: &Config, stage: &str) -> Result<Resumed> {
    let key = pause_key(config, stage)?;
    let was_paused = store.resume(&key)?;
    Ok(Resumed {
        stage: stage.to_owned(),
        key,
        paused: false,
        was_paused,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    // No such stage is a config error, whether Redis is up or not.
    pause_key(&config, &args.stage)?;
    let result = pause(&mut ctx.store()?, &config, &args.stage, &args.reason)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

pub fn resume(args: ResumeArgs, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    pause_key(&config, &args.stage)?;
    let result = unpause(&mut ctx.store()?, &config, &args.stage)?;
    ctx.out.print(&result)?;
    Ok(if result.was_paused {
        Exit::Ok
    } else {
        Exit::Failure
    })
}
