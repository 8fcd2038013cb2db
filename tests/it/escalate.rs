//! Escalation from any stage (issue 13, part 3): a handler's `review` control stages the item
//! for a person with its question, in one step with its audit record; approve continues
//! after the escalating stage, reject keeps it on the rejected list, and `send-back` returns
//! it to the escalating stage's input with a note its handler sees (exec: PIPECTL_NOTE;
//! http: the Pipectl-Note header). Against real redis-server, a real HTTP server, and the
//! Redis Cluster harness.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Output;

use crate::support::cluster::RedisCluster;
use crate::support::http::{HttpServer, Reply};
use crate::support::*;
use base64::Engine;
use serde_json::Value;

const QUESTION: &str = "Is this the same business as acme-auto.com?";
const NOTE: &str = "acme-auto.com is another business: build it";

/// An exec handler that asks for review unless it was given a note; given one, it appends
/// the note to `notes.log` in `dir` (one per call, then `---`) and passes the item on.
fn asking_handler(dir: &Path) -> String {
    let log = dir.join("notes.log");
    format!(
        "if [ -n \"${{PIPECTL_NOTE+x}}\" ]; then printf '%s\\n---\\n' \"$PIPECTL_NOTE\" >> '{}'; exit 0; fi\n\
         echo 'review {QUESTION}' > \"$PIPECTL_CONTROL\"",
        log.display()
    )
}

/// Pipeline `p`: build (p:queue → p:built) runs `build`, escalating to review (p:staged →
/// p:ready).
fn pipeline(prefix: &str, build: Stage) -> Pipeline {
    Pipeline::new(prefix).with(build).stage("review", |s| {
        s.input(&format!("{prefix}:staged"))
            .output(&format!("{prefix}:ready"))
    })
}

fn build_stage(prefix: &str) -> Stage {
    Stage::new("build")
        .input(&format!("{prefix}:queue"))
        .output(&format!("{prefix}:built"))
        .extra("escalate_to = \"review\"")
        .max_attempts(3)
        .backoff("100ms")
        .timeout("10s")
}

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

fn push(r: &RedisServer, key: &str, items: &[&[u8]]) {
    let _: u64 = redis::cmd("LPUSH")
        .arg(key)
        .arg(items)
        .query(&mut con(r))
        .unwrap();
}

/// A list's items, the consumer end first (position 1 first), as exact bytes.
fn list(r: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    let mut items: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg(key)
        .arg(0)
        .arg(-1)
        .query(&mut con(r))
        .unwrap();
    items.reverse();
    items
}

fn hget(r: &RedisServer, key: &str, field: &[u8]) -> Option<Vec<u8>> {
    redis::cmd("HGET")
        .arg(key)
        .arg(field)
        .query(&mut con(r))
        .unwrap()
}

/// Every audit record, oldest first: its fields as bytes.
fn audit(r: &RedisServer, key: &str) -> Vec<HashMap<String, Vec<u8>>> {
    let records: Vec<(String, HashMap<String, Vec<u8>>)> = redis::cmd("XRANGE")
        .arg(key)
        .arg("-")
        .arg("+")
        .query(&mut con(r))
        .unwrap();
    records.into_iter().map(|(_, fields)| fields).collect()
}

fn text(fields: &HashMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8_lossy(fields.get(name).map_or(&b""[..], |v| v)).into_owned()
}

/// Every key and what it holds (DUMP): equal snapshots mean nothing changed.
fn snapshot(r: &RedisServer) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut c = con(r);
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(&mut c).unwrap();
    keys.into_iter()
        .map(|k| {
            let dump: Vec<u8> = redis::cmd("DUMP").arg(&k).query(&mut c).unwrap();
            (k, dump)
        })
        .collect()
}

/// The exact bytes a lossless record's item field holds.
fn decode(record: &Value) -> Vec<u8> {
    if let Some(text) = record.get("item_text") {
        return text.as_str().unwrap().as_bytes().to_vec();
    }
    if let Some(b64) = record.get("item_base64") {
        return base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
    }
    serde_json::to_vec(&record["item"]).unwrap()
}

fn run(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().unwrap()
}

/// `staged --json`: the staged items' exact bytes, position 1 first.
fn staged(r: &RedisServer) -> Vec<Vec<u8>> {
    let out = r.run_json(&["staged"]);
    assert_code(&out, 0);
    assert_schema("staged", &stdout(&out));
    json_lines(&out).iter().map(decode).collect()
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// What the escalation step wrote, checked for `items` escalated by build with `question`.
#[track_caller]
fn assert_escalated(r: &RedisServer, items: &[&[u8]], question: &str) {
    assert_eq!(
        staged(r),
        items.iter().map(|i| i.to_vec()).collect::<Vec<_>>()
    );
    let ask = serde_json::json!({"stage": "build", "question": question});
    for item in items {
        let entry = hget(r, "p:staged:asks", item).expect("an asks entry");
        assert_eq!(serde_json::from_slice::<Value>(&entry).unwrap(), ask);
        assert_eq!(hget(r, "p:queue:attempts", item), None);
        let arrived: Option<f64> = redis::cmd("ZSCORE")
            .arg("p:staged:since")
            .arg(*item)
            .query(&mut con(r))
            .unwrap();
        assert!(arrived.is_some(), "arrival kept");
    }
    let records: Vec<_> = audit(r, "p:audit")
        .into_iter()
        .filter(|f| text(f, "action") == "escalate")
        .collect();
    assert_eq!(records.len(), items.len());
    for (record, item) in records.iter().zip(items) {
        assert_eq!(text(record, "stage"), "build");
        assert_eq!(text(record, "by"), "handler:build");
        assert_eq!(text(record, "question"), question);
        assert_eq!(text(record, "to"), "p:staged");
        assert_eq!(record["item"], item.to_vec());
        assert_eq!(text(record, "sha256"), pipectl::audit::sha256_hex(item));
    }
    let counter = format!("stats:p:build:escalated:{}", today());
    assert_eq!(r.cli(&["GET", &counter]), items.len().to_string());
}

/// (a) approve, (b) reject, (c) send-back: positions 1, 1, 1 of three escalated items.
#[track_caller]
fn decide_three(r: &RedisServer, items: &[&[u8]; 3]) {
    // (a) Approved, an escalated item continues after the escalating stage.
    let out = r.run_json(&["approve", "1"]);
    assert_code(&out, 0);
    assert_eq!(list(r, "p:built"), vec![items[0].to_vec()]);
    assert_eq!(r.llen("p:ready"), 0, "not the manual stage's output");
    let approved = audit(r, "p:audit").pop().unwrap();
    assert_eq!(text(&approved, "action"), "approve");
    assert_eq!(text(&approved, "escalated_from"), "build");
    assert_eq!(hget(r, "p:staged:asks", items[0]), None);

    // (b) Rejected: kept in an envelope on the rejected list.
    let out = r.run_json(&["reject", "1", "--reason", "same business"]);
    assert_code(&out, 0);
    let rejected = list(r, "p:rejected");
    assert_eq!(rejected.len(), 1);
    let envelope: Value = serde_json::from_slice(&rejected[0]).unwrap();
    assert_eq!(decode(&envelope), items[1].to_vec());

    // (c) Sent back with a note: in the escalating stage's input, the note beside it.
    let out = r.run_json(&["send-back", "1", "--note", NOTE, "--by", "ann"]);
    assert_code(&out, 0);
    assert_schema("send-back", &stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["moved"], 1);
    assert_eq!(doc["to"], serde_json::json!(["p:queue"]));
    assert_eq!(
        (doc["by"].as_str(), doc["note"].as_str()),
        (Some("ann"), Some(NOTE))
    );
    assert_eq!(list(r, "p:queue"), vec![items[2].to_vec()]);
    assert_eq!(
        hget(r, "p:queue:notes", items[2]),
        Some(NOTE.as_bytes().to_vec())
    );
    assert_eq!(r.llen("p:staged"), 0);
    for key in ["p:staged:asks", "p:staged:since", "p:staged:claims"] {
        assert_eq!(r.cli(&["EXISTS", key]), "0", "{key} left behind");
    }
    let back = audit(r, "p:audit").pop().unwrap();
    assert_eq!(text(&back, "action"), "send_back");
    assert_eq!(text(&back, "stage"), "review");
    assert_eq!(text(&back, "by"), "ann");
    assert_eq!(text(&back, "note"), NOTE);
    assert_eq!(text(&back, "to"), "p:queue");
    assert_eq!(text(&back, "escalated_from"), "build");
    assert_eq!(back["item"], items[2].to_vec());
}

#[test]
fn exec_round_trip_escalate_approve_reject_send_back_and_the_note_reaches_the_handler() {
    let r = RedisServer::start();
    pipeline("p", build_stage("p").sh(&asking_handler(r.dir.path()))).write(r.dir.path());
    let items: [&[u8]; 3] = [br#"{"name":"Acme"}"#, b"plain text", b"\xff\xfe not utf-8"];
    push(&r, "p:queue", &items);

    let out = r.run_json(&["run", "build", "--drain"]);
    assert_code(&out, 0);
    assert_schema("run", &stdout(&out));
    let doc = json(&out);
    assert_eq!(
        (doc["processed"].as_u64(), doc["escalated"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(doc["succeeded"], 0);
    assert_eq!(r.llen("p:queue"), 0);
    assert_escalated(&r, &items, QUESTION);
    let out = r.run_json(&["stats", "--days", "1"]);
    let stats = json(&out);
    let escalated = stats["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "p:build:escalated")
        .expect("stats shows the escalated counter");
    assert_eq!(escalated["total"], 3);

    decide_three(&r, &items);

    // The handler, run again, sees the note; the item goes on; the note is done with.
    let out = run(&r, &["run", "build"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("1 succeeded"), "{}", stdout(&out));
    let log = std::fs::read_to_string(r.dir.path().join("notes.log")).unwrap();
    assert_eq!(log, format!("{NOTE}\n---\n"));
    assert_eq!(
        list(&r, "p:built"),
        vec![items[0].to_vec(), items[2].to_vec()]
    );
    assert_eq!(r.cli(&["EXISTS", "p:queue:notes"]), "0");
}

#[test]
fn http_round_trip_the_control_header_in_json_and_the_note_in_a_header() {
    let r = RedisServer::start();
    let asked = "Is this caf\u{e9} the same as acme-auto.com?";
    let control = r#"{"review": "Is this caf\u00e9 the same as acme-auto.com?"}"#;
    let ask = || Reply::new(200, "").header("Pipectl-Control", control);
    let http = HttpServer::start(vec![ask(), ask(), ask(), Reply::new(200, "")]);
    let build = build_stage("p").http(&http.url("/build"), &[], false);
    pipeline("p", build).write(r.dir.path());
    let items: [&[u8]; 3] = [
        br#"{"url":"a.com"}"#,
        br#"{"url":"b.com"}"#,
        b"\x00\xffbinary",
    ];
    push(&r, "p:queue", &items);

    let out = r.run_json(&["run", "build", "--drain"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["escalated"], 3);
    assert_escalated(&r, &items, asked);
    decide_three(&r, &items);

    let out = run(&r, &["run", "build"]);
    assert_code(&out, 0);
    let requests = http.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests[..3]
            .iter()
            .all(|q| q.header("pipectl-note").is_none())
    );
    let last = &requests[3];
    // The body is still the item's exact bytes; the note rides in a header.
    assert_eq!(last.bytes, items[2].to_vec());
    let note = last.header("pipectl-note").expect("a Pipectl-Note header");
    assert_eq!(percent_decode(note), NOTE.as_bytes());
    assert_eq!(
        list(&r, "p:built"),
        vec![items[0].to_vec(), items[2].to_vec()]
    );
}

#[test]
fn a_note_survives_failed_attempts_and_goes_with_success_or_a_dead_letter() {
    let r = RedisServer::start();
    let log = r.dir.path().join("seen.log");
    // With a note: fail (retry) the first time it is seen, then exit 65 for item "dead",
    // else succeed. Without one: escalate.
    let script = format!(
        "item=$(cat)\n\
         if [ -n \"${{PIPECTL_NOTE+x}}\" ]; then\n\
           printf '%s %s\\n' \"$PIPECTL_ATTEMPT\" \"$PIPECTL_NOTE\" >> '{log}'\n\
           [ \"$PIPECTL_ATTEMPT\" = 1 ] && exit 1\n\
           [ \"$item\" = dead ] && exit 65\n\
           exit 0\n\
         fi\n\
         echo 'review same?' > \"$PIPECTL_CONTROL\"",
        log = log.display()
    );
    pipeline("p", build_stage("p").sh(&script)).write(r.dir.path());
    push(&r, "p:queue", &[b"ok", b"dead"]);
    assert_code(&run(&r, &["run", "build", "--drain"]), 0);
    let out = run(&r, &["send-back", "--all", "--note", "line one\nline two"]);
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("sent back 2 items"),
        "{}",
        stdout(&out)
    );

    // pop --lease shows the note too; nack hands "ok" back (to the back of the queue, its
    // claim counted) with it.
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 0);
    assert_schema("pop", &stdout(&out));
    let taken = &json(&out)["items"][0];
    assert_eq!(
        (taken["item_text"].as_str(), taken["note"].as_str()),
        (Some("ok"), Some("line one\nline two"))
    );
    let token = taken["token"].as_str().unwrap().to_owned();
    assert_code(&run(&r, &["nack", &token]), 0);

    // "dead" fails its first attempt and keeps its note; "ok" (attempt 2) goes on.
    let out = run(&r, &["run", "build", "--drain"]);
    assert_code(&out, 1);
    assert_eq!(
        hget(&r, "p:queue:notes", b"dead"),
        Some(b"line one\nline two".to_vec())
    );
    assert_eq!(hget(&r, "p:queue:notes", b"ok"), None);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let out = run(&r, &["run", "build", "--drain"]);
    assert_code(&out, 1);
    let seen = std::fs::read_to_string(&log).unwrap();
    assert_eq!(seen.matches("1 line one\nline two\n").count(), 1, "{seen}");
    assert_eq!(seen.matches("2 line one\nline two\n").count(), 2, "{seen}");
    assert_eq!(list(&r, "p:built"), vec![b"ok".to_vec()]);
    assert_eq!(r.llen("p:failed"), 1);
    assert_eq!(r.cli(&["EXISTS", "p:queue:notes"]), "0");
}

#[test]
fn a_review_without_escalate_to_is_a_failure_and_bad_controls_too() {
    let r = RedisServer::start();
    // Each item is the control its handler writes.
    let stage = |name: &str, input: &str| {
        Stage::new(name)
            .input(input)
            .output(&format!("{input}:out"))
            .sh("cat > \"$PIPECTL_CONTROL\"")
            .max_attempts(1)
    };
    Pipeline::new("p")
        .with(stage("plain", "p:plain"))
        .with(stage("asking", "p:asking").extra("escalate_to = \"review\""))
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());

    push(&r, "p:plain", &[b"review Same?"]);
    let out = r.run_json(&["run", "plain"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["dead_lettered"], 1);
    let dead: Value = serde_json::from_slice(&list(&r, "p:failed")[0]).unwrap();
    let reason = dead["error"].as_str().unwrap();
    assert!(reason.contains("escalate_to"), "{reason}");
    assert!(reason.contains("Same?"), "{reason}");
    assert_eq!(r.llen("p:staged"), 0);
    assert_eq!(r.cli(&["EXISTS", "p:audit"]), "0");

    let bad: [&[u8]; 7] = [
        b"review",
        b"review  ",
        b"review one\ntwo",
        br#"{"review": 3}"#,
        br#"{"review": "a", "drop": true}"#,
        br#"{"review": "#,
        b"reveiw typo",
    ];
    let good: [&[u8]; 2] = [
        b"review   Spaces around?  ",
        br#"{"review":"JSON \u00e9?"}"#,
    ];
    push(&r, "p:asking", &bad);
    push(&r, "p:asking", &good);
    let out = r.run_json(&["run", "asking", "--drain"]);
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(
        (doc["dead_lettered"].as_u64(), doc["escalated"].as_u64()),
        (Some(7), Some(2))
    );
    let dead = list(&r, "p:failed");
    let dead: Vec<Value> = dead[1..]
        .iter()
        .map(|e| serde_json::from_slice(e).unwrap())
        .collect();
    for envelope in &dead {
        let reason = envelope["error"].as_str().unwrap();
        assert!(
            ["question", "control", "line"]
                .iter()
                .any(|w| reason.contains(w)),
            "{reason}"
        );
    }
    let questions: Vec<String> = audit(&r, "p:audit")
        .iter()
        .map(|f| text(f, "question"))
        .collect();
    assert_eq!(questions, ["Spaces around?", "JSON é?"]);
    assert_eq!(
        staged(&r),
        good.iter().map(|g| g.to_vec()).collect::<Vec<_>>()
    );
}

#[test]
fn a_handler_may_stage_one_new_version_and_approve_sends_that_on() {
    let r = RedisServer::start();
    let script =
        "echo '{\"name\":\"Acme\",\"checked\":true}'; echo 'review Same?' > \"$PIPECTL_CONTROL\"";
    pipeline("p", build_stage("p").sh(script)).write(r.dir.path());
    push(&r, "p:queue", &[br#"{"name":"Acme"}"#]);
    assert_code(&run(&r, &["run", "build"]), 0);
    let new = br#"{"name":"Acme","checked":true}"#;
    assert_eq!(staged(&r), vec![new.to_vec()]);
    let record = audit(&r, "p:audit").pop().unwrap();
    assert_eq!(record["item"], new.to_vec());
    assert_eq!(
        text(&record, "replaces_sha256"),
        pipectl::audit::sha256_hex(br#"{"name":"Acme"}"#)
    );
    assert_code(&r.run_json(&["approve", "--all"]), 0);
    assert_eq!(list(&r, "p:built"), vec![new.to_vec()]);
}

#[test]
fn spoiled_asks_notes_and_audit_keys_exit_65_and_change_nothing() {
    let r = RedisServer::start();
    pipeline("p", build_stage("p").sh(&asking_handler(r.dir.path()))).write(r.dir.path());
    push(&r, "p:queue", &[br#"{"n":1}"#]);
    for key in [
        "p:staged:asks",
        "p:queue:notes",
        "p:audit",
        "p:staged:since",
        "p:staged",
    ] {
        r.cli(&["SET", key, "spoiled"]);
        let before = snapshot(&r);
        let out = r.run_json(&["run", "build"]);
        assert_code(&out, 65);
        assert!(stderr(&out).contains(key), "{key}: {}", stderr(&out));
        assert_eq!(snapshot(&r), before, "{key} spoiled: something changed");
        r.cli(&["DEL", key]);
    }
    assert_code(&run(&r, &["run", "build"]), 0);
    assert_eq!(r.llen("p:staged"), 1);
    for key in [
        "p:queue:notes",
        "p:queue",
        "p:staged:asks",
        "p:audit",
        "p:staged:claims",
    ] {
        let saved: Option<Vec<u8>> = redis::cmd("DUMP").arg(key).query(&mut con(&r)).unwrap();
        r.cli(&["DEL", key]);
        r.cli(&["SET", key, "spoiled"]);
        let before = snapshot(&r);
        let out = r.run_json(&["send-back", "1", "--note", "x"]);
        assert_code(&out, 65);
        assert_eq!(json_stderr(&out)["error"]["code"], 65);
        assert_eq!(snapshot(&r), before, "{key} spoiled: something changed");
        r.cli(&["DEL", key]);
        if let Some(saved) = saved {
            let _: () = redis::cmd("RESTORE")
                .arg(key)
                .arg(0)
                .arg(saved)
                .query(&mut con(&r))
                .unwrap();
        }
    }
    assert_code(&run(&r, &["send-back", "1", "--note", "x"]), 0);
    assert_eq!(r.llen("p:queue"), 1);
    // A lease acked by hand is done with, its note too.
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
    assert_eq!(json(&out)["items"][0]["note"], "x");
    let token = json(&out)["items"][0]["token"].as_str().unwrap().to_owned();
    assert_code(&run(&r, &["ack", &token]), 0);
    assert_eq!(r.cli(&["EXISTS", "p:queue:notes"]), "0");
}

#[test]
fn send_back_refuses_what_was_not_escalated_claims_and_bad_arguments() {
    let r = RedisServer::start();
    pipeline("p", build_stage("p").sh(&asking_handler(r.dir.path()))).write(r.dir.path());
    push(&r, "p:queue", &[br#"{"n":1}"#, br#"{"n":2}"#]);
    assert_code(&run(&r, &["run", "build", "--drain"]), 0);
    assert_code(&run(&r, &["stage", r#"{"n":"by hand"}"#]), 0);

    // Position 3 was staged by hand: refused, exit 1; position 1 goes back.
    let out = r.run_json(&["send-back", "1", "3", "--note", "redo"]);
    assert_code(&out, 1);
    assert_schema("send-back", &stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["moved"], 1);
    assert_eq!(doc["not_escalated_positions"], serde_json::json!([3]));
    let out = run(&r, &["send-back", "2", "--note", "redo"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("not escalated"), "{}", stderr(&out));

    // Another reviewer's claim: refused without --force, recorded with it.
    let item = br#"{"n":2}"#;
    let _: u64 = redis::cmd("HSET")
        .arg("p:staged:claims")
        .arg(item)
        .arg("99999999999999 bo")
        .query(&mut con(&r))
        .unwrap();
    let out = r.run_json(&["send-back", "--all", "--note", "redo"]);
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(
        doc["claimed"],
        serde_json::json!([{"pos": null, "by": "bo"}])
    );
    assert_eq!(doc["not_escalated"], 1);
    assert_eq!(doc["not_escalated_positions"], serde_json::json!([]));
    let out = r.run_json(&["send-back", "--all", "--note", "redo", "--force"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 1);
    assert_eq!(
        text(&audit(&r, "p:audit").pop().unwrap(), "over_claim_of"),
        "bo"
    );
    // Only the hand-staged item is left: --all finds nothing to send back.
    let out = r.run_json(&["send-back", "--all", "--note", "redo"]);
    assert_code(&out, 3);
    assert_eq!(json(&out)["not_escalated"], 1);
    assert_eq!(r.llen("p:staged"), 1);

    for (args, code) in [
        (&["send-back", "1"][..], 2),
        (&["send-back", "--note", "x"][..], 2),
        (&["send-back", "1", "--note", "   "][..], 2),
        (&["send-back", "1", "--note", "bell\u{7}"][..], 2),
        (&["send-back", "0", "--note", "x"][..], 2),
    ] {
        let out = r.run_json(args);
        assert_code(&out, code);
        assert_schema("error", &stderr(&out));
    }
    let long = "n".repeat(4097);
    assert_code(&r.run_json(&["send-back", "1", "--note", &long]), 2);
    assert_eq!(r.llen("p:staged"), 1);
}

#[test]
fn the_config_refuses_escalation_without_an_output_and_send_back_without_a_route() {
    let r = RedisServer::start();
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .sh("cat")
                .extra("escalate_to = \"review\"")
        })
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());
    let out = r.run_json(&["run", "build"]);
    assert_code(&out, 78);
    assert!(
        stderr(&out).contains("escalate_to needs an output"),
        "{}",
        stderr(&out)
    );

    Pipeline::new("p")
        .stage("build", |s| s.input("p:queue").output("p:staged").sh("cat"))
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());
    let out = r.run_json(&["send-back", "--all", "--note", "x"]);
    assert_code(&out, 78);
    assert!(stderr(&out).contains("escalate_to"), "{}", stderr(&out));
}

#[test]
fn escalation_round_trip_on_a_cluster() {
    let c = RedisCluster::start();
    let dir = c.dir.path().to_path_buf();
    pipeline("{p}", build_stage("{p}").sh(&asking_handler(&dir))).write(&dir);
    c.cli(&["LPUSH", "{p}:queue", "a", "b", "c"]);
    let out = c
        .pipectl()
        .args(["--json", "run", "build", "--drain"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["escalated"], 3);
    assert_eq!(c.lrange("{p}:staged").len(), 3);
    assert_eq!(c.cli(&["XLEN", "{p}:audit"]), "3");
    let cli = |args: &[&str]| {
        let out = c.pipectl().args(args).output().unwrap();
        assert_code(&out, 0);
    };
    cli(&["approve", "1"]);
    cli(&["reject", "1"]);
    cli(&["send-back", "1", "--note", NOTE]);
    assert_eq!(c.lrange("{p}:built"), ["a"]);
    assert_eq!(c.llen("{p}:rejected"), 1);
    assert_eq!(c.lrange("{p}:queue"), ["c"]);
    assert_eq!(c.cli(&["HGET", "{p}:queue:notes", "c"]), NOTE);
    cli(&["run", "build"]);
    let log = std::fs::read_to_string(dir.join("notes.log")).unwrap();
    assert_eq!(log, format!("{NOTE}\n---\n"));
    assert_eq!(c.cli(&["EXISTS", "{p}:queue:notes"]), "0");
    assert_eq!(c.cli(&["XLEN", "{p}:audit"]), "6");

    // A staging list in another slot than the escalating stage's keys is refused.
    Pipeline::new("{p}")
        .with(build_stage("{p}").sh("cat"))
        .stage("review", |s| s.input("{q}:staged").output("{q}:ready"))
        .write(&dir);
    let out = c.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 78);
    assert!(stderr(&out).contains("{q}:staged"), "{}", stderr(&out));
}

#[test]
fn send_back_pages_through_a_long_list_passing_over_what_was_not_escalated() {
    let r = RedisServer::start();
    pipeline("p", build_stage("p").sh("cat")).write(r.dir.path());
    // 2,500 staged items, the even ones escalated by build (as escalate.lua leaves them).
    let items: Vec<Vec<u8>> = (1..=2500)
        .map(|n| format!("{{\"n\":{n}}}").into_bytes())
        .collect();
    let mut pipe = redis::pipe();
    pipe.cmd("LPUSH").arg("p:staged").arg(&items);
    let ask = r#"{"stage":"build","question":"same?"}"#;
    for item in items.iter().skip(1).step_by(2) {
        pipe.cmd("HSET").arg("p:staged:asks").arg(item).arg(ask);
    }
    let _: Vec<redis::Value> = pipe.query(&mut con(&r)).unwrap();
    let n = |item: &[u8]| -> u64 {
        serde_json::from_slice::<Value>(item).unwrap()["n"]
            .as_u64()
            .unwrap()
    };

    let out = r.run_json(&["send-back", "--all", "--limit", "1000", "--note", "x"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        (doc["moved"].as_u64(), doc["not_escalated"].as_u64()),
        (Some(1000), Some(1000))
    );
    let back: Vec<u64> = list(&r, "p:queue").iter().map(|i| n(i)).collect();
    assert_eq!(back, (2..=2000).step_by(2).collect::<Vec<u64>>());

    let out = r.run_json(&["send-back", "--where", "n>=2400", "--note", "y"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 51);
    let out = r.run_json(&["send-back", "--all", "--note", "z"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 199);
    assert_eq!(r.llen("p:queue"), 1250);
    let left: Vec<u64> = list(&r, "p:staged").iter().map(|i| n(i)).collect();
    assert_eq!(left, (1..=2500).step_by(2).collect::<Vec<u64>>());
    assert_eq!(r.cli(&["EXISTS", "p:staged:asks"]), "0");
    assert_eq!(r.cli(&["HLEN", "p:queue:notes"]), "1250");
    assert_eq!(r.cli(&["XLEN", "p:audit"]), "1250");
    let out = r.run_json(&["send-back", "--all", "--note", "z"]);
    assert_code(&out, 3);
}
