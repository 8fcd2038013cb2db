//! pipectl.toml + environment + flags -> `Config` (DESIGN §4).

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::duration::ConfigDuration;
use crate::error::Fail;
use crate::keys;

/// The commented starter file `pipectl init` writes; with `@NAME@` filled in it is also the
/// built-in default, so the two can never disagree.
pub const STARTER: &str = include_str!("starter.toml");
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
    pub stages: Vec<Stage>,
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
        tagged(DEFAULT_NAME)
    } else {
        DEFAULT_NAME.to_owned()
    }
}

/// `name` as a hash tag (`prospect` -> `{prospect}`), unless it already holds one.
pub fn tagged(name: &str) -> String {
    let has_tag = name
        .split_once('{')
        .and_then(|(_, rest)| rest.split_once('}'))
        .is_some_and(|(tag, _)| !tag.is_empty());
    if has_tag {
        name.to_owned()
    } else {
        format!("{{{name}}}")
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
    let name = tagged(name);
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
        name,
        source,
        stages: Vec::new(),
    };
    if config.stats_retention < Duration::from_secs(1) {
        return Err(bad("[pipeline] stats_retention must be at least 1s".into()));
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
    Ok(Stage {
        name: name.to_owned(),
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

/// What a key is used for in a pipeline, for the layout check.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Role {
    Input(String),
    Output(String),
    DeadLetters,
    Rejected,
    SeenSet,
    /// A companion key pipectl keeps beside a stage's input queue: (stage, queue, what).
    Companion(String, String, &'static str),
    Paused(String),
    RateLimit(String),
}

impl Role {
    /// The role in words, naming the config field that sets it.
    fn describe(&self) -> String {
        match self {
            Role::Input(s) => format!("the input of stage '{s}' ([stages.{s}] input)"),
            Role::Output(s) => format!("the output of stage '{s}' ([stages.{s}] output)"),
            Role::DeadLetters => "the dead-letter list ([pipeline] dead_letters)".into(),
            Role::Rejected => "the rejected list ([pipeline] rejected)".into(),
            Role::SeenSet => "the seen set ([pipeline] seen_set)".into(),
            Role::Companion(s, q, what) => {
                format!("where pipectl keeps the {what} of stage '{s}' (beside its input '{q}')")
            }
            Role::Paused(s) => format!("the pause flag of stage '{s}'"),
            Role::RateLimit(s) => {
                format!("the rate-limit counter of stage '{s}' ([stages.{s}] rate_limit.key)")
            }
        }
    }

    /// The config field to change, when the user sets this key.
    fn field(&self) -> Option<String> {
        match self {
            Role::Input(s) => Some(format!("[stages.{s}] input")),
            Role::Output(s) => Some(format!("[stages.{s}] output")),
            Role::DeadLetters => Some("[pipeline] dead_letters".into()),
            Role::Rejected => Some("[pipeline] rejected".into()),
            Role::SeenSet => Some("[pipeline] seen_set".into()),
            Role::RateLimit(s) => Some(format!("[stages.{s}] rate_limit.key")),
            Role::Companion(..) | Role::Paused(_) => None,
        }
    }
}

/// Whether one key may legitimately play both roles: the chain (one stage's output is
/// another's input), fan-in (several stages write one output), one rate limit shared by
/// several stages.
fn may_share(a: &Role, b: &Role) -> bool {
    match (a, b) {
        (Role::Output(x), Role::Input(y)) | (Role::Input(y), Role::Output(x)) => x != y,
        (Role::Output(_), Role::Output(_)) | (Role::RateLimit(_), Role::RateLimit(_)) => true,
        _ => false,
    }
}

/// Why two roles on one key go wrong.
fn clash_reason(a: &Role, b: &Role) -> String {
    use Role::*;
    match (a, b) {
        (Input(x), Output(y)) | (Output(y), Input(x)) if x == y => format!(
            "stage '{x}' would take its own results again, forever"
        ),
        (Input(x), Input(y)) => format!(
            "each queue feeds one stage: a claim cannot tell whether '{x}' or '{y}' should handle an item; if both need the items, give each its own input and have the producer push to both"
        ),
        (DeadLetters, Input(s)) | (Input(s), DeadLetters) => format!(
            "every failure would be fed back to stage '{s}', wrapped one envelope deeper each time"
        ),
        (DeadLetters, Output(s)) | (Output(s), DeadLetters) => format!(
            "the results of stage '{s}' would land among the dead letters, and `pipectl dead retry` would take them for envelopes"
        ),
        (Rejected, Input(s)) | (Input(s), Rejected) => format!(
            "every item rejected at review would be fed back to stage '{s}' as an envelope"
        ),
        (Rejected, Output(s)) | (Output(s), Rejected) => format!(
            "the results of stage '{s}' would land among the rejected items"
        ),
        (DeadLetters, Rejected) | (Rejected, DeadLetters) => {
            "`pipectl dead retry` would send items a reviewer rejected back to their stage".into()
        }
        (SeenSet, _) | (_, SeenSet) => {
            "the seen set is a Redis set and the other a list or counter: every write to one of them would fail with WRONGTYPE".into()
        }
        (Companion(s, _, _), _) | (_, Companion(s, _, _)) => format!(
            "pipectl's bookkeeping for stage '{s}' would be overwritten, or fail with WRONGTYPE"
        ),
        (Paused(s), _) | (_, Paused(s)) => format!(
            "writing there would pause stage '{s}', or pausing it would overwrite the other"
        ),
        (RateLimit(s), _) | (_, RateLimit(s)) => format!(
            "the rate limit of stage '{s}' is a string counter: it would clash with the other's type"
        ),
        _ => "one key cannot serve both".into(),
    }
}

/// Refuses a layout in which keys meant for one purpose are used for another, so that
/// items are fed back where they should not be (dead letters or rejected items into a
/// stage, a stage into itself, a loop of stages) or pipectl's own keys collide with a queue.
fn validate_queues(config: &Config) -> Result<(), Fail> {
    let mut roles: Vec<(String, Role)> = vec![
        (config.dead_letters.clone(), Role::DeadLetters),
        (config.rejected.clone(), Role::Rejected),
        (config.seen_set.clone(), Role::SeenSet),
    ];
    for stage in &config.stages {
        let name = &stage.name;
        if let Some(input) = &stage.input {
            roles.push((input.clone(), Role::Input(name.clone())));
            let q = keys::QueueKeys::new(input);
            for (key, what) in [
                (q.leases, "lease deadlines"),
                (q.leased, "leased items"),
                (q.attempts, "attempt counts"),
                (q.delayed, "delayed retries"),
            ] {
                roles.push((key, Role::Companion(name.clone(), input.clone(), what)));
            }
        }
        if let Some(output) = &stage.output {
            roles.push((output.clone(), Role::Output(name.clone())));
        }
        roles.push((keys::paused(&config.name, name), Role::Paused(name.clone())));
        if let Some(rl) = &stage.rate_limit {
            roles.push((rl.key.clone(), Role::RateLimit(name.clone())));
        }
    }
    for (i, (key, a)) in roles.iter().enumerate() {
        for (other, b) in &roles[i + 1..] {
            if key != other || may_share(a, b) {
                continue;
            }
            let own_loop = match (a, b) {
                (Role::Input(x), Role::Output(y)) | (Role::Output(y), Role::Input(x)) if x == y => {
                    Some(x)
                }
                _ => None,
            };
            let fix = match (own_loop, a.field(), b.field()) {
                (Some(s), _, _) => format!(
                    "point [stages.{s}] output at another queue (the next stage's input), or leave it out in the last stage"
                ),
                (None, Some(f), Some(g)) => format!("give {f} or {g} a key of its own"),
                (None, Some(f), None) | (None, None, Some(f)) => {
                    format!("give {f} a key of its own")
                }
                (None, None, None) => "rename a stage or a queue".into(),
            };
            let defaults = [
                (Role::DeadLetters, keys::default_dead_letters(&config.name)),
                (Role::Rejected, keys::default_rejected(&config.name)),
                (Role::SeenSet, keys::default_seen_set(&config.name)),
            ];
            let example = defaults
                .iter()
                .find(|(role, default)| (role == a || role == b) && default != key)
                .map(|(role, default)| {
                    format!(
                        " (e.g. {} = \"{default}\", the default)",
                        role.field().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            return Err(Fail::config(format!(
                "'{key}' is both {} and {}: {}",
                a.describe(),
                b.describe(),
                clash_reason(a, b)
            ))
            .hint(format!("{fix}{example}")));
        }
    }
    if let Some(cycle) = stage_cycle(config) {
        let path = cycle
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(" -> ");
        return Err(Fail::config(format!(
            "stages {path} form a loop (each one's output is the next one's input): items would go round forever"
        ))
        .hint(format!(
            "point [stages.{}] output at a queue that does not lead back to stage '{}'; to look at an item again later, a handler writes `defer <DURATION>` to $PIPECTL_CONTROL (http: a Pipectl-Control header)",
            cycle[cycle.len() - 2],
            cycle[0]
        )));
    }
    Ok(())
}

/// A loop of two or more stages, each one's output the next one's input: the stage names,
/// the first repeated at the end. (A stage feeding itself is refused as a key clash.)
fn stage_cycle(config: &Config) -> Option<Vec<String>> {
    let next = |stage: &Stage| {
        stage
            .output
            .as_deref()
            .and_then(|out| config.stage_for_input(out))
    };
    for start in &config.stages {
        let mut path = vec![start.name.clone()];
        let mut at = start;
        // Each stage has at most one successor, so a walk of n steps finds any loop.
        for _ in 0..config.stages.len() {
            let Some(following) = next(at) else { break };
            if following.name == start.name {
                path.push(start.name.clone());
                return (path.len() > 2).then_some(path);
            }
            if path.contains(&following.name) {
                break;
            }
            path.push(following.name.clone());
            at = following;
        }
    }
    None
}

/// In a Redis Cluster, every atomic step of a stage must touch keys of one hash slot: its
/// input queue with its companions and pause flag, its output and seen set, the dead
/// letters and its daily counters. Refuses any other layout, naming the fix.
pub fn check_cluster_slots(config: &Config) -> Result<(), Fail> {
    let day = "2000-01-01";
    for stage in &config.stages {
        let mut steps: Vec<String> = Vec::new();
        if let Some(input) = &stage.input {
            let q = keys::QueueKeys::new(input);
            steps.extend([q.queue, q.leases, q.leased, q.attempts, q.delayed]);
            steps.push(keys::paused(&config.name, &stage.name));
            if !matches!(stage.handler, Handler::Manual) {
                steps.push(config.dead_letters.clone());
                for event in keys::STAGE_EVENTS {
                    steps.push(keys::counter(
                        &keys::stage_counter(&config.name, &stage.name, event),
                        day,
                    ));
                }
            }
        }
        if let Some(output) = &stage.output
            && stage.input.is_some()
        {
            steps.push(output.clone());
        }
        if stage.dedup_by.is_some() && stage.input.is_some() {
            steps.push(config.seen_set.clone());
            steps.push(keys::counter(&keys::counter_new(&config.name), day));
            steps.push(keys::counter(&keys::counter_dup(&config.name), day));
        }
        if stage.input.is_none() {
            // A source stage's enqueue with dedup: its output and the seen set.
            steps.extend(stage.output.clone());
            if stage.dedup_by.is_some() {
                steps.push(config.seen_set.clone());
            }
        }
        let refs: Vec<&str> = steps.iter().map(String::as_str).collect();
        if let Some(fail) = crate::store::cross_slot(&refs) {
            return Err(Fail {
                message: format!("stage '{}': {}", stage.name, fail.message),
                ..fail
            });
        }
    }
    Ok(())
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
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

/// Header values that could be secrets: shown only when every literal part is an auth scheme
/// word and the secret itself is a `${VAR}` reference; anything else is hidden.
pub fn redact_header(value: &str) -> String {
    let mut literal = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => return "<redacted>".into(),
        }
    }
    literal.push_str(rest);
    let literal = literal.trim();
    let only_scheme = literal.is_empty() || matches!(literal, "Bearer" | "Basic" | "Token");
    if value.contains("${") && only_scheme {
        value.to_owned()
    } else {
        "<redacted>".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_the_prospect_pipeline() {
        let c = builtin("prospect").unwrap();
        assert_eq!(c.seen_set, "prospect:seen");
        assert_eq!(c.dead_letters, "prospect:failed");
        let names: Vec<_> = c.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["discover", "build", "review", "outreach", "followup"]
        );
        assert!(matches!(
            c.stage("review").unwrap().handler,
            Handler::Manual
        ));
        assert_eq!(c.stage_for_input("prospect:queue").unwrap().name, "build");
    }

    #[test]
    fn errors_carry_line_and_column() {
        let err = parse(
            "[pipeline]\nname = 3\n",
            Source::File("x.toml".into()),
            None,
        )
        .unwrap_err();
        assert!(err.message.starts_with("x.toml:2:8:"), "{}", err.message);
        let err = parse(
            "[pipeline]\nnope = 1\n",
            Source::File("x.toml".into()),
            None,
        )
        .unwrap_err();
        assert!(
            err.message.contains("x.toml:2:1") && err.message.contains("nope"),
            "{}",
            err.message
        );
        let err = parse(
            "[stages.a]\ninput='q'\nbackoff='-5m'\n",
            Source::Builtin,
            None,
        )
        .unwrap_err();
        assert!(
            err.message.contains(":3:") && err.message.contains("negative"),
            "{}",
            err.message
        );
    }

    #[test]
    fn rejects_shared_inputs_and_missing_handlers() {
        let err = parse(
            "[stages.a]\ninput='q'\n[stages.b]\ninput='q'\n",
            Source::Builtin,
            None,
        )
        .unwrap_err();
        assert!(
            err.message.contains("'q' is both the input of stage 'a'")
                && err.message.contains("each queue feeds one stage"),
            "{}",
            err.message
        );
        let err = parse("[stages.a]\noutput='q'\n", Source::Builtin, None).unwrap_err();
        assert!(
            err.message.contains("no input and no handler"),
            "{}",
            err.message
        );
        let err = parse("[pipeline]\nname='x'\n", Source::Builtin, None).unwrap_err();
        assert!(err.message.contains("no stages"), "{}", err.message);
    }

    #[test]
    fn header_secrets_are_redacted_unless_references() {
        assert_eq!(redact_header("Bearer ${TOKEN}"), "Bearer ${TOKEN}");
        assert_eq!(redact_header("${TOKEN}"), "${TOKEN}");
        assert_eq!(redact_header("Bearer s3cret"), "<redacted>");
    }
}
