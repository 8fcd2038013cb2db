//! Hostile input, each against a real redis-server: a clear error, its documented exit code,
//! no panic, and nothing half-written (a whole-database snapshot before and after).
//! Hostile config files are in hostile_configs.rs, hostile handlers in hostile_handlers.rs.

use std::process::{Command, Output};
use std::time::Instant;

use crate::support::state::Snapshot;
use crate::support::*;

/// pipectl.toml with pipeline `p`: build (p:queue -> p:staged, handler ./h.sh) and a manual
/// review stage on p:staged.
/// `timeout` is the build stage's, `None` for the default.
pub(crate) fn setup(handler_body: &str, timeout: Option<&str>) -> RedisServer {
    let r = RedisServer::start();
    Pipeline::new("p")
        .stage("build", |s| {
            let s = s
                .input("p:queue")
                .output("p:staged")
                .exec(&["./h.sh"])
                .backoff("1h");
            match timeout {
                Some(timeout) => s.timeout(timeout),
                None => s,
            }
        })
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());
    handler(r.dir.path(), "h.sh", handler_body);
    r
}

pub(crate) fn pipectl(r: &RedisServer, args: &[&str]) -> Output {
    r.pipectl().args(args).output().unwrap()
}

/// No panic: exit 101 and Rust's panic message never appear.
#[track_caller]
pub(crate) fn assert_no_panic(out: &Output) {
    assert_ne!(out.status.code(), Some(101), "{}", stderr(out));
    assert!(
        !stderr(out).contains("panicked"),
        "pipectl panicked: {}",
        stderr(out)
    );
}

#[track_caller]
pub(crate) fn assert_refused(out: &Output, code: i32, needle: &str) {
    assert_no_panic(out);
    assert_code(out, code);
    assert!(
        stderr(out).contains(needle),
        "expected {needle:?} in:\n{}",
        stderr(out)
    );
}

#[track_caller]
fn assert_unchanged(before: &Snapshot, r: &RedisServer, what: &str) {
    let after = r.snapshot();
    assert_eq!(&after, before, "{what} changed the database");
}

/// Sends bytes as the value of `redis-cli -x <args>` (binary-safe: NUL and invalid UTF-8).
pub(crate) fn cli_x(r: &RedisServer, args: &[&str], value: &[u8]) {
    let out = run_with_stdin(
        Command::new("redis-cli")
            .args(["-p", &r.port.to_string(), "-x"])
            .args(args),
        value,
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn malformed_truncated_and_binary_input_is_refused_whole() {
    let r = setup("cat", None);
    r.cli(&["LPUSH", "p:queue", "already-there"]);
    let before = r.snapshot();
    let cases: [(&str, &[u8], &str); 9] = [
        (
            "truncated JSON",
            b"{\"url\":\"a.com\"}\n{\"url\":\"b.c",
            "line 3: not valid JSON",
        ),
        (
            "malformed JSON",
            b"{url: a.com}\n",
            "line 2: not valid JSON",
        ),
        (
            "trailing garbage",
            b"{\"url\":\"a\"} x\n",
            "line 2: not valid JSON",
        ),
        (
            "invalid UTF-8",
            b"{\"url\":\"\xff\xfe\"}\n",
            "line 2: not valid UTF-8",
        ),
        (
            "a NUL byte",
            b"{\"url\":\"a\0b\"}\n",
            "line 2: contains a NUL byte",
        ),
        (
            "a missing field",
            b"{\"name\":\"x\"}\n",
            "has no field 'url'",
        ),
        (
            "an object field",
            b"{\"url\":{\"host\":\"a\"}}\n",
            "is an object",
        ),
        ("a null field", b"{\"url\":null}\n", "has no field 'url'"),
        (
            "an empty field",
            b"{\"url\":\"\"}\n",
            "field 'url' is empty",
        ),
    ];
    for (what, input, needle) in cases {
        let good_then_bad = [b"{\"url\":\"good.com\"}\n".as_slice(), input].concat();
        let out = run_with_stdin(
            r.pipectl()
                .args(["enqueue", "p:queue", "--dedup-by", "url"]),
            &good_then_bad,
        );
        assert_refused(&out, 65, needle);
        assert!(stderr(&out).contains("nothing was enqueued"), "{what}");
        assert_unchanged(&before, &r, what);
    }
    // A number or a boolean dedups by its JSON text.
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "p:queue", "--dedup-by", "id"]),
        b"{\"id\":5}\n{\"id\":5}\n{\"id\":true}\n",
    );
    assert_code(&out, 0);
    assert_eq!(
        r.cli_lines(&["SMEMBERS", "p:seen"]).len(),
        2,
        "5 and true, once each"
    );
}

#[test]
fn a_100_mb_line_and_a_million_tiny_lines() {
    let r = RedisServer::start();
    // 100 MB on one line, between two good ones: refused whole, nothing written.
    let mut input = b"{\"u\":\"first\"}\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 100 << 20));
    input.extend_from_slice(b"\n{\"u\":\"last\"}\n");
    let out = run_with_stdin(r.pipectl().args(["enqueue", "big"]), &input);
    assert_refused(&out, 65, "line 2: item is 104857600 bytes, over the limit");
    assert!(r.snapshot().is_empty());
    drop(input);

    // A million tiny lines: every one arrives exactly once, in order. (Bulk enqueue with
    // dedup is proved at 100,000 lines in tests/it/queue.rs.)
    let lines: String = (0..1_000_000).map(|i| format!("{{\"u\":{i}}}\n")).collect();
    let started = Instant::now();
    let out = run_with_stdin(
        r.pipectl().args(["--json", "enqueue", "tiny"]),
        lines.as_bytes(),
    );
    eprintln!("1M lines enqueued in {:?}", started.elapsed());
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["enqueued"], 1_000_000);
    assert_eq!(r.llen("tiny"), 1_000_000);
    // FIFO and complete: the consumer end holds line 1, the producer end the last line.
    assert_eq!(r.cli(&["LINDEX", "tiny", "-1"]), "{\"u\":0}");
    assert_eq!(r.cli(&["LINDEX", "tiny", "0"]), "{\"u\":999999}");
    let out = Command::new("redis-cli")
        .args([
            "-p",
            &r.port.to_string(),
            "--raw",
            "LRANGE",
            "tiny",
            "0",
            "-1",
        ])
        .output()
        .unwrap();
    let mut got: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    got.sort_unstable();
    got.dedup();
    assert_eq!(got.len(), 1_000_000, "no line twice");
}

#[test]
fn deeply_nested_json_never_overflows_the_stack() {
    let r = setup("cat", None);
    let open = "[".repeat(100_000);
    let balanced = format!("{open}{}", "]".repeat(100_000));
    // Read for a dedup field: refused. Moved as an opaque item: fine.
    let out = run_with_stdin(
        r.pipectl()
            .args(["enqueue", "p:queue", "--dedup-by", "url"]),
        open.as_bytes(),
    );
    assert_refused(&out, 65, "line 1: not valid JSON");
    assert_eq!(r.llen("p:queue"), 0);
    for item in [&open, &balanced] {
        let out = run_with_stdin(r.pipectl().args(["enqueue", "p:queue"]), item.as_bytes());
        assert_code(&out, 0);
    }
    for args in [
        vec!["ls", "p:queue"],
        vec!["ls", "p:queue", "--json"],
        vec!["peek", "p:queue", "--count", "2", "--json"],
        vec!["status"],
        vec!["run", "build", "--dry-run", "--max", "2"],
    ] {
        let out = pipectl(&r, &args);
        assert_no_panic(&out);
        assert_code(&out, 0);
    }
    // Through a handler (cat passes each on unchanged) and into the dead letters.
    let out = pipectl(&r, &["run", "build", "--max", "2"]);
    assert_code(&out, 0);
    assert_eq!(r.llen("p:staged"), 2);
    r.cli(&["RPOPLPUSH", "p:staged", "p:failed"]);
    for args in [
        vec!["dead", "ls"],
        vec!["dead", "ls", "--json"],
        vec!["dead", "show", "1"],
    ] {
        let out = pipectl(&r, &args);
        assert_no_panic(&out);
        assert_code(&out, 0);
    }
}

#[test]
fn keys_of_the_wrong_type_are_named_and_nothing_changes() {
    let r = setup("cat", None);
    // A queue in every state: waiting, leased, delayed, and a dead letter to retry.
    r.cli(&["LPUSH", "p:queue", "{\"n\":1}", "{\"n\":2}"]);
    let out = pipectl(&r, &["pop", "p:queue", "--lease", "1h"]);
    assert_code(&out, 0);
    let token = json(&out)["token"].as_str().unwrap().to_owned();
    r.cli(&[
        "ZADD",
        "p:queue:delayed",
        "99999999999999",
        "0123456789abcdef:{\"n\":3}",
    ]);
    r.cli(&[
        "LPUSH",
        "p:failed",
        r#"{"item":{"n":4},"stage":"build","queue":"p:queue","error":"x","attempts":3,"failed_at":"2026-01-01T00:00:00Z"}"#,
    ]);
    let enqueue_dedup = ["enqueue", "p:queue", "--dedup-by", "n", "{\"n\":9}"];
    let lease = ["pop", "p:queue", "--lease", "1m"];
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, &[&str], Vec<Vec<&str>>)> = vec![
        (
            "p:queue",
            &["SET", "p:queue", "x"],
            vec![
                lease.to_vec(),
                vec!["pop", "p:queue"],
                vec!["recover", "p:queue"],
                vec!["run", "build"],
                vec!["enqueue", "p:queue", "x"],
                enqueue_dedup.to_vec(),
                vec!["dead", "retry", "--all"],
            ],
        ),
        (
            "p:queue:leases",
            &["SET", "p:queue:leases", "x"],
            vec![
                lease.to_vec(),
                vec!["recover", "p:queue"],
                vec!["run", "build"],
                vec!["ack", &token],
                vec!["nack", &token],
            ],
        ),
        (
            "p:queue:leased",
            &["RPUSH", "p:queue:leased", "x"],
            vec![
                lease.to_vec(),
                vec!["pop", "p:queue"],
                vec!["recover", "p:queue"],
                vec!["ack", &token],
            ],
        ),
        (
            "p:queue:attempts",
            &["SADD", "p:queue:attempts", "x"],
            vec![
                lease.to_vec(),
                vec!["run", "build"],
                vec!["dead", "retry", "--all"],
            ],
        ),
        (
            "p:queue:delayed",
            &["SET", "p:queue:delayed", "x"],
            vec![
                lease.to_vec(),
                vec!["recover", "p:queue"],
                vec!["nack", &token, "--delay", "1m"],
            ],
        ),
        (
            "p:seen",
            &["SET", "p:seen", "x"],
            vec![enqueue_dedup.to_vec()],
        ),
        (
            "p:failed",
            &["SET", "p:failed", "x"],
            vec![vec!["nack", &token, "--dead"], vec!["dead", "ls"]],
        ),
        // The build stage's output: the handler ran, the move is refused as a whole and the
        // item goes straight back to the front of its queue.
        (
            "p:staged",
            &["SET", "p:staged", "x"],
            vec![vec!["run", "build"]],
        ),
    ];
    for (key, spoil, commands) in cases {
        let existed = r.cli(&["EXISTS", key]) == "1";
        let moved = format!("{key}.saved");
        if existed {
            r.cli(&["RENAME", key, &moved]);
        }
        r.cli(spoil);
        let before = r.snapshot();
        for args in commands {
            let out = pipectl(&r, &args);
            assert_refused(&out, 65, &format!("key '{key}' holds a"));
            assert!(
                stderr(&out).contains(&format!("redis-cli TYPE {key}")),
                "{args:?}: the hint names the key: {}",
                stderr(&out)
            );
            assert_unchanged(&before, &r, &format!("{args:?} with {key} spoiled"));
        }
        r.cli(&["DEL", key]);
        if existed {
            r.cli(&["RENAME", &moved, key]);
        }
    }
    // Everything still works once the keys are right.
    assert_code(&pipectl(&r, &["ack", &token]), 0);
    assert_code(&pipectl(&r, &["run", "build", "--drain"]), 0);
}

#[test]
fn spoiled_counter_values_and_attempt_counts_never_stop_an_item() {
    let r = setup("cat", None);
    let day = today();
    r.cli(&["LPUSH", "p:queue", "{\"n\":1}", "{\"n\":2}"]);
    // A counter of the wrong type is refused before anything is written (common.lua, rule
    // 1): the run stops naming it and the item goes back where it was.
    let succeeded = format!("stats:p:build:succeeded:{day}");
    r.cli(&["LPUSH", &succeeded, "x"]);
    let before = r.snapshot();
    let out = pipectl(&r, &["--json", "run", "build", "--drain"]);
    assert_refused(&out, 65, &format!("key '{succeeded}' holds a list"));
    assert_unchanged(&before, &r, "run with a counter of the wrong type");
    r.cli(&["DEL", &succeeded]);
    // A counter whose value is not a number, and an attempt count that is not a number, are
    // skipped or started again: bookkeeping never stops an item.
    r.cli(&["SET", &format!("stats:p:build:processed:{day}"), "many"]);
    r.cli(&["HSET", "p:queue:attempts", "{\"n\":1}", "lots"]);
    let out = pipectl(&r, &["--json", "run", "build", "--drain"]);
    assert_code(&out, 0);
    assert_eq!(r.llen("p:staged"), 2);
    assert_eq!(r.cli(&["EXISTS", "p:queue:attempts"]), "0");
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:build:processed:{day}")]),
        "many"
    );

    // A rate-limit window holding something that is not a whole number counts as spent.
    r.cli(&["SET", "p:rl", "2.5", "EX", "60"]);
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:staged")
                .exec(&["./h.sh"])
                .rate_limit("p:rl", 5, "1m")
        })
        .write(r.dir.path());
    r.cli(&["LPUSH", "p:queue", "{\"n\":3}"]);
    assert_code(&pipectl(&r, &["run", "build"]), 5);
    assert_eq!(r.llen("p:queue"), 1);
}

#[test]
fn broken_lease_bookkeeping_is_repaired_by_recover() {
    let r = setup("cat", None);
    // An item leased with no deadline (it would never come back), a deadline with no item
    // (expired and not), and a delayed retry written by hand without the hex prefix.
    r.cli(&[
        "HSET",
        "p:queue:leased",
        "orphan.1",
        "{\"n\":1}",
        "kept.1",
        "{\"n\":2}",
    ]);
    r.cli(&["ZADD", "p:queue:leases", "99999999999999", "kept.1"]);
    r.cli(&[
        "ZADD",
        "p:queue:leases",
        "1",
        "stale.1",
        "99999999999999",
        "stale.2",
    ]);
    r.cli(&["ZADD", "p:queue:delayed", "1", "{\"n\":3}"]);
    let out = pipectl(&r, &["--json", "recover", "p:queue"]);
    assert_code(&out, 0);
    let doc = json(&out);
    let q = &doc["queues"][0];
    assert_eq!(q["orphans_returned"], 1, "{doc}");
    assert_eq!(q["stale_deadlines_dropped"], 1, "{doc}");
    assert_eq!(q["retries_due"], 1, "{doc}");
    assert!(stderr(&out).contains("repaired"), "{}", stderr(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]),
        ["{\"n\":3}", "{\"n\":1}"]
    );
    assert_eq!(r.cli_lines(&["HKEYS", "p:queue:leased"]), ["kept.1"]);
    assert_eq!(
        r.cli_lines(&["ZRANGE", "p:queue:leases", "0", "-1"]),
        ["kept.1"]
    );
    // Nothing left to repair: a second recover changes nothing.
    let before = r.snapshot();
    assert_code(&pipectl(&r, &["recover", "p:queue"]), 0);
    assert_unchanged(&before, &r, "a second recover");
}

#[test]
fn corrupt_dead_letters_never_crash_and_retry_moves_each_once() {
    let r = setup("cat", None);
    let entries: Vec<Vec<u8>> = vec![
        b"{\"item\":{\"url\":\"a\"},\"stage\":\"bu".to_vec(),
        br#"{"item":1,"stage":5,"queue":[],"error":{},"attempts":"x","failed_at":"yesterday"}"#
            .to_vec(),
        br#"{"item":"s","stage":"nosuchstage","error":"e","failed_at":"2026-01-01T00:00:00Z"}"#
            .to_vec(),
        br#"{"item":{"deep":[[[[[]]]]]},"error":null,"failed_at":null}"#.to_vec(),
        b"\xff\xfe not utf-8".to_vec(),
        b"nul\0inside".to_vec(),
        b" ".to_vec(),
        format!(
            "{{\"item\":{},\"error\":\"e\",\"failed_at\":\"x\"}}",
            "[".repeat(50_000)
        )
        .into_bytes(),
    ];
    for entry in &entries {
        cli_x(&r, &["LPUSH", "p:failed"], entry);
    }
    for args in [
        vec!["dead", "ls"],
        vec!["dead", "ls", "--json"],
        vec!["dead", "ls", "--where", "error~e", "--since", "1d"],
        vec!["dead", "ls", "--stage", "build"],
    ] {
        let out = pipectl(&r, &args);
        assert_no_panic(&out);
        assert_code(&out, 0);
    }
    for pos in 1..=entries.len() {
        let out = pipectl(&r, &["dead", "show", &pos.to_string()]);
        assert_no_panic(&out);
        assert_code(&out, 0);
    }
    let out = pipectl(&r, &["dead", "purge", "--older-than", "36500d", "--yes"]);
    assert_no_panic(&out);
    let out = pipectl(&r, &["dead", "retry", "--all", "--to", "p:other"]);
    assert_no_panic(&out);
    assert_code(&out, 0);
    assert_eq!(r.llen("p:failed"), 0);
    assert_eq!(
        r.llen("p:queue") + r.llen("p:other"),
        entries.len(),
        "each entry went back exactly once"
    );
}

/// A bulk check reserves room for an item per input line; for an input of mostly blank lines
/// that is far more than it needs. Refused (here by an address-space limit, as on a small
/// machine), the check goes on without it: the one item goes in, nothing aborts.
#[test]
fn an_input_of_blank_lines_under_a_small_address_space_is_still_enqueued() {
    use std::os::unix::process::CommandExt;
    let r = RedisServer::start();
    let mut input = vec![b'\n'; 20_000_000];
    input.extend_from_slice(b"{\"url\":\"a\"}\n");
    let path = r.dir.path().join("blank.ndjson");
    std::fs::write(&path, &input).unwrap();
    let mut cmd = r.pipectl();
    cmd.args(["enqueue", "q", "--dedup-by", "url", "--file"])
        .arg(&path);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 400 << 20,
                rlim_max: 400 << 20,
            };
            match libc::setrlimit(libc::RLIMIT_AS, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    let out = cmd.output().unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen("q"), 1);
}
