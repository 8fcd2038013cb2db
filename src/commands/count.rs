use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;

/// Add to today's counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention
///
/// The counter pattern: seven days of rolling stats (stats_retention), zero maintenance.
/// Prints the counter's new value.
///
/// Example:
///   pipectl count prospects          # stats:prospects:2026-03-19 += 1, EXPIRE 604800
///
/// Exit codes: 0 counted, 1 the output could not be written, 65 the counter is not an integer
/// or would overflow 64 bits, 69 Redis unavailable, 77 not permitted, 78 bad configuration, 2 a
/// bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Counter name, e.g. prospects
    pub name: String,

    /// Add this much (may be negative)
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub by: i64,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let retention = ctx.config()?.stats_retention;
    let day = super::today().to_string();
    let key = keys::counter(&args.name, &day);
    let value = ctx
        .store()?
        .incr_counters(&[(key.clone(), args.by)], retention)?[0];
    if ctx.out.json {
        ctx.out.json(
            &json!({"name": args.name, "key": key, "value": value, "ttl": retention.as_secs()}),
        )?;
    } else {
        ctx.out.line(value)?;
    }
    Ok(Exit::Ok)
}
