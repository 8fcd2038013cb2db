//! Staging and review (`stage`, `staged`, `approve`, `reject`, `review`) against a real
//! redis-server; the interactive parts through a real pseudo-terminal (tmux).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::{Value, json};

const STAGED: &str = "prospect:staged";
const READY: &str = "prospect:ready";
const REJECTED: &str = "prospect:rejected";

/// Staged items in position order: position 1 (the consumer end) first.
fn staged(r: &RedisServer) -> Vec<String> {
    let mut items = r.cli_lines(&["LRANGE", STAGED, "0", "-1"]);
    items.reverse();
    items
}

fn prospect(name: &str) -> String {
    json!({"name": name, "url": format!("{}.com", name.to_lowercase()), "phone": "555-0100"})
        .to_string()
}

/// Stages items with the real binary (as a script would) and checks it worked.
fn stage(r: &RedisServer, items: &[String]) {
    let out = r.pipectl().arg("stage").args(items).output().unwrap();
    assert_code(&out, 0);
}

#[test]
fn stage_pushes_arguments_and_ndjson_into_the_staging_list() {
    let r = RedisServer::start();
    let out = r
        .pipectl()
        .args(["stage", &prospect("Acme"), &prospect("Bolt")])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "staged 2 items to prospect:staged for review\n"
    );
    // Like enqueue: LPUSH, so the first item given is the next in line (position 1).
    assert_eq!(staged(&r), [prospect("Acme"), prospect("Bolt")]);

    let ndjson = format!("{}\n\n{}\r\n", prospect("Cove"), prospect("Dune"));
    let out = run_with_stdin(r.pipectl().args(["--json", "stage"]), ndjson.as_bytes());
    assert_code(&out, 0);
    assert_eq!(
        json(&out),
        json!({"stage": "review", "queue": STAGED, "staged": 2, "invalid": 0})
    );
    assert_eq!(r.llen(STAGED), 4);
    assert_eq!(staged(&r)[3], prospect("Dune"));

    // Validated as a batch, as enqueue does: one bad line and nothing is staged.
    let out = run_with_stdin(r.pipectl().arg("stage"), b"fine\nnul\0byte\nalso fine\n");
    assert_code(&out, 65);
    let err = stderr(&out);
    assert!(
        err.contains("line 2: contains a NUL byte") && err.contains("nothing was staged"),
        "{err}"
    );
    assert!(err.contains("--skip-invalid to stage"), "{err}");
    assert_eq!(r.llen(STAGED), 4);
    let out = run_with_stdin(
        r.pipectl().args(["stage", "--skip-invalid"]),
        b"fine\nnul\0byte\nalso fine\n",
    );
    assert_code(&out, 0);
    assert!(stderr(&out).contains("skipped line 2"), "{}", stderr(&out));
    assert_eq!(r.llen(STAGED), 6);

    // --file, and the item size limit.
    let file = write_file(
        r.dir.path(),
        "previews.ndjson",
        &format!("{}\n", prospect("Echo")),
    );
    let out = r
        .pipectl()
        .args(["stage", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["stage", "--max-item-bytes", "10", "this one is too long"])
        .output()
        .unwrap();
    assert_code(&out, 65);
    assert_eq!(r.llen(STAGED), 7);
}

#[test]
fn the_manual_stage_comes_from_the_config() {
    let r = RedisServer::start();
    // No manual stage: a configuration error that says how to add one.
    Pipeline::unnamed()
        .stage("build", |s| s.input("jobs").exec(&["true"]))
        .write(r.dir.path());
    for args in [
        vec!["stage", "x"],
        vec!["staged"],
        vec!["approve", "1"],
        vec!["reject", "--all"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 78);
        let err = stderr(&out);
        assert!(err.contains("no manual stage"), "{args:?}: {err}");
        assert!(err.contains("[stages.review]"), "{args:?}: {err}");
    }

    // Two manual stages: --stage picks one; without it, a usage error naming both.
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("jobs").output("p:staged").exec(&["true"])
        })
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .stage("qa", |s| s.input("p:qa").output("p:shipped"))
        .write(r.dir.path());
    let out = r.pipectl().args(["stage", "x"]).output().unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("several manual stages (review, qa)")
            && stderr(&out).contains("--stage"),
        "{}",
        stderr(&out)
    );
    let out = r
        .pipectl()
        .args(["stage", "--stage", "qa", "x", "y"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen("p:qa"), 2);
    let out = r
        .pipectl()
        .args(["--json", "reject", "--stage", "qa", "2", "--reason", "nope"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["to"], "p:rejected");
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:rejected", "0"])).unwrap();
    assert_eq!(
        (&envelope["item_text"], &envelope["stage"]),
        (&json!("y"), &json!("qa"))
    );
    let out = r
        .pipectl()
        .args(["approve", "--stage", "qa", "1"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli_lines(&["LRANGE", "p:shipped", "0", "-1"]), ["x"]);

    for (stage, says) in [("build", "not a manual stage"), ("nope", "no stage 'nope'")] {
        let out = r
            .pipectl()
            .args(["staged", "--stage", stage])
            .output()
            .unwrap();
        assert_code(&out, 2);
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
        assert!(stderr(&out).contains("review, qa"), "{}", stderr(&out));
    }
}

#[test]
fn staged_lists_raw_lines_in_a_pipe_and_ndjson_with_json() {
    let r = RedisServer::start();
    stage(
        &r,
        &[prospect("Acme"), "not json at all".into(), prospect("Cove")],
    );
    // A hand-pushed item joins at the producer end, last in line.
    r.cli(&["LPUSH", STAGED, "{\"broken\": json"]);

    let out = r.pipectl().arg("staged").output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        format!(
            "{}\nnot json at all\n{}\n{{\"broken\": json\n",
            prospect("Acme"),
            prospect("Cove")
        )
    );

    let out = r.pipectl().args(["--json", "staged"]).output().unwrap();
    assert_code(&out, 0);
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 4);
    assert_eq!(recs[0]["pos"], 1);
    assert_eq!(recs[0]["item"]["name"], "Acme");
    assert_eq!(
        (&recs[1]["pos"], &recs[1]["item_text"]),
        (&json!(2), &json!("not json at all"))
    );
    assert_eq!(
        (&recs[3]["pos"], &recs[3]["item_text"]),
        (&json!(4), &json!("{\"broken\": json"))
    );
    assert!(recs[1].get("item").is_none() && recs[1]["claimed_by"].is_null());

    let out = r
        .pipectl()
        .args(["--json", "staged", "--offset", "1", "--limit", "2"])
        .output()
        .unwrap();
    let recs = json_lines(&out);
    assert_eq!(
        recs.iter()
            .map(|r| r["pos"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2, 3]
    );
    // Listing never takes anything.
    assert_eq!(r.llen(STAGED), 4);
}

#[test]
fn approve_and_reject_by_position() {
    let r = RedisServer::start();
    let names = ["Acme", "Bolt", "Cove", "Dune", "Echo", "Fern"];
    stage(&r, &names.map(prospect));

    let out = r
        .pipectl()
        .args(["--json", "approve", "1", "3"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        json(&out),
        json!({"stage": "review", "decision": "approved", "from": STAGED, "to": READY,
               "moved": 2, "skipped": 0, "skipped_positions": [], "missing": [],
               "reason": null, "by": "tester", "note": null, "claimed": []})
    );
    // LPUSH onto the output queue: the first approved is the next outreach takes.
    let mut ready = r.cli_lines(&["LRANGE", READY, "0", "-1"]);
    ready.reverse();
    assert_eq!(ready, [prospect("Acme"), prospect("Cove")]);
    assert_eq!(
        staged(&r),
        [
            prospect("Bolt"),
            prospect("Dune"),
            prospect("Echo"),
            prospect("Fern")
        ]
    );

    // Positions are counted afresh: Dune is now position 2.
    let out = r
        .pipectl()
        .args(["reject", "2", "--reason", "site is already modern"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "rejected 1 item: prospect:staged → prospect:rejected\n"
    );
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
    assert_eq!(
        envelope["item"],
        serde_json::from_str::<Value>(&prospect("Dune")).unwrap()
    );
    assert_eq!(envelope["stage"], "review");
    assert_eq!(envelope["reason"], "site is already modern");
    let at = envelope["rejected_at"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.len() >= 20, "{at}");
    assert_eq!(envelope["v"], 2);
    assert_eq!(envelope.as_object().unwrap().len(), 5, "{envelope}");

    // Without --reason the reason is null; ranges work; positions past the end are named.
    let out = r
        .pipectl()
        .args(["--json", "reject", "1-2", "7", "9-12"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let d = json(&out);
    assert_eq!(
        (d["moved"].as_u64(), d["skipped"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(d["missing"], json!(["7", "9-12"]));
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
    assert_eq!(envelope["reason"], Value::Null);
    assert_eq!(r.llen(REJECTED), 3, "never silently deleted");
    assert_eq!(staged(&r), [prospect("Fern")]);

    let out = r.pipectl().args(["approve", "1", "4"]).output().unwrap();
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("no staged item at position 4"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen(STAGED), 0);
    assert_eq!(r.llen(READY), 3);
}

#[test]
fn nothing_matched_exits_3_and_bad_selectors_exit_2() {
    let r = RedisServer::start();
    for args in [
        vec!["approve", "--all"],
        vec!["reject", "1"],
        vec!["approve", "--where", "a=b"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 3);
        assert!(stderr(&out).contains("nothing matched"), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
    let out = r
        .pipectl()
        .args(["--json", "approve", "--all"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(json(&out)["moved"], 0);

    stage(&r, &[prospect("Acme")]);
    for args in [
        vec!["approve"],
        vec!["approve", "0"],
        vec!["approve", "x"],
        vec!["approve", "3-1"],
        vec!["approve", "-1"],
        vec!["approve", "1", "--all"],
        vec!["reject", "--where", "novalue"],
        vec!["reject", "--where", "=x"],
        vec!["approve", "--all", "--limit", "0"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 2);
        assert!(!stderr(&out).is_empty(), "{args:?}");
    }
    let out = r.pipectl().arg("approve").output().unwrap();
    assert!(
        stderr(&out).contains("--where FIELD=VALUE, or --all"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen(STAGED), 1, "bad selectors move nothing");
    assert_eq!(r.llen(READY), 0);
}

#[test]
fn where_filters_by_dotted_fields_and_limit_caps() {
    let r = RedisServer::start();
    let items: Vec<String> = [
        json!({"name": "Acme", "site": {"city": "Austin"}, "score": 5, "ok": true}),
        json!({"name": "Bolt", "site": {"city": "Boston"}, "score": 5, "ok": true}),
        json!({"name": "Cove", "site": {"city": "Austin"}, "score": 3, "ok": false}),
        json!({"name": "Dune", "site": {"city": "Austin"}, "score": 5, "ok": true}),
        json!({"name": "Echo", "site": {"city": "Austin"}, "score": 5}),
    ]
    .iter()
    .map(Value::to_string)
    .collect();
    stage(&r, &items);
    r.cli(&["LPUSH", STAGED, "Austin but not JSON"]);

    let out = r
        .pipectl()
        .args([
            "--json",
            "approve",
            "--where",
            "site.city=Austin",
            "--where",
            "score=5",
            "--where",
            "ok=true",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 2);
    let ready: HashSet<String> = r
        .cli_lines(&["LRANGE", READY, "0", "-1"])
        .into_iter()
        .collect();
    assert_eq!(ready, HashSet::from([items[0].clone(), items[3].clone()]));

    // --limit: the first matches in line, no more.
    let out = r
        .pipectl()
        .args([
            "--json",
            "reject",
            "--where",
            "site.city=Austin",
            "--limit",
            "1",
            "--reason",
            "r",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 1);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
    assert_eq!(envelope["item"]["name"], "Cove");

    // Positions and --where together: the positions that match.
    let out = r
        .pipectl()
        .args(["--json", "approve", "1", "2", "3", "--where", "name=Echo"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 1);
    assert_eq!(
        staged(&r),
        [items[1].clone(), "Austin but not JSON".to_owned()]
    );

    // No match: exit 3, nothing moved. The non-JSON item never matches a filter.
    let out = r
        .pipectl()
        .args(["approve", "--where", "name=Nobody"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(r.llen(STAGED), 2);

    // FIELD~TEXT: contains, as `pipectl dead` takes it.
    let out = r
        .pipectl()
        .args(["--json", "approve", "--where", "name~ol"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 1);
    assert_eq!(staged(&r), ["Austin but not JSON"]);
}

#[test]
fn hand_pushed_non_json_items_never_crash_anything() {
    let r = RedisServer::start();
    r.cli(&[
        "LPUSH",
        STAGED,
        "plain text",
        "[1,2,3]",
        "\"a json string\"",
        "{\"half\":",
    ]);
    let out = r.pipectl().args(["--json", "staged"]).output().unwrap();
    assert_code(&out, 0);
    let recs = json_lines(&out);
    assert_eq!(recs[0]["item_text"], "plain text");
    assert_eq!(recs[1]["item"], json!([1, 2, 3]));
    assert_eq!(recs[2]["item"], "a json string");
    assert_eq!(recs[3]["item_text"], "{\"half\":");

    let out = r
        .pipectl()
        .args(["reject", "1", "--reason", "junk"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
    assert_eq!(envelope["item_text"], "plain text");
    let out = r.pipectl().args(["approve", "3"]).output().unwrap();
    assert_code(&out, 0);
    // Approved items travel as the exact bytes that were staged.
    assert_eq!(r.cli(&["LINDEX", READY, "0"]), "{\"half\":");
    let out = r
        .pipectl()
        .args(["approve", "--where", "a=b"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    let out = r.pipectl().args(["approve", "--all"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen(STAGED), 0);
    assert_eq!(r.llen(READY), 3);
}

#[test]
fn all_and_where_page_through_a_long_list_in_order() {
    let r = RedisServer::start();
    let lines: String = (0..5000)
        .map(|i| format!("{{\"n\":{i},\"keep\":{}}}\n", i % 3 == 0))
        .collect();
    assert_code(
        &run_with_stdin(r.pipectl().arg("stage"), lines.as_bytes()),
        0,
    );

    // Every third item, spread over five pages: the others stay, in their order.
    let out = r
        .pipectl()
        .args(["--json", "approve", "--where", "keep=true"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 1667);
    let left: Vec<u64> = staged(&r)
        .iter()
        .map(|s| {
            serde_json::from_str::<Value>(s).unwrap()["n"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let expected: Vec<u64> = (0..5000).filter(|i| i % 3 != 0).collect();
    assert_eq!(left, expected);
    let mut approved: Vec<u64> = r
        .cli_lines(&["LRANGE", READY, "0", "-1"])
        .iter()
        .map(|s| {
            serde_json::from_str::<Value>(s).unwrap()["n"]
                .as_u64()
                .unwrap()
        })
        .collect();
    approved.reverse();
    assert_eq!(
        approved,
        (0..5000).filter(|i| i % 3 == 0).collect::<Vec<_>>()
    );

    // --all with --limit past a page boundary, then the rest.
    let out = r
        .pipectl()
        .args(["--json", "reject", "--all", "--limit", "1500"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["moved"], 1500);
    let out = r
        .pipectl()
        .args(["--json", "reject", "--all"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["moved"], 3333 - 1500);
    assert_eq!(r.llen(STAGED), 0);
    assert_eq!(r.llen(REJECTED), 3333);
}

/// Runs `pipectl <args>` in `n` processes at once and returns their outputs.
fn race(r: &RedisServer, n: usize, args: &[&[&str]]) -> Vec<std::process::Output> {
    let children: Vec<_> = (0..n)
        .map(|i| {
            r.pipectl()
                .args(args[i % args.len()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

#[test]
fn racing_approvals_move_every_item_exactly_once() {
    let r = RedisServer::start();
    let lines: String = (0..2000).map(|i| format!("{{\"n\":{i}}}\n")).collect();
    assert_code(
        &run_with_stdin(r.pipectl().arg("stage"), lines.as_bytes()),
        0,
    );

    let outs = race(&r, 2, &[&["--json", "approve", "--all"]]);
    let mut approved = 0;
    for out in &outs {
        // A process that finds the list already empty has nothing to do (3).
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(out));
        let d = json(out);
        eprintln!(
            "one racer: approved {}, skipped {}",
            d["moved"], d["skipped"]
        );
        approved += d["moved"].as_u64().unwrap();
    }
    assert_eq!(approved, 2000, "the two counts add up");
    assert_eq!(r.llen(STAGED), 0);
    let ready = r.cli_lines(&["LRANGE", READY, "0", "-1"]);
    assert_eq!(ready.len(), 2000, "none twice");
    let unique: HashSet<&String> = ready.iter().collect();
    assert_eq!(unique.len(), 2000, "none lost");
}

#[test]
fn racing_approve_and_reject_put_each_item_in_exactly_one_place() {
    let r = RedisServer::start();
    let lines: String = (0..2000).map(|i| format!("item-{i}\n")).collect();
    assert_code(
        &run_with_stdin(r.pipectl().arg("stage"), lines.as_bytes()),
        0,
    );
    let outs = race(
        &r,
        4,
        &[
            &["--json", "approve", "--all"],
            &["--json", "reject", "--all", "--reason", "race"],
            &["--json", "approve", "1-2000"],
        ],
    );
    let mut moved = 0;
    for out in &outs {
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(out));
        let d = json(out);
        moved += d["moved"].as_u64().unwrap();
    }
    assert_eq!(moved, 2000);
    assert_eq!(r.llen(STAGED), 0);
    let mut all: Vec<String> = r.cli_lines(&["LRANGE", READY, "0", "-1"]);
    for envelope in r.cli_lines(&["LRANGE", REJECTED, "0", "-1"]) {
        let v: Value = serde_json::from_str(&envelope).unwrap();
        // The staged items are plain text: an envelope holds them as `item_text`.
        all.push(v["item_text"].as_str().unwrap().to_owned());
    }
    assert_eq!(all.len(), 2000);
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 2000);
}

#[test]
fn equal_items_staged_twice_are_two_items() {
    let r = RedisServer::start();
    // The same bytes staged twice are two items; a third selection of them finds none left.
    stage(&r, &["dup".into(), "dup".into(), "other".into()]);
    let out = r
        .pipectl()
        .args(["--json", "approve", "1", "2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["moved"], 2);
    assert_eq!(r.llen(READY), 2);
    assert_eq!(staged(&r), ["other"]);
}

#[test]
fn many_reviewers_approving_the_same_position_move_it_once() {
    let r = RedisServer::start();
    for round in 0..5 {
        let item = format!("item-{round}");
        stage(&r, std::slice::from_ref(&item));
        let outs = race(&r, 6, &[&["approve", "1"]]);
        let (mut moved, mut taken) = (0, 0);
        for out in &outs {
            let (text, err) = (stdout(out), stderr(out));
            match out.status.code() {
                // Read the item, then found it gone: skipped, said clearly, still exit 0.
                Some(0) if text.contains("1 skipped: already taken by someone else") => {
                    assert!(text.starts_with("approved 0 items"), "{text}");
                    assert!(
                        err.contains("position 1 was already taken by someone else"),
                        "{err}"
                    );
                    taken += 1;
                }
                Some(0) => {
                    assert!(text.starts_with("approved 1 item:"), "{text}");
                    moved += 1;
                }
                // Came after it was gone: nothing at position 1.
                Some(3) => assert!(err.contains("nothing matched"), "{err}"),
                code => panic!("exit {code:?}: {text}{err}"),
            }
        }
        eprintln!("round {round}: moved by one, skipped as taken by {taken}");
        assert_eq!(moved, 1);
        assert_eq!(r.llen(STAGED), 0);
        assert_eq!(r.cli(&["LINDEX", READY, "0"]), item);
        assert_eq!(r.llen(READY), round + 1);
    }
}

#[test]
fn review_refuses_without_a_terminal() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme")]);
    let out = r.pipectl().arg("review").output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("pipectl approve") && err.contains("pipectl reject"),
        "{err}"
    );
    let out = run_with_stdin(r.pipectl().arg("review"), b"a\n");
    assert_code(&out, 2);
    assert_eq!(r.llen(STAGED), 1, "nothing was decided");
}

/// A private tmux server (its own socket, no user config) with one window running a command
/// in a real pseudo-terminal. Killed on drop.
pub(crate) struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    /// None (with a note) when tmux is not installed; scripts/test installs it.
    pub(crate) fn start(dir: &Path, width: u16, height: u16, shell_command: &str) -> Option<Tmux> {
        let installed = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !installed {
            eprintln!(
                "note: tmux is not installed, skipping this terminal test (scripts/test installs it)"
            );
            return None;
        }
        // A socket of its own each time: a server just killed may still hold the last one.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmux = Tmux {
            socket: dir.join(format!("tmux-{n}.sock")),
        };
        let out = tmux
            .cmd()
            .env("SHELL", "/bin/sh")
            .env("TERM", "xterm-256color")
            .args([
                "new-session",
                "-d",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg(shell_command)
            .output()
            .expect("tmux runs");
        assert!(out.status.success(), "tmux: {}", stderr(&out));
        Some(tmux)
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-S").arg(&self.socket).args(["-f", "/dev/null"]);
        cmd
    }

    pub(crate) fn screen(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p"]).output().unwrap();
        stdout(&out)
    }

    /// Waits until the screen satisfies `done`; panics with the screen after 15s.
    #[track_caller]
    pub(crate) fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub(crate) fn type_line(&self, text: &str) {
        if !text.is_empty() {
            let out = self.cmd().args(["send-keys", "-l", text]).output().unwrap();
            assert!(out.status.success());
        }
        let out = self.cmd().args(["send-keys", "Enter"]).output().unwrap();
        assert!(out.status.success());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.cmd().arg("kill-server").output().ok();
    }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A shell command running pipectl in the test's isolated environment, then printing its exit
/// status and waiting, so the screen can still be read.
pub(crate) fn pipectl_in_terminal(r: &RedisServer, env: &[(&str, &str)], args: &[&str]) -> String {
    let dir = r.dir.path().to_str().expect("UTF-8 temp dir");
    let mut line = format!(
        "cd {} && env -u PIPECTL_CONFIG -u REDISCLI_AUTH -u NO_COLOR -u COLUMNS PIPECTL_REVIEWER=tester HOME={} XDG_CONFIG_HOME={} REDIS_URL={}",
        sh_quote(dir),
        sh_quote(dir),
        sh_quote(&format!("{dir}/.config")),
        sh_quote(&r.url()),
    );
    for (k, v) in env {
        line.push_str(&format!(" {k}={}", sh_quote(v)));
    }
    line.push(' ');
    line.push_str(&sh_quote(env!("CARGO_BIN_EXE_pipectl")));
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    line.push_str("; echo \"[exit $?]\"; sleep 600");
    line
}

#[test]
fn review_at_a_terminal_approves_rejects_skips_and_quits() {
    let r = RedisServer::start();
    let acme = json!({"name": "Acme Auto", "url": "acmeauto.com",
                      "preview_url": "https://previews.example.com/acme-auto/", "phone": "555-0123"})
    .to_string();
    let items = [
        acme.clone(),
        prospect("Bolt"),
        prospect("Cove"),
        prospect("Dune"),
    ];
    stage(&r, &items);

    let command = pipectl_in_terminal(&r, &[], &["review"]);
    let Some(t) = Tmux::start(r.dir.path(), 100, 50, &command) else {
        return;
    };
    let prompts = |n: usize| move |s: &str| s.matches("[q]uit >").count() >= n;
    let screen = t.wait_for("the first item", prompts(1));
    assert!(
        screen.contains("1 of 4 staged in prospect:staged"),
        "{screen}"
    );
    assert!(
        screen.contains("▶ preview_url  https://previews.example.com/acme-auto/"),
        "the preview link stands out: {screen}"
    );
    assert!(screen.contains("  name         Acme Auto"), "{screen}");

    t.type_line("a");
    t.wait_for("the second item", prompts(2));
    t.type_line("r");
    t.wait_for("the reason prompt", |s| s.contains("Reason (optional"));
    t.type_line("no phone number");
    t.wait_for("the third item", prompts(3));
    t.type_line("what");
    t.wait_for("a nudge", |s| s.contains("Type a, r, s or q"));
    t.wait_for("the prompt again", prompts(4));
    t.type_line("s");
    t.wait_for("the fourth item", prompts(5));
    t.type_line("q");
    let screen = t.wait_for("the end", |s| s.contains("[exit "));

    assert!(
        screen.contains("[approved 1 · rejected 0 · skipped 0]"),
        "{screen}"
    );
    assert!(
        screen.contains("[approved 1 · rejected 1 · skipped 0]"),
        "{screen}"
    );
    assert!(
        screen.contains("[approved 1 · rejected 1 · skipped 1]"),
        "{screen}"
    );
    assert!(
        screen.contains(
            "Review done: approved 1 · rejected 1 · skipped 1. 2 items still staged in prospect:staged."
        ),
        "{screen}"
    );
    assert!(screen.contains("[exit 0]"), "{screen}");

    assert_eq!(r.cli_lines(&["LRANGE", READY, "0", "-1"]), [acme]);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", REJECTED, "0"])).unwrap();
    assert_eq!(envelope["item"]["name"], "Bolt");
    assert_eq!(envelope["reason"], "no phone number");
    assert_eq!(envelope["stage"], "review");
    assert_eq!(
        staged(&r),
        [prospect("Cove"), prospect("Dune")],
        "skipped stays staged"
    );
}

#[test]
fn review_says_when_someone_else_took_the_item_on_screen() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    let command = pipectl_in_terminal(&r, &[], &["review"]);
    let Some(t) = Tmux::start(r.dir.path(), 120, 40, &command) else {
        return;
    };
    let prompts = |n: usize| move |s: &str| s.matches("[q]uit >").count() >= n;
    t.wait_for("the first item", prompts(1));
    // Another reviewer's approve of the item on screen is refused: the session claims it.
    let out = r
        .pipectl()
        .args(["approve", "1", "--by", "bo"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("position 1 is claimed by tester"),
        "{}",
        stderr(&out)
    );
    // ... unless forced: then the session finds it gone.
    let out = r
        .pipectl()
        .args(["approve", "1", "--by", "bo", "--force"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    t.type_line("r");
    t.wait_for("the reason prompt", |s| s.contains("Reason (optional"));
    t.type_line("");
    let screen = t.wait_for("the next item", prompts(2));
    assert!(
        screen.contains("already taken by someone else: left as it is   [approved 0 · rejected 0 · skipped 0 · taken by others 1]"),
        "{screen}"
    );
    assert!(screen.contains("1 of 1 staged"), "{screen}");
    t.type_line("a");
    t.wait_for("the end of the list", |s| {
        s.contains("No more staged items.")
    });
    let screen = t.wait_for("the end", |s| s.contains("[exit "));
    assert!(screen.contains("[exit 0]"), "{screen}");
    assert_eq!(
        r.llen(REJECTED),
        0,
        "the taken item was not rejected as well"
    );
    let mut ready = r.cli_lines(&["LRANGE", READY, "0", "-1"]);
    ready.reverse();
    assert_eq!(ready, [prospect("Acme"), prospect("Bolt")]);
}

#[test]
fn review_at_a_terminal_with_nothing_staged_exits_3() {
    let r = RedisServer::start();
    let command = pipectl_in_terminal(&r, &[], &["review"]);
    let Some(t) = Tmux::start(r.dir.path(), 100, 20, &command) else {
        return;
    };
    let screen = t.wait_for("the end", |s| s.contains("[exit "));
    assert!(
        screen.contains("nothing staged in prospect:staged"),
        "{screen}"
    );
    assert!(screen.contains("[exit 3]"), "{screen}");
}

#[test]
fn staged_table_fits_80_columns_and_cuts_long_fields() {
    let r = RedisServer::start();
    stage(
        &r,
        &[
            json!({"name": "Acme Auto Body & Paint, serving the whole tri-county area since 1987",
                   "url": "acmeauto.com",
                   "preview_url": "https://prospect-previews.example.com/acme-auto-body-and-paint/index.html",
                   "phone": "555-0123"})
            .to_string(),
            json!({"name": "Bolt Bikes", "url": "boltbikes.com", "phone": "555-0199"}).to_string(),
            "a hand-pushed line that is not JSON and goes on and on well past any reasonable width".into(),
            json!({"other": "shape"}).to_string(),
        ],
    );
    // Without arrival times there is no waiting column (its values would differ each run).
    r.cli(&["DEL", "prospect:staged:since"]);
    // COLUMNS=80 in a 140-column terminal: the table obeys COLUMNS, and tmux never wraps it.
    let command = pipectl_in_terminal(&r, &[("COLUMNS", "80")], &["staged"]);
    let Some(t) = Tmux::start(r.dir.path(), 140, 30, &command) else {
        return;
    };
    let screen = t.wait_for("the table", |s| s.contains("[exit "));
    let table: Vec<&str> = screen
        .lines()
        .take_while(|l| !l.starts_with("[exit"))
        .filter(|l| !l.is_empty())
        .collect();
    for line in &table {
        assert!(
            line.chars().count() <= 80,
            "{} chars: {line}",
            line.chars().count()
        );
    }
    let expected = "\
┌───┬───────────────────────┬───────────────┬───────────────────────┬──────────┐
│ # ┆ name                  ┆ url           ┆ preview_url           ┆ phone    │
╞═══╪═══════════════════════╪═══════════════╪═══════════════════════╪══════════╡
│ 1 ┆ Acme Auto Body & Pai… ┆ acmeauto.com  ┆ https://prospect-pre… ┆ 555-0123 │
│ 2 ┆ Bolt Bikes            ┆ boltbikes.com ┆                       ┆ 555-0199 │
│ 3 ┆ a hand-pushed line t… ┆               ┆                       ┆          │
│ 4 ┆ {\"other\":\"shape\"}     ┆               ┆                       ┆          │
└───┴───────────────────────┴───────────────┴───────────────────────┴──────────┘";
    assert_eq!(table.join("\n"), expected, "\n{screen}");
    assert!(screen.contains("[exit 0]"), "{screen}");

    // --columns with a dotted path; still 80 wide at most.
    r.cli(&["DEL", STAGED]);
    stage(
        &r,
        &[json!({"name": "Cove", "site": {"city": "Austin"}}).to_string()],
    );
    let command = pipectl_in_terminal(
        &r,
        &[("COLUMNS", "80")],
        &["staged", "--columns", "site.city,name"],
    );
    drop(t);
    let Some(t) = Tmux::start(r.dir.path(), 140, 30, &command) else {
        return;
    };
    let screen = t.wait_for("the table", |s| s.contains("[exit "));
    assert!(
        screen.contains("│ # ┆ site.city ┆ name ┆ waiting │"),
        "{screen}"
    );
    assert!(screen.contains("│ 1 ┆ Austin    ┆ Cove ┆ "), "{screen}");
}
