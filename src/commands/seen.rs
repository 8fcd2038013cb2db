use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::Store;

/// Ask whether values were seen before (SISMEMBER on the pipeline's dedup set)
///
/// Prints "<value><TAB>seen" or "<value><TAB>new" per value (nothing with -q).
/// With --json: {"key","seen","new","values":[{"value","seen"},…]}, in the order given.
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

/// `pipectl seen`: whether each value is in the dedup set.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Seen {
    /// The dedup set asked (a Redis set).
    pub key: String,
    /// How many of the values were seen before.
    pub seen: u64,
    /// How many are new.
    pub new: u64,
    pub values: Vec<SeenValue>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SeenValue {
    /// The dedup value, as given.
    pub value: String,
    /// Whether it is in the set.
    pub seen: bool,
}

impl Report for Seen {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        for v in &self.values {
            out.line(format_args!(
                "{}\t{}",
                v.value,
                if v.seen { "seen" } else { "new" }
            ))?;
        }
        Ok(())
    }
}

pub fn execute(store: &mut Store, set: &str, values: &[String]) -> Result<Seen> {
    let flags = store.seen(set, values)?;
    let values: Vec<SeenValue> = values
        .iter()
        .zip(flags)
        .map(|(value, seen)| SeenValue {
            value: value.clone(),
            seen,
        })
        .collect();
    let seen = values.iter().filter(|v| v.seen).count() as u64;
    Ok(Seen {
        key: set.to_owned(),
        seen,
        new: values.len() as u64 - seen,
        values,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let set = match args.seen_set {
        Some(set) => set,
        None => ctx.config()?.seen_set.clone(),
    };
    let result = execute(&mut ctx.store()?, &set, &args.values)?;
    ctx.out.print(&result)?;
    Ok(if result.new == 0 {
        Exit::Ok
    } else {
        Exit::Failure
    })
}
