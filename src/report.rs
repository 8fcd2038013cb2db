//! The one reporter: classifies any error to its exit code and writes it (text, or JSON
//! under `--json`) to stderr; also the JSON shapes of errors and warnings.

use std::io::{self, Write};

use crate::error::Fail;
use crate::exit::Exit;

/// What the reporter decided about an error: its exit code, or a quiet exit.
pub enum Verdict {
    /// Output went to a closed pipe (`pipectl ls | head`): exit quietly with 0.
    BrokenPipe,
    Report {
        exit: Exit,
        message: String,
        hint: Option<String>,
        causes: Vec<String>,
        partial: Option<serde_json::Value>,
    },
}

/// Classifies an error chain: the first `Fail` wins, then Redis errors, then I/O errors.
pub fn classify(err: &anyhow::Error) -> Verdict {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            return Verdict::BrokenPipe;
        }
    }
    let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
    // A `Fail` given as context (`.context(Fail::…)`) is found by `downcast_ref`, not in the chain.
    let fail = err
        .downcast_ref::<Fail>()
        .or_else(|| err.chain().find_map(|c| c.downcast_ref::<Fail>()));
    if let Some(fail) = fail {
        return Verdict::Report {
            exit: fail.exit,
            message: err.to_string(),
            hint: fail.hint.clone(),
            causes,
            partial: fail.partial.as_deref().cloned(),
        };
    }
    if let Some(redis) = err
        .chain()
        .find_map(|c| c.downcast_ref::<redis::RedisError>())
    {
        let (exit, hint) = crate::store::classify_redis_error(redis);
        let mut message = err.to_string();
        let mut causes = causes;
        if matches!(exit, Exit::Unavailable | Exit::NoPerm)
            && message == redis.to_string()
            && (exit == Exit::Unavailable || crate::store::untrusted_certificate(redis).is_some())
        {
            // A bare "unexpected end of file" from deep inside a run: say what it means.
            causes.insert(0, message);
            message = crate::store::describe_unavailable(redis);
        }
        return Verdict::Report {
            exit,
            message,
            hint,
            causes,
            partial: None,
        };
    }
    Verdict::Report {
        exit: Exit::Failure,
        message: err.to_string(),
        hint: None,
        causes,
        partial: None,
    }
}

/// An error under `--json`: one line on stderr (docs/json.md, docs/schema/error.json).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ErrorDoc {
    pub error: ErrorBody,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// The exit code pipectl exits with.
    pub code: u8,
    /// The exit code's stable name (`usage`, `unavailable`, `bad_config`, …).
    pub name: &'static str,
    /// What failed, in one line.
    pub message: String,
    /// What to do about it, when pipectl knows.
    pub hint: Option<String>,
    /// The chain of causes, outermost first.
    pub causes: Vec<String>,
    /// What a write cut short did do (enqueue, stage): counts and how to resume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<serde_json::Value>,
}

/// A warning under `--json`: one line on stderr; stdout stays the command's result.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct WarningDoc {
    pub warning: WarningBody,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct WarningBody {
    pub message: String,
}

/// A usage error from clap, as text or (`--json` anywhere on the command line) as JSON,
/// on stderr. Returns exit 2.
pub fn report_usage(err: &clap::Error, json: bool) -> Exit {
    let rendered = err.render().to_string();
    if !json {
        err.print().ok();
        return Exit::Usage;
    }
    let mut lines = rendered.lines().filter(|l| !l.trim().is_empty());
    let message = lines
        .next()
        .unwrap_or("invalid command line")
        .trim_start_matches("error: ")
        .to_owned();
    let rest: Vec<&str> = lines.map(str::trim).collect();
    let doc = ErrorDoc {
        error: ErrorBody {
            code: Exit::Usage.code(),
            name: Exit::Usage.name(),
            message,
            hint: (!rest.is_empty()).then(|| rest.join(" ")),
            causes: Vec::new(),
            partial: None,
        },
    };
    if let Ok(text) = serde_json::to_string(&doc) {
        writeln!(io::stderr().lock(), "{text}").ok();
    }
    Exit::Usage
}

/// Writes an error to stderr (never panics, even when stderr is closed) and returns its exit code.
pub fn report(err: &anyhow::Error, json: bool, color: bool) -> Exit {
    let Verdict::Report {
        exit,
        message,
        hint,
        mut causes,
        partial,
    } = classify(err)
    else {
        return Exit::Ok;
    };
    // anyhow's Display of the top error repeats nothing from the chain, but a cause may equal it.
    causes.retain(|c| *c != message);
    causes.dedup();
    let stderr = io::stderr();
    let mut w = stderr.lock();
    if json {
        let doc = ErrorDoc {
            error: ErrorBody {
                code: exit.code(),
                name: exit.name(),
                message,
                hint,
                causes,
                partial,
            },
        };
        if let Ok(text) = serde_json::to_string(&doc) {
            writeln!(w, "{text}").ok();
        }
        return exit;
    }
    let label = if color {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    };
    writeln!(w, "{label} {message}").ok();
    for cause in &causes {
        writeln!(w, "  caused by: {cause}").ok();
    }
    if let Some(hint) = hint {
        writeln!(w, "  hint: {hint}").ok();
    }
    exit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(err: anyhow::Error) -> (Exit, String) {
        match classify(&err) {
            Verdict::Report { exit, message, .. } => (exit, message),
            Verdict::BrokenPipe => (Exit::Ok, "<quiet>".into()),
        }
    }

    #[test]
    fn a_dropped_redis_connection_is_69_in_words_never_a_quiet_broken_pipe() {
        // EPIPE on the Redis socket is Redis going away, not stdout closing under `| head`.
        for kind in [
            io::ErrorKind::BrokenPipe,
            io::ErrorKind::UnexpectedEof,
            io::ErrorKind::ConnectionReset,
        ] {
            let redis = redis::RedisError::from(io::Error::new(kind, "gone"));
            let (exit, message) = verdict(redis.into());
            assert_eq!(exit, Exit::Unavailable, "{kind:?}");
            assert!(
                message.contains("lost the connection to Redis"),
                "{message}"
            );
        }
        // Our own stdout closing stays quiet.
        let (exit, _) = verdict(io::Error::from(io::ErrorKind::BrokenPipe).into());
        assert_eq!(exit, Exit::Ok);
    }

    #[test]
    fn a_fail_given_as_context_keeps_its_code_and_hint() {
        let err = anyhow::anyhow!("inner").context(Fail::data("outer").hint("do this"));
        match classify(&err) {
            Verdict::Report { exit, hint, .. } => {
                assert_eq!(exit, Exit::DataErr);
                assert_eq!(hint.as_deref(), Some("do this"));
            }
            Verdict::BrokenPipe => panic!("not a broken pipe"),
        }
    }
}
