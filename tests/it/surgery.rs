//! Item surgery (`find`, `move`, `rm`, `unreject`) against a real redis-server: selection by
//! position, --where, --all and --limit, --dry-run, the confirmation on a terminal (a real
//! pseudo-terminal, by `script`) and its refusal without one, exact bytes, one audit record
//! per item, spoiled keys, racing processes, and a Redis Cluster.

use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};

use crate::support::cluster::RedisCluster;
use crate::support::*;
use serde_json::json;

const QUEUE: &str = "prospect:queue";
const STAGED: &str = "prospect:staged";
const REJECTED: &str = "prospect:rejected";
const FAILED: &str = "prospect:failed";
const AUDIT: &str = "prospect:audit";

/// Items no text form gets right by accident: not UTF-8, a line break, a number too big for
/// a double, a duplicate key, JSON with spaces.
const ODD: [&[u8]; 5] = [
    b"\xff\xfe binary",
    b"two\nlines",
    br#"{"n":123456789012345678901234567890}"#,
    br#"{"a":1,"a":2}"#,
    br#"{"url": "spaced.com"}"#,
];

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// Pushes items so that the first is at position 1 (the consumer end), as `ls` numbers them.
fn push(con: &mut redis::Connection, list: &str, items: &[&[u8]]) {
    for item in items {
        let _: i64 = redis::cmd("LPUSH").arg(list).arg(*item).query(con).unwrap();
    }
}

/// A list's entries in position order (position 1 first), exact bytes.
fn entries(con: &mut redis::Connection, list: &str) -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg(list)
        .arg(0)
        .arg(-1)
        .query(con)
        .unwrap();
    all.reverse();
    all
}

/// The audit stream's records, oldest first: each a map of field -> exact bytes.
fn audit(con: &mut redis::Connection) -> Vec<BTreeMap<String, Vec<u8>>> {
    let rows: Vec<(String, Vec<Vec<u8>>)> = redis::cmd("XRANGE")
        .arg(AUDIT)
        .arg("-")
        .arg("+")
        .query(con)
        .unwrap();
    rows.into_iter()
        .map(|(_, fields)| {
            fields
                .chunks(2)
                .map(|kv| (String::from_utf8_lossy(&kv[0]).into_owned(), kv[1].clone()))
                .collect()
        })
        .collect()
}

fn text(record: &BTreeMap<String, Vec<u8>>, field: &str) -> String {
    String::from_utf8_lossy(record.get(field).map_or(&b""[..], |v| v)).into_owned()
}

fn sha256(bytes: &[u8]) -> String {
    pipectl::audit::sha256_hex(bytes)
}

fn run(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().expect("run pipectl")
}

fn prospects(n: usize) -> Vec<Vec<u8>> {
    (1..=n)
        .map(|i| format!(r#"{{"url":"p{i}.com","n":{i},"city":"c{}"}}"#, i % 3).into_bytes())
        .collect()
}

fn refs(items: &[Vec<u8>]) -> Vec<&[u8]> {
    items.iter().map(Vec::as_slice).collect()
}

/// Runs pipectl in a real pseudo-terminal (stdin and stdout: `script` from util-linux), in
/// an environment of its own, typing `answer` at its prompt. Its output is the terminal's.
fn on_terminal(r: &RedisServer, args: &[&str], answer: &str) -> Output {
    let bin = env!("CARGO_BIN_EXE_pipectl");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let line = format!("{bin} {}", quoted.join(" "));
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(r.dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", r.dir.path())
        .env("XDG_CONFIG_HOME", r.dir.path().join(".config"))
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("REDIS_URL", r.url())
        .env("PIPECTL_REVIEWER", "tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let answer = answer.to_owned();
    let typist = std::thread::spawn(move || {
        use std::io::Write;
        std::thread::sleep(std::time::Duration::from_millis(700));
        stdin.write_all(answer.as_bytes()).ok();
        // Held open until the command is done: script ends its session at end of input.
        std::thread::sleep(std::time::Duration::from_millis(1500));
    });
    let out = child.wait_with_output().expect("script ends");
    typist.join().expect("typist");
    out
}

#[test]
fn find_searches_any_list_in_pages_and_envelopes_by_item_and_reason() {
    let r = RedisServer::start();
    let mut c = con(&r);
    let many = prospects(2_500);
    push(&mut c, QUEUE, &refs(&many));
    push(&mut c, QUEUE, &ODD);

    // Positions are `ls`'s, across pages; in a pipe, the items one per line.
    let out = run(
        &r,
        &["find", QUEUE, "--where", "city=c0", "--where", "n>2990"],
    );
    assert_code(&out, 3);
    let out = run(
        &r,
        &["find", QUEUE, "--where", "city=c0", "--where", "n>=2400"],
    );
    assert_code(&out, 0);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 34, "{lines:?}");
    assert_eq!(lines[0], r#"{"url":"p2400.com","n":2400,"city":"c0"}"#);
    let out = r.run_json(&["find", QUEUE, "--where", "url~p1234.", "--limit", "5"]);
    assert_code(&out, 0);
    assert_schema("find", &stdout(&out));
    let found = json_lines(&out);
    assert_eq!(
        found,
        [json!({"pos": 1234, "item": {"url": "p1234.com", "n": 1234, "city": "c1"}})]
    );
    let ls = r.run_json(&["ls", QUEUE, "--offset", "1233", "--limit", "1"]);
    assert_eq!(json_lines(&ls)[0], found[0], "the same position as ls");
    // Every entry, exactly: the odd ones in their lossless form.
    let out = r.run_json(&["find", QUEUE]);
    let all = json_lines(&out);
    assert_eq!(all.len(), 2_505);
    assert_eq!(
        all[2_500],
        json!({"pos": 2501, "item_base64": "//4gYmluYXJ5"})
    );
    assert_eq!(all[2_501], json!({"pos": 2502, "item_text": "two\nlines"}));
    assert_eq!(
        all[2_502]["item_text"],
        r#"{"n":123456789012345678901234567890}"#
    );
    let out = run(&r, &["find", QUEUE, "--where", "url=spaced.com"]);
    assert_eq!(stdout(&out), "{\"url\": \"spaced.com\"}\n");
    let out = run(&r, &["find", QUEUE, "--where", "n>1e30"]);
    assert_code(&out, 3);
    assert_eq!(stdout(&out), "");

    // Dead letters and rejections are searched by their item and their reason.
    let letters: [&[u8]; 4] = [
        br#"{"item":{"url":"a.com"},"stage":"build","queue":"prospect:queue","error":"upstream timed out","attempts":3,"failed_at":"2026-03-19T10:00:00Z","v":2}"#,
        br#"{"item_text":"plain","stage":"build","error":"exit 65: bad data","attempts":1,"failed_at":"2026-03-19T10:00:00Z","v":2}"#,
        br#"{"item":"legacy text","error":"timeout","failed_at":"2026-03-19T10:00:00Z"}"#,
        br#"{"url":"hand-pushed.com"}"#,
    ];
    push(&mut c, FAILED, &letters);
    let pos_of = |args: &[&str]| -> Vec<u64> {
        let out = r.run_json(args);
        json_lines(&out)
            .iter()
            .map(|v| v["pos"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(pos_of(&["find", FAILED, "--where", "error~time"]), [1, 3]);
    assert_eq!(pos_of(&["find", FAILED, "--where", "item.url=a.com"]), [1]);
    assert_eq!(pos_of(&["find", FAILED, "--where", "item=plain"]), [2]);
    assert_eq!(
        pos_of(&["find", FAILED, "--where", "item=legacy text"]),
        [3]
    );
    assert_eq!(pos_of(&["find", FAILED, "--where", "bare=true"]), [4]);
    assert_eq!(
        pos_of(&["find", FAILED, "--where", "item.url=hand-pushed.com"]),
        [4]
    );
    assert_eq!(pos_of(&["find", FAILED, "--where", "attempts>=2"]), [1]);
    let out = r.run_json(&["find", FAILED, "--where", "error~bad"]);
    assert_eq!(
        json_lines(&out)[0]["item"]["item_text"],
        "plain",
        "the entry as stored"
    );

    push(
        &mut c,
        REJECTED,
        &[br#"{"item":{"url":"b.com"},"stage":"review","reason":"parked domain","rejected_at":"2026-03-19T10:00:00Z","v":2}"#],
    );
    assert_eq!(pos_of(&["find", REJECTED, "--where", "reason~parked"]), [1]);
    assert_eq!(
        pos_of(&["find", REJECTED, "--where", "item.url=b.com"]),
        [1]
    );
    // Elsewhere an envelope is an item like any other.
    push(&mut c, "elsewhere", &[letters[0]]);
    assert_eq!(pos_of(&["find", "elsewhere", "--where", "error~time"]), [1]);
    assert_eq!(
        pos_of(&["find", "elsewhere", "--where", "item.url=a.com"]),
        [1]
    );
    assert_eq!(
        pos_of(&["find", "elsewhere", "--where", "bare=true"]),
        Vec::<u64>::new()
    );

    // A key of another type, a missing list, bad arguments.
    r.cli(&["SET", "spoiled", "x"]);
    let out = r.run_json(&["find", "spoiled"]);
    assert_code(&out, 65);
    assert_schema("error", &stderr(&out));
    assert_code(&run(&r, &["find", "absent"]), 3);
    assert_code(&run(&r, &["find", QUEUE, "--where", "novalue"]), 2);
    assert_code(&run(&r, &["find", QUEUE, "--limit", "0"]), 2);
}

#[test]
fn move_by_position_where_all_and_limit_keeps_bytes_and_writes_one_record_each() {
    let r = RedisServer::start();
    let mut c = con(&r);
    let items = prospects(20);
    push(&mut c, QUEUE, &refs(&items));
    push(&mut c, QUEUE, &ODD);

    // One position needs no --yes, even without a terminal.
    let out = r.run_json(&["move", QUEUE, "prospect:parked", "21"]);
    assert_code(&out, 0);
    assert_schema("move", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"from": QUEUE, "to": "prospect:parked", "moved": 1, "dry_run": false,
               "matched": 1, "skipped": 0, "skipped_positions": [], "missing": [],
               "by": "tester", "note": null})
    );
    // Several need --yes without a terminal: refused, nothing changed.
    let before = entries(&mut c, QUEUE);
    for args in [
        &["move", QUEUE, "prospect:parked", "1", "2"][..],
        &["move", QUEUE, "prospect:parked", "1-2"],
        &["move", QUEUE, "prospect:parked", "--all"],
        &["move", QUEUE, "prospect:parked", "--where", "n=3"],
    ] {
        let out = r.run_json(args);
        assert_code(&out, 2);
        let err = json_stderr(&out);
        assert!(
            err["error"]["hint"].as_str().unwrap().contains("--yes"),
            "{err}"
        );
    }
    assert_eq!(entries(&mut c, QUEUE), before);
    assert_eq!(audit(&mut c).len(), 1);

    // The odd items, by positions and a range, land exactly as they were.
    let out = r.run_json(&[
        "move",
        QUEUE,
        "prospect:parked",
        "21-24",
        "--yes",
        "--by",
        "ann",
        "--note",
        "odd ones",
    ]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 4);
    let parked = entries(&mut c, "prospect:parked");
    assert_eq!(parked, ODD.iter().map(|i| i.to_vec()).collect::<Vec<_>>());
    let records = audit(&mut c);
    assert_eq!(records.len(), 5);
    for (record, item) in records.iter().zip(ODD) {
        assert_eq!(record["item"], item);
        assert_eq!(text(record, "sha256"), sha256(item));
        assert_eq!(text(record, "action"), "move");
        assert_eq!(text(record, "from"), QUEUE);
        assert_eq!(text(record, "to"), "prospect:parked");
        assert_eq!(
            text(record, "stage"),
            "build",
            "the stage whose input it left"
        );
    }
    assert_eq!(text(&records[0], "by"), "tester");
    assert_eq!(text(&records[1], "by"), "ann");
    assert_eq!(text(&records[1], "note"), "odd ones");

    // --dry-run says what would move and changes nothing.
    let before = (entries(&mut c, QUEUE), audit(&mut c).len());
    let out = r.run_json(&[
        "move",
        QUEUE,
        "prospect:parked",
        "--where",
        "city=c1",
        "--dry-run",
    ]);
    assert_code(&out, 0);
    assert_eq!(
        (
            json(&out)["matched"].clone(),
            json(&out)["moved"].clone(),
            json(&out)["dry_run"].clone()
        ),
        (json!(7), json!(0), json!(true))
    );
    let out = run(
        &r,
        &["move", QUEUE, "prospect:parked", "1", "3", "--dry-run"],
    );
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("would move 2 items"),
        "{}",
        stdout(&out)
    );
    assert_eq!((entries(&mut c, QUEUE), audit(&mut c).len()), before);

    // --where with --limit: the first matches from the consumer end.
    let out = r.run_json(&[
        "move",
        QUEUE,
        "prospect:c1",
        "--where",
        "city=c1",
        "--limit",
        "3",
        "--yes",
    ]);
    assert_eq!(json(&out)["moved"], 3);
    let moved: Vec<Vec<u8>> = entries(&mut c, "prospect:c1");
    assert_eq!(
        moved,
        [items[0].clone(), items[3].clone(), items[6].clone()]
    );
    // --all, into a staging list: arrivals recorded; positions past the end are reported.
    let out = r.run_json(&["move", QUEUE, STAGED, "--all", "--yes"]);
    assert_eq!(json(&out)["moved"], 17);
    assert_eq!(r.llen(QUEUE), 0);
    assert_eq!(r.cli(&["ZCARD", "prospect:staged:since"]), "17");
    let out = r.run_json(&["move", QUEUE, STAGED, "--all", "--yes"]);
    assert_code(&out, 3);
    let out = r.run_json(&["move", STAGED, QUEUE, "17-19", "--yes"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["missing"], json!(["18-19"]));
    // Out of a staging list, the item's claim, question and arrival go with it.
    let first = entries(&mut c, STAGED)[0].clone();
    let _: i64 = redis::cmd("HSET")
        .arg("prospect:staged:claims")
        .arg(&first)
        .arg("99999999999999 bo")
        .query(&mut c)
        .unwrap();
    let _: i64 = redis::cmd("HSET")
        .arg("prospect:staged:asks")
        .arg(&first)
        .arg(r#"{"stage":"build","question":"?"}"#)
        .query(&mut c)
        .unwrap();
    let _: i64 = redis::cmd("SADD")
        .arg("prospect:staged:sampled")
        .arg(&first)
        .query(&mut c)
        .unwrap();
    let out = r.run_json(&["move", STAGED, QUEUE, "1"]);
    assert_code(&out, 0);
    for (key, kind) in [
        ("claims", "HEXISTS"),
        ("asks", "HEXISTS"),
        ("sampled", "SISMEMBER"),
    ] {
        let there: i64 = redis::cmd(kind)
            .arg(format!("prospect:staged:{key}"))
            .arg(&first)
            .query(&mut c)
            .unwrap();
        assert_eq!(there, 0, "{key}");
    }
    let since: Option<f64> = redis::cmd("ZSCORE")
        .arg("prospect:staged:since")
        .arg(&first)
        .query(&mut c)
        .unwrap();
    assert_eq!(since, None);
    let records = audit(&mut c);
    let last = records.last().unwrap();
    assert_eq!(
        (text(last, "stage"), text(last, "to")),
        ("review".into(), QUEUE.into())
    );
    // Every move wrote exactly one record, every record names a moved item.
    assert_eq!(records.len(), 5 + 3 + 17 + 1 + 1);

    // Bad selections.
    assert_code(&run(&r, &["move", QUEUE, QUEUE, "1"]), 2);
    assert_code(&run(&r, &["move", QUEUE, STAGED]), 2);
    assert_code(&run(&r, &["move", QUEUE, STAGED, "0"]), 2);
    assert_code(&run(&r, &["move", QUEUE, STAGED, "1", "--all"]), 2);
    // Huge positions cost what the list holds; more than 100,000 present are refused.
    let out = r.run_json(&["move", QUEUE, STAGED, "3-18446744073709551615", "--yes"]);
    assert_code(&out, 3);
    assert_eq!(json(&out)["missing"], json!(["3-18446744073709551615"]));
    let out = r.run_json(&["move", QUEUE, STAGED, "18446744073709551615"]);
    assert_code(&out, 3);
    r.cli(&[
        "EVAL",
        "for i = 1, 100001 do redis.call('RPUSH', KEYS[1], i) end",
        "1",
        "big",
    ]);
    let out = run(&r, &["rm", "big", "2-999999", "--dry-run"]);
    assert_code(&out, 0);
    let out = run(&r, &["rm", "big", "1-999999", "--dry-run"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--all --limit"), "{}", stderr(&out));
    assert_eq!(r.llen("big"), 100_001);
    assert_code(&run(&r, &["move", QUEUE, STAGED, "1", "--by", " "]), 2);
}

#[test]
fn rm_keeps_each_deleted_entry_in_its_audit_record_to_undo_it_by_hand() {
    let r = RedisServer::start();
    let mut c = con(&r);
    push(&mut c, QUEUE, &ODD);
    push(&mut c, QUEUE, &refs(&prospects(6)));
    // The first in line was tried twice before and carries a reviewer's note: both leave
    // the queue with it, so the same item enqueued again starts afresh.
    let attempts = format!("{QUEUE}:attempts");
    let notes = format!("{QUEUE}:notes");
    for (key, value) in [(&attempts, "2"), (&notes, "check the phone number")] {
        let _: i64 = redis::cmd("HSET")
            .arg(key)
            .arg(ODD[0])
            .arg(value)
            .query(&mut c)
            .unwrap();
    }
    let out = r.run_json(&["rm", QUEUE, "1-5", "--yes", "--note", "junk"]);
    assert_code(&out, 0);
    assert_schema("rm", &stdout(&out));
    assert_eq!(json(&out)["removed"], 5);
    assert_eq!(json(&out)["audit"], AUDIT);
    for key in [&attempts, &notes] {
        let left: i64 = redis::cmd("HLEN").arg(key).query(&mut c).unwrap();
        assert_eq!(left, 0, "{key}");
    }
    let records = audit(&mut c);
    assert_eq!(records.len(), 5);
    for (record, item) in records.iter().zip(ODD) {
        assert_eq!(record["item"], item);
        assert_eq!(text(record, "sha256"), sha256(item));
        assert_eq!(
            (
                text(record, "action"),
                text(record, "from"),
                text(record, "note")
            ),
            ("rm".into(), QUEUE.into(), "junk".into())
        );
        assert_eq!(text(record, "stage"), "build");
        assert!(!record.contains_key("to"));
    }
    // Undone by hand: each recorded item pushed back, and the list is as it was.
    for record in records.iter().rev() {
        let _: i64 = redis::cmd("RPUSH")
            .arg(QUEUE)
            .arg(&record["item"])
            .query(&mut c)
            .unwrap();
    }
    let mut expect: Vec<Vec<u8>> = ODD.iter().map(|i| i.to_vec()).collect();
    expect.extend(prospects(6));
    assert_eq!(entries(&mut c, QUEUE), expect);

    // By --where over an envelope list; a list no stage owns gets an empty stage.
    push(
        &mut c,
        FAILED,
        &[
            br#"{"item":{"url":"a.com"},"error":"invalid phone","failed_at":"2026-03-19T10:00:00Z","v":2}"#,
            br#"{"item":{"url":"b.com"},"error":"timed out","failed_at":"2026-03-19T10:00:00Z","v":2}"#,
        ],
    );
    let out = r.run_json(&["rm", FAILED, "--where", "error~phone", "--dry-run"]);
    assert_eq!(
        (json(&out)["matched"].clone(), json(&out)["removed"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(r.llen(FAILED), 2);
    let out = r.run_json(&["rm", FAILED, "--where", "error~phone", "--yes"]);
    assert_eq!(json(&out)["removed"], 1);
    assert_eq!(r.llen(FAILED), 1);
    let last = audit(&mut c).pop().unwrap();
    assert_eq!(text(&last, "stage"), "");
    assert!(
        text(&last, "item").contains("invalid phone"),
        "the envelope, exactly"
    );
    // Nothing matched: exit 3, the same shape.
    let out = r.run_json(&["rm", FAILED, "--where", "error~phone", "--yes"]);
    assert_code(&out, 3);
    assert_schema("rm", &stdout(&out));
    let out = r.run_json(&["rm", "absent", "1"]);
    assert_code(&out, 3);
    assert_eq!(json(&out)["missing"], json!(["1"]));
    // --all, with --limit first.
    let before = audit(&mut c).len();
    let out = r.run_json(&["rm", QUEUE, "--all", "--limit", "4", "--yes"]);
    assert_eq!(json(&out)["removed"], 4);
    assert_eq!(
        entries(&mut c, QUEUE)[0],
        ODD[4],
        "the first 4 in line went"
    );
    let out = r.run_json(&["rm", QUEUE, "--all", "--yes"]);
    assert_eq!(json(&out)["removed"], 7);
    assert_eq!(r.llen(QUEUE), 0);
    assert_eq!(audit(&mut c).len(), before + 11);
}

#[test]
fn unreject_sends_each_item_back_to_the_stage_that_rejected_it() {
    let r = RedisServer::start();
    Pipeline::new("prospect")
        .stage("build", |s| s.input(QUEUE).output(STAGED).exec(&["cat"]))
        .stage("review", |s| s.input(STAGED).output("prospect:ready"))
        .stage("legal", |s| {
            s.input("prospect:legal").output("prospect:cleared")
        })
        .write(r.dir.path());
    let mut c = con(&r);
    push(&mut c, STAGED, &ODD[..2]);
    push(&mut c, "prospect:legal", &[br#"{"url":"l.com"}"#]);
    assert_code(
        &run(
            &r,
            &[
                "reject", "--stage", "review", "1", "2", "--reason", "parked",
            ],
        ),
        0,
    );
    assert_code(&run(&r, &["reject", "--stage", "legal", "1"]), 0);
    // By hand: a legacy envelope naming no stage, and a bare item.
    push(
        &mut c,
        REJECTED,
        &[
            br#"{"item":"legacy","reason":"old","rejected_at":"2025-01-01T00:00:00Z"}"#,
            b"bare item",
        ],
    );
    assert_eq!(r.llen(REJECTED), 5);
    let records_before = audit(&mut c).len();

    // Several manual stages: the ones naming none stay, counted as unplaced (exit 1).
    let out = r.run_json(&["unreject", "--all", "--dry-run"]);
    assert_code(&out, 1);
    assert_schema("unreject", &stdout(&out));
    let doc = json(&out);
    assert_eq!(
        (
            doc["matched"].clone(),
            doc["unplaced"].clone(),
            doc["moved"].clone()
        ),
        (json!(3), json!(2), json!(0))
    );
    assert_eq!(
        doc["to"],
        json!([{"stage": "review", "list": STAGED, "moved": 2}, {"stage": "legal", "list": "prospect:legal", "moved": 1}])
    );
    assert_eq!(r.llen(REJECTED), 5, "a dry run changes nothing");
    let out = r.run_json(&["unreject", "--all", "--yes", "--by", "ann"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["moved"], 3);
    // Each is the exact item that was rejected, in its stage's staging list, arrival recorded.
    assert_eq!(
        entries(&mut c, STAGED),
        ODD[..2].iter().map(|i| i.to_vec()).collect::<Vec<_>>()
    );
    assert_eq!(
        entries(&mut c, "prospect:legal"),
        [br#"{"url":"l.com"}"#.to_vec()]
    );
    assert_eq!(r.cli(&["ZCARD", "prospect:staged:since"]), "2");
    assert_eq!(r.cli(&["ZCARD", "prospect:legal:since"]), "1");
    let records = audit(&mut c);
    let new = &records[records_before..];
    assert_eq!(new.len(), 3);
    for (record, item) in new[..2].iter().zip(ODD) {
        assert_eq!(record["item"], item);
        assert_eq!(text(record, "sha256"), sha256(item));
        assert_eq!(
            (
                text(record, "action"),
                text(record, "stage"),
                text(record, "by")
            ),
            ("unreject".into(), "review".into(), "ann".into())
        );
        assert_eq!(
            (text(record, "from"), text(record, "to")),
            (REJECTED.into(), STAGED.into())
        );
    }
    assert_eq!(text(&new[2], "stage"), "legal");
    // --stage sends those naming none to it (the entry itself when it is no envelope).
    let out = r.run_json(&["unreject", "--stage", "review", "--all", "--yes"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 2);
    assert_eq!(r.llen(REJECTED), 0);
    let staged = entries(&mut c, STAGED);
    assert_eq!(staged[2..], [b"legacy".to_vec(), b"bare item".to_vec()]);
    assert_code(&r.run_json(&["unreject", "--all", "--yes"]), 3);
    assert_code(
        &r.run_json(&["unreject", "--stage", "build", "--all", "--yes"]),
        2,
    );
    assert_code(&r.run_json(&["unreject"]), 2);

    // By position and --where; --stage keeps to that stage's rejections.
    assert_code(
        &run(
            &r,
            &["reject", "--stage", "review", "--all", "--reason", "again"],
        ),
        0,
    );
    assert_code(&run(&r, &["reject", "--stage", "legal", "1"]), 0);
    let out = r.run_json(&[
        "unreject",
        "--stage",
        "legal",
        "--where",
        "reason~again",
        "--yes",
    ]);
    assert_code(&out, 3);
    let out = r.run_json(&["unreject", "--where", "item=legacy", "--yes"]);
    assert_eq!(json(&out)["moved"], 1);
    let out = r.run_json(&["unreject", "1"]);
    assert_eq!(json(&out)["to"][0]["stage"], "review");
    let out = r.run_json(&["unreject", "--all", "--limit", "2", "--yes"]);
    assert_eq!(
        (json(&out)["moved"].clone(), json(&out)["matched"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(r.llen(REJECTED), 1);

    // Without a manual stage there is nowhere to go back to.
    Pipeline::new("prospect")
        .stage("build", |s| s.input(QUEUE).exec(&["cat"]))
        .write(r.dir.path());
    assert_code(&r.run_json(&["unreject", "1"]), 78);
}

#[test]
fn bulk_changes_ask_on_a_terminal() {
    if !Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: `script` (util-linux) is not installed, skipping this terminal test");
        return;
    }
    let r = RedisServer::start();
    let mut c = con(&r);
    push(&mut c, QUEUE, &refs(&prospects(3)));
    let out = on_terminal(&r, &["move", QUEUE, "prospect:parked", "--all"], "n\n");
    assert_code(&out, 1);
    let screen = stdout(&out);
    assert!(
        screen.contains("Move 3 items from prospect:queue to prospect:parked? [y/N]"),
        "{screen}"
    );
    assert!(screen.contains("nothing was changed"), "{screen}");
    assert_eq!(r.llen(QUEUE), 3);
    let out = on_terminal(&r, &["rm", QUEUE, "--where", "city=c1"], "y\n");
    assert_code(&out, 0);
    let screen = stdout(&out);
    assert!(
        screen.contains("Delete 1 item from prospect:queue?"),
        "{screen}"
    );
    assert!(
        screen.contains("deleted 1 item from prospect:queue"),
        "{screen}"
    );
    assert_eq!(r.llen(QUEUE), 2);
    // Nothing to ask about: exit 3 without a question.
    let out = on_terminal(&r, &["rm", QUEUE, "--where", "city=none"], "");
    assert_code(&out, 3);
    assert!(!stdout(&out).contains("[y/N]"), "{}", stdout(&out));
    assert_eq!(audit(&mut c).len(), 1);
}

#[test]
fn spoiled_keys_are_refused_and_nothing_changes() {
    let r = RedisServer::start();
    let mut c = con(&r);
    let snapshot = |c: &mut redis::Connection| -> BTreeMap<Vec<u8>, Vec<u8>> {
        let keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(c).unwrap();
        keys.into_iter()
            .map(|k| {
                let dump: Vec<u8> = redis::cmd("DUMP").arg(&k).query(c).unwrap();
                (k, dump)
            })
            .collect()
    };
    push(&mut c, QUEUE, &refs(&prospects(3)));
    push(&mut c, STAGED, &[b"staged"]);
    push(&mut c, REJECTED, &[br#"{"item":"x","stage":"review","reason":null,"rejected_at":"2026-03-19T10:00:00Z","v":2}"#]);
    for (spoil, args) in [
        (
            "prospect:parked",
            &["move", QUEUE, "prospect:parked", "--all", "--yes"][..],
        ),
        (AUDIT, &["move", QUEUE, "prospect:parked", "1"]),
        ("prospect:staged:since", &["move", QUEUE, STAGED, "1"]),
        ("prospect:staged:claims", &["move", STAGED, QUEUE, "1"]),
        (AUDIT, &["rm", QUEUE, "--all", "--yes"]),
        ("prospect:staged:since", &["unreject", "1"]),
        (STAGED, &["unreject", "1"]),
        ("elsewhere", &["rm", "elsewhere", "1"]),
        ("elsewhere", &["move", "elsewhere", QUEUE, "--all", "--yes"]),
    ] {
        r.cli(&["DEL", spoil]);
        r.cli(&["SET", spoil, "spoiled"]);
        let before = snapshot(&mut c);
        let out = r.run_json(args);
        assert_code(&out, 65);
        let err = json_stderr(&out);
        assert!(
            err["error"]["message"].as_str().unwrap().contains(spoil),
            "{args:?}: {err}"
        );
        assert_eq!(snapshot(&mut c), before, "{args:?} changed something");
        r.cli(&["DEL", spoil]);
    }
    // A staging list whose questions are a set, not a hash: a move out is refused too.
    push(&mut c, STAGED, &[b"s"]);
    r.cli(&["SADD", "prospect:staged:asks", "x"]);
    let before = snapshot(&mut c);
    assert_code(&r.run_json(&["rm", STAGED, "1"]), 65);
    assert_eq!(snapshot(&mut c), before);
}

#[test]
fn racing_moves_of_the_same_items_move_each_once() {
    let r = RedisServer::start();
    let mut c = con(&r);
    let items = prospects(3_000);
    push(&mut c, QUEUE, &refs(&items));
    let racers: Vec<_> = (0..2)
        .map(|i| {
            let to = if i == 0 { "prospect:a" } else { "prospect:b" };
            r.pipectl()
                .args(["--json", "move", QUEUE, to, "--all", "--yes"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut moved = 0;
    for racer in racers {
        let out = racer.wait_with_output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
        moved += json(&out)["moved"].as_u64().unwrap();
    }
    assert_eq!(moved, 3_000);
    assert_eq!(r.llen(QUEUE), 0);
    let mut landed = entries(&mut c, "prospect:a");
    landed.extend(entries(&mut c, "prospect:b"));
    landed.sort();
    let mut expect = items.clone();
    expect.sort();
    assert_eq!(landed, expect, "each item once");
    assert_eq!(audit(&mut c).len(), 3_000, "one record per item moved");

    // The same position taken by two: one moves it, the other finds it gone.
    push(&mut c, QUEUE, &[b"one"]);
    let racers: Vec<_> = (0..4)
        .map(|_| {
            r.pipectl()
                .args(["--json", "rm", QUEUE, "1"])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let removed: u64 = racers
        .into_iter()
        .map(|p| {
            json(&p.wait_with_output().unwrap())["removed"]
                .as_u64()
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(removed, 1);
    assert_eq!(audit(&mut c).len(), 3_001);
}

#[test]
fn surgery_on_a_cluster() {
    let c = RedisCluster::start();
    let tag = "{prospect}";
    Pipeline::new(tag)
        .stage("build", |s| {
            s.input(&format!("{tag}:queue"))
                .output(&format!("{tag}:staged"))
                .exec(&["cat"])
        })
        .stage("review", |s| {
            s.input(&format!("{tag}:staged"))
                .output(&format!("{tag}:ready"))
        })
        .write(c.dir.path());
    let queue = format!("{tag}:queue");
    let staged = format!("{tag}:staged");
    for i in 0..30 {
        c.cli(&["LPUSH", &queue, &format!(r#"{{"url":"c{i}.com","n":{i}}}"#)]);
    }
    let run = |args: &[&str]| c.pipectl().arg("--json").args(args).output().unwrap();
    let out = run(&["find", &queue, "--where", "n>=25"]);
    assert_code(&out, 0);
    assert_eq!(json_lines(&out).len(), 5);
    let out = run(&["move", &queue, &staged, "--where", "n<10", "--yes"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 10);
    let out = run(&["reject", "--all", "--reason", "nope"]);
    assert_code(&out, 0);
    let out = run(&["unreject", "--all", "--yes"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 10);
    assert_eq!(c.llen(&staged), 10);
    let out = run(&["rm", &staged, "1-4", "--yes"]);
    assert_eq!(json(&out)["removed"], 4);
    assert_eq!(c.cli(&["XLEN", &format!("{tag}:audit")]), "34");
    // Keys in different slots cannot change together: refused before anything is read.
    let out = run(&["move", &queue, "elsewhere", "--all", "--yes"]);
    assert_code(&out, 78);
    assert!(stderr(&out).contains("hash slot"), "{}", stderr(&out));
    assert_eq!(c.llen(&queue), 20);
}

/// Calls surgery_move.lua directly (mode move, plain lists) with `(entry, position)` pairs.
fn take(c: &mut redis::Connection, pairs: &[(&str, usize)]) -> Vec<i64> {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(pipectl::store::scripts::SURGERY_MOVE.source)
        .arg(10)
        .arg("src")
        .arg("dst")
        .arg("aud")
        .arg(&["src"; 7][..])
        .arg(60_000)
        .arg(r#"["action","move","stage","","by","t"]"#)
        .arg("move")
        .arg("0")
        .arg("0")
        .arg("\u{0}marker");
    for (entry, pos) in pairs {
        cmd.arg(*entry).arg(*pos).arg("sha");
    }
    cmd.query(c).unwrap()
}

fn list(c: &mut redis::Connection, key: &str) -> Vec<String> {
    entries(c, key)
        .into_iter()
        .map(|e| String::from_utf8(e).unwrap())
        .collect()
}

#[test]
fn the_script_takes_each_entry_once_at_an_end_at_its_position_or_anywhere() {
    let r = RedisServer::start();
    let mut c = con(&r);
    let reset = |c: &mut redis::Connection, items: &[&str]| {
        let _: () = redis::cmd("FLUSHALL").query(c).unwrap();
        for item in items {
            let _: i64 = redis::cmd("LPUSH").arg("src").arg(*item).query(c).unwrap();
        }
    };
    let records =
        |c: &mut redis::Connection| -> i64 { redis::cmd("XLEN").arg("aud").query(c).unwrap() };
    // The next in line, exactly: cut off the end.
    reset(&mut c, &["a", "b", "c", "d"]);
    assert_eq!(take(&mut c, &[("a", 1), ("b", 2)]), [1, 1]);
    assert_eq!(
        (list(&mut c, "src"), list(&mut c, "dst")),
        (vec!["c".into(), "d".into()], vec!["a".into(), "b".into()])
    );
    // The far end, exactly (the last in line).
    reset(&mut c, &["a", "b", "c", "d"]);
    assert_eq!(take(&mut c, &[("d", 4), ("c", 3)]), [1, 1]);
    assert_eq!(list(&mut c, "src"), ["a", "b"]);
    assert_eq!(list(&mut c, "dst"), ["d", "c"]);
    // Positions stale by one (a consumer took "a"): found anyway, the rest untouched.
    reset(&mut c, &["b", "c", "d", "e"]);
    assert_eq!(take(&mut c, &[("b", 2), ("c", 3)]), [1, 1]);
    assert_eq!(list(&mut c, "src"), ["d", "e"]);
    // Spread out, one gone, one asked for twice: each taken once, nothing pushed for the rest.
    reset(&mut c, &["a", "b", "c", "d", "e", "f"]);
    assert_eq!(
        take(&mut c, &[("b", 2), ("e", 5), ("zz", 3), ("e", 5)]),
        [1, 1, 0, 0]
    );
    assert_eq!(list(&mut c, "src"), ["a", "c", "d", "f"]);
    assert_eq!(list(&mut c, "dst"), ["b", "e"]);
    assert_eq!(records(&mut c), 2);
    // Equal entries are taken once each, wherever the positions point.
    reset(&mut c, &["x", "y", "x", "x"]);
    assert_eq!(take(&mut c, &[("x", 2), ("x", 2), ("x", 9)]), [1, 1, 1]);
    assert_eq!(list(&mut c, "src"), ["y"]);
    assert_eq!(list(&mut c, "dst"), ["x", "x", "x"]);
    reset(&mut c, &["x", "y"]);
    assert_eq!(take(&mut c, &[("x", 1), ("x", 1)]), [1, 0]);
    assert_eq!(list(&mut c, "src"), ["y"]);
    // An end block whose entry differs is not cut off blindly.
    reset(&mut c, &["a", "b", "c"]);
    assert_eq!(take(&mut c, &[("a", 1), ("c", 2)]), [1, 1]);
    assert_eq!(list(&mut c, "src"), ["b"]);
    assert_eq!(list(&mut c, "dst"), ["a", "c"]);
    // Odd positions (0, past the end, not a number) are only hints.
    reset(&mut c, &["a", "b"]);
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(pipectl::store::scripts::SURGERY_MOVE.source)
        .arg(10)
        .arg(
            &[
                "src", "dst", "aud", "src", "src", "src", "src", "src", "src", "src",
            ][..],
        )
        .arg(&["60000", r#"["action","move"]"#, "move", "0", "0", "m"][..])
        .arg(&["a", "0", "s", "b", "x", "s"][..]);
    let flags: Vec<i64> = cmd.query(&mut c).unwrap();
    assert_eq!(flags, [1, 1]);
    assert_eq!(list(&mut c, "src"), Vec::<String>::new());
}

#[test]
fn a_refusal_part_way_says_what_was_moved_and_the_same_command_goes_on() {
    let r = RedisServer::start();
    let mut c = con(&r);
    r.cli(&[
        "EVAL",
        "for i = 1, 20000 do redis.call('LPUSH', KEYS[1], string.format('{\"url\":\"x%d.com\"}', i)) end",
        "1",
        QUEUE,
    ]);
    // One call in the cache first, so the refusal comes from the memory, not the first load.
    assert_code(&run(&r, &["move", QUEUE, "prospect:parked", "1"]), 0);
    let info = r.cli(&["INFO", "memory"]);
    let used: u64 = info
        .lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap();
    // Room for a few calls' audit records (about 200 bytes an item, 500 a call).
    r.cli(&["CONFIG", "SET", "maxmemory", &(used + 400_000).to_string()]);
    let out = r.run_json(&["move", QUEUE, "prospect:parked", "--all", "--yes"]);
    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    assert_code(&out, 1);
    let parked = r.llen("prospect:parked");
    assert!(parked > 1 && parked < 20_000, "{parked}: {}", stderr(&out));
    assert_eq!(r.llen(QUEUE) + parked, 20_000, "every item in one list");
    assert_eq!(audit(&mut c).len(), parked, "one record per item moved");
    let err = json_stderr(&out);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "moved {} items to prospect:parked before Redis refused the next step",
            parked - 1
        )) && message.contains("the same command again goes on with the rest"),
        "{err}"
    );
    assert_code(
        &run(&r, &["move", QUEUE, "prospect:parked", "--all", "--yes"]),
        0,
    );
    assert_eq!(r.llen("prospect:parked"), 20_000);
    assert_eq!(audit(&mut c).len(), 20_000);
}
