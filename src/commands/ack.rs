use anyhow::Result;
use indexmap::IndexMap;

use crate::config::Config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::handler::cost::Cost;
use crate::keys;
use crate::output::{Output, Report};
use crate::store::Store;

/// Finish leased items: they leave the queue for good
///
/// Prints "acked TOKEN" per lease finished; an unknown lease is a warning on stderr.
/// With --json: {"acked":…,"unknown":…,"leases":[{"token","queue","acked"},…]}, in the
/// order given.
///
/// Examples:
///   pipectl ack 'prospect:queue#6f1c2a9b04d8e371.000001'
///   pipectl ack "$TOKEN" --cost '{"usd": 0.02, "sms": 1}'
///
/// A lease of a guarded stage's input (breaker, budget) is that stage's success, as in
/// `pipectl run`: acking the breaker's probe closes the breaker. --cost says what each item
/// cost (as a handler's control does): counted for the stage in the same step.
///
/// Exit codes: 0 all acked, 1 a lease was unknown (it expired and went back to the queue, or
/// was acked already), 2 a malformed token, 65 a key holds another type, 69 Redis unavailable,
/// 77 not permitted, 78 keys that cannot share a hash slot in a cluster, or a bad
/// configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Lease tokens printed by `pipectl pop --lease`
    #[arg(required = true)]
    pub tokens: Vec<String>,

    /// What each item cost, as a handler's control reports it (e.g. '{"usd": 0.02}'): added
    /// to its stage's daily cost counters and budget in the same step
    #[arg(long, value_name = "JSON")]
    pub cost: Option<String>,
}

/// `pipectl ack`: what became of each token, in the order given.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Acked {
    /// How many leases were finished.
    pub acked: u64,
    /// How many tokens named no lease (expired and back in the queue, or finished already).
    pub unknown: u64,
    pub leases: Vec<AckedLease>,
}

/// One token given.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AckedLease {
    /// The lease token, as given.
    pub token: String,
    /// The queue the lease was taken from.
    pub queue: String,
    /// Whether the lease was finished now (false: it was unknown).
    pub acked: bool,
}

impl Report for Acked {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        for lease in self.leases.iter().filter(|l| l.acked) {
            out.line(format_args!("acked {}", lease.token))?;
        }
        Ok(())
    }
}

/// Finishes the leases the tokens name, one atomic step per queue: for a guarded stage's
/// input, each the stage's success in that step (a breaker's probe closes it), as in `run`.
pub fn execute(
    store: &mut Store,
    config: &Config,
    tokens: &[String],
    cost: &Cost,
) -> Result<Acked> {
    let by_queue = group_tokens(tokens)?;
    if !cost.is_empty() {
        for queue in by_queue.keys() {
            costed_stage(config, queue)?;
        }
    }
    let mut leases: Vec<(usize, AckedLease)> = Vec::with_capacity(tokens.len());
    for (queue, ids) in &by_queue {
        let ids_only: Vec<&str> = ids.iter().map(|(_, id)| *id).collect();
        let guard = config
            .stage_for_input(queue)
            .and_then(|stage| crate::guards::settle_guard(config, stage, cost, None));
        let done = match &guard {
            Some(guard) => store.ack_guarded(queue, &ids_only, guard)?,
            None => store.ack(queue, &ids_only)?,
        };
        for ((at, _), acked) in ids.iter().zip(done) {
            leases.push((
                *at,
                AckedLease {
                    token: tokens[*at].clone(),
                    queue: (*queue).to_owned(),
                    acked,
                },
            ));
        }
    }
    leases.sort_by_key(|(at, _)| *at);
    let leases: Vec<AckedLease> = leases.into_iter().map(|(_, l)| l).collect();
    let acked = leases.iter().filter(|l| l.acked).count() as u64;
    Ok(Acked {
        acked,
        unknown: leases.len() as u64 - acked,
        leases,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    // A malformed token is a usage error before the config or Redis are looked at.
    group_tokens(&args.tokens)?;
    let cost = parse_cost(args.cost.as_deref())?;
    let config = ctx.config()?.clone();
    let result = execute(&mut ctx.store()?, &config, &args.tokens, &cost)?;
    for lease in result.leases.iter().filter(|l| !l.acked) {
        ctx.out.warn(format_args!(
            "lease {} not found: it expired and went back to {}, or was acked already",
            lease.token, lease.queue
        ));
    }
    ctx.out.print(&result)?;
    Ok(if result.unknown > 0 {
        Exit::Failure
    } else {
        Exit::Ok
    })
}

/// Parses tokens and groups their lease ids by queue (with each token's place in the list),
/// keeping the order given.
fn group_tokens(tokens: &[String]) -> Result<IndexMap<&str, Vec<(usize, &str)>>> {
    let mut by_queue: IndexMap<&str, Vec<(usize, &str)>> = IndexMap::new();
    for (at, token) in tokens.iter().enumerate() {
        let (queue, id) = keys::parse_lease_token(token).ok_or_else(|| {
            Fail::usage(format!("'{token}' is not a lease token"))
                .hint("tokens look like prospect:queue#6f1c2a9b04d8e371.000001, as printed by `pipectl pop --lease`")
        })?;
        by_queue.entry(queue).or_default().push((at, id));
    }
    Ok(by_queue)
}

/// `--cost` of `ack` and `nack`, checked before anything is looked up (exit 2).
pub(crate) fn parse_cost(text: Option<&str>) -> Result<Cost> {
    match text {
        Some(text) => Ok(crate::handler::cost::from_arg(text).map_err(Fail::usage)?),
        None => Ok(Cost::default()),
    }
}

/// A cost is counted for a stage: refused for a queue no stage reads, so nothing is dropped
/// silently.
pub(crate) fn costed_stage<'a>(
    config: &'a Config,
    queue: &str,
) -> Result<&'a crate::config::Stage> {
    config.stage_for_input(queue).ok_or_else(|| {
        Fail::usage(format!(
            "--cost: {queue} is no stage's input, so there is no stage to count the cost for; nothing was changed"
        ))
        .hint("costs are counted per stage (pipectl.toml [stages.*] input)")
        .into()
    })
}
