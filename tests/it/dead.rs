//! Dead letters: ls, show, retry and purge against a real redis-server, with envelopes made
//! by pipectl (`pop --lease`, `nack --dead`) and entries pushed by hand with redis-cli.

use std::collections::BTreeMap;

use crate::support::*;
use serde_json::{Value, json};

/// Leases the next item of `queue` and dead-letters it with `reason`, as a worker would.
fn dead_letter(r: &RedisServer, queue: &str, reason: &str) {
    let out = r
        .pipectl()
        .args(["pop", queue, "--lease", "1m"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let lease = json(&out);
    let token = lease["token"].as_str().unwrap();
    let out = r
        .pipectl()
        .args(["nack", token, "--dead", "--reason", reason])
        .output()
        .unwrap();
    assert_code(&out, 0);
}

fn envelope(item: Value, stage: &str, queue: &str, error: &str, failed_at: &str) -> String {
    json!({"item": item, "stage": stage, "queue": queue, "error": error, "attempts": 3, "failed_at": failed_at})
        .to_string()
}

/// Sets up, newest first: 1 non-JSON bare item, 2 bare JSON item, 3 an outreach envelope
/// from long ago, 4 and 5 build envelopes made by `nack --dead`.
fn fixture(r: &RedisServer) {
    r.cli(&[
        "LPUSH",
        "prospect:queue",
        r#"{"url":"a.com"}"#,
        r#"{"url":"b.com"}"#,
    ]);
    dead_letter(r, "prospect:queue", "build failed: a.com");
    dead_letter(r, "prospect:queue", "timeout after 5m");
    r.cli(&[
        "LPUSH",
        "prospect:failed",
        &envelope(
            json!({"url":"old.com","phone":"555-0100"}),
            "outreach",
            "prospect:ready",
            "bounced",
            "2001-01-01T00:00:00Z",
        ),
        r#"{"url":"hand.com"}"#,
        "not json at all",
    ]);
}

#[test]
fn ls_lists_newest_first_with_filters_and_show_shows_everything() {
    let r = RedisServer::start();
    fixture(&r);
    let out = r.pipectl().args(["dead", "ls"]).output().unwrap();
    assert_code(&out, 0);
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 5);
    let positions: Vec<u64> = recs.iter().map(|r| r["pos"].as_u64().unwrap()).collect();
    assert_eq!(positions, [1, 2, 3, 4, 5]);
    assert_eq!(recs[0]["item_text"], "not json at all");
    assert_eq!(recs[0]["bare"], true);
    assert_eq!(recs[1]["item"]["url"], "hand.com");
    assert_eq!(recs[2]["stage"], "outreach");
    assert_eq!(recs[2]["error"], "bounced");
    assert_eq!(recs[3]["item"]["url"], "b.com");
    assert_eq!(recs[3]["error"], "timeout after 5m");
    assert_eq!(recs[3]["stage"], "build");
    assert_eq!(recs[3]["queue"], "prospect:failed", "the list acted on");
    assert_eq!(recs[3]["source_queue"], "prospect:queue");
    assert_eq!(recs[4]["item"]["url"], "a.com");
    // Positions are LRANGE indices + 1, as redis-cli shows the list.
    assert_eq!(
        r.cli(&["LINDEX", "prospect:failed", "0"]),
        "not json at all"
    );

    let ls = |args: &[&str]| -> Vec<Value> {
        let out = r
            .pipectl()
            .args(["--json", "dead", "ls"])
            .args(args)
            .output()
            .unwrap();
        assert_code(&out, 0);
        json_lines(&out)
    };
    let pos = |recs: Vec<Value>| -> Vec<u64> {
        recs.iter().map(|r| r["pos"].as_u64().unwrap()).collect()
    };
    assert_eq!(pos(ls(&["--stage", "build"])), [4, 5]);
    assert_eq!(pos(ls(&["--since", "1h"])), [4, 5]);
    assert_eq!(pos(ls(&["--where", "error~timeout"])), [4]);
    assert_eq!(pos(ls(&["--where", "item.url=hand.com"])), [2]);
    assert_eq!(pos(ls(&["--where", "bare=true"])), [1, 2]);
    assert_eq!(pos(ls(&["--where", "item.phone=555-0100"])), [3]);
    assert_eq!(pos(ls(&["--limit", "2"])), [1, 2]);
    assert_eq!(
        pos(ls(&["--stage", "build", "--where", "error~a.com"])),
        [5]
    );
    assert!(ls(&["--stage", "nope"]).is_empty());

    let out = r.pipectl().args(["dead", "show", "3"]).output().unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("\n  \"error\": \"bounced\""),
        "pretty JSON: {}",
        stdout(&out)
    );
    let shown = json(&out);
    assert_eq!(shown["pos"], 3);
    assert_eq!(shown["item"]["phone"], "555-0100");
    assert_eq!(shown["failed_at"], "2001-01-01T00:00:00.000Z");
    assert_eq!(
        shown["retry_to"], "prospect:ready",
        "the outreach stage's input"
    );
    let out = r
        .pipectl()
        .args(["--json", "dead", "show", "1"])
        .output()
        .unwrap();
    let shown = json(&out);
    assert_eq!(shown["bare"], true);
    assert_eq!(shown["retry_to"], "prospect:queue", "the first stage input");

    let out = r.pipectl().args(["dead", "show", "6"]).output().unwrap();
    assert_code(&out, 1);
    assert!(stderr(&out).contains("position 6"), "{}", stderr(&out));
    let out = r.pipectl().args(["dead", "show", "0"]).output().unwrap();
    assert_code(&out, 2);
    assert_eq!(r.llen("prospect:failed"), 5, "looking takes nothing");
}

#[test]
fn ls_pages_through_long_lists() {
    let r = RedisServer::start();
    let lines: String = (0..1_234).map(|i| format!("bare-{i}\n")).collect();
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "prospect:failed"]),
        lines.as_bytes(),
    );
    assert_code(&out, 0);
    let out = r.pipectl().args(["dead", "ls"]).output().unwrap();
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 1_234);
    assert_eq!(recs[0]["item_text"], "bare-1233");
    assert_eq!(recs[1_233]["pos"], 1_234);
    assert_eq!(recs[1_233]["item_text"], "bare-0");
    let out = r
        .pipectl()
        .args(["dead", "ls", "--where", "item~bare-12", "--limit", "3"])
        .output()
        .unwrap();
    let items: Vec<Value> = json_lines(&out)
        .iter()
        .map(|r| r["item_text"].clone())
        .collect();
    assert_eq!(
        items,
        [json!("bare-1233"), json!("bare-1232"), json!("bare-1231")]
    );
}

#[test]
fn retry_by_position_moves_exactly_that_entry_and_resets_its_attempts() {
    let r = RedisServer::start();
    fixture(&r);
    // A stale attempt count for the item (as a crashed worker might leave behind).
    r.cli(&["HSET", "prospect:queue:attempts", r#"{"url":"b.com"}"#, "7"]);

    let out = r.pipectl().args(["dead", "retry", "4"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("retried 1"), "{}", stdout(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "prospect:queue", "0", "-1"]),
        [r#"{"url":"b.com"}"#]
    );
    assert_eq!(
        r.cli(&["HEXISTS", "prospect:queue:attempts", r#"{"url":"b.com"}"#]),
        "0"
    );
    assert_eq!(r.llen("prospect:failed"), 4);

    // Taken again, it is a first attempt.
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue", "--lease", "1m"])
        .output()
        .unwrap();
    let lease = json(&out);
    assert_eq!(lease["attempt"], 1);

    // Several positions: the outreach envelope goes to its stage's input, the a.com one to build.
    let out = r
        .pipectl()
        .args(["--json", "dead", "retry", "3", "4"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["retried"], 2);
    assert_eq!(
        doc["to"],
        json!([{"queue": "prospect:queue", "count": 1}, {"queue": "prospect:ready", "count": 1}]),
        "oldest first"
    );
    assert_eq!(
        r.cli(&["LINDEX", "prospect:ready", "0"]),
        r#"{"url":"old.com","phone":"555-0100"}"#
    );
    assert_eq!(
        r.cli(&["LINDEX", "prospect:queue", "0"]),
        r#"{"url":"a.com"}"#
    );

    // A position past the end retries nothing at all.
    let out = r
        .pipectl()
        .args(["dead", "retry", "1", "9"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("position 9") && stderr(&out).contains("nothing was retried"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen("prospect:failed"), 2);

    // Selecting nothing is usage; positions and filters do not mix.
    assert_code(&r.pipectl().args(["dead", "retry"]).output().unwrap(), 2);
    assert_code(
        &r.pipectl()
            .args(["dead", "retry", "1", "--all"])
            .output()
            .unwrap(),
        2,
    );
}

#[test]
fn retry_sends_bare_items_back_exactly_as_pushed() {
    let r = RedisServer::start();
    r.cli(&[
        "LPUSH",
        "prospect:failed",
        r#"{"url":"hand.com"}"#,
        "not json",
        "  spaced  ",
    ]);
    let out = r
        .pipectl()
        .args(["dead", "retry", "--where", "bare=true"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    // Oldest first into the first stage input (build's prospect:queue), byte for byte.
    assert_eq!(
        r.cli_lines(&["LRANGE", "prospect:queue", "0", "-1"]),
        ["  spaced  ", "not json", r#"{"url":"hand.com"}"#]
    );
    assert_eq!(r.llen("prospect:failed"), 0);

    // --to sends entries that name no stage or queue elsewhere; envelopes keep theirs.
    r.cli(&[
        "LPUSH",
        "prospect:failed",
        "bare again",
        &envelope(
            json!("plain item"),
            "outreach",
            "prospect:ready",
            "x",
            "2026-01-01T00:00:00Z",
        ),
    ]);
    let out = r
        .pipectl()
        .args([
            "--json",
            "dead",
            "retry",
            "--all",
            "--to",
            "prospect:manual",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    let sent: BTreeMap<&str, u64> = doc["to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["queue"].as_str().unwrap(), s["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        sent,
        BTreeMap::from([("prospect:manual", 1), ("prospect:ready", 1)])
    );
    assert_eq!(
        r.cli(&["LRANGE", "prospect:manual", "0", "-1"]),
        "bare again"
    );
    // A string item inside an envelope goes back as its text.
    assert_eq!(
        r.cli(&["LRANGE", "prospect:ready", "0", "-1"]),
        "plain item"
    );

    // Nothing left: exit 3.
    let out = r
        .pipectl()
        .args(["dead", "retry", "--all"])
        .output()
        .unwrap();
    assert_code(&out, 3);
}

#[test]
fn retry_by_stage_and_where_leaves_the_rest() {
    let r = RedisServer::start();
    fixture(&r);
    let out = r
        .pipectl()
        .args([
            "dead",
            "retry",
            "--stage",
            "build",
            "--where",
            "error~timeout",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "prospect:queue", "0", "-1"]),
        [r#"{"url":"b.com"}"#]
    );
    assert_eq!(r.llen("prospect:failed"), 4);
    let out = r
        .pipectl()
        .args(["dead", "retry", "--stage", "build"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen("prospect:queue"), 2);
    let out = r
        .pipectl()
        .args(["dead", "retry", "--stage", "build"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    let left: Vec<Value> = json_lines(&r.pipectl().args(["dead", "ls"]).output().unwrap());
    assert_eq!(left.len(), 3);
    assert!(left.iter().all(|l| l["stage"] != "build"));
}

#[test]
fn retry_all_over_twenty_thousand_moves_every_item_exactly_once() {
    let r = RedisServer::start();
    const N: usize = 20_000;
    let mut lines = String::new();
    for i in 0..N {
        let line = match i % 4 {
            0 => envelope(
                json!({"n": i}),
                "build",
                "prospect:queue",
                "boom",
                "2026-01-01T00:00:00Z",
            ),
            1 => envelope(
                json!({"n": i}),
                "outreach",
                "prospect:ready",
                "bounced",
                "2026-01-01T00:00:00Z",
            ),
            2 => format!("{{\"n\":{i}}}"),
            _ => format!("bare {i}"),
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "prospect:failed"]),
        lines.as_bytes(),
    );
    assert_code(&out, 0);
    assert_eq!(r.llen("prospect:failed"), N);

    // Two operators retrying everything at once: each entry still moves exactly once.
    let children: Vec<_> = (0..2)
        .map(|_| {
            let mut cmd = r.pipectl();
            cmd.args(["--json", "dead", "retry", "--all"]);
            std::thread::spawn(move || cmd.output().unwrap())
        })
        .collect();
    let mut retried = 0;
    for child in children {
        let out = child.join().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 3)),
            "{}",
            stderr(&out)
        );
        let doc = json(&out);
        retried += doc["retried"].as_u64().unwrap();
    }
    assert_eq!(retried, N as u64);
    assert_eq!(r.llen("prospect:failed"), 0);
    assert_eq!(r.llen("prospect:queue"), N / 4 * 3);
    assert_eq!(r.llen("prospect:ready"), N / 4);

    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for queue in ["prospect:queue", "prospect:ready"] {
        for item in r.cli_lines(&["LRANGE", queue, "0", "-1"]) {
            *seen.entry(item).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), N, "every item is back");
    assert!(seen.values().all(|&n| n == 1), "and only once");
    assert!(seen.contains_key("bare 3") && seen.contains_key(r#"{"n":0}"#));
    // Oldest dead letter first: the first one pushed is the next to be taken.
    assert_eq!(r.cli(&["LINDEX", "prospect:queue", "-1"]), r#"{"n":0}"#);
}

#[test]
fn purge_asks_and_without_a_terminal_needs_yes() {
    let r = RedisServer::start();
    fixture(&r);
    let out = r
        .pipectl()
        .args(["dead", "purge", "--all"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    let out = r
        .pipectl()
        .args(["dead", "purge", "--older-than", "1d"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_eq!(r.llen("prospect:failed"), 5, "nothing deleted");
    // One of --all / --older-than is needed.
    assert_code(
        &r.pipectl()
            .args(["dead", "purge", "--yes"])
            .output()
            .unwrap(),
        2,
    );

    // --older-than deletes dated entries that failed before then; bare items stay.
    let out = r
        .pipectl()
        .args(["--json", "dead", "purge", "--older-than", "30d", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["purged"], 1);
    assert_eq!(doc["kept_newer"], 2);
    assert_eq!(doc["kept_undated"], 2);
    let left: Vec<String> = json_lines(&r.pipectl().args(["dead", "ls"]).output().unwrap())
        .iter()
        .map(|l| l["item"].to_string())
        .collect();
    assert_eq!(left.len(), 4);
    assert!(!left.iter().any(|l| l.contains("old.com")), "{left:?}");

    let out = r
        .pipectl()
        .args(["dead", "purge", "--older-than", "30d", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    let out = r
        .pipectl()
        .args(["dead", "purge", "--all", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("purged 4"), "{}", stdout(&out));
    assert_eq!(r.llen("prospect:failed"), 0);
    let out = r
        .pipectl()
        .args(["dead", "purge", "--all", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 3);
}

#[test]
fn purge_older_than_pages_through_many_entries() {
    let r = RedisServer::start();
    let mut lines = String::new();
    for i in 0..3_000 {
        let at = if i % 3 == 0 {
            "2001-01-01T00:00:00Z"
        } else {
            "2999-01-01T00:00:00Z"
        };
        lines.push_str(&envelope(
            json!({"n": i}),
            "build",
            "prospect:queue",
            "x",
            at,
        ));
        lines.push('\n');
    }
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "prospect:failed"]),
        lines.as_bytes(),
    );
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["--json", "dead", "purge", "--older-than", "7d", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["purged"], 1_000);
    assert_eq!(r.llen("prospect:failed"), 2_000);
    let out = r
        .pipectl()
        .args(["dead", "ls", "--where", "failed_at~2001"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "");
}
