use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use crate::config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;

/// Write a commented starter pipectl.toml (the prospect pipeline)
///
/// With --cluster (or PIPECTL_CLUSTER=1) the pipeline is named "{prospect}" and every key
/// carries that hash tag ("{prospect}:queue", "{prospect}:seen", …), as a Redis Cluster
/// needs: each atomic step then touches one hash slot.
///
/// Examples:
///   pipectl init && $EDITOR pipectl.toml
///   pipectl init --cluster
///
/// Exit codes: 0 written, 1 the file could not be written, 2 the file exists (pass --force to
/// overwrite).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Where to write it
    #[arg(long, default_value = "pipectl.toml")]
    pub path: PathBuf,

    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let name = ctx
        .global
        .pipeline
        .clone()
        .unwrap_or_else(|| config::DEFAULT_NAME.into());
    let (name, text) = if ctx.global.cluster {
        (crate::keys::with_tag(&name), config::cluster_starter(&name))
    } else {
        (name.clone(), config::starter(&name))
    };
    // Never write a file pipectl itself would refuse to read.
    config::parse(&text, config::Source::Builtin, None)?;
    if args.path.exists() && !args.force {
        return Err(
            Fail::usage(format!("{} already exists", args.path.display()))
                .hint("pass --force to overwrite it, or --path to write elsewhere")
                .into(),
        );
    }
    std::fs::write(&args.path, text)
        .map_err(|e| Fail::usage(format!("cannot write {}: {e}", args.path.display())))?;
    if ctx.out.json {
        ctx.out
            .json(&json!({"written": args.path, "pipeline": name}))?;
    } else if !ctx.out.quiet {
        ctx.out.line(format_args!(
            "wrote {} (pipeline '{name}'); check it with `pipectl config show`",
            args.path.display()
        ))?;
    }
    Ok(Exit::Ok)
}
