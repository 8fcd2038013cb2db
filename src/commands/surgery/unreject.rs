use std::cell::Cell;

use anyhow::Result;

use super::select::{Moved, Words};
use super::{Pick, Returned, Unrejected};
use crate::audit::Entry;
use crate::config::{Config, Handler};
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys::StagedKeys;
use crate::store::surgery::{Cut, Take};

/// Send rejected items back to review: out of their envelopes, into the staging list
///
/// Picks entries of the pipeline's rejected list (`rejected`, default <pipeline>:rejected) by
/// position as `pipectl ls` or `pipectl find <rejected list>` numbers them (1 = the oldest,
/// LINDEX -1; ranges like 2-5), by --where (a path into the envelope: item.url, reason, stage,
/// bare), or --all; --limit N caps how many go. Each goes back to the staging list (the input)
/// of the manual stage that rejected it (the envelope's "stage"), as the exact item that was
/// rejected, the envelope removed, in one atomic step with its arrival time and one audit
/// record (action unreject, stage, from, to, by, note, sha256, the exact item). An entry
/// naming no manual stage (pushed by hand, or a stage since renamed) goes to the only manual
/// stage, or to --stage's; while there are several it is left, and counted as unplaced (exit
/// 1). --stage also keeps to that stage's rejections.
///
/// Several items (--all, --where without positions, several positions or a range) are asked
/// about first on a terminal; elsewhere they need --yes (else exit 2). One position, --yes and
/// --dry-run never ask. With --json: {"from","to":[{"stage","list","moved"}],"moved",
/// "unplaced","dry_run","matched","skipped","skipped_positions","missing","by","note"}.
///
/// Examples:
///   pipectl unreject 1
///   pipectl unreject --where reason~parked --dry-run
///   pipectl unreject --all --stage review --yes --note 'rejected by mistake'
///
/// Exit codes: 0 sent back (or taken by someone else), 1 declined at the prompt, some
/// rejections had no stage to go back to, or Redis refused a step part-way (what moved is
/// said), 2 bad arguments or several items without a terminal or --yes, 3 nothing matched,
/// 65 a key holds another type, 69 Redis unavailable, 77 not permitted, 78 no manual stage in
/// the config or bad configuration (in a cluster: keys in different hash slots).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub pick: Pick,

    /// Only rejections by this manual stage (and those naming none, which go back to it)
    /// [default: each to the stage that rejected it]
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,
}

/// A manual stage rejected items may go back to.
struct Home {
    stage: String,
    keys: StagedKeys,
}

/// The manual stages, and which one `--stage` keeps to.
struct Homes {
    homes: Vec<Home>,
    only: Option<usize>,
}

impl Homes {
    fn new(config: &Config, stage: Option<&str>) -> Result<Homes, Fail> {
        let homes: Vec<Home> = config
            .stages
            .iter()
            .filter(|s| matches!(s.handler, Handler::Manual))
            .filter_map(|s| {
                Some(Home {
                    stage: s.name.clone(),
                    keys: StagedKeys::new(s.input.as_deref()?),
                })
            })
            .collect();
        if homes.is_empty() {
            return Err(Fail::config(
                "the pipeline has no manual stage, so rejected items have no review to go back to",
            )
            .hint(
                "add a stage with an input and no exec/http to pipectl.toml, e.g.\n  \
                 [stages.review]\n  input = \"prospect:staged\"\n  output = \"prospect:ready\"",
            ));
        }
        let names = || {
            homes
                .iter()
                .map(|h| h.stage.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let only = match stage {
            None => None,
            Some(name) => match homes.iter().position(|h| h.stage == name) {
                Some(i) => Some(i),
                None => {
                    return Err(Fail::usage(format!(
                        "'{name}' is not a manual stage of the pipeline"
                    ))
                    .hint(format!("manual stages: {}", names())));
                }
            },
        };
        Ok(Homes { homes, only })
    }

    /// Where a rejected entry goes back to, and the item it holds; `None` when it stays:
    /// another stage's while --stage keeps to one, or no stage to go to.
    fn of(&self, entry: &[u8]) -> Option<(usize, Vec<u8>)> {
        let (named, item) = match crate::envelope::open(entry, crate::envelope::REJECTION) {
            Some(opened) => {
                let named = opened
                    .fields
                    .get("stage")
                    .and_then(|v| v.as_str())
                    .and_then(|name| self.homes.iter().position(|h| h.stage == name));
                (named, opened.item)
            }
            None => (None, entry.to_vec()),
        };
        let home = match (named, self.only) {
            (Some(i), Some(only)) => (i == only).then_some(i)?,
            (Some(i), None) => i,
            (None, Some(only)) => only,
            (None, None) if self.homes.len() == 1 => 0,
            (None, None) => return None,
        };
        Some((home, item))
    }

    /// Whether the entry names another manual stage than --stage's (so it is not selected,
    /// rather than unplaced).
    fn elsewhere(&self, entry: &[u8]) -> bool {
        self.only.is_some()
            && crate::envelope::open(entry, crate::envelope::REJECTION)
                .and_then(|o| o.fields.get("stage")?.as_str().map(str::to_owned))
                .is_some_and(|name| self.homes.iter().any(|h| h.stage == name))
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let Args { pick, stage } = args;
    pick.check("send back", "pipectl unreject")?;
    let actor = pick.actor.actor()?;
    let ask = pick.ask(&ctx.out, "sending back")?;
    let config = ctx.config()?;
    let homes = Homes::new(config, stage.as_deref())?;
    let rejected = config.rejected.clone();
    let role = super::role(config, &rejected);
    let audit = config.audit.clone();
    let entries: Vec<Entry> = homes
        .homes
        .iter()
        .map(|h| {
            Entry::new("unreject", &h.stage, &actor)
                .with("from", rejected.as_str())
                .with("to", h.keys.list.as_str())
        })
        .collect();
    let cut = |i: usize| Cut {
        from: &rejected,
        from_staged: role.staged.as_ref(),
        to: Some(&homes.homes[i].keys.list),
        to_since: Some(&homes.homes[i].keys.since),
        from_queue: role.from_queue(),
        audit: &audit,
        entry: &entries[i],
    };
    let mut store = ctx.store()?;
    for i in 0..homes.homes.len() {
        if homes.only.is_none_or(|only| only == i) {
            store.check_slots(&cut(i))?;
        }
    }
    let left = format!("still in {rejected}");
    let look = format!("`pipectl find {rejected}`");
    let walk = pick.walk(
        &rejected,
        Words {
            done: "sent back",
            to: None,
            left: &left,
            look: &look,
        },
    );
    // What was selected for each stage (a dry run's answer), and what could not be placed.
    let chosen: Vec<Cell<u64>> = homes.homes.iter().map(|_| Cell::new(0)).collect();
    let unplaced = Cell::new(0u64);
    let wanted = |e: &[u8]| {
        if !role.matches(e, &pick.filters) || homes.elsewhere(e) {
            return false;
        }
        match homes.of(e) {
            Some((home, _)) => {
                chosen[home].set(chosen[home].get() + 1);
                true
            }
            None => {
                unplaced.set(unplaced.get() + 1);
                false
            }
        }
    };
    let counted = if ask {
        super::ask_first(&ctx.out, &mut store, &walk, wanted, |n| {
            format!(
                "Send {} back to review from {rejected}?",
                crate::output::count_of(n, "rejected item")
            )
        })?
    } else {
        None
    };
    let mut moved = vec![0u64; homes.homes.len()];
    let tally = match counted {
        Some(nothing) => nothing,
        None => {
            unplaced.set(0);
            chosen.iter().for_each(|c| c.set(0));
            walk.run(&ctx.out, &mut store, wanted, |store, chunk| {
                let placed: Vec<Option<(usize, Vec<u8>)>> =
                    chunk.iter().map(|(_, e)| homes.of(e)).collect();
                let mut results = vec![Moved::Gone; chunk.len()];
                for (i, count) in moved.iter_mut().enumerate() {
                    let group: Vec<usize> = (0..chunk.len())
                        .filter(|&j| placed[j].as_ref().is_some_and(|(h, _)| *h == i))
                        .collect();
                    if group.is_empty() {
                        continue;
                    }
                    let takes: Vec<Take<'_>> = group
                        .iter()
                        .map(|&j| Take {
                            entry: chunk[j].1,
                            payload: placed[j].as_ref().map(|(_, item)| item.as_slice()),
                            pos: chunk[j].0,
                        })
                        .collect();
                    for (&j, result) in group.iter().zip(store.surgery(&cut(i), &takes)?) {
                        *count += u64::from(result == Moved::Moved);
                        results[j] = result;
                    }
                }
                Ok(results)
            })?
        }
    };
    if pick.dry_run {
        moved = chosen.iter().map(Cell::get).collect();
    }
    let result = Unrejected {
        from: rejected.clone(),
        to: homes
            .homes
            .iter()
            .zip(&moved)
            .filter(|(_, n)| **n > 0)
            .map(|(h, n)| Returned {
                stage: h.stage.clone(),
                list: h.keys.list.clone(),
                moved: *n,
            })
            .collect(),
        moved: tally.moved,
        unplaced: unplaced.get(),
        outcome: super::outcome::Outcome::new(&tally, pick.dry_run, &actor),
    };
    ctx.out.print(&result)?;
    Ok(result.exit())
}
