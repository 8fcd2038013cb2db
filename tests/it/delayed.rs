//! Delayed enqueue (issue 13, part 7): `enqueue --in/--at` into the queue's delayed set
//! `<queue>:delayed`, with or without dedup (marked at enqueue time), due by the server's
//! clock; `ls --delayed`; `status` counting them; `pop`/`run` taking them once due; bad
//! values, spoiled keys, a batch cut short, and the same on a Redis Cluster.

use std::process::Output;
use std::time::{Duration, Instant};

use crate::support::cluster::RedisCluster;
use crate::support::*;
use serde_json::Value;

/// 2099-01-01T00:00:00Z in ms: far enough ahead for "not due yet".
const Y2099: i64 = 4_070_908_800_000;

fn server_ms(r: &RedisServer) -> i64 {
    let t = r.cli_lines(&["TIME"]);
    t[0].parse::<i64>().unwrap() * 1000 + t[1].parse::<i64>().unwrap() / 1000
}

fn zcard(r: &RedisServer, key: &str) -> usize {
    r.cli(&["ZCARD", key]).parse().unwrap()
}

fn run(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().unwrap()
}

/// Pops until `n` items came or 15s passed (a delay of a few hundred ms: never a tight bound).
fn pop_when_due(r: &RedisServer, queue: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    while got.len() < n {
        assert!(Instant::now() < deadline, "only {got:?} due after 15s");
        let out = run(r, &["pop", queue, "-n", "100"]);
        match out.status.code() {
            Some(0) => got.extend(stdout(&out).lines().map(str::to_owned)),
            Some(3) => std::thread::sleep(Duration::from_millis(50)),
            _ => panic!("pop: {}", stderr(&out)),
        }
    }
    got
}

#[test]
fn enqueue_in_waits_in_the_delayed_set_then_pop_takes_the_items_in_order() {
    let r = RedisServer::start();
    let before = server_ms(&r);
    let out = r.run_json(&["enqueue", "q", "--in", "300ms", "a", "b", "b", "{\"a\": 1}"]);
    let after = server_ms(&r);
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["enqueued"], 4);
    assert_eq!(doc["delayed"], true);
    assert_eq!(doc["delayed_set"], "q:delayed");
    assert_eq!(doc["already_due"], false);
    // Due by the server's clock: its TIME at the write plus the delay.
    let due = doc["due_ms"].as_i64().unwrap();
    assert!(
        (before + 300..=after + 300).contains(&due),
        "{before} {due} {after}"
    );
    assert_eq!(doc["due"], Value::from(pipectl::due::rfc3339(due).unwrap()));
    // Equal items are two entries; nothing is in the queue yet.
    assert_eq!(zcard(&r, "q:delayed"), 4);
    assert_eq!(r.llen("q"), 0);
    // One item far ahead stays delayed after the others came due.
    let out = run(&r, &["enqueue", "q", "--in", "1h", "later"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).starts_with("enqueued 1 item to q (delayed in q:delayed until 20"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        pop_when_due(&r, "q", 4),
        ["a", "b", "b", "{\"a\": 1}"],
        "in input order, the exact bytes"
    );
    assert_eq!(zcard(&r, "q:delayed"), 1);
    let out = run(&r, &["pop", "q"]);
    assert_code(&out, 3);
}

#[test]
fn enqueue_at_with_dedup_marks_seen_at_once_and_counts() {
    let r = RedisServer::start();
    let out = r.run_json(&[
        "enqueue",
        "q",
        "--at",
        "2099-01-01T00:00:00Z",
        "--dedup-by",
        "url",
        r#"{"url":"a"}"#,
        r#"{"url":"a"}"#,
        r#"{"url":"b"}"#,
    ]);
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    let doc = json(&out);
    assert_eq!(
        (&doc["enqueued"], &doc["duplicates"], &doc["dedup_by"]),
        (&2.into(), &1.into(), &"url".into())
    );
    assert_eq!(doc["due_ms"], Y2099);
    assert_eq!(doc["due"], "2099-01-01T00:00:00.000Z");
    assert_eq!(r.cli(&["SISMEMBER", "prospect:seen", "a"]), "1");
    assert_eq!(r.cli(&["SISMEMBER", "prospect:seen", "b"]), "1");
    let day = today();
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:new:{day}")]), "2");
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:dup:{day}")]), "1");

    // Seen before it is due: a plain enqueue, a delayed one, with an offset, are duplicates.
    let out = r.run_json(&["enqueue", "q", "--dedup-by", "url", r#"{"url":"a"}"#]);
    assert_eq!(
        (
            json(&out)["enqueued"].as_u64(),
            json(&out)["duplicates"].as_u64()
        ),
        (Some(0), Some(1))
    );
    let out = r.run_json(&[
        "enqueue",
        "q",
        "--at",
        "2099-01-01T01:00:00+01:00",
        "--dedup-by",
        "url",
        r#"{"url":"b"}"#,
        r#"{"url":"c"}"#,
    ]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        (doc["enqueued"].as_u64(), doc["duplicates"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(doc["due_ms"], Y2099, "the offset is honoured");
    let out = run(
        &r,
        &[
            "enqueue",
            "q",
            "--in",
            "1h",
            "--dedup-by",
            "url",
            r#"{"url":"c"}"#,
        ],
    );
    assert_code(&out, 0);
    assert!(
        stdout(&out).starts_with("enqueued 0 items to q (delayed in q:delayed until "),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).ends_with("), 1 duplicate skipped\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(r.llen("q"), 0);
    assert_eq!(zcard(&r, "q:delayed"), 3);
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:new:{day}")]), "3");
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:dup:{day}")]), "4");

    // A local time without an offset, in TZ; without dedup.
    let out = r
        .pipectl()
        .env("TZ", "UTC")
        .args(["--json", "enqueue", "q", "--at", "2099-01-01 00:00", "d"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["due_ms"], Y2099);
    assert_eq!(json(&out)["dedup_by"], Value::Null);
    assert_eq!(zcard(&r, "q:delayed"), 4);
}

#[test]
fn a_time_already_past_is_due_at_once_with_a_note() {
    let r = RedisServer::start();
    let out = run(
        &r,
        &["enqueue", "q", "--at", "2001-01-01T00:00:00Z", "x", "y"],
    );
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("2001-01-01T00:00:00.000Z has passed: the items are due at once"),
        "{}",
        stderr(&out)
    );
    let out = r.run_json(&[
        "enqueue",
        "q",
        "--at",
        "2001-01-02T00:00:00Z",
        "--dedup-by",
        "u",
        r#"{"u":1}"#,
    ]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["already_due"], true);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // Not in the queue until a claim reaps it; the next pop does.
    assert_eq!(r.llen("q"), 0);
    let out = run(&r, &["pop", "q", "-n", "10"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "x\ny\n{\"u\":1}\n");
}

#[test]
fn bad_values_are_usage_errors_and_write_nothing() {
    let r = RedisServer::start();
    for args in [
        &["--in", "5m", "--at", "2099-01-01T00:00:00Z"][..],
        &["--at", "99999-01-01T00:00:00Z"],
        &["--at", "+099999-01-01T00:00:00Z"],
        &["--at", "2026-02-30T00:00:00Z"],
        &["--at", "tomorrow"],
        &["--at="],
        &["--in", "99999999999999999999d"],
        &["--in", "36501d"],
        &["--in=-5s"],
        &["--in", "soon"],
    ] {
        let out = r
            .pipectl()
            .args(["enqueue", "q"])
            .args(args)
            .arg("x")
            .output()
            .unwrap();
        assert_code(&out, 2);
        assert!(
            stderr(&out).contains("--in") || stderr(&out).contains("--at"),
            "{args:?}: {}",
            stderr(&out)
        );
        let out = r.run_json(
            &[
                &["enqueue", "q", "--dedup-by", "u"][..],
                args,
                &["{\"u\":1}"],
            ]
            .concat(),
        );
        assert_code(&out, 2);
        assert_schema("error", &stderr(&out));
    }
    assert_eq!(r.cli(&["DBSIZE"]), "0");
    let out = run(&r, &["enqueue", "--help"]);
    assert!(stdout(&out).contains("--in <DURATION>") && stdout(&out).contains("--at <TIME>"));
}

#[test]
fn a_spoiled_delayed_set_or_seen_set_exits_65_and_changes_nothing() {
    let r = RedisServer::start();
    r.cli(&["SET", "q:delayed", "not a zset"]);
    for args in [
        &["enqueue", "q", "--in", "1m", "x"][..],
        &[
            "enqueue",
            "q",
            "--at",
            "2099-01-01T00:00:00Z",
            "--dedup-by",
            "u",
            "{\"u\":1}",
        ],
        &["ls", "q", "--delayed"],
    ] {
        let out = run(&r, args);
        assert_code(&out, 65);
        assert!(
            stderr(&out).contains("key 'q:delayed' holds a string, but pipectl needs a zset there"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(r.cli(&["GET", "q:delayed"]), "not a zset");
    assert_eq!(r.cli(&["DBSIZE"]), "1", "no seen set, no counter");

    r.cli(&["DEL", "q:delayed"]);
    r.cli(&["SET", "prospect:seen", "not a set"]);
    let out = r.run_json(&["enqueue", "q", "--in", "1m", "--dedup-by", "u", "{\"u\":1}"]);
    assert_code(&out, 65);
    assert_schema("error", &stderr(&out));
    assert_eq!(r.cli(&["EXISTS", "q:delayed"]), "0");
    assert_eq!(r.cli(&["DBSIZE"]), "1");
}

#[test]
fn ls_delayed_lists_soonest_first_as_lines_ndjson_and_a_table() {
    let r = RedisServer::start();
    assert_code(
        &run(
            &r,
            &["enqueue", "q", "--at", "2099-01-01T00:00:00Z", "late"],
        ),
        0,
    );
    assert_code(
        &run(
            &r,
            &[
                "enqueue",
                "q",
                "--at",
                "2098-01-01T00:00:00Z",
                "{\"n\":1}",
                "two\nlines",
                "{\"n\":1}",
            ],
        ),
        0,
    );
    // A member written by hand, without the 16-hex prefix, is taken whole as the item.
    r.cli(&["ZADD", "q:delayed", "5", "by hand"]);

    let out = run(&r, &["ls", "q", "--delayed"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "1970-01-01T00:00:00.005Z\tby hand\n\
         2098-01-01T00:00:00.000Z\t{\"n\":1}\n\
         2098-01-01T00:00:00.000Z\ttwo\\nlines\n\
         2098-01-01T00:00:00.000Z\t{\"n\":1}\n\
         2099-01-01T00:00:00.000Z\tlate\n"
    );
    assert!(stderr(&out).contains("line break"), "{}", stderr(&out));

    let out = run(&r, &["--json", "ls", "q", "--delayed"]);
    assert_code(&out, 0);
    assert_schema("ls-delayed", &stdout(&out));
    let records = json_lines(&out);
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["id"], Value::Null);
    assert_eq!(records[0]["item_text"], "by hand");
    assert_eq!(records[0]["due_ms"], 5);
    assert_eq!(records[2]["item_text"], "two\nlines");
    assert_eq!(records[4]["item_text"], "late");
    assert_eq!(records[4]["due_ms"], Y2099);
    assert_eq!(records[4]["due"], "2099-01-01T00:00:00.000Z");
    for (i, rec) in records.iter().enumerate() {
        assert_eq!(rec["pos"], i + 1);
    }
    let ids: Vec<&str> = records[1..]
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())),
        "{ids:?}"
    );
    assert_eq!(records[1]["item"], serde_json::json!({"n": 1}));
    assert_eq!(records[3]["item"], serde_json::json!({"n": 1}));
    assert_ne!(ids[0], ids[2], "equal items, two entries");

    let out = run(
        &r,
        &[
            "--json",
            "ls",
            "q",
            "--delayed",
            "--offset",
            "1",
            "--limit",
            "2",
        ],
    );
    let page: Vec<u64> = json_lines(&out)
        .iter()
        .map(|r| r["pos"].as_u64().unwrap())
        .collect();
    assert_eq!(page, [2, 3]);
    // The plain ls of the queue is untouched: empty.
    assert_eq!(stdout(&run(&r, &["ls", "q"])), "");
    let out = run(&r, &["ls", "empty", "--delayed"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");

    // On a terminal: a table with the due time and how long until it.
    if let Some(screen) = on_a_terminal(&r, "ls q --delayed") {
        assert!(
            screen.contains("due") && screen.contains(" in "),
            "{screen}"
        );
        assert!(screen.contains("2099-01-01T00:00:00.000Z"), "{screen}");
        assert!(
            screen.contains("by hand") && screen.contains("late"),
            "{screen}"
        );
        assert!(
            screen
                .lines()
                .any(|l| l.contains("by hand") && l.contains("┆ due ")),
            "{screen}"
        );
    }
    if let Some(screen) = on_a_terminal(&r, "ls nothing --delayed") {
        assert!(screen.contains("nothing:delayed is empty"), "{screen}");
    }
}

/// `pipectl ARGS` on a pseudo-terminal (util-linux `script`), its screen; None without it.
fn on_a_terminal(r: &RedisServer, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_pipectl");
    let mut script = std::process::Command::new("script");
    // The same isolated environment as every pipectl the tests run.
    for (key, value) in r.pipectl().get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let out = script
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(r.dir.path())
        .env("COLUMNS", "120")
        .output();
    match out {
        Ok(out) if out.status.success() => Some(stdout(&out).replace('\r', "")),
        _ => {
            eprintln!(
                "note: util-linux `script` is missing or failed, skipping the terminal check"
            );
            None
        }
    }
}

#[test]
fn ls_delayed_streams_many_entries_in_input_order() {
    let r = RedisServer::start();
    let items: Vec<String> = (0..4_500).map(|i| format!("{{\"n\":{i}}}")).collect();
    let out = run_with_stdin(
        r.pipectl().args(["--json", "enqueue", "q", "--in", "1h"]),
        (items.join("\n") + "\n").as_bytes(),
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["enqueued"], 4_500);
    let out = run(&r, &["--json", "ls", "q", "--delayed"]);
    assert_code(&out, 0);
    let records = json_lines(&out);
    let listed: Vec<String> = records.iter().map(|r| r["item"].to_string()).collect();
    assert_eq!(
        listed, items,
        "three chunks, each due a little later, in input order"
    );
    let dues: Vec<i64> = records
        .iter()
        .map(|r| r["due_ms"].as_i64().unwrap())
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn status_counts_delayed_enqueues_and_pop_and_run_take_them_when_due() {
    let r = RedisServer::start();
    handler(r.dir.path(), "pass.sh", "cat > /dev/null");
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue").output("p:staged").exec(&["./pass.sh"])
        })
        .write(r.dir.path());
    assert_code(
        &run(&r, &["enqueue", "p:queue", "--in", "1h", "later", "later2"]),
        0,
    );
    assert_code(
        &run(
            &r,
            &["enqueue", "p:queue", "--at", "2001-01-01T00:00:00Z", "past"],
        ),
        0,
    );
    let out = run(&r, &["--json", "status"]);
    assert_code(&out, 0);
    assert_schema("status", &stdout(&out));
    let build = json(&out)["stages"][0].clone();
    assert_eq!(
        (
            build["queued"].as_u64(),
            build["delayed"].as_u64(),
            build["due_retries"].as_u64()
        ),
        (Some(0), Some(3), Some(1))
    );
    let out = r
        .pipectl()
        .env("COLUMNS", "120")
        .arg("status")
        .output()
        .unwrap();
    assert!(stdout(&out).contains("3 (1 due)"), "{}", stdout(&out));

    // The past item is taken at once; pop --wait blocks until a delayed one is due.
    let out = run(&r, &["pop", "p:queue", "-n", "5"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "past\n");
    assert_code(
        &run(&r, &["enqueue", "p:queue", "--in", "300ms", "soon"]),
        0,
    );
    let out = run(&r, &["pop", "p:queue", "--wait", "15s"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "soon\n");

    // run --wait takes one once due and passes it on.
    assert_code(
        &run(
            &r,
            &[
                "enqueue",
                "p:queue",
                "--in",
                "300ms",
                "--dedup-by",
                "u",
                "{\"u\":\"run\"}",
            ],
        ),
        0,
    );
    let out = run(&r, &["--json", "run", "build", "--wait", "15s"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 1);
    assert_eq!(r.cli(&["LRANGE", "p:staged", "0", "-1"]), "{\"u\":\"run\"}");
    let out = run(&r, &["--json", "status"]);
    assert_eq!(json(&out)["stages"][0]["delayed"], 2);
}

#[test]
fn a_delayed_batch_cut_short_by_oom_says_what_it_wrote_and_resumes() {
    let r = RedisServer::start_with(&["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"]);
    let items: Vec<String> = (0..40_000)
        .map(|i| format!(r#"{{"url":"site{i}.example","pad":"xxxxxxxxxxxxxxxx"}}"#))
        .collect();
    write_file(r.dir.path(), "items.ndjson", &(items.join("\n") + "\n"));
    let out = run(
        &r,
        &[
            "enqueue",
            "q",
            "--at",
            "2099-01-01T00:00:00Z",
            "--file",
            "items.ndjson",
        ],
    );
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("cut short by Redis: wrote "), "{err}");
    assert!(err.contains("OOM"), "{err}");
    let written = zcard(&r, "q:delayed");
    assert!(written > 0 && written < items.len(), "{err}");
    assert!(
        err.contains(&format!(
            "wrote {written} of 40000 items (lines 1–{written})"
        )),
        "{err}"
    );
    let hint = err
        .split("resume without duplicates: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no resume command in {err}"))
        .trim();
    assert_eq!(
        hint,
        format!(
            "pipectl enqueue q --at 2099-01-01T00:00:00Z --file items.ndjson --skip-lines {written}"
        )
    );
    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    let words: Vec<&str> = hint.split_whitespace().skip(1).collect();
    assert_code(&run(&r, &words), 0);
    let out = run(&r, &["--json", "ls", "q", "--delayed"]);
    let mut listed: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["item"].to_string())
        .collect();
    listed.sort();
    let mut want = items.clone();
    want.sort();
    assert_eq!(listed, want, "every line exactly once");
}

#[test]
fn delayed_enqueue_on_a_cluster() {
    let c = RedisCluster::start();
    Pipeline::new("{prospect}")
        .stage("build", |s| {
            s.input("{prospect}:queue")
                .output("{prospect}:staged")
                .exec(&["cat"])
        })
        .write(c.dir.path());
    let run = |args: &[&str]| c.pipectl().args(args).output().unwrap();
    let out = run_with_stdin(
        c.pipectl().args([
            "--json",
            "enqueue",
            "{prospect}:queue",
            "--in",
            "300ms",
            "--dedup-by",
            "url",
        ]),
        b"{\"url\":\"a\"}\n{\"url\":\"b\"}\n{\"url\":\"a\"}\n",
    );
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    assert_eq!(
        (
            json(&out)["enqueued"].as_u64(),
            json(&out)["duplicates"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(json(&out)["delayed_set"], "{prospect}:queue:delayed");
    // Marked seen at once: a duplicate before it is due, also with --at.
    let out = run(&[
        "--json",
        "enqueue",
        "{prospect}:queue",
        "--at",
        "2099-01-01T00:00:00Z",
        "--dedup-by",
        "url",
        "{\"url\":\"b\"}",
        "{\"url\":\"c\"}",
    ]);
    assert_code(&out, 0);
    assert_eq!(
        (
            json(&out)["enqueued"].as_u64(),
            json(&out)["duplicates"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let out = run(&[
        "--json",
        "enqueue",
        "{prospect}:queue",
        "--in",
        "1h",
        "plain",
        "plain",
    ]);
    assert_code(&out, 0);
    assert_eq!(c.cli(&["ZCARD", "{prospect}:queue:delayed"]), "5");
    assert_eq!(c.cli(&["SCARD", "{prospect}:seen"]), "3");
    let day = today();
    assert_eq!(
        c.cli(&["GET", &format!("stats:{{prospect}}:new:{day}")]),
        "3"
    );

    let out = run(&["--json", "ls", "{prospect}:queue", "--delayed"]);
    assert_code(&out, 0);
    assert_schema("ls-delayed", &stdout(&out));
    let items: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["item"].to_string())
        .collect();
    assert_eq!(items[..2], ["{\"url\":\"a\"}", "{\"url\":\"b\"}"]);
    let out = run(&["--json", "status"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["stages"][0]["delayed"], 5);

    let deadline = Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    while got.len() < 2 {
        assert!(Instant::now() < deadline, "{got:?}");
        let out = run(&["pop", "{prospect}:queue", "-n", "5", "--wait", "2s"]);
        if out.status.code() == Some(0) {
            got.extend(stdout(&out).lines().map(str::to_owned));
        }
    }
    assert_eq!(got, ["{\"url\":\"a\"}", "{\"url\":\"b\"}"]);
    assert_eq!(c.cli(&["ZCARD", "{prospect}:queue:delayed"]), "3");

    // A queue whose delayed set lives in another slot is refused, naming the fix.
    assert_ne!(c.keyslot("jobs"), c.keyslot("jobs:delayed"));
    let out = run(&["enqueue", "jobs", "--in", "1m", "x"]);
    assert_code(&out, 78);
    assert!(stderr(&out).contains("{jobs}"), "{}", stderr(&out));
    // A spoiled delayed set: exit 65, nothing written.
    c.cli(&["SET", "{prospect}:queue:delayed", "spoiled"]);
    let out = run(&[
        "enqueue",
        "{prospect}:queue",
        "--in",
        "1m",
        "--dedup-by",
        "url",
        "{\"url\":\"new\"}",
    ]);
    assert_code(&out, 65);
    assert_eq!(c.cli(&["GET", "{prospect}:queue:delayed"]), "spoiled");
    assert_eq!(c.cli(&["SISMEMBER", "{prospect}:seen", "new"]), "0");
}
