//! `mode = "stream"` for exec handlers: one long-lived process per concurrency slot.

use serde::Deserialize;

use super::Handler;

/// A stream-mode exec handler's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamMode {
    /// Requests one handler process may have unanswered at once (`in_flight`, default 1).
    pub in_flight: usize,
}

/// The most requests a stream handler may be given at once.
pub const MAX_IN_FLIGHT: usize = 64;

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub(super) enum ExecMode {
    PerItem,
    Stream,
}

/// `mode` and `in_flight`: for an exec handler of a stage with an input only.
pub(super) fn stream_mode(
    mode: &Option<ExecMode>,
    in_flight: Option<usize>,
    handler: &Handler,
    has_input: bool,
) -> Result<Option<StreamMode>, String> {
    let stream = *mode == Some(ExecMode::Stream);
    if mode.is_some() && !matches!(handler, Handler::Exec(_)) {
        return Err("mode belongs to an exec handler: exec = [...], mode = \"stream\"".into());
    }
    if stream && !has_input {
        return Err("is a source stage (no input): it runs its handler once, so mode = \"stream\" does not apply".into());
    }
    if in_flight.is_some() && !stream {
        return Err("in_flight needs mode = \"stream\"".into());
    }
    let in_flight = in_flight.unwrap_or(1);
    if !(1..=MAX_IN_FLIGHT).contains(&in_flight) {
        return Err(format!("in_flight must be 1 to {MAX_IN_FLIGHT}"));
    }
    Ok(stream.then_some(StreamMode { in_flight }))
}
