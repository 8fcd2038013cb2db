//! Items are bytes (DESIGN §2), and this module owns their one lossless JSON form, used by
//! every `--json` document, NDJSON record and envelope pipectl writes. An item is written as
//! exactly one of three fields:
//!
//! - `"item": <JSON>` when the bytes are that JSON value written compactly, as standard
//!   serializers write it (no whitespace, keys once each in their order, strings escaped only
//!   where JSON requires, numbers that every JSON parser reads back unchanged). So
//!   `{"url":"a.com"}` stays `{"item":{"url":"a.com"}}`, and the bytes are
//!   `JSON.stringify(record.item)` or `json.dumps(record["item"], separators=(",", ":"),
//!   ensure_ascii=False)`.
//! - `"item_text": "<string>"` for any other UTF-8: text, and JSON that would not come back
//!   byte for byte (`{"a": 1}`, `1.50`, big integers, duplicate keys).
//! - `"item_base64": "<base64>"` for bytes that are not UTF-8 (standard alphabet, padded).
//!
//! The JSON item `"a"` is `{"item":"a"}`; the text item `a` is `{"item_text":"a"}`.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

pub const JSON_FIELD: &str = "item";
pub const TEXT_FIELD: &str = "item_text";
pub const BASE64_FIELD: &str = "item_base64";

/// Integers beyond ±(2^53 − 1) lose digits in JavaScript and other double-based parsers.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The field an item is written as, and its value.
pub fn field(bytes: &[u8]) -> (&'static str, Value) {
    if let Some(value) = exact_json(bytes) {
        return (JSON_FIELD, value);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (TEXT_FIELD, Value::String(text.to_owned())),
        Err(_) => (BASE64_FIELD, Value::String(STANDARD.encode(bytes))),
    }
}

/// The item's lossless form as a one-field object, e.g. `{"item_text":"a"}`.
pub fn object(bytes: &[u8]) -> Value {
    let (name, value) = field(bytes);
    let mut map = Map::with_capacity(1);
    map.insert(name.to_owned(), value);
    Value::Object(map)
}

/// Adds the item's one field to a record being built.
pub fn insert(map: &mut Map<String, Value>, bytes: &[u8]) {
    let (name, value) = field(bytes);
    map.insert(name.to_owned(), value);
}

/// The item a record holds, decoded to its exact bytes. `Ok(None)` when the record has no
/// item field; an error when it has several, or one of the wrong kind.
pub fn decode(map: &Map<String, Value>) -> Result<Option<Vec<u8>>, String> {
    let present: Vec<&str> = [JSON_FIELD, TEXT_FIELD, BASE64_FIELD]
        .into_iter()
        .filter(|name| map.contains_key(*name))
        .collect();
    let name = match present.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => {
            return Err(format!(
                "holds several item fields ({})",
                present.join(", ")
            ));
        }
    };
    let value = &map[name];
    let bytes = match (name, value) {
        (JSON_FIELD, v) => serde_json::to_vec(v).map_err(|e| e.to_string())?,
        (TEXT_FIELD, Value::String(s)) => s.clone().into_bytes(),
        (BASE64_FIELD, Value::String(s)) => STANDARD
            .decode(s)
            .map_err(|e| format!("{BASE64_FIELD} is not base64 ({e})"))?,
        (name, _) => return Err(format!("{name} is not a string")),
    };
    Ok(Some(bytes))
}

/// The JSON value the bytes are exactly, if any (see the module doc).
pub fn exact_json(bytes: &[u8]) -> Option<Value> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let again = serde_json::to_vec(&value).ok()?;
    (again == bytes && portable(&value)).then_some(value)
}

/// Whether every number in the value reads back unchanged in any JSON parser, doubles
/// included: safe integers, and fractions written as plain decimals (JavaScript writes `1.0`
/// as `1`, Python writes `1e-05` and `1e+16` with exponents).
fn portable(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.unsigned_abs() <= MAX_SAFE_INTEGER
            } else if let Some(u) = n.as_u64() {
                u <= MAX_SAFE_INTEGER
            } else {
                n.as_f64()
                    .is_some_and(|x| x.fract() != 0.0 && (1e-4..1e16).contains(&x.abs()))
            }
        }
        Value::Array(items) => items.iter().all(portable),
        Value::Object(map) => map.values().all(portable),
        _ => true,
    }
}

/// The item as `--where` filters and dedup fields see it: its JSON value when it parses
/// (however written), else its text. Never used to write an item back.
pub fn view(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// An item serialized as its one field: `#[serde(flatten)]` it into a record.
#[derive(Clone, Copy, Debug)]
pub struct Lossless<'a>(pub &'a [u8]);

impl Serialize for Lossless<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (name, value) = field(self.0);
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(name, &value)?;
        map.end()
    }
}

impl schemars::JsonSchema for Lossless<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Item".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An item's exact bytes as exactly one field: `item` (JSON that is exactly those bytes when written compactly), `item_text` (other UTF-8) or `item_base64` (anything else). See docs/json.md.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"item": {"description": "The item, a JSON value whose compact form is its exact bytes"}},
                    "required": ["item"]
                },
                {
                    "type": "object",
                    "properties": {"item_text": {"type": "string", "description": "The item's bytes, UTF-8 text that is not such JSON"}},
                    "required": ["item_text"]
                },
                {
                    "type": "object",
                    "properties": {"item_base64": {"type": "string", "contentEncoding": "base64", "description": "The item's bytes, not UTF-8, in standard padded base64"}},
                    "required": ["item_base64"]
                }
            ]
        })
    }
}

/// An owned item, serialized as its one field like [`Lossless`]: for results that outlive
/// the bytes they were read into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item(pub Vec<u8>);

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Lossless(&self.0).serialize(serializer)
    }
}

impl schemars::JsonSchema for Item {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        Lossless::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Lossless::json_schema(generator)
    }
}

/// An item and its position in a list, counted from the consumer end (1 = the next to be
/// taken): a record of `ls`, `staged`, and the items of `peek`.
#[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Positioned {
    pub pos: u64,
    #[serde(flatten)]
    pub item: Item,
}

impl Positioned {
    /// Items read from the consumer end, numbered from 1.
    pub fn numbered(items: Vec<Vec<u8>>) -> Vec<Positioned> {
        items
            .into_iter()
            .zip(1..)
            .map(|(bytes, pos)| Positioned {
                pos,
                item: Item(bytes),
            })
            .collect()
    }
}

/// The item on one line of text output: its bytes as they are, unless they hold a line
/// break; then with `\n`, `\r` and `\\` escaped, so one item is never read as two.
/// The flag says whether it was escaped.
pub fn line(bytes: &[u8]) -> (Cow<'_, [u8]>, bool) {
    if !bytes.iter().any(|&b| b == b'\n' || b == b'\r') {
        return (Cow::Borrowed(bytes), false);
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    for &b in bytes {
        match b {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            _ => out.push(b),
        }
    }
    (Cow::Owned(out), true)
}

/// The item as text for a person (a table cell, a summary): UTF-8 as it is, control
/// characters as `\n`, `\t`, `\x1b`, bytes that are not UTF-8 as `\xff`.
pub fn display(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() && c.is_ascii() => {
                    out.push_str(&format!("\\x{:02x}", c as u32))
                }
                c if c.is_control() => out.extend(c.escape_unicode()),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) -> Vec<u8> {
        let Value::Object(map) = object(bytes) else {
            unreachable!("object() builds an object")
        };
        let text = serde_json::to_string(&Value::Object(map)).unwrap();
        let Value::Object(parsed) = serde_json::from_str(&text).unwrap() else {
            panic!("{text}")
        };
        decode(&parsed).unwrap().unwrap()
    }

    #[test]
    fn the_three_forms() {
        assert_eq!(field(br#"{"url":"a.com"}"#).0, JSON_FIELD);
        assert_eq!(field(br#""a""#), (JSON_FIELD, Value::String("a".into())));
        assert_eq!(field(b"a"), (TEXT_FIELD, Value::String("a".into())));
        assert_eq!(
            field(b"\xff\xfe\x01binary"),
            (BASE64_FIELD, Value::String("//4BYmluYXJ5".into()))
        );
        for not_exact in [
            &b"{\"a\": 1}"[..],
            b"1.50",
            b"1.0",
            b"123456789012345678901234567890",
            b"9007199254740993",
            b"1e29",
            b"0.00001",
            b"-0",
            br#"{"a":1,"a":2}"#,
            br#""\u00e9""#,
            br#""\/""#,
            b"[1, 2]",
            b"",
        ] {
            assert_eq!(field(not_exact).0, TEXT_FIELD, "{not_exact:?}");
        }
        for exact in [
            &b"1.5"[..],
            b"-12",
            b"9007199254740991",
            b"0.25",
            b"true",
            b"null",
            br#""tab\there""#,
            br#"{"z":1,"a":[1,2,{"b":null}],"c":"\u001f\"\\"}"#,
            "\"é ☃ \u{7f}\"".as_bytes(),
        ] {
            assert_eq!(field(exact).0, JSON_FIELD, "{exact:?}");
        }
    }

    #[test]
    fn every_form_decodes_to_the_exact_bytes() {
        for bytes in [
            &b"a"[..],
            b"\"a\"",
            b"\xff\xfe\x01binary",
            b"1.50",
            b"{\"a\":1,\"a\":2}",
            b"line\nbreak",
            b"\0",
            b"",
        ] {
            assert_eq!(round_trip(bytes), bytes);
        }
    }

    #[test]
    fn a_record_with_two_item_fields_is_refused() {
        let Value::Object(map) = serde_json::json!({"item": 1, "item_text": "1"}) else {
            unreachable!()
        };
        assert!(decode(&map).is_err());
        let Value::Object(map) = serde_json::json!({"item_base64": "!!"}) else {
            unreachable!()
        };
        assert!(decode(&map).is_err());
    }

    #[test]
    fn lines_and_display() {
        assert_eq!(line(b"{\"a\":1}").0.as_ref(), b"{\"a\":1}");
        let (escaped, changed) = line(b"a\\b\nc\r");
        assert!(changed);
        assert_eq!(escaped.as_ref(), b"a\\\\b\\nc\\r");
        assert_eq!(display(b"a\nb\x1b\xff"), "a\\nb\\x1b\\xff");
    }

    #[test]
    fn lossless_serializes_as_its_field() {
        #[derive(serde::Serialize)]
        struct Record<'a> {
            pos: u64,
            #[serde(flatten)]
            item: Lossless<'a>,
        }
        let text = serde_json::to_string(&Record {
            pos: 1,
            item: Lossless(b"\xff"),
        })
        .unwrap();
        assert_eq!(text, r#"{"pos":1,"item_base64":"/w=="}"#);
    }

    #[test]
    fn a_flattened_item_has_a_schema_that_needs_exactly_one_field() {
        #[derive(serde::Serialize, schemars::JsonSchema)]
        struct Record<'a> {
            pos: u64,
            #[serde(flatten)]
            item: Lossless<'a>,
        }
        let schema = serde_json::to_value(schemars::schema_for!(Record<'static>)).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        for bytes in [&b"{}"[..], b"a", b"\xff"] {
            let record = serde_json::to_value(Record {
                pos: 1,
                item: Lossless(bytes),
            })
            .unwrap();
            assert!(validator.is_valid(&record), "{record} against {schema}");
        }
        for bad in [
            serde_json::json!({"pos": 1}),
            serde_json::json!({"pos": 1, "item": 1, "item_text": "1"}),
            serde_json::json!({"pos": 1, "item_text": 1}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad} against {schema}");
        }
    }
}
