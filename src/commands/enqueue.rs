use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::ProgressBar;

use crate::batch::{self, DedupInto};
use crate::context::Ctx;
use crate::due::Due;
use crate::error::Fail;
use crate::exit::Exit;
use crate::input::{self, Invalid, Item, Origin, Rules};
use crate::keys;
use crate::output::{Output, Report};
use crate::store::Store;

/// Add items to a queue (LPUSH: consumers take them in FIFO order)
///
/// Items come from the arguments, else from --file, else NDJSON on stdin (one item per
/// line, blank lines skipped). The whole batch is validated before anything is written.
/// With --json: {"queue","enqueued","duplicates","invalid","dedup_by","delayed",
/// "delayed_set","due","due_ms","already_due"}.
///
/// --in DURATION (counted by the Redis server's clock) or --at TIME delays the items: they
/// wait in the queue's delayed set <queue>:delayed, as retries do, and once due the next
/// claim moves them to the consumer end of the queue, the next to be taken (`ls --delayed`
/// lists them). With --dedup-by they are marked seen at once, in the same step.
///
/// Examples:
///   pipectl enqueue prospect:queue '{"name":"Acme Auto","url":"acmeauto.com"}'
///   pipectl enqueue prospect:queue --dedup-by url < prospects.ndjson
///   pipectl enqueue prospect:queue --in 1h30m '{"url":"acmeauto.com"}'
///   pipectl enqueue prospect:queue --at 2026-12-02T09:00:00Z --dedup-by url < later.ndjson
///
/// A batch cut short by Redis (e.g. out of memory) says how many items were written, which
/// input lines remain, and the command that resumes it: --skip-lines N skips the first N
/// lines (or arguments), counted as in the error messages, blank lines included.
///
/// Exit codes: 0 enqueued (duplicates are not errors), 65 invalid items (nothing written) or a
/// key holds another type, 1 Redis refused a write (e.g. OOM, maxmemory reached: what was
/// written is reported), 2 bad arguments (a bad --in or --at too), 69 Redis unavailable or
/// the connection lost, 77 permission refused, 78 bad configuration (in a cluster, a queue
/// whose delayed set is in another slot).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Queue key (a Redis list), e.g. prospect:queue
    pub queue: String,

    /// Items to enqueue; when none are given, NDJSON is read from --file or stdin
    pub items: Vec<String>,

    /// Read NDJSON items from this file
    #[arg(long, short, conflicts_with = "items")]
    pub file: Option<PathBuf>,

    /// Skip items whose JSON field (dotted path, e.g. url or site.url) was seen before;
    /// marks it seen in the same atomic step as the push
    #[arg(long, value_name = "FIELD")]
    pub dedup_by: Option<String>,

    /// The dedup set [default: the pipeline's, e.g. prospect:seen]
    #[arg(long, value_name = "KEY", requires = "dedup_by")]
    pub seen_set: Option<String>,

    /// Enqueue the valid items and report the invalid ones on stderr, instead of refusing all
    #[arg(long)]
    pub skip_invalid: bool,

    /// Refuse items larger than this many bytes [default: the config's max_item_bytes, 1 MiB]
    #[arg(long, value_name = "BYTES")]
    pub max_item_bytes: Option<usize>,

    /// Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a
    /// batch cut short; also ranges: 1-2000,4001-6000
    #[arg(long, value_name = "N", value_parser = SkipLines::parse)]
    pub skip_lines: Option<SkipLines>,

    /// Delay the items: into <queue>:delayed, due after DURATION (500ms, 30s, 5m, 1h30m, 7d)
    /// by the Redis server's clock
    #[arg(long = "in", value_name = "DURATION", value_parser = crate::duration::parse, conflicts_with = "at")]
    pub delay: Option<std::time::Duration>,

    /// Delay the items until TIME: RFC 3339 (2026-12-02T09:00:00Z, or with an offset) or a
    /// local YYYY-MM-DD HH:MM; a time already past is due at once
    #[arg(long, value_name = "TIME", value_parser = crate::due::parse_at)]
    pub at: Option<i64>,
}

/// `--skip-lines`: input numbers to leave out, as inclusive ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkipLines(Vec<(usize, usize)>);

impl SkipLines {
    /// `N` (lines 1 to N), or ranges `A-B` separated by commas.
    pub fn parse(text: &str) -> Result<SkipLines, String> {
        let bad = || format!("'{text}' is not N or a list of ranges A-B,C-D (line numbers from 1)");
        if let Ok(n) = text.trim().parse::<usize>() {
            return Ok(SkipLines(if n == 0 { Vec::new() } else { vec![(1, n)] }));
        }
        let mut ranges = Vec::new();
        for part in text.split(',') {
            let (a, b) = part.trim().split_once('-').ok_or_else(bad)?;
            let (a, b): (usize, usize) = (
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            );
            if a == 0 || b < a {
                return Err(bad());
            }
            ranges.push((a, b));
        }
        Ok(SkipLines(ranges))
    }

    pub fn skips(&self, number: usize) -> bool {
        self.0.iter().any(|&(a, b)| (a..=b).contains(&number))
    }
}

/// The command line that was run, with `--skip-lines <spec>` in place of any given: the
/// exact command that resumes a batch cut short. Quoted for a POSIX shell.
pub(crate) fn resume_command(spec: &str) -> String {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--" {
            break;
        }
        if args[i] == "--skip-lines" {
            args.drain(i..(i + 2).min(args.len()));
        } else if args[i].starts_with("--skip-lines=") {
            args.remove(i);
        } else {
            i += 1;
        }
    }
    let at = args.iter().position(|a| a == "--").unwrap_or(args.len());
    args.splice(at..at, ["--skip-lines".to_owned(), spec.to_owned()]);
    let mut line = String::from("pipectl");
    for arg in &args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    line
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=@%+,".contains(&b));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// The hint for a batch cut short: the exact command that resumes it without duplicates.
/// `from_stdin`: the items came on stdin, which must be given again.
pub(crate) fn resume_hint(cut: &batch::Cut, from_stdin: bool) -> String {
    let stdin = if from_stdin {
        ", with the same input on stdin"
    } else {
        ""
    };
    match cut.skip_lines() {
        Some(spec) => {
            let mut hint = format!(
                "resume without duplicates: {}{stdin}",
                resume_command(&spec)
            );
            if cut.dedup.is_some() {
                hint.push_str(" (rerunning the same command is safe too: --dedup-by skips what went in, but counts it again as duplicates)");
            }
            hint
        }
        None if cut.dedup.is_some() => {
            format!("run the same command again{stdin}: --dedup-by skips what went in")
        }
        None => format!(
            "{}: find the last written item's {} number K and resume with {}{stdin}",
            cut.last_written(),
            cut.unit,
            resume_command("K")
        ),
    }
}

/// `pipectl enqueue`: what went into the queue.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Enqueued {
    pub queue: String,
    /// Items pushed.
    pub enqueued: u64,
    /// Items skipped because their dedup value was seen before (0 without --dedup-by).
    pub duplicates: u64,
    /// Invalid items left out (--skip-invalid; without it an invalid item stops the batch).
    pub invalid: u64,
    /// The dedup field (--dedup-by), or null.
    pub dedup_by: Option<String>,
    /// Whether the items were delayed (--in, --at): they wait in `delayed_set`, not in the
    /// queue, until `due`.
    pub delayed: bool,
    /// The queue's delayed set (`<queue>:delayed`) when delayed, else null.
    pub delayed_set: Option<String>,
    /// When the delayed items become due (RFC 3339, UTC); null when not delayed, or with
    /// --in when nothing was sent. With --in, the first chunk's: the chunks of a long batch
    /// are each due the delay after Redis wrote them.
    pub due: Option<String>,
    /// `due` in ms since the epoch.
    pub due_ms: Option<i64>,
    /// The due time had passed when Redis wrote them (its clock): they are due at once.
    pub already_due: bool,
}

impl Report for Enqueued {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        let added = self.enqueued;
        let mut line = format!("enqueued {added} item{} to {}", plural(added), self.queue);
        if let Some(set) = &self.delayed_set {
            line.push_str(&format!(" (delayed in {set}"));
            if let Some(due) = &self.due {
                line.push_str(&format!(" until {due}"));
            }
            line.push(')');
        }
        if self.dedup_by.is_some() {
            let dups = self.duplicates;
            line.push_str(&format!(", {dups} duplicate{} skipped", plural(dups)));
        }
        if self.invalid > 0 {
            line.push_str(&format!(", {} invalid skipped", self.invalid));
        }
        out.line(line)
    }
}

/// A validated batch and where it goes.
pub struct Batch<'a, 'i> {
    pub queue: &'a str,
    pub items: &'a [Item<'i>],
    pub dedup_by: Option<&'a str>,
    pub dedup: Option<DedupInto<'a>>,
    /// Invalid items already left out, for the report.
    pub invalid: u64,
    /// The items came on stdin (a resume hint must say to send them again).
    pub from_stdin: bool,
}

/// Pushes the batch (atomic chunks, dedup marked in the same step); a batch cut short is an
/// error that says what was written and the command that resumes it.
pub fn execute(store: &mut Store, batch: &Batch<'_, '_>, bar: &ProgressBar) -> Result<Enqueued> {
    execute_delayed(store, batch, None, bar)
}

/// `execute`, with `due`: into the queue's delayed set, due then (`enqueue --in/--at`).
pub fn execute_delayed(
    store: &mut Store,
    batch: &Batch<'_, '_>,
    due: Option<Due>,
    bar: &ProgressBar,
) -> Result<Enqueued> {
    let from_stdin = batch.from_stdin;
    let pushed = batch::push_into(
        store,
        batch.queue,
        batch.items,
        batch.dedup.as_ref(),
        due,
        bar,
        &|cut| resume_hint(cut, from_stdin),
        &|cut| cut.skip_lines().map(|spec| resume_command(&spec)),
    )?;
    // The due time and whether it had passed, by the server's clock when Redis answered;
    // for --at with nothing sent, by this machine's.
    let (due_ms, already_due) = match (pushed.due, due) {
        (Some((due, now)), _) => (Some(due), due <= now),
        (None, Some(Due::At(at))) => (Some(at), at <= jiff::Timestamp::now().as_millisecond()),
        _ => (None, false),
    };
    Ok(Enqueued {
        queue: batch.queue.to_owned(),
        enqueued: pushed.added,
        duplicates: pushed.duplicates,
        invalid: batch.invalid,
        dedup_by: batch.dedup_by.map(str::to_owned),
        delayed: due.is_some(),
        delayed_set: due.map(|_| keys::QueueKeys::new(batch.queue).delayed),
        due: due_ms.and_then(crate::due::rfc3339),
        due_ms,
        already_due,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let g = &ctx.global;
    let config =
        match crate::config::builtin_basics(g.config.as_deref(), g.pipeline.as_deref(), g.cluster)?
        {
            Some(builtin) => builtin,
            None => crate::config::Basics::of(ctx.config()?),
        };
    let (pipeline, retention) = (config.name.clone(), config.stats_retention);
    let seen_set = args.seen_set.clone().unwrap_or(config.seen_set);
    let rules = Rules {
        max_bytes: args.max_item_bytes.unwrap_or(config.max_item_bytes),
        dedup_by: args.dedup_by.as_deref(),
    };

    let mut input_buf = Vec::new();
    let input = read_input(&args.items, args.file.as_ref(), &mut input_buf, "enqueue")?;
    let from_stdin = args.items.is_empty() && args.file.is_none();
    let skip = args.skip_lines.as_ref();
    let (items, invalid) = validate_batch(input, skip, &rules, args.skip_invalid, ctx, "enqueued")?;

    let mut store = ctx.store()?;
    let bar = ctx.out.progress(items.len() as u64, "enqueued");
    let batch = Batch {
        queue: &args.queue,
        items: &items,
        dedup_by: args.dedup_by.as_deref(),
        dedup: args.dedup_by.as_ref().map(|_| DedupInto {
            seen_set: &seen_set,
            pipeline: &pipeline,
            retention,
        }),
        invalid: invalid as u64,
        from_stdin,
    };
    let due = match (args.delay, args.at) {
        (Some(delay), _) => Some(Due::In(
            u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        )),
        (None, Some(at)) => Some(Due::At(at)),
        (None, None) => None,
    };
    let result = execute_delayed(&mut store, &batch, due, &bar);
    bar.finish_and_clear();
    let result = result?;
    if result.already_due && !ctx.out.json {
        ctx.out.note(format_args!(
            "note: {} has passed: the items are due at once (the next claim from {} moves them into the queue)",
            result.due.as_deref().unwrap_or("the due time"),
            result.queue
        ));
    }
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

/// What a batch is read from: its arguments, or NDJSON text (a file's or stdin's).
pub(crate) enum Input<'a> {
    Args(&'a [String]),
    Text(&'a [u8]),
}

/// The input of a batch: the arguments, else the contents of `file`, else NDJSON on stdin
/// (read into `buf`). `verb` names the command in messages ("enqueue", "stage").
pub(crate) fn read_input<'a>(
    args: &'a [String],
    file: Option<&PathBuf>,
    buf: &'a mut Vec<u8>,
    verb: &str,
) -> Result<Input<'a>> {
    if !args.is_empty() {
        return Ok(Input::Args(args));
    }
    match file {
        Some(path) => {
            *buf = std::fs::read(path)
                .map_err(|e| Fail::usage(format!("cannot read {}: {e}", path.display())))?;
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(Fail::usage(format!("no items to {verb}"))
                    .hint("pass items as arguments, use --file FILE, or pipe NDJSON on stdin")
                    .into());
            }
            stdin.lock().read_to_end(buf).context("cannot read stdin")?;
        }
    }
    Ok(Input::Text(buf))
}

/// Validates a whole batch before anything is written: a bad item makes it exit 65 naming
/// every bad one, unless `skip_invalid`, which warns about them and leaves them out.
/// Returns the valid items and how many were left out. `done` is the verb's past ("enqueued").
/// `skip` (`--skip-lines`) leaves lines out before they are checked.
pub(crate) fn validate_batch<'a>(
    input: Input<'a>,
    skip: Option<&SkipLines>,
    rules: &Rules<'_>,
    skip_invalid: bool,
    ctx: &mut Ctx,
    done: &str,
) -> Result<(Vec<Item<'a>>, usize)> {
    let skips = |n: usize| skip.is_some_and(|s| s.skips(n));
    let (items, invalid) = match input {
        Input::Args(args) => {
            let raw: Vec<(Origin, &[u8])> = args
                .iter()
                .enumerate()
                .map(|(i, s)| (Origin::Argument(i + 1), s.as_bytes()))
                .filter(|(origin, _)| !skips(origin.number()))
                .collect();
            input::validate_all(&raw, rules)
        }
        Input::Text(text) => input::validate_text(text, &skips, rules),
    };
    if !invalid.is_empty() {
        if !skip_invalid {
            return Err(invalid_batch(&invalid, done).into());
        }
        for bad in &invalid {
            ctx.out
                .warn(format_args!("skipped {}: {}", bad.origin, bad.reason));
        }
    }
    Ok((items, invalid.len()))
}

pub(crate) fn invalid_batch(invalid: &[Invalid], done: &str) -> Fail {
    const SHOWN: usize = 10;
    let mut msg = format!(
        "{} invalid item{}; nothing was {done}",
        invalid.len(),
        plural(invalid.len() as u64)
    );
    for bad in invalid.iter().take(SHOWN) {
        msg.push_str(&format!("\n  {}: {}", bad.origin, bad.reason));
    }
    if invalid.len() > SHOWN {
        msg.push_str(&format!("\n  … and {} more", invalid.len() - SHOWN));
    }
    let verb = done.strip_suffix("d").unwrap_or(done);
    Fail::data(msg).hint(format!(
        "fix those lines, or pass --skip-invalid to {verb} the valid ones"
    ))
}

pub fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
