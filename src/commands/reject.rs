use anyhow::Result;

use super::staging::{self, Decision, Selection};
use crate::context::Ctx;
use crate::exit::Exit;

/// Reject staged items: keep them, with a reason, on the rejected list (prospect:rejected)
///
/// Selection works as for `pipectl approve`: positions from `pipectl staged` (ranges like
/// 2-5), --where FIELD=VALUE, or --all, and --limit N. Nothing is deleted: each item moves
/// in one atomic step into a JSON envelope {"item","stage","reason","rejected_at"} on the
/// pipeline's rejected list; an item another reviewer took first is skipped.
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
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    args.select.check("reject")?;
    let manual = staging::manual_stage(ctx, &args.select.stage)?;
    let to = manual.rejected.clone();
    let mut store = ctx.store()?;
    let decision = Decision::Reject {
        to: &to,
        reason: args.reason.as_deref(),
    };
    let tally = staging::select_and_move(ctx, &mut store, &manual, &args.select, &decision)?;
    staging::report(ctx, "rejected", &manual, &to, &tally)
}
