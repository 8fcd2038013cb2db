use anyhow::Result;
use indexmap::IndexMap;
use serde_json::json;

use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::keys;

/// Finish leased items: they leave the queue for good
///
/// Example:
///   pipectl ack 'prospect:queue#6f1c2a9b04d8e371.000001'
///
/// Exit codes: 0 all acked, 1 a lease was unknown (it expired and went back to the queue, or
/// was acked already), 2 a malformed token, 65 a key holds another type, 69 Redis unavailable,
/// 77 not permitted, 78 keys that cannot share a hash slot in a cluster.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Lease tokens printed by `pipectl pop --lease`
    #[arg(required = true)]
    pub tokens: Vec<String>,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let by_queue = group_tokens(&args.tokens)?;
    let mut store = ctx.store()?;
    let mut results = Vec::new();
    for (queue, ids) in &by_queue {
        let done = store.ack(queue, &ids.iter().map(|(_, id)| *id).collect::<Vec<_>>())?;
        for ((token, _), ok) in ids.iter().zip(done) {
            results.push((*token, ok));
        }
    }
    let unknown = results.iter().filter(|(_, ok)| !ok).count();
    if ctx.out.json {
        let acked: Vec<_> = results
            .iter()
            .filter(|(_, ok)| *ok)
            .map(|(t, _)| *t)
            .collect();
        let missing: Vec<_> = results
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(t, _)| *t)
            .collect();
        ctx.out.json(&json!({"acked": acked, "unknown": missing}))?;
    } else {
        for (token, ok) in &results {
            if *ok {
                if !ctx.out.quiet {
                    ctx.out.line(format_args!("acked {token}"))?;
                }
            } else {
                ctx.out.warn(format_args!(
                    "lease {token} not found: it expired and went back to its queue, or was acked already"
                ));
            }
        }
    }
    Ok(if unknown > 0 { Exit::Failure } else { Exit::Ok })
}

/// Parses tokens and groups their lease ids by queue, keeping the order given.
pub fn group_tokens(tokens: &[String]) -> Result<IndexMap<&str, Vec<(&str, &str)>>> {
    let mut by_queue: IndexMap<&str, Vec<(&str, &str)>> = IndexMap::new();
    for token in tokens {
        let (queue, id) = keys::parse_lease_token(token).ok_or_else(|| {
            Fail::usage(format!("'{token}' is not a lease token"))
                .hint("tokens look like prospect:queue#6f1c2a9b04d8e371.000001, as printed by `pipectl pop --lease`")
        })?;
        by_queue
            .entry(queue)
            .or_default()
            .push((token.as_str(), id));
    }
    Ok(by_queue)
}
