//! The review desk: reviewer claims, decisions on record in the audit stream, a manual
//! stage's rules applied by `pipectl run` (auto-approve with a sample, max_wait), and the
//! bookkeeping `staged` and `status` show. Real redis-server, real tmux for the sessions.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::review::{Tmux, pipectl_in_terminal};
use crate::support::*;

const STAGED: &str = "prospect:staged";
const READY: &str = "prospect:ready";
const REJECTED: &str = "prospect:rejected";
const AUDIT: &str = "prospect:audit";

fn prospect(name: &str) -> String {
    json!({"name": name, "url": format!("{}.example", name.to_lowercase())}).to_string()
}

fn stage(r: &RedisServer, items: &[String]) {
    let out = r.pipectl().arg("stage").args(items).output().unwrap();
    assert_code(&out, 0);
}

fn con(r: &RedisServer) -> redis::Connection {
    redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// One audit record: its fields, values as bytes.
type Record = Vec<(String, Vec<u8>)>;

fn audit(r: &RedisServer) -> Vec<Record> {
    redis::cmd("XRANGE")
        .arg(AUDIT)
        .arg("-")
        .arg("+")
        .query::<Vec<(String, Vec<Vec<u8>>)>>(&mut con(r))
        .unwrap()
        .into_iter()
        .map(|(_, flat)| {
            flat.chunks(2)
                .map(|kv| (String::from_utf8_lossy(&kv[0]).into_owned(), kv[1].clone()))
                .collect()
        })
        .collect()
}

fn field<'a>(record: &'a Record, name: &str) -> Option<&'a [u8]> {
    record
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_slice())
}

fn text(record: &Record, name: &str) -> String {
    String::from_utf8_lossy(field(record, name).unwrap_or_default()).into_owned()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn manual_stage(r: &RedisServer, rules: &[&str], pipeline: &[&str]) {
    let mut p = Pipeline::unnamed();
    for line in pipeline {
        p = p.extra(line);
    }
    p.stage("review", |s| {
        let mut s = s.input(STAGED).output(READY);
        for line in rules {
            s = s.extra(line);
        }
        s
    })
    .stage("outreach", |s| s.input(READY).exec(&["cat"]))
    .write(r.dir.path());
}

#[test]
fn decisions_are_on_record_with_who_why_and_the_exact_bytes() {
    let r = RedisServer::start();
    let odd: &[u8] = b"\xff\xfe not utf-8\nsecond line";
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    r.cli(&["LPUSH", STAGED, "plain text"]);
    let mut c = con(&r);
    let _: i64 = redis::cmd("LPUSH")
        .arg(STAGED)
        .arg(odd)
        .query(&mut c)
        .unwrap();

    let out = r
        .pipectl()
        .args(["approve", "1", "--by", "ann", "--note", "looks right"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = r.run_json(&["reject", "1", "--reason", "no phone"]);
    assert_code(&doc, 0);
    assert_eq!(
        json(&doc)["by"],
        "tester",
        "PIPECTL_REVIEWER is the default"
    );
    // The exact bytes of a non-UTF-8 item, through reject too.
    let out = r.pipectl().args(["reject", "--all"]).output().unwrap();
    assert_code(&out, 0);

    let records = audit(&r);
    assert_eq!(records.len(), 4, "one record per decided item");
    let (a, b) = (&records[0], &records[1]);
    assert_eq!(
        (text(a, "action"), text(a, "stage"), text(a, "by")),
        ("approve".into(), "review".into(), "ann".into())
    );
    assert_eq!(text(a, "note"), "looks right");
    assert_eq!(text(a, "to"), READY);
    assert_eq!(field(a, "item"), Some(prospect("Acme").as_bytes()));
    assert_eq!(text(a, "sha256"), sha256(prospect("Acme").as_bytes()));
    assert_eq!(
        (text(b, "action"), text(b, "by"), text(b, "reason")),
        ("reject".into(), "tester".into(), "no phone".into())
    );
    assert!(field(b, "note").is_none(), "no note given, none recorded");
    let items: HashSet<Vec<u8>> = records[2..]
        .iter()
        .map(|r| field(r, "item").unwrap().to_vec())
        .collect();
    assert!(items.contains(odd) && items.contains(b"plain text".as_slice()));
    for record in &records {
        assert_eq!(
            text(record, "sha256"),
            sha256(field(record, "item").unwrap())
        );
    }
}

#[test]
fn a_claimed_item_refuses_another_reviewers_decision_unless_forced() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    // Ann's session shows (and claims) the first item.
    let command = pipectl_in_terminal(&r, &[("PIPECTL_REVIEWER", "ann")], &["review"]);
    let Some(t) = Tmux::start(r.dir.path(), 120, 40, &command) else {
        return;
    };
    t.wait_for("the first item", |s| s.contains("[q]uit >"));

    let staged = json_lines(&r.run_json(&["staged"]));
    assert_eq!(staged[0]["claimed_by"], "ann", "{staged:?}");
    assert!(staged[0]["claimed_until"].is_string());
    assert!(staged[1]["claimed_by"].is_null());

    let out = r.run_json(&["approve", "1", "--by", "bo"]);
    assert_code(&out, 1);
    assert_schema("approve", &stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["moved"], 0);
    assert_eq!(doc["claimed"], json!([{"pos": 1, "by": "ann"}]));
    assert_eq!(r.llen(STAGED), 2, "nothing moved");
    assert!(audit(&r).is_empty(), "a refusal is not a decision");
    // Unclaimed items are decided as usual, beside the refused one.
    let out = r.run_json(&["reject", "--all", "--by", "bo"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["moved"], 1);

    let out = r.run_json(&["approve", "1", "--by", "bo", "--force"]);
    assert_code(&out, 0);
    let records = audit(&r);
    assert_eq!(text(records.last().unwrap(), "over_claim_of"), "ann");
    t.type_line("q");
    t.wait_for("the end", |s| s.contains("[exit "));
}

#[test]
fn two_review_sessions_are_never_shown_the_same_item() {
    let r = RedisServer::start();
    let names: Vec<String> = (0..6).map(|i| prospect(&format!("P{i}"))).collect();
    stage(&r, &names);
    let ann = pipectl_in_terminal(&r, &[("PIPECTL_REVIEWER", "ann")], &["review"]);
    let bo = pipectl_in_terminal(&r, &[("PIPECTL_REVIEWER", "bo")], &["review"]);
    let Some(a) = Tmux::start(r.dir.path(), 120, 50, &ann) else {
        return;
    };
    let Some(b) = Tmux::start(r.dir.path(), 120, 50, &bo) else {
        return;
    };
    let shown = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .filter_map(|l| l.trim().strip_prefix("name"))
            .map(|v| v.trim().to_owned())
            .collect()
    };
    let prompts = |n: usize| move |s: &str| s.matches("[q]uit >").count() >= n;
    let mut seen_a: Vec<String> = Vec::new();
    let mut seen_b: Vec<String> = Vec::new();
    // Each decides three items at the same time: ann approves, bo rejects.
    for round in 1..=3 {
        let sa = a.wait_for("ann's item", prompts(round));
        let sb = b.wait_for("bo's item", prompts(round));
        let (na, nb) = (shown(&sa), shown(&sb));
        let (ca, cb) = (na.last().unwrap().clone(), nb.last().unwrap().clone());
        assert_ne!(ca, cb, "both were shown {ca}\nann:\n{sa}\nbo:\n{sb}");
        seen_a.push(ca);
        seen_b.push(cb);
        a.type_line("a");
        b.type_line("r");
        b.wait_for("the reason prompt", |s| {
            s.matches("Reason (optional").count() >= round
        });
        b.type_line("");
    }
    for (who, t) in [("ann", &a), ("bo", &b)] {
        t.type_line("q");
        let screen = t.wait_for("the summary", |s| s.contains("[exit "));
        assert!(screen.contains("[exit 0]"), "{who}: {screen}");
    }
    let a_set: HashSet<&String> = seen_a.iter().collect();
    assert!(
        seen_b.iter().all(|n| !a_set.contains(n)),
        "ann {seen_a:?}, bo {seen_b:?}"
    );
    assert_eq!(r.llen(READY), 3);
    assert_eq!(r.llen(REJECTED), 3);
    // Quitting lets go of the claim on the item shown: nothing is left claimed.
    assert_eq!(r.cli(&["HLEN", "prospect:staged:claims"]), "0");
}

#[test]
fn a_claim_ends_when_it_expires() {
    let r = RedisServer::start();
    manual_stage(&r, &[], &["claim_ttl = \"1s\""]);
    stage(&r, &[prospect("Acme")]);
    // A claim as the session writes it, held by someone who walked away.
    let out = r
        .pipectl()
        .args(["approve", "1", "--by", "bo"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    stage(&r, &[prospect("Bolt")]);
    let deadline = redis::cmd("TIME")
        .query::<(u64, u64)>(&mut con(&r))
        .map(|(s, _)| s * 1000 + 1000)
        .unwrap();
    r.cli(&[
        "HSET",
        "prospect:staged:claims",
        &prospect("Bolt"),
        &format!("{deadline} ann"),
    ]);
    let out = r.run_json(&["approve", "1", "--by", "bo"]);
    assert_code(&out, 1);
    let start = Instant::now();
    loop {
        let out = r.run_json(&["approve", "1", "--by", "bo"]);
        if out.status.code() == Some(0) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the claim never expired"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(r.llen(READY), 2);
}

#[test]
fn a_kill_between_steps_leaves_each_decision_with_its_record_or_neither() {
    let r = RedisServer::start();
    let items: Vec<String> = (0..20_000).map(|i| format!("{{\"n\":{i}}}")).collect();
    let mut c = con(&r);
    for chunk in items.chunks(1000) {
        let _: i64 = redis::cmd("LPUSH")
            .arg(STAGED)
            .arg(chunk)
            .query(&mut c)
            .unwrap();
    }
    for (round, delay_ms) in [30u64, 80, 150].into_iter().enumerate() {
        let mut child = r
            .pipectl()
            .args(["approve", "--all"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().ok();
        child.wait().ok();
        let ready = r.llen(READY);
        let records = audit(&r).len();
        assert_eq!(
            ready, records,
            "round {round}: {ready} approved, {records} records"
        );
        assert_eq!(
            ready + r.llen(STAGED),
            20_000,
            "round {round}: an item lost"
        );
    }
}

#[test]
fn staged_shows_how_long_items_waited_and_status_and_doctor_flag_the_overdue() {
    let r = RedisServer::start();
    manual_stage(&r, &["max_wait = \"1h\""], &[]);
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    r.cli(&["LPUSH", STAGED, "by hand"]);
    // Acme arrived two hours ago.
    r.cli(&[
        "ZADD",
        "prospect:staged:since",
        "XX",
        "1",
        &prospect("Acme"),
    ]);
    let recs = json_lines(&r.run_json(&["staged"]));
    for rec in &recs {
        assert_schema("staged", &rec.to_string());
    }
    assert_eq!(recs[0]["overdue"], true);
    assert!(recs[0]["waiting_ms"].as_u64().unwrap() > 3_600_000);
    assert_eq!(recs[1]["overdue"], false);
    assert!(recs[1]["staged_at"].is_string());
    assert!(recs[2]["staged_at"].is_null(), "pushed by hand: unknown");

    let status = json(&r.run_json(&["status"]));
    let review = &status["stages"][0];
    assert_eq!(review["overdue"], 1);
    assert!(review["oldest_staged_ms"].as_u64().unwrap() > 3_600_000);
    let out = r.pipectl().arg("doctor").output().unwrap();
    assert!(
        stdout(&out).contains("1 staged item in stage 'review' waited longer than its max_wait"),
        "{}",
        stdout(&out)
    );

    // run flags it once, on record, and gives the hand-pushed item an arrival.
    let doc = json(&r.run_json(&["run", "review"]));
    assert_eq!(
        (
            &doc["timed_out_flagged"],
            &doc["arrivals_recorded"],
            &doc["left"]
        ),
        (&json!(1), &json!(1), &json!(2))
    );
    let doc = json(&r.run_json(&["run", "review"]));
    assert_eq!(doc["timed_out_flagged"], 0, "flagged once");
    let records = audit(&r);
    assert_eq!(records.len(), 1);
    assert_eq!(text(&records[0], "action"), "timeout_flag");
    assert_eq!(text(&records[0], "by"), "policy:review");
    assert_eq!(r.llen(STAGED), 3, "a flag decides nothing");
}

#[test]
fn max_wait_rejects_or_approves_on_timeout() {
    for (on_timeout, to, action) in [
        ("reject", REJECTED, "timeout_reject"),
        ("approve", READY, "timeout_approve"),
    ] {
        let r = RedisServer::start();
        let rule = format!("on_timeout = \"{on_timeout}\"");
        manual_stage(&r, &["max_wait = \"1h\"", &rule], &[]);
        stage(&r, &[prospect("Acme"), prospect("Bolt")]);
        r.cli(&[
            "ZADD",
            "prospect:staged:since",
            "XX",
            "1",
            &prospect("Acme"),
        ]);
        let out = r.run_json(&["run", "review"]);
        assert_code(&out, 0);
        assert_schema("run-review", &stdout(&out));
        assert_eq!(r.llen(to), 1, "{on_timeout}");
        assert_eq!(
            r.cli_lines(&["LRANGE", STAGED, "0", "-1"]),
            [prospect("Bolt")]
        );
        let records = audit(&r);
        assert_eq!(records.len(), 1);
        assert_eq!(text(&records[0], "action"), action);
        assert_eq!(
            field(&records[0], "item"),
            Some(prospect("Acme").as_bytes())
        );
        if on_timeout == "reject" {
            let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
            assert_eq!(envelope["reason"], "waited longer than max_wait (1h)");
        }
    }
}

#[test]
fn auto_approve_leaves_a_sample_for_a_person_and_racing_runs_approve_nothing_twice() {
    let r = RedisServer::start();
    manual_stage(
        &r,
        &["auto_approve = { where = [\"score>=0.8\"], sample = 0.1 }"],
        &[],
    );
    let mut input = String::new();
    for i in 0..1000 {
        input.push_str(&format!("{{\"n\":{i},\"score\":0.9}}\n"));
    }
    for i in 0..50 {
        input.push_str(&format!("{{\"n\":{},\"score\":0.5}}\n", 1000 + i));
    }
    let out = run_with_stdin(r.pipectl().arg("stage"), input.as_bytes());
    assert_code(&out, 0);
    let runs: Vec<std::process::Child> = (0..2)
        .map(|_| {
            r.pipectl()
                .args(["--json", "run", "review"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let docs: Vec<Value> = runs
        .into_iter()
        .map(|c| serde_json::from_slice(&c.wait_with_output().unwrap().stdout).unwrap())
        .collect();
    let approved: u64 = docs
        .iter()
        .map(|d| d["auto_approved"].as_u64().unwrap())
        .sum();
    let sampled: u64 = docs.iter().map(|d| d["sampled"].as_u64().unwrap()).sum();
    assert_eq!(approved + sampled, 1000, "{docs:?}");
    assert!((820..=980).contains(&approved), "{approved} approved");
    let ready = r.cli_lines(&["LRANGE", READY, "0", "-1"]);
    let distinct: HashSet<&String> = ready.iter().collect();
    assert_eq!(ready.len() as u64, approved);
    assert_eq!(distinct.len(), ready.len(), "an item approved twice");
    assert_eq!(r.llen(STAGED) as u64, sampled + 50);
    assert_eq!(
        r.cli(&["SCARD", "prospect:staged:sampled"]),
        sampled.to_string()
    );
    let records = audit(&r);
    let by_action = |a: &str| records.iter().filter(|r| text(r, "action") == a).count() as u64;
    assert_eq!(by_action("auto_approve"), approved);
    assert_eq!(by_action("sample"), sampled);
    assert!(records.iter().all(|r| text(r, "by") == "policy:review"));
    assert_eq!(text(&records[0], "policy"), "where score>=0.8; sample 0.1");
    // Sampled items stay for a person: a second run leaves them.
    let doc = json(&r.run_json(&["run", "review"]));
    assert_eq!(
        (&doc["auto_approved"], &doc["sampled"]),
        (&json!(0), &json!(0))
    );
    let recs = json_lines(&r.run_json(&["staged"]));
    assert_eq!(
        recs.iter().filter(|r| r["sampled"] == true).count() as u64,
        sampled
    );
    // A person approving a sampled item is on record like any decision.
    let pos = recs.iter().position(|r| r["sampled"] == true).unwrap() + 1;
    let out = r.run_json(&["approve", &pos.to_string(), "--by", "ann"]);
    assert_code(&out, 0);
    assert_eq!(
        r.cli(&["SCARD", "prospect:staged:sampled"]),
        (sampled - 1).to_string()
    );
}

#[test]
fn run_on_a_manual_stage_without_rules_is_still_a_usage_error() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme")]);
    let out = r.run_json(&["run", "review"]);
    assert_code(&out, 2);
    assert_schema("error", &stderr(&out));
    assert!(stderr(&out).contains("auto_approve"), "{}", stderr(&out));
}

#[test]
fn the_desk_works_on_a_redis_cluster() {
    let c = crate::support::cluster::RedisCluster::start();
    let dir = c.dir.path();
    Pipeline::new("{p}")
        .stage("review", |s| {
            s.input("{p}:staged")
                .output("{p}:ready")
                .extra("auto_approve = { where = [\"ok=true\"], sample = 0.0 }")
        })
        .write(dir);
    let run = |args: &[&str]| c.pipectl().args(args).output().unwrap();
    let out = run(&[
        "stage",
        "{\"ok\":true}",
        "{\"ok\":false}",
        "{\"ok\":false,\"n\":2}",
    ]);
    assert_code(&out, 0);
    let out = run(&["--json", "run", "review"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["auto_approved"], 1);
    let out = run(&["approve", "1", "--by", "ann"]);
    assert_code(&out, 0);
    let out = run(&["reject", "1", "--note", "dup"]);
    assert_code(&out, 0);
    assert_eq!(c.cli(&["XLEN", "{p}:audit"]), "3");
    assert_eq!(c.cli(&["LLEN", "{p}:ready"]), "2");
    let out = run(&["--json", "staged"]);
    assert_code(&out, 0);
}

#[test]
fn approve_all_passes_over_claimed_items_and_looks_at_the_whole_list() {
    let r = RedisServer::start();
    let items: Vec<String> = (0..1500).map(|i| format!("{{\"n\":{i}}}")).collect();
    let mut c = con(&r);
    let _: i64 = redis::cmd("LPUSH")
        .arg(STAGED)
        .arg(&items)
        .query(&mut c)
        .unwrap();
    r.cli(&[
        "HSET",
        "prospect:staged:claims",
        &items[0],
        "99999999999999 ann",
    ]);
    let out = r.run_json(&["approve", "--all", "--by", "bo"]);
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(doc["moved"], 1499);
    assert_eq!(doc["claimed"], json!([{"pos": null, "by": "ann"}]));
    assert_eq!(
        r.cli_lines(&["LRANGE", STAGED, "0", "-1"]),
        [items[0].clone()]
    );
}

#[test]
fn review_shows_an_escalated_items_question_and_sends_it_back_with_a_note() {
    let r = RedisServer::start();
    Pipeline::unnamed()
        .stage("build", |s| {
            s.input("prospect:queue")
                .output(STAGED)
                .exec(&["cat"])
                .extra("escalate_to = \"review\"")
        })
        .stage("review", |s| s.input(STAGED).output(READY))
        .write(r.dir.path());
    stage(&r, &[prospect("Acme")]);
    r.cli(&[
        "HSET",
        "prospect:staged:asks",
        &prospect("Acme"),
        r#"{"stage":"build","question":"Same business as acme-auto.com?"}"#,
    ]);
    let command = pipectl_in_terminal(&r, &[], &["review"]);
    let Some(t) = Tmux::start(r.dir.path(), 120, 40, &command) else {
        return;
    };
    let screen = t.wait_for("the item", |s| s.contains("[q]uit >"));
    assert!(
        screen.contains("build asks: Same business as acme-auto.com?"),
        "{screen}"
    );
    assert!(screen.contains("[b]ack to its stage"), "{screen}");
    t.type_line("b");
    t.wait_for("the note prompt", |s| s.contains("Note for the handler"));
    t.type_line("different owner, build it");
    let screen = t.wait_for("the outcome", |s| s.contains("sent back to"));
    assert!(screen.contains("sent back to prospect:queue"), "{screen}");
    t.type_line("q");
    t.wait_for("the end", |s| s.contains("[exit "));
    assert_eq!(
        r.cli_lines(&["LRANGE", "prospect:queue", "0", "-1"]),
        [prospect("Acme")]
    );
    assert_eq!(
        r.cli(&["HGET", "prospect:queue:notes", &prospect("Acme")]),
        "different owner, build it"
    );
    let last = audit(&r).pop().unwrap();
    assert_eq!(text(&last, "action"), "send_back");
    assert_eq!(text(&last, "note"), "different owner, build it");
}
