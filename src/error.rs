//! One error type that carries its exit code, and the one reporter that prints errors.

use std::fmt;
use std::io::{self, Write};

use crate::exit::Exit;

/// An error pipectl raises on purpose: it knows its exit code and what the user should do.
#[derive(Debug)]
pub struct Fail {
    pub exit: Exit,
    pub message: String,
    pub hint: Option<String>,
    /// What a multi-item write cut short did write (see `batch::Cut`): `error.partial`
    /// under `--json`.
    pub partial: Option<Box<serde_json::Value>>,
}

impl Fail {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Fail {
            exit,
            message: message.into(),
            hint: None,
            partial: None,
        }
    }
    pub fn data(message: impl Into<String>) -> Self {
        Fail::new(Exit::DataErr, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Fail::new(Exit::Usage, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Fail::new(Exit::Config, message)
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn partial(mut self, partial: serde_json::Value) -> Self {
        self.partial = Some(Box::new(partial));
        self
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

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
        let mut doc = serde_json::json!({
            "error": { "code": exit.code(), "message": message, "hint": hint, "causes": causes }
        });
        if let Some(partial) = partial {
            doc["error"]["partial"] = partial;
        }
        writeln!(w, "{doc}").ok();
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
