//! `pipectl notify`: deliver the notifications waiting in the outbox now (for cron; `run`
//! and this command share the work and never send an event twice).

pub mod watch;

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;
use crate::output::{Output, Report};

pub use watch::Background;

/// Send notifications: check the watched conditions, deliver what the outbox holds
///
/// Events (stage_paused, breaker_opened, breaker_closed, budget_spent, dead_letters_over,
/// dead_letters_near_cap, saturation_flipped, review_overdue) are written to the outbox
/// stream <pipeline>:notify in the same atomic step as the change that caused them, and
/// delivered from there by `pipectl run` (in the background, never in the way of items) or
/// by this command, to the [notify] url (POST) and/or command (the JSON on stdin). Each
/// destination is a consumer group of the outbox, so an event goes to one deliverer; a
/// failed attempt is retried after [notify] backoff, doubling up to 1h, at most
/// max_attempts times. Delivery is at least once: the document's `id` is the same on every
/// attempt. URLs in messages have their userinfo and query hidden.
///
/// `notify deliver` first checks the watched conditions (dead letters over
/// dead_letters_over or 80 % of dead_letters_max, review waiting past max_wait, the
/// saturation verdict), each of which raises its event once when it changes, then delivers
/// everything due. With --json: {"pipeline","outbox","raised","delivered","failed",
/// "dropped","given_up","last_error","outbox_len"}.
///
/// Examples:
///   pipectl notify deliver                  # from cron, every minute
///   pipectl notify deliver --json
///
/// Exit codes: 0 delivered (or nothing to deliver), 1 some delivery failed (it is tried
/// again later), 2 bad arguments, 65 a key holds another type, 69 Redis unavailable, 77 not
/// permitted, 78 no [notify] in the config, or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    Deliver(DeliverArgs),
}

/// Check the watched conditions, then deliver every event that is due
///
/// Examples:
///   pipectl notify deliver
///   pipectl notify deliver --json
///
/// Exit codes: 0 delivered (or nothing to deliver), 1 some delivery failed, 2 bad
/// arguments, 65 a key holds another type, 69 Redis unavailable, 77 not permitted, 78 no
/// [notify] in the config, or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct DeliverArgs {}

/// `pipectl notify deliver`: what one pass did.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Delivery {
    pub pipeline: String,
    /// The outbox stream.
    pub outbox: String,
    /// Events the watched conditions raised in this pass.
    pub raised: u64,
    #[serde(flatten)]
    pub delivered: crate::notify::Delivered,
    /// Events the outbox keeps (delivered ones included; it holds about the last 10000).
    pub outbox_len: u64,
}

impl Report for Delivery {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let d = &self.delivered;
        if !out.quiet {
            out.line(format_args!(
                "delivered {}, failed {}, dropped {}, given up {} (raised {}; {} in {})",
                d.delivered,
                d.failed,
                d.dropped,
                d.given_up,
                self.raised,
                self.outbox_len,
                self.outbox
            ))?;
        }
        if let Some(e) = &d.last_error {
            out.note(format_args!("last failure: {e}"));
        }
        Ok(())
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let Sub::Deliver(_) = args.command;
    let config = ctx.config()?.clone();
    if config.notify.is_none() {
        return Err(Fail::config("no [notify] in the config: nothing to deliver to")
            .hint("add a [notify] table with a url and/or a command (see the README, \"Running unattended\")")
            .into());
    }
    let mut store = ctx.store()?;
    let raised = watch::check(&mut store, &config)?;
    let consumer = crate::notify::consumer_name();
    let delivered = crate::notify::deliver(&mut store, &config, &consumer, &|| false)?;
    let outbox = keys::notify_outbox(&config.name);
    let result = Delivery {
        pipeline: config.name.clone(),
        outbox_len: store.outbox_len(&outbox)?,
        outbox,
        raised,
        delivered,
    };
    ctx.out.print(&result)?;
    Ok(if result.delivered.failed > 0 {
        Exit::Failure
    } else {
        Exit::Ok
    })
}
