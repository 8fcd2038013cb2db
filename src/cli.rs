//! The command line: global options and one subcommand per module in `commands/`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::output::ColorChoice;

const AFTER_HELP: &str = "Exit codes:
  0 ok · 1 failure · 2 usage · 3 nothing to do (queue empty) · 4 paused · 5 rate-limited
  65 bad input data · 69 Redis unavailable · 77 auth/permission · 78 bad configuration
Run `pipectl exit-codes` (or `pipectl help exit-codes`) for the full table.";

/// Coordinate unattended, multi-stage pipelines through Redis.
///
/// Queues are Redis lists (producers LPUSH, consumers take from the right), a set
/// deduplicates, and TTL'd keys hold daily counters and rate limits. Every key is plain
/// Redis: anything pipectl writes can be read with redis-cli, and the other way round.
#[derive(Parser, Debug)]
#[command(name = "pipectl", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes, shown under their own heading after the subcommand's own;
/// the rarely needed ones only in `--help`, not in `-h`.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Redis URL: redis://[user:password@]host:port[/db], rediss:// for TLS, unix:///path.
    /// The password may also come from REDISCLI_AUTH, as with redis-cli.
    #[arg(
        long,
        env = "REDIS_URL",
        default_value = "redis://127.0.0.1:6379",
        global = true,
        hide_env_values = true,
        value_name = "URL"
    )]
    pub url: String,

    /// rediss:// only: trust the server certificate signed by this CA (PEM) instead of the
    /// system's roots (REDISCLI_CACERT also works, as with redis-cli)
    #[arg(
        long,
        env = "PIPECTL_TLS_CA",
        global = true,
        value_name = "FILE",
        hide_env_values = true,
        hide_short_help = true
    )]
    pub tls_ca: Option<PathBuf>,

    /// rediss:// only: a client certificate (PEM) for servers that require one, with --tls-key
    #[arg(
        long,
        env = "PIPECTL_TLS_CERT",
        global = true,
        value_name = "FILE",
        requires = "tls_key",
        hide_env_values = true,
        hide_short_help = true
    )]
    pub tls_cert: Option<PathBuf>,

    /// rediss:// only: the client certificate's private key (PEM)
    #[arg(
        long,
        env = "PIPECTL_TLS_KEY",
        global = true,
        value_name = "FILE",
        requires = "tls_cert",
        hide_env_values = true,
        hide_short_help = true
    )]
    pub tls_key: Option<PathBuf>,

    /// Talk to a Redis Cluster: --url then names one or more seed nodes, comma-separated.
    /// PIPECTL_CLUSTER=1 (or true/yes/on) does the same
    #[arg(
        long,
        env = "PIPECTL_CLUSTER",
        global = true,
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new(),
        hide_env_values = true,
        hide_short_help = true
    )]
    pub cluster: bool,

    /// Config file [default: ./pipectl.toml, then $XDG_CONFIG_HOME/pipectl/pipectl.toml,
    /// else the built-in prospect pipeline]
    #[arg(
        long,
        env = "PIPECTL_CONFIG",
        global = true,
        value_name = "FILE",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,

    /// Pipeline name: the prefix of its default keys (<name>:seen, <name>:failed, ...)
    #[arg(long, global = true, value_name = "NAME", hide_short_help = true)]
    pub pipeline: Option<String>,

    /// Print one JSON document (or NDJSON for streams) instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// Print nothing but results and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Explain what pipectl is doing on stderr (-vv for more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// When to use colors (NO_COLOR is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN", hide_short_help = true)]
    pub color: ColorChoice,

    /// How long to wait for Redis to answer a connection attempt
    #[arg(long, default_value = "3s", value_parser = crate::duration::positive, global = true, value_name = "DURATION", hide_short_help = true)]
    pub connect_timeout: Duration,

    /// How long to wait for any one reply from Redis before giving up (exit 69)
    #[arg(long, default_value = "10s", value_parser = crate::duration::positive, global = true, value_name = "DURATION", hide_short_help = true)]
    pub timeout: Duration,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Enqueue(commands::enqueue::Args),
    Pop(commands::pop::Args),
    Ack(commands::ack::Args),
    Nack(commands::nack::Args),
    Peek(commands::peek::Args),
    Ls(commands::ls::Args),
    Len(commands::len::Args),
    Seen(commands::seen::Args),
    Count(commands::count::Args),
    Stats(commands::stats::Args),
    Recover(commands::recover::Args),
    Run(commands::run::Args),
    Pause(commands::pause::Args),
    Resume(commands::pause::ResumeArgs),
    Ratelimit(commands::ratelimit::Args),
    Dead(commands::dead::Args),
    Status(commands::status::Args),
    Saturation(commands::saturation::Args),
    Doctor(commands::doctor::Args),
    Stage(commands::review::stage::Args),
    Staged(commands::review::staged::Args),
    Approve(commands::review::approve::Args),
    Reject(commands::review::reject::Args),
    Review(commands::review::session::Args),
    Init(commands::init::Args),
    Config(commands::config::Args),
    ExitCodes(commands::exit_codes::Args),
    #[command(hide = true)]
    Generate(commands::generate::Args),
    #[command(hide = true)]
    CompleteStages(commands::complete_stages::Args),
}
