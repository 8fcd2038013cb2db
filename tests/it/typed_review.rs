//! Typed results of the review and dead-letter commands (issue 12): every `--json` output,
//! empty or not, against its schema in docs/schema/, and the defects the issue lists for
//! these commands, each with a test that fails on the old behaviour.

use std::process::{Command, Stdio};

use crate::support::*;
use serde_json::{Value, json};

const STAGED: &str = "prospect:staged";
const READY: &str = "prospect:ready";
const FAILED: &str = "prospect:failed";

fn prospect(name: &str) -> String {
    json!({"name": name, "url": format!("{}.com", name.to_lowercase())}).to_string()
}

/// Runs pipectl with stdin and stdout on a pseudo-terminal (util-linux `script`), stderr
/// thrown away so only stdout shows; returns the screen's text and the exit code.
fn on_terminal(r: &RedisServer, args: &[&str], input: &[u8]) -> (String, i32) {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_pipectl"));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    line.push_str(" 2>/dev/null");
    let dir = r.dir.path();
    let mut child = Command::new("script")
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
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("util-linux `script` runs");
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    (
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn stage_and_staged_match_their_schemas() {
    let r = RedisServer::start();
    let out = r.run_json(&["stage", &prospect("Acme"), "plain text"]);
    assert_code(&out, 0);
    assert_schema("stage", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"stage": "review", "queue": STAGED, "staged": 2, "invalid": 0})
    );
    let out = run_with_stdin(
        r.pipectl().args(["--json", "stage", "--skip-invalid"]),
        b"fine\nnul\0byte\n",
    );
    assert_code(&out, 0);
    assert_schema("stage", &stdout(&out));
    assert_eq!(
        (json(&out)["staged"].clone(), json(&out)["invalid"].clone()),
        (json!(1), json!(1))
    );

    r.cli(&["LPUSH", STAGED, "\u{1}\u{2}"]);
    r.cli(&["LPUSH", STAGED, "two\nlines"]);
    let out = r.run_json(&["staged"]);
    assert_code(&out, 0);
    assert_schema("staged", &stdout(&out));
    assert_eq!(stdout(&out).lines().count(), 5);

    r.cli(&["DEL", STAGED]);
    let out = r.run_json(&["staged"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "", "an empty stream is no records");
}

#[test]
fn approve_and_reject_answer_one_shape_empty_or_not() {
    let r = RedisServer::start();
    // Nothing staged: exit 3, the same fields.
    for verb in ["approve", "reject"] {
        let out = r.run_json(&[verb, "--all"]);
        assert_code(&out, 3);
        assert_schema(verb, &stdout(&out));
        assert_eq!(json(&out)["moved"], 0);
    }
    let names = ["Acme", "Bolt", "Cove", "Dune"].map(prospect);
    assert_code(&r.pipectl().arg("stage").args(&names).output().unwrap(), 0);

    let out = r.run_json(&["approve", "1", "9"]);
    assert_code(&out, 0);
    assert_schema("approve", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"stage": "review", "decision": "approved", "from": STAGED, "to": READY,
               "moved": 1, "skipped": 0, "skipped_positions": [], "missing": ["9"],
               "reason": null, "by": "tester", "note": null, "claimed": []})
    );
    let out = r.run_json(&["reject", "1-2", "--reason", "no phone"]);
    assert_code(&out, 0);
    assert_schema("reject", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"stage": "review", "decision": "rejected", "from": STAGED,
               "to": "prospect:rejected", "moved": 2, "skipped": 0,
               "skipped_positions": [], "missing": [], "reason": "no phone",
               "by": "tester", "note": null, "claimed": []})
    );
}

/// Issue 12: "approve/reject use a dynamic approved/rejected key".
#[test]
fn approve_and_reject_have_no_dynamic_key() {
    let r = RedisServer::start();
    let names = ["Acme", "Bolt"].map(prospect);
    assert_code(&r.pipectl().arg("stage").args(&names).output().unwrap(), 0);
    let approved = json(&r.run_json(&["approve", "1"]));
    let rejected = json(&r.run_json(&["reject", "1"]));
    let keys = |d: &Value| d.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&approved), keys(&rejected));
    assert!(approved.get("approved").is_none() && rejected.get("rejected").is_none());
    assert_eq!(
        (&approved["moved"], &rejected["moved"]),
        (&json!(1), &json!(1))
    );
}

/// Issue 12: "--where 'name~' (empty text) matches every item and approves them all".
#[test]
fn an_empty_where_text_is_a_usage_error_not_a_match_all() {
    let r = RedisServer::start();
    let names = ["Acme", "Bolt", "Cove"].map(prospect);
    assert_code(&r.pipectl().arg("stage").args(&names).output().unwrap(), 0);
    for (filter, fix) in [("name~", "name~TEXT"), ("name=", "name=VALUE")] {
        let out = r
            .pipectl()
            .args(["approve", "--where", filter])
            .output()
            .unwrap();
        assert_code(&out, 2);
        assert!(stderr(&out).contains(fix), "{filter}: {}", stderr(&out));
        let out = r.run_json(&["dead", "ls", "--where", filter]);
        assert_code(&out, 2);
        assert_schema("error", &stderr(&out));
    }
    assert_eq!(r.llen(STAGED), 3, "nothing was approved");
    assert_eq!(r.llen(READY), 0);
}

#[test]
fn review_answers_its_summary_at_a_terminal_also_when_nothing_is_staged() {
    let r = RedisServer::start();
    let (screen, code) = on_terminal(&r, &["--json", "review"], b"");
    assert_eq!(code, 3, "{screen}");
    let line = screen.lines().find(|l| l.starts_with('{')).expect(&screen);
    assert_schema("review", line);
    assert_eq!(
        serde_json::from_str::<Value>(line).unwrap(),
        json!({"stage": "review", "queue": STAGED, "approved": 0, "rejected": 0,
               "skipped": 0, "taken": 0, "sent_back": 0, "remaining": 0, "by": "tester"})
    );
    let (screen, code) = on_terminal(&r, &["review"], b"");
    assert_eq!(code, 3);
    assert!(
        screen.contains("nothing staged in prospect:staged"),
        "{screen}"
    );

    let names = ["Acme", "Bolt"].map(prospect);
    assert_code(&r.pipectl().arg("stage").args(&names).output().unwrap(), 0);
    let (screen, code) = on_terminal(&r, &["--json", "review"], b"a\nq\n");
    assert_eq!(code, 0, "{screen}");
    // The session's prompts share the terminal: the summary follows the last one.
    let line = screen
        .lines()
        .find_map(|l| l.find("{\"stage\"").map(|at| &l[at..]))
        .expect(&screen);
    assert_schema("review", line);
    let summary: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        (&summary["approved"], &summary["remaining"]),
        (&json!(1), &json!(1))
    );
}

/// Issue 12 (text): "a plain line … instead of an empty table": nothing staged, nothing dead.
#[test]
fn empty_lists_on_a_terminal_say_so_in_a_plain_line() {
    let r = RedisServer::start();
    let (screen, code) = on_terminal(&r, &["staged"], b"");
    assert_eq!(code, 0);
    assert_eq!(screen.trim(), "nothing staged in prospect:staged");
    let (screen, code) = on_terminal(&r, &["dead", "ls"], b"");
    assert_eq!(code, 0);
    assert_eq!(screen.trim(), "prospect:failed is empty: no dead letters");
    r.cli(&["LPUSH", FAILED, "bare"]);
    let (screen, _) = on_terminal(&r, &["dead", "ls", "--stage", "build"], b"");
    assert_eq!(
        screen.trim(),
        "none of the 1 dead letter in prospect:failed match"
    );
}

/// Dead letters of every kind: made by pipectl, by hand, old-style, not UTF-8.
fn dead_fixture(r: &RedisServer) {
    r.cli(&["LPUSH", "prospect:queue", r#"{"url":"a.com"}"#]);
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue", "--lease", "1m"])
        .output()
        .unwrap();
    let lease = json(&out);
    let token = lease["token"].as_str().unwrap();
    let out = r
        .pipectl()
        .args(["nack", token, "--dead", "--reason", "boom"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    r.cli(&[
        "LPUSH",
        FAILED,
        r#"{"item":{"url":"old.com"},"stage":"outreach","queue":"prospect:ready","error":"bounced","attempts":"3","failed_at":"2001-01-01T00:00:00Z","note":"by hand"}"#,
        "not json",
    ]);
    let bin = Command::new("redis-cli")
        .args([
            "-p",
            r.url().rsplit(':').next().unwrap(),
            "-x",
            "LPUSH",
            FAILED,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"\xff\xfe")?;
            c.wait()
        })
        .unwrap();
    assert!(bin.success());
}

#[test]
fn dead_ls_and_show_match_their_schemas() {
    let r = RedisServer::start();
    let out = r.run_json(&["dead", "ls"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "");
    let out = r.run_json(&["dead", "show", "1"]);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    assert_schema("error", &stderr(&out));

    dead_fixture(&r);
    let out = r.run_json(&["dead", "ls"]);
    assert_code(&out, 0);
    assert_schema("dead-ls", &stdout(&out));
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 4);
    assert_eq!(recs[0]["item_base64"], "//4=");
    assert_eq!(recs[1]["item_text"], "not json");
    // The key acted on is `queue`; where it failed from is `source_queue`.
    assert_eq!(recs[3]["queue"], FAILED);
    assert_eq!(recs[3]["source_queue"], "prospect:queue");
    assert_eq!(recs[3]["stage"], "build");
    assert_eq!(recs[3]["error"], "boom");
    assert_eq!(recs[3]["attempts"], 1);
    let at = recs[3]["failed_at"].as_str().unwrap();
    assert!(
        at.len() == 24 && at.ends_with('Z'),
        "RFC 3339 UTC with ms: {at}"
    );
    // Timestamps in one format whatever the envelope held.
    assert_eq!(recs[2]["failed_at"], "2001-01-01T00:00:00.000Z");
    assert_eq!(recs[2]["attempts"], Value::Null, "\"3\" is not a count");

    for pos in ["1", "2", "3", "4"] {
        let out = r.run_json(&["dead", "show", pos]);
        assert_code(&out, 0);
        assert_schema("dead-show", &stdout(&out));
    }
    let shown = json(&r.run_json(&["dead", "show", "3"]));
    assert_eq!(shown["queue"], FAILED);
    assert!(shown.get("list").is_none());
    assert_eq!(shown["retry_to"], READY);
    assert_eq!(shown["extra"], json!({"attempts": "3", "note": "by hand"}));
    let shown = json(&r.run_json(&["dead", "show", "4"]));
    assert_eq!(shown["extra"], json!({"v": 2}));
}

#[test]
fn dead_retry_and_purge_match_their_schemas_empty_or_not() {
    let r = RedisServer::start();
    let out = r.run_json(&["dead", "retry", "--all"]);
    assert_code(&out, 3);
    assert_schema("dead-retry", &stdout(&out));
    let out = r.run_json(&["dead", "purge", "--all", "--yes"]);
    assert_code(&out, 3);
    assert_schema("dead-purge", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"queue": FAILED, "purged": 0, "kept_newer": 0, "kept_undated": 0, "by": "tester", "export": null})
    );

    dead_fixture(&r);
    let out = r.run_json(&["dead", "retry", "3", "4"]);
    assert_code(&out, 0);
    assert_schema("dead-retry", &stdout(&out));
    assert_eq!(
        json(&out),
        json!({"from": FAILED, "retried": 2,
               "to": [{"queue": "prospect:queue", "count": 1}, {"queue": READY, "count": 1}],
               "gone": 0, "nowhere": 0, "by": "tester"})
    );
    // A bare item with nowhere to go (no stage has an input): exit 1, the same shape.
    Pipeline::unnamed()
        .stage("discover", |s| s.exec(&["true"]).output("prospect:queue"))
        .write(r.dir.path());
    let out = r.run_json(&["dead", "retry", "1"]);
    assert_code(&out, 1);
    assert_schema("dead-retry", &stdout(&out));
    assert_schema("warning", &stderr(&out));
    assert_eq!(json(&out)["nowhere"], 1);
    std::fs::remove_file(r.dir.path().join("pipectl.toml")).unwrap();

    let out = r.run_json(&["dead", "purge", "--older-than", "1d", "--yes"]);
    assert_code(&out, 3);
    assert_schema("dead-purge", &stdout(&out));
    assert_eq!(json(&out)["kept_undated"], 2);
    let out = r.run_json(&["dead", "purge", "--all", "--yes"]);
    assert_code(&out, 0);
    assert_schema("dead-purge", &stdout(&out));
    assert_eq!(json(&out)["purged"], 2);
}

/// Issue 12 (text): "1 stages", "1 attempts", "retr(ies)": counts read as English.
#[test]
fn dead_letter_counts_read_as_english() {
    let r = RedisServer::start();
    r.cli(&[
        "LPUSH",
        FAILED,
        r#"{"item":1,"stage":null,"queue":"q","error":"x","attempts":1,"failed_at":"2001-01-01T00:00:00Z"}"#,
        "bare",
    ]);
    let out = r.pipectl().args(["dead", "retry", "2"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "retried 1 dead letter: 1 to q\n");
    r.cli(&[
        "LPUSH",
        FAILED,
        r#"{"item":2,"error":"x","failed_at":"2001-01-01T00:00:00Z"}"#,
    ]);
    let out = r
        .pipectl()
        .args(["dead", "purge", "--older-than", "1d", "--yes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "purged 1 dead letter from prospect:failed\n");
    assert!(
        stderr(&out).contains("kept 1 entry without a failed_at date"),
        "{}",
        stderr(&out)
    );
    let out = r
        .pipectl()
        .args(["dead", "purge", "--all", "--yes"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "purged 1 dead letter from prospect:failed\n");
}
