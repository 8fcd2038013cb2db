//! Selecting staged items (positions, `--where`, `--all`) and moving each one on in one
//! atomic step: what `approve`, `reject` and `review` share. The selection itself (pages,
//! positions, script calls bounded in server time) is the one item surgery uses too
//! (commands/surgery/select.rs).

use anyhow::Result;

use super::decide::move_batch;
pub use super::decide::{Decision, Kind, decide_one};
use super::{Manual, StageArg};
use crate::commands::surgery::select::{Cost, Walk, Words};
pub use crate::commands::surgery::select::{Span, Tally, matches_all, parse_span};
use crate::error::Fail;
use crate::input::{Condition, parse_condition};
use crate::output::Output;
use crate::store::Store;

/// Which staged items `approve` / `reject` act on.
#[derive(clap::Args, Debug, Clone)]
pub struct Selection {
    /// Positions as `pipectl staged` shows them (1 = next in line), or ranges like 2-5
    #[arg(value_name = "POSITION", value_parser = parse_span, conflicts_with = "all")]
    pub positions: Vec<Span>,

    /// Only items whose JSON field (a dotted path) equals VALUE; FIELD~TEXT: contains TEXT.
    /// Repeat to require several. Without positions, every staged item is looked at
    #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = parse_condition)]
    pub filters: Vec<Condition>,

    /// Every staged item (with --where: every matching one), read in pages
    #[arg(long)]
    pub all: bool,

    /// Move at most this many items
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    #[command(flatten)]
    pub stage: StageArg,
}

impl Selection {
    /// Refuses a selection that names nothing (exit 2).
    pub fn check(&self, verb: &str) -> Result<(), Fail> {
        if self.positions.is_empty() && self.filters.is_empty() && !self.all {
            return Err(Fail::usage(format!("say which staged items to {verb}"))
                .hint(format!(
                    "give positions from `pipectl staged` (pipectl {verb} 1 3), --where FIELD=VALUE, or --all"
                )));
        }
        Ok(())
    }
}

/// Selects staged items and moves each one atomically as `decision` says.
///
/// Positions are resolved to item values in one moment (one script); each item then moves by
/// value, so an item another reviewer took meanwhile is counted as taken, never moved twice.
/// `--all` / `--where` read the list in pages from the consumer end, looking at no more items
/// than were staged when it started (items staged meanwhile wait for the next run).
pub fn select_and_move(
    out: &Output,
    store: &mut Store,
    manual: &Manual,
    sel: &Selection,
    decision: &Decision<'_>,
) -> Result<Tally> {
    let walk = Walk {
        list: &manual.staged,
        positions: &sel.positions,
        limit: sel.limit,
        dry_run: false,
        cost: Cost::EachItem,
        words: Words {
            done: match decision.kind {
                Kind::Approve => "approved",
                Kind::Reject => "rejected",
            },
            to: Some(decision.to),
            left: "still staged",
            look: "`pipectl staged`",
        },
    };
    walk.run(
        out,
        store,
        |item| matches_all(item, &sel.filters),
        |store, chunk| move_batch(store, manual, chunk, decision),
    )
}
