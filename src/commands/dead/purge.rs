use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use indexmap::IndexMap;
use jiff::Timestamp;

use super::PAGE;
use super::export::Export;
use super::letter::{self, Letter};
use crate::audit::{Actor, AuditLog, Entry};
use crate::commands::actor::ActorArgs;
use crate::commands::enqueue::plural;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::{Removals, Store};

/// Delete dead letters for good: all of them, or those that failed long enough ago
///
/// --older-than compares each envelope's failed_at with now; entries without one (bare items
/// pushed by hand) are kept and counted (delete those with --all, or redis-cli LREM).
/// Works from the oldest end in pages; dead letters arriving meanwhile are never deleted.
///
/// Each letter is deleted together with its audit record (action "dead_purge", its stage,
/// --by, --note, from, the envelope's error, and the item's sha256 and exact bytes), in one
/// atomic step per page of letters: `pipectl audit --action dead_purge --json` gives back
/// what a purge deleted, to push again by hand. They are counted in <pipeline>:dead_purged
/// (a total) and the daily counter of that name (`pipectl stats`).
///
/// --export FILE first writes each page of letters to FILE (a new file; one line per entry,
/// its exact bytes in the lossless form of `pipectl ls --json`), syncs it to disk, and only
/// then deletes exactly those entries (each only if it is still there, unchanged). After a
/// crash the file may hold letters that were not deleted yet; never the other way round.
///
/// On a terminal it asks first. Anywhere else (cron, scripts, agents) it deletes nothing
/// unless --yes is given, and exits 2 saying so. With --json:
/// {"queue","purged","kept_newer","kept_undated","by","export"}, also when nothing was purged.
///
/// Examples:
///   pipectl dead purge --older-than 30d
///   pipectl dead purge --all --yes
///   pipectl dead purge --older-than 30d --yes --export old-letters.ndjson
///
/// Exit codes: 0 purged, 1 declined at the prompt or Redis refused part-way, 2 no terminal to
/// ask and no --yes (or bad arguments), 3 nothing to purge, 65 a key (the audit stream too)
/// holds another type, 69 Redis unavailable, 77 not permitted, 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Delete those that failed more than this long ago (e.g. 30d)
    #[arg(
        long,
        value_parser = crate::duration::arg,
        value_name = "DURATION",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub older_than: Option<Duration>,

    /// Delete every dead letter
    #[arg(long)]
    pub all: bool,

    /// Do not ask (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// First write the letters to this new file (NDJSON, each entry's exact bytes in the
    /// lossless form), synced to disk before they are deleted
    #[arg(long, value_name = "FILE")]
    pub export: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub actor: ActorArgs,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let ask = !args.yes;
    if ask && !std::io::stdin().is_terminal() {
        return Err(
            Fail::usage("not purging dead letters: there is no terminal to confirm on")
                .hint("pass --yes to purge without asking")
                .into(),
        );
    }
    let actor = args.actor.actor()?;
    let config = ctx.config()?.clone();
    let list = config.dead_letters.clone();
    let mut store = ctx.store()?;
    let nothing = |list: &str| Purged {
        queue: list.to_owned(),
        by: actor.by.clone(),
        ..Purged::default()
    };
    if ask {
        let question = match args.older_than {
            None => {
                let total = store.lens(std::slice::from_ref(&list))?[0] as usize;
                if total == 0 {
                    return finish(ctx, nothing(&list));
                }
                format!("Delete all {total} dead letters in {list}?")
            }
            Some(age) => {
                let cutoff = letter::ago(age);
                let mut purger = Purger {
                    store: &mut store,
                    list: &list,
                    audit: &config.audit,
                    actor: &actor,
                    purged: 0,
                    how: How::new(&config, "purged"),
                    export: None,
                    floor: 0,
                };
                let counted = older_than(&ctx.out, &mut purger, cutoff, false)?;
                if counted.purged == 0 {
                    return finish(ctx, nothing(&list));
                }
                format!(
                    "Delete {} dead letter{} that failed before {} from {list}?",
                    counted.purged,
                    plural(counted.purged),
                    cutoff.strftime("%Y-%m-%d %H:%M:%S UTC")
                )
            }
        };
        if !confirm(&question)? {
            return declined();
        }
    }
    let export = args.export.as_deref().map(Export::create).transpose()?;
    let result = execute_to(
        &mut store,
        &config,
        args.older_than,
        &actor,
        &ctx.out,
        export,
    )?;
    finish(ctx, result)
}

/// Deletes every dead letter (`older_than` None) or those that failed longer ago, each with
/// its audit record, without asking (`out` only draws progress bars).
pub fn execute(
    store: &mut Store,
    config: &crate::config::Config,
    older: Option<Duration>,
    actor: &Actor,
    out: &Output,
) -> Result<Purged> {
    execute_to(store, config, older, actor, out, None)
}

/// As `execute`, writing each letter to `export` (synced) before it is deleted.
pub fn execute_to(
    store: &mut Store,
    config: &crate::config::Config,
    older: Option<Duration>,
    actor: &Actor,
    out: &Output,
    export: Option<Export>,
) -> Result<Purged> {
    let list = config.dead_letters.clone();
    let mut purger = Purger {
        store,
        list: &list,
        audit: &config.audit,
        actor,
        purged: 0,
        how: How::new(config, "purged"),
        export,
        floor: 0,
    };
    let Some(age) = older else {
        let total = purger.store.lens(std::slice::from_ref(&list))?[0] as usize;
        let bar = out.progress(total as u64, "dead letters purged");
        let mut scanned = 0;
        // Purged letters leave the oldest end: each page starts there again.
        while scanned < total {
            let page = purger.store.page(&list, 0, PAGE.min(total - scanned))?;
            if page.is_empty() {
                break;
            }
            scanned += page.len();
            bar.inc(page.len() as u64);
            let letters: Vec<Letter> = page.into_iter().map(Letter::parse).collect();
            purger.purge(&letters)?;
        }
        bar.finish_and_clear();
        return Ok(Purged {
            queue: list.clone(),
            purged: purger.purged,
            kept_newer: 0,
            kept_undated: 0,
            by: actor.by.clone(),
            export: purger.export.as_ref().map(|e| e.path.display().to_string()),
        });
    };
    let mut result = older_than(out, &mut purger, letter::ago(age), true)?;
    result.export = purger.export.as_ref().map(|e| e.path.display().to_string());
    Ok(result)
}

/// `pipectl dead purge`: what was deleted, and what was kept.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Purged {
    /// The dead-letter list.
    pub queue: String,
    /// Dead letters deleted.
    pub purged: u64,
    /// Kept: they failed more recently than --older-than.
    pub kept_newer: u64,
    /// Kept: they have no failed_at date (pushed by hand); --all deletes those too.
    pub kept_undated: u64,
    /// Who purged them, as their audit records say.
    pub by: String,
    /// The --export file the purged letters were written to first (null without).
    pub export: Option<String>,
}

impl Report for Purged {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if self.purged == 0 {
            out.note(format_args!("nothing to purge in {}", self.queue));
        } else if !out.quiet {
            out.line(format_args!(
                "purged {} dead letter{} from {}",
                self.purged,
                plural(self.purged),
                self.queue
            ))?;
        }
        if self.kept_undated > 0 {
            out.note(format_args!(
                "kept {} {} without a failed_at date (pushed by hand); `pipectl dead ls --where bare=true` lists them",
                self.kept_undated,
                if self.kept_undated == 1 { "entry" } else { "entries" }
            ));
        }
        Ok(())
    }
}

/// Prints the result; 3 when nothing was purged.
fn finish(ctx: &mut Ctx, result: Purged) -> Result<Exit> {
    ctx.out.print(&result)?;
    Ok(if result.purged == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

/// Deletes dead letters, each with its audit record, and counts them.
pub(super) struct Purger<'a> {
    pub store: &'a mut Store,
    pub list: &'a str,
    pub audit: &'a AuditLog,
    pub actor: &'a Actor,
    /// Letters deleted so far.
    pub purged: u64,
    /// The audit action ("dead_purge", "dead_trim") and the counters the removals go to.
    pub how: How,
    /// Where the letters are written (and synced) before they are deleted.
    pub export: Option<Export>,
    /// Keep at least this many in the list (a count cap); 0: none.
    pub floor: u64,
}

/// How removals are recorded and counted: "purge" (`dead purge`) or "trim" (retention).
pub(super) struct How {
    pub action: &'static str,
    pub total: String,
    pub today: String,
    pub ttl_secs: u64,
}

impl How {
    pub fn new(config: &crate::config::Config, how: &'static str) -> How {
        let name = crate::keys::dead_removed(&config.name, how);
        How {
            action: if how == "trimmed" {
                "dead_trim"
            } else {
                "dead_purge"
            },
            today: crate::keys::counter(&name, &crate::date::today().to_string()),
            total: name,
            ttl_secs: config.stats_retention.as_secs().max(1),
        }
    }
}

impl Purger<'_> {
    /// Deletes these letters (read from the list just now), one script call per stage they
    /// failed in (the stage is their records' `stage`). Returns how many were still there.
    pub fn purge(&mut self, letters: &[Letter]) -> Result<u64> {
        let mut by_stage: IndexMap<&str, Vec<&Letter>> = IndexMap::new();
        for letter in letters {
            by_stage
                .entry(letter.stage().unwrap_or(""))
                .or_default()
                .push(letter);
        }
        if let Some(export) = &mut self.export {
            let raws: Vec<&[u8]> = letters.iter().map(|l| l.raw.as_slice()).collect();
            export.write(&raws)?;
        }
        let count = Removals {
            total: &self.how.total,
            today: &self.how.today,
            ttl_secs: self.how.ttl_secs,
            floor: self.floor,
        };
        let mut purged = 0;
        for (stage, group) in by_stage {
            let entry = Entry::new(self.how.action, stage, self.actor).with("from", self.list);
            let errors: Vec<Option<String>> = group.iter().map(|l| l.error()).collect();
            let triples: Vec<(&[u8], &[u8], Option<&str>)> = group
                .iter()
                .zip(&errors)
                .map(|(l, e)| (l.raw.as_slice(), l.item.as_slice(), e.as_deref()))
                .collect();
            let flags = self
                .store
                .purge_dead(self.list, self.audit, &entry, &count, &triples)
                .map_err(|e| {
                    if self.purged == 0 {
                        return e;
                    }
                    // Each script call is all or nothing against a refusal such as OOM.
                    e.context(format!(
                        "purged {} dead letter{} before Redis refused the next ones; the rest are still in {} (the same command again goes on with them)",
                        self.purged,
                        plural(self.purged),
                        self.list
                    ))
                })?;
            let n = flags.iter().filter(|f| **f).count() as u64;
            self.purged += n;
            purged += n;
        }
        Ok(purged)
    }
}

/// Counts (or, with `delete`, deletes) the dead letters that failed before `cutoff`, from the
/// oldest end, looking only at the entries present at the start. Returns (matching, newer,
/// undated).
pub(super) fn older_than(
    out: &Output,
    purger: &mut Purger<'_>,
    cutoff: Timestamp,
    delete: bool,
) -> Result<Purged> {
    let list = purger.list;
    let total = purger.store.lens(&[list.to_owned()])?[0] as usize;
    let bar = out.progress(
        total as u64,
        if delete {
            "dead letters looked at"
        } else {
            "dead letters counted"
        },
    );
    let (mut scanned, mut offset) = (0usize, 0usize);
    let (mut matching, mut newer, mut undated) = (0u64, 0u64, 0u64);
    while scanned < total {
        let page = purger.store.page(list, offset, PAGE.min(total - scanned))?;
        if page.is_empty() {
            break;
        }
        scanned += page.len();
        bar.inc(page.len() as u64);
        let mut old = Vec::new();
        for raw in page {
            match Letter::parse(raw) {
                l if l.failed_at().is_some_and(|at| at < cutoff) => old.push(l),
                l if l.failed_at().is_some() => newer += 1,
                _ => undated += 1,
            }
        }
        if delete {
            matching += purger.purge(&old)?;
            // Deleted entries no longer count; the kept ones are passed over next time.
            offset = (newer + undated) as usize;
        } else {
            matching += old.len() as u64;
            offset = scanned;
        }
    }
    bar.finish_and_clear();
    Ok(Purged {
        queue: list.to_owned(),
        purged: matching,
        kept_newer: newer,
        kept_undated: undated,
        by: purger.actor.by.clone(),
        export: None,
    })
}

/// Asks on the terminal; anything but y/yes is no.
fn confirm(question: &str) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Declined at the prompt: a failure that says nothing changed.
fn declined() -> Result<Exit> {
    Err(Fail::new(
        Exit::Failure,
        "not purged: declined at the prompt; nothing was deleted",
    )
    .into())
}
