//! The audit stream: every operator action (pause, resume, dead retry, dead purge, ratelimit
//! reset) writes exactly one record in the same atomic step as its change, and `pipectl
//! audit` reads it back newest first, filtered, paged, from a stream of any size and any
//! contents (entries added by hand included). A spoiled audit key stops the action with
//! nothing changed; a killed `dead retry` leaves each change with its record.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::support::cluster::RedisCluster;
use crate::support::proxy::Rng;
use crate::support::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const AUDIT: &str = "p:audit";
const DEAD: &str = "p:failed";
const QUEUE: &str = "p:queue";
const RL: &str = "p:rl";

/// Pipeline `p`: build (p:queue → p:staged, rate limit p:rl), review (p:staged → p:ready),
/// with `extra` lines in [pipeline].
fn pipeline(r: &RedisServer, extra: &[&str]) {
    let mut p = Pipeline::new("p");
    for line in extra {
        p = p.extra(line);
    }
    p.stage("build", |s| {
        s.input(QUEUE)
            .output("p:staged")
            .exec(&["cat"])
            .rate_limit(RL, 10, "1h")
    })
    .stage("review", |s| s.input("p:staged").output("p:ready"))
    .write(r.dir.path());
}

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A dead letter of stage build holding exactly `item`, as pipectl writes them.
fn letter(item: &[u8], error: &str) -> Vec<u8> {
    pipectl::envelope::DeadLetter {
        item,
        stage: Some("build"),
        queue: QUEUE,
        error,
        attempts: 3,
    }
    .to_bytes()
}

/// LPUSHes these entries (exact bytes) onto a list, in chunks.
fn push(r: &RedisServer, list: &str, entries: &[Vec<u8>]) {
    let mut c = con(r);
    for chunk in entries.chunks(1000) {
        let _: i64 = redis::cmd("LPUSH")
            .arg(list)
            .arg(chunk)
            .query(&mut c)
            .unwrap();
    }
}

fn xlen(r: &RedisServer) -> usize {
    r.cli(&["XLEN", AUDIT]).parse().unwrap()
}

/// `pipectl audit --json ARGS`, its records.
fn audit(r: &RedisServer, args: &[&str]) -> Vec<Value> {
    let out = r
        .pipectl()
        .args(["audit", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert_code(&out, 0);
    if !out.stdout.is_empty() {
        assert_schema("audit", &stdout(&out));
    }
    json_lines(&out)
}

/// A record's item, decoded to its exact bytes.
fn item_of(record: &Value) -> Option<Vec<u8>> {
    pipectl::item::decode(record.as_object().unwrap()).unwrap()
}

fn run(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().unwrap()
}

fn run_as(r: &RedisServer, reviewer: &str, args: &[&str]) -> Output {
    r.pipectl()
        .env("PIPECTL_REVIEWER", reviewer)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_operator_action_writes_one_record_with_who_why_and_the_exact_item() {
    let r = RedisServer::start();
    pipeline(&r, &[]);

    // pause: --reason is the note; --by names who. PIPECTL_REVIEWER by default.
    let out = r.run_json(&["pause", "build", "--reason", "disk full", "--by", "ann"]);
    assert_code(&out, 0);
    assert_schema("pause", &stdout(&out));
    assert_eq!(json(&out)["by"], "ann");
    assert_eq!(r.cli(&["GET", "p:paused:build"]), "disk full");
    assert_eq!(xlen(&r), 1);
    assert_code(
        &run_as(&r, "bo", &["pause", "review", "--note", "lunch"]),
        0,
    );
    assert_eq!(r.cli(&["GET", "p:paused:review"]), "lunch");
    assert_eq!(xlen(&r), 2);
    assert_code(
        &run(&r, &["pause", "build", "--reason", "a", "--note", "b"]),
        2,
    );
    assert_eq!(xlen(&r), 2);

    // resume: one record with the reason it had; a resume of a running stage writes nothing.
    let out = r.run_json(&["resume", "build", "--note", "disk replaced"]);
    assert_code(&out, 0);
    assert_schema("resume", &stdout(&out));
    assert_eq!(xlen(&r), 3);
    let out = run(&r, &["resume", "build"]);
    assert_code(&out, 1);
    assert!(
        stdout(&out).contains("nothing recorded"),
        "{}",
        stdout(&out)
    );
    assert_eq!(xlen(&r), 3);

    // dead retry: one record per retried letter, with the exact item (not UTF-8 too).
    let items: Vec<Vec<u8>> = vec![
        br#"{"url":"a.com"}"#.to_vec(),
        vec![0xff, 0xfe, b'\n', 0],
        b"plain text".to_vec(),
    ];
    let letters: Vec<Vec<u8>> = items.iter().map(|i| letter(i, "boom")).collect();
    push(&r, DEAD, &letters);
    let out = r.run_json(&["dead", "retry", "--all", "--by", "cy", "--note", "fixed"]);
    assert_code(&out, 0);
    assert_schema("dead-retry", &stdout(&out));
    assert_eq!(json(&out)["retried"], 3);
    assert_eq!(xlen(&r), 6);
    assert_eq!(r.llen(QUEUE), 3);

    // dead purge: one record per letter, with the item and the envelope's error.
    let mut c = con(&r);
    let queued: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg(QUEUE)
        .arg(0)
        .arg(-1)
        .query(&mut c)
        .unwrap();
    let _: i64 = redis::cmd("DEL").arg(QUEUE).query(&mut c).unwrap();
    let purged_items: Vec<Vec<u8>> = vec![vec![0xc3, 0x28], b"{\"n\": 1}".to_vec()];
    let mut to_purge: Vec<Vec<u8>> = purged_items.iter().map(|i| letter(i, "gave up")).collect();
    to_purge.push(b"bare, by hand".to_vec());
    push(&r, DEAD, &to_purge);
    let out = r.run_json(&["dead", "purge", "--all", "--yes"]);
    assert_code(&out, 0);
    assert_schema("dead-purge", &stdout(&out));
    assert_eq!(json(&out)["purged"], 3);
    assert_eq!(json(&out)["by"], "tester");
    assert_eq!(r.llen(DEAD), 0);
    assert_eq!(xlen(&r), 9);

    // ratelimit reset: the key and the uses it had; no window open, nothing recorded.
    assert_code(&run(&r, &["ratelimit", "take", RL, "-n", "4"]), 0);
    let out = r.run_json(&["ratelimit", "reset", RL, "--by", "ann"]);
    assert_code(&out, 0);
    assert_schema("ratelimit-reset", &stdout(&out));
    assert_eq!(json(&out)["used"], 4);
    assert_eq!(r.cli(&["EXISTS", RL]), "0");
    assert_eq!(xlen(&r), 10);
    let out = r.run_json(&["ratelimit", "reset", RL]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["was_open"], false);
    assert_eq!(xlen(&r), 10);

    // Newest first, each with by, note, sha256 of the exact bytes and the exact item.
    let records = audit(&r, &[]);
    let actions: Vec<&str> = records
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "ratelimit_reset",
            "dead_purge",
            "dead_purge",
            "dead_purge",
            "dead_retry",
            "dead_retry",
            "dead_retry",
            "resume",
            "pause",
            "pause"
        ]
    );
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| {
        let (ms, seq) = id.split_once('-').unwrap();
        (ms.parse::<u64>().unwrap(), seq.parse::<u64>().unwrap())
    });
    sorted.reverse();
    assert_eq!(ids, sorted, "newest first");

    let rl = &records[0];
    assert_eq!(
        (&rl["stage"], &rl["by"], &rl["fields"]),
        (
            &json!("build"),
            &json!("ann"),
            &json!({"key": RL, "used": "4"})
        )
    );
    assert_eq!(rl["sha256"], Value::Null);
    assert!(item_of(rl).is_none());

    // Purged: oldest first, so the newest record is the last pushed (the bare entry).
    assert_eq!(item_of(&records[1]).unwrap(), b"bare, by hand");
    assert_eq!(records[1]["stage"], Value::Null);
    assert_eq!(records[1]["fields"], json!({"from": DEAD}));
    for (record, item) in records[2..4].iter().zip(purged_items.iter().rev()) {
        assert_eq!(item_of(record).unwrap(), *item);
        assert_eq!(record["sha256"], sha(item));
        assert_eq!(record["stage"], "build");
        assert_eq!(record["by"], "tester");
        assert_eq!(record["fields"], json!({"from": DEAD, "error": "gave up"}));
    }
    assert_eq!(records[3]["item_base64"], "wyg=");
    assert_eq!(records[2]["item_text"], "{\"n\": 1}");

    let mut retried: Vec<Vec<u8>> = records[4..7].iter().map(|r| item_of(r).unwrap()).collect();
    for record in &records[4..7] {
        let item = item_of(record).unwrap();
        assert_eq!(record["sha256"], sha(&item));
        assert_eq!(
            (&record["by"], &record["note"], &record["stage"]),
            (&json!("cy"), &json!("fixed"), &json!("build"))
        );
        assert_eq!(record["fields"], json!({"from": DEAD, "to": QUEUE}));
    }
    retried.sort();
    let mut expected = items.clone();
    expected.sort();
    assert_eq!(retried, expected);
    let mut queued = queued;
    queued.sort();
    assert_eq!(queued, expected, "what went back is what was recorded");

    assert_eq!(records[7]["by"], "tester");
    assert_eq!(records[7]["note"], "disk replaced");
    assert_eq!(records[7]["fields"], json!({"reason": "disk full"}));
    assert_eq!(
        (&records[8]["stage"], &records[8]["by"], &records[8]["note"]),
        (&json!("review"), &json!("bo"), &json!("lunch"))
    );
    assert_eq!(
        (&records[9]["stage"], &records[9]["by"], &records[9]["note"]),
        (&json!("build"), &json!("ann"), &json!("disk full"))
    );
    assert!(records[9]["time"].as_str().unwrap().ends_with('Z'));

    // In a pipe without --json: the same records, one JSON line each.
    let out = run(&r, &["audit"]);
    assert_code(&out, 0);
    assert_eq!(json_lines(&out), records);

    // redis-cli reads the very same thing.
    let raw = r.cli(&["XREVRANGE", AUDIT, "+", "-", "COUNT", "1"]);
    assert!(raw.contains("ratelimit_reset") && raw.contains(RL), "{raw}");

    // A rate limit no stage uses: recorded with no stage.
    let take = [
        "ratelimit",
        "take",
        "api:calls",
        "--limit",
        "9",
        "--per",
        "1m",
    ];
    assert_code(&run(&r, &take), 0);
    assert_code(&run(&r, &["ratelimit", "reset", "api:calls"]), 0);
    let newest = &audit(&r, &["--limit", "1"])[0];
    assert_eq!(newest["stage"], Value::Null);
    assert_eq!(newest["fields"], json!({"key": "api:calls", "used": "1"}));
    assert_eq!(xlen(&r), 11);
}

#[test]
fn audit_filters_by_stage_by_action_since_and_limit() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let now: u64 = {
        let t = r.cli_lines(&["TIME"]);
        t[0].parse::<u64>().unwrap() * 1000
    };
    // Two records written by hand two days ago, by the server's clock.
    let old = format!("{}-0", now - 2 * 86_400_000);
    let older = format!("{}-0", now - 3 * 86_400_000);
    for (id, by) in [(&older, "old-timer"), (&old, "ann")] {
        r.cli(&[
            "XADD", AUDIT, id, "action", "pause", "stage", "build", "by", by,
        ]);
    }
    assert_code(&run_as(&r, "ann", &["pause", "build"]), 0);
    assert_code(&run_as(&r, "bo", &["pause", "review"]), 0);
    assert_code(&run_as(&r, "ann", &["resume", "review"]), 0);
    assert_code(&run_as(&r, "bo", &["resume", "build"]), 0);

    let who = |records: Vec<Value>| -> Vec<String> {
        records
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r["action"].as_str().unwrap(),
                    r["stage"].as_str().unwrap(),
                    r["by"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        who(audit(&r, &[])),
        [
            "resume build bo",
            "resume review ann",
            "pause review bo",
            "pause build ann",
            "pause build ann",
            "pause build old-timer"
        ]
    );
    assert_eq!(
        who(audit(&r, &["--stage", "build"])),
        [
            "resume build bo",
            "pause build ann",
            "pause build ann",
            "pause build old-timer"
        ]
    );
    assert_eq!(
        who(audit(&r, &["--by", "ann"])),
        ["resume review ann", "pause build ann", "pause build ann"]
    );
    assert_eq!(
        who(audit(
            &r,
            &["--action", "pause", "--stage", "build", "--since", "1d"]
        )),
        ["pause build ann"]
    );
    assert_eq!(
        who(audit(
            &r,
            &["--action", "resume", "--action", "pause", "--by", "bo"]
        )),
        ["resume build bo", "pause review bo"]
    );
    assert_eq!(
        who(audit(&r, &["--since", "60h"])),
        [
            "resume build bo",
            "resume review ann",
            "pause review bo",
            "pause build ann",
            "pause build ann"
        ]
    );
    assert_eq!(
        who(audit(&r, &["--limit", "2"])),
        ["resume build bo", "resume review ann"]
    );
    assert_eq!(
        who(audit(&r, &["--by", "ann", "--limit", "2"])),
        ["resume review ann", "pause build ann"]
    );
    assert!(audit(&r, &["--by", "nobody"]).is_empty());
    assert!(audit(&r, &["--since", "1ms", "--stage", "nowhere"]).is_empty());

    // Bad arguments: exit 2, also under --json.
    for args in [
        &["audit", "--limit", "0"][..],
        &["audit", "--since", "soon"],
        &["audit", "--limit", "-3"],
    ] {
        assert_code(&run(&r, args), 2);
        let out = r.run_json(args);
        assert_code(&out, 2);
        assert_schema("error", &stderr(&out));
    }
}

#[test]
fn audit_pages_through_thousands_of_entries_newest_first() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    // 2,345 entries, every 7th by "ann"; IDs 1-1 … 1-2345 (sequence numbers of one ms) and
    // 2-0 … : pages must continue exactly after the last ID seen.
    let script = r#"
for i = 1, tonumber(ARGV[1]) do
  local by = 'bo'
  if i % 7 == 0 then by = 'ann' end
  redis.call('XADD', KEYS[1], '1-' .. i, 'action', 'approve', 'stage', 'review', 'by', by, 'n', tostring(i))
end
return 1"#;
    let _: i64 = redis::cmd("EVAL")
        .arg(script)
        .arg(1)
        .arg(AUDIT)
        .arg(2345)
        .query(&mut con(&r))
        .unwrap();
    let records = audit(&r, &[]);
    let ns: Vec<u64> = records
        .iter()
        .map(|r| r["fields"]["n"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ns, (1..=2345).rev().collect::<Vec<u64>>());
    assert_eq!(records[0]["id"], "1-2345");
    assert_eq!(records[0]["time_ms"], 1);
    assert_eq!(records[0]["time"], "1970-01-01T00:00:00.001Z");

    let ann = audit(&r, &["--by", "ann"]);
    assert_eq!(ann.len(), 2345 / 7);
    assert_eq!(ann[0]["fields"]["n"], "2345");
    assert_eq!(ann.last().unwrap()["fields"]["n"], "7");
    let some = audit(&r, &["--limit", "1200"]);
    assert_eq!(some.len(), 1200);
    assert_eq!(some[1199]["fields"]["n"], "1146");
    let some = audit(&r, &["--by", "ann", "--limit", "100"]);
    assert_eq!(some.len(), 100);
    assert_eq!(some[99]["fields"]["n"], (2345 / 7 * 7 - 99 * 7).to_string());
    // --since by the server's clock: these are from 1970.
    assert!(audit(&r, &["--since", "7d"]).is_empty());
}

#[test]
fn entries_added_by_hand_are_shown_as_well_as_they_can_be() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mut c = con(&r);
    let entries: Vec<Vec<(&[u8], &[u8])>> = vec![
        vec![(b"hello", b"world")],
        vec![(b"action", &[0xff, 0xfe]), (b"by", b"")],
        vec![
            (b"action", b"approve"),
            (b"item", &[0x80, 0x81, b'\n']),
            (b"item", b"again"),
            (&[0xc3], &[0xc3]),
            (b"fields", b"x"),
        ],
        vec![
            (b"item", b"{\"url\":\"a.com\",\"n\":12345678901234567890}"),
            (b"stage", b""),
        ],
    ];
    for fields in &entries {
        let mut cmd = redis::cmd("XADD");
        cmd.arg(AUDIT).arg("*");
        for (k, v) in fields {
            cmd.arg(*k).arg(*v);
        }
        let _: String = cmd.query(&mut c).unwrap();
    }
    r.cli(&[
        "XADD",
        AUDIT,
        "18446744073709551615-18446744073709551615",
        "action",
        "future",
    ]);
    let records = audit(&r, &[]);
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["action"], "future");
    assert_eq!(records[0]["time"], Value::Null);
    assert_eq!(records[0]["time_ms"], json!(u64::MAX));
    assert_eq!(
        item_of(&records[1]).unwrap(),
        b"{\"url\":\"a.com\",\"n\":12345678901234567890}"
    );
    assert_eq!(records[1]["stage"], Value::Null);
    assert_eq!(item_of(&records[2]).unwrap(), [0x80, 0x81, b'\n']);
    assert_eq!(records[2]["fields"]["item#2"], "again");
    assert_eq!(records[2]["fields"]["\u{fffd}_base64"], "ww==");
    assert_eq!(records[2]["fields"]["fields"], "x");
    assert_eq!(records[3]["action"], "\u{fffd}\u{fffd}");
    assert_eq!(records[3]["fields"]["action_base64"], "//4=");
    assert_eq!(records[3]["by"], "");
    assert_eq!(records[4]["action"], Value::Null);
    assert_eq!(records[4]["fields"], json!({"hello": "world"}));
    for record in &records {
        assert!(record.get("fields").is_some());
    }

    // The table on a terminal: one row each, cut to the width, control bytes made safe.
    let (screen, code) = on_terminal(&r, &["audit"]);
    assert_eq!(code, 0, "{screen}");
    assert!(
        screen.contains("future") && screen.contains("approve"),
        "{screen}"
    );
    assert!(screen.contains("hello=world"), "{screen}");
    for line in screen.lines() {
        assert!(
            pipectl::output::display_width(line) <= 100,
            "wider than the terminal: {line}"
        );
        assert!(!line.contains('\u{1b}'), "{line:?}");
    }
    let (screen, code) = on_terminal(&r, &["audit", "--by", "nobody"]);
    assert_eq!(code, 0);
    assert!(screen.contains("none of the 5 records"), "{screen}");
    r.cli(&["DEL", AUDIT]);
    let (screen, _) = on_terminal(&r, &["audit"]);
    assert!(screen.contains("nothing on record in p:audit"), "{screen}");
    assert!(audit(&r, &[]).is_empty());
}

/// Runs pipectl with stdout on a pseudo-terminal 100 columns wide (util-linux `script`),
/// stderr thrown away; returns the screen's text and the exit code.
fn on_terminal(r: &RedisServer, args: &[&str]) -> (String, i32) {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_pipectl"));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    line.push_str(" 2>/dev/null");
    let dir = r.dir.path();
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("PIPECTL_CONFIG")
        .env_remove("REDISCLI_AUTH")
        .env_remove("NO_COLOR")
        .env("PIPECTL_REVIEWER", "tester")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("REDIS_URL", r.url())
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs");
    (
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn retention_trims_old_records_on_the_next_write() {
    let r = RedisServer::start();
    pipeline(&r, &["audit_retention = \"2s\""]);
    // 300 records in one step: three whole stream nodes (100 entries each by default).
    let letters: Vec<Vec<u8>> = (0..300)
        .map(|i| letter(format!("{i}").as_bytes(), "x"))
        .collect();
    push(&r, DEAD, &letters);
    assert_code(&run(&r, &["dead", "retry", "--all"]), 0);
    assert_eq!(xlen(&r), 300);
    // MINID ~ trims whole nodes only, so it is approximate: wait past the retention, then
    // write until the old nodes are gone (the first write after 2s should do it).
    std::thread::sleep(Duration::from_millis(2200));
    let mut writes = 0;
    while xlen(&r) > 100 {
        writes += 1;
        assert!(writes < 20, "never trimmed: {} records", xlen(&r));
        assert_code(&run(&r, &["pause", "build"]), 0);
        std::thread::sleep(Duration::from_millis(100));
    }
    let records = audit(&r, &[]);
    assert_eq!(records[0]["action"], "pause");
    assert!(records.iter().filter(|r| r["action"] == "pause").count() == writes);
}

#[test]
fn a_spoiled_audit_key_refuses_every_action_and_changes_nothing() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    push(&r, DEAD, &[letter(b"a", "boom"), letter(b"b", "boom")]);
    r.cli(&["SET", "p:paused:review", "why"]);
    r.cli(&["SET", RL, "3", "EX", "600"]);
    let snapshot = |r: &RedisServer| {
        let mut c = con(r);
        let mut keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(&mut c).unwrap();
        keys.sort();
        keys.into_iter()
            .map(|k| {
                let dump: Vec<u8> = redis::cmd("DUMP").arg(&k).query(&mut c).unwrap();
                (k, dump)
            })
            .collect::<Vec<_>>()
    };
    for (spoil, kind) in [
        (&["SET", AUDIT, "not a stream"][..], "string"),
        (&["RPUSH", AUDIT, "x"], "list"),
        (&["HSET", AUDIT, "f", "v"], "hash"),
    ] {
        r.cli(&["DEL", AUDIT]);
        r.cli(spoil);
        let before = snapshot(&r);
        for args in [
            &["pause", "build", "--reason", "x"][..],
            &["resume", "review"],
            &["dead", "retry", "--all"],
            &["dead", "retry", "1"],
            &["dead", "purge", "--all", "--yes"],
            &["ratelimit", "reset", RL],
            &["audit"],
        ] {
            let out = run(&r, args);
            assert_code(&out, 65);
            assert!(
                stderr(&out).contains(&format!("key '{AUDIT}' holds a {kind}")),
                "{args:?}: {}",
                stderr(&out)
            );
            let out = r.run_json(args);
            assert_code(&out, 65);
            assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
            assert_schema("error", &stderr(&out));
            assert_eq!(snapshot(&r), before, "{args:?} changed something");
        }
    }
    assert_eq!(r.cli(&["EXISTS", "p:paused:build"]), "0");
    assert_eq!(r.llen(DEAD), 2);
    assert_eq!(r.llen(QUEUE), 0);

    // A spoiled pause flag or rate-limit key: refused too, and nothing recorded.
    r.cli(&["DEL", AUDIT]);
    r.cli(&["RPUSH", "p:paused:build", "x"]);
    r.cli(&["DEL", RL]);
    r.cli(&["SADD", RL, "x"]);
    for args in [
        &["pause", "build"][..],
        &["resume", "build"],
        &["ratelimit", "reset", RL],
    ] {
        let out = run(&r, args);
        assert_code(&out, 65);
    }
    assert_eq!(r.cli(&["EXISTS", AUDIT]), "0");
}

/// The queue's and the dead letters' lengths and the audit stream's, read in one atomic step
/// (a script still running for a killed pipectl lands before or after, never between).
fn counts(r: &RedisServer) -> (usize, usize, usize) {
    let (q, d, a): (usize, usize, usize) = redis::cmd("EVAL")
        .arg("return {redis.call('LLEN', KEYS[1]), redis.call('LLEN', KEYS[2]), redis.call('XLEN', KEYS[3])}")
        .arg(3)
        .arg(QUEUE)
        .arg(DEAD)
        .arg(AUDIT)
        .query(&mut con(r))
        .unwrap();
    (q, d, a)
}

#[test]
fn a_killed_dead_retry_leaves_each_change_with_its_record() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let n = 5_000;
    let letters: Vec<Vec<u8>> = (0..n)
        .map(|i| letter(format!("{{\"n\":{i}}}").as_bytes(), "x"))
        .collect();
    push(&r, DEAD, &letters);
    let mut rng = Rng::from_env("audit kill test");
    let (mut rounds, mut cut) = (0, 0);
    while r.llen(DEAD) > 0 {
        rounds += 1;
        assert!(rounds < 300, "retry never finished");
        let mut child = r
            .pipectl()
            .args(["dead", "retry", "--all"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + rng.below(80)));
        child.kill().ok();
        let status = child.wait().unwrap();
        let (retried, dead, recorded) = counts(&r);
        if status.code().is_none() && dead > 0 {
            cut += 1;
        }
        assert_eq!(retried + dead, n, "each letter in one place");
        assert_eq!(
            recorded, retried,
            "round {rounds}: letters retried == records written"
        );
    }
    eprintln!("dead retry killed {cut} times midway in {rounds} rounds");
    assert!(cut > 0, "never killed midway: the test proved nothing");
    let records = audit(&r, &["--action", "dead_retry"]);
    assert_eq!(records.len(), n);
    let mut recorded: Vec<Vec<u8>> = records.iter().map(|r| item_of(r).unwrap()).collect();
    recorded.sort();
    let mut c = con(&r);
    let mut queued: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg(QUEUE)
        .arg(0)
        .arg(-1)
        .query(&mut c)
        .unwrap();
    queued.sort();
    assert_eq!(recorded, queued, "each retried item recorded once, exactly");

    // The same for purge.
    let _: i64 = redis::cmd("DEL")
        .arg(QUEUE)
        .arg(AUDIT)
        .query(&mut c)
        .unwrap();
    push(&r, DEAD, &letters);
    let mut rounds = 0;
    while r.llen(DEAD) > 0 {
        rounds += 1;
        assert!(rounds < 300, "purge never finished");
        let mut child = r
            .pipectl()
            .args(["dead", "purge", "--all", "--yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + rng.below(80)));
        child.kill().ok();
        child.wait().unwrap();
        let (_, dead, recorded) = counts(&r);
        assert_eq!(recorded + dead, n, "round {rounds}: purged == recorded");
    }
}

#[test]
fn operator_actions_are_recorded_on_a_cluster() {
    let c = RedisCluster::start();
    Pipeline::new("{p}")
        .stage("build", |s| {
            s.input("{p}:queue")
                .output("{p}:staged")
                .exec(&["cat"])
                .rate_limit("p:ratelimit:sms", 5, "1h")
        })
        .stage("outreach", |s| {
            s.input("{p}:staged")
                .output("{p}:sent")
                .exec(&["cat"])
                .rate_limit("{p}:ratelimit:mail", 5, "1h")
        })
        .write(c.dir.path());
    let run = |args: &[&str]| c.pipectl().args(args).output().unwrap();
    assert_code(&run(&["pause", "build", "--reason", "x"]), 0);
    assert_code(&run(&["resume", "build"]), 0);
    let letters = [letter(b"a", "e"), letter(&[0xff], "e"), letter(b"c", "e")];
    for l in &letters {
        let out = run_with_stdin(
            c.pipectl().args(["enqueue", "{p}:failed"]),
            &[l.as_slice(), b"\n"].concat(),
        );
        assert_code(&out, 0);
    }
    assert_code(&run(&["dead", "retry", "1", "2"]), 0);
    assert_code(&run(&["dead", "purge", "--all", "--yes"]), 0);
    assert_code(&run(&["ratelimit", "take", "{p}:ratelimit:mail"]), 0);
    assert_code(&run(&["ratelimit", "reset", "{p}:ratelimit:mail"]), 0);
    // A rate-limit key in another slot: its reset could not be recorded in the same step.
    assert_code(&run(&["ratelimit", "take", "p:ratelimit:sms"]), 0);
    let out = run(&["ratelimit", "reset", "p:ratelimit:sms"]);
    assert_code(&out, 78);
    assert!(
        stderr(&out).contains("{p}:p:ratelimit:sms")
            && stderr(&out).contains("[stages.build] rate_limit.key"),
        "{}",
        stderr(&out)
    );
    assert_eq!(c.cli(&["GET", "p:ratelimit:sms"]), "1");

    let out = c.pipectl().args(["audit", "--json"]).output().unwrap();
    assert_code(&out, 0);
    assert_schema("audit", &stdout(&out));
    let actions: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        [
            "ratelimit_reset",
            "dead_purge",
            "dead_retry",
            "dead_retry",
            "resume",
            "pause"
        ]
    );
    assert_eq!(c.cli(&["XLEN", "{p}:audit"]), "6");
}

#[test]
fn on_a_read_only_replica_actions_are_refused_and_audit_reads() {
    let primary = RedisServer::start();
    pipeline(&primary, &[]);
    primary.cli(&[
        "XADD", AUDIT, "*", "action", "pause", "stage", "build", "by", "ann",
    ]);
    let port = primary.port.to_string();
    let r = RedisServer::start_with(&["--replicaof", "127.0.0.1", &port]);
    pipeline(&r, &[]);
    let mut synced = false;
    for _ in 0..100 {
        if r.cli(&["XLEN", AUDIT]) == "1" {
            synced = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(synced, "the replica never synced");
    // Nothing to resume or reset on the replica's copy: still refused, not answered from it.
    for args in [
        &["pause", "build"][..],
        &["resume", "build"],
        &["ratelimit", "reset", RL],
    ] {
        let out = r.run_json(args);
        assert_code(&out, 69);
        assert!(
            stderr(&out).contains("read-only replica"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(audit(&r, &[]).len(), 1);
}
