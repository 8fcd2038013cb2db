use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;
use serde_json::json;

use super::PAGE;
use super::letter::{self, Letter};
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
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
/// unless --yes is given, and exits 2 saying so.
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
    let (purged, kept_newer, undated) = match args.older_than {
        None => {
            let total = store.lens(std::slice::from_ref(&list))?[0] as usize;
            if total == 0 {
                return nothing(ctx, &list);
            }
            if ask && !confirm(&format!("Delete all {total} dead letters in {list}?"))? {
                return declined(ctx);
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
            (total as u64, 0, 0)
        }
        Some(age) => {
            let cutoff = letter::ago(age);
            if ask {
                let (n, _, _) = older_than(ctx, &mut store, &list, cutoff, false)?;
                if n == 0 {
                    return nothing(ctx, &list);
                }
                let question = format!(
                    "Delete {n} dead letters that failed before {} from {list}?",
                    cutoff.strftime("%Y-%m-%d %H:%M:%S UTC")
                );
                if !confirm(&question)? {
                    return declined(ctx);
                }
            }
            older_than(ctx, &mut store, &list, cutoff, true)?
        }
    };
    if ctx.out.json {
        ctx.out.json(&json!({
            "list": list,
            "purged": purged,
            "kept_newer": kept_newer,
            "kept_undated": undated,
        }))?;
    } else if !ctx.out.quiet {
        ctx.out
            .line(format_args!("purged {purged} dead letter(s) from {list}"))?;
        if undated > 0 {
            ctx.out.note(format_args!(
                "kept {undated} entr(ies) without a failed_at date (pushed by hand); `pipectl dead ls --where bare=true` lists them"
            ));
        }
    }
    Ok(if purged == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

/// Counts (or, with `delete`, deletes) the dead letters that failed before `cutoff`, from the
/// oldest end, looking only at the entries present at the start. Returns (matching, newer,
/// undated).
fn older_than(
    ctx: &mut Ctx,
    store: &mut Store,
    list: &str,
    cutoff: Timestamp,
    delete: bool,
) -> Result<(u64, u64, u64)> {
    let total = store.lens(&[list.to_owned()])?[0] as usize;
    let bar = ctx.out.progress(
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
    Ok((matching, newer, undated))
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

fn declined(ctx: &mut Ctx) -> Result<Exit> {
    ctx.out.note("nothing was deleted");
    Ok(Exit::Failure)
}

fn nothing(ctx: &mut Ctx, list: &str) -> Result<Exit> {
    if ctx.out.json {
        ctx.out
            .json(&json!({"list": list, "purged": 0, "kept_newer": 0, "kept_undated": 0}))?;
    } else {
        ctx.out.note(format_args!("nothing to purge in {list}"));
    }
    Ok(Exit::NothingToDo)
}
