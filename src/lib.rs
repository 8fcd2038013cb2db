//! pipectl: coordinate unattended, multi-stage pipelines through Redis.

pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod duration;
pub mod error;
pub mod exit;
pub mod handler;
pub mod input;
pub mod keys;
pub mod output;
pub mod runner;
pub mod store;

use clap::{CommandFactory, FromArgMatches};

use crate::exit::Exit;

/// Parses the command line, runs the command, and maps any error to its exit code.
pub fn main() -> std::process::ExitCode {
    // The handler guard of a `pipectl run` (handler/guard.rs): pipectl started again.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == handler::guard::ARG)
    {
        return handler::guard::serve();
    }
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
            let code = if err.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            err.print().ok();
            return code.into();
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
