use anyhow::Result;
use serde_json::{Map, Value, json};

use crate::config::{Handler, Source, redact_header};
use crate::context::Ctx;
use crate::duration;
use crate::exit::Exit;
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
    /// Header values and URL passwords are redacted; durations are written as in the file.
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
    /// Example:
    ///   pipectl config path        # ./pipectl.toml, or "built-in"
    ///
    /// Exit codes: 0 ok, 1 the output could not be written, 78 the config file is invalid
    /// (with file, line and column).
    #[command(verbatim_doc_comment)]
    Path,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let url = redact_url(&ctx.global.url);
    let config = ctx.config()?.clone();
    let source = match &config.source {
        Source::Builtin => "built-in".to_owned(),
        Source::File(p) => p.display().to_string(),
    };
    if let Sub::Path = args.command {
        if ctx.out.json {
            ctx.out.json(&json!({ "config": source }))?;
        } else {
            ctx.out.line(source)?;
        }
        return Ok(Exit::Ok);
    }
    let mut stages = Map::new();
    for s in &config.stages {
        let mut st = Map::new();
        if let Some(input) = &s.input {
            st.insert("input".into(), input.clone().into());
        }
        if let Some(output) = &s.output {
            st.insert("output".into(), output.clone().into());
        }
        match &s.handler {
            Handler::Exec(argv) => {
                st.insert("exec".into(), json!(argv));
            }
            Handler::Http(h) => {
                let headers: Map<String, Value> = h
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), redact_header(v).into()))
                    .collect();
                let mut http = json!({"url": redact_url(&h.url), "headers": headers});
                if h.follow_redirects {
                    http["follow_redirects"] = true.into();
                }
                st.insert("http".into(), http);
            }
            Handler::Manual => {}
        }
        if !matches!(s.handler, Handler::Manual) {
            st.insert("max_attempts".into(), s.max_attempts.into());
            st.insert("backoff".into(), duration::format(s.backoff).into());
            st.insert("max_backoff".into(), duration::format(s.max_backoff).into());
            st.insert("timeout".into(), duration::format(s.timeout).into());
        }
        if let Some(rl) = &s.rate_limit {
            st.insert(
                "rate_limit".into(),
                json!({"key": rl.key, "limit": rl.limit, "per": duration::format(rl.per.0)}),
            );
        }
        if let Some(field) = &s.dedup_by {
            st.insert("dedup_by".into(), field.clone().into());
        }
        stages.insert(s.name.clone(), Value::Object(st));
    }
    let doc = json!({
        "source": source,
        "connection": { "url": url },
        "pipeline": {
            "name": config.name,
            "seen_set": config.seen_set,
            "dead_letters": config.dead_letters,
            "rejected": config.rejected,
            "stats_retention": duration::format(config.stats_retention),
            "max_item_bytes": config.max_item_bytes,
        },
        "stages": stages,
    });
    if ctx.out.json {
        ctx.out.json(&doc)?;
    } else {
        let text = toml::to_string(&doc)
            .unwrap_or_else(|e| format!("# cannot render as TOML: {e}\n{doc:#}"));
        ctx.out.line(format_args!(
            "# effective config ({source})\n{}",
            text.trim_end()
        ))?;
    }
    Ok(Exit::Ok)
}
