//! The usual item of a bulk enqueue, read without a general JSON parser: a flat object whose
//! dedup field holds a plain string. Checking 100,000 of them is most of what a bulk enqueue
//! does before it sends anything, and this reads each in a few passes over its bytes.

/// The string at top-level `key` when `text` is a flat JSON object — keys and strings without
/// escapes or control characters, numbers without an exponent and short enough to be read
/// exactly, `true`, `false`, `null` — and the key's (last) value is such a string: then it is
/// what `value_at(text, key)` finds, and `text` is JSON. `None` for anything else (nested
/// values, escapes, a dotted key, not JSON at all), which `value_at` then decides.
pub fn flat_str<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    if key.contains('.') {
        return None;
    }
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut found = None;
    loop {
        let (k, next) = plain_string(b, i)?;
        i = skip_ws(b, next);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let is_key = k == key.as_bytes();
        if b.get(i) == Some(&b'"') {
            let (value, next) = plain_string(b, i)?;
            if is_key {
                found = Some(i + 1..i + 1 + value.len());
            }
            i = next;
        } else if is_key {
            // Another kind of value: value_at says what it makes.
            return None;
        } else {
            i = scalar(b, i)?;
        }
        i = skip_ws(b, i);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    if skip_ws(b, i + 1) != b.len() {
        return None;
    }
    text.get(found?)
}

/// JSON's whitespace from `i` on; the index after it.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// A string at `i` with no escape and no control character: its contents, and the index after
/// its closing quote.
fn plain_string(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let rest = b.get(i + 1..)?;
    let end = rest
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
    (rest[end] == b'"').then(|| (&rest[..end], i + 1 + end + 1))
}

/// `true`, `false`, `null` or a number at `i` (`-`, then `0` or a digit 1-9 and digits, then
/// maybe `.` and digits; at most 17 digits in all, so it is read exactly and never out of
/// range); the index after it.
fn scalar(b: &[u8], i: usize) -> Option<usize> {
    for word in [&b"true"[..], b"false", b"null"] {
        if b.get(i..i + word.len()) == Some(word) {
            return Some(i + word.len());
        }
    }
    let mut j = i + usize::from(b.get(i) == Some(&b'-'));
    let digits = |b: &[u8], from: usize| {
        b.get(from..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let int = digits(b, j);
    if int == 0 || (int > 1 && b[j] == b'0') {
        return None;
    }
    j += int;
    let mut frac = 0;
    if b.get(j) == Some(&b'.') {
        frac = digits(b, j + 1);
        if frac == 0 {
            return None;
        }
        j += 1 + frac;
    }
    (int + frac <= 17).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Found, value_at};

    #[test]
    fn reads_what_value_at_reads_or_leaves_it_to_it() {
        let cases: &[(&str, Option<&str>)] = &[
            (r#"{"url":"a.com","n":5}"#, Some("a.com")),
            (
                r#" { "n" : -0.5 , "url" : "a.com" , "b":true,"c":null,"d":false } "#,
                Some("a.com"),
            ),
            (r#"{"url":"first","url":"second"}"#, Some("second")),
            (r#"{"url":"","x":1}"#, Some("")),
            (r#"{"url":"ünïcode ✓"}"#, Some("ünïcode ✓")),
            // Left to value_at:
            (r#"{"url":"first","url":2}"#, None),
            (r#"{"url":"a\"b"}"#, None),
            (r#"{"u\u0072l":"a"}"#, None),
            (r#"{"url":"a","o":{}}"#, None),
            (r#"{"url":"a","l":[1]}"#, None),
            (r#"{"url":"a","n":1e5}"#, None),
            (r#"{"url":"a","n":123456789012345678}"#, None),
            (r#"{"url":{"deep":1}}"#, None),
            (r#"{}"#, None),
            (r#"{"n":1}"#, None),
            // Not JSON: value_at says why.
            (r#"{"url":"a",}"#, None),
            (r#"{"url":"a"} x"#, None),
            (r#"{"url":"a""#, None),
            (r#"{"url":"a","n":01}"#, None),
            (r#"{"url":"a","n":1.}"#, None),
            (r#"{"url":"a","n":-}"#, None),
            (r#"{"url":"a","n":tru}"#, None),
            ("{\"url\":\"a\tb\"}", None),
            (r#"{"url" "a"}"#, None),
            (r#"["url","a"]"#, None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(flat_str(text, "url"), *want, "{text}");
            if let Some(want) = want {
                let found = value_at(text, "url").unwrap();
                assert_eq!(found, Some(Found::Str((*want).into())), "{text}");
            }
        }
        assert_eq!(flat_str(r#"{"a.b":"x"}"#, "a.b"), None);
    }
}
