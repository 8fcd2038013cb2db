use anyhow::Result;

use super::select::Words;
use super::{Pick, Removed};
use crate::audit::Entry;
use crate::context::Ctx;
use crate::exit::Exit;
use crate::store::surgery::Cut;

/// Delete items from a list, each kept, exact bytes and all, in its audit record
///
/// Pick entries of LIST by position as `pipectl ls` (or `find`) numbers them (1 = next in
/// line; ranges like 2-5), by --where (in the dead-letter and rejected lists a path into the
/// envelope: item.url, error, reason), or --all; --limit N caps how many go. Each entry
/// leaves in one atomic step with its audit record (action rm, from, by, note, sha256, and
/// the entry's exact bytes as item), so a deletion can be undone by hand: read the record
/// with `redis-cli XRANGE <pipeline>:audit - +` and LPUSH its item back. Out of a manual
/// stage's input, its claim, question and arrival go with it. The record's stage is the one
/// whose input LIST is, else empty. An entry someone else took first is skipped.
///
/// Several items (--all, --where without positions, several positions or a range) are asked
/// about first on a terminal; elsewhere they need --yes (else exit 2). One position, --yes and
/// --dry-run never ask. With --json: {"list","removed","audit","dry_run","matched","skipped",
/// "skipped_positions","missing","by","note"}.
///
/// Examples:
///   pipectl rm prospect:queue 1
///   pipectl rm prospect:failed --where 'error~invalid phone' --dry-run
///   pipectl rm prospect:staged --where url~.test --yes --note 'test data'
///
/// Exit codes: 0 deleted (or taken by someone else), 1 declined at the prompt or Redis refused
/// a step part-way (what was deleted is said), 2 bad arguments or several items without a
/// terminal or --yes, 3 nothing matched, 65 a key holds another type, 69 Redis unavailable,
/// 77 not permitted, 78 bad configuration (in a cluster: the list and the audit stream in
/// different hash slots).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The list to delete from (a Redis key)
    pub list: String,

    #[command(flatten)]
    pub pick: Pick,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let Args { list, pick } = args;
    pick.check("delete", &format!("pipectl rm {list}"))?;
    let actor = pick.actor.actor()?;
    let ask = pick.ask(&ctx.out, "deleting")?;
    let config = ctx.config()?;
    let role = super::role(config, &list);
    let audit = config.audit.clone();
    let stage = role.stage.clone().unwrap_or_default();
    let entry = Entry::new("rm", &stage, &actor).with("from", list.as_str());
    let cut = Cut {
        from: &list,
        from_staged: role.staged.as_ref(),
        to: None,
        to_since: None,
        from_queue: role.from_queue(),
        audit: &audit,
        entry: &entry,
    };
    let mut store = ctx.store()?;
    store.check_slots(&cut)?;
    let left = format!("still in {list}");
    let look = format!("`pipectl ls {list}`");
    let walk = pick.walk(
        &list,
        Words {
            done: "deleted",
            to: None,
            left: &left,
            look: &look,
        },
    );
    let wanted = |e: &[u8]| role.matches(e, &pick.filters);
    let counted = if ask {
        super::ask_first(&ctx.out, &mut store, &walk, wanted, |n| {
            format!(
                "Delete {} from {list}? (the audit stream {} keeps each one's exact bytes)",
                crate::output::count_of(n, "item"),
                audit.key
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
    let result = Removed::new(&list, &audit.key, &tally, pick.dry_run, &actor);
    ctx.out.print(&result)?;
    Ok(result.exit())
}
