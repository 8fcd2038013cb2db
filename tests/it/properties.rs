//! Property tests for everything that reads untrusted text: NDJSON input, handler output and
//! control words, pipectl.toml, durations, Redis URLs. None may panic on any input; where
//! there is a round trip, it holds. `PROPTEST_CASES` bounds the run (scripts/test sets it).

use std::time::Duration;

use pipectl::config::{self, Source};
use pipectl::duration;
use pipectl::exit::Exit;
use pipectl::handler::{Control, parse_control, parse_output};
use pipectl::input::{self, Origin, Rules};
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bytes that look like NDJSON often enough to be interesting, and like anything otherwise.
fn ndjson_ish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec(
            prop_oneof![
                Just(b"\n".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b" ".to_vec()),
                Just(b"{".to_vec()),
                Just(b"}".to_vec()),
                Just(b"[".to_vec()),
                Just(b"\"url\":".to_vec()),
                Just(b"\"a.com\"".to_vec()),
                Just(b"\0".to_vec()),
                Just(b"\xff\xfe".to_vec()),
                Just("é".as_bytes().to_vec()),
                "[a-z0-9,:]{0,5}".prop_map(String::into_bytes),
            ],
            0..40
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Failures print their minimal input; no regression files next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    // ---- src/input: the NDJSON reader ----

    #[test]
    fn ndjson_lines_never_panic_and_are_numbered_lines(bytes in ndjson_ish()) {
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        let mut last = 0;
        for (origin, line) in input::lines(&bytes) {
            let Origin::Line(n) = origin else { panic!("lines are numbered as lines") };
            prop_assert!(n > last && n <= newlines + 1, "line numbers grow: {n} after {last}");
            last = n;
            prop_assert!(!line.contains(&b'\n'));
            prop_assert!(!line.iter().all(u8::is_ascii_whitespace), "blank lines are skipped");
        }
    }

    #[test]
    fn ndjson_lines_give_back_what_was_joined(
        items in prop::collection::vec("[^\n\r]*[^\n\r \t\x0b\x0c]", 0..20),
        crlf in any::<bool>(),
    ) {
        let sep = if crlf { "\r\n" } else { "\n" };
        let text = items.join(sep);
        let got: Vec<&[u8]> = input::lines(text.as_bytes()).map(|(_, l)| l).collect();
        let want: Vec<&[u8]> = items.iter().map(|s| s.as_bytes()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn validation_never_panics_and_only_passes_clean_items(
        bytes in ndjson_ish(),
        max_bytes in 0usize..300,
        dedup_by in prop::option::of(prop_oneof![Just("url".to_owned()), "[a-z0-9.]{0,8}"]),
    ) {
        let rules = Rules { max_bytes, dedup_by: dedup_by.as_deref() };
        if let Ok(item) = input::validate(Origin::Line(1), &bytes, &rules) {
            prop_assert!(item.bytes.len() <= max_bytes);
            let text = std::str::from_utf8(item.bytes);
            prop_assert!(text.is_ok());
            prop_assert!(!item.bytes.contains(&0));
            match (&dedup_by, &item.dedup) {
                (Some(_), Some(value)) => prop_assert!(!value.is_empty()),
                (None, None) => {}
                other => prop_assert!(false, "dedup value mismatch: {other:?}"),
            }
        }
    }

    #[test]
    fn dedup_values_are_read_at_any_path(value in json_value(), path in "[a-z_0-9]{1,6}(\\.[a-z_0-9]{1,6}){0,3}") {
        // Never panics; when it answers, the answer is a scalar's text.
        if let Ok(found) = input::dedup_value(&value, &path) {
            prop_assert!(!found.is_empty());
            let at = input::lookup(&value, &path);
            prop_assert!(matches!(at, Some(Value::String(_) | Value::Number(_) | Value::Bool(_))));
        }
    }

    #[test]
    fn the_flat_fast_path_agrees_with_the_parser_or_leaves_it(
        fields in prop::collection::vec(
            (
                prop_oneof![Just("url".to_owned()), "[a-z_]{1,4}"],
                prop_oneof![json_value(), "[^\u{0}]{0,12}".prop_map(Value::String)],
            ),
            0..6,
        ),
        cut in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        how in 0u8..4,
    ) {
        // A flat object (keys may repeat), written by serde_json with spacing or not, then
        // maybe spoiled: a byte replaced, inserted or the text cut short.
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
            .collect();
        let sep = if how % 2 == 0 { "," } else { " , " };
        let mut text = format!("{{{}}}", body.join(sep)).into_bytes();
        let at = cut.index(text.len() + 1);
        match how {
            1 => text.truncate(at),
            2 if at < text.len() => text[at] = byte,
            3 => text.insert(at, byte),
            _ => {}
        }
        let Ok(text) = std::str::from_utf8(&text) else { return Ok(()) };
        if let Some(found) = input::flat_str(text, "url") {
            let parsed = input::value_at(text, "url");
            prop_assert!(
                matches!(&parsed, Ok(Some(input::Found::Str(s))) if s == found),
                "{text}: fast path {found:?}, parser {parsed:?}"
            );
        }
    }

    #[test]
    fn a_json_object_with_the_field_is_valid(url in "[^\u{0}]{1,40}", other in json_value()) {
        let item = serde_json::json!({"url": url, "other": other}).to_string();
        let rules = Rules { max_bytes: usize::MAX, dedup_by: Some("url") };
        let got = input::validate(Origin::Line(1), item.as_bytes(), &rules);
        prop_assert_eq!(got.map(|i| i.dedup.map(|d| d.into_owned())), Ok(Some(url)));
    }

    // ---- src/handler/mod.rs: what a handler answers ----

    #[test]
    fn handler_output_never_panics(output in ndjson_ish(), item in ndjson_ish(), max in 0usize..200) {
        if let Ok(items) = parse_output(&output, &item, max) {
            for out in &items {
                if out.as_slice() != item.as_slice() {
                    prop_assert!(out.len() <= max);
                    prop_assert!(serde_json::from_slice::<serde::de::IgnoredAny>(out).is_ok());
                }
            }
        }
    }

    #[test]
    fn handler_ndjson_fans_out_byte_for_byte(values in prop::collection::vec(json_value(), 1..8)) {
        let lines: Vec<String> = values.iter().map(Value::to_string).collect();
        let output = format!("{}\n", lines.join("\n"));
        let got = parse_output(output.as_bytes(), b"the item, not JSON", usize::MAX);
        let want: Vec<Vec<u8>> = lines.into_iter().map(String::into_bytes).collect();
        prop_assert_eq!(got, Ok(want));
    }

    #[test]
    fn handler_echo_or_silence_passes_the_item_on(item in ndjson_ish(), ws in "[ \t\r\n]{0,5}", echo in any::<bool>()) {
        let output = if echo { [item.as_slice(), b"\n"].concat() } else { ws.into_bytes() };
        prop_assert_eq!(parse_output(&output, &item, 0), Ok(vec![item.clone()]));
    }

    #[test]
    fn control_words_never_panic(text in ".{0,40}") {
        let _ = parse_control(&text);
    }

    #[test]
    fn control_defer_reads_any_duration_written(ms in 0u64..100 * 365 * 86_400_000, pad in "[ \t\n]{0,3}") {
        let d = Duration::from_millis(ms);
        let text = format!("{pad}defer {}{pad}", duration::exact(d));
        prop_assert_eq!(parse_control(&text), Ok(Control::Defer(d)));
    }

    // ---- src/config.rs: pipectl.toml ----

    #[test]
    fn config_parse_never_panics_on_any_text(text in ".{0,400}") {
        if let Err(fail) = config::parse(&text, Source::Builtin, None) {
            prop_assert_eq!(fail.exit, Exit::Config);
        }
    }

    #[test]
    fn config_parse_never_panics_on_config_shaped_text(text in config_ish()) {
        match config::parse(&text, Source::Builtin, None) {
            Ok(c) => prop_assert!(!c.stages.is_empty()),
            Err(fail) => prop_assert_eq!(fail.exit, Exit::Config),
        }
    }

    // ---- src/duration.rs ----

    #[test]
    fn durations_never_panic(text in ".{0,30}") {
        let _ = duration::parse(&text);
    }

    #[test]
    fn durations_round_trip(ms in 0u64..100 * 365 * 86_400_000) {
        let d = Duration::from_millis(ms);
        prop_assert_eq!(duration::parse(&duration::exact(d)), Ok(d));
    }

    #[test]
    fn durations_add_up_or_are_refused(parts in prop::collection::vec((0u64..1_000_000, prop::sample::select(vec!["ms", "s", "m", "h", "d", "w"])), 1..5)) {
        let text: String = parts.iter().map(|(n, u)| format!("{n}{u}")).collect();
        let ms: u128 = parts.iter().map(|(n, u)| u128::from(*n) * match *u {
            "ms" => 1, "s" => 1_000, "m" => 60_000, "h" => 3_600_000, "d" => 86_400_000, _ => 7 * 86_400_000,
        }).sum();
        match duration::parse(&text) {
            Ok(d) => prop_assert_eq!(d.as_millis(), ms),
            Err(e) => {
                prop_assert!(ms > 100 * 365 * 86_400_000, "{text} refused: {e}");
                prop_assert!(e.contains("too large"));
            }
        }
    }

    #[test]
    fn negative_and_exponent_durations_are_refused(n in 0u64..1_000_000, unit in prop::sample::select(vec!["ms", "s", "m", "h", "d", ""])) {
        let negative = format!("-{n}{unit}");
        let exponent = format!("{n}e3{unit}");
        prop_assert!(duration::parse(&negative).is_err());
        prop_assert!(duration::parse(&exponent).is_err());
    }

    // ---- src/store/connect.rs: passwords never shown ----

    #[test]
    fn redacted_urls_never_show_the_password(
        scheme in prop::sample::select(vec!["redis", "rediss", "unix"]),
        user in "[a-z]{0,6}",
        password in "[A-Za-z0-9!$%&*+=~]{6,20}",
        host in "[a-z0-9.]{1,12}",
        tail in "(:[0-9]{1,5})?(/[0-9])?",
    ) {
        let url = format!("{scheme}://{user}:{password}@{host}{tail}");
        let shown = pipectl::store::redact_url(&url);
        prop_assert!(!shown.contains(&password), "{shown}");
        let _ = pipectl::store::redact_url(&format!("{password}{host}@{tail}://"));
    }
}

/// Text shaped like pipectl.toml: known tables and keys, values of every type (wrong ones
/// included), plus unknown keys now and then.
fn config_ish() -> impl Strategy<Value = String> {
    let table = prop::sample::select(vec![
        "[pipeline]",
        "[stages.a]",
        "[stages.b]",
        "[stages.\"bad name\"]",
        "[stages.a.http]",
        "[stages.a.rate_limit]",
        "[stages.a.http.headers]",
        "[stages]",
    ]);
    let key = prop::sample::select(vec![
        "name",
        "seen_set",
        "dead_letters",
        "rejected",
        "stats_retention",
        "max_item_bytes",
        "input",
        "output",
        "exec",
        "http",
        "max_attempts",
        "backoff",
        "max_backoff",
        "timeout",
        "rate_limit",
        "dedup_by",
        "url",
        "headers",
        "key",
        "limit",
        "per",
        "Authorization",
        "unknown_key",
    ]);
    let value = prop::sample::select(vec![
        "\"q\"",
        "\"p:queue\"",
        "\"\"",
        "\"5m\"",
        "\"-5m\"",
        "\"99999999d\"",
        "\"1e9s\"",
        "\"0s\"",
        "0",
        "1",
        "-1",
        "18446744073709551615",
        "99999999999999999999",
        "1.5",
        "true",
        "[]",
        "[\"./h.sh\"]",
        "[\"\"]",
        "[1, 2]",
        "{}",
        "{ url = \"http://127.0.0.1:1/x\" }",
        "{ url = \"ftp://x\" }",
        "{ key = \"k\", limit = 1, per = \"1s\" }",
        "{ key = \"k\", limit = 0, per = \"1h\" }",
        "\"http://127.0.0.1:1/${TOKEN}\"",
        "\"Bearer ${TOKEN}\"",
        "1979-05-27T07:32:00Z",
    ]);
    let line = prop_oneof![
        table.prop_map(str::to_owned),
        (key, value).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    prop::collection::vec(line, 0..16).prop_map(|lines| lines.join("\n"))
}

#[test]
fn deeply_nested_json_is_refused_not_overflowed() {
    let nested = "[".repeat(100_000);
    let rules = Rules {
        max_bytes: usize::MAX,
        dedup_by: Some("url"),
    };
    let bad = input::validate(Origin::Line(1), nested.as_bytes(), &rules).unwrap_err();
    assert!(bad.reason.contains("not valid JSON"), "{}", bad.reason);
    assert!(parse_output(nested.as_bytes(), b"x", usize::MAX).is_err());
    let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Balanced, it is valid JSON: passed on byte for byte (serde_json skips it without
    // recursing), and refused only where a field must be read.
    assert_eq!(
        parse_output(closed.as_bytes(), b"x", usize::MAX),
        Ok(vec![closed.clone().into_bytes()])
    );
    assert!(input::validate(Origin::Line(1), closed.as_bytes(), &rules).is_err());
    assert!(config::parse(&format!("a = {nested}"), Source::Builtin, None).is_err());
    assert!(config::parse(&format!("a = {closed}"), Source::Builtin, None).is_err());
}
