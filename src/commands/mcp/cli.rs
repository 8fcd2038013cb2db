use anyhow::Result;

use super::Profile;
use crate::context::Ctx;
use crate::exit::Exit;

/// Serve the pipeline as tools for AI agents: an MCP server on stdin/stdout
///
/// Speaks the Model Context Protocol (JSON-RPC over stdio) to an MCP client (an agent, an
/// IDE, a desktop app) that starts it. The tools are the pipeline itself, namespaced
/// pipectl_…: read (status, staged, seen, audit, dead_list, find, stats, saturation), work
/// (enqueue, claim, complete, fail, defer, escalate, count), operate (pause, resume,
/// dead_retry). Each has an input schema, an output schema (the same types as --json), a
/// description for a model and read-only/destructive/idempotent annotations. --profile
/// chooses which exist at all: reader (read), worker (read + work, the default), operator
/// (worker + operate). Failures (bad input, a paused stage, nothing to claim, Redis
/// refused) come back as tool errors with the exit code's name, the message and the hint
/// the CLI prints. Redis is reached on the first tool call, so the server starts (and
/// keeps running) without it. Nothing but the protocol is written to stdout. Decide tools
/// (approve, reject) exist only for manual stages whose config says agent_may_decide = true.
/// Every call that changes something (enqueue, claim, complete, fail, defer, escalate,
/// approve, reject, pause, resume, dead_retry) writes an audit record naming --as, in the
/// same atomic step as the change. The same tools are served over Streamable HTTP at /mcp by
/// `pipectl serve` (--mcp-profile, --mcp-as). --list-tools prints the tools a session would
/// offer and exits (with --json: {"profile","stages","by","tools":[…]}).
///
/// Register it with an MCP client as a stdio server, e.g.
///   {"mcpServers": {"pipectl": {"command": "pipectl",
///     "args": ["--config", "/srv/prospect/pipectl.toml", "mcp", "--stages", "build"]}}}
///
/// Examples:
///   pipectl mcp
///   pipectl mcp --profile reader
///   pipectl mcp --stages build,enrich --as agent:builder
///   pipectl mcp --profile operator --list-tools
///
/// Exit codes: 0 the client closed the session (or --list-tools listed them), 1 the session
/// failed (not MCP on stdin),
/// 2 bad arguments, 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Which tools exist: reader (read only), worker (read and work), operator (and operate)
    #[arg(long, value_enum, default_value = "worker", value_name = "ROLE")]
    pub profile: Profile,

    /// Limit stage-taking tools to these stages (others are refused)
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub stages: Vec<String>,

    /// The agent's name: the `by` of every audit record its calls write
    #[arg(long = "as", default_value = "agent", value_name = "NAME")]
    pub by: String,

    /// Print the tools this session would offer (names, groups, annotations, schemas) and exit
    #[arg(long)]
    pub list_tools: bool,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let config = ctx.config()?.clone();
    let options = super::http::options(&config, args.profile, &args.stages, &args.by, "--stages")?;
    if args.list_tools {
        ctx.out
            .print(&super::tools::Listed::new(&config, &options))?;
        return Ok(Exit::Ok);
    }
    super::serve(config, ctx.connect_options(), options)
}
