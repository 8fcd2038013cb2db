use std::path::PathBuf;

use anyhow::Result;

use super::PAGE;
use super::export::Export;
use super::letter::{self, Letter};
use super::purge::{How, Purger, older_than};
use crate::audit::Actor;
use crate::commands::actor::ActorArgs;
use crate::commands::enqueue::plural;
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

/// Apply the dead-letter retention caps now (dead_letters_max, dead_letters_max_age)
///
/// The caps are set in [pipeline] (default: none, dead letters are kept for ever). Letters
/// older than dead_letters_max_age go first (entries without a failed_at date are kept by
/// it); then, while the list is longer than dead_letters_max, the oldest. Each removal is
/// one atomic step per page with its audit record (action "dead_trim", the item's exact
/// bytes), counted in <pipeline>:dead_trimmed (a total that `status` and `metrics` show)
/// and the daily counter of that name (`pipectl stats`). Racing trims never take the list
/// below the cap. `pipectl run` trims the same way in the background while it runs.
///
/// --export FILE first writes each page to FILE (a new file; one line per entry, its exact
/// bytes in the lossless form of `pipectl ls --json`) and syncs it to disk, then removes
/// exactly those entries (each only while it is still there, unchanged). After a crash the
/// file may hold letters that were not removed yet; never the other way round.
/// With --json: {"queue","trimmed","by_age","by_count","kept_undated","left","max",
/// "max_age_ms","by","export"}.
///
/// Examples:
///   pipectl dead trim
///   pipectl dead trim --export /var/backups/pipectl/dead-$(date +%F).ndjson
///
/// Exit codes: 0 trimmed, 1 the export file could not be written or Redis refused
/// part-way, 2 bad arguments, 3 nothing to trim, 65 a key holds another type, 69 Redis
/// unavailable, 77 not permitted, 78 no cap configured or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// First write the letters to this new file (NDJSON, exact bytes), synced to disk
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,

    #[command(flatten)]
    pub actor: ActorArgs,
}

/// `pipectl dead trim`: what the retention caps removed.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Trimmed {
    /// The dead-letter list.
    pub queue: String,
    /// Dead letters removed in all.
    pub trimmed: u64,
    /// Of those, older than dead_letters_max_age.
    pub by_age: u64,
    /// Of those, beyond dead_letters_max.
    pub by_count: u64,
    /// Kept by the age cap: no failed_at date (pushed by hand).
    pub kept_undated: u64,
    /// Dead letters left.
    pub left: u64,
    /// dead_letters_max (null: no count cap).
    pub max: Option<u64>,
    /// dead_letters_max_age in ms (null: no age cap).
    pub max_age_ms: Option<u64>,
    /// Who trimmed, as the audit records say.
    pub by: String,
    /// The --export file (null without).
    pub export: Option<String>,
}

impl Report for Trimmed {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if self.trimmed == 0 {
            out.note(format_args!(
                "nothing to trim in {} ({} left)",
                self.queue, self.left
            ));
        } else if !out.quiet {
            out.line(format_args!(
                "trimmed {} dead letter{} from {} ({} by age, {} by count); {} left{}",
                self.trimmed,
                plural(self.trimmed),
                self.queue,
                self.by_age,
                self.by_count,
                self.left,
                self.export
                    .as_deref()
                    .map(|p| format!("; exported to {p}"))
                    .unwrap_or_default()
            ))?;
        }
        Ok(())
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let actor = args.actor.actor()?;
    let config = ctx.config()?.clone();
    if config.dead_letters_max.is_none() && config.dead_letters_max_age.is_none() {
        return Err(
            Fail::config("no dead-letter retention cap is configured: nothing to trim by")
                .hint("set dead_letters_max and/or dead_letters_max_age in [pipeline], or use `pipectl dead purge`")
                .into(),
        );
    }
    let mut store = ctx.store()?;
    let export = args.export.as_deref().map(Export::create).transpose()?;
    let result = execute(&mut store, &config, &actor, &ctx.out, export)?;
    ctx.out.print(&result)?;
    Ok(if result.trimmed == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    })
}

/// Applies the caps of `config` (none: removes nothing), writing to `export` first.
pub fn execute(
    store: &mut Store,
    config: &Config,
    actor: &Actor,
    out: &Output,
    export: Option<Export>,
) -> Result<Trimmed> {
    let list = config.dead_letters.clone();
    let mut purger = Purger {
        store,
        list: &list,
        audit: &config.audit,
        actor,
        purged: 0,
        how: How::new(config, "trimmed"),
        export,
        floor: 0,
    };
    let mut result = Trimmed {
        queue: list.clone(),
        max: config.dead_letters_max,
        max_age_ms: config
            .dead_letters_max_age
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        by: actor.by.clone(),
        ..Trimmed::default()
    };
    if let Some(age) = config.dead_letters_max_age {
        let aged = older_than(out, &mut purger, letter::ago(age), true)?;
        result.by_age = aged.purged;
        result.kept_undated = aged.kept_undated;
    }
    if let Some(max) = config.dead_letters_max {
        purger.floor = max;
        let before = purger.purged;
        loop {
            let len = purger.store.lens(std::slice::from_ref(&list))?[0];
            let Some(excess) = len.checked_sub(max).filter(|e| *e > 0) else {
                break;
            };
            let take = PAGE.min(usize::try_from(excess).unwrap_or(PAGE));
            // The oldest end: what a count cap lets go first.
            let page = purger.store.page(&list, 0, take)?;
            if page.is_empty() {
                break;
            }
            let letters: Vec<Letter> = page.into_iter().map(Letter::parse).collect();
            if purger.purge(&letters)? == 0 {
                break;
            }
        }
        result.by_count = purger.purged - before;
    }
    result.trimmed = purger.purged;
    result.export = purger.export.as_ref().map(|e| e.path.display().to_string());
    result.left = purger.store.lens(std::slice::from_ref(&list))?[0];
    Ok(result)
}
