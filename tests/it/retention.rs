//! Dead-letter retention: dead_letters_max / dead_letters_max_age, `dead trim`, `dead purge
//! --export`, the removal counters in status, stats and metrics, the 80 % warning.

use base64::Engine;
use serde_json::Value;

use crate::support::*;

const STAGES: &str = r#"
[stages.build]
input = "prospect:queue"
output = "prospect:staged"
exec = ["true"]
"#;

fn config(r: &RedisServer, pipeline: &str) {
    write_file(
        r.dir.path(),
        "pipectl.toml",
        &format!("[pipeline]\nname = \"prospect\"\n{pipeline}\n{STAGES}"),
    );
}

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// Entry `i`: an envelope (failed `age_days` ago), or every 7th raw bytes that are not UTF-8.
fn entry(i: usize, age_days: i64) -> Vec<u8> {
    if i % 7 == 3 {
        let mut raw = b"\xff\xfe raw \x00 ".to_vec();
        raw.extend(i.to_string().as_bytes());
        return raw;
    }
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * age_days);
    format!(
        r#"{{"item":{{"url":"u{i}.com","n":1.50}},"stage":"build","queue":"prospect:queue","error":"boom {i}","attempts":3,"failed_at":"{}"}}"#,
        at.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    .into_bytes()
}

/// LPUSHes `entries` in order: the first pushed is the oldest (the right end).
fn push(con: &mut redis::Connection, entries: &[Vec<u8>]) {
    for chunk in entries.chunks(1000) {
        let mut cmd = redis::cmd("LPUSH");
        cmd.arg("prospect:failed");
        for e in chunk {
            cmd.arg(e.as_slice());
        }
        let _: i64 = cmd.query(con).unwrap();
    }
}

fn all(con: &mut redis::Connection) -> Vec<Vec<u8>> {
    redis::cmd("LRANGE")
        .arg("prospect:failed")
        .arg(0)
        .arg(-1)
        .query(con)
        .unwrap()
}

/// The entries of an export file, decoded to their exact bytes.
fn exported(path: &std::path::Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let map = v.as_object().unwrap();
            assert_eq!(map.len(), 1, "one lossless field per line: {line}");
            if let Some(item) = map.get("item") {
                serde_json::to_vec(item).unwrap()
            } else if let Some(text) = map.get("item_text") {
                text.as_str().unwrap().as_bytes().to_vec()
            } else {
                base64::engine::general_purpose::STANDARD
                    .decode(map["item_base64"].as_str().unwrap())
                    .unwrap()
            }
        })
        .collect()
}

#[test]
fn count_cap_trims_the_oldest_counts_them_and_exports_them_byte_exact() {
    let r = RedisServer::start();
    config(&r, "dead_letters_max = 10000");
    let mut c = con(&r);
    let entries: Vec<Vec<u8>> = (0..12_000).map(|i| entry(i, 1)).collect();
    push(&mut c, &entries);
    let before = all(&mut c);
    assert_eq!(before.len(), 12_000);

    let out = r.run_json(&["status"]);
    assert_code(&out, 0);
    let d = &json(&out)["dead_letters"];
    assert_eq!(d["near_cap"], true);
    assert_eq!(d["max"], 10000);
    assert_eq!(d["trimmed"], 0);
    let text = r.pipectl().arg("status").output().unwrap();
    assert!(
        stdout(&text).contains("12000 dead letters: 120% of"),
        "{}",
        stdout(&text)
    );

    let file = r.dir.path().join("trimmed.ndjson");
    let out = r.run_json(&["dead", "trim", "--export", file.to_str().unwrap()]);
    assert_code(&out, 0);
    let t = json(&out);
    assert_eq!(t["trimmed"], 2000, "{t}");
    assert_eq!(t["by_count"], 2000);
    assert_eq!(t["left"], 10000);
    assert_schema("dead-trim", &stdout(&out));

    // What was removed is the oldest 2,000, exported oldest first, byte for byte.
    let mut oldest: Vec<Vec<u8>> = before[10_000..].to_vec();
    oldest.reverse();
    let got = exported(&file);
    assert_eq!(got.len(), 2000);
    assert!(got == oldest, "the export differs from the entries removed");
    assert!(got.iter().any(|e| std::str::from_utf8(e).is_err()));
    assert_eq!(all(&mut c), before[..10_000].to_vec());

    // Counted: the total, today's counter, status, stats and metrics.
    assert_eq!(r.cli(&["GET", "prospect:dead_trimmed"]), "2000");
    let d = json(&r.run_json(&["status"]))["dead_letters"].clone();
    assert_eq!(d["trimmed"], 2000);
    assert_eq!(d["count"], 10000);
    let stats = json(&r.run_json(&["stats", "prospect:dead_trimmed"]));
    assert_eq!(stats["counters"][0]["total"], 2000, "{stats}");
    let metrics = json(&r.run_json(&["metrics"]));
    let trimmed = metrics["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "pipectl_dead_letters_trimmed")
        .cloned()
        .unwrap_or_default();
    assert_eq!(trimmed["value"], 2000.0, "{metrics}");
    let doctor = json(&r.run_json(&["doctor"]));
    let check = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "dead letters")
        .cloned()
        .unwrap_or_default();
    assert_eq!(check["status"], "warn", "{doctor}");
    // Each removal has its audit record.
    let audit = r.cli(&["XLEN", "prospect:audit"]);
    assert_eq!(audit, "2000");

    // At the cap: nothing more to trim; an export never overwrites a file.
    let out = r.run_json(&["dead", "trim"]);
    assert_code(&out, 3);
    push(&mut c, &[b"one more".to_vec()]);
    let out = r.run_json(&["dead", "trim", "--export", file.to_str().unwrap()]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("never overwrites"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen("prospect:failed"), 10_001);
}

#[test]
fn age_cap_and_purge_export_keep_exact_bytes_and_count_separately() {
    let r = RedisServer::start();
    config(&r, "dead_letters_max_age = \"30d\"");
    let mut c = con(&r);
    // Oldest first: five letters from 40 days ago, a bare item without a date, three from
    // yesterday.
    let mut entries: Vec<Vec<u8>> = (0..5).map(|i| entry(i, 40)).collect();
    entries.push(b"bare \xc3\x28 item".to_vec());
    entries.extend((10..13).map(|i| entry(i, 1)));
    push(&mut c, &entries);
    let out = r.run_json(&["dead", "trim"]);
    assert_code(&out, 0);
    let t = json(&out);
    // Entries 3 and 10 are raw bytes, without a date, as is the bare item.
    assert_eq!(t["by_age"], 4, "{t}");
    assert_eq!(t["kept_undated"], 3);
    assert_eq!(t["left"], 5);

    // dead purge --export: the same exactness, counted as purged, not trimmed.
    let file = r.dir.path().join("purged.ndjson");
    let before = {
        let mut v = all(&mut c);
        v.reverse();
        v
    };
    let out = r.run_json(&[
        "dead",
        "purge",
        "--all",
        "--yes",
        "--export",
        file.to_str().unwrap(),
    ]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["purged"], 5);
    assert_eq!(json(&out)["export"], file.to_str().unwrap());
    assert!(exported(&file) == before);
    assert_eq!(r.llen("prospect:failed"), 0);
    let d = json(&r.run_json(&["status"]))["dead_letters"].clone();
    assert_eq!(
        (d["trimmed"].clone(), d["purged"].clone()),
        (4.into(), 5.into())
    );
    // No cap configured: trim says so.
    config(&r, "");
    let out = r.run_json(&["dead", "trim"]);
    assert_code(&out, 78);
    assert!(
        json_stderr(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no dead-letter retention cap")
    );
}

#[test]
fn racing_trims_never_go_below_the_cap_and_run_trims_in_the_background() {
    let r = RedisServer::start();
    config(&r, "dead_letters_max = 300");
    let mut c = con(&r);
    let entries: Vec<Vec<u8>> = (0..1000).map(|i| entry(i, 1)).collect();
    push(&mut c, &entries);
    let children: Vec<_> = (0..3)
        .map(|_| {
            r.pipectl()
                .args(["--json", "dead", "trim"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut total = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        if out.status.code() == Some(0) {
            total += json(&out)["trimmed"].as_u64().unwrap();
        }
    }
    assert_eq!(total, 700);
    assert_eq!(r.llen("prospect:failed"), 300);
    assert_eq!(r.cli(&["GET", "prospect:dead_trimmed"]), "700");

    // `run` enforces the cap too, while it runs (here: one item).
    push(&mut c, &entries[..50]);
    r.cli(&["LPUSH", "prospect:queue", "{}"]);
    let out = r.run_json(&["run", "build"]);
    assert_code(&out, 0);
    assert_eq!(r.llen("prospect:failed"), 300);
    assert_eq!(r.cli(&["GET", "prospect:dead_trimmed"]), "750");
}
