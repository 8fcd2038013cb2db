//! The envelopes pipectl keeps items in, written and read here only: a dead letter
//! (`<pipeline>:failed`) and a rejection (`<pipeline>:rejected`). Each is one JSON object a
//! redis-cli user can read, with the item in its lossless form (crate::item) and `"v":2`.
//! Envelopes written before `v` existed (pipectl 0.1) embedded a non-JSON item as a JSON
//! string; they are still read as they were meant.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::item;

/// The envelope format this pipectl writes.
pub const VERSION: u64 = 2;

/// A dead letter: an item that failed for good, and why.
pub struct DeadLetter<'a> {
    pub item: &'a [u8],
    pub stage: Option<&'a str>,
    pub queue: &'a str,
    pub error: &'a str,
    pub attempts: u64,
}

impl DeadLetter<'_> {
    /// The envelope's bytes, stamped now.
    pub fn to_bytes(&self) -> Vec<u8> {
        seal(
            self.item,
            [
                ("stage", self.stage.into()),
                ("queue", self.queue.into()),
                ("error", self.error.into()),
                ("attempts", self.attempts.into()),
                ("failed_at", crate::output::timestamp().into()),
            ],
        )
    }
}

/// A rejected item, kept with the reviewer's reason.
pub struct Rejection<'a> {
    pub item: &'a [u8],
    pub stage: &'a str,
    pub reason: Option<&'a str>,
}

impl Rejection<'_> {
    /// The envelope's bytes, stamped now.
    pub fn to_bytes(&self) -> Vec<u8> {
        seal(
            self.item,
            [
                ("stage", self.stage.into()),
                ("reason", self.reason.into()),
                ("rejected_at", crate::output::timestamp().into()),
            ],
        )
    }
}

/// An envelope's bytes: the item's field first, then `fields`, then the version.
fn seal<const N: usize>(item: &[u8], fields: [(&str, Value); N]) -> Vec<u8> {
    let mut map = Map::new();
    item::insert(&mut map, item);
    for (name, value) in fields {
        map.insert(name.into(), value);
    }
    map.insert("v".into(), VERSION.into());
    Value::Object(map).to_string().into_bytes()
}

/// An envelope read back: its fields, and the exact item it holds.
pub struct Opened {
    pub fields: Map<String, Value>,
    pub item: Vec<u8>,
}

/// Opens `raw` as an envelope whose other fields include all of `required` (e.g. `error` and
/// `failed_at` for a dead letter). `None` when it is not one: an item pushed by hand.
pub fn open(raw: &[u8], required: &[&str]) -> Option<Opened> {
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(raw) else {
        return None;
    };
    if !required.iter().all(|name| fields.contains_key(*name)) {
        return None;
    }
    let item = if fields.get("v").and_then(Value::as_u64) == Some(VERSION) {
        item::decode(&fields).ok()??
    } else if fields.contains_key(item::JSON_FIELD) {
        legacy_item(raw, &fields)
    } else {
        return None;
    };
    Some(Opened { fields, item })
}

#[derive(serde::Deserialize)]
struct ItemOnly<'a> {
    #[serde(borrow)]
    item: &'a RawValue,
}

/// The item of an envelope from before `v`: a JSON string's text (non-JSON items were
/// embedded as strings), anything else exactly as written in the envelope.
fn legacy_item(raw: &[u8], fields: &Map<String, Value>) -> Vec<u8> {
    if let Ok(only) = serde_json::from_slice::<ItemOnly<'_>>(raw) {
        let text = only.item.get().trim();
        if text.starts_with('"') {
            if let Ok(s) = serde_json::from_str::<String>(text) {
                return s.into_bytes();
            }
        } else {
            return text.as_bytes().to_vec();
        }
    }
    match fields.get(item::JSON_FIELD) {
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(v) => v.to_string().into_bytes(),
        None => Vec::new(),
    }
}

/// The fields that tell a dead letter (`DeadLetter`) from an item pushed by hand.
pub const DEAD_LETTER: &[&str] = &["error", "failed_at"];
/// The fields that tell a rejection (`Rejection`) from an item pushed by hand.
pub const REJECTION: &[&str] = &["rejected_at"];

/// An entry of an envelope list as `--where` conditions see it (`dead ls`, `find`, `move`,
/// `rm`, `unreject`): the envelope's `fields` with `item` as the item's JSON (or its text,
/// crate::item::view) and `"bare": false`; an entry that is no envelope (`None`: pushed by
/// hand, `item` is the entry) as `{"item": …, "bare": true}`. So `item.url=…`, `error~…` and
/// `reason~…` work, and `bare=true` picks the hand-pushed ones.
pub fn view(fields: Option<&Map<String, Value>>, item: &[u8]) -> Value {
    let mut map = fields.cloned().unwrap_or_default();
    for name in [item::TEXT_FIELD, item::BASE64_FIELD] {
        map.remove(name);
    }
    map.insert(item::JSON_FIELD.into(), item::view(item));
    map.insert("bare".into(), fields.is_none().into());
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEAD: &[&str] = &["error", "failed_at"];

    #[test]
    fn dead_letters_keep_the_exact_item() {
        for item in [
            &br#"{"url":"a.com"}"#[..],
            b"\"https://acme.example\"",
            b"https://acme.example",
            b"123456789012345678901234567890",
            b"1.50",
            b"{\"a\":1,\"a\":2}",
            b"\xff\xfe\x01binary",
            b"two\nlines",
        ] {
            let raw = DeadLetter {
                item,
                stage: Some("build"),
                queue: "prospect:queue",
                error: "boom",
                attempts: 3,
            }
            .to_bytes();
            let opened = open(&raw, DEAD).expect("an envelope");
            assert_eq!(opened.item, item, "{}", String::from_utf8_lossy(&raw));
            assert_eq!(opened.fields["attempts"], 3);
        }
    }

    #[test]
    fn rejections_keep_the_exact_item() {
        let raw = Rejection {
            item: b"\"a\"",
            stage: "review",
            reason: None,
        }
        .to_bytes();
        let opened = open(&raw, &["rejected_at"]).expect("an envelope");
        assert_eq!(opened.item, b"\"a\"");
    }

    #[test]
    fn old_envelopes_read_as_before() {
        let raw = br#"{"item":{"url":"a.com","n":12345678901234567890123},"error":"x","failed_at":"2026-03-19T10:00:00Z"}"#;
        assert_eq!(
            open(raw, DEAD).unwrap().item,
            br#"{"url":"a.com","n":12345678901234567890123}"#
        );
        let raw = br#"{"item":"plain text","error":"x","failed_at":"bad"}"#;
        assert_eq!(open(raw, DEAD).unwrap().item, b"plain text");
    }

    #[test]
    fn views_see_the_item_and_the_reason() {
        let raw = Rejection {
            item: b"\xffbinary",
            stage: "review",
            reason: Some("parked domain"),
        }
        .to_bytes();
        let opened = open(&raw, REJECTION).expect("a rejection");
        let seen = view(Some(&opened.fields), &opened.item);
        assert_eq!(seen["reason"], "parked domain");
        assert_eq!(seen["bare"], false);
        assert!(seen.get(item::BASE64_FIELD).is_none());
        assert_eq!(view(None, br#"{"url":"a.com"}"#)["item"]["url"], "a.com");
        assert_eq!(view(None, b"text")["bare"], true);
    }

    #[test]
    fn anything_else_is_not_an_envelope() {
        for raw in [
            &br#"{"url":"b.com"}"#[..],
            b"not json",
            br#"{"item":"x"}"#,
            b"",
            b"[1,2]",
            br#"{"item_text":"x","error":"e","failed_at":"t"}"#,
            br#"{"item":1,"item_text":"1","error":"e","failed_at":"t","v":2}"#,
        ] {
            assert!(
                open(raw, DEAD).is_none(),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }
}
