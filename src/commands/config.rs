use std::time::Duration;

use anyhow::Result;
use indexmap::IndexMap;

use crate::config::{Config, Handler, Source, redact_header};
use crate::context::Ctx;
use crate::duration;
use crate::exit::Exit;
use crate::output::{Output, Report};
use crate::store::redact_url;

/// Inspect the effective configuration
///
/// Where pipectl.toml is found: --config, PIPECTL_CONFIG, ./pipectl.toml, then
/// $XDG_CONFIG_HOME/pipectl/pipectl.toml; without one, the built-in prospect pipeline.
///
/// Examples:
///   pipectl config show
///   pipectl config path
///   pipectl --config examples/pipectl.toml config show --json | jq '.stages | keys'
///
/// Exit codes: 0 ok, 1 the output could not be written, 78 the config file is invalid or
/// missing (with file, line and column).
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Print the effective config (file, defaults and flags merged; secrets redacted)
    ///
    /// Header values and URL passwords are redacted. The text is a pipectl.toml (durations
    /// written as in the file); --json gives durations as integer milliseconds (`*_ms`):
    /// {"path","connection":{"url"},"pipeline":{…},"stages":{"<name>":{…},…}}.
    ///
    /// Examples:
    ///   pipectl config show
    ///   pipectl config show --json | jq .stages.build
    ///
    /// Exit codes: 0 valid, 1 the output could not be written, 78 the config file is invalid
    /// (with file, line and column).
    #[command(verbatim_doc_comment)]
    Show,
    /// Print the path of the config file in use ("built-in" when none)
    ///
    /// With --json: {"path"}, null for the built-in pipeline.
    ///
    /// Example:
    ///   pipectl config path        # ./pipectl.toml, or "built-in"
    ///
    /// Exit codes: 0 ok, 1 the output could not be written, 78 the config file is invalid
    /// (with file, line and column).
    #[command(verbatim_doc_comment)]
    Path(crate::global::Offline),
}

/// `pipectl config path`: the config file in use.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ConfigPath {
    /// The file read; null when none was found and the built-in pipeline is in use.
    pub path: Option<String>,
}

impl Report for ConfigPath {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(self.path.as_deref().unwrap_or("built-in"))
    }
}

/// `pipectl config show`: the effective config, secrets redacted.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ConfigShow {
    /// The file read; null for the built-in pipeline.
    pub path: Option<String>,
    pub connection: Connection,
    pub pipeline: PipelineView,
    /// Every stage by name, in the file's order.
    pub stages: IndexMap<String, StageView>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Connection {
    /// The Redis URL in use, its password redacted.
    pub url: String,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PipelineView {
    /// The pipeline's name (its default key prefix).
    pub name: String,
    /// The dedup set.
    pub seen_set: String,
    /// The dead-letter list.
    pub dead_letters: String,
    /// Where rejected items go.
    pub rejected: String,
    /// How long daily counters are kept.
    pub stats_retention_ms: u64,
    /// Items larger than this are refused.
    pub max_item_bytes: u64,
}

/// A stage; what does not apply to it (a handler's settings on a manual stage) is null.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StageView {
    /// The queue it takes from; null for a source stage.
    pub input: Option<String>,
    /// The queue it passes items on to; null for the last stage.
    pub output: Option<String>,
    /// `exec`, `http`, or `manual` (approve/reject).
    pub handler: HandlerKind,
    /// The exec handler's argv.
    pub exec: Option<Vec<String>>,
    pub http: Option<HttpView>,
    pub max_attempts: Option<u32>,
    /// The first retry's delay (it grows exponentially, with jitter).
    pub backoff_ms: Option<u64>,
    /// The longest retry delay.
    pub max_backoff_ms: Option<u64>,
    /// How long one handler call may take.
    pub timeout_ms: Option<u64>,
    pub rate_limit: Option<RateLimitView>,
    /// The JSON field (dotted path) items are deduplicated by.
    pub dedup_by: Option<String>,
    /// An exec handler's mode: `per-item` (one process per item) or `stream` (one
    /// long-lived process per concurrency slot, docs/handler-stream.md); null for http and
    /// manual stages.
    pub mode: Option<ExecModeView>,
    /// Requests one stream handler process may have unanswered at once; null unless
    /// `mode` is `stream`.
    pub in_flight: Option<u64>,
}

#[derive(Clone, Copy, Debug, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExecModeView {
    PerItem,
    Stream,
}

impl ExecModeView {
    fn word(self) -> &'static str {
        match self {
            ExecModeView::PerItem => "per-item",
            ExecModeView::Stream => "stream",
        }
    }
}

#[derive(Clone, Copy, Debug, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandlerKind {
    Exec,
    Http,
    Manual,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct HttpView {
    /// The URL items are POSTed to, its password redacted.
    pub url: String,
    /// Request headers; literal secrets redacted, `${VAR}` references shown as written.
    pub headers: IndexMap<String, String>,
    /// Whether a same-origin redirect of the POST is followed.
    pub follow_redirects: bool,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct RateLimitView {
    /// The rate-limit counter key.
    pub key: String,
    /// Uses allowed per window.
    pub limit: u64,
    /// The window's length.
    pub per_ms: u64,
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// The effective config as `config show` prints it; `url` is the connection URL in use.
pub fn show(config: &Config, url: &str) -> ConfigShow {
    let stages = config
        .stages
        .iter()
        .map(|s| {
            let manual = matches!(s.handler, Handler::Manual);
            let handled = |d: Duration| (!manual).then_some(ms(d));
            let view = StageView {
                input: s.input.clone(),
                output: s.output.clone(),
                handler: match s.handler {
                    Handler::Exec(_) => HandlerKind::Exec,
                    Handler::Http(_) => HandlerKind::Http,
                    Handler::Manual => HandlerKind::Manual,
                },
                exec: match &s.handler {
                    Handler::Exec(argv) => Some(argv.clone()),
                    _ => None,
                },
                http: match &s.handler {
                    Handler::Http(h) => Some(HttpView {
                        url: redact_url(&h.url),
                        headers: h
                            .headers
                            .iter()
                            .map(|(k, v)| (k.clone(), redact_header(v)))
                            .collect(),
                        follow_redirects: h.follow_redirects,
                    }),
                    _ => None,
                },
                max_attempts: (!manual).then_some(s.max_attempts),
                backoff_ms: handled(s.backoff),
                max_backoff_ms: handled(s.max_backoff),
                timeout_ms: handled(s.timeout),
                rate_limit: s.rate_limit.as_ref().map(|rl| RateLimitView {
                    key: rl.key.clone(),
                    limit: rl.limit,
                    per_ms: ms(rl.per.0),
                }),
                dedup_by: s.dedup_by.clone(),
                mode: match (&s.handler, s.stream) {
                    (Handler::Exec(_), Some(_)) => Some(ExecModeView::Stream),
                    (Handler::Exec(_), None) => Some(ExecModeView::PerItem),
                    _ => None,
                },
                in_flight: s.stream.map(|m| m.in_flight as u64),
            };
            (s.name.clone(), view)
        })
        .collect();
    ConfigShow {
        path: path_of(config),
        connection: Connection {
            url: redact_url(url),
        },
        pipeline: PipelineView {
            name: config.name.clone(),
            seen_set: config.seen_set.clone(),
            dead_letters: config.dead_letters.clone(),
            rejected: config.rejected.clone(),
            stats_retention_ms: ms(config.stats_retention),
            max_item_bytes: config.max_item_bytes as u64,
        },
        stages,
    }
}

fn path_of(config: &Config) -> Option<String> {
    match &config.source {
        Source::Builtin => None,
        Source::File(p) => Some(p.display().to_string()),
    }
}

impl ConfigShow {
    /// The config as a pipectl.toml would write it: durations as `30s`, only what is set.
    fn to_toml(&self) -> toml::Table {
        use toml::Value as V;
        let text = |d: u64| V::String(duration::exact(Duration::from_millis(d)));
        let p = &self.pipeline;
        let mut pipeline = toml::Table::new();
        pipeline.insert("name".into(), p.name.clone().into());
        pipeline.insert("seen_set".into(), p.seen_set.clone().into());
        pipeline.insert("dead_letters".into(), p.dead_letters.clone().into());
        pipeline.insert("rejected".into(), p.rejected.clone().into());
        pipeline.insert("stats_retention".into(), text(p.stats_retention_ms));
        // A size past i64 cannot be written in TOML; no real config has one.
        pipeline.insert(
            "max_item_bytes".into(),
            V::Integer(i64::try_from(p.max_item_bytes).unwrap_or(i64::MAX)),
        );
        let mut stages = toml::Table::new();
        for (name, s) in &self.stages {
            let mut t = toml::Table::new();
            let mut put = |k: &str, v: Option<V>| {
                if let Some(v) = v {
                    t.insert(k.into(), v);
                }
            };
            put("input", s.input.clone().map(V::String));
            put("output", s.output.clone().map(V::String));
            put(
                "exec",
                s.exec
                    .as_ref()
                    .map(|argv| V::Array(argv.iter().cloned().map(V::String).collect())),
            );
            put(
                "http",
                s.http.as_ref().map(|h| {
                    let mut http = toml::Table::new();
                    http.insert("url".into(), h.url.clone().into());
                    let headers: toml::Table = h
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), V::String(v.clone())))
                        .collect();
                    http.insert("headers".into(), V::Table(headers));
                    if h.follow_redirects {
                        http.insert("follow_redirects".into(), true.into());
                    }
                    V::Table(http)
                }),
            );
            put("max_attempts", s.max_attempts.map(|n| V::Integer(n.into())));
            put("backoff", s.backoff_ms.map(text));
            put("max_backoff", s.max_backoff_ms.map(text));
            put("timeout", s.timeout_ms.map(text));
            put(
                "rate_limit",
                s.rate_limit.as_ref().map(|rl| {
                    let mut r = toml::Table::new();
                    r.insert("key".into(), rl.key.clone().into());
                    r.insert(
                        "limit".into(),
                        V::Integer(i64::try_from(rl.limit).unwrap_or(i64::MAX)),
                    );
                    r.insert("per".into(), text(rl.per_ms));
                    V::Table(r)
                }),
            );
            put("dedup_by", s.dedup_by.clone().map(V::String));
            put("mode", s.mode.map(|m| V::String(m.word().into())));
            put(
                "in_flight",
                s.in_flight
                    .map(|n| V::Integer(i64::try_from(n).unwrap_or(i64::MAX))),
            );
            stages.insert(name.clone(), V::Table(t));
        }
        let mut doc = toml::Table::new();
        doc.insert("pipeline".into(), V::Table(pipeline));
        doc.insert("stages".into(), V::Table(stages));
        doc
    }
}

impl Report for ConfigShow {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let source = self.path.as_deref().unwrap_or("built-in");
        let text = toml::to_string(&self.to_toml())
            .unwrap_or_else(|e| format!("# cannot render as TOML: {e}"));
        out.line(format_args!(
            "# effective config ({source}), secrets redacted\n# connection: {}\n\n{}",
            self.connection.url,
            text.trim_end()
        ))
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let url = ctx.connect_options().url;
    let config = ctx.config()?;
    match args.command {
        Sub::Path(_) => {
            let result = ConfigPath {
                path: path_of(config),
            };
            ctx.out.print(&result)?;
        }
        Sub::Show => {
            let result = show(config, &url);
            ctx.out.print(&result)?;
        }
    }
    Ok(Exit::Ok)
}
