use std::time::Duration;

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::keys;
use crate::output::{Output, Report};
use crate::store::Store;

/// Add to today's counter: INCRBY stats:<NAME>:<YYYY-MM-DD>, expiring after the retention
///
/// The counter pattern: seven days of rolling stats (stats_retention), zero maintenance.
/// Prints the counter's new value; with --json: {"name","key","count","by","ttl_ms"}, the
/// count exact to 64 bits.
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
    #[arg(
        long,
        default_value_t = 1,
        allow_negative_numbers = true,
        value_name = "N"
    )]
    pub by: i64,
}

/// `pipectl count`: today's counter after the addition.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Counted {
    /// The counter's name, as given.
    pub name: String,
    /// Today's counter key, `stats:<name>:<YYYY-MM-DD>`.
    pub key: String,
    /// The counter's new value, exactly as Redis holds it (a 64-bit integer: past 2^53,
    /// read it with a parser that keeps big integers).
    pub count: i64,
    /// What was added.
    pub by: i64,
    /// How long the counter is kept from now (the pipeline's stats_retention).
    pub ttl_ms: u64,
}

impl Report for Counted {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(self.count)
    }
}

pub fn execute(store: &mut Store, name: &str, by: i64, retention: Duration) -> Result<Counted> {
    let key = keys::counter(name, &crate::date::today().to_string());
    let values = store.incr_counters(&[(key.clone(), by)], retention)?;
    let count = values
        .first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("Redis answered INCRBY of {key} with no value"))?;
    Ok(Counted {
        name: name.to_owned(),
        key,
        count,
        by,
        // The store sets whole seconds, at least one.
        ttl_ms: retention.as_secs().max(1) * 1000,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let retention = ctx.config()?.stats_retention;
    let result = execute(&mut ctx.store()?, &args.name, args.by, retention)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}
