//! Item surgery: `find`, `move`, `rm` and `unreject` work on any list by position, `--where`
//! or `--all`, each change atomic per item with its audit record (store/surgery_move.lua).
//! Here: what they share — the selection arguments, what a list is to the pipeline (how its
//! entries are read, which stage owns it), and when to ask before changing anything.

pub mod find;
pub mod move_items;
mod outcome;
pub mod rm;
pub mod select;
pub mod unreject;

#[cfg(test)]
mod select_tests;

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Result;

use crate::commands::actor::ActorArgs;
use crate::config::{Config, Handler};
use crate::error::Fail;
use crate::exit::Exit;
use crate::input::{Condition, parse_condition};
use crate::keys::StagedKeys;
use crate::output::Output;
use crate::store::Store;
use select::{Chunk, Moved, Span, Tally, Walk, matches_all, merge, parse_span};

pub use outcome::{MovedItems, Removed, Returned, Unrejected};

/// Which entries `move`, `rm` and `unreject` act on, and how carefully.
#[derive(clap::Args, Debug, Clone)]
pub struct Pick {
    /// Positions as `pipectl ls` numbers them (1 = next in line: LINDEX <list> -1), or ranges
    /// like 2-5
    #[arg(value_name = "POSITION", value_parser = parse_span, conflicts_with = "all")]
    pub positions: Vec<Span>,

    /// Only entries whose FIELD (a dotted path) equals VALUE (also !=, ~ contains, >=, >, <=,
    /// <). In the dead-letter and rejected lists FIELD is a path into the envelope: item.url,
    /// error, reason, stage, bare. Repeat to require several. Without positions, every entry is
    /// looked at
    #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = parse_condition)]
    pub filters: Vec<Condition>,

    /// Every entry (with --where: every matching one), read in pages
    #[arg(long)]
    pub all: bool,

    /// Act on at most this many
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// Say what would be done, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask first (without a terminal, needed to change more than one position's item)
    #[arg(long, short = 'y')]
    pub yes: bool,

    #[command(flatten)]
    pub actor: ActorArgs,
}

impl Pick {
    /// Refuses a selection that names nothing (exit 2).
    pub fn check(&self, verb: &str, example: &str) -> Result<(), Fail> {
        if self.positions.is_empty() && self.filters.is_empty() && !self.all {
            return Err(Fail::usage(format!("say which items to {verb}")).hint(format!(
                "give positions as `pipectl ls` numbers them ({example} 1 3), --where FIELD=VALUE, or --all"
            )));
        }
        Ok(())
    }

    /// How many positions are named (0: none, the whole list is looked at).
    fn named(&self) -> usize {
        merge(&self.positions)
            .iter()
            .fold(0usize, |n, s| n.saturating_add(s.count()))
    }

    /// Whether to ask before changing anything: a selection that may change more than one
    /// item (--all, --where over the whole list, several positions or a range) asks on a
    /// terminal (stdin and stdout both), and anywhere else needs --yes; one position, --yes
    /// and --dry-run never ask. Refused (exit 2) when it would ask without a terminal.
    pub fn ask(&self, out: &Output, what: &str) -> Result<bool, Fail> {
        if self.dry_run || self.yes || self.named() == 1 {
            return Ok(false);
        }
        if std::io::stdin().is_terminal() && out.stdout_tty {
            return Ok(true);
        }
        Err(Fail::usage(format!(
            "not {what}: this may change more than one item, and there is no terminal to confirm on"
        ))
        .hint("pass --yes to go ahead without asking, or --dry-run to see what it would do"))
    }

    pub fn walk<'a>(&'a self, list: &'a str, words: select::Words<'a>) -> Walk<'a> {
        Walk {
            list,
            positions: &self.positions,
            limit: self.limit,
            dry_run: self.dry_run,
            cost: select::Cost::OneScan,
            words,
        }
    }
}

/// Counts what a walk would select and asks the person at the terminal; `Some` (what was
/// counted) when nothing matched, so there is nothing to ask. Declined: exit 1, nothing changed.
pub fn ask_first(
    out: &Output,
    store: &mut Store,
    walk: &Walk<'_>,
    wanted: impl FnMut(&[u8]) -> bool,
    question: impl FnOnce(u64) -> String,
) -> Result<Option<Tally>> {
    let dry = Walk {
        dry_run: true,
        ..*walk
    };
    let counted = dry.run(out, store, wanted, |_, chunk| {
        Ok(vec![Moved::Gone; chunk.len()])
    })?;
    if counted.matched == 0 {
        return Ok(Some(counted));
    }
    let mut err = std::io::stderr().lock();
    write!(err, "{} [y/N] ", question(counted.matched))?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        return Ok(None);
    }
    Err(Fail::new(Exit::Failure, "declined at the prompt; nothing was changed").into())
}

/// What a list is to the pipeline.
#[derive(Clone, Debug, Default)]
pub struct Role {
    /// The envelope its entries are in (the fields that tell one): the dead-letter list's
    /// and the rejected list's; `None` for plain items.
    pub envelope: Option<&'static [&'static str]>,
    /// The stage whose input it is, for the audit record.
    pub stage: Option<String>,
    /// Its bookkeeping, when it is a manual stage's input (a staging list).
    pub staged: Option<StagedKeys>,
    /// Its attempts and notes hashes, when it is another stage's input (a queue).
    pub queue: Option<(String, String)>,
}

impl Role {
    /// The queue's bookkeeping as `store::surgery::Cut` takes it.
    pub fn from_queue(&self) -> Option<(&str, &str)> {
        self.queue.as_ref().map(|(a, n)| (a.as_str(), n.as_str()))
    }
}

/// What `list` is in `config`: a stage's input (a manual stage's: a staging list), the
/// dead-letter list, the rejected list, or any other list.
pub fn role(config: &Config, list: &str) -> Role {
    let owner = config
        .stages
        .iter()
        .find(|s| s.input.as_deref() == Some(list));
    Role {
        envelope: if list == config.dead_letters {
            Some(crate::envelope::DEAD_LETTER)
        } else if list == config.rejected {
            Some(crate::envelope::REJECTION)
        } else {
            None
        },
        stage: owner.map(|s| s.name.clone()),
        staged: owner
            .filter(|s| matches!(s.handler, Handler::Manual))
            .map(|_| StagedKeys::new(list)),
        queue: owner
            .filter(|s| !matches!(s.handler, Handler::Manual))
            .map(|_| {
                (
                    crate::keys::QueueKeys::new(list).attempts,
                    crate::keys::notes(list),
                )
            }),
    }
}

impl Role {
    /// Whether an entry meets every condition: a plain item as its JSON (`url=…`), an entry
    /// of an envelope list as its envelope (crate::envelope::view: `item.url=…`, `error~…`).
    pub fn matches(&self, entry: &[u8], conditions: &[Condition]) -> bool {
        let Some(required) = self.envelope else {
            return matches_all(entry, conditions);
        };
        if conditions.is_empty() {
            return true;
        }
        let view = match crate::envelope::open(entry, required) {
            Some(opened) => crate::envelope::view(Some(&opened.fields), &opened.item),
            None => crate::envelope::view(None, entry),
        };
        conditions.iter().all(|c| c.matches(&view))
    }
}

/// The store's takes for a chunk of entries that land as they are.
fn as_is<'a>(chunk: Chunk<'_, 'a>) -> Vec<crate::store::surgery::Take<'a>> {
    chunk
        .iter()
        .map(|&(pos, entry)| crate::store::surgery::Take {
            entry,
            payload: None,
            pos,
        })
        .collect()
}
