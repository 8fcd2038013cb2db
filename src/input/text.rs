//! Splitting and checking a whole NDJSON input on all cores at once.

use super::{Invalid, Item, Rules, joined, lines_from, validate};

/// The lines of `input` (as `lines` numbers them) checked as `validate` does, leaving out
/// those `skip` names: the valid items and the invalid ones, each in input order. A large
/// input is cut into parts at newlines, each split and checked on a core of its own: nothing
/// is sent before the whole batch is checked, and Redis waits meanwhile. No list of the raw
/// lines is built: on this kind of machine a fresh page's first touch costs more than
/// reading it.
pub fn validate_text<'a>(
    input: &'a [u8],
    skip: &(dyn Fn(usize) -> bool + Sync),
    rules: &Rules<'_>,
) -> (Vec<Item<'a>>, Vec<Invalid>) {
    const PER_THREAD: usize = 1 << 20;
    // (Asking for the cores reads cgroup files: not for an input one thread checks anyway.)
    let threads = if input.len() <= PER_THREAD {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(input.len().div_ceil(PER_THREAD))
    };
    let newlines = |part: &[u8]| part.iter().filter(|&&b| b == b'\n').count();
    let check = |part: &'a [u8], first: usize, room: usize| {
        // Room asked for, not taken: when the allocator refuses it (many blank lines, a
        // small machine), the vector grows as it fills instead.
        let mut items = Vec::new();
        items.try_reserve_exact(room).ok();
        let mut invalid = Vec::new();
        for (origin, bytes) in lines_from(part, first) {
            if skip(origin.number()) {
                continue;
            }
            match validate(origin, bytes, rules) {
                Ok(item) => items.push(item),
                Err(bad) => invalid.push(bad),
            }
        }
        (items, invalid)
    };
    if threads == 1 {
        return check(input, 1, 0);
    }
    let parts = at_newlines(input, threads);
    std::thread::scope(|s| {
        let checks: Vec<_> = parts
            .iter()
            .enumerate()
            .map(|(i, &(start, part))| {
                s.spawn(move || {
                    // Each part's first line number, from the newlines before it; the first
                    // part has room for every line (see `joined`).
                    let first = 1 + newlines(&input[..start]);
                    // (An item is at least a byte and its newline.)
                    let most = (newlines(input) + 1).min(input.len() / 2 + 1);
                    let room = if i == 0 { most } else { 0 };
                    check(part, first, room)
                })
            })
            .collect();
        joined(checks)
    })
}

/// `input` cut into about `n` parts (at least one), each but the last ending just after a
/// newline, with where each starts.
fn at_newlines(input: &[u8], n: usize) -> Vec<(usize, &[u8])> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let aim = (input.len() * k / n).max(start);
        let Some(end) = input[aim..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let end = aim + end + 1;
        parts.push((start, &input[start..end]));
        start = end;
    }
    parts.push((start, &input[start..]));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Origin, lines, validate_all};

    #[test]
    fn parts_end_at_newlines_and_cover_the_input() {
        for text in [
            &b""[..],
            b"a",
            b"a\nb\n",
            b"\n\n\n",
            b"abc\ndef\nghi",
            b"one long line",
        ] {
            for n in 1..6 {
                let parts = at_newlines(text, n);
                let joined: Vec<u8> = parts.iter().flat_map(|(_, p)| p.iter().copied()).collect();
                assert_eq!(joined, text);
                for w in parts.windows(2) {
                    assert_eq!(w[0].1.last(), Some(&b'\n'));
                    assert_eq!(w[0].0 + w[0].1.len(), w[1].0);
                }
            }
        }
    }

    #[test]
    fn agrees_with_lines_then_validate_all() {
        // Over a MiB, with blank lines, CRLF, invalid lines and a skipped range, and no
        // newline at the end.
        let mut text = String::new();
        for i in 0..40_000 {
            match i % 1000 {
                0 => text.push_str("not json\n"),
                1 => text.push_str("\r\n"),
                2 => text.push_str("   \n"),
                3 => text.push_str(&format!("{{\"url\":\"u{i}\"}}\r\n")),
                _ => text.push_str(&format!(
                    "{{\"url\":\"u{i}\",\"pad\":\"{}\"}}\n",
                    "x".repeat(20)
                )),
            }
        }
        text.push_str(r#"{"url":"last"}"#);
        let rules = Rules {
            max_bytes: 1 << 20,
            dedup_by: Some("url"),
        };
        let skip = |n: usize| (5_000..=5_100).contains(&n);
        let (items, invalid) = validate_text(text.as_bytes(), &skip, &rules);
        let raw: Vec<(Origin, &[u8])> = lines(text.as_bytes())
            .filter(|(origin, _)| !skip(origin.number()))
            .collect();
        let (want_items, want_invalid) = validate_all(&raw, &rules);
        assert_eq!(invalid, want_invalid);
        assert_eq!(items.len(), want_items.len());
        for (got, want) in items.iter().zip(&want_items) {
            assert_eq!(
                (got.origin, got.bytes, &got.dedup),
                (want.origin, want.bytes, &want.dedup)
            );
        }
    }
}
