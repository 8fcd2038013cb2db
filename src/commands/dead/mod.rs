//! `pipectl dead`: the pipeline's dead-letter list (ls, show, retry, purge).

pub mod export;
pub mod letter;
pub mod ls;
pub mod purge;
pub mod retry;
mod show;
pub mod trim;

pub use letter::{Filter, Letter, Record, Select};
pub use ls::scan;
pub use purge::Purged;
pub use retry::Retried;
pub use show::Shown;
pub use trim::Trimmed;

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;

/// Entries read per round trip: memory stays flat however long the list is.
const PAGE: usize = 500;

/// Look at, retry, purge and trim dead letters
///
/// Dead letters live in the pipeline's list `dead_letters` (default <pipeline>:failed), the
/// newest LPUSHed at the left. Each is an envelope
/// {"item","stage","queue","error","attempts","failed_at"}; entries pushed there by hand
/// (with redis-cli, JSON or not) are bare items and are handled too.
///
/// Positions: 1 is the newest dead letter (LINDEX <list> 0), in the order
/// `redis-cli LRANGE prospect:failed 0 -1` prints them. ls, show and retry use the same
/// positions. A new dead letter takes position 1 and moves the others down by one.
///
/// Examples:
///   pipectl dead ls --stage outreach --since 1d
///   pipectl dead show 1
///   pipectl dead retry 1 3
///   pipectl dead retry --where 'error~timeout'
///   pipectl dead purge --older-than 30d
///   pipectl dead trim --export dead.ndjson
///
/// Retention: dead_letters_max and dead_letters_max_age in [pipeline] cap the list (default:
/// no cap). `dead trim` and `pipectl run` (in the background) apply them, counted in
/// <pipeline>:dead_trimmed; status and doctor warn from 80 % of dead_letters_max.
///
/// Exit codes: each subcommand's --help lists its own; 3 means nothing matched (retry,
/// purge, trim), 1 that some entries could not be handled.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    Ls(ls::Args),
    Show(show::Args),
    Retry(retry::Args),
    Purge(purge::Args),
    Trim(trim::Args),
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    match args.command {
        Sub::Ls(args) => ls::run(args, ctx),
        Sub::Show(args) => show::run(args, ctx),
        Sub::Retry(args) => retry::run(args, ctx),
        Sub::Purge(args) => purge::run(args, ctx),
        Sub::Trim(args) => trim::run(args, ctx),
    }
}

/// clap value parser for positions: 1 and up (1 = newest).
fn position(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("positions count from 1 (1 = the newest dead letter)".into()),
        Ok(pos) => Ok(pos),
        Err(_) => Err(format!(
            "'{text}' is not a position (1 = the newest dead letter, as `pipectl dead ls` shows)"
        )),
    }
}
