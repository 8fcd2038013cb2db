//! Reading items for enqueue: arguments or NDJSON lines, validated as a whole batch first.

use std::borrow::Cow;

use serde_json::Value;

mod flat;
mod path;
mod text;

pub use flat::flat_str;
pub use path::{Found, value_at};
pub use text::validate_text;

/// Where an item came from, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Line(usize),
    Argument(usize),
}

impl Origin {
    /// The line or argument number, from 1.
    pub fn number(self) -> usize {
        match self {
            Origin::Line(n) | Origin::Argument(n) => n,
        }
    }

    /// What the numbers count: "line" or "argument".
    pub fn unit(self) -> &'static str {
        match self {
            Origin::Line(_) => "line",
            Origin::Argument(_) => "argument",
        }
    }
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
    /// Borrowed from `bytes` when the item holds it unescaped (the usual case).
    pub dedup: Option<Cow<'a, str>>,
    /// Where it came from: a write cut short says which lines made it in.
    pub origin: Origin,
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
    lines_from(input, 1)
}

/// `lines`, numbered from `first`: a part of the input that starts after a newline.
fn lines_from(input: &[u8], first: usize) -> impl Iterator<Item = (Origin, &[u8])> {
    // Valid UTF-8 (the usual case) is split by memchr, a word at a time; bytes one by one.
    let split: Box<dyn Iterator<Item = &[u8]>> = match std::str::from_utf8(input) {
        Ok(text) => Box::new(text.split('\n').map(str::as_bytes)),
        Err(_) => Box::new(input.split(|&b| b == b'\n')),
    };
    split.enumerate().filter_map(move |(i, line)| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        (!line.iter().all(u8::is_ascii_whitespace)).then_some((Origin::Line(first + i), line))
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
        // The usual flat item first; anything else, and every error, from value_at.
        Some(path) => match flat_str(text, path) {
            Some(value) if !value.is_empty() => Some(Cow::Borrowed(value)),
            _ => {
                let found = value_at(text, path)
                    .map_err(|e| invalid(format!("not valid JSON ({e}), needed for --dedup-by")))?;
                let value = match found {
                    Some(Found::Str(s)) if !s.is_empty() => s,
                    other => Cow::Owned(
                        dedup_of(other.map(Found::into_value).as_ref(), path).map_err(invalid)?,
                    ),
                };
                Some(value)
            }
        },
    };
    Ok(Item {
        bytes,
        dedup,
        origin,
    })
}

/// Validates every item: the valid ones and the invalid ones, each in input order. A large
/// batch is checked on all cores, since nothing is sent before the whole batch is checked
/// and Redis waits meanwhile.
pub fn validate_all<'a>(
    raw: &[(Origin, &'a [u8])],
    rules: &Rules<'_>,
) -> (Vec<Item<'a>>, Vec<Invalid>) {
    const PER_THREAD: usize = 10_000;
    // (Asking for the cores reads cgroup files: not for a batch one thread checks anyway.)
    let threads = if raw.len() <= PER_THREAD {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(raw.len().div_ceil(PER_THREAD))
    };
    let check = |part: &[(Origin, &'a [u8])], room: usize| {
        let mut items = Vec::with_capacity(room);
        let mut invalid = Vec::new();
        for &(origin, bytes) in part {
            match validate(origin, bytes, rules) {
                Ok(item) => items.push(item),
                Err(bad) => invalid.push(bad),
            }
        }
        (items, invalid)
    };
    if threads == 1 {
        return check(raw, raw.len());
    }
    std::thread::scope(|s| {
        let parts: Vec<_> = raw
            .chunks(raw.len().div_ceil(threads))
            .enumerate()
            .map(|(i, part)| {
                let room = if i == 0 { raw.len() } else { part.len() };
                s.spawn(move || check(part, room))
            })
            .collect();
        joined(parts)
    })
}

/// The results of the threads checking the parts of a batch, joined in order. The first
/// part has room for the others' items: they are moved in once, and no third vector is
/// filled (here a fresh page's first touch costs more than a copy).
fn joined<'a>(
    parts: Vec<std::thread::ScopedJoinHandle<'_, (Vec<Item<'a>>, Vec<Invalid>)>>,
) -> (Vec<Item<'a>>, Vec<Invalid>) {
    let mut parts = parts
        .into_iter()
        .map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
    let (mut items, mut invalid) = parts.next().unwrap_or_default();
    for (more, bad) in parts {
        items.extend(more);
        invalid.extend(bad);
    }
    (items, invalid)
}

/// The dedup key of an item: the string (or number/bool, as written) at a dotted path.
pub fn dedup_value(value: &Value, path: &str) -> Result<String, String> {
    dedup_of(lookup(value, path), path)
}

/// The dedup key from what a dotted path found.
fn dedup_of(found: Option<&Value>, path: &str) -> Result<String, String> {
    match found {
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

/// A `--where` condition: `FIELD=VALUE` (the field's text equals VALUE), `FIELD!=VALUE`,
/// `FIELD~TEXT` (contains TEXT), or a number compared: `FIELD>=N`, `FIELD>N`, `FIELD<=N`,
/// `FIELD<N`. FIELD is a dotted path: `url`, `site.city`, `tags.0`. A string field compares
/// by its text, anything else by its compact JSON (`score=5`, `ok=true`); a comparison
/// matches only a field holding a number (or a string that is one).
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub path: String,
    pub value: String,
    pub op: Op,
}

/// How a condition compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Contains,
    Ge,
    Gt,
    Le,
    Lt,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Contains => "~",
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
        }
    }
}

impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.path, self.op.symbol(), self.value)
    }
}

impl Condition {
    /// A missing field never matches (not even `!=`).
    pub fn matches(&self, value: &Value) -> bool {
        let Some(found) = lookup(value, &self.path) else {
            return false;
        };
        let text = match found {
            Value::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            other => std::borrow::Cow::Owned(other.to_string()),
        };
        let number = || -> Option<(f64, f64)> {
            let have = match found {
                Value::Number(n) => n.as_f64()?,
                Value::String(s) => s.trim().parse::<f64>().ok()?,
                _ => return None,
            };
            let want = self.value.trim().parse::<f64>().ok()?;
            (have.is_finite() && want.is_finite()).then_some((have, want))
        };
        match self.op {
            Op::Eq => text == self.value.as_str(),
            Op::Ne => text != self.value.as_str(),
            Op::Contains => text.contains(self.value.as_str()),
            Op::Ge => number().is_some_and(|(h, w)| h >= w),
            Op::Gt => number().is_some_and(|(h, w)| h > w),
            Op::Le => number().is_some_and(|(h, w)| h <= w),
            Op::Lt => number().is_some_and(|(h, w)| h < w),
        }
    }
}

/// clap value parser for `--where`.
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let bad = || {
        format!(
            "'{text}' is not FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT or FIELD>=NUMBER (e.g. --where url=acmeauto.com, --where error~timeout, --where 'score>=0.8')"
        )
    };
    let at = text.find(['=', '~', '!', '<', '>']).ok_or_else(bad)?;
    let (path, rest) = text.split_at(at);
    if path.trim().is_empty() {
        return Err(bad());
    }
    let path = path.trim();
    let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
        (Op::Ne, v)
    } else if let Some(v) = rest.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = rest.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = rest.strip_prefix('>') {
        (Op::Gt, v)
    } else if let Some(v) = rest.strip_prefix('<') {
        (Op::Lt, v)
    } else if let Some(v) = rest.strip_prefix('~') {
        (Op::Contains, v)
    } else if let Some(v) = rest.strip_prefix('=') {
        (Op::Eq, v)
    } else {
        return Err(bad());
    };
    // Every text contains "": an empty TEXT would select every item (`approve --where
    // 'name~'` approved them all), and an empty VALUE is as likely a typo.
    if value.is_empty() {
        return Err(match op {
            Op::Contains => format!(
                "'{text}' has no text to look for, so it would match every item: write {path}~TEXT (e.g. --where '{path}~Auto')"
            ),
            Op::Eq | Op::Ne => format!(
                "'{text}' has no value to compare with: write {path}{}VALUE (e.g. --where '{path}{}Acme')",
                op.symbol(),
                op.symbol()
            ),
            _ => format!(
                "'{text}' has no number to compare with: write {path}{}NUMBER (e.g. --where '{path}{}0.8')",
                op.symbol(),
                op.symbol()
            ),
        });
    }
    if matches!(op, Op::Ge | Op::Gt | Op::Le | Op::Lt)
        && !value.trim().parse::<f64>().is_ok_and(f64::is_finite)
    {
        return Err(format!(
            "'{text}': {} compares numbers, and '{value}' is not one (e.g. --where '{path}{}0.8')",
            op.symbol(),
            op.symbol()
        ));
    }
    Ok(Condition {
        path: path.to_owned(),
        value: value.to_owned(),
        op,
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
    fn a_batch_checked_on_several_threads_keeps_input_order() {
        // Over PER_THREAD lines: split between threads (where there are several cores).
        let texts: Vec<String> = (0..25_000)
            .map(|i| match i % 997 {
                0 => "not json".to_owned(),
                _ => format!(r#"{{"url":"u{}","i":{i}}}"#, i % 20_000),
            })
            .collect();
        let raw: Vec<(Origin, &[u8])> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (Origin::Line(i + 1), t.as_bytes()))
            .collect();
        let (items, invalid) = validate_all(&raw, &rules(Some("url")));
        let want_bad: Vec<usize> = (0..25_000)
            .filter(|i| i % 997 == 0)
            .map(|i| i + 1)
            .collect();
        let bad: Vec<usize> = invalid.iter().map(|b| b.origin.number()).collect();
        assert_eq!(bad, want_bad);
        assert_eq!(items.len() + invalid.len(), raw.len());
        let mut last = 0;
        for item in &items {
            let line = item.origin.number();
            assert!(line > last, "line {line} after {last}");
            last = line;
            assert_eq!(item.bytes, texts[line - 1].as_bytes());
            let want = format!("u{}", (line - 1) % 20_000);
            assert_eq!(item.dedup.as_deref(), Some(want.as_str()));
        }
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
