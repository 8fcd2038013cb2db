//! Unit tests of the selection shared by review and surgery (select.rs).

use super::select::*;
use crate::input::{Condition, parse_condition};

fn span(first: usize, last: usize) -> Span {
    Span { first, last }
}

#[test]
fn positions_and_ranges() {
    assert_eq!(parse_span("3"), Ok(span(3, 3)));
    assert_eq!(parse_span("2-5"), Ok(span(2, 5)));
    assert!(parse_span("0").unwrap_err().contains("start at 1"));
    assert!(parse_span("5-2").unwrap_err().contains("backwards"));
    for bad in [
        "",
        "x",
        "-1",
        "1-",
        "+2",
        "1.5",
        "1-2-3",
        "99999999999999999999999",
    ] {
        assert!(parse_span(bad).is_err(), "{bad}");
    }
    assert_eq!(
        merge(&[span(5, 5), span(1, 2), span(3, 3), span(7, 9), span(8, 8)]),
        [span(1, 3), span(5, 5), span(7, 9)]
    );
}

fn item_for_ops() -> &'static [u8] {
    br#"{"name":"Acme","score":0.85}"#
}

#[test]
fn filters() {
    assert_eq!(
        parse_condition("site.url=a=b~c"),
        Ok(Condition {
            path: "site.url".into(),
            value: "a=b~c".into(),
            op: crate::input::Op::Eq
        })
    );
    assert_eq!(
        parse_condition("name~Auto").unwrap().op,
        crate::input::Op::Contains
    );
    assert!(matches_all(
        item_for_ops(),
        &[parse_condition("score>=0.8").unwrap()]
    ));
    assert!(!matches_all(
        item_for_ops(),
        &[parse_condition("score>0.9").unwrap()]
    ));
    assert!(matches_all(
        item_for_ops(),
        &[parse_condition("name!=Bob").unwrap()]
    ));
    assert!(!matches_all(
        item_for_ops(),
        &[parse_condition("name>=1").unwrap()]
    ));
    assert!(parse_condition("score>=high").is_err());
    assert!(parse_condition("score>=").is_err());
    assert!(parse_condition("=x").is_err());
    assert!(parse_condition("novalue").is_err());
    let item = br#"{"name":"Acme","n":5,"ok":true,"site":{"city":"Austin"},"nil":null}"#;
    let f = |s: &str| vec![parse_condition(s).unwrap()];
    assert!(matches_all(item, &f("name=Acme")));
    assert!(matches_all(item, &f("name~cm")));
    assert!(matches_all(item, &f("n=5")));
    assert!(matches_all(item, &f("ok=true")));
    assert!(matches_all(item, &f("nil=null")));
    assert!(matches_all(item, &f("site.city=Austin")));
    assert!(matches_all(item, &f(r#"site={"city":"Austin"}"#)));
    assert!(!matches_all(item, &f("name=acme")));
    assert!(!matches_all(item, &f("name~Acme Auto")));
    assert!(!matches_all(item, &f("missing=x")));
    // An empty value or text would select everything: refused.
    assert!(parse_condition("name~").unwrap_err().contains("name~TEXT"));
    assert!(parse_condition("name=").unwrap_err().contains("name=VALUE"));
    assert!(!matches_all(b"not json", &f("name=Acme")));
    assert!(matches_all(b"not json", &[]));
    let both = [f("name=Acme"), f("n=6")].concat();
    assert!(!matches_all(item, &both));
}

#[test]
fn calls_are_bounded_in_items_and_in_scanning() {
    let at =
        |positions: &[usize]| -> Vec<(usize, ())> { positions.iter().map(|&p| (p, ())).collect() };
    let none: Vec<(usize, ())> = Vec::new();
    assert_eq!(chunk_len(&none, 10, Cost::OneScan), 0);
    assert_eq!(chunk_len(&none, 10, Cost::EachItem), 0);
    // The next 1,000 in line: 500 a call either way.
    let front: Vec<usize> = (1..=1000).collect();
    assert_eq!(chunk_len(&at(&front), 1_000_000, Cost::OneScan), 500);
    assert_eq!(chunk_len(&at(&front), 1_000_000, Cost::EachItem), 500);
    // Spread over the middle of a million: one scan reaches them all; one scan each does not.
    let middle: Vec<usize> = (0..500).map(|i| 400_000 + i * 100).collect();
    assert_eq!(chunk_len(&at(&middle), 1_000_000, Cost::OneScan), 500);
    assert_eq!(chunk_len(&at(&middle), 1_000_000, Cost::EachItem), 1);
    // Ones far apart: a call stops where its scan would pass the budget.
    let apart = [10, 150_000, 250_000, 260_000];
    assert_eq!(chunk_len(&at(&apart), 1_000_000, Cost::OneScan), 2);
    // Near the other end, scanned from there.
    let back = [999_990, 999_000, 900_000, 700_000];
    assert_eq!(chunk_len(&at(&back), 1_000_000, Cost::OneScan), 3);
    // A stale position past the end costs what the list holds, never overflows.
    assert_eq!(chunk_len(&at(&[usize::MAX, 5]), 10, Cost::OneScan), 2);
    assert_eq!(chunk_len(&at(&[usize::MAX, 5]), 10, Cost::EachItem), 2);
}
