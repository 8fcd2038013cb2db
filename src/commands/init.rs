use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// Write a commented starter pipectl.toml (the prospect pipeline)
///
/// With --cluster (or PIPECTL_CLUSTER=1) the pipeline is named "{prospect}" and every key
/// carries that hash tag ("{prospect}:queue", "{prospect}:seen", …), as a Redis Cluster
/// needs: each atomic step then touches one hash slot.
/// With --json: {"path","pipeline","cluster"}.
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

    #[command(flatten)]
    pub offline: crate::global::Offline,
}

/// `pipectl init`: the starter config written.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Initialized {
    /// The file written, as given to --path.
    pub path: String,
    /// The pipeline it declares (its key prefix).
    pub pipeline: String,
    /// Whether its keys carry a hash tag for Redis Cluster (`--cluster`).
    pub cluster: bool,
}

impl Report for Initialized {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if out.quiet {
            return Ok(());
        }
        out.line(format_args!(
            "wrote {} (pipeline '{}'); check it with `pipectl config show`",
            self.path, self.pipeline
        ))
    }
}

/// Writes the starter config for pipeline `name` to `path`.
pub fn execute(path: &Path, name: &str, cluster: bool, force: bool) -> Result<Initialized> {
    let (name, text) = if cluster {
        (crate::keys::with_tag(name), config::cluster_starter(name))
    } else {
        (name.to_owned(), config::starter(name))
    };
    // Never write a file pipectl itself would refuse to read.
    config::parse(&text, config::Source::Builtin, None)?;
    if path.exists() && !force {
        return Err(Fail::usage(format!("{} already exists", path.display()))
            .hint("pass --force to overwrite it, or --path to write elsewhere")
            .into());
    }
    std::fs::write(path, text).map_err(|e| {
        Fail::new(
            Exit::Failure,
            format!("cannot write {}: {e}", path.display()),
        )
        .hint("write it where you may create files: --path DIR/pipectl.toml")
    })?;
    Ok(Initialized {
        path: path.display().to_string(),
        pipeline: name,
        cluster,
    })
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let name = ctx
        .global
        .pipeline
        .clone()
        .unwrap_or_else(|| config::DEFAULT_NAME.into());
    let result = execute(&args.path, &name, ctx.global.cluster, args.force)?;
    ctx.out.print(&result)?;
    Ok(Exit::Ok)
}
