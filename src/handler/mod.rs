//! Stage handlers (DESIGN §4): what they are given, and how what they answer becomes an outcome.

pub mod exec;
pub mod guard;
pub mod http;
pub mod spawn;

use std::time::Duration;

use serde_json::value::RawValue;

use crate::duration;

/// What became of one handler call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done: these items go to the output queue (the input item itself when the handler
    /// printed nothing; none when it asked to drop the item).
    Success(Vec<Vec<u8>>),
    /// Not a failure: look at the item again later, optionally as a new version of it.
    Defer {
        after: Duration,
        replacement: Option<Vec<u8>>,
    },
    /// A failure that may pass: retry (after the backoff, or after `after` when the handler
    /// said when), until the stage's max_attempts.
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// A permanent failure: dead-letter now.
    Dead { reason: String },
    /// pipectl is stopping and the handler did not finish in the grace period.
    Interrupted,
}

/// Why a handler could not be run at all: not the item's fault, so the run stops (exit 78).
#[derive(Debug)]
pub struct Unrunnable(pub String);

/// What a handler is told about the item it gets.
pub struct Call<'a> {
    pub item: &'a [u8],
    pub stage: &'a str,
    pub queue: &'a str,
    pub attempt: u64,
}

/// The control channel: a handler may write `defer <DURATION>` or `drop` to the file named
/// by `$PIPECTL_CONTROL` (exec) or send it in a `Pipectl-Control` header (http).
#[derive(Debug, PartialEq, Eq)]
pub enum Control {
    None,
    Defer(Duration),
    Drop,
}

pub fn parse_control(text: &str) -> Result<Control, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Control::None);
    }
    let mut words = text.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some("drop"), None, None) => Ok(Control::Drop),
        (Some("defer"), Some(after), None) => duration::parse(after).map(Control::Defer),
        _ => Err(format!(
            "unknown control '{}' (write `defer 1d` or `drop`)",
            crate::output::truncate(text, 60)
        )),
    }
}

/// Turns a successful handler's output into the items it hands on: nothing printed (or the
/// item itself echoed back, as `cat` does) passes the item on unchanged; one JSON value
/// replaces it; several (NDJSON) fan out. Values are kept byte for byte, never re-encoded.
pub fn parse_output(
    output: &[u8],
    item: &[u8],
    max_item_bytes: usize,
) -> Result<Vec<Vec<u8>>, String> {
    let echoed = output == item
        || output
            .strip_suffix(b"\n")
            .is_some_and(|o| o == item || o.strip_suffix(b"\r") == Some(item));
    if output.iter().all(u8::is_ascii_whitespace) || echoed {
        return Ok(vec![item.to_vec()]);
    }
    let mut items = Vec::new();
    for value in serde_json::Deserializer::from_slice(output).into_iter::<&RawValue>() {
        let value = value.map_err(|e| format!("handler printed invalid JSON ({e})"))?;
        let bytes = value.get().as_bytes();
        if bytes.len() > max_item_bytes {
            return Err(format!(
                "handler printed an item of {} bytes, over the limit of {max_item_bytes}",
                bytes.len()
            ));
        }
        items.push(bytes.to_vec());
    }
    Ok(items)
}

/// Combines a handler's output and control into an outcome.
pub fn success(control: Control, output: &[u8], item: &[u8], max_item_bytes: usize) -> Outcome {
    let items = match parse_output(output, item, max_item_bytes) {
        Ok(items) => items,
        Err(reason) => {
            return Outcome::Retry {
                reason,
                after: None,
            };
        }
    };
    match control {
        Control::None => Outcome::Success(items),
        Control::Drop => Outcome::Success(Vec::new()),
        Control::Defer(after) => {
            let replacement = match &items[..] {
                [one] if one.as_slice() != item => Some(one.clone()),
                [_] => None,
                _ => {
                    return Outcome::Retry {
                        reason: "a deferred item may be replaced by one item, not several".into(),
                        after: None,
                    };
                }
            };
            Outcome::Defer { after, replacement }
        }
    }
}

/// The last `max` bytes of a handler's stderr, as text on one line, for a dead letter's reason.
pub fn tail(bytes: &[u8], max: usize) -> String {
    let start = bytes.len().saturating_sub(max);
    let text = String::from_utf8_lossy(&bytes[start..]);
    let text = text.trim();
    let joined: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    joined.join(" | ")
}

/// Stopping on SIGINT/SIGTERM: stop claiming at once; give running handlers `grace` to finish.
pub struct Shutdown {
    pub requested: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pub grace: Duration,
    noticed: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Shutdown {
    pub fn new(grace: Duration) -> Shutdown {
        Shutdown {
            requested: Default::default(),
            grace,
            noticed: std::sync::Mutex::new(None),
        }
    }

    pub fn is_requested(&self) -> bool {
        self.requested.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// True once a stop was requested and the grace period has run out.
    pub fn grace_over(&self) -> bool {
        if !self.is_requested() {
            return false;
        }
        let Ok(mut noticed) = self.noticed.lock() else {
            return true;
        };
        let since = *noticed.get_or_insert_with(std::time::Instant::now);
        since.elapsed() >= self.grace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_pass_replace_fan_out() {
        let item = br#"{"a":1}"#;
        assert_eq!(parse_output(b"", item, 100), Ok(vec![item.to_vec()]));
        assert_eq!(parse_output(b" \n", item, 100), Ok(vec![item.to_vec()]));
        assert_eq!(
            parse_output(b"{\n  \"b\": 2\n}\n", item, 100),
            Ok(vec![b"{\n  \"b\": 2\n}".to_vec()])
        );
        assert_eq!(
            parse_output(b"{\"x\":1}\n{\"x\":2}\n", item, 100),
            Ok(vec![b"{\"x\":1}".to_vec(), b"{\"x\":2}".to_vec()])
        );
        assert_eq!(
            parse_output(b"12345678901234567890123", item, 100),
            Ok(vec![b"12345678901234567890123".to_vec()])
        );
        assert!(parse_output(b"{\"x\":", item, 100).is_err());
        assert!(parse_output(b"not json", item, 100).is_err());
        assert_eq!(
            parse_output(b"plain item\n", b"plain item", 100),
            Ok(vec![b"plain item".to_vec()])
        );
        // An item ending in \r, echoed with a newline, is still the item echoed back.
        assert_eq!(
            parse_output(b"\0\r\n", b"\0\r", 100),
            Ok(vec![b"\0\r".to_vec()])
        );
        assert_eq!(
            parse_output(b"item\r\n", b"item", 100),
            Ok(vec![b"item".to_vec()])
        );
        assert!(
            parse_output(b"\"0123456789\"", item, 5)
                .unwrap_err()
                .contains("limit")
        );
    }

    #[test]
    fn control_words() {
        assert_eq!(parse_control(""), Ok(Control::None));
        assert_eq!(parse_control("drop\n"), Ok(Control::Drop));
        assert_eq!(
            parse_control("defer 1d"),
            Ok(Control::Defer(Duration::from_secs(86_400)))
        );
        assert!(parse_control("defer").is_err());
        assert!(parse_control("defer -1d").is_err());
        assert!(parse_control("explode").is_err());
    }

    #[test]
    fn defer_may_replace_the_item() {
        let item = br#"{"a":1}"#;
        let out = success(
            Control::Defer(Duration::from_secs(5)),
            br#"{"a":2}"#,
            item,
            100,
        );
        assert_eq!(
            out,
            Outcome::Defer {
                after: Duration::from_secs(5),
                replacement: Some(br#"{"a":2}"#.to_vec())
            }
        );
        let out = success(Control::Defer(Duration::from_secs(5)), b"", item, 100);
        assert_eq!(
            out,
            Outcome::Defer {
                after: Duration::from_secs(5),
                replacement: None
            }
        );
    }

    #[test]
    fn stderr_tail_is_one_bounded_line() {
        assert_eq!(
            tail(b"first\n\nsecond error\n", 100),
            "first | second error"
        );
        assert_eq!(tail(b"abcdef", 3), "def");
    }
}
