use anyhow::Result;

use super::staging::{self, Decision, Selection};
use crate::context::Ctx;
use crate::exit::Exit;

/// Approve staged items: move them on to the output queue (e.g. prospect:ready)
///
/// Pick items by position as `pipectl staged` shows them (1 = next in line; ranges like 2-5),
/// by --where FIELD=VALUE or FIELD~TEXT (contains; FIELD a dotted path; repeatable: all must
/// match), or --all; --limit N caps how many move. Positions are read in one moment, then
/// each item moves in one atomic step (LPUSH onto the output queue): when another reviewer
/// took an item first it is skipped, never moved twice.
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
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    args.select.check("approve")?;
    let manual = staging::manual_stage(ctx, &args.select.stage)?;
    let to = manual.ready()?.to_owned();
    let mut store = ctx.store()?;
    let decision = Decision::Approve { to: &to };
    let tally = staging::select_and_move(ctx, &mut store, &manual, &args.select, &decision)?;
    staging::report(ctx, "approved", &manual, &to, &tally)
}
