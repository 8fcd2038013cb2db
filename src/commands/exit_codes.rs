use anyhow::Result;

use crate::context::Ctx;
use crate::exit::{Exit, TABLE};

/// Print the table of exit codes scripts can rely on
///
/// Every pipectl command exits with one of these; each command's --help says which it
/// uses. `pipectl help exit-codes` shows this page, table included.
///
/// Examples:
///   pipectl exit-codes
///   pipectl exit-codes --json | jq -r '.exit_codes[] | "\(.code) \(.meaning)"'
///   pipectl run build --max 20; [ $? -eq 4 ] && echo "build is paused"
///
/// Exit codes: 0 printed, 1 the output could not be written.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment, after_help = TABLE)]
pub struct Args {}

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    if ctx.out.json {
        let codes: Vec<_> = TABLE
            .lines()
            .skip(1)
            .filter_map(|l| l.trim().split_once(' '))
            .map(|(code, meaning)| serde_json::json!({"code": code.parse::<u8>().unwrap_or(0), "meaning": meaning.trim()}))
            .collect();
        ctx.out.json(&serde_json::json!({ "exit_codes": codes }))?;
    } else {
        ctx.out.line(TABLE)?;
    }
    Ok(Exit::Ok)
}
