use std::time::Duration;

use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;
use crate::store::{Counters, NackTo, Settled};

/// Hand a leased item back: to the queue, to a delayed retry, or to the dead letters
///
/// Without options the item goes to the back of its queue (its attempt count is kept).
/// With --dead it is dead-lettered now as a JSON envelope
/// {"item","stage","queue","error","attempts","failed_at"} on the pipeline's dead-letter list.
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
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let (queue, id) = keys::parse_lease_token(&args.token).ok_or_else(|| {
        Fail::usage(format!("'{}' is not a lease token", args.token))
            .hint("tokens look like prospect:queue#6f1c2a9b04d8e371.000001, as printed by `pipectl pop --lease`")
    })?;
    let (dead_letters, stage) = if args.dead {
        let config = ctx.config()?;
        (
            Some(config.dead_letters.clone()),
            config.stage_for_input(queue).map(|s| s.name.clone()),
        )
    } else {
        (None, None)
    };
    let mut store = ctx.store()?;
    let Some((item, attempts)) = store.lease(queue, id)? else {
        return unknown(ctx, &args.token);
    };
    let envelope;
    let to = match (&dead_letters, args.delay) {
        (Some(list), _) => {
            envelope = crate::envelope::DeadLetter {
                item: &item,
                stage: stage.as_deref(),
                queue,
                error: args.reason.as_deref().unwrap_or("dead-lettered by nack"),
                attempts,
            }
            .to_bytes();
            NackTo::Dead {
                list,
                envelope: &envelope,
            }
        }
        (None, Some(after)) => NackTo::Retry(after),
        (None, None) => NackTo::Requeue,
    };
    if store.settle(queue, id, &item, to, &Counters::NONE)? == Settled::Unknown {
        return unknown(ctx, &args.token);
    }
    let destination = match (&dead_letters, args.delay) {
        (Some(list), _) => list.clone(),
        (None, Some(_)) => keys::QueueKeys::new(queue).delayed,
        (None, None) => queue.to_owned(),
    };
    if ctx.out.json {
        ctx.out
            .json(&json!({"token": args.token, "moved_to": destination}))?;
    } else if !ctx.out.quiet {
        ctx.out
            .line(format_args!("moved {} to {destination}", args.token))?;
    }
    Ok(Exit::Ok)
}

fn unknown(ctx: &mut Ctx, token: &str) -> Result<Exit> {
    if ctx.out.json {
        ctx.out
            .json(&json!({"token": token, "moved_to": null, "error": "lease not found"}))?;
    }
    ctx.out.warn(format_args!(
        "lease {token} not found: it expired and went back to its queue, or was finished already"
    ));
    Ok(Exit::Failure)
}
