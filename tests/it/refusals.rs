//! Redis refusing: a long script elsewhere (BUSY), a restart still loading its data
//! (LOADING), a replica (READONLY) or one cut off from its primary (MASTERDOWN), the script
//! cache flushed mid-run (NOSCRIPT). Each refusal is named with its fix, exits as documented,
//! and leaves nothing half-written.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// Polls `done` every 50ms for up to 20s.
#[track_caller]
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn info(r: &RedisServer, section: &str) -> String {
    r.cli(&["INFO", section])
}

/// The refusal of `args` as the error document `--json` writes: exit 69, naming `word`.
#[track_caller]
fn refused(r: &RedisServer, args: &[&str], word: &str) {
    let out = r.run_json(args);
    assert_code(&out, 69);
    assert_schema("error", &stderr(&out));
    let doc = json_stderr(&out);
    let text = format!("{} {}", doc["error"]["message"], doc["error"]["hint"]);
    assert!(text.contains(word), "{args:?}: {text}");
}

#[test]
fn a_long_script_elsewhere_is_busy_named_with_its_fix_and_nothing_is_written() {
    let r = RedisServer::start_with(&["--busy-reply-threshold", "50"]);
    r.cli(&["LPUSH", "prospect:staged", "{\"n\":1}"]);
    let mut hog: Child = Command::new("redis-cli")
        .args(["-u", &r.url(), "EVAL", "while true do end", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the server to be busy", || {
        r.cli(&["PING"]).contains("BUSY")
    });
    refused(&r, &["enqueue", "q", "x"], "SCRIPT KILL");
    refused(&r, &["approve", "--all"], "BUSY");
    refused(&r, &["run", "build"], "BUSY");
    r.cli(&["SCRIPT", "KILL"]);
    hog.wait().ok();
    assert_eq!(r.llen("q"), 0, "nothing written");
    assert_eq!(r.llen("prospect:staged"), 1, "nothing moved");
    assert_eq!(r.llen("prospect:ready"), 0);
    // Once it ends, the same commands work.
    let out = r.pipectl().args(["enqueue", "q", "x"]).output().unwrap();
    assert_code(&out, 0);
}

#[test]
fn a_restart_still_loading_its_data_is_loading_and_works_once_loaded() {
    // Two million keys keep a restarted server loading for a second or more.
    let mut r = RedisServer::start_with(&["--enable-debug-command", "yes"]);
    r.cli(&["DEBUG", "POPULATE", "2000000"]);
    r.cli(&["LPUSH", "q", "kept"]);
    r.cli(&["SAVE"]);
    r.restart_loading();
    let loading = |r: &RedisServer| {
        info(r, "persistence")
            .lines()
            .any(|l| l.trim() == "loading:1")
    };
    if !loading(&r) {
        eprintln!("skipped: the server loaded before pipectl ran");
        return;
    }
    refused(&r, &["enqueue", "q", "x"], "LOADING");
    refused(&r, &["pop", "q"], "INFO persistence");
    wait_until("the load to end", || !loading(&r));
    let out = r.pipectl().args(["pop", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "kept\n",
        "the item written before the restart"
    );
    assert_eq!(r.llen("q"), 0, "the refused enqueue wrote nothing");
}

#[test]
fn a_replica_is_readonly_and_one_cut_off_from_its_primary_is_masterdown() {
    let mut primary = RedisServer::start();
    primary.cli(&["LPUSH", "q", "a"]);
    let port = primary.port.to_string();
    let replica = RedisServer::start_with(&[
        "--replicaof",
        "127.0.0.1",
        &port,
        "--replica-serve-stale-data",
        "no",
    ]);
    wait_until("the replica to sync", || {
        info(&replica, "replication").contains("master_link_status:up")
    });
    refused(&replica, &["enqueue", "q", "x"], "primary");
    refused(&replica, &["pop", "q"], "read-only replica");
    assert_eq!(primary.llen("q"), 1, "nothing taken");

    primary.kill();
    wait_until("the replica to lose its primary", || {
        info(&replica, "replication").contains("master_link_status:down")
    });
    refused(&replica, &["len", "q"], "MASTERDOWN");
    refused(&replica, &["status"], "MASTERDOWN");
}

#[test]
fn a_script_cache_flushed_mid_run_costs_nothing() {
    let r = RedisServer::start();
    // The handler flushes the server's script cache before passing each item on.
    let flush = format!("redis-cli -u {} SCRIPT FLUSH >/dev/null; cat", r.url());
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:out")
                .exec(&["sh", "-c", &flush])
        })
        .write(r.dir.path());
    let items: Vec<String> = (0..200).map(|i| format!("{{\"n\":{i}}}")).collect();
    let out = r
        .pipectl()
        .args(["enqueue", "p:queue"])
        .args(&items)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = r.run_json(&["run", "build", "--drain", "-j", "4"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["succeeded"], 200, "{doc}");
    let mut done = r.cli_lines(&["LRANGE", "p:out", "0", "-1"]);
    done.sort();
    let mut want = items.clone();
    want.sort();
    assert_eq!(done, want, "each item exactly once");
    assert_eq!(r.cli(&["ZCARD", "p:queue:leases"]), "0");
}
