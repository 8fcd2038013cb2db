use anyhow::Result;

use super::select::Words;
use super::{MovedItems, Pick};
use crate::audit::Entry;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::store::surgery::Cut;

/// Move items from any list to any other, each in one atomic step, exact bytes kept
///
/// Pick entries of FROM by position as `pipectl ls` (or `find`) numbers them (1 = next in
/// line; ranges like 2-5), by --where (in the dead-letter and rejected lists a path into the
/// envelope: item.url, error, reason), or --all; --limit N caps how many move. Each entry is
/// LPUSHed onto TO exactly as it is (an envelope stays an envelope: `unreject` and `dead
/// retry` unwrap) and leaves FROM in the same step, with one audit record (action move, from,
/// to, by, note, sha256, the exact item); an entry someone else took first is skipped, never
/// moved twice. Into a manual stage's input its arrival is recorded; out of one, its claim,
/// question and arrival go with it. The record's stage is FROM's stage (the one whose input it
/// is), else TO's, else empty.
///
/// Several items (--all, --where without positions, several positions or a range) are asked
/// about first on a terminal; elsewhere they need --yes (else exit 2). One position, --yes and
/// --dry-run never ask. With --json: {"from","to","moved","dry_run","matched","skipped",
/// "skipped_positions","missing","by","note"}.
///
/// Examples:
///   pipectl move prospect:staged prospect:queue 3
///   pipectl move prospect:queue prospect:parked --where url~.test --dry-run
///   pipectl move prospect:failed prospect:failed:old --where 'error~timed out' --all --yes
///
/// Exit codes: 0 moved (or taken by someone else), 1 declined at the prompt or Redis refused a
/// move part-way (what moved is said), 2 bad arguments or several items without a terminal
/// or --yes, 3 nothing matched, 65 a key holds another type, 69 Redis unavailable, 77 not
/// permitted, 78 bad configuration (in a cluster: the lists in different hash slots).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The list the items are in (a Redis key)
    pub from: String,

    /// The list they go to (a Redis key)
    pub to: String,

    #[command(flatten)]
    pub pick: Pick,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let Args { from, to, pick } = args;
    pick.check("move", &format!("pipectl move {from} {to}"))?;
    if from == to {
        return Err(Fail::usage(format!(
            "'{from}' is both where the items are and where they would go"
        ))
        .hint("give a destination list other than the source")
        .into());
    }
    let actor = pick.actor.actor()?;
    let ask = pick.ask(&ctx.out, "moving")?;
    let config = ctx.config()?;
    let (source, target) = (super::role(config, &from), super::role(config, &to));
    let audit = config.audit.clone();
    let stage = source
        .stage
        .clone()
        .or(target.stage.clone())
        .unwrap_or_default();
    let entry = Entry::new("move", &stage, &actor)
        .with("from", from.as_str())
        .with("to", to.as_str());
    let cut = Cut {
        from: &from,
        from_staged: source.staged.as_ref(),
        to: Some(&to),
        to_since: target.staged.as_ref().map(|k| k.since.as_str()),
        from_queue: source.from_queue(),
        audit: &audit,
        entry: &entry,
    };
    let mut store = ctx.store()?;
    store.check_slots(&cut)?;
    let left = format!("still in {from}");
    let look = format!("`pipectl ls {from}`");
    let walk = pick.walk(
        &from,
        Words {
            done: "moved",
            to: Some(&to),
            left: &left,
            look: &look,
        },
    );
    let wanted = |e: &[u8]| source.matches(e, &pick.filters);
    let counted = if ask {
        super::ask_first(&ctx.out, &mut store, &walk, wanted, |n| {
            format!(
                "Move {} from {from} to {to}?",
                crate::output::count_of(n, "item")
            )
        })?
    } else {
        None
    };
    let tally = match counted {
        Some(nothing) => nothing,
        None => walk.run(&ctx.out, &mut store, wanted, |store, chunk| {
            store.surgery(&cut, &super::as_is(chunk))
        })?,
    };
    let result = MovedItems::new(&from, &to, &tally, pick.dry_run, &actor);
    ctx.out.print(&result)?;
    Ok(result.exit())
}
