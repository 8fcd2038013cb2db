use anyhow::Result;

pub use super::select::Kind;
use super::select::{self, Decision, Selection};
use super::{Decided, Manual};
use crate::commands::actor::ActorArgs;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::Output;
use crate::store::Store;

/// Approve staged items: move them on to the output queue (e.g. prospect:ready)
///
/// Pick items by position as `pipectl staged` shows them (1 = next in line; ranges like 2-5),
/// by --where FIELD=VALUE or FIELD~TEXT (contains; FIELD a dotted path; repeatable: all must
/// match), or --all; --limit N caps how many move. Positions are read in one moment, then
/// each item moves in one atomic step (LPUSH onto the output queue): when another reviewer
/// took an item first it is skipped, never moved twice. With --json: {"stage","decision",
/// "from","to","moved","skipped","skipped_positions","missing","reason"}, as reject answers.
///
/// Examples:
///   pipectl approve 1 3
///   pipectl approve --where site.city=Austin --where name~Auto --limit 10
///   pipectl approve --all --json
///
/// Exit codes: 0 items moved (or taken by someone else), 1 Redis refused a move part-way (what
/// moved is said), 2 bad selectors, 3 nothing matched, 65 a key holds another type, 69 Redis
/// unavailable, 77 not permitted, 78 no manual stage in the config or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub select: Selection,

    #[command(flatten)]
    pub actor: ActorArgs,

    /// Decide items another reviewer holds a claim on, too (the audit record says so)
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    args.select.check("approve")?;
    let actor = args.actor.actor()?;
    let manual = super::manual_stage(ctx, &args.select.stage)?;
    // A configuration error before any connection is tried.
    manual.ready()?;
    let mut store = ctx.store()?;
    let result = execute(
        &mut store,
        &manual,
        &args.select,
        &Verdict {
            actor: &actor,
            force: args.force,
            reason: None,
        },
        &ctx.out,
    )?;
    ctx.out.print(&result)?;
    Ok(result.exit())
}

/// Who decides, over claims or not, and why (reject's reason).
pub struct Verdict<'a> {
    pub actor: &'a crate::audit::Actor,
    pub force: bool,
    pub reason: Option<&'a str>,
}

/// Approves the selected staged items (`out` only draws the progress bar).
pub fn execute(
    store: &mut Store,
    manual: &Manual,
    selection: &Selection,
    verdict: &Verdict<'_>,
    out: &Output,
) -> Result<Decided> {
    let to = manual.ready()?;
    let mut decision = Decision::new(Kind::Approve, to, verdict.actor);
    decision.force = verdict.force;
    let tally = select::select_and_move(out, store, manual, selection, &decision)?;
    Ok(Decided::new(manual, &decision, tally))
}

/// Approves or rejects one staged item the web desk showed (its bytes, seen at `pos`), as one
/// atomic move with its audit record: the same result `approve` / `reject` answer.
pub fn decide_item(
    store: &mut Store,
    manual: &Manual,
    item: &[u8],
    pos: usize,
    kind: Kind,
    verdict: &Verdict<'_>,
) -> Result<Decided> {
    let to = match kind {
        Kind::Approve => manual.ready()?,
        Kind::Reject => manual.rejected.as_str(),
    };
    let mut decision = Decision::new(kind, to, verdict.actor);
    decision.force = verdict.force;
    decision.reason = verdict.reason.filter(|_| kind == Kind::Reject);
    let moved = select::decide_one(store, manual, item, pos, &decision)?;
    let mut tally = select::Tally::default();
    match moved {
        crate::store::review::Moved::Moved => tally.moved = 1,
        crate::store::review::Moved::Claimed(holder) => tally.claimed.push((Some(pos), holder)),
        _ => {
            tally.taken = 1;
            tally.taken_positions.push(pos);
        }
    }
    Ok(Decided::new(manual, &decision, tally))
}
