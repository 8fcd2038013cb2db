//! Stage handlers (DESIGN §4): what they are given, and how what they answer becomes an outcome.

pub mod cost;
pub mod exec;
pub mod guard;
pub mod http;
pub mod spawn;
pub mod stream;

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
    /// Not for the handler to decide: the item goes to a person (the stage's `escalate_to`
    /// manual stage) with this question, optionally as a new version of it.
    Review {
        question: String,
        replacement: Option<Vec<u8>>,
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
    /// The reviewer's note when the item was sent back from review (`pipectl send-back`),
    /// as text fit for an environment variable (see [`note_text`]).
    pub note: Option<&'a str>,
}

/// Notes longer than this many bytes are cut (at a character boundary) before a handler is
/// given one: `send-back` refuses longer ones, but a note written by hand may be anything.
pub const MAX_NOTE: usize = 4096;

/// A stored note as a handler is given it: UTF-8 (invalid bytes replaced), no NUL (an
/// environment variable cannot hold one), at most [`MAX_NOTE`] bytes.
pub fn note_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace('\0', "\u{fffd}");
    if text.len() <= MAX_NOTE {
        return text;
    }
    let mut end = MAX_NOTE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// The control channel: a handler may write a control to the file named by
/// `$PIPECTL_CONTROL` (exec) or send it in a `Pipectl-Control` header (http), as words —
/// `defer <DURATION>`, `drop`, `review <QUESTION>` — or as one JSON object with one of those
/// verbs as its only key: `{"defer": "1d"}`, `{"drop": true}`, `{"review": "Same as X?"}`
/// (JSON carries any text, e.g. `\u00e9` in an HTTP header, which is ASCII).
#[derive(Debug, PartialEq, Eq)]
pub enum Control {
    None,
    Defer(Duration),
    Drop,
    /// Hand the item to a person, asking this (one line, trimmed, not empty).
    Review(String),
}

/// The longest question a `review` control may ask, in bytes.
pub const MAX_QUESTION: usize = 2000;

const CONTROL_FORMS: &str =
    "write `defer 1d`, `drop`, `review <question>`, or JSON such as {\"review\": \"<question>\"}";

pub fn parse_control(text: &str) -> Result<Control, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Control::None);
    }
    if text.starts_with('{') {
        return parse_json_control(text);
    }
    let (verb, rest) = match text.split_once(char::is_whitespace) {
        Some((verb, rest)) => (verb, rest.trim()),
        None => (text, ""),
    };
    match verb {
        "drop" if rest.is_empty() => Ok(Control::Drop),
        "defer" if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
            duration::parse(rest).map(Control::Defer)
        }
        "review" => question(rest).map(Control::Review),
        _ => Err(format!(
            "unknown control '{}' ({CONTROL_FORMS})",
            crate::output::truncate(text, 60)
        )),
    }
}

/// `{"review": "…"}`, `{"defer": "1d"}` or `{"drop": true}`: exactly one key.
fn parse_json_control(text: &str) -> Result<Control, String> {
    use serde_json::Value;
    let shown = || crate::output::truncate(text, 60);
    let map: serde_json::Map<String, Value> = serde_json::from_str(text)
        .map_err(|e| format!("control '{}' is not a JSON object ({e})", shown()))?;
    let mut entries = map.into_iter();
    let (Some((verb, value)), None) = (entries.next(), entries.next()) else {
        return Err(format!(
            "control '{}' must hold exactly one verb ({CONTROL_FORMS})",
            shown()
        ));
    };
    match (verb.as_str(), value) {
        ("review", Value::String(q)) => question(&q).map(Control::Review),
        ("defer", Value::String(d)) => duration::parse(d.trim()).map(Control::Defer),
        ("drop", Value::Bool(true)) => Ok(Control::Drop),
        ("review" | "defer", _) => Err(format!("control '{}': \"{verb}\" takes a string", shown())),
        ("drop", _) => Err(format!("control '{}': write {{\"drop\": true}}", shown())),
        ("cost", _) => Ok(Control::None),
        _ => Err(format!("unknown control '{}' ({CONTROL_FORMS})", shown())),
    }
}

/// A `review` control's question: one line of text, trimmed, not empty, not too long.
fn question(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(
            "a review control needs a question, e.g. `review Is this the same business as acme-auto.com?`"
                .into(),
        );
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "the review question '{}' holds a line break or control character: ask on one line",
            crate::output::truncate(&text.escape_debug().to_string(), 60)
        ));
    }
    if text.len() > MAX_QUESTION {
        return Err(format!(
            "the review question is {} bytes, over the limit of {MAX_QUESTION}",
            text.len()
        ));
    }
    Ok(text.to_owned())
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
        Control::Defer(after) => match replacement(&items, item, "deferred") {
            Ok(replacement) => Outcome::Defer { after, replacement },
            Err(failed) => failed,
        },
        Control::Review(question) => match replacement(&items, item, "escalated") {
            Ok(replacement) => Outcome::Review {
                question,
                replacement,
            },
            Err(failed) => failed,
        },
    }
}

/// A deferred or escalated item may come back as one new version of itself, not several.
fn replacement(items: &[Vec<u8>], item: &[u8], what: &str) -> Result<Option<Vec<u8>>, Outcome> {
    match items {
        [one] if one.as_slice() != item => Ok(Some(one.clone())),
        [_] => Ok(None),
        _ => Err(Outcome::Retry {
            reason: format!("a {what} item may be replaced by one item, not several"),
            after: None,
        }),
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
        assert!(parse_control("drop now").is_err());
        assert!(parse_control("defer 1d 2d").is_err());
    }

    #[test]
    fn review_in_words_and_json() {
        let asked = Ok(Control::Review("Same as acme-auto.com?".into()));
        assert_eq!(parse_control("review Same as acme-auto.com?\n"), asked);
        assert_eq!(parse_control("review   Same as acme-auto.com?  "), asked);
        assert_eq!(
            parse_control(r#"{"review": "Same as acme-auto.com?"}"#),
            asked
        );
        assert_eq!(
            parse_control(r#"{"review":"caf\u00e9 \u2014 ok?"}"#),
            Ok(Control::Review("café — ok?".into()))
        );
        assert_eq!(parse_control(r#"{"drop": true}"#), Ok(Control::Drop));
        assert_eq!(
            parse_control(r#"{"defer": "1h"}"#),
            Ok(Control::Defer(Duration::from_secs(3600)))
        );
        for bad in [
            "review",
            "review   ",
            r#"{"review": ""}"#,
            r#"{"review": 3}"#,
            r#"{"review": "a\nb"}"#,
            "review a\nb",
            r#"{"review": "a", "drop": true}"#,
            r#"{}"#,
            r#"{"drop": false}"#,
            r#"{"explode": 1}"#,
            r#"{"review": "#,
            "[\"review\", \"x\"]",
        ] {
            assert!(parse_control(bad).is_err(), "{bad:?}");
        }
        let long = format!("review {}", "x".repeat(MAX_QUESTION + 1));
        assert!(parse_control(&long).unwrap_err().contains("limit"));
    }

    #[test]
    fn review_may_replace_the_item_once() {
        let item = br#"{"a":1}"#;
        let ask = || Control::Review("same?".into());
        assert_eq!(
            success(ask(), b"", item, 100),
            Outcome::Review {
                question: "same?".into(),
                replacement: None
            }
        );
        assert_eq!(
            success(ask(), br#"{"a":2}"#, item, 100),
            Outcome::Review {
                question: "same?".into(),
                replacement: Some(br#"{"a":2}"#.to_vec())
            }
        );
        assert!(matches!(
            success(ask(), b"1\n2\n", item, 100),
            Outcome::Retry { .. }
        ));
    }

    #[test]
    fn notes_fit_an_environment_variable() {
        assert_eq!(note_text(b"fix the \0phone"), "fix the \u{fffd}phone");
        assert_eq!(note_text(b"\xff ok"), "\u{fffd} ok");
        let long = "é".repeat(MAX_NOTE);
        let cut = note_text(long.as_bytes());
        assert!(cut.len() <= MAX_NOTE && cut.chars().all(|c| c == 'é'));
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
