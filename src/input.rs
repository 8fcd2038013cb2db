//! Reading items for enqueue: arguments or NDJSON lines, validated as a whole batch first.

use serde_json::Value;

/// Where an item came from, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Line(usize),
    Argument(usize),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Line(n) => write!(f, "line {n}"),
            Origin::Argument(n) => write!(f, "argument {n}"),
        }
    }
}

/// A validated item, with its dedup value when one was asked for.
#[derive(Debug)]
pub struct Item<'a> {
    pub bytes: &'a [u8],
    pub dedup: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Invalid {
    pub origin: Origin,
    pub reason: String,
}

pub struct Rules<'a> {
    pub max_bytes: usize,
    pub dedup_by: Option<&'a str>,
}

/// Splits NDJSON input into lines (blank lines skipped, `\r\n` accepted), numbered from 1.
pub fn lines(input: &[u8]) -> impl Iterator<Item = (Origin, &[u8])> {
    input
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            (!line.iter().all(u8::is_ascii_whitespace)).then_some((Origin::Line(i + 1), line))
        })
}

/// Checks one item against the rules: UTF-8, no NUL, size, and the dedup field when needed.
pub fn validate<'a>(
    origin: Origin,
    bytes: &'a [u8],
    rules: &Rules<'_>,
) -> Result<Item<'a>, Invalid> {
    let invalid = |reason: String| Invalid { origin, reason };
    if bytes.len() > rules.max_bytes {
        return Err(invalid(format!(
            "item is {} bytes, over the limit of {}",
            bytes.len(),
            rules.max_bytes
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| invalid(format!("not valid UTF-8 ({e})")))?;
    if text.contains('\0') {
        return Err(invalid("contains a NUL byte".into()));
    }
    let dedup = match rules.dedup_by {
        None => None,
        Some(path) => {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| invalid(format!("not valid JSON ({e}), needed for --dedup-by")))?;
            Some(dedup_value(&value, path).map_err(invalid)?)
        }
    };
    Ok(Item { bytes, dedup })
}

/// The dedup key of an item: the string (or number/bool, as written) at a dotted path.
pub fn dedup_value(value: &Value, path: &str) -> Result<String, String> {
    match lookup(value, path) {
        None | Some(Value::Null) => Err(format!("has no field '{path}' to dedup by")),
        Some(Value::String(s)) if s.is_empty() => Err(format!("field '{path}' is empty")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
        Some(Value::Object(_)) => Err(format!(
            "field '{path}' is an object, not a value to dedup by"
        )),
        Some(Value::Array(_)) => Err(format!(
            "field '{path}' is an array, not a value to dedup by"
        )),
    }
}

/// Follows a dotted path (`a.b.0.c`) through objects and arrays.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |v, part| match v {
        Value::Object(map) => map.get(part),
        Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// A `--where` condition: `FIELD=VALUE` (the field's text equals VALUE) or `FIELD~TEXT`
/// (contains TEXT). FIELD is a dotted path: `url`, `site.city`, `tags.0`. A string field
/// compares by its text, anything else by its compact JSON (`score=5`, `ok=true`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub path: String,
    pub value: String,
    pub contains: bool,
}

impl Condition {
    /// A missing field never matches.
    pub fn matches(&self, value: &Value) -> bool {
        let Some(found) = lookup(value, &self.path) else {
            return false;
        };
        let text = match found {
            Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            other => std::borrow::Cow::Owned(other.to_string()),
        };
        if self.contains {
            text.contains(self.value.as_str())
        } else {
            text == self.value.as_str()
        }
    }
}

/// clap value parser for `--where`.
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let bad = || {
        format!(
            "'{text}' is not FIELD=VALUE or FIELD~TEXT (e.g. --where url=acmeauto.com, --where error~timeout)"
        )
    };
    let at = text.find(['=', '~']).ok_or_else(bad)?;
    let (path, rest) = text.split_at(at);
    if path.trim().is_empty() {
        return Err(bad());
    }
    Ok(Condition {
        path: path.trim().to_owned(),
        value: rest[1..].to_owned(),
        contains: rest.starts_with('~'),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(dedup_by: Option<&str>) -> Rules<'_> {
        Rules {
            max_bytes: 64,
            dedup_by,
        }
    }

    #[test]
    fn lines_skip_blanks_and_number_from_one() {
        let got: Vec<_> = lines(b"a\n\n  \nb\r\n").collect();
        assert_eq!(
            got,
            vec![(Origin::Line(1), &b"a"[..]), (Origin::Line(4), &b"b"[..])]
        );
    }

    #[test]
    fn dedup_values() {
        let v: Value = serde_json::from_str(
            r#"{"url":"a.com","n":5,"o":{},"site":{"url":"b"},"l":[{"x":"y"}]}"#,
        )
        .unwrap();
        assert_eq!(dedup_value(&v, "url"), Ok("a.com".into()));
        assert_eq!(dedup_value(&v, "n"), Ok("5".into()));
        assert_eq!(dedup_value(&v, "site.url"), Ok("b".into()));
        assert_eq!(dedup_value(&v, "l.0.x"), Ok("y".into()));
        assert!(dedup_value(&v, "o").unwrap_err().contains("object"));
        assert!(dedup_value(&v, "missing").unwrap_err().contains("no field"));
    }

    #[test]
    fn validation_rules() {
        let r = rules(Some("url"));
        assert!(validate(Origin::Line(1), br#"{"url":"x"}"#, &r).is_ok());
        assert!(
            validate(Origin::Line(1), b"{\"url\":", &r)
                .unwrap_err()
                .reason
                .contains("JSON")
        );
        assert!(
            validate(Origin::Line(1), b"\xff", &rules(None))
                .unwrap_err()
                .reason
                .contains("UTF-8")
        );
        assert!(
            validate(Origin::Line(1), b"a\0b", &rules(None))
                .unwrap_err()
                .reason
                .contains("NUL")
        );
        assert!(
            validate(Origin::Line(1), &[b'a'; 65], &rules(None))
                .unwrap_err()
                .reason
                .contains("limit")
        );
        assert!(validate(Origin::Line(1), b"plain text", &rules(None)).is_ok());
    }
}
