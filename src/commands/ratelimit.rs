use std::time::Duration;

use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::duration;
use crate::error::Fail;
use crate::exit::Exit;

/// Inspect, take from or reset a rate limit (a fixed-window counter key with a TTL)
///
/// The key counts uses in the current window; its TTL is the time until the window
/// reopens. A key of a stage's rate_limit takes its limit and window from the config.
///
/// Examples:
///   pipectl ratelimit show outreach:ratelimit:sms
///   pipectl ratelimit take outreach:ratelimit:sms && send-sms …   # exit 5 when spent
///   pipectl ratelimit take api:calls --limit 100 --per 1m
///
/// Exit codes: 0 ok / taken, 5 spent, 2 no limit known for the key (pass --limit and --per),
/// 65 the key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Show uses, remaining and when the window reopens
    ///
    /// Example:
    ///   pipectl ratelimit show outreach:ratelimit:sms
    ///
    /// Exit codes: 0 shown, 1 the output could not be written, 2 no limit known for the key
    /// (pass --limit and --per), 65 the key holds another type, 69 Redis unavailable, 77 not
    /// permitted, 78 bad configuration.
    #[command(verbatim_doc_comment)]
    Show(KeyArgs),
    /// Take uses (default 1); exit 5 and take nothing when not enough remain
    ///
    /// Examples:
    ///   pipectl ratelimit take outreach:ratelimit:sms && send-sms …
    ///   pipectl ratelimit take api:calls -n 10 --limit 100 --per 1m
    ///
    /// Exit codes: 0 taken, 1 the output could not be written, 2 no limit known for the key
    /// (pass --limit and --per), 5 not enough uses left (nothing taken), 65 the key holds
    /// another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration.
    #[command(verbatim_doc_comment)]
    Take(TakeArgs),
    /// Delete the window: the full limit is available again
    ///
    /// Example:
    ///   pipectl ratelimit reset outreach:ratelimit:sms
    ///
    /// Exit codes: 0 reset (also when no window was open), 69 Redis unavailable, 77 not
    /// permitted, 78 bad configuration, 2 a bad --url.
    #[command(verbatim_doc_comment)]
    Reset(KeyArgs),
}

#[derive(clap::Args, Debug)]
pub struct KeyArgs {
    /// Rate-limit key, e.g. outreach:ratelimit:sms
    pub key: String,
    /// Uses allowed per window [default: from the stage whose rate_limit uses KEY]
    #[arg(long)]
    pub limit: Option<u64>,
    /// Window length [default: from the config]
    #[arg(long, value_parser = duration::positive, value_name = "DURATION")]
    pub per: Option<Duration>,
}

#[derive(clap::Args, Debug)]
pub struct TakeArgs {
    #[command(flatten)]
    pub key: KeyArgs,
    /// How many uses to take
    #[arg(short = 'n', long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: u64,
}

fn limits(ctx: &mut Ctx, k: &KeyArgs) -> Result<(u64, Duration)> {
    let configured = ctx.config().ok().and_then(|c| {
        c.stages.iter().find_map(|s| {
            s.rate_limit
                .as_ref()
                .filter(|rl| rl.key == k.key)
                .map(|rl| (rl.limit, rl.per.0))
        })
    });
    match (
        k.limit.or(configured.map(|c| c.0)),
        k.per.or(configured.map(|c| c.1)),
    ) {
        (Some(limit), Some(per)) => Ok((limit, per)),
        _ => Err(
            Fail::usage(format!("no rate limit is configured for key '{}'", k.key))
                .hint("pass --limit N --per DURATION, or use the key of a stage's rate_limit")
                .into(),
        ),
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    match args.action {
        Action::Show(k) => {
            let (limit, per) = limits(ctx, &k)?;
            let w = ctx.store()?.rate_window(&k.key, limit)?;
            print(ctx, &k.key, limit, per, w.used, w.reset_in, None)?;
            Ok(Exit::Ok)
        }
        Action::Take(t) => {
            let (limit, per) = limits(ctx, &t.key)?;
            let mut store = ctx.store()?;
            let (taken, reset_in) = store.rate_take(&t.key.key, t.count, limit, per)?;
            let w = store.rate_window(&t.key.key, limit)?;
            print(
                ctx,
                &t.key.key,
                limit,
                per,
                w.used,
                reset_in.max(w.reset_in),
                Some(taken),
            )?;
            Ok(if taken == t.count {
                Exit::Ok
            } else {
                Exit::RateLimited
            })
        }
        Action::Reset(k) => {
            let existed = ctx.store()?.rate_reset(&k.key)?;
            if ctx.out.json {
                ctx.out.json(&json!({"key": k.key, "reset": existed}))?;
            } else if !ctx.out.quiet {
                ctx.out.line(format_args!(
                    "{}: {}",
                    k.key,
                    if existed {
                        "reset"
                    } else {
                        "no window was open"
                    }
                ))?;
            }
            Ok(Exit::Ok)
        }
    }
}

fn print(
    ctx: &mut Ctx,
    key: &str,
    limit: u64,
    per: Duration,
    used: u64,
    reset_in: Duration,
    taken: Option<u64>,
) -> Result<()> {
    let remaining = limit.saturating_sub(used);
    if ctx.out.json {
        ctx.out.json(&json!({
            "key": key, "limit": limit, "per": duration::format(per), "used": used,
            "remaining": remaining, "reset_in_ms": reset_in.as_millis() as u64, "taken": taken,
        }))?;
    } else if !ctx.out.quiet {
        let reopens = if reset_in.is_zero() {
            "no window open".to_owned()
        } else {
            format!("window reopens in {}", duration::format(reset_in))
        };
        let took = taken.map(|t| format!("took {t}; ")).unwrap_or_default();
        ctx.out.line(format_args!(
            "{key}: {took}{used}/{limit} used per {}, {remaining} remaining, {reopens}",
            duration::format(per)
        ))?;
    }
    Ok(())
}
