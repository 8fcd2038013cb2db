use anyhow::Result;
use serde_json::json;

use crate::context::Ctx;
use crate::exit::Exit;

/// Ask whether values were seen before (SISMEMBER on the pipeline's dedup set)
///
/// Prints "<value><TAB>seen" or "<value><TAB>new" per value (nothing with -q).
///
/// Example:
///   if pipectl -q seen acmeauto.com; then echo "already in the pipeline"; fi
///
/// Exit codes: 0 every value was seen, 1 at least one is new, 65 a key holds another type, 69
/// Redis unavailable, 77 not permitted, 78 bad configuration, 2 a bad --url.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Dedup values, e.g. acmeauto.com
    #[arg(required = true)]
    pub values: Vec<String>,

    /// The dedup set [default: the pipeline's, e.g. prospect:seen]
    #[arg(long, value_name = "KEY")]
    pub seen_set: Option<String>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let set = match args.seen_set {
        Some(set) => set,
        None => ctx.config()?.seen_set.clone(),
    };
    let flags = ctx.store()?.seen(&set, &args.values)?;
    if ctx.out.json {
        let values: Vec<_> = args
            .values
            .iter()
            .zip(&flags)
            .map(|(v, s)| json!({"value": v, "seen": s}))
            .collect();
        ctx.out.json(&json!({"seen_set": set, "values": values}))?;
    } else if !ctx.out.quiet {
        for (value, seen) in args.values.iter().zip(&flags) {
            ctx.out.line(format_args!(
                "{value}\t{}",
                if *seen { "seen" } else { "new" }
            ))?;
        }
    }
    Ok(if flags.iter().all(|&s| s) {
        Exit::Ok
    } else {
        Exit::Failure
    })
}
