//! Reading one value out of a JSON text without building the rest of it.

use std::borrow::Cow;

use serde_json::Value;

/// The value at a dotted path (as `lookup` follows it) in a JSON text, while the whole text
/// is checked to be JSON: only that value is built, everything else is parsed and skipped.
/// Validating a bulk enqueue this way costs a fraction of building every item's tree (the
/// skipped parts are not held to serde_json's nesting limit of 128, as a built tree is).
/// `Ok(None)` when the path leads nowhere.
pub fn value_at<'t>(text: &'t str, path: &str) -> Result<Option<Found<'t>>, serde_json::Error> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut de = serde_json::Deserializer::from_str(text);
    let found = serde::de::DeserializeSeed::deserialize(PathSeed(&parts), &mut de)?;
    de.end()?;
    Ok(found)
}

/// What `value_at` found: a string, borrowed from the text when it is written there without
/// escapes (so a bulk enqueue's dedup values are not copied), or any other value.
#[derive(Debug, PartialEq)]
pub enum Found<'t> {
    Str(Cow<'t, str>),
    Other(Value),
}

impl Found<'_> {
    pub fn into_value(self) -> Value {
        match self {
            Found::Str(s) => Value::String(s.into_owned()),
            Found::Other(v) => v,
        }
    }
}

/// Follows the rest of a path into the value being parsed.
struct PathSeed<'p>(&'p [&'p str]);

impl<'de> serde::de::DeserializeSeed<'de> for PathSeed<'_> {
    type Value = Option<Found<'de>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.0.is_empty() {
            return d.deserialize_any(FoundVisitor).map(Some);
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for PathSeed<'_> {
    type Value = Option<Found<'de>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    // A scalar where the path goes on: nothing there.
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(None);
        };
        // A repeated key: the last one counts, as when the whole object is built.
        let mut found = None;
        while let Some(matches) = map.next_key_seed(KeyIs(first))? {
            if matches {
                found = map.next_value_seed(PathSeed(rest))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(None);
        };
        let index = first.parse::<usize>().ok();
        let mut found = None;
        for i in 0.. {
            if index == Some(i) {
                match seq.next_element_seed(PathSeed(rest))? {
                    Some(value) => found = value,
                    None => break,
                }
            } else if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                break;
            }
        }
        Ok(found)
    }
}

/// Builds the value at the end of a path: a string as it lies in the text when it can,
/// anything else as serde_json's `Value` would be built.
struct FoundVisitor;

impl<'de> serde::de::Visitor<'de> for FoundVisitor {
    type Value = Found<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Found::Str(Cow::Owned(s)))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Found::Other(Value::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Found::Other(Value::from(n)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Found::Other(Value::from(n)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Found::Other(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Found::Other(Value::Null))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let de = serde::de::value::MapAccessDeserializer::new(map);
        serde::Deserialize::deserialize(de).map(Found::Other)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let de = serde::de::value::SeqAccessDeserializer::new(seq);
        serde::Deserialize::deserialize(de).map(Found::Other)
    }
}

/// Whether an object key is this one, compared without copying it.
struct KeyIs<'a>(&'a str);

impl<'de> serde::de::DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::lookup;

    #[test]
    fn value_at_agrees_with_building_the_whole_tree() {
        let texts = [
            r#"{"url":"a.com","n":5,"o":{},"site":{"url":"b"},"l":[{"x":"y"}]}"#,
            r#"{"url":"first","url":"second"}"#,
            r#"{"url":{"deep":1},"url":"flat"}"#,
            r#"{"u\u0072l":"escaped key","x":[1,2,{"url":3}]}"#,
            r#"{"url":null,"n":1.50,"b":true,"big":18446744073709551616}"#,
            r#"[{"url":"in an array"},{"url":"second"}]"#,
            r#""just a string""#,
            r#"42"#,
            r#"{"0":"zero","l":["a","b"]}"#,
            r#"{"url":"es\u0063aped \"value\"","n":-7,"f":-0.0}"#,
        ];
        let paths = [
            "url", "n", "o", "site.url", "l.0.x", "l.1", "x.2.url", "0", "1.url", "0.url", "b",
            "big", "site", "missing", "url.deep", "l.x", "f",
        ];
        for text in texts {
            let tree: Value = serde_json::from_str(text).unwrap();
            for path in paths {
                assert_eq!(
                    value_at(text, path)
                        .unwrap()
                        .map(Found::into_value)
                        .as_ref(),
                    lookup(&tree, path),
                    "{text} at {path}"
                );
            }
        }
        // A string written without escapes is borrowed from the text, not copied.
        let text = r#"{"url":"plain","e":"a\nb"}"#;
        assert!(matches!(
            value_at(text, "url"),
            Ok(Some(Found::Str(Cow::Borrowed("plain"))))
        ));
        assert!(matches!(value_at(text, "e"), Ok(Some(Found::Str(Cow::Owned(s)))) if s == "a\nb"));
        for bad in [
            r#"{"url":"#,
            r#"{"url":"a"} x"#,
            r#"{"a":[1,}"#,
            "",
            "{\"url\":01}",
        ] {
            assert_eq!(
                value_at(bad, "url").unwrap_err().to_string(),
                serde_json::from_str::<Value>(bad).unwrap_err().to_string(),
                "{bad}"
            );
        }
    }
}
