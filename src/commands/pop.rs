use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;
use crate::output::item_value;
use crate::store::{Claim, Store};

/// Longest single block while waiting: expired leases and due retries are looked at this often.
const WAIT_STEP: Duration = Duration::from_secs(1);

/// Take items from a queue (like RPOP), or claim them under a lease
///
/// Without --lease the items leave Redis as they are printed (one per line, raw).
/// With --lease each item moves atomically to a lease with a deadline and is printed as
/// {"token":…,"item":…,"attempt":…}; finish it with `pipectl ack TOKEN` or hand it back
/// with `pipectl nack TOKEN`. An unfinished lease returns to the queue when it expires.
///
/// Examples:
///   pipectl pop prospect:queue
///   pipectl pop prospect:queue --lease 5m --wait 30s
///
/// Exit codes: 0 items printed, 3 the queue was empty (after --wait, if given).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list)
    pub queue: String,

    /// Take up to this many items
    #[arg(long, short = 'n', default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub count: u64,

    /// Block up to this long for an item when the queue is empty (e.g. 30s)
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// Claim under a lease of this length instead of removing (e.g. 5m)
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub lease: Option<Duration>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    if args.lease.is_some_and(|l| l.is_zero()) {
        return Err(crate::error::Fail::usage("--lease must be longer than 0s").into());
    }
    let mut store = ctx.store()?;
    let deadline = args.wait.map(|w| Instant::now() + w);
    let count = args.count as usize;
    loop {
        let taken = match args.lease {
            None => Taken::Items(store.pop(&args.queue, count)?),
            Some(lease) => match store.claim(&args.queue, count, lease, None)? {
                Claim::Leased(leases) => Taken::Leases(leases),
                Claim::Paused(reason) => anyhow::bail!("queue {} is paused: {reason}", args.queue),
            },
        };
        if !taken.is_empty() {
            print(ctx, &args.queue, taken)?;
            return Ok(Exit::Ok);
        }
        if !wait_more(&mut store, &args.queue, deadline)? {
            if ctx.out.json {
                ctx.out.json(&json!({"queue": args.queue, "items": []}))?;
            }
            return Ok(Exit::NothingToDo);
        }
    }
}

enum Taken {
    Items(Vec<Vec<u8>>),
    Leases(Vec<crate::store::Lease>),
}

impl Taken {
    fn is_empty(&self) -> bool {
        match self {
            Taken::Items(v) => v.is_empty(),
            Taken::Leases(v) => v.is_empty(),
        }
    }
}

/// Blocks until the queue may have work or the deadline passes. Returns false when time is up.
pub fn wait_more(store: &mut Store, queue: &str, deadline: Option<Instant>) -> Result<bool> {
    let Some(deadline) = deadline else {
        return Ok(false);
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Ok(false);
    }
    store.wait_for_item(queue, left.min(WAIT_STEP))?;
    Ok(true)
}

fn print(ctx: &mut Ctx, queue: &str, taken: Taken) -> Result<()> {
    match taken {
        Taken::Items(items) if ctx.out.json => {
            let items: Vec<_> = items.iter().map(|i| item_value(i)).collect();
            ctx.out.json(&json!({"queue": queue, "items": items}))?;
        }
        Taken::Items(items) => {
            for item in items {
                ctx.out.raw(&item)?;
            }
        }
        Taken::Leases(leases) => {
            let records: Vec<_> = leases
                .iter()
                .map(|l| json!({"token": keys::lease_token(queue, &l.id), "item": item_value(&l.item), "attempt": l.attempt}))
                .collect();
            if ctx.out.json {
                ctx.out.json(&json!({"queue": queue, "leases": records}))?;
            } else {
                for record in &records {
                    ctx.out.json(record)?;
                }
            }
        }
    }
    Ok(())
}
