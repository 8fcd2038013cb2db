//! exec handlers with `mode = "stream"`: one long-lived handler per slot, speaking the line
//! protocol of docs/handler-stream.md — every kind of response, answers out of order,
//! crashes, hangs and garbage (restarts), signals, `-j4`, and the Python and Node kits.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::state::assert_each_once;
use crate::support::*;

/// A handler speaking the raw protocol; what it does is chosen by the item's "k".
const RAW: &str = r#"
import json, os, sys, time
def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n"); sys.stdout.flush()
with open("starts", "a") as f: f.write("%d\n" % os.getpid())
for line in sys.stdin:
    r = json.loads(line)
    i, item, attempt = r["id"], r.get("item"), r["attempt"]
    k = item.get("k") if isinstance(item, dict) else None
    if k == "pass": say({"id": i, "ok": True})
    elif k == "replace": say({"id": i, "ok": True, "items": [{"item": {"k": "replaced", "from": r["stage"]}}]})
    elif k == "fan": say({"id": i, "ok": True, "items": [{"item": {"n": 1}}, {"item_text": "two"}]})
    elif k == "drop": say({"id": i, "ok": True, "items": []})
    elif k == "retry": say({"id": i, "retry": "busy", "after": "1h"})
    elif k == "dead":
        sys.stderr.write("looked at it\n"); sys.stderr.flush()
        say({"id": i, "dead": "bad data"})
    elif k == "defer": say({"id": i, "defer": "1h"})
    elif k == "review": say({"id": i, "review": "Same as acme?"})
    elif k == "invalid": say({"id": i, "ok": True, "items": [{"nope": 1}]})
    elif k == "crash" and attempt == 1: os._exit(3)
    elif k == "hang" and attempt == 1: time.sleep(1000)
    elif k == "garbage" and attempt == 1: sys.stdout.write("hello\n"); sys.stdout.flush()
    elif k == "slow":
        open("got-" + str(item["n"]), "w").close(); time.sleep(item["s"]); say({"id": i, "ok": True})
    elif k == "pid":
        time.sleep(0.02)
        say({"id": i, "ok": True, "items": [{"item": {"n": item["n"], "pid": os.getpid()}}]})
    else: say({"id": i, "ok": True, "items": [{"item": {"k": k, "attempt": attempt, "pid": os.getpid()}}], "cost": {"usd": 0.5}})
"#;

fn config(r: &RedisServer, script: &str, tune: impl FnOnce(Stage) -> Stage) {
    write_file(r.dir.path(), "h.py", script);
    Pipeline::new("p")
        .stage("build", |s| {
            tune(
                s.input("p:queue")
                    .output("p:out")
                    .exec(&["python3", "h.py"])
                    .extra("mode = \"stream\""),
            )
        })
        .stage("check", |s| s.input("p:check").output("p:ready"))
        .write(r.dir.path());
}

fn push(r: &RedisServer, items: &[&str]) {
    for item in items {
        r.cli(&["LPUSH", "p:queue", item]);
    }
}

fn run(r: &RedisServer, args: &[&str]) -> std::process::Output {
    r.pipectl()
        .args(["--json", "-v", "run", "build"])
        .args(args)
        .output()
        .unwrap()
}

fn lrange(r: &RedisServer, key: &str) -> Vec<Value> {
    r.cli_lines(&["LRANGE", key, "0", "-1"])
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::String(l.clone())))
        .collect()
}

fn starts(r: &RedisServer) -> Vec<String> {
    std::fs::read_to_string(r.dir.path().join("starts"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit(')').next().map(|r| r.trim().to_owned()))
        .is_some_and(|rest| !rest.starts_with('Z'))
}

#[test]
fn every_kind_of_response_settles_as_one_process_per_item_would() {
    let r = RedisServer::start();
    config(&r, RAW, |s| {
        s.backoff("1h").extra("escalate_to = \"check\"")
    });
    let kinds = [
        "pass", "replace", "fan", "drop", "retry", "dead", "defer", "review", "invalid", "other",
    ];
    let items: Vec<String> = kinds.iter().map(|k| format!("{{\"k\":\"{k}\"}}")).collect();
    push(&r, &items.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(&r, &["--drain"]);
    assert_code(&out, 1);
    let report = json(&out);
    assert_eq!(report["processed"], 10, "{report}");
    assert_eq!(report["succeeded"], 5);
    assert_eq!(
        report["enqueued"], 5,
        "pass 1 + replace 1 + fan 2 + other 1"
    );
    assert_eq!(report["retried"], 2, "retry and the invalid response");
    assert_eq!(report["dead_lettered"], 1);
    assert_eq!(report["deferred"], 1);
    assert_eq!(report["escalated"], 1);
    let outs = lrange(&r, "p:out");
    assert!(outs.contains(&serde_json::json!({"k": "pass"})));
    assert!(outs.contains(&serde_json::json!({"k": "replaced", "from": "build"})));
    assert!(outs.contains(&serde_json::json!({"n": 1})));
    assert!(outs.contains(&Value::String("two".into())));
    let dead = lrange(&r, "p:failed");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["item"], serde_json::json!({"k": "dead"}));
    assert_eq!(
        dead[0]["error"], "bad data: looked at it",
        "stderr per item"
    );
    assert_eq!(
        r.cli(&["ZCARD", "p:queue:delayed"]),
        "3",
        "retry, invalid, defer"
    );
    let staged = r.cli(&["LRANGE", "p:check", "0", "-1"]);
    assert!(staged.contains("review"), "{staged}");
    let log = stderr(&out);
    assert!(log.contains("invalid response"), "{log}");
    assert!(log.contains("usd 0.5"), "{log}");
    assert_eq!(starts(&r).len(), 1, "one warm handler for all ten items");
}

#[test]
fn answers_may_come_out_of_order() {
    let r = RedisServer::start();
    // Takes two requests, answers the second first, tagging each answer with its request.
    let script = r#"
import json, sys
pending = []
def answer(r, order):
    item = dict(r["item"], order=order)
    sys.stdout.write(json.dumps({"id": r["id"], "ok": True, "items": [{"item": item}]}) + "\n")
for line in sys.stdin:
    pending.append(json.loads(line))
    if len(pending) == 2:
        answer(pending[1], "first"); answer(pending[0], "second"); sys.stdout.flush()
        pending = []
"#;
    // Two workers hand their items to the slot's driver; without a rate limit each claims
    // its next item along with its settle, with one it asks the limit before each claim.
    for limited in [false, true] {
        config(&r, script, |s| {
            let s = s.extra("in_flight = 2");
            if limited {
                s.extra("rate_limit = { key = \"p:rl\", limit = 100, per = \"1h\" }")
            } else {
                s
            }
        });
        r.cli(&["DEL", "p:out"]);
        let items: Vec<String> = (1..=6).map(|n| format!("{{\"n\":{n}}}")).collect();
        push(&r, &items.iter().map(String::as_str).collect::<Vec<_>>());
        let out = run(&r, &["--drain"]);
        assert_code(&out, 0);
        let outs = lrange(&r, "p:out");
        let ns: BTreeSet<u64> = outs.iter().map(|o| o["n"].as_u64().unwrap()).collect();
        assert_eq!(
            ns,
            (1..=6).collect(),
            "each answer went to its own item (rate limited: {limited}): {outs:?}"
        );
        assert_eq!(outs.iter().filter(|o| o["order"] == "first").count(), 3);
    }
    assert_eq!(r.cli(&["GET", "p:rl"]), "6", "each claim asked the limit");
}

#[test]
fn a_crash_mid_item_retries_it_and_keeps_it_once() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.backoff("0s"));
    push(&r, &[r#"{"k":"a"}"#, r#"{"k":"crash"}"#, r#"{"k":"b"}"#]);
    let out = run(&r, &["--drain"]);
    let report = json(&out);
    assert_eq!(report["succeeded"], 3, "{report}");
    assert_eq!(report["retried"], 1);
    let log = stderr(&out);
    assert!(
        log.contains("handler exited (code 3) while the item was in flight"),
        "{log}"
    );
    let places = r.whereabouts(&["p:queue"], &["p:out"], "p:failed");
    let outs: Vec<String> = r.cli_lines(&["LRANGE", "p:out", "0", "-1"]);
    assert_each_once(&places, &outs);
    let crash: Vec<&String> = outs.iter().filter(|o| o.contains("crash")).collect();
    assert_eq!(crash.len(), 1, "{outs:?}");
    let crash: Value = serde_json::from_str(crash[0]).unwrap();
    assert_eq!(crash["attempt"], 2, "{crash:?}");
    assert_eq!(starts(&r).len(), 2, "restarted once: {:?}", starts(&r));
}

#[test]
fn a_hung_item_times_out_and_the_handler_is_restarted() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.timeout("1s").backoff("0s"));
    push(
        &r,
        &[
            r#"{"k":"pid","n":1}"#,
            r#"{"k":"hang"}"#,
            r#"{"k":"pid","n":2}"#,
        ],
    );
    let started = Instant::now();
    let out = run(&r, &["--drain"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    let log = stderr(&out);
    assert!(log.contains("timed out after 1s"), "{log}");
    let outs = lrange(&r, "p:out");
    assert_eq!(outs.len(), 3, "{outs:?}");
    let pid = |n: u64| outs.iter().find(|o| o["n"] == n).unwrap()["pid"].clone();
    assert_ne!(pid(1), pid(2), "a new process after the timeout");
    let first = starts(&r)[0].clone();
    assert!(!alive(&first), "the hung handler was killed");
}

#[test]
fn a_garbage_line_restarts_the_handler_and_retries_its_items() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.backoff("0s"));
    push(&r, &[r#"{"k":"garbage"}"#, r#"{"k":"after"}"#]);
    let out = run(&r, &["--drain"]);
    let log = stderr(&out);
    assert!(
        log.contains("not a JSON object") && log.contains("hello"),
        "{log}"
    );
    let report = json(&out);
    assert_eq!(report["succeeded"], 2, "{report}");
    assert_eq!(report["retried"], 1);
    assert_eq!(starts(&r).len(), 2);
}

#[test]
fn a_handler_that_keeps_dying_dead_letters_its_items() {
    let r = RedisServer::start();
    config(&r, "import sys\nsys.exit(4)\n", |s| {
        s.max_attempts(2).backoff("0s")
    });
    push(&r, &["x", "y"]);
    let out = run(&r, &["--drain"]);
    assert_code(&out, 1);
    let report = json(&out);
    assert_eq!(report["dead_lettered"], 2, "{report}");
    let dead = lrange(&r, "p:failed");
    assert!(
        dead[0]["error"]
            .as_str()
            .unwrap()
            .contains("handler exited (code 4)"),
        "{dead:?}"
    );
}

fn start(r: &RedisServer, args: &[&str]) -> Child {
    r.pipectl()
        .args(["run", "build"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: a plain kill(2) of a child of this test.
    unsafe { libc::kill(pid as i32, signal) };
}

fn exists(dir: &Path, name: &str) -> bool {
    dir.join(name).exists()
}

#[test]
fn sigkill_of_pipectl_takes_the_handler_with_it() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.timeout("30s"));
    push(&r, &[r#"{"k":"slow","n":1,"s":60}"#]);
    let mut run = start(&r, &["--wait", "30s"]);
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-1"
    )));
    let pid = starts(&r)[0].clone();
    assert!(alive(&pid));
    signal(run.id(), libc::SIGKILL);
    run.wait().unwrap();
    assert!(
        wait_for(Duration::from_secs(5), || !alive(&pid)),
        "the handler outlived pipectl"
    );
    assert_eq!(
        r.cli(&["HLEN", "p:queue:leased"]),
        "1",
        "leased until it expires"
    );
}

#[test]
fn sigterm_waits_for_answers_within_the_grace_then_releases() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.timeout("30s"));
    // Answered within the grace period: settled as usual.
    push(&r, &[r#"{"k":"slow","n":1,"s":1}"#]);
    let run = start(&r, &["--grace", "10s", "--max", "5"]);
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-1"
    )));
    signal(run.id(), libc::SIGTERM);
    let out = run.wait_with_output().unwrap();
    assert_eq!(r.llen("p:out"), 1, "{}", stderr(&out));
    // Not answered within it: released to the queue, the attempt not counted.
    push(&r, &[r#"{"k":"slow","n":2,"s":60}"#]);
    let run = start(&r, &["--grace", "300ms"]);
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-2"
    )));
    signal(run.id(), libc::SIGTERM);
    let started = Instant::now();
    let out = run.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(r.llen("p:queue"), 1);
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
    let pid = starts(&r)[1].clone();
    assert!(wait_for(Duration::from_secs(5), || !alive(&pid)));
}

/// The worker claims item 2 while item 1 is in the handler (overlap.rs); item 2's lease
/// must count from when it is handed over, not from its claim, or a slow item 1 eats into
/// item 2's time and a claimer reaps item 2 while the handler is still working on it.
#[test]
fn an_item_claimed_ahead_gets_its_whole_lease_from_its_hand_over() {
    let r = RedisServer::start();
    // A lease of 5s (the timeout plus 1s). Item 1 takes 3.5s, item 2 2.5s: claimed as item
    // 1 was handed over, item 2 would be expired 5s after that, while still in the handler.
    config(&r, RAW, |s| s.timeout("4s"));
    push(
        &r,
        &[
            r#"{"k":"slow","n":1,"s":3.5}"#,
            r#"{"k":"slow","n":2,"s":2.5}"#,
        ],
    );
    let run = start(&r, &["--json", "--drain"]);
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-1"
    )));
    let handed = Instant::now();
    assert!(
        wait_for(Duration::from_secs(2), || r
            .cli(&["ZCARD", "p:queue:leases"])
            == "2"),
        "item 2 is claimed while item 1 is in the handler"
    );
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-2"
    )));
    // Past item 2's deadline as claimed, well before it as touched at its hand-over.
    std::thread::sleep(Duration::from_millis(5600).saturating_sub(handed.elapsed()));
    let recovered = r
        .pipectl()
        .args(["--json", "recover", "p:queue"])
        .output()
        .unwrap();
    let recovered = json(&recovered);
    assert_eq!(recovered["queues"][0]["leases_returned"], 0, "{recovered}");
    let out = run.wait_with_output().unwrap();
    let report = json(&out);
    assert_eq!(report["succeeded"], 2, "{report} {}", stderr(&out));
    assert_eq!(report["lost_leases"], 0, "{report}");
    assert_eq!(r.llen("p:out"), 2);
    assert_eq!(r.llen("p:queue"), 0);
}

/// SIGTERM while item 1 is in the handler: item 2, claimed ahead and never handed over, goes
/// back to the queue with item 1 once the grace is over, neither counted as an attempt.
#[test]
fn sigterm_releases_the_item_claimed_ahead_too() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s.timeout("30s"));
    push(
        &r,
        &[
            r#"{"k":"slow","n":1,"s":60}"#,
            r#"{"k":"slow","n":2,"s":60}"#,
        ],
    );
    let run = start(&r, &["--grace", "300ms", "--drain"]);
    assert!(wait_for(Duration::from_secs(20), || exists(
        r.dir.path(),
        "got-1"
    )));
    assert!(wait_for(Duration::from_secs(2), || r
        .cli(&["ZCARD", "p:queue:leases"])
        == "2"));
    signal(run.id(), libc::SIGTERM);
    let out = run.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(r.llen("p:queue"), 2);
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
    assert_eq!(r.cli(&["ZCARD", "p:queue:leases"]), "0");
    assert!(
        !exists(r.dir.path(), "got-2"),
        "item 2 was never handed over"
    );
    // Released, not failed: claimed again, each is on its first attempt.
    let popped = r
        .pipectl()
        .args(["--json", "pop", "--lease", "1m", "-n", "2", "p:queue"])
        .output()
        .unwrap();
    let popped = json(&popped);
    let attempts: Vec<&Value> = popped["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["attempt"])
        .collect();
    assert_eq!(attempts, [1, 1], "{popped}");
}

#[test]
fn four_slots_four_warm_handlers() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s);
    let items: Vec<String> = (1..=40)
        .map(|n| format!("{{\"k\":\"pid\",\"n\":{n}}}"))
        .collect();
    push(&r, &items.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(&r, &["--drain", "-j4"]);
    assert_code(&out, 0);
    let outs = lrange(&r, "p:out");
    assert_eq!(outs.len(), 40);
    let pids: BTreeSet<u64> = outs.iter().map(|o| o["pid"].as_u64().unwrap()).collect();
    assert_eq!(pids.len(), 4, "{pids:?}");
    assert_eq!(starts(&r).len(), 4, "each started once");
    // Each worker claims its next item in the round trip that settles the one before:
    // --max still takes exactly that many, and nothing stays leased.
    let more: Vec<String> = (41..=46)
        .map(|n| format!("{{\"k\":\"pid\",\"n\":{n}}}"))
        .collect();
    push(&r, &more.iter().map(String::as_str).collect::<Vec<_>>());
    let out = run(&r, &["--max", "3", "-j2"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 3, "{}", stderr(&out));
    assert_eq!((r.llen("p:out"), r.llen("p:queue")), (43, 3));
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
    // A settle refused (the output holds a string): the item and the next one, claimed
    // with that settle, both go back to the queue, unchanged and not leased.
    r.cli(&["RENAME", "p:out", "p:done"]);
    r.cli(&["SET", "p:out", "spoiled"]);
    let out = run(&r, &["--drain"]);
    assert_code(&out, 65);
    assert!(stderr(&out).contains("holds a string"), "{}", stderr(&out));
    assert_eq!(r.llen("p:queue"), 3);
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
    assert_eq!(r.cli(&["ZCARD", "p:queue:leases"]), "0");
}

#[test]
fn stream_mode_config_is_checked() {
    let r = RedisServer::start();
    for (extra, needle) in [
        ("mode = \"sideways\"", "sideways"),
        ("mode = \"stream\"\nin_flight = 0", "in_flight"),
        ("mode = \"stream\"\nin_flight = 65", "in_flight"),
    ] {
        Pipeline::new("p")
            .stage("build", |s| s.input("p:queue").exec(&["x"]).extra(extra))
            .write(r.dir.path());
        let out = run(&r, &[]);
        assert_code(&out, 78);
        assert!(stderr(&out).contains(needle), "{}", stderr(&out));
    }
    let cases = [
        "[stages.s]\nexec = [\"x\"]\noutput = \"q\"\nmode = \"stream\"\n",
        "[stages.s]\ninput = \"q\"\nhttp = { url = \"http://127.0.0.1:1/\" }\nmode = \"stream\"\n",
        "[stages.s]\ninput = \"q\"\nexec = [\"x\"]\nin_flight = 2\n",
    ];
    for text in cases {
        write_file(r.dir.path(), "pipectl.toml", text);
        let out = r.run_json(&["run", "s"]);
        assert_code(&out, 78);
    }
    // `config show` says each exec stage's mode, and a stream stage's in_flight; its text
    // reads back as the same config.
    write_file(
        r.dir.path(),
        "pipectl.toml",
        "[stages.s]\ninput = \"q\"\nexec = [\"x\"]\nmode = \"stream\"\nin_flight = 3\n\n\
         [stages.t]\ninput = \"q2\"\nexec = [\"y\"]\n\n[stages.m]\ninput = \"q3\"\n",
    );
    let doc = json(&r.run_json(&["config", "show"]));
    let stages = &doc["stages"];
    assert_eq!(stages["s"]["mode"], "stream", "{doc}");
    assert_eq!(stages["s"]["in_flight"], 3);
    assert_eq!(stages["t"]["mode"], "per-item");
    assert_eq!(stages["t"]["in_flight"], Value::Null);
    assert_eq!(stages["m"]["mode"], Value::Null);
    let out = r.pipectl().args(["config", "show"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("mode = \"stream\"")
            && text.contains("in_flight = 3")
            && text.contains("mode = \"per-item\""),
        "{text}"
    );
    write_file(r.dir.path(), "pipectl.toml", &text);
    let again = json(&r.run_json(&["config", "show"]));
    assert_eq!(again["stages"], doc["stages"], "{text}");
}

#[test]
fn a_missing_handler_program_stops_the_run_and_keeps_the_item() {
    let r = RedisServer::start();
    config(&r, RAW, |s| s);
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:out")
                .exec(&["./no-such-handler"])
                .extra("mode = \"stream\"")
        })
        .write(r.dir.path());
    push(&r, &["x"]);
    let out = run(&r, &[]);
    assert_code(&out, 78);
    assert_eq!(r.llen("p:queue"), 1);
}

/// One handler for both kits' tests: `handle` answers by the item's "k".
const PY_KIT: &str = r#"
import sys
sys.path.insert(0, sys.argv[1])
from pipectl_handler import serve, Retry, Dead, Defer, Review
def handle(item, ctx):
    k = item.get("k") if isinstance(item, dict) else "text"
    print("handling", k)
    if k == "pass": return None
    if k == "replace": return {"k": "replaced", "stage": ctx.stage, "attempt": ctx.attempt}
    if k == "fan": return [{"n": 1}, {"n": 2}]
    if k == "drop": return []
    if k == "retry": raise Retry("busy", after="1h")
    if k == "dead": raise Dead("bad data")
    if k == "defer": raise Defer("1h")
    if k == "review": raise Review("Same as acme?")
    if k == "bug": raise ValueError("oops")
    if k == "text": return item.upper()
    ctx.cost["usd"] = 0.25
    return None
serve(handle)
"#;

const NODE_KIT: &str = r#"
const { serve, Retry, Dead, Defer, Review } = await import(process.argv[2] + "/pipectl-handler.mjs");
serve(async (item, ctx) => {
  const k = typeof item === "object" && item !== null ? item.k : "text";
  console.log("handling", k);
  if (k === "pass") return undefined;
  if (k === "replace") return { k: "replaced", stage: ctx.stage, attempt: ctx.attempt };
  if (k === "fan") return [{ n: 1 }, { n: 2 }];
  if (k === "drop") return [];
  if (k === "retry") throw new Retry("busy", { after: "1h" });
  if (k === "dead") throw new Dead("bad data");
  if (k === "defer") throw new Defer("1h");
  if (k === "review") throw new Review("Same as acme?");
  if (k === "bug") throw new Error("oops");
  if (k === "text") return item.toUpperCase();
  ctx.cost.usd = 0.25;
  return undefined;
});
"#;

fn kits_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/examples/handlers").to_owned()
}

fn kit_case(argv: &[&str], script_name: &str, script: &str, stream: bool) {
    let r = RedisServer::start();
    write_file(r.dir.path(), script_name, script);
    let kits = kits_dir();
    let mut exec: Vec<&str> = argv.to_vec();
    exec.extend([script_name, kits.as_str()]);
    Pipeline::new("p")
        .stage("build", |s| {
            let s = s
                .input("p:queue")
                .output("p:out")
                .exec(&exec)
                .backoff("1h")
                .extra("escalate_to = \"check\"");
            if stream {
                s.extra("mode = \"stream\"")
            } else {
                s
            }
        })
        .stage("check", |s| s.input("p:check").output("p:ready"))
        .write(r.dir.path());
    let kinds = [
        "pass", "replace", "fan", "drop", "retry", "dead", "defer", "review", "bug", "cost",
    ];
    for k in kinds {
        r.cli(&["LPUSH", "p:queue", &format!("{{\"k\":\"{k}\"}}")]);
    }
    r.cli(&["LPUSH", "p:queue", "plain words"]);
    let out = run(&r, &["--drain"]);
    let report = json(&out);
    let what = format!("{argv:?} stream={stream}: {report}\n{}", stderr(&out));
    assert_eq!(report["processed"], 11, "{what}");
    assert_eq!(report["succeeded"], 6, "{what}");
    assert_eq!(report["retried"], 2, "{what}");
    assert_eq!(report["dead_lettered"], 1, "{what}");
    assert_eq!(report["deferred"], 1, "{what}");
    assert_eq!(report["escalated"], 1, "{what}");
    let outs = lrange(&r, "p:out");
    assert!(outs.contains(&serde_json::json!({"k": "pass"})), "{what}");
    assert!(
        outs.contains(&serde_json::json!({"k": "replaced", "stage": "build", "attempt": 1})),
        "{what}"
    );
    assert!(outs.contains(&serde_json::json!({"n": 2})), "{what}");
    let dead = lrange(&r, "p:failed");
    assert!(
        dead[0]["error"].as_str().unwrap().contains("bad data"),
        "{what}"
    );
    let log = stderr(&out);
    assert!(log.contains("oops"), "{what}");
    if stream {
        assert!(
            outs.contains(&Value::String("PLAIN WORDS".into())),
            "{what}"
        );
        assert!(log.contains("usd 0.25"), "{what}");
        assert!(log.contains("retry in 1h"), "{what}");
    }
}

#[test]
fn the_python_kit_in_stream_mode_and_per_item() {
    kit_case(&["python3"], "kit.py", PY_KIT, true);
    kit_case(&["python3"], "kit.py", PY_KIT, false);
}

#[test]
fn the_node_kit_in_stream_mode_and_per_item() {
    kit_case(&["node"], "kit.mjs", NODE_KIT, true);
    kit_case(&["node"], "kit.mjs", NODE_KIT, false);
}

#[test]
fn a_handler_without_a_kit_is_one_line_of_jq() {
    if std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("jq is not installed: skipped");
        return;
    }
    let r = RedisServer::start();
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:out")
                .exec(&["jq", "-c", "--unbuffered", "{id, ok: true}"])
                .extra("mode = \"stream\"")
        })
        .write(r.dir.path());
    push(&r, &["{\"a\":1}", "plain text", "{\"a\": 1}"]);
    let out = run(&r, &["--drain"]);
    assert_code(&out, 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:out", "0", "-1"]),
        ["{\"a\": 1}", "plain text", "{\"a\":1}"],
        "passed on byte for byte"
    );
}

#[test]
fn the_node_kit_answers_several_at_once_as_each_finishes() {
    let r = RedisServer::start();
    let script = r#"
const { serve } = await import(process.argv[2] + "/pipectl-handler.mjs");
serve(async (item) => {
  await new Promise((done) => setTimeout(done, item.n % 2 ? 300 : 0));
  return { n: item.n, done_at: Date.now() };
});
"#;
    write_file(r.dir.path(), "kit.mjs", script);
    let kits = kits_dir();
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:out")
                .exec(&["node", "kit.mjs", &kits])
                .extra("mode = \"stream\"")
                .extra("in_flight = 2")
        })
        .write(r.dir.path());
    push(&r, &["{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"]);
    let out = run(&r, &["--drain"]);
    assert_code(&out, 0);
    let outs = lrange(&r, "p:out");
    let ns: BTreeSet<u64> = outs.iter().map(|o| o["n"].as_u64().unwrap()).collect();
    assert_eq!(ns, (1..=4).collect(), "{outs:?}");
    // LPUSH order: the first answered is at the end. An even item (no wait) sent after an
    // odd one (300ms) is answered first.
    assert_eq!(outs.last().unwrap()["n"], 2, "{outs:?}");
}
