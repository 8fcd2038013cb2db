//! The review commands (`stage`, `staged`, `approve`, `reject`, `review`) and what they
//! share: finding the manual stage (here), selecting staged items and moving them on
//! (`select`), and the one result approve and reject answer (`decided`).

pub mod approve;
mod decide;
mod decided;
pub mod policy;
pub mod reject;
pub mod select;
pub mod send_back;
mod sent_back;
pub mod session;
pub mod stage;
pub mod staged;

use anyhow::Result;

use crate::config::{Handler, Stage};
use crate::context::Ctx;
use crate::error::Fail;

pub use decided::Decided;
pub use select::Selection;
pub use session::Reviewed;
pub use stage::Pushed;

/// The manual stage the review commands work on, and its keys.
#[derive(Clone, Debug)]
pub struct Manual {
    pub stage: String,
    /// The staging list: the stage's input queue.
    pub staged: String,
    /// Where approved items go: the stage's output queue.
    pub output: Option<String>,
    /// Where rejected items go, as envelopes: the pipeline's rejected list.
    pub rejected: String,
    /// The bookkeeping beside the staging list: claims, questions, arrivals, samples.
    pub keys: crate::keys::StagedKeys,
    /// The stages that escalate items to this one (`escalate_to`).
    pub routes: Vec<Route>,
    /// The pipeline's audit stream.
    pub audit: crate::audit::AuditLog,
    /// How long a reviewer's claim lasts.
    pub claim_ttl: std::time::Duration,
    /// The stage's auto-approve policy and waiting limit.
    pub rules: crate::config::ManualRules,
}

/// A stage that escalates items to a manual stage: where its items come from and go on to.
#[derive(Clone, Debug)]
pub struct Route {
    pub stage: String,
    /// Where `send-back` returns an item: the escalating stage's input.
    pub input: String,
    /// Where approving an escalated item sends it: the escalating stage's output.
    pub output: Option<String>,
}

impl Manual {
    /// The stage an escalated item came from, by its question entry's `stage`.
    pub fn route(&self, stage: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.stage == stage)
    }

    /// The output queue, or a configuration error saying how to add one.
    pub fn ready(&self) -> Result<&str, Fail> {
        self.output.as_deref().ok_or_else(|| {
            Fail::config(format!(
                "manual stage '{}' has no output queue, so approved items have nowhere to go",
                self.stage
            ))
            .hint(format!(
                "add `output = \"<queue>\"` to [stages.{}] in pipectl.toml",
                self.stage
            ))
        })
    }
}

/// `--stage NAME`, shared by every review command.
#[derive(clap::Args, Debug, Clone)]
pub struct StageArg {
    /// The manual stage (one without a handler) to work on, when the pipeline has several
    /// [default: the only one, e.g. review]
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,
}

/// Finds the manual stage: the one named by `--stage`, else the pipeline's only one.
pub fn manual_stage(ctx: &mut Ctx, stage: &StageArg) -> Result<Manual> {
    manual_of(ctx.config()?, stage.stage.as_deref())
}

/// [`manual_stage`] of a loaded config: the manual stage `stage` names, else the only one.
pub fn manual_of(config: &crate::config::Config, stage: Option<&str>) -> Result<Manual> {
    let manual: Vec<&Stage> = config
        .stages
        .iter()
        .filter(|s| matches!(s.handler, Handler::Manual) && s.input.is_some())
        .collect();
    let names = || {
        manual
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match stage {
        Some(name) => {
            let Some(found) = config.stage(name) else {
                return Err(Fail::usage(format!("the pipeline has no stage '{name}'"))
                    .hint(if manual.is_empty() {
                        "it has no manual stage either; see `pipectl config show`".to_owned()
                    } else {
                        format!("manual stages: {}", names())
                    })
                    .into());
            };
            if !manual.iter().any(|s| s.name == found.name) {
                return Err(Fail::usage(format!(
                    "stage '{name}' is not a manual stage: it has a handler"
                ))
                .hint(if manual.is_empty() {
                    "the pipeline has no manual stage; see `pipectl config show`".to_owned()
                } else {
                    format!("manual stages: {}", names())
                })
                .into());
            }
            found
        }
        None => match manual.as_slice() {
            [] => {
                return Err(Fail::config(
                    "the pipeline has no manual stage, so nothing is staged for review",
                )
                .hint(
                    "add a stage with an input and no exec/http to pipectl.toml, e.g.\n  \
                     [stages.review]\n  input = \"prospect:staged\"\n  output = \"prospect:ready\"",
                )
                .into());
            }
            [only] => *only,
            _ => {
                return Err(Fail::usage(format!(
                    "the pipeline has several manual stages ({}): say which",
                    names()
                ))
                .hint("pass --stage NAME")
                .into());
            }
        },
    };
    Ok(Manual {
        stage: chosen.name.clone(),
        staged: chosen.input.clone().unwrap_or_default(),
        output: chosen.output.clone(),
        rejected: config.rejected.clone(),
        keys: crate::keys::StagedKeys::new(chosen.input.as_deref().unwrap_or_default()),
        routes: config
            .stages
            .iter()
            .filter(|s| s.escalate_to.as_deref() == Some(chosen.name.as_str()))
            .filter_map(|s| {
                Some(Route {
                    stage: s.name.clone(),
                    input: s.input.clone()?,
                    output: s.output.clone(),
                })
            })
            .collect(),
        audit: config.audit.clone(),
        claim_ttl: config.claim_ttl,
        rules: chosen.review.clone(),
    })
}
