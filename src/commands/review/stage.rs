use std::path::PathBuf;

use anyhow::Result;

use super::StageArg;
use crate::batch;
use crate::commands::enqueue::{
    SkipLines, plural, read_input, resume_command, resume_hint, validate_batch,
};
use crate::context::Ctx;
use crate::exit::Exit;
use crate::input::Rules;
use crate::output::{Output, Report};

/// Put items straight into the review stage's staging list (e.g. prospect:staged)
///
/// For scripts producing work that needs a look before it goes on: the items wait there for
/// `pipectl review`, `pipectl approve` or `pipectl reject`. Items come from the arguments,
/// else from --file, else NDJSON on stdin, and are validated as a batch as `pipectl enqueue`
/// does (nothing is staged if one is invalid, unless --skip-invalid).
/// With --json: {"stage","queue","staged","invalid"}.
///
/// Examples:
///   pipectl stage '{"name":"Acme Auto","url":"acmeauto.com","preview_url":"https://…"}'
///   ./build-previews.sh | pipectl stage
///
/// Exit codes: 0 staged, 65 invalid items (nothing written) or a key holds another type, 1
/// Redis refused a write (e.g. OOM: what was written is reported, with the command that
/// resumes), 2 bad arguments, 69 Redis unavailable, 77 not permitted, 78 no manual stage in the
/// config or bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Items to stage; when none are given, NDJSON is read from --file or stdin
    pub items: Vec<String>,

    /// Read NDJSON items from this file
    #[arg(long, short, conflicts_with = "items")]
    pub file: Option<PathBuf>,

    /// Stage the valid items and report the invalid ones on stderr, instead of refusing all
    #[arg(long)]
    pub skip_invalid: bool,

    /// Refuse items larger than this many bytes [default: the config's max_item_bytes, 1 MiB]
    #[arg(long, value_name = "BYTES")]
    pub max_item_bytes: Option<usize>,

    /// Skip the first N input lines (or arguments) — blank lines count — e.g. to resume a
    /// batch cut short; also ranges: 1-2000,4001-6000
    #[arg(long, value_name = "N", value_parser = SkipLines::parse)]
    pub skip_lines: Option<SkipLines>,

    #[command(flatten)]
    pub stage: StageArg,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let manual = super::manual_stage(ctx, &args.stage)?;
    let max_bytes = args.max_item_bytes.unwrap_or(ctx.config()?.max_item_bytes);
    let rules = Rules {
        max_bytes,
        dedup_by: None,
    };
    let mut input_buf = Vec::new();
    let input = read_input(&args.items, args.file.as_ref(), &mut input_buf, "stage")?;
    let from_stdin = args.items.is_empty() && args.file.is_none();
    let skip = args.skip_lines.as_ref();
    let (items, invalid) = validate_batch(input, skip, &rules, args.skip_invalid, ctx, "staged")?;
    let mut store = ctx.store()?;
    let bar = ctx.out.progress(items.len() as u64, "staged");
    let pushed = batch::push_resumable(
        &mut store,
        &manual.staged,
        &items,
        None,
        &bar,
        &|cut| resume_hint(cut, from_stdin),
        &|cut| cut.skip_lines().map(|spec| resume_command(&spec)),
    );
    bar.finish_and_clear();
    let (staged, _) = pushed?;
    // Their waiting time starts now (a crash before this line leaves items whose arrival
    // `pipectl run` of the stage records when it first sees them).
    let bytes: Vec<&[u8]> = items.iter().map(|i| i.bytes).collect();
    store.mark_arrived(&manual.keys, &bytes)?;

    let result = Pushed {
        stage: manual.stage,
        queue: manual.staged,
        staged,
        invalid: invalid as u64,
    };
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

/// `pipectl stage`: the items put up for review.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Pushed {
    /// The manual stage they wait for.
    pub stage: String,
    /// The staging list they were pushed onto (the stage's input).
    pub queue: String,
    /// Items staged.
    pub staged: u64,
    /// Invalid items left out (`--skip-invalid`, each reported on stderr); 0 otherwise.
    pub invalid: u64,
}

impl Report for Pushed {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        let mut line = format!(
            "staged {} item{} to {} for review",
            self.staged,
            plural(self.staged),
            self.queue
        );
        if self.invalid > 0 {
            line.push_str(&format!(", {} invalid skipped", self.invalid));
        }
        out.line(line)
    }
}
