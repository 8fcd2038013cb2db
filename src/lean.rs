//! A fast path for the one-shot commands a cron job or an agent calls over and over (`pop`,
//! `enqueue`, `ack`, …): their command line is parsed by a command tree holding only them.
//!
//! Building and checking pipectl's whole clap tree (every subcommand's arguments, the global
//! options copied into each) was most of a `pop`'s instructions from exec to exit. The lean
//! tree is made of the same `Args` types as the full one (`crate::cli::Cli`), so a line it
//! accepts means what the full tree would make of it. Anything it does not accept — another
//! subcommand, `--help`, `--version`, a usage error — is parsed again by the full tree, which
//! gives the answer, the help and the error messages as before.

use std::ffi::OsString;

use clap::{Args, FromArgMatches, Parser};

use crate::cli::Cli;
use crate::commands::{self, Command};
use crate::global::GlobalArgs;

/// The top of the lean tree: the full tree's name and global options; one subcommand is
/// added to it (`parse`).
#[derive(Parser, Debug)]
#[command(name = "pipectl", version, max_term_width = 100)]
struct Top {
    #[command(flatten)]
    global: GlobalArgs,
}

/// The top of the flat tree: pipectl's global options beside one subcommand's own, at one
/// level (`flat`). No `--version` there: the full tree has none after a subcommand.
#[derive(Parser, Debug)]
#[command(name = "pipectl", max_term_width = 100)]
struct Flat {
    #[command(flatten)]
    global: GlobalArgs,
}

type Augment = fn(clap::Command) -> clap::Command;
type Build = fn(&mut clap::ArgMatches) -> Option<Command>;

/// The subcommands the lean trees parse: each one's `Args` (built as the full tree builds
/// them) and how its matches become a [`Command`].
const LEAN: &[(&str, Augment, Build)] = &[
    ("enqueue", commands::enqueue::Args::augment_args, |m| {
        Some(Command::Enqueue(
            FromArgMatches::from_arg_matches_mut(m).ok()?,
        ))
    }),
    ("pop", commands::pop::Args::augment_args, |m| {
        Some(Command::Pop(FromArgMatches::from_arg_matches_mut(m).ok()?))
    }),
    ("ack", commands::ack::Args::augment_args, |m| {
        Some(Command::Ack(FromArgMatches::from_arg_matches_mut(m).ok()?))
    }),
    ("nack", commands::nack::Args::augment_args, |m| {
        Some(Command::Nack(FromArgMatches::from_arg_matches_mut(m).ok()?))
    }),
    ("peek", commands::peek::Args::augment_args, |m| {
        Some(Command::Peek(FromArgMatches::from_arg_matches_mut(m).ok()?))
    }),
    ("len", commands::len::Args::augment_args, |m| {
        Some(Command::Len(FromArgMatches::from_arg_matches_mut(m).ok()?))
    }),
    ("status", commands::status::Args::augment_args, |m| {
        Some(Command::Status(
            FromArgMatches::from_arg_matches_mut(m).ok()?,
        ))
    }),
];

/// The lean tree for the first word of the command line naming a lean subcommand (a guess:
/// it may be an option's value; then the parse fails, or it parses the same line as the
/// full tree would, having the same global options and that subcommand as it has).
fn tree(args: &[OsString]) -> Option<clap::Command> {
    let (name, augment, _) = args
        .iter()
        .skip(1)
        .find_map(|a| LEAN.iter().find(|(name, _, _)| a == name))?;
    let sub = augment(clap::Command::new(*name));
    Some(<Top as clap::CommandFactory>::command().subcommand(sub))
}

/// `pipectl NAME ARGS…` with NAME a lean subcommand right after `pipectl`: everything after
/// NAME is that subcommand's or a global option, as in the full tree below NAME; one command
/// of both, without the copying of global options between levels that a subcommand costs
/// (a fifth of a `pop`'s instructions). Returns the command line, the tree and NAME.
fn flat(args: &[OsString]) -> Option<(Cli, clap::Command, &'static str)> {
    let name = args.get(1)?;
    let (name, augment, build) = LEAN.iter().find(|(n, _, _)| name == n)?;
    let mut command = augment(<Flat as clap::CommandFactory>::command());
    let line = args.iter().take(1).chain(&args[2..]);
    let mut matches = command.try_get_matches_from_mut(line).ok()?;
    let global = GlobalArgs::from_arg_matches_mut(&mut matches).ok()?;
    let cli = Cli {
        global,
        command: build(&mut matches)?,
    };
    // The debug build checks the exit code against the subcommand's help, found by name.
    #[cfg(debug_assertions)]
    let command = clap::Command::new("pipectl").subcommand(augment(clap::Command::new(*name)));
    Some((cli, command, name))
}

/// The command line parsed by a lean tree, with the tree (for the debug build's exit-code
/// check) and the subcommand's name; `None` when the full tree must parse it.
pub(crate) fn parse(args: &[OsString]) -> Option<(Cli, clap::Command, Vec<String>)> {
    if let Some((cli, command, name)) = flat(args) {
        return Some((cli, command, vec![name.to_owned()]));
    }
    let mut command = tree(args)?;
    let mut matches = command.try_get_matches_from_mut(args.iter()).ok()?;
    let path = vec![matches.subcommand_name()?.to_owned()];
    let cli = Cli::from_arg_matches_mut(&mut matches).ok()?;
    Some((cli, command, path))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Each lean subcommand is the full tree's: the same arguments and the same help.
    #[test]
    fn lean_subcommands_are_the_full_trees() {
        let mut full = Cli::command();
        full.build();
        for (name, _, _) in LEAN {
            let args: Vec<OsString> = ["pipectl", name].map(OsString::from).to_vec();
            let mut lean = tree(&args).unwrap();
            lean.build();
            let ours = lean.find_subcommand_mut(name).unwrap().clone();
            let theirs = full.find_subcommand_mut(name).unwrap().clone();
            let ids = |c: &clap::Command| -> Vec<String> {
                c.get_arguments().map(|a| format!("{a:?}")).collect()
            };
            assert_eq!(ids(&ours), ids(&theirs), "{name}: arguments");
            assert_eq!(
                ours.clone().render_long_help().to_string(),
                theirs.clone().render_long_help().to_string(),
                "{name}: help"
            );
            assert_eq!(ours.get_aliases().count(), theirs.get_aliases().count());
        }
    }

    /// The invariant: a line the full tree refuses, the lean trees refuse; a line it
    /// accepts, they parse to the same, or leave to it.
    #[test]
    fn lean_parses_what_the_full_tree_parses() {
        let line = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        let lean_ok = [
            "pipectl pop q",
            "pipectl pop q --url redis://y:2 --json -n 2 --lease 5m",
            "pipectl pop -n 2 q --quiet",
            "pipectl --url redis://x:1 pop q -n 3 --json",
            "pipectl enqueue q --dedup-by url {}",
            "pipectl enqueue q --dedup-by url --seen-set s --file f -q",
            "pipectl enqueue q -- --url",
            "pipectl -q status",
            "pipectl status --json",
            "pipectl --url pop pop q",
            "pipectl ack t1 t2",
            "pipectl nack t1",
            "pipectl peek q",
            "pipectl len q --url redis://z:3",
        ];
        let fallback = [
            "pipectl",
            "pipectl run x",
            "pipectl pop",
            "pipectl pop --help",
            "pipectl pop -h",
            "pipectl pop --version",
            "pipectl --version",
            "pipectl help pop",
            "pipectl pop q --nope",
            "pipectl pop q r",
            "pipectl pop q -n 0",
            "pipectl pop q --tls-cert a",
            "pipectl --url pop ls q",
            "pipectl --url ack pop q",
            "pipectl dead ls pop",
            "pipectl pop q pop",
        ];
        for text in lean_ok.iter().chain(&fallback) {
            let lean = parse(&line(text));
            match (Cli::try_parse_from(line(text)), lean) {
                (Ok(full), Some((cli, _, path))) => {
                    assert_eq!(format!("{cli:?}"), format!("{full:?}"), "{text}");
                    assert_eq!(path.len(), 1, "{text}");
                }
                (Ok(_), None) => assert!(fallback.contains(text), "{text}: not lean"),
                (Err(_), lean) => assert!(lean.is_none(), "{text}: lean accepted it"),
            }
        }
        for text in fallback {
            assert!(parse(&line(text)).is_none(), "{text}");
        }
    }
}
