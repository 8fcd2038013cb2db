use std::time::Duration;

use anyhow::Result;

use crate::audit::{Actor, Entry};
use crate::commands::actor::ActorArgs;
use crate::config::Config;
use crate::context::Ctx;
use crate::duration;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;
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
    /// The window is deleted and its audit record written (action "ratelimit_reset", the
    /// stage whose rate_limit uses KEY, --by, --note, the key and the uses it had counted) in
    /// one atomic step. No window open: nothing changes and nothing is recorded. In a Redis
    /// Cluster the key must share the pipeline's hash tag (e.g. {prospect}:ratelimit:sms),
    /// or the reset is refused (exit 78): its record could not be in the same step.
    /// With --json: {"key","was_open","used","by"}.
    ///
    /// Examples:
    ///   pipectl ratelimit reset outreach:ratelimit:sms
    ///   pipectl ratelimit reset outreach:ratelimit:sms --note 'provider raised our quota'
    ///
    /// Exit codes: 0 reset (also when no window was open), 65 the key or the audit stream
    /// holds another type (nothing changed), 69 Redis unavailable, 77 not permitted, 78 bad
    /// configuration or, in a cluster, a key outside the pipeline's hash slot, 2 bad
    /// arguments or a bad --url.
    #[command(verbatim_doc_comment)]
    Reset(ResetArgs),
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
pub struct ResetArgs {
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub actor: ActorArgs,
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
    /// Whether a window was open (false: there was nothing to reset, nothing was recorded).
    pub was_open: bool,
    /// The uses the window had counted; null when none was open, or its value was not a
    /// number (set by hand).
    pub used: Option<u64>,
    /// Who reset it, as the audit stream records it.
    pub by: String,
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
        let what = match (self.was_open, self.used) {
            (true, Some(used)) => format!("reset (it had counted {used})"),
            (true, None) => "reset".to_owned(),
            (false, _) => "no window was open: nothing changed, nothing recorded".to_owned(),
        };
        out.line(format_args!("{}: {what}", self.key))
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

/// Resets the window of `key`, recorded in the pipeline's audit stream.
pub fn reset(store: &mut Store, config: &Config, key: &str, actor: &Actor) -> Result<RateReset> {
    let audit = &config.audit;
    if store.is_cluster() && keys::hash_slot(key) != keys::hash_slot(&audit.key) {
        return Err(cross_slot(config, key).into());
    }
    let stage = config
        .stages
        .iter()
        .find(|s| s.rate_limit.as_ref().is_some_and(|rl| rl.key == key))
        .map_or("", |s| s.name.as_str());
    let entry = Entry::new("ratelimit_reset", stage, actor).with("key", key);
    let used = store.rate_reset(key, audit, &entry)?;
    Ok(RateReset {
        key: key.to_owned(),
        was_open: used.is_some(),
        used: used.and_then(|u| String::from_utf8_lossy(&u).trim().parse().ok()),
        by: actor.by.clone(),
    })
}

/// In a cluster, a rate-limit key in another slot than the audit stream: its reset and the
/// record of it cannot be one step. Names the fix.
fn cross_slot(config: &Config, key: &str) -> Fail {
    let audit = &config.audit.key;
    let tagged = match keys::hash_tag(audit) {
        Some(tag) => keys::with_hash_tag(&format!("{tag}:{}", key.replace(['{', '}'], ""))),
        None => keys::with_hash_tag(key),
    };
    let field = config
        .stages
        .iter()
        .find(|s| s.rate_limit.as_ref().is_some_and(|rl| rl.key == key))
        .map_or("the rate-limit key".to_owned(), |s| {
            format!("[stages.{}] rate_limit.key", s.name)
        });
    Fail::config(format!(
        "not resetting '{key}': in Redis Cluster it lives in hash slot {}, the audit stream '{audit}' in slot {}, so the reset and its audit record cannot be one atomic step; nothing was changed",
        keys::hash_slot(key),
        keys::hash_slot(audit)
    ))
    .hint(format!(
        "give {field} the pipeline's hash tag, e.g. \"{tagged}\" (a new key: its window starts empty); an unrecorded reset is `redis-cli -c DEL {key}`"
    ))
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
        Action::Reset(r) => {
            let actor = r.actor.actor()?;
            let config = ctx.config()?.clone();
            let result = reset(&mut ctx.store()?, &config, &r.key.key, &actor)?;
            ctx.out.print(&result)?;
            Ok(Exit::Ok)
        }
    }
}
