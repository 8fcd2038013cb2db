//! pipectl: coordinate unattended, multi-stage pipelines through Redis.

pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod duration;
pub mod envelope;
pub mod error;
pub mod exit;
pub mod handler;
pub mod input;
pub mod item;
pub mod keys;
pub mod output;
pub mod runner;
pub mod schema;
pub mod store;

use clap::{CommandFactory, FromArgMatches};

use crate::exit::Exit;

/// Parses the command line, runs the command, and maps any error to its exit code.
pub fn main() -> std::process::ExitCode {
    let mut command = cli::Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| {
            cli::Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
        });
    // The command tree holds every subcommand and argument; freeing it piece by piece would
    // cost a short-lived pipectl an eighth of its start-up, and the process ends soon anyway.
    std::mem::forget(command);
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            // --help/--version print to stdout and exit 0; usage errors exit 2.
            if !err.use_stderr() {
                err.print().ok();
                return Exit::Ok.into();
            }
            return error::report_usage(&err, wants_json()).into();
        }
    };
    let json = cli.global.json;
    let mut ctx = context::Ctx::new(cli.global.clone());
    let result = commands::dispatch(cli.command, &mut ctx).and_then(|exit| {
        ctx.out.flush()?;
        Ok(exit)
    });
    match result {
        Ok(exit) => exit.into(),
        Err(err) => {
            ctx.out.flush().ok();
            error::report(&err, json, ctx.out.color).into()
        }
    }
}

/// Whether `--json` is on the command line (before any `--`), for errors clap raises before
/// the arguments are parsed.
fn wants_json() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}
