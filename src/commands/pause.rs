use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;

/// Pause a stage: `run` claims nothing more and exits 4 (the kill switch)
///
/// The flag is checked inside the claim step, so a pause takes effect between two items,
/// even in runs already going. It is a plain key: `redis-cli GET <pipeline>:paused:<stage>`.
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

fn pause_key(ctx: &mut Ctx, stage: &str) -> Result<String> {
    let config = ctx.config()?;
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

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let key = pause_key(ctx, &args.stage)?;
    ctx.store()?.pause(&key, &args.reason)?;
    if ctx.out.json {
        ctx.out.json(
            &json!({"stage": args.stage, "paused": true, "reason": args.reason, "key": key}),
        )?;
    } else if !ctx.out.quiet {
        ctx.out.line(format_args!(
            "paused {} ({key}): {}",
            args.stage, args.reason
        ))?;
    }
    Ok(Exit::Ok)
}

pub fn resume(args: ResumeArgs, ctx: &mut Ctx) -> Result<Exit> {
    let key = pause_key(ctx, &args.stage)?;
    let was = ctx.store()?.resume(&key)?;
    if ctx.out.json {
        ctx.out
            .json(&json!({"stage": args.stage, "paused": false, "was_paused": was}))?;
    } else if !ctx.out.quiet {
        ctx.out.line(if was {
            format!("resumed {}", args.stage)
        } else {
            format!("{} was not paused", args.stage)
        })?;
    }
    Ok(if was { Exit::Ok } else { Exit::Failure })
}
