use anyhow::Result;

use crate::context::Ctx;
use crate::exit::{Exit, TABLE};
use crate::output::{Output, Report};

/// Print the table of exit codes scripts can rely on
///
/// Every pipectl command exits with one of these; each command's --help says which it
/// uses. `pipectl help exit-codes` shows this page, table included.
/// With --json: {"exit_codes":[{"code","name","meaning"},…]}.
///
/// Examples:
///   pipectl exit-codes
///   pipectl exit-codes --json | jq -r '.exit_codes[] | "\(.code) \(.meaning)"'
///   pipectl run build --max 20; [ $? -eq 4 ] && echo "build is paused"
///
/// Exit codes: 0 printed, 1 the output could not be written.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment, after_help = TABLE)]
pub struct Args {
    #[command(flatten)]
    pub offline: crate::global::Offline,
}

/// `pipectl exit-codes`: every exit code, lowest first.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ExitCodes {
    pub exit_codes: Vec<ExitCode>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ExitCode {
    pub code: u8,
    /// Its stable name, as JSON errors give it (`error.name`).
    pub name: String,
    /// What it means, as the table says.
    pub meaning: String,
}

/// Every exit code pipectl has.
const ALL: [Exit; 10] = [
    Exit::Ok,
    Exit::Failure,
    Exit::Usage,
    Exit::NothingToDo,
    Exit::Paused,
    Exit::RateLimited,
    Exit::DataErr,
    Exit::Unavailable,
    Exit::NoPerm,
    Exit::Config,
];

impl Report for ExitCodes {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(TABLE)
    }
}

/// The table's rows, each code with its name; the meaning is the table's own words.
pub fn execute() -> ExitCodes {
    let meaning = |code: u8| {
        TABLE
            .lines()
            .skip(1)
            .filter_map(|l| l.trim().split_once(' '))
            .find(|(c, _)| c.parse() == Ok(code))
            .map(|(_, m)| m.trim().to_owned())
            .unwrap_or_default()
    };
    ExitCodes {
        exit_codes: ALL
            .iter()
            .map(|e| ExitCode {
                code: e.code(),
                name: e.name().to_owned(),
                meaning: meaning(e.code()),
            })
            .collect(),
    }
}

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    ctx.out.print(&execute())?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_has_its_meaning_from_the_table() {
        let codes = super::execute().exit_codes;
        assert_eq!(codes.len(), super::TABLE.lines().count() - 1);
        for c in codes {
            assert!(!c.meaning.is_empty(), "{}", c.code);
        }
    }
}
