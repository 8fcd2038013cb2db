//! `pipectl complete-stages` (hidden): the configured stage names, for shell completion.

use anyhow::Result;

use crate::context::Ctx;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// Print the configured stage names, one per line (for shell completion)
///
/// The generated bash, zsh and fish completions call this to complete stage arguments
/// (`pipectl run <TAB>`, `pipectl pause <TAB>`, `--stage <TAB>`). The config is found as
/// every command finds it (--config, PIPECTL_CONFIG, ./pipectl.toml, the XDG config dir, the
/// built-in prospect pipeline). It never fails loudly: when the config cannot be read it
/// prints nothing (with --json: no stages) and exits 0 (with -v it says why on stderr). It
/// never touches Redis. With --json: {"stages":[…]}.
///
/// Example:
///   pipectl complete-stages --config examples/pipectl.toml
///
/// Exit codes: 0 always (nothing printed when the config cannot be read).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {}

/// `pipectl complete-stages`: the stage names, in config order.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StageNames {
    /// Empty when the config cannot be read.
    pub stages: Vec<String>,
}

impl Report for StageNames {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        for name in &self.stages {
            out.line(name)?;
        }
        Ok(())
    }
}

pub fn run(_args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let stages = match ctx.config() {
        Ok(config) => config.stages.iter().map(|s| s.name.clone()).collect(),
        Err(err) => {
            ctx.out
                .debug(format_args!("complete-stages: no stage names: {err:#}"));
            Vec::new()
        }
    };
    ctx.out.print(&StageNames { stages })?;
    Ok(Exit::Ok)
}
