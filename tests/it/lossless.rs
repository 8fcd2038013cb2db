//! pipectl never loses, alters or doubles an item (DESIGN §2–§3): regression tests for each
//! way 0.1.0 broke that, and property tests that arbitrary bytes survive every move and come
//! out of every JSON output decodable to exactly what went in. Items are read and written
//! with the redis crate, byte for byte, beside the real binary.

use std::process::Output;

use crate::support::*;
use base64::Engine;
use proptest::prelude::*;
use serde_json::Value;

/// The exact bytes a record's item field holds, decoded as the README says a consumer
/// should: `item` written compactly, `item_text` as UTF-8, `item_base64` decoded.
fn decode(record: &Value) -> Vec<u8> {
    let fields: Vec<&str> = ["item", "item_text", "item_base64"]
        .into_iter()
        .filter(|f| record.get(*f).is_some())
        .collect();
    assert_eq!(fields.len(), 1, "one item field in {record}");
    match fields[0] {
        "item" => serde_json::to_vec(&record["item"]).unwrap(),
        "item_text" => record["item_text"].as_str().unwrap().as_bytes().to_vec(),
        _ => base64::engine::general_purpose::STANDARD
            .decode(record["item_base64"].as_str().unwrap())
            .unwrap(),
    }
}

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

fn push(r: &RedisServer, key: &str, items: &[Vec<u8>]) {
    if items.is_empty() {
        return;
    }
    let _: u64 = redis::cmd("LPUSH")
        .arg(key)
        .arg(items)
        .query(&mut con(r))
        .unwrap();
}

/// The list's items in the order they will be taken (consumer end first).
fn items(r: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg(key)
        .arg(0)
        .arg(-1)
        .query(&mut con(r))
        .unwrap();
    all.reverse();
    all
}

fn pipectl(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().unwrap()
}

/// Pipeline `p`: build (p:queue → p:staged) passes items on unchanged, or dead-letters them
/// at once while the file `dead` exists; review (p:staged → p:ready) is manual.
fn pipeline(r: &RedisServer) {
    handler(
        r.dir.path(),
        "h.sh",
        "cat >/dev/null\n[ -e dead ] && { echo 'refused by test' >&2; exit 65; }\nexit 0",
    );
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue").output("p:staged").exec(&["./h.sh"])
        })
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());
}

fn set_dead(r: &RedisServer, dead: bool) {
    let path = r.dir.path().join("dead");
    if dead {
        std::fs::write(path, "").unwrap();
    } else {
        std::fs::remove_file(path).ok();
    }
}

// Defect 1: approve/reject destroyed the item when the destination held another type.
#[test]
fn approve_and_reject_into_a_spoiled_list_change_nothing() {
    let r = RedisServer::start();
    pipeline(&r);
    push(
        &r,
        "p:staged",
        &[b"{\"n\":1}".to_vec(), b"{\"n\":2}".to_vec()],
    );
    r.cli(&["SET", "p:ready", "x"]);
    let out = pipectl(&r, &["approve", "1"]);
    assert_code(&out, 65);
    assert!(stderr(&out).contains("p:ready"), "{}", stderr(&out));
    assert_eq!(
        items(&r, "p:staged"),
        [b"{\"n\":1}".to_vec(), b"{\"n\":2}".to_vec()]
    );
    assert_eq!(r.cli(&["GET", "p:ready"]), "x");

    r.cli(&["SADD", "p:rejected", "x"]);
    let out = pipectl(&r, &["reject", "--all"]);
    assert_code(&out, 65);
    assert!(stderr(&out).contains("p:rejected"), "{}", stderr(&out));
    assert_eq!(items(&r, "p:staged").len(), 2);
    assert_eq!(r.cli(&["SCARD", "p:rejected"]), "1");
}

// Defects 2 and 3: bytes that are not UTF-8, JSON strings, big and precise numbers and
// duplicate keys came back changed from the dead-letter round trip and from JSON output.
#[test]
fn odd_items_survive_the_dead_letter_round_trip_and_json_output() {
    let odd: Vec<Vec<u8>> = vec![
        b"\xff\xfe\x01binary".to_vec(),
        b"\"https://acme.example\"".to_vec(),
        b"https://acme.example".to_vec(),
        b"123456789012345678901234567890".to_vec(),
        b"1.50".to_vec(),
        b"{\"a\":1,\"a\":2}".to_vec(),
        b"a".to_vec(),
        b"\"a\"".to_vec(),
    ];
    let r = RedisServer::start();
    pipeline(&r);
    push(&r, "p:queue", &odd);

    // ls --json and pop --lease tell every item apart and give back its exact bytes.
    let listed: Vec<Vec<u8>> = json_lines(&pipectl(&r, &["ls", "p:queue", "--json"]))
        .iter()
        .map(decode)
        .collect();
    assert_eq!(listed, odd);
    let recs = json_lines(&pipectl(&r, &["ls", "p:queue", "--json"]));
    assert_eq!(recs[6], serde_json::json!({"pos": 7, "item_text": "a"}));
    assert_eq!(recs[7], serde_json::json!({"pos": 8, "item": "a"}));
    assert_eq!(recs[0]["item_base64"], "//4BYmluYXJ5");

    // Dead-lettered, shown and retried: the same bytes all the way.
    set_dead(&r, true);
    assert_code(&pipectl(&r, &["run", "build", "--drain"]), 1);
    assert_eq!(r.llen("p:failed"), odd.len());
    let shown: Vec<Vec<u8>> = json_lines(&pipectl(&r, &["dead", "ls", "--json"]))
        .iter()
        .map(decode)
        .collect();
    let mut newest_first = odd.clone();
    newest_first.reverse();
    assert_eq!(shown, newest_first);
    let one = json(&pipectl(&r, &["dead", "show", "1", "--json"]));
    assert_eq!(decode(&one), odd[odd.len() - 1]);
    assert_code(&pipectl(&r, &["dead", "retry", "--all"]), 0);
    let mut back = items(&r, "p:queue");
    back.sort();
    let mut want = odd.clone();
    want.sort();
    assert_eq!(back, want);

    // pop --json and pop --lease: exact too.
    let popped = json(&pipectl(&r, &["pop", "p:queue", "-n", "100", "--json"]));
    let mut got: Vec<Vec<u8>> = popped["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(decode)
        .collect();
    got.sort();
    assert_eq!(got, want);
    push(&r, "p:queue", &odd[..1]);
    let lease = json_lines(&pipectl(&r, &["pop", "p:queue", "--lease", "1m"]));
    assert_eq!(decode(&lease[0]), odd[0]);
    // Raw, one item: the bytes themselves and a newline, as redis-cli --raw.
    push(&r, "p:queue", &odd[..1]);
    let out = pipectl(&r, &["pop", "p:queue"]);
    assert_code(&out, 0);
    assert_eq!(out.stdout, b"\xff\xfe\x01binary\n");
}

// Defect 4: `pop --count 10 > /dev/full` removed 10 items and delivered none.
#[test]
fn pop_gives_back_what_it_could_not_write() {
    let r = RedisServer::start();
    let ten: Vec<Vec<u8>> = (0..10).map(|i| format!("item-{i}").into_bytes()).collect();
    push(&r, "q", &ten);
    for args in [
        &["pop", "q", "--count", "10"][..],
        &["pop", "q", "--count", "10", "--json"],
        &["pop", "q", "--count", "10", "--lease", "1m"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = r.pipectl().args(args).stdout(full).output().unwrap();
        assert_code(&out, 1);
        assert!(
            stderr(&out).contains("0 of 10 items written"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(items(&r, "q"), ten, "{args:?}: every item back, in order");
        assert_eq!(r.cli(&["EXISTS", "q:leased"]), "0", "{args:?}");
    }
}

// A reader that quits before pipectl writes: nothing is lost either.
#[test]
fn pop_into_a_closed_pipe_gives_everything_back() {
    let r = RedisServer::start();
    let ten: Vec<Vec<u8>> = (0..10).map(|i| format!("item-{i}").into_bytes()).collect();
    push(&r, "q", &ten);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = r
        .pipectl()
        .args(["pop", "q", "-n", "10"])
        .stdout(writer)
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_eq!(items(&r, "q"), ten);
}

// Defect 9: an argument item holding a newline showed as two items in line output.
#[test]
fn an_item_with_a_newline_is_one_line_of_output() {
    let r = RedisServer::start();
    let out = pipectl(&r, &["enqueue", "q", "{\"a\":1}\n{\"b\":2}", "x"]);
    assert_code(&out, 0);
    assert_eq!(r.llen("q"), 2);
    let out = pipectl(&r, &["ls", "q"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "{\"a\":1}\\n{\"b\":2}\nx\n");
    assert!(stderr(&out).contains("line break"), "{}", stderr(&out));
    let out = pipectl(&r, &["peek", "q", "-n", "2"]);
    assert_eq!(stdout(&out).lines().count(), 2);
    // NDJSON is exact.
    let recs = json_lines(&pipectl(&r, &["ls", "q", "--json"]));
    assert_eq!(decode(&recs[0]), b"{\"a\":1}\n{\"b\":2}");
}

// Defect 10: counts passed through a Lua double.
#[test]
fn counts_are_exact_64_bit_integers() {
    let r = RedisServer::start();
    let out = pipectl(&r, &["count", "big", "--by", "9223372036854775807"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "9223372036854775807");
    let out = pipectl(&r, &["count", "precise", "--by", "9007199254740993"]);
    assert_eq!(stdout(&out).trim(), "9007199254740993");
    let out = pipectl(&r, &["--json", "count", "precise", "--by", "2"]);
    assert!(
        stdout(&out).contains("9007199254740995"),
        "{}",
        stdout(&out)
    );
    let out = pipectl(&r, &["count", "big"]);
    assert_code(&out, 65);
    assert!(stderr(&out).contains("64-bit"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was added"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        r.cli(&["GET", &format!("stats:big:{}", today())]),
        "9223372036854775807"
    );
}

/// Items of every kind: arbitrary bytes, and the shapes that broke before.
fn any_item() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..40),
        "[ -~\\n\\t]{0,30}".prop_map(String::into_bytes),
        prop::sample::select(vec![
            "\"https://acme.example\"",
            "123456789012345678901234567890",
            "1.50",
            "1.5",
            "-0",
            "1e29",
            "{\"a\":1,\"a\":2}",
            "{\"url\":\"a.com\",\"n\":[1,2.25,null,true]}",
            "{\"a\": 1}",
            "\"\\u00e9\"",
            "\"é\"",
            "\u{0}",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

// Each case starts a pipeline and runs a dozen commands: fewer cases than the pure property
// tests (PIPECTL_E2E_CASES, 40 by default), each with a batch of items. A runner of its own,
// so the PROPTEST_CASES that scripts/test sets for the pure ones does not apply here.
#[test]
fn any_bytes_survive_every_move_and_every_json_output() {
    let cases = std::env::var("PIPECTL_E2E_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(40);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&prop::collection::vec(any_item(), 1..8), |batch| {
        let r = RedisServer::start();
        pipeline(&r);
        let mut sorted = batch.clone();
        sorted.sort();
        let sort = |mut v: Vec<Vec<u8>>| {
            v.sort();
            v
        };

        // queue → ls --json, peek --json
        push(&r, "p:queue", &batch);
        let listed: Vec<Vec<u8>> = json_lines(&pipectl(&r, &["ls", "p:queue", "--json"]))
            .iter()
            .map(decode)
            .collect();
        prop_assert_eq!(&listed, &batch);
        let peeked = json(&pipectl(&r, &["peek", "p:queue", "-n", "100", "--json"]));
        let peeked: Vec<Vec<u8>> = peeked["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(decode)
            .collect();
        prop_assert_eq!(&peeked, &batch);

        // queue → lease → dead letters → dead ls/show → retry → queue
        set_dead(&r, true);
        pipectl(&r, &["run", "build", "--drain"]);
        prop_assert_eq!(r.llen("p:queue"), 0);
        let dead: Vec<Vec<u8>> = json_lines(&pipectl(&r, &["dead", "ls", "--json"]))
            .iter()
            .map(decode)
            .collect();
        prop_assert_eq!(sort(dead), sorted.clone());
        let shown = json(&pipectl(&r, &["dead", "show", "1", "--json"]));
        prop_assert!(batch.contains(&decode(&shown)));
        prop_assert_eq!(
            pipectl(&r, &["dead", "retry", "--all"]).status.code(),
            Some(0)
        );
        prop_assert_eq!(sort(items(&r, "p:queue")), sorted.clone());

        // queue → lease → output (unchanged) → staged → staged --json
        set_dead(&r, false);
        prop_assert_eq!(
            pipectl(&r, &["run", "build", "--drain"]).status.code(),
            Some(0)
        );
        prop_assert_eq!(sort(items(&r, "p:staged")), sorted.clone());
        let staged: Vec<Vec<u8>> = json_lines(&pipectl(&r, &["staged", "--json"]))
            .iter()
            .map(decode)
            .collect();
        prop_assert_eq!(sort(staged), sorted.clone());

        // staged → approve 1 → ready; the rest → reject → rejection envelopes
        prop_assert_eq!(pipectl(&r, &["approve", "1"]).status.code(), Some(0));
        // (3: nothing left to reject after a batch of one)
        let code = pipectl(&r, &["reject", "--all"]).status.code();
        prop_assert!(
            code == Some(0) || (code == Some(3) && batch.len() == 1),
            "{:?}",
            code
        );
        let ready = items(&r, "p:ready");
        let mut moved = ready.clone();
        for envelope in items(&r, "p:rejected") {
            let envelope: Value = serde_json::from_slice(&envelope).unwrap();
            moved.push(decode(&envelope));
        }
        prop_assert_eq!(sort(moved), sorted.clone());

        // ready → pop --json; and the rejected back into a queue → pop --lease
        let popped = json(&pipectl(&r, &["pop", "p:ready", "--json"]));
        let popped: Vec<Vec<u8>> = popped["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(decode)
            .collect();
        prop_assert_eq!(popped, ready);
        push(&r, "q", &batch);
        let leases = json_lines(&pipectl(&r, &["pop", "q", "-n", "100", "--lease", "1m"]));
        let leased: Vec<Vec<u8>> = leases.iter().map(decode).collect();
        prop_assert_eq!(&leased, &batch);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// Partial writes: a selection cut short by Redis says exactly how many items moved, and the
// rest are still staged (each script call is all or nothing against OOM).
#[test]
fn a_reject_cut_short_by_oom_says_how_many_moved() {
    let r = RedisServer::start_with(&["--maxmemory-policy", "noeviction"]);
    pipeline(&r);
    let items: Vec<Vec<u8>> = (0..20_000)
        .map(|i| format!("{{\"n\":{i}}}").into_bytes())
        .collect();
    push(&r, "p:staged", &items);
    // The script loaded (and the Lua VM grown) before the memory is measured.
    let _: redis::Value = redis::cmd("EVAL")
        .arg(pipectl::store::scripts::REVIEW_MOVE.source)
        .arg(8)
        .arg("p:staged")
        .arg("p:rejected")
        .arg("p:staged:claims")
        .arg("p:staged:asks")
        .arg("p:staged:since")
        .arg("p:staged:sampled")
        .arg("p:audit")
        .arg("p:staged:flagged")
        .arg(1000)
        .arg("[]")
        .arg("tester")
        .arg("-")
        .arg("[]")
        .query(&mut con(&r))
        .unwrap();
    let info = r.cli(&["INFO", "memory"]);
    let used: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap();
    // Room for a few chunks of envelopes (each envelope ~90 bytes bigger than its item, 500
    // a chunk), and for the transient buffers of a script call.
    r.cli(&["CONFIG", "SET", "maxmemory", &(used + 400_000).to_string()]);
    let out = pipectl(&r, &["reject", "--all", "--reason", "no"]);
    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    let rejected = r.llen("p:rejected");
    assert!(
        rejected > 0 && rejected < 20_000,
        "{rejected}: {}",
        stderr(&out)
    );
    assert_eq!(r.llen("p:staged") + rejected, 20_000);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(&format!(
            "rejected {rejected} item{} to p:rejected before Redis refused",
            if rejected == 1 { "" } else { "s" }
        )),
        "{}",
        stderr(&out)
    );
    // The same command again goes on with the rest.
    assert_code(&pipectl(&r, &["reject", "--all", "--reason", "no"]), 0);
    assert_eq!(r.llen("p:rejected"), 20_000);
}
