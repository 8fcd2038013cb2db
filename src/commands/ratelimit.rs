use std::time::Duration;

use anyhow::Result;

use crate::context::Ctx;
use crate::duration;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

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
    /// With --json: {"key","limit","per_ms","used","remaining","reset_in_ms"}.
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
    /// With --json: {"key","limit","per_ms","used","remaining","reset_in_ms","requested",
    /// "taken"}.
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
    /// With --json: {"key","was_open"}.
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
    #[arg(long, value_name = "N")]
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
    #[arg(short = 'n', long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..), value_name = "N")]
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

/// `pipectl ratelimit show`: the current window of a rate limit.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RateWindow {
    /// The rate-limit key (a counter with a TTL).
    pub key: String,
    /// Uses allowed per window.
    pub limit: u64,
    /// The window's length.
    pub per_ms: u64,
    /// Uses counted in the current window.
    pub used: u64,
    /// Uses left in the current window.
    pub remaining: u64,
    /// Time until the window reopens with the full limit; 0 when no window is open.
    pub reset_in_ms: u64,
}

/// `pipectl ratelimit take`: what was taken, and the window after it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RateTake {
    #[serde(flatten)]
    pub window: RateWindow,
    /// Uses asked for (`-n`).
    pub requested: u64,
    /// Uses taken: all that were asked for, or 0 when not enough remained (exit 5).
    pub taken: u64,
}

/// `pipectl ratelimit reset`: the window deleted.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RateReset {
    pub key: String,
    /// Whether a window was open (false: there was nothing to reset).
    pub was_open: bool,
}

/// A wait for people: whole seconds, rounded up, once it is a second or more (a window that
/// reopens in 59m59.998s reopens "in 1h").
fn for_people(ms: u64) -> String {
    let d = if ms >= 1000 {
        Duration::from_secs(ms.div_ceil(1000))
    } else {
        Duration::from_millis(ms)
    };
    duration::format(d)
}

impl RateWindow {
    fn summary(&self) -> String {
        let reopens = if self.reset_in_ms == 0 {
            "no window open".to_owned()
        } else {
            format!("window reopens in {}", for_people(self.reset_in_ms))
        };
        format!(
            "{}/{} used per {}, {} remaining, {reopens}",
            self.used,
            self.limit,
            duration::format(Duration::from_millis(self.per_ms)),
            self.remaining
        )
    }
}

impl Report for RateWindow {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        out.line(format_args!("{}: {}", self.key, self.summary()))
    }
}

impl Report for RateTake {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        let w = &self.window;
        if self.taken < self.requested {
            out.line(format_args!(
                "{}: spent, took nothing ({} asked); {}",
                w.key,
                self.requested,
                w.summary()
            ))
        } else {
            out.line(format_args!(
                "{}: took {}; {}",
                w.key,
                self.taken,
                w.summary()
            ))
        }
    }
}

impl Report for RateReset {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        out.line(format_args!(
            "{}: {}",
            self.key,
            if self.was_open {
                "reset"
            } else {
                "no window was open"
            }
        ))
    }
}

fn window(key: &str, limit: u64, per: Duration, used: u64, reset_in: Duration) -> RateWindow {
    RateWindow {
        key: key.to_owned(),
        limit,
        per_ms: per.as_millis() as u64,
        used,
        remaining: limit.saturating_sub(used),
        reset_in_ms: reset_in.as_millis() as u64,
    }
}

pub fn show(store: &mut Store, key: &str, limit: u64, per: Duration) -> Result<RateWindow> {
    let w = store.rate_window(key, limit)?;
    Ok(window(key, limit, per, w.used, w.reset_in))
}

pub fn take(
    store: &mut Store,
    key: &str,
    count: u64,
    limit: u64,
    per: Duration,
) -> Result<RateTake> {
    let (taken, reset_in) = store.rate_take(key, count, limit, per)?;
    let w = store.rate_window(key, limit)?;
    Ok(RateTake {
        window: window(key, limit, per, w.used, reset_in.max(w.reset_in)),
        requested: count,
        taken,
    })
}

pub fn reset(store: &mut Store, key: &str) -> Result<RateReset> {
    Ok(RateReset {
        key: key.to_owned(),
        was_open: store.rate_reset(key)?,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    match args.action {
        Action::Show(k) => {
            let (limit, per) = limits(ctx, &k)?;
            let result = show(&mut ctx.store()?, &k.key, limit, per)?;
            ctx.out.print(&result)?;
            Ok(Exit::Ok)
        }
        Action::Take(t) => {
            let (limit, per) = limits(ctx, &t.key)?;
            let result = take(&mut ctx.store()?, &t.key.key, t.count, limit, per)?;
            ctx.out.print(&result)?;
            Ok(if result.taken == result.requested {
                Exit::Ok
            } else {
                Exit::RateLimited
            })
        }
        Action::Reset(k) => {
            let result = reset(&mut ctx.store()?, &k.key)?;
            ctx.out.print(&result)?;
            Ok(Exit::Ok)
        }
    }
}
