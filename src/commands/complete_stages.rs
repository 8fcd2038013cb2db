//! `pipectl complete-stages` (hidden): the configured stage names, for shell completion.

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;

/// Print the configured stage names, one per line (for shell completion)
///
/// The generated bash, zsh and fish completions call this to complete stage arguments
/// (`pipectl run <TAB>`, `pipectl pause <TAB>`, `--stage <TAB>`). The config is found as
/// every command finds it (--config, PIPECTL_CONFIG, ./pipectl.toml, the XDG config dir, the
/// built-in prospect pipeline). It never fails loudly: when the config cannot be read it
/// prints nothing and exits 0 (with -v it says why on stderr). It never touches Redis.
///
/// Example:
///   pipectl complete-stages --config examples/pipectl.toml
///
/// Exit codes: 0 always (nothing printed when the config cannot be read).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let names: Vec<String> = match ctx.config() {
        Ok(config) => config.stages.iter().map(|s| s.name.clone()).collect(),
        Err(err) => {
            ctx.out
                .debug(format_args!("complete-stages: no stage names: {err:#}"));
            return Ok(Exit::Ok);
        }
    };
    if ctx.out.json {
        ctx.out.json(&serde_json::json!({ "stages": names }))?;
    } else {
        for name in names {
            ctx.out.line(name)?;
        }
    }
    Ok(Exit::Ok)
}
