use anyhow::Result;
use indexmap::IndexMap;

use super::PAGE;
use super::letter::{self, Filter, Letter};
use crate::audit::{Actor, Entry};
use crate::commands::actor::ActorArgs;
use crate::commands::enqueue::plural;
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report, summary};
use crate::store::Store;

/// Send dead letters back to their stage's input queue, attempt count reset
///
/// Where each entry goes: the input queue of the stage it names (from the config), else the
/// queue it was taken from (the envelope's "queue"), else --to QUEUE, else the input of the
/// pipeline's first stage that has one. So a bare item pushed by hand (JSON or not) goes to
/// --to, or by default to the first stage's input, exactly as it is; an envelope's item goes
/// back as it was before it failed.
///
/// Each entry moves in one atomic step (a Lua script pushes its item only if exactly that
/// entry is in the list, writes its audit record, then removes the entry, clearing
/// <queue>:attempts for it), so two retries racing never duplicate an item, and each retried
/// letter has exactly one record: action "dead_retry", the stage whose input it goes to,
/// --by, --note, from, to, and the item's sha256 and exact bytes (`pipectl audit`). Entries move oldest first and are taken in
/// the order they failed. Works in pages: 100,000 dead letters are fine.
///
/// Select by position (1 = newest, as `dead ls` shows), with --all, or with --stage,
/// --since and --where (together: all must match). With --json:
/// {"from","retried","to":[{"queue","count"}],"gone","nowhere","by"}.
///
/// Examples:
///   pipectl dead retry 1 4
///   pipectl dead retry --stage build
///   pipectl dead retry --where 'error~timeout' --since 1h
///   pipectl dead retry --all --to prospect:queue
///
/// Exit codes: 0 retried, 1 some were not (no such position, gone meanwhile, nowhere to go) or
/// Redis refused part-way, 3 nothing matched, 65 a key (the audit stream too) holds another
/// type, 69 Redis unavailable, 77 not permitted, 78 bad configuration, 2 bad arguments or a
/// bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Positions (1 = newest)
    #[arg(
        value_parser = super::position,
        value_name = "POS",
        required_unless_present_any = ["all", "stage", "since", "conditions"],
        conflicts_with_all = ["all", "stage", "since", "conditions"]
    )]
    pub positions: Vec<usize>,

    /// Every dead letter
    #[arg(long, conflicts_with_all = ["stage", "since", "conditions"])]
    pub all: bool,

    #[command(flatten)]
    pub select: letter::Select,

    /// Where entries naming no stage or queue go (bare items pushed by hand)
    /// [default: the input of the first stage that has one]
    #[arg(long, value_name = "QUEUE")]
    pub to: Option<String>,

    #[command(flatten)]
    pub actor: ActorArgs,
}

/// Where entries that name no stage or queue go: `--to`, else the first stage input.
pub fn default_queue<'a>(config: &'a Config, to: Option<&'a str>) -> Option<&'a str> {
    to.or_else(|| config.stages.iter().find_map(|s| s.input.as_deref()))
}

/// `pipectl dead retry`: what went back, and where.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Retried {
    /// The dead-letter list they left.
    pub from: String,
    /// Dead letters sent back to a queue.
    pub retried: u64,
    /// Where they went: each queue and how many, in the order first sent to.
    pub to: Vec<Sent>,
    /// Selected, but gone from the list when their turn came (retried or purged meanwhile).
    pub gone: u64,
    /// Selected, but naming no stage or queue while the config has no stage input: still
    /// dead (retry them with --to QUEUE).
    pub nowhere: u64,
    /// Who retried them, as their audit records say.
    pub by: String,
    /// Each entry retried by position, for the text: (position, queue, item summary).
    #[serde(skip)]
    by_position: Vec<(usize, String, String)>,
    /// Positions that had nowhere to go.
    #[serde(skip)]
    nowhere_positions: Vec<usize>,
}

/// How many dead letters went to one queue.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Sent {
    pub queue: String,
    pub count: u64,
}

impl Retried {
    fn add(&mut self, queue: &str) {
        self.retried += 1;
        match self.to.iter_mut().find(|s| s.queue == queue) {
            Some(sent) => sent.count += 1,
            None => self.to.push(Sent {
                queue: queue.to_owned(),
                count: 1,
            }),
        }
    }

    /// 1 when some selected entries could not be retried, 3 when none was selected, else 0.
    pub fn exit(&self) -> Exit {
        if self.gone > 0 || self.nowhere > 0 {
            Exit::Failure
        } else if self.retried == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }

    /// What went wrong, for stderr (JSON warnings under --json).
    fn warn(&self, out: &mut Output) {
        for pos in &self.nowhere_positions {
            out.warn(format_args!("#{pos}: no stage or queue to send it to"));
        }
        if self.nowhere > 0 {
            out.warn(format_args!(
                "{} dead letter{} name no stage or queue and the config has no stage input: pass --to QUEUE",
                self.nowhere,
                plural(self.nowhere)
            ));
        }
        if self.gone > 0 {
            out.warn(format_args!(
                "{} dead letter{} gone when {} turn came (retried or purged meanwhile)",
                self.gone,
                if self.gone == 1 { " was" } else { "s were" },
                if self.gone == 1 { "its" } else { "their" }
            ));
        }
    }
}

impl Report for Retried {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        for (pos, queue, item) in &self.by_position {
            out.note(format_args!("#{pos} -> {queue}: {item}"));
        }
        if out.quiet {
            return Ok(());
        }
        let to: Vec<String> = self
            .to
            .iter()
            .map(|s| format!("{} to {}", s.count, s.queue))
            .collect();
        let to = if to.is_empty() {
            String::new()
        } else {
            format!(": {}", to.join(", "))
        };
        out.line(format_args!(
            "retried {} dead letter{}{to}",
            self.retried,
            plural(self.retried)
        ))
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let actor = args.actor.actor()?;
    let config = ctx.config()?.clone();
    let mut store = ctx.store()?;
    let result = execute(&mut store, &config, args, &actor, &ctx.out)?;
    result.warn(&mut ctx.out);
    ctx.out.print(&result)?;
    Ok(result.exit())
}

/// Retries what `args` selects on `actor`'s say-so (`out` only draws progress bars).
pub fn execute(
    store: &mut Store,
    config: &Config,
    args: Args,
    actor: &Actor,
    out: &Output,
) -> Result<Retried> {
    let fallback = default_queue(config, args.to.as_deref());
    let mut tally = Retried {
        from: config.dead_letters.clone(),
        by: actor.by.clone(),
        ..Retried::default()
    };
    let by = Who { config, actor };
    if args.positions.is_empty() {
        let filter = args.select.filter();
        retry_matching(out, store, &by, fallback, &filter, &mut tally)?;
    } else {
        retry_positions(out, store, &by, fallback, args.positions, &mut tally)?;
    }
    Ok(tally)
}

/// The pipeline and who retries: what each move's audit record is made of.
struct Who<'a> {
    config: &'a Config,
    actor: &'a Actor,
}

impl Who<'_> {
    /// The record of retries to `queue`: the stage it is the input of (none: "").
    fn entry(&self, queue: &str) -> Entry {
        let stage = self
            .config
            .stage_for_input(queue)
            .map_or("", |s| s.name.as_str());
        Entry::new("dead_retry", stage, self.actor)
            .with("from", self.config.dead_letters.as_str())
            .with("to", queue)
    }
}

/// Scans the list from the oldest end, page by page, moving what matches. Only the entries
/// present at the start are looked at (those arriving meanwhile land at the other end, so a
/// retried item that fails again is not retried twice in one run). Moved entries leave the
/// list, so the next page starts after the entries kept so far, counted from the oldest end.
fn retry_matching(
    out: &Output,
    store: &mut Store,
    by: &Who<'_>,
    fallback: Option<&str>,
    filter: &Filter,
    tally: &mut Retried,
) -> Result<()> {
    let config = by.config;
    let list = &config.dead_letters;
    let total = store.lens(std::slice::from_ref(list))?[0] as usize;
    let bar = out.progress(total as u64, "dead letters looked at");
    let (mut scanned, mut kept) = (0usize, 0usize);
    while scanned < total {
        let page = store.page(list, kept, PAGE.min(total - scanned))?;
        if page.is_empty() {
            break;
        }
        scanned += page.len();
        bar.inc(page.len() as u64);
        let letters: Vec<Letter> = page.into_iter().map(Letter::parse).collect();
        let mut batch = Vec::new();
        for letter in &letters {
            if !filter.matches(letter) {
                kept += 1;
                continue;
            }
            match letter.destination(config, fallback) {
                Some(queue) => batch.push((letter, queue)),
                None => {
                    tally.nowhere += 1;
                    kept += 1;
                }
            }
        }
        move_batch(store, by, &batch, tally)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// Retries the entries at these positions, all looked up first in one round trip: when a
/// position is empty nothing is retried.
fn retry_positions(
    out: &Output,
    store: &mut Store,
    by: &Who<'_>,
    fallback: Option<&str>,
    mut positions: Vec<usize>,
    tally: &mut Retried,
) -> Result<()> {
    let config = by.config;
    let list = &config.dead_letters;
    positions.sort_unstable();
    positions.dedup();
    let indices: Vec<usize> = positions.iter().map(|p| p - 1).collect();
    let entries = store.entries_at(list, &indices)?;
    let missing: Vec<String> = positions
        .iter()
        .zip(&entries)
        .filter(|(_, e)| e.is_none())
        .map(|(p, _)| p.to_string())
        .collect();
    if !missing.is_empty() {
        let len = store.lens(std::slice::from_ref(list))?[0];
        return Err(Fail::new(
            Exit::Failure,
            format!(
                "no dead letter at position {} ({list} holds {len}); nothing was retried",
                missing.join(", ")
            ),
        )
        .hint("positions count from 1 = the newest; list them with `pipectl dead ls`")
        .into());
    }
    // Oldest (highest position) first, so they are taken in the order they failed.
    let letters: Vec<(usize, Letter)> = positions
        .iter()
        .zip(entries)
        .rev()
        .filter_map(|(p, e)| e.map(|raw| (*p, Letter::parse(raw))))
        .collect();
    let bar = out.progress(letters.len() as u64, "dead letters retried");
    for chunk in letters.chunks(PAGE) {
        let mut batch = Vec::new();
        let mut batch_positions = Vec::new();
        for (pos, letter) in chunk {
            match letter.destination(config, fallback) {
                Some(queue) => {
                    batch.push((letter, queue));
                    batch_positions.push(*pos);
                }
                None => {
                    tally.nowhere += 1;
                    tally.nowhere_positions.push(*pos);
                }
            }
        }
        let moved = move_batch(store, by, &batch, tally)?;
        for (((letter, queue), ok), pos) in batch.iter().zip(moved).zip(&batch_positions) {
            if ok {
                tally
                    .by_position
                    .push((*pos, queue.to_string(), summary(&letter.item, 60)));
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// Moves a batch, one script call per destination queue, each letter with its audit record.
/// Returns, per entry, whether it moved.
fn move_batch(
    store: &mut Store,
    by: &Who<'_>,
    batch: &[(&Letter, &str)],
    tally: &mut Retried,
) -> Result<Vec<bool>> {
    let list = by.config.dead_letters.as_str();
    let mut by_queue: IndexMap<&str, Vec<usize>> = IndexMap::new();
    for (i, (_, queue)) in batch.iter().enumerate() {
        by_queue.entry(queue).or_default().push(i);
    }
    let mut moved = vec![false; batch.len()];
    for (queue, members) in by_queue {
        let pairs: Vec<(&[u8], &[u8])> = members
            .iter()
            .map(|&i| (batch[i].0.raw.as_slice(), batch[i].0.item.as_slice()))
            .collect();
        let entry = by.entry(queue);
        let audit = &by.config.audit;
        let flags = store.retry_dead(list, queue, audit, &entry, &pairs).map_err(|e| {
            if tally.retried == 0 {
                return e;
            }
            // Each script call is all or nothing against a refusal such as OOM.
            e.context(format!(
                "retried {} dead letter{} before Redis refused the next ones; the rest are still in {list} (the same command again goes on with them)",
                tally.retried,
                plural(tally.retried)
            ))
        })?;
        for (&i, ok) in members.iter().zip(flags) {
            moved[i] = ok;
            if ok {
                tally.add(queue);
            } else {
                tally.gone += 1;
            }
        }
    }
    Ok(moved)
}
