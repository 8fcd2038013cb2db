//! pipectl.toml + environment + flags -> `Config` (DESIGN §4).

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::duration::ConfigDuration;
use crate::error::Fail;

mod basics;
mod checks;
mod guards;
mod layout;
mod notify;
mod review;
mod stream;

use crate::keys;
pub use basics::{Basics, builtin_basics};
pub use checks::redact_header;
use checks::{line_col, review_links};
pub use guards::{Breaker, Budget, Guards, MICRO, Window, valid_unit};
pub use layout::check_cluster_slots;
use layout::validate_queues;
pub use notify::{Event, Notify, redact_url};
pub use review::{AutoApprove, ManualRules, OnTimeout};
use stream::{ExecMode, stream_mode};
pub use stream::{MAX_IN_FLIGHT, StreamMode};

/// The commented starter file `pipectl init` writes; with `@NAME@` filled in it is also the
/// built-in default, so the two can never disagree.
pub const STARTER: &str = include_str!("../starter.toml");
pub const DEFAULT_NAME: &str = "prospect";
pub const DEFAULT_MAX_ITEM_BYTES: usize = 1 << 20;

/// Where the effective configuration came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(PathBuf),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub source: Source,
    pub name: String,
    pub seen_set: String,
    pub dead_letters: String,
    pub rejected: String,
    pub stats_retention: Duration,
    pub max_item_bytes: usize,
    /// The audit stream and its retention (`audit_retention`, default 90 days).
    pub audit: crate::audit::AuditLog,
    /// How long a reviewer's claim on an item lasts (`claim_ttl`, default 10m).
    pub claim_ttl: Duration,
    pub stages: Vec<Stage>,
    /// Dead-letter retention: at most this many (`dead_letters_max`; None = unlimited).
    pub dead_letters_max: Option<u64>,
    /// Dead-letter retention: none older than this (`dead_letters_max_age`).
    pub dead_letters_max_age: Option<Duration>,
    /// `[notify]`: None when the config has none (then no event is written at all).
    pub notify: Option<Notify>,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub name: String,
    pub input: Option<String>,
    pub output: Option<String>,
    pub handler: Handler,
    pub max_attempts: u32,
    pub backoff: Duration,
    pub max_backoff: Duration,
    pub timeout: Duration,
    pub rate_limit: Option<RateLimit>,
    pub dedup_by: Option<String>,
    /// A manual stage's auto-approve policy and waiting limit (empty for other stages).
    pub review: ManualRules,
    /// The manual stage a handler's `review` control sends items to.
    pub escalate_to: Option<String>,
    /// Sending windows, circuit breaker, spend caps (config/guards.rs).
    pub guards: Guards,
    /// `mode = "stream"`: the exec handler runs once per concurrency slot and is given items
    /// over a line protocol (docs/handler-stream.md). None: one process per item.
    pub stream: Option<StreamMode>,
}

#[derive(Clone, Debug)]
pub enum Handler {
    Exec(Vec<String>),
    Http(HttpHandler),
    /// No handler: items wait in the input queue for approve/reject.
    Manual,
}

#[derive(Clone, Debug)]
pub struct HttpHandler {
    pub url: String,
    /// Values may contain `${VAR}`, expanded from the environment when the request is made.
    pub headers: IndexMap<String, String>,
    /// Follow a redirect of the POST by sending the same body and headers again to its
    /// Location (same origin only, at most 5 hops). Off: a redirect is a failure.
    pub follow_redirects: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub key: String,
    pub limit: u64,
    pub per: ConfigDuration,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    pipeline: PipelineSection,
    stages: Option<IndexMap<String, StageSection>>,
    notify: Option<notify::NotifySection>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PipelineSection {
    name: Option<String>,
    seen_set: Option<String>,
    dead_letters: Option<String>,
    rejected: Option<String>,
    stats_retention: Option<ConfigDuration>,
    max_item_bytes: Option<usize>,
    audit_retention: Option<ConfigDuration>,
    claim_ttl: Option<ConfigDuration>,
    dead_letters_max: Option<u64>,
    dead_letters_max_age: Option<ConfigDuration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageSection {
    input: Option<String>,
    output: Option<String>,
    exec: Option<Vec<String>>,
    http: Option<HttpSection>,
    max_attempts: Option<u32>,
    backoff: Option<ConfigDuration>,
    max_backoff: Option<ConfigDuration>,
    timeout: Option<ConfigDuration>,
    rate_limit: Option<RateLimit>,
    dedup_by: Option<String>,
    escalate_to: Option<String>,
    auto_approve: Option<review::AutoApproveSection>,
    max_wait: Option<ConfigDuration>,
    on_timeout: Option<OnTimeout>,
    agent_may_decide: Option<bool>,
    window: Option<toml::Value>,
    breaker: Option<guards::BreakerSection>,
    budget: Option<IndexMap<String, toml::Value>>,
    mode: Option<ExecMode>,
    in_flight: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpSection {
    url: String,
    #[serde(default)]
    headers: IndexMap<String, String>,
    #[serde(default)]
    follow_redirects: bool,
}

/// Finds the config file: `--config`/`PIPECTL_CONFIG`, `./pipectl.toml`, then the XDG config dir.
pub fn locate(explicit: Option<&Path>) -> Result<Option<PathBuf>, Fail> {
    if let Some(path) = explicit {
        if !path.is_file() {
            return Err(
                Fail::config(format!("config file {} not found", path.display()))
                    .hint("pass an existing file with --config, or create one with `pipectl init`"),
            );
        }
        return Ok(Some(path.to_owned()));
    }
    let local = PathBuf::from("pipectl.toml");
    if local.is_file() {
        return Ok(Some(local));
    }
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    Ok(xdg
        .map(|dir| dir.join("pipectl").join("pipectl.toml"))
        .filter(|p| p.is_file()))
}

/// The built-in pipeline's name: `prospect`, or in a Redis Cluster `{prospect}`, whose hash
/// tag keeps every key of the pipeline in one slot.
pub fn default_name(cluster: bool) -> String {
    if cluster {
        crate::keys::with_tag(DEFAULT_NAME)
    } else {
        DEFAULT_NAME.to_owned()
    }
}

/// Loads the effective configuration. `name_override` is `--pipeline`; `cluster` is
/// `--cluster` (the built-in pipeline is then `{prospect}`). Slots are not checked here:
/// see `check_cluster_slots`.
pub fn load(
    explicit: Option<&Path>,
    name_override: Option<&str>,
    cluster: bool,
) -> Result<Config, Fail> {
    match locate(explicit)? {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Fail::config(format!("cannot read config file {}: {e}", path.display()))
            })?;
            parse(&text, Source::File(path), name_override)
        }
        None => builtin(&name_override.map_or_else(|| default_name(cluster), str::to_owned)),
    }
}

/// The built-in default: the starter file for a pipeline called `name`.
pub fn builtin(name: &str) -> Result<Config, Fail> {
    parse(&starter(name), Source::Builtin, None)
}

/// The starter file text for a pipeline called `name`.
pub fn starter(name: &str) -> String {
    STARTER.replace("@NAME@", name)
}

/// The starter file for a Redis Cluster: the same pipeline, named with a hash tag.
pub fn cluster_starter(name: &str) -> String {
    let name = keys::with_tag(name);
    format!(
        "# For a Redis Cluster (pipectl --cluster): every key of this pipeline carries the hash\n\
         # tag {name}, so it lives in one hash slot, on one master, and each atomic step (claim,\n\
         # complete, retry, dead-letter, enqueue with dedup) touches keys of that slot only.\n\
         # Keep the tag on every queue you add. The rate-limit key is used in a step of its own\n\
         # and may live anywhere. Another pipeline with another tag may land on another master.\n\
         #\n{}",
        starter(&name)
    )
}

/// Parses and validates config text. Errors name the file, line and column.
pub fn parse(text: &str, source: Source, name_override: Option<&str>) -> Result<Config, Fail> {
    let origin = match &source {
        Source::Builtin => "built-in config".to_owned(),
        Source::File(p) => p.display().to_string(),
    };
    let file: FileConfig = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let (line, col) = line_col(text, span.start);
                format!(":{line}:{col}")
            })
            .unwrap_or_default();
        Fail::config(format!("{origin}{at}: {}", e.message().trim()))
            .hint("fix the file (see `pipectl init` for a commented example)")
    })?;
    let bad = |msg: String| Fail::config(format!("{origin}: {msg}"));

    let p = file.pipeline;
    let name = name_override
        .map(str::to_owned)
        .or(p.name)
        .unwrap_or_else(|| DEFAULT_NAME.into());
    if name.is_empty() {
        return Err(bad("[pipeline] name must not be empty".into()));
    }
    let mut config = Config {
        seen_set: p.seen_set.unwrap_or_else(|| keys::default_seen_set(&name)),
        dead_letters: p
            .dead_letters
            .unwrap_or_else(|| keys::default_dead_letters(&name)),
        rejected: p.rejected.unwrap_or_else(|| keys::default_rejected(&name)),
        stats_retention: p
            .stats_retention
            .map_or(Duration::from_secs(7 * 86_400), |d| d.0),
        max_item_bytes: p.max_item_bytes.unwrap_or(DEFAULT_MAX_ITEM_BYTES),
        audit: crate::audit::AuditLog {
            key: keys::audit(&name),
            keep: p
                .audit_retention
                .map_or(Duration::from_secs(90 * 86_400), |d| d.0),
        },
        claim_ttl: p.claim_ttl.map_or(Duration::from_secs(600), |d| d.0),
        dead_letters_max: p.dead_letters_max,
        dead_letters_max_age: p.dead_letters_max_age.map(|d| d.0),
        notify: file.notify.map(notify::notify).transpose().map_err(bad)?,
        name,
        source,
        stages: Vec::new(),
    };
    if config.stats_retention < Duration::from_secs(1) {
        return Err(bad("[pipeline] stats_retention must be at least 1s".into()));
    }
    if config.audit.keep < Duration::from_secs(1) {
        return Err(bad("[pipeline] audit_retention must be at least 1s".into()));
    }
    if config.claim_ttl < Duration::from_secs(1) {
        return Err(bad("[pipeline] claim_ttl must be at least 1s".into()));
    }
    if config.dead_letters_max == Some(0) {
        return Err(bad(
            "[pipeline] dead_letters_max must be at least 1 (leave it out for no cap)".into(),
        ));
    }
    if config
        .dead_letters_max_age
        .is_some_and(|d| d < Duration::from_secs(1))
    {
        return Err(bad(
            "[pipeline] dead_letters_max_age must be at least 1s".into()
        ));
    }
    if config.max_item_bytes == 0 {
        return Err(bad("[pipeline] max_item_bytes must be at least 1".into()));
    }

    let stages = file.stages.unwrap_or_default();
    if stages.is_empty() {
        return Err(bad(
            "no stages: add at least one [stages.<name>] table".into()
        ));
    }
    for (stage_name, s) in stages {
        config
            .stages
            .push(stage(&stage_name, s).map_err(|m| bad(format!("[stages.{stage_name}] {m}")))?);
    }
    review_links(&config).map_err(bad)?;
    validate_queues(&config).map_err(|fail| Fail {
        message: format!("{origin}: {}", fail.message),
        ..fail
    })?;
    Ok(config)
}

fn stage(name: &str, s: StageSection) -> Result<Stage, String> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err("stage names may use only letters, digits, '-' and '_'".into());
    }
    let handler = match (s.exec, s.http) {
        (Some(_), Some(_)) => return Err("has both exec and http: a stage has one handler".into()),
        (Some(argv), None) => {
            if argv.first().is_none_or(|a| a.is_empty()) {
                return Err("exec must name a program: exec = [\"./handler.sh\", \"arg\"]".into());
            }
            Handler::Exec(argv)
        }
        (None, Some(h)) => {
            if !(h.url.starts_with("http://")
                || h.url.starts_with("https://")
                || h.url.starts_with("${"))
            {
                return Err(format!(
                    "http.url '{}' must start with http:// or https://",
                    h.url
                ));
            }
            Handler::Http(HttpHandler {
                url: h.url,
                headers: h.headers,
                follow_redirects: h.follow_redirects,
            })
        }
        (None, None) => Handler::Manual,
    };
    if s.input.is_none() && matches!(handler, Handler::Manual) {
        return Err("has no input and no handler: give it `input` (a manual stage) or `exec`/`http` (a source stage)".into());
    }
    if s.input.is_none() {
        if s.output.is_none() {
            return Err(
                "is a source stage (no input) without an output queue to enqueue into".into(),
            );
        }
        if matches!(handler, Handler::Http(_)) {
            return Err("is a source stage (no input): it needs an exec handler, not http".into());
        }
    }
    for (field, value) in [("input", &s.input), ("output", &s.output)] {
        if value.as_deref() == Some("") {
            return Err(format!("{field} must not be empty"));
        }
    }
    let max_attempts = s.max_attempts.unwrap_or(3);
    if max_attempts == 0 {
        return Err("max_attempts must be at least 1".into());
    }
    if let Some(rl) = &s.rate_limit
        && (rl.limit == 0 || rl.per.0 < Duration::from_secs(1) || rl.key.is_empty())
    {
        return Err("rate_limit needs a key, limit >= 1 and per >= 1s".into());
    }
    if let Some(field) = &s.dedup_by
        && (field.is_empty() || s.output.is_none())
    {
        return Err("dedup_by needs a field name and an output queue".into());
    }
    let timeout = s.timeout.map_or(Duration::from_secs(300), |d| d.0);
    if timeout.is_zero() {
        return Err("timeout must be more than 0s".into());
    }
    let manual = matches!(handler, Handler::Manual);
    let review = review::manual_rules(
        review::ReviewFields {
            auto_approve: s.auto_approve,
            max_wait: s.max_wait,
            on_timeout: s.on_timeout,
            agent_may_decide: s.agent_may_decide,
        },
        manual,
        s.output.is_some(),
    )?;
    if s.escalate_to.is_some() && (manual || s.input.is_none()) {
        return Err("escalate_to belongs to a stage with an input and a handler".into());
    }
    if s.escalate_to.is_some() && s.output.is_none() {
        return Err("escalate_to needs an output queue: approving an escalated item sends it on to this stage's output, as if its handler had succeeded".into());
    }
    let sections = guards::Sections(s.window, s.breaker, s.budget);
    let guards = guards::parse(sections, !manual && s.input.is_some())?;
    let stream = stream_mode(&s.mode, s.in_flight, &handler, s.input.is_some())?;
    Ok(Stage {
        guards,
        stream,
        name: name.to_owned(),
        review,
        escalate_to: s.escalate_to,
        input: s.input,
        output: s.output,
        handler,
        max_attempts,
        backoff: s.backoff.map_or(Duration::from_secs(30), |d| d.0),
        max_backoff: s.max_backoff.map_or(Duration::from_secs(3_600), |d| d.0),
        timeout,
        rate_limit: s.rate_limit,
        dedup_by: s.dedup_by,
    })
}

impl Config {
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.name == name)
    }

    /// The stage that consumes `queue`, if any.
    pub fn stage_for_input(&self, queue: &str) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.input.as_deref() == Some(queue))
    }
}

#[cfg(test)]
mod tests;
