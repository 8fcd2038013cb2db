//! What pipectl.toml says about review: a manual stage's auto-approve policy and waiting
//! limit, and where a handler stage escalates items to a person.

use std::time::Duration;

use serde::Deserialize;

use crate::duration::ConfigDuration;
use crate::input::{Condition, parse_condition};

/// A manual stage's rules (all optional): `auto_approve`, `max_wait`, `on_timeout`.
#[derive(Clone, Debug, Default)]
pub struct ManualRules {
    pub auto_approve: Option<AutoApprove>,
    /// How long an item may wait for review before `on_timeout` applies.
    pub max_wait: Option<Duration>,
    pub on_timeout: OnTimeout,
    /// `agent_may_decide = true`: an AI agent (`pipectl mcp`) is offered approve and reject
    /// for this stage. Off by default: a person stays in the loop.
    pub agent_may_decide: bool,
}

/// `auto_approve = { where = ["score>=0.8"], sample = 0.1 }`: `pipectl run <manual stage>`
/// approves items matching every condition, except a random `sample` share left for a person.
#[derive(Clone, Debug)]
pub struct AutoApprove {
    pub filters: Vec<Condition>,
    pub sample: f64,
}

impl AutoApprove {
    /// The policy as text, for the audit record: `where score>=0.8; sample 0.1`.
    pub fn text(&self) -> String {
        let filters: Vec<String> = self.filters.iter().map(ToString::to_string).collect();
        format!("where {}; sample {}", filters.join(" and "), self.sample)
    }
}

/// What happens to an item staged longer than `max_wait`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTimeout {
    /// Left staged, marked: `doctor` warns and `status` shows it.
    #[default]
    Flag,
    Reject,
    Approve,
}

impl OnTimeout {
    pub fn as_str(self) -> &'static str {
        match self {
            OnTimeout::Flag => "flag",
            OnTimeout::Reject => "reject",
            OnTimeout::Approve => "approve",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AutoApproveSection {
    #[serde(rename = "where")]
    filters: Vec<String>,
    #[serde(default)]
    sample: f64,
}

/// The review fields of a `[stages.<name>]` table, as written.
#[derive(Default)]
pub(super) struct ReviewFields {
    pub auto_approve: Option<AutoApproveSection>,
    pub max_wait: Option<ConfigDuration>,
    pub on_timeout: Option<OnTimeout>,
    pub agent_may_decide: Option<bool>,
}

/// Checks the review fields of a stage; `manual` tells whether it has no handler.
pub(super) fn manual_rules(
    fields: ReviewFields,
    manual: bool,
    has_output: bool,
) -> Result<ManualRules, String> {
    if !manual
        && (fields.auto_approve.is_some()
            || fields.max_wait.is_some()
            || fields.on_timeout.is_some()
            || fields.agent_may_decide.is_some())
    {
        return Err(
            "auto_approve, max_wait, on_timeout and agent_may_decide belong to a manual stage (one without exec/http)"
                .into(),
        );
    }
    let auto_approve = match fields.auto_approve {
        None => None,
        Some(section) => {
            if section.filters.is_empty() {
                return Err(
                    "auto_approve.where needs at least one condition, e.g. where = [\"score>=0.8\"] (an empty list would approve everything)"
                        .into(),
                );
            }
            let filters = section
                .filters
                .iter()
                .map(|f| parse_condition(f).map_err(|e| format!("auto_approve.where: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            if !(0.0..=1.0).contains(&section.sample) || section.sample.is_nan() {
                return Err(format!(
                    "auto_approve.sample is {}: give the share left for a person, from 0 to 1 (e.g. 0.1)",
                    section.sample
                ));
            }
            if !has_output {
                return Err("auto_approve needs an output queue to approve into".into());
            }
            Some(AutoApprove {
                filters,
                sample: section.sample,
            })
        }
    };
    let on_timeout = fields.on_timeout.unwrap_or_default();
    let max_wait = fields.max_wait.map(|d| d.0);
    if max_wait.is_some_and(|d| d.is_zero()) {
        return Err("max_wait must be more than 0s".into());
    }
    if fields.on_timeout.is_some() && max_wait.is_none() {
        return Err("on_timeout needs max_wait (e.g. max_wait = \"48h\")".into());
    }
    if on_timeout == OnTimeout::Approve && !has_output {
        return Err("on_timeout = \"approve\" needs an output queue to approve into".into());
    }
    Ok(ManualRules {
        auto_approve,
        max_wait,
        on_timeout,
        agent_may_decide: fields.agent_may_decide.unwrap_or(false),
    })
}
