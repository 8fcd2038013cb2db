//! The options every subcommand takes (`--url`, `--json`, …): what `Ctx` is built from.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::output::ColorChoice;

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

    /// Redis Sentinel: find the master through these sentinels (HOST[:PORT], comma-separated
    /// or repeated; port 26379 by default), with --sentinel-master. --url then says only how to
    /// talk to the master: rediss:// for TLS (to the sentinels too), its user:password@ and /db
    #[arg(
        long,
        env = "PIPECTL_SENTINEL",
        global = true,
        value_name = "HOST:PORT",
        value_delimiter = ',',
        requires = "sentinel_master",
        hide_env_values = true,
        hide_short_help = true
    )]
    pub sentinel: Vec<String>,

    /// Redis Sentinel: the name of the master the sentinels monitor (with --sentinel)
    #[arg(
        long,
        env = "PIPECTL_SENTINEL_MASTER",
        global = true,
        value_name = "NAME",
        requires = "sentinel",
        hide_env_values = true,
        hide_short_help = true
    )]
    pub sentinel_master: Option<String>,

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

    /// Redis Cluster: how long one step keeps trying through a failover before exit 69; set
    /// it above cluster-node-timeout plus a few seconds [default: --timeout]
    #[arg(long, value_parser = crate::duration::positive, global = true, value_name = "DURATION", hide_short_help = true, env = "PIPECTL_FAILOVER_TIMEOUT", hide_env_values = true)]
    pub failover_timeout: Option<Duration>,
}

/// The connection options, taken and ignored by the commands that never connect to Redis
/// (`exit-codes`, `init`, `config path`), so their help does not list them: a subcommand
/// that has an argument of its own under a global one's id is not given the global one.
/// (`--cluster` stays: `init --cluster` writes a config for a cluster.)
#[derive(Args, Debug, Clone, Default)]
pub struct Offline {
    // Each with the type and parser of the global option of the same id: clap merges the
    // values of both under that id.
    #[arg(long, hide = true)]
    url: Option<String>,
    #[arg(long, hide = true, value_name = "FILE")]
    tls_ca: Option<PathBuf>,
    #[arg(long, hide = true, value_name = "FILE")]
    tls_cert: Option<PathBuf>,
    #[arg(long, hide = true, value_name = "FILE")]
    tls_key: Option<PathBuf>,
    #[arg(long, hide = true, value_name = "HOST:PORT", value_delimiter = ',')]
    sentinel: Vec<String>,
    #[arg(long, hide = true, value_name = "NAME")]
    sentinel_master: Option<String>,
    #[arg(long, hide = true, value_parser = crate::duration::positive, value_name = "DURATION")]
    connect_timeout: Option<Duration>,
    #[arg(long, hide = true, value_parser = crate::duration::positive, value_name = "DURATION")]
    timeout: Option<Duration>,
    #[arg(long, hide = true, value_parser = crate::duration::positive, value_name = "DURATION", env = "PIPECTL_FAILOVER_TIMEOUT")]
    failover_timeout: Option<Duration>,
}
