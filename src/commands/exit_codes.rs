use anyhow::Result;

use crate::context::Ctx;
use crate::exit::{Exit, TABLE};

/// Print the table of exit codes scripts can rely on
#[derive(clap::Args, Debug)]
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
