//! A failed tool call as the model sees it: a tool error (`isError`) carrying what the CLI
//! prints under `--json` (report.rs ErrorDoc: the exit code and its name, the message, the
//! hint), never a protocol error.

use rmcp::model::{CallToolResult, ContentBlock};

use crate::report::{ErrorBody, ErrorDoc, Verdict, classify};

/// The error as a tool result: a line to read, then the ErrorDoc as JSON (also as
/// structured content).
pub fn tool_error(err: &anyhow::Error) -> CallToolResult {
    let doc = doc(err);
    let mut line = format!("error ({}): {}", doc.error.name, doc.error.message);
    if let Some(hint) = &doc.error.hint {
        line.push_str(&format!("\nhint: {hint}"));
    }
    let json = serde_json::to_string(&doc).unwrap_or_default();
    CallToolResult::error(vec![ContentBlock::text(line), ContentBlock::text(json)])
}

/// The ErrorDoc the CLI would print for `err`.
pub fn doc(err: &anyhow::Error) -> ErrorDoc {
    let (exit, message, hint, mut causes, partial) = match classify(err) {
        Verdict::Report {
            exit,
            message,
            hint,
            causes,
            partial,
        } => (exit, message, hint, causes, partial),
        // Not stdout closing here: a pipe to Redis or elsewhere.
        Verdict::BrokenPipe => (
            crate::exit::Exit::Failure,
            err.to_string(),
            None,
            Vec::new(),
            None,
        ),
    };
    causes.retain(|c| *c != message);
    causes.dedup();
    ErrorDoc {
        error: ErrorBody {
            code: exit.code(),
            name: exit.name(),
            message,
            hint,
            causes,
            partial,
        },
    }
}

/// Whether the error means the Redis connection is gone (make a new one next time).
pub fn lost_connection(err: &anyhow::Error) -> bool {
    err.chain()
        .find_map(|c| c.downcast_ref::<redis::RedisError>())
        .is_some_and(|e| crate::store::is_transient(e) || e.is_io_error())
}
