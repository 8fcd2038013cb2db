use anyhow::Result;
use serde_json::{Map, Value};

use super::letter::{Letter, Record};
use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

/// Show one dead letter in full, as pretty JSON
///
/// The record `dead ls` lists ({"queue","pos","stage","source_queue","error","attempts",
/// "failed_at","item","bare"}), "retry_to": the queue `pipectl dead retry` would send it to,
/// and "extra": every other field the envelope holds, as written. A bare item (pushed by
/// hand) shows with "bare": true. Position 1 is the newest, as `dead ls` shows.
///
/// Examples:
///   pipectl dead show 1
///   pipectl dead show 3 --json | jq .item
///
/// Exit codes: 0 shown, 1 no dead letter at that position, 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Position (1 = newest)
    #[arg(value_parser = super::position, value_name = "POS")]
    pub pos: usize,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    let result = execute(&mut ctx.store()?, &config, args.pos)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}

/// `pipectl dead show`: one dead letter in full.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Shown {
    #[serde(flatten)]
    pub letter: Record,
    /// Where `pipectl dead retry` would send it; null when nowhere (it names no stage or
    /// queue and the config has no stage input: retry it with --to QUEUE).
    pub retry_to: Option<String>,
    /// The envelope's other fields, as written: fields pipectl does not know (the envelope
    /// version `v` among them), and known ones whose value is not of their type.
    pub extra: Map<String, Value>,
}

/// The dead letter at `pos` (1 = the newest).
pub fn execute(store: &mut Store, config: &Config, pos: usize) -> Result<Shown> {
    let list = &config.dead_letters;
    let entry = store
        .entries_at(list, &[pos.saturating_sub(1)])?
        .pop()
        .flatten();
    let Some(raw) = entry else {
        let len = store.lens(std::slice::from_ref(list))?[0];
        return Err(Fail::new(
            Exit::Failure,
            format!("no dead letter at position {pos} ({list} holds {len})"),
        )
        .hint("positions count from 1 = the newest; list them with `pipectl dead ls`")
        .into());
    };
    let letter = Letter::parse(raw);
    let fallback = super::retry::default_queue(config, None);
    Ok(Shown {
        letter: Record::new(list, pos, &letter),
        retry_to: letter.destination(config, fallback).map(str::to_owned),
        extra: letter.extra(),
    })
}

/// Pretty JSON: every field in full, for a person to read.
impl Report for Shown {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(serde_json::to_string_pretty(self)?)
    }
}
