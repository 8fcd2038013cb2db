use anyhow::Result;

use super::approve::Verdict;
use super::select::{self, Decision, Kind, Selection};
use super::{Decided, Manual};
use crate::commands::actor::ActorArgs;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::Output;
use crate::store::Store;

/// Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)
///
/// Selection works as for `pipectl approve`: positions from `pipectl staged` (ranges like
/// 2-5), --where FIELD=VALUE, or --all, and --limit N. Nothing is deleted: each item moves
/// in one atomic step into a JSON envelope {"item","stage","reason","rejected_at"} on the
/// pipeline's rejected list; an item another reviewer took first is skipped. With --json:
/// {"stage","decision","from","to","moved","skipped","skipped_positions","missing","reason"}.
///
/// Examples:
///   pipectl reject 2 --reason 'site already modern'
///   pipectl reject --where site.status=parked --reason 'parked domain'
///
/// Exit codes: 0 items moved (or taken by someone else), 1 Redis refused a move part-way (what
/// moved is said), 2 bad selectors, 3 nothing matched, 65 a key holds another type, 69 Redis
/// unavailable, 77 not permitted, 78 no manual stage in the config or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub select: Selection,

    /// Why: stored as the envelope's "reason"
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    #[command(flatten)]
    pub actor: ActorArgs,

    /// Decide items another reviewer holds a claim on, too (the audit record says so)
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    args.select.check("reject")?;
    let actor = args.actor.actor()?;
    let manual = super::manual_stage(ctx, &args.select.stage)?;
    let mut store = ctx.store()?;
    let result = execute(
        &mut store,
        &manual,
        &args.select,
        &Verdict {
            actor: &actor,
            force: args.force,
            reason: args.reason.as_deref(),
        },
        &ctx.out,
    )?;
    ctx.out.print(&result)?;
    Ok(result.exit())
}

/// Rejects the selected staged items with the verdict's reason (`out` only draws the progress bar).
pub fn execute(
    store: &mut Store,
    manual: &Manual,
    selection: &Selection,
    verdict: &Verdict<'_>,
    out: &Output,
) -> Result<Decided> {
    let mut decision = Decision::new(Kind::Reject, &manual.rejected, verdict.actor);
    decision.force = verdict.force;
    decision.reason = verdict.reason;
    let tally = select::select_and_move(out, store, manual, selection, &decision)?;
    Ok(Decided::new(manual, &decision, tally))
}
