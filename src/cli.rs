//! The command line: the global options (`crate::global`), then one subcommand
//! (`commands::Command`, beside its dispatch).

use clap::Parser;

use crate::commands::Command;
use crate::global::GlobalArgs;

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
