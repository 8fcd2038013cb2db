use std::time::Duration;

use anyhow::Result;

use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::handler::cost::Cost;
use crate::keys;
use crate::output::{Output, Report};
use crate::store::{Counters, NackTo, Settled, Store};

/// Hand a leased item back: to the queue, to a delayed retry, or to the dead letters
///
/// Without options the item goes to the back of its queue (its attempt count is kept).
/// With --dead it is dead-lettered now as a JSON envelope
/// {"item","stage","queue","error","attempts","failed_at"} on the pipeline's dead-letter list.
/// For a guarded stage's input (breaker, budget) every nack is the stage's failure, as a
/// retry or dead letter is in `pipectl run`: its breaker counts it (--reason is the last
/// error it quotes). --cost says what the attempt cost, counted for the stage as a
/// handler's is. With --json: {"token","from","to","attempts","delay_ms","dead"}. An
/// unknown lease is an error (on stderr, JSON under --json): nothing is moved.
///
/// Examples:
///   pipectl nack "$TOKEN" --delay 10m
///   pipectl nack "$TOKEN" --dead --reason 'phone number invalid'
///
/// Exit codes: 0 moved, 1 the lease was unknown (expired or finished), 2 a malformed token, 65
/// a key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Lease token printed by `pipectl pop --lease`
    pub token: String,

    /// Why: stored as the dead letter's "error"
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Dead-letter the item now instead of returning it
    #[arg(long, conflicts_with = "delay")]
    pub dead: bool,

    /// Retry after this long instead of right away (e.g. 10m)
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub delay: Option<Duration>,

    /// What the item cost, as a handler's control reports it (e.g. '{"sms": 1}'): added to
    /// its stage's daily cost counters and budget in the same step
    #[arg(long, value_name = "JSON")]
    pub cost: Option<String>,
}

/// `pipectl nack`: where the leased item went.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Nacked {
    /// The lease token, as given.
    pub token: String,
    /// The queue the lease was taken from.
    pub from: String,
    /// Where the item is now: its queue, the queue's delayed retries (`<queue>:delayed`), or
    /// the dead letters.
    pub to: String,
    /// How many times the item has been claimed.
    pub attempts: u64,
    /// With `--delay`: how long until the retry is due (else null).
    pub delay_ms: Option<u64>,
    /// Whether the item was dead-lettered (`--dead`).
    pub dead: bool,
}

impl Report for Nacked {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        match self.delay_ms {
            _ if self.dead => out.line(format_args!("dead-lettered {} to {}", self.token, self.to)),
            Some(ms) => out.line(format_args!(
                "moved {} to {}: back in {} in {}",
                self.token,
                self.to,
                self.from,
                crate::duration::format(std::time::Duration::from_millis(ms))
            )),
            None => out.line(format_args!("moved {} to {}", self.token, self.to)),
        }
    }
}

/// Where `nack` sends a leased item.
pub enum Destination {
    /// Back to the consumer end of its queue.
    Queue,
    /// To the queue's delayed retries, due after this long.
    Retry(Duration),
    /// To the dead letters, as an envelope naming the stage and why.
    Dead {
        list: String,
        stage: Option<String>,
        reason: String,
    },
}

/// Moves the leased item `token` names; an unknown lease is a `Fail` (exit 1), nothing moved.
/// For a guarded stage's input the hand-back is the stage's failure in the same step (its
/// breaker counts it, as in `run`): `config` says which stage, `reason` is the failure's.
pub fn execute(
    store: &mut Store,
    config: &Config,
    token: &str,
    destination: &Destination,
    reason: &str,
    cost: &Cost,
) -> Result<Nacked> {
    let (queue, id) = parse(token)?;
    if !cost.is_empty() {
        crate::commands::ack::costed_stage(config, queue)?;
    }
    let Some((item, attempts)) = store.lease(queue, id)? else {
        return Err(unknown(token, queue).into());
    };
    let envelope;
    let (to, dest) = match destination {
        Destination::Dead {
            list,
            stage,
            reason,
        } => {
            envelope = crate::envelope::DeadLetter {
                item: &item,
                stage: stage.as_deref(),
                queue,
                error: reason,
                attempts,
            }
            .to_bytes();
            (
                NackTo::Dead {
                    list,
                    envelope: &envelope,
                },
                list.clone(),
            )
        }
        Destination::Retry(after) => (NackTo::Retry(*after), keys::QueueKeys::new(queue).delayed),
        Destination::Queue => (NackTo::Requeue, queue.to_owned()),
    };
    let guard = config
        .stage_for_input(queue)
        .and_then(|stage| crate::guards::settle_guard(config, stage, cost, Some(reason)));
    let counters = Counters {
        keys: &[],
        ttl: config.stats_retention,
        guard: guard.as_ref(),
        record: None,
    };
    if store.settle(queue, id, &item, to, &counters)? == Settled::Unknown {
        return Err(unknown(token, queue).into());
    }
    Ok(Nacked {
        token: token.to_owned(),
        from: queue.to_owned(),
        to: dest,
        attempts,
        delay_ms: match destination {
            Destination::Retry(after) => Some(after.as_millis() as u64),
            _ => None,
        },
        dead: matches!(destination, Destination::Dead { .. }),
    })
}

pub(crate) fn unknown(token: &str, queue: &str) -> Fail {
    Fail::new(
        Exit::Failure,
        format!(
            "lease {token} not found: it expired and went back to {queue}, or was finished already; nothing was moved"
        ),
    )
    .hint(format!(
        "claim the item again with `pipectl pop {queue} --lease DURATION`, and nack that lease"
    ))
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    // A malformed token is a usage error before the config or Redis are looked at.
    let (queue, _) = parse(&args.token)?;
    let cost = crate::commands::ack::parse_cost(args.cost.as_deref())?;
    let config = ctx.config()?.clone();
    let reason = args.reason.unwrap_or_else(|| {
        if args.dead {
            "dead-lettered by nack"
        } else {
            "handed back by nack"
        }
        .to_owned()
    });
    let destination = if args.dead {
        Destination::Dead {
            list: config.dead_letters.clone(),
            stage: config.stage_for_input(queue).map(|s| s.name.clone()),
            reason: reason.clone(),
        }
    } else if let Some(after) = args.delay {
        Destination::Retry(after)
    } else {
        Destination::Queue
    };
    let result = execute(
        &mut ctx.store()?,
        &config,
        &args.token,
        &destination,
        &reason,
        &cost,
    )?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

/// The token's queue and lease id.
pub(crate) fn parse(token: &str) -> Result<(&str, &str)> {
    keys::parse_lease_token(token).ok_or_else(|| {
        Fail::usage(format!("'{token}' is not a lease token"))
            .hint("tokens look like prospect:queue#6f1c2a9b04d8e371.000001, as printed by `pipectl pop --lease`")
            .into()
    })
}
