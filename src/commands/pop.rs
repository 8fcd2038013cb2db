use std::time::{Duration, Instant};

use anyhow::Result;

use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::item::{self, Item};
use crate::keys;
use crate::output::{Output, Report, count_of};
use crate::store::{Claim, Counters, NackTo, Store};

/// Take items from a queue (like RPOP), or claim them under a lease
///
/// Without --lease the items leave Redis as they are printed (one per line, raw; an item
/// holding a line break is written with \n escaped, and --json gives exact bytes). Items
/// that cannot be written go back to the front of the queue, in order, and pop exits 1. A
/// reader that quits early (`| head -1`) takes what it had buffered, as with RPOP: at most
/// once. With --lease each item moves atomically to a lease with a deadline and is printed
/// as {"token":…,"item":…,"attempt":…,"note":…} (note: a reviewer's from `send-back`, or
/// null); finish it with `pipectl ack TOKEN` or hand it back with `pipectl nack TOKEN`. An
/// unfinished lease returns to the queue when it expires: at least once. No lease of a
/// stage's input is taken while the stage is paused (exit 4). A stage with guards (window,
/// breaker, budget) is claimed under them, as `pipectl run` claims: nothing outside the
/// sending window (exit 4; with --wait, pop waits for the window when it opens within the
/// wait), nothing while its breaker is open (exit 4; after the cool-down one lease is the
/// probe), nothing once a budget is spent (exit 5); ack and nack of such a lease settle the
/// breaker and budget as run does.
///
/// Examples:
///   pipectl pop prospect:queue
///   pipectl pop prospect:queue --lease 5m --wait 30s
///
/// Exit codes: 0 items printed, 1 stdout refused them (given back, in order), 2 bad arguments,
/// 3 the queue was empty (after --wait, if given), 4 the queue's stage paused or outside its
/// sending window (--lease), 5 its budget spent (--lease), 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 78 keys that cannot share a hash slot in a cluster,
/// or a bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list)
    pub queue: String,

    /// Take up to this many items
    #[arg(long, short = 'n', default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100_000), value_name = "N")]
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
    // A lease of a stage's input is taken under the stage's pause flag and guards.
    let config = match args.lease {
        Some(_) => Some(ctx.config()?.clone()),
        None => None,
    };
    let of_stage = config.as_ref().and_then(|c| c.stage_for_input(&args.queue));
    let stage = of_stage.filter(|s| crate::guards::guarded(s));
    // A lease of any stage's input honours the stage's pause flag (the kill switch).
    let paused_key = config
        .as_ref()
        .zip(of_stage)
        .map(|(c, s)| keys::paused(&c.name, &s.name));
    let mut store = ctx.store()?;
    let deadline = args.wait.map(|w| Instant::now() + w);
    let count = args.count as usize;
    loop {
        let taken = match (args.lease, config.as_ref().zip(stage)) {
            (None, _) => Took::Items(store.pop(&args.queue, count)?),
            (Some(lease), None) => {
                match store.claim(&args.queue, count, lease, paused_key.as_deref())? {
                    Claim::Leased(leases) => Took::Leases(leases),
                    Claim::Paused(reason) => match of_stage {
                        Some(s) => return Err(crate::guards::claim::paused(s, &reason).into()),
                        None => anyhow::bail!("queue {} is paused: {reason}", args.queue),
                    },
                }
            }
            (Some(lease), Some((config, stage))) => {
                match guarded(
                    config,
                    stage,
                    &mut store,
                    &args.queue,
                    count,
                    lease,
                    deadline,
                )? {
                    Some(leases) => Took::Leases(leases),
                    None => continue,
                }
            }
        };
        if !taken.is_empty() {
            print(ctx, &mut store, &args.queue, taken)?;
            return Ok(Exit::Ok);
        }
        if !store.wait_more(&args.queue, deadline)? {
            if ctx.out.json {
                let none = Popped::new(&args.queue, &Took::Items(Vec::new()));
                let none = Popped {
                    leased: args.lease.is_some(),
                    ..none
                };
                ctx.out.print(&none)?;
            }
            return Ok(Exit::NothingToDo);
        }
    }
}

/// How long a pop --wait held back by items in flight (a budget) waits before it asks again.
const RESERVED_POLL: Duration = Duration::from_millis(100);

/// One guarded claim: the leases (maybe none), or None to ask again (the window opens or an
/// item in flight settles within the wait); a refusal is the error run would give.
fn guarded(
    config: &crate::config::Config,
    stage: &crate::config::Stage,
    store: &mut Store,
    queue: &str,
    count: usize,
    lease: Duration,
    deadline: Option<Instant>,
) -> Result<Option<Vec<crate::store::Lease>>> {
    use crate::guards::claim::{self, Taken};
    let within = |left: Duration| deadline.is_some_and(|d| Instant::now() + left <= d);
    match claim::claim(config, stage, store, queue, count, lease, None)? {
        Taken::Claim(Claim::Leased(leases)) => Ok(Some(leases)),
        Taken::Claim(Claim::Paused(reason)) => Err(claim::paused(stage, &reason).into()),
        Taken::Closed { refusal, opens_in } => match opens_in {
            // Wake a little after the opening, so the window is open by then.
            Some(left) if within(left) => {
                std::thread::sleep(left + Duration::from_millis(20));
                Ok(None)
            }
            _ => Err(refusal.into()),
        },
        Taken::Reserved(refusal) => {
            if !within(RESERVED_POLL) {
                return Err(refusal.into());
            }
            std::thread::sleep(RESERVED_POLL);
            Ok(None)
        }
    }
}

enum Took {
    Items(Vec<Vec<u8>>),
    Leases(Vec<crate::store::Lease>),
}

impl Took {
    fn is_empty(&self) -> bool {
        match self {
            Took::Items(v) => v.is_empty(),
            Took::Leases(v) => v.is_empty(),
        }
    }
}

/// `pipectl pop`: what was taken, next first; the same shape with and without `--lease`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Popped {
    pub queue: String,
    /// Whether the items were claimed under a lease (`--lease`) rather than removed.
    pub leased: bool,
    pub items: Vec<Taken>,
}

/// One item taken.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Taken {
    #[serde(flatten)]
    pub item: Item,
    /// The lease token for `pipectl ack` / `nack` (null without `--lease`).
    pub token: Option<String>,
    /// Which claim of this item this is, 1 the first (null without `--lease`).
    pub attempt: Option<u64>,
    /// The reviewer's note the item was sent back from review with (`pipectl send-back`);
    /// null without one, and always without `--lease`.
    pub note: Option<String>,
}

impl Popped {
    /// The leases of `queue` as `pop --lease` prints them.
    pub fn leased(queue: &str, leases: Vec<crate::store::Lease>) -> Popped {
        Popped::new(queue, &Took::Leases(leases))
    }

    fn new(queue: &str, taken: &Took) -> Popped {
        let items = match taken {
            Took::Items(items) => items
                .iter()
                .map(|bytes| Taken {
                    item: Item(bytes.clone()),
                    token: None,
                    attempt: None,
                    note: None,
                })
                .collect(),
            Took::Leases(leases) => leases
                .iter()
                .map(|l| Taken {
                    item: Item(l.item.clone()),
                    token: Some(keys::lease_token(queue, &l.id)),
                    attempt: Some(l.attempt),
                    note: l.note.as_deref().map(crate::handler::note_text),
                })
                .collect(),
        };
        Popped {
            queue: queue.to_owned(),
            leased: matches!(taken, Took::Leases(_)),
            items,
        }
    }

    /// What goes to stdout, as whole records: one JSON document; else one line per item,
    /// the item itself, or its lease record as one JSON line.
    fn records(&self, out: &mut Output) -> std::io::Result<Vec<Vec<u8>>> {
        if out.json {
            return Ok(vec![line(self)?]);
        }
        if self.leased {
            return self.items.iter().map(line).collect();
        }
        Ok(self.items.iter().map(|t| out.line_of(&t.item.0)).collect())
    }
}

/// Writes what was taken; whatever could not be written in full goes back where it came
/// from (items to the consumer end, in order; leases released), and the error says so.
fn print(ctx: &mut Ctx, store: &mut Store, queue: &str, taken: Took) -> Result<()> {
    let popped = Popped::new(queue, &taken);
    let records = popped.records(&mut ctx.out)?;
    let (written, error) = ctx.out.deliver(&records);
    let Some(error) = error else {
        return Ok(());
    };
    // One JSON document is delivered whole or not at all.
    let written = if ctx.out.json { 0 } else { written };
    let total = popped.items.len();
    let back = match taken {
        Took::Items(items) => {
            let rest = &items[written..];
            store.give_back(queue, rest).map_err(|e| {
                e.context(format!(
                    "could not write {} taken to stdout ({error}), nor give them back to {queue}: they are lost; here they are: {}",
                    count_of(rest.len() as u64, "item"),
                    rest.iter().map(|i| item::object(i).to_string()).collect::<Vec<_>>().join(" ")
                ))
            })?;
            rest.len()
        }
        Took::Leases(leases) => {
            // The last first: each release goes to the consumer end, so the first unwritten
            // lease ends up next in line again.
            for lease in leases[written..].iter().rev() {
                store.settle(
                    queue,
                    &lease.id,
                    &lease.item,
                    NackTo::Release,
                    &Counters::NONE,
                )?;
            }
            total - written
        }
    };
    Err(Fail::new(
        Exit::Failure,
        format!(
            "could not write to stdout ({error}): {written} of {} written; {} went back to the consumer end of {queue}, in order",
            count_of(total as u64, "item"),
            if back == 1 { "the other one".to_owned() } else { format!("the other {back}") }
        ),
    )
    .into())
}

impl Report for Popped {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        for record in self.records(out)? {
            out.write_bytes(&record)?;
        }
        Ok(())
    }
}

fn line(value: &impl serde::Serialize) -> std::io::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}
