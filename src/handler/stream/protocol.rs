//! The stream protocol's lines (docs/handler-stream.md): one JSON request per item from
//! pipectl, one JSON response per request from the handler, each on one line.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::handler::{Call, Outcome, question, replacement};
use crate::item;

/// What a handler answered about one item.
#[derive(Debug, PartialEq)]
pub struct Answer {
    pub outcome: Outcome,
    /// The response's optional `cost` object (what the item cost: tokens, money, …), for
    /// the same place a control channel's cost goes.
    pub cost: Option<Map<String, Value>>,
}

/// The request line for one item: `{"id","item"|"item_text"|"item_base64","stage","queue",
/// "attempt","note"}` and a newline. JSON escapes every control character, so the line
/// holds no other newline.
pub fn request(id: u64, call: &Call<'_>) -> Vec<u8> {
    let mut map = Map::with_capacity(6);
    map.insert("id".into(), id.into());
    item::insert(&mut map, call.item);
    map.insert("stage".into(), call.stage.into());
    map.insert("queue".into(), call.queue.into());
    map.insert("attempt".into(), call.attempt.into());
    map.insert(
        "note".into(),
        call.note
            .map_or(Value::Null, |n| Value::String(n.to_owned())),
    );
    // A map of strings and numbers always serializes.
    let mut line = serde_json::to_vec(&Value::Object(map)).unwrap_or_default();
    line.push(b'\n');
    line
}

/// A response line's fields, each still as the handler wrote it.
pub type Fields = BTreeMap<String, Box<RawValue>>;

/// Reads a response line as far as its id. An error means the line is no response at all
/// (not JSON, not an object, no integer id): the handler is out of step and is restarted.
pub fn id_of(line: &[u8]) -> Result<(u64, Fields), String> {
    let shown = || crate::output::truncate(&String::from_utf8_lossy(line), 80);
    let fields: Fields = serde_json::from_slice(line).map_err(|e| {
        format!(
            "handler wrote a line that is not a JSON object ({e}): '{}'",
            shown()
        )
    })?;
    let id = fields
        .get("id")
        .and_then(|raw| serde_json::from_str::<u64>(raw.get()).ok())
        .ok_or_else(|| {
            format!(
                "handler wrote a response without an integer \"id\": '{}'",
                shown()
            )
        })?;
    Ok((id, fields))
}

const VERBS: [&str; 5] = ["ok", "retry", "dead", "defer", "review"];

/// The longest reason a handler may give; longer ones are cut.
const MAX_REASON: usize = 2000;

/// Turns a response to the request for `item` into an answer. An error is the handler's
/// failure on this item (the item is retried), as invalid output is for a process per item.
pub fn answer(fields: &Fields, item: &[u8], max_item_bytes: usize) -> Result<Answer, String> {
    for key in fields.keys() {
        if !matches!(key.as_str(), "id" | "items" | "after" | "cost")
            && !VERBS.contains(&key.as_str())
        {
            return Err(format!("the response has an unknown field \"{key}\""));
        }
    }
    let verbs: Vec<&str> = VERBS
        .into_iter()
        .filter(|v| fields.contains_key(*v))
        .collect();
    let [verb] = verbs.as_slice() else {
        return Err(format!(
            "a response holds exactly one of \"ok\", \"retry\", \"dead\", \"defer\", \"review\" (this one: {})",
            if verbs.is_empty() {
                "none".to_owned()
            } else {
                verbs.join(", ")
            }
        ));
    };
    let raw = &fields[*verb];
    let items = match fields.get("items") {
        Some(raw) => Some(items(raw, max_item_bytes)?),
        None => None,
    };
    if fields.contains_key("after") && *verb != "retry" {
        return Err("\"after\" belongs to a retry".into());
    }
    if items.is_some() && matches!(*verb, "retry" | "dead") {
        return Err(format!("a {verb} response carries no \"items\""));
    }
    let cost = match fields.get("cost") {
        None => None,
        Some(raw) => match serde_json::from_str::<Value>(raw.get()) {
            Ok(Value::Object(map)) => Some(map),
            Ok(Value::Null) => None,
            _ => return Err("\"cost\" must be a JSON object".into()),
        },
    };
    let text = |what: &str| -> Result<String, String> {
        serde_json::from_str::<String>(raw.get())
            .map_err(|_| format!("\"{verb}\" takes a string ({what})"))
    };
    let outcome = match *verb {
        "ok" => {
            if raw.get() != "true" {
                return Err("write \"ok\": true".into());
            }
            Outcome::Success(items.unwrap_or_else(|| vec![item.to_vec()]))
        }
        "retry" => Outcome::Retry {
            reason: reason(text("the reason")?, "handler asked to retry later"),
            after: match fields.get("after") {
                None => None,
                Some(raw) => {
                    let after: String = serde_json::from_str(raw.get())
                        .map_err(|_| "\"after\" takes a duration such as \"30s\"".to_owned())?;
                    Some(crate::duration::parse(after.trim())?)
                }
            },
        },
        "dead" => Outcome::Dead {
            reason: reason(text("the reason")?, "handler rejected the item"),
        },
        "defer" => Outcome::Defer {
            after: crate::duration::parse(text("a duration such as \"1d\"")?.trim())?,
            replacement: one(items, item, "deferred")?,
        },
        _ => Outcome::Review {
            question: question(&text("the question")?)?,
            replacement: one(items, item, "escalated")?,
        },
    };
    Ok(Answer { outcome, cost })
}

/// The handler's reason, one bounded line; `otherwise` when it gave none.
fn reason(text: String, otherwise: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return otherwise.to_owned();
    }
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.len() <= MAX_REASON {
        return line;
    }
    let mut end = MAX_REASON;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].to_owned()
}

fn one(items: Option<Vec<Vec<u8>>>, item: &[u8], what: &str) -> Result<Option<Vec<u8>>, String> {
    match items {
        None => Ok(None),
        Some(items) => replacement(&items, item, what).map_err(|failed| match failed {
            Outcome::Retry { reason, .. } => reason,
            _ => format!("a {what} item may be replaced by one item"),
        }),
    }
}

/// `"items": [{"item": …} | {"item_text": "…"} | {"item_base64": "…"}, …]`. An `item` is
/// kept exactly as the handler wrote it, never re-encoded.
fn items(raw: &RawValue, max_item_bytes: usize) -> Result<Vec<Vec<u8>>, String> {
    let list: Vec<Fields> = serde_json::from_str(raw.get()).map_err(|_| {
        "\"items\" is a list of objects such as {\"item\": {…}} or {\"item_text\": \"…\"}"
            .to_owned()
    })?;
    let mut out = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let n = i + 1;
        let mut names = entry.keys();
        let (Some(name), None) = (names.next(), names.next()) else {
            return Err(format!(
                "items[{n}] must hold exactly one of \"item\", \"item_text\", \"item_base64\""
            ));
        };
        let raw = entry[name].get();
        let bytes = match name.as_str() {
            item::JSON_FIELD => raw.as_bytes().to_vec(),
            item::TEXT_FIELD => serde_json::from_str::<String>(raw)
                .map_err(|_| format!("items[{n}].item_text is not a string"))?
                .into_bytes(),
            item::BASE64_FIELD => serde_json::from_str::<String>(raw)
                .ok()
                .and_then(|s| STANDARD.decode(s).ok())
                .ok_or_else(|| format!("items[{n}].item_base64 is not base64"))?,
            other => return Err(format!("items[{n}] has an unknown field \"{other}\"")),
        };
        if bytes.is_empty() {
            return Err(format!("items[{n}] is empty"));
        }
        if bytes.len() > max_item_bytes {
            return Err(format!(
                "items[{n}] is {} bytes, over the limit of {max_item_bytes}",
                bytes.len()
            ));
        }
        out.push(bytes);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn parse(line: &str) -> Result<Outcome, String> {
        let (id, fields) = id_of(line.as_bytes())?;
        assert_eq!(id, 7);
        answer(&fields, br#"{"a":1}"#, 100).map(|a| a.outcome)
    }

    #[test]
    fn requests_are_one_lossless_line() {
        let call = Call {
            item: b"line\none\xff",
            stage: "build",
            queue: "q",
            attempt: 2,
            note: Some("fix it"),
        };
        let line = request(3, &call);
        assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
        let v: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v["id"], 3);
        assert_eq!(v["attempt"], 2);
        assert_eq!(v["note"], "fix it");
        assert!(v["item_base64"].is_string());
        let call = Call {
            item: br#"{"a":1}"#,
            note: None,
            ..call
        };
        let line = String::from_utf8(request(4, &call)).unwrap();
        assert!(
            line.starts_with(r#"{"id":4,"item":{"a":1},"stage":"build""#),
            "{line}"
        );
        assert!(line.ends_with("\"note\":null}\n"));
    }

    #[test]
    fn every_kind_of_response() {
        assert_eq!(
            parse(r#"{"id":7,"ok":true}"#),
            Ok(Outcome::Success(vec![br#"{"a":1}"#.to_vec()]))
        );
        assert_eq!(
            parse(
                r#"{"id":7,"ok":true,"items":[{"item":{"b": 2}},{"item_text":"x"},{"item_base64":"/w=="}]}"#
            ),
            Ok(Outcome::Success(vec![
                br#"{"b": 2}"#.to_vec(),
                b"x".to_vec(),
                b"\xff".to_vec()
            ]))
        );
        assert_eq!(
            parse(r#"{"id":7,"ok":true,"items":[]}"#),
            Ok(Outcome::Success(vec![]))
        );
        assert_eq!(
            parse(r#"{"id":7,"retry":"busy","after":"5s"}"#),
            Ok(Outcome::Retry {
                reason: "busy".into(),
                after: Some(Duration::from_secs(5))
            })
        );
        assert_eq!(
            parse(r#"{"id":7,"dead":""}"#),
            Ok(Outcome::Dead {
                reason: "handler rejected the item".into()
            })
        );
        assert_eq!(
            parse(r#"{"id":7,"defer":"1h","items":[{"item":{"a":1}}]}"#),
            Ok(Outcome::Defer {
                after: Duration::from_secs(3600),
                replacement: None
            })
        );
        assert_eq!(
            parse(r#"{"id":7,"review":"same?","items":[{"item":2}]}"#),
            Ok(Outcome::Review {
                question: "same?".into(),
                replacement: Some(b"2".to_vec())
            })
        );
        let (_, fields) = id_of(br#"{"id":7,"ok":true,"cost":{"usd":0.01}}"#).unwrap();
        let cost = answer(&fields, b"x", 100).unwrap().cost.unwrap();
        assert_eq!(cost["usd"], 0.01);
    }

    #[test]
    fn bad_responses() {
        for bad in [
            "hello",
            "[1]",
            r#"{"ok":true}"#,
            r#"{"id":"7","ok":true}"#,
            r#"{"id":-1,"ok":true}"#,
        ] {
            assert!(id_of(bad.as_bytes()).is_err(), "{bad}");
        }
        for bad in [
            r#"{"id":7}"#,
            r#"{"id":7,"ok":true,"dead":"x"}"#,
            r#"{"id":7,"ok":false}"#,
            r#"{"id":7,"ok":true,"extra":1}"#,
            r#"{"id":7,"ok":true,"items":[{"item":1,"item_text":"1"}]}"#,
            r#"{"id":7,"ok":true,"items":[{"item_text":""}]}"#,
            r#"{"id":7,"ok":true,"items":{"item":1}}"#,
            r#"{"id":7,"ok":true,"items":[{"item_base64":"!!"}]}"#,
            r#"{"id":7,"ok":true,"items":[{"item":"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"}]}"#,
            r#"{"id":7,"retry":3}"#,
            r#"{"id":7,"retry":"x","after":"soon"}"#,
            r#"{"id":7,"dead":"x","after":"1s"}"#,
            r#"{"id":7,"dead":"x","items":[]}"#,
            r#"{"id":7,"defer":"later"}"#,
            r#"{"id":7,"review":""}"#,
            r#"{"id":7,"review":"a\nb"}"#,
            r#"{"id":7,"review":"q","items":[{"item":1},{"item":2}]}"#,
            r#"{"id":7,"ok":true,"cost":3}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
