//! pipectl: coordinate unattended, multi-stage pipelines through Redis.

pub mod audit;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod date;
pub mod due;
pub mod duration;
pub mod envelope;
pub mod error;
pub mod exit;
pub mod global;
pub mod guards;
pub mod handler;
pub mod input;
pub mod item;
pub mod keys;
mod lean;
pub mod notify;
pub mod output;
pub mod report;
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
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The one-shot commands first, by a tree holding only them (lean.rs); the whole tree
    // parses the rest, and gives every help text and usage error.
    let (cli, command, path) = match lean::parse(&args) {
        Some(parsed) => parsed,
        None => match parse_full(&args) {
            Ok(parsed) => parsed,
            Err(err) => return err,
        },
    };
    #[cfg(debug_assertions)]
    let declared = declared_exit_codes(&command, &path);
    #[cfg(not(debug_assertions))]
    let _ = path;
    // The command tree holds every subcommand and argument; freeing it piece by piece would
    // cost a short-lived pipectl an eighth of its start-up, and the process ends soon anyway.
    std::mem::forget(command);
    let json = cli.global.json;
    let mut ctx = context::Ctx::new(cli.global.clone(), <cli::Cli as CommandFactory>::command);
    let result = commands::dispatch(cli.command, &mut ctx).and_then(|exit| {
        ctx.out.flush()?;
        Ok(exit)
    });
    let exit = match result {
        Ok(exit) => exit,
        Err(err) => {
            ctx.out.flush().ok();
            report::report(&err, json, ctx.out.color)
        }
    };
    #[cfg(debug_assertions)]
    if !declared.contains(&exit.code()) {
        // Every test runs the debug binary: an exit code a command's --help does not list
        // fails whichever test provoked it.
        eprintln!(
            "pipectl bug: `pipectl {}` exited {}, which its --help does not list (Exit codes: {declared:?})",
            path.join(" "),
            exit.code()
        );
        return std::process::ExitCode::from(101);
    }
    exit.into()
}

/// The command line parsed by the whole command tree; `Err` is the exit code of `--help`,
/// `--version` or a usage error, already reported.
#[allow(clippy::result_large_err)]
fn parse_full(
    args: &[std::ffi::OsString],
) -> Result<(cli::Cli, clap::Command, Vec<String>), std::process::ExitCode> {
    let mut command = cli::Cli::command();
    let parsed = command
        .try_get_matches_from_mut(args.iter())
        .and_then(|mut matches| {
            let path = subcommand_path(&matches);
            cli::Cli::from_arg_matches_mut(&mut matches)
                .map(|cli| (cli, path))
                .map_err(|e| e.format(&mut command))
        });
    match parsed {
        Ok((cli, path)) => Ok((cli, command, path)),
        Err(err) => {
            // --help/--version print to stdout and exit 0; usage errors exit 2.
            if !err.use_stderr() {
                err.print().ok();
                return Err(Exit::Ok.into());
            }
            Err(report::report_usage(&err, wants_json()).into())
        }
    }
}

/// The names of the subcommands given, outermost first (`["dead", "retry"]`).
fn subcommand_path(matches: &clap::ArgMatches) -> Vec<String> {
    let mut path = Vec::new();
    let mut at = matches;
    while let Some((name, sub)) = at.subcommand() {
        path.push(name.to_owned());
        at = sub;
    }
    path
}

/// The exit codes a subcommand's help lists on its `Exit codes:` line: the number opening
/// each comma-separated part (`0 listed, 65 the key is not a list, …`).
pub fn declared_exit_codes(command: &clap::Command, path: &[String]) -> Vec<u8> {
    let mut at = command;
    for name in path {
        match at.find_subcommand(name) {
            Some(sub) => at = sub,
            None => return Vec::new(),
        }
    }
    let text = at
        .get_long_about()
        .or(at.get_about())
        .map(|t| t.to_string())
        .unwrap_or_default();
    parse_exit_codes(&text)
}

/// See [`declared_exit_codes`].
pub fn parse_exit_codes(help: &str) -> Vec<u8> {
    let Some((_, rest)) = help.split_once("Exit codes:") else {
        return Vec::new();
    };
    let paragraph = rest.split("\n\n").next().unwrap_or_default();
    let mut codes: Vec<u8> = paragraph
        .split([',', ';'])
        .filter_map(|part| {
            let digits: String = part
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Whether `--json` is on the command line (before any `--`), for errors clap raises before
/// the arguments are parsed.
fn wants_json() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}
