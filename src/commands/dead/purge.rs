use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;

use super::PAGE;
use super::letter::{self, Letter};
use crate::commands::enqueue::plural;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

/// Entries dropped per LTRIM by --all: each call stays short on the server.
const TRIM_CHUNK: usize = 10_000;

/// Delete dead letters for good: all of them, or those that failed long enough ago
///
/// --older-than compares each envelope's failed_at with now; entries without one (bare items
/// pushed by hand) are kept and counted (delete those with --all, or redis-cli LREM).
/// Works from the oldest end in pages; dead letters arriving meanwhile are never deleted.
///
/// On a terminal it asks first. Anywhere else (cron, scripts, agents) it deletes nothing
/// unless --yes is given, and exits 2 saying so. With --json:
/// {"queue","purged","kept_newer","kept_undated"}, also when nothing was purged.
///
/// Examples:
///   pipectl dead purge --older-than 30d
///   pipectl dead purge --all --yes
///
/// Exit codes: 0 purged, 1 declined at the prompt, 2 no terminal to ask and no --yes, 3 nothing
/// to purge, 65 a key holds another type, 69 Redis unavailable, 77 not permitted, 78 bad
/// configuration.
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
    let list = ctx.config()?.dead_letters.clone();
    let mut store = ctx.store()?;
    let nothing = |list: &str| Purged {
        queue: list.to_owned(),
        ..Purged::default()
    };
    let result = match args.older_than {
        None => {
            let total = store.lens(std::slice::from_ref(&list))?[0] as usize;
            if total == 0 {
                return finish(ctx, nothing(&list));
            }
            if ask && !confirm(&format!("Delete all {total} dead letters in {list}?"))? {
                return declined();
            }
            let bar = ctx.out.progress(total as u64, "dead letters purged");
            let mut left = total;
            while left > 0 {
                let n = left.min(TRIM_CHUNK);
                store.trim_oldest(&list, n)?;
                left -= n;
                bar.inc(n as u64);
            }
            bar.finish_and_clear();
            Purged {
                queue: list,
                purged: total as u64,
                kept_newer: 0,
                kept_undated: 0,
            }
        }
        Some(age) => {
            let cutoff = letter::ago(age);
            if ask {
                let counted = older_than(&ctx.out, &mut store, &list, cutoff, false)?;
                if counted.purged == 0 {
                    return finish(ctx, nothing(&list));
                }
                let question = format!(
                    "Delete {} dead letter{} that failed before {} from {list}?",
                    counted.purged,
                    plural(counted.purged),
                    cutoff.strftime("%Y-%m-%d %H:%M:%S UTC")
                );
                if !confirm(&question)? {
                    return declined();
                }
            }
            older_than(&ctx.out, &mut store, &list, cutoff, true)?
        }
    };
    finish(ctx, result)
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

/// Counts (or, with `delete`, deletes) the dead letters that failed before `cutoff`, from the
/// oldest end, looking only at the entries present at the start. Returns (matching, newer,
/// undated).
fn older_than(
    out: &Output,
    store: &mut Store,
    list: &str,
    cutoff: Timestamp,
    delete: bool,
) -> Result<Purged> {
    let total = store.lens(&[list.to_owned()])?[0] as usize;
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
        let page = store.page(list, offset, PAGE.min(total - scanned))?;
        if page.is_empty() {
            break;
        }
        scanned += page.len();
        bar.inc(page.len() as u64);
        let mut old = Vec::new();
        for raw in page {
            match Letter::parse(raw) {
                l if l.failed_at().is_some_and(|at| at < cutoff) => old.push(l.raw),
                l if l.failed_at().is_some() => newer += 1,
                _ => undated += 1,
            }
        }
        if delete {
            let entries: Vec<&[u8]> = old.iter().map(Vec::as_slice).collect();
            matching += store.remove_entries(list, &entries)?;
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
