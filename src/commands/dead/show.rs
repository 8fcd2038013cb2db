use anyhow::Result;

use super::letter::Letter;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;

/// Show one dead letter in full, as pretty JSON
///
/// Everything the envelope holds (fields pipectl does not know included), its position, and
/// "retry_to": the queue `pipectl dead retry` would send it to. A bare item (pushed by
/// hand) shows as {"bare": true, "item": …}. Position 1 is the newest, as `dead ls` shows.
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
    let list = &config.dead_letters;
    let mut store = ctx.store()?;
    let entry = store.entries_at(list, &[args.pos - 1])?.pop().flatten();
    let Some(raw) = entry else {
        let len = store.lens(std::slice::from_ref(list))?[0];
        return Err(Fail::new(
            Exit::Failure,
            format!(
                "no dead letter at position {} ({list} holds {len})",
                args.pos
            ),
        )
        .hint("positions count from 1 = the newest; list them with `pipectl dead ls`")
        .into());
    };
    let letter = Letter::parse(raw);
    let fallback = super::retry::default_queue(&config, None);
    let detail = letter.detail(args.pos, list, letter.destination(&config, fallback));
    if ctx.out.json {
        ctx.out.json(&detail)?;
    } else {
        ctx.out.line(serde_json::to_string_pretty(&detail)?)?;
    }
    Ok(Exit::Ok)
}
