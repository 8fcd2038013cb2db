//! Redis faults: killed (SIGKILL) and restarted with AOF in the middle of a run or a bulk
//! enqueue, unreachable, or lacking commands pipectl needs.

use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::state::assert_each_once;
use crate::support::*;

/// A server with AOF on and the given fsync policy.
fn durable(fsync: &str) -> RedisServer {
    RedisServer::start_with(&["--appendonly", "yes", "--appendfsync", fsync])
}

/// Stage build (p:queue -> p:done) with a handler that takes a little while.
fn stage(r: &RedisServer) {
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:done")
                .exec(&["./h.sh"])
                .timeout("1s")
                .backoff("100ms")
                .max_backoff("100ms")
                .max_attempts(20)
        })
        .write(r.dir.path());
    handler(r.dir.path(), "h.sh", "sleep 0.03\ncat");
}

fn items(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{{\"id\":{i}}}")).collect()
}

fn enqueue(r: &RedisServer, items: &[String]) {
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "p:queue"]),
        items.join("\n").as_bytes(),
    );
    assert_code(&out, 0);
}

fn spawn(r: &RedisServer, args: &[&str]) -> Child {
    r.pipectl()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `p:done` has at least `n` items, so the crash comes mid-run.
fn wait_for_done(r: &RedisServer, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while r.llen("p:done") < n {
        assert!(Instant::now() < deadline, "the run never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// After the leases of the crashed run expire: recover, drain, and check every item is in
/// p:done exactly once.
fn finish_and_check(r: &RedisServer, all: &[String]) {
    std::thread::sleep(Duration::from_millis(2100));
    assert_code(&r.pipectl().args(["recover"]).output().unwrap(), 0);
    let out = r
        .pipectl()
        .args(["run", "build", "--drain", "--wait", "1s"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    let places = r.whereabouts(&["p:queue"], &["p:done"], "p:failed");
    let counts = assert_each_once(&places, all);
    assert_eq!(counts["p:done"], all.len(), "{counts:?}");
}

#[test]
fn redis_killed_mid_drain_is_exit_69_and_nothing_acknowledged_is_lost() {
    // appendfsync everysec: a killed redis-server loses nothing it acknowledged (the AOF is
    // written before each reply; only a machine crash can lose up to the last second).
    let mut r = durable("everysec");
    stage(&r);
    let all = items(150);
    enqueue(&r, &all);
    let child = spawn(&r, &["run", "build", "--drain", "-j", "3"]);
    wait_for_done(&r, 20);
    r.kill();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 69);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("Redis at redis://127.0.0.1:{}", r.port))
            && (err.contains("lost the connection") || err.contains("cannot connect")),
        "a clear message: {err}"
    );
    r.restart();
    finish_and_check(&r, &all);
}

#[test]
fn a_waiting_worker_reconnects_after_a_restart() {
    let mut r = durable("always");
    stage(&r);
    let all = items(150);
    enqueue(&r, &all);
    let child = spawn(&r, &["run", "build", "--drain", "--wait", "4s", "-j", "2"]);
    wait_for_done(&r, 20);
    r.kill();
    std::thread::sleep(Duration::from_millis(800));
    r.restart();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
    assert!(
        err.contains("reconnecting in 100ms") && err.contains("reconnected to Redis"),
        "the worker says what it does: {err}"
    );
    // The worker finished the queue by itself; leases of the crash moment (if any) expire
    // and are taken by the final drain.
    finish_and_check(&r, &all);
}

#[test]
fn a_waiting_worker_gives_up_at_the_wait_deadline() {
    let mut r = RedisServer::start();
    stage(&r);
    enqueue(&r, &items(5));
    let child = spawn(&r, &["run", "build", "--drain", "--wait", "1500ms"]);
    wait_for_done(&r, 1);
    r.kill();
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 69);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        stderr(&out).contains("gave up reconnecting to Redis after 1s500ms"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bulk_enqueue_cut_by_a_crash_is_whole_chunks_and_a_rerun_completes_it() {
    let mut r = durable("always");
    let lines: String = (0..200_000)
        .map(|i| format!("{{\"url\":\"s{i}.com\"}}\n"))
        .collect();
    let file = write_file(r.dir.path(), "bulk.ndjson", &lines);
    let child = r
        .pipectl()
        .args(["enqueue", "bulk", "--dedup-by", "url", "--file"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while r.llen("bulk") == 0 {
        assert!(Instant::now() < deadline, "the enqueue never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    r.kill();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 69);
    r.restart();
    let queued = r.llen("bulk");
    let seen: usize = r.cli(&["SCARD", "prospect:seen"]).parse().unwrap();
    eprintln!("after the crash: {queued} queued, {seen} seen");
    assert_eq!(
        queued, seen,
        "mark-seen and push went together or not at all"
    );
    assert!(queued < 200_000, "the crash came mid-way");
    let out = r
        .pipectl()
        .args(["--json", "enqueue", "bulk", "--dedup-by", "url", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen("bulk"), 200_000);
    assert_eq!(r.cli(&["SCARD", "prospect:seen"]), "200000");
    let mut all = r.cli_lines(&["LRANGE", "bulk", "0", "-1"]);
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 200_000, "no item twice");
}

#[test]
fn every_command_fails_fast_with_69_when_redis_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("redis://:pw-never-shown@127.0.0.1:{}", free_port());
    let commands: Vec<Vec<&str>> = vec![
        vec!["enqueue", "q", "x"],
        vec!["enqueue", "q", "--dedup-by", "u", "{\"u\":1}"],
        vec!["pop", "q"],
        vec!["pop", "q", "--lease", "1m", "--wait", "5s"],
        vec!["ack", "q#a.000001"],
        vec!["nack", "q#a.000001"],
        vec!["peek", "q"],
        vec!["ls", "q"],
        vec!["len", "q"],
        vec!["seen", "x"],
        vec!["count", "c"],
        vec!["stats"],
        vec!["recover"],
        vec!["run", "build"],
        vec!["run", "build", "--drain", "--wait", "5s"],
        vec!["run", "discover"],
        vec!["run", "build", "--dry-run"],
        vec!["pause", "build"],
        vec!["resume", "build"],
        vec!["ratelimit", "show", "outreach:ratelimit:sms"],
        vec!["ratelimit", "take", "outreach:ratelimit:sms"],
        vec!["ratelimit", "reset", "outreach:ratelimit:sms"],
        vec!["dead", "ls"],
        vec!["dead", "show", "1"],
        vec!["dead", "retry", "--all"],
        vec!["dead", "purge", "--all", "--yes"],
        vec!["status"],
        vec!["saturation"],
    ];
    for args in commands {
        let started = Instant::now();
        let out = pipectl_in(dir.path())
            .args(["--url", &url])
            .args(&args)
            .output()
            .unwrap();
        let took = started.elapsed();
        assert_code(&out, 69);
        assert!(took < Duration::from_secs(3), "{args:?} took {took:?}");
        let err = stderr(&out);
        assert!(err.contains("REDIS_URL"), "{args:?}: {err}");
        assert!(!err.contains("pw-never-shown"), "{args:?}: {err}");
    }
    // doctor reports it as a failed check (exit 1), as fast.
    let started = Instant::now();
    let out: Output = pipectl_in(dir.path())
        .args(["--url", &url, "doctor"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(stdout(&out).contains("FAIL  redis"), "{}", stdout(&out));
}

#[test]
fn a_server_without_the_commands_of_redis_6_2_is_named() {
    // What a server older than 6.2 lacks, hidden with rename-command in a 7.x server.
    let r = RedisServer::start_with(&[
        "--rename-command",
        "BLMOVE",
        "",
        "--rename-command",
        "LMOVE",
        "",
        "--rename-command",
        "RPOP",
        "",
        "--rename-command",
        "SMISMEMBER",
        "",
    ]);
    stage(&r);
    r.cli(&["LPUSH", "q", "x"]);
    for args in [
        vec!["pop", "q"],
        vec!["pop", "q", "--lease", "1m"],
        vec!["pop", "empty", "--wait", "1s"],
        vec!["seen", "acme.com"],
        vec!["run", "build", "--wait", "1s"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 69);
        assert!(
            stderr(&out).contains("pipectl needs Redis ≥ 6.2"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// A bulk enqueue calls its script by hash after the first batch (with `--in`, or with dedup
/// for a user who may not run LREM, so no transactions: enqueue_pushed_check.lua). When the
/// server's scripts are flushed meanwhile, a call that meets NOSCRIPT did not run: it is sent
/// again with the script's source, and those after it with it. A dedup transaction sends its
/// script whole. Every item goes in once, in input order, into each queue and (with `--in`)
/// into the delayed set.
#[test]
fn scripts_flushed_during_a_bulk_enqueue_lose_and_reorder_nothing() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let r = RedisServer::start();
    let n = 40_000;
    // Each 100th line repeats the one before it: a duplicate within its batch.
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"url\":\"u{}\",\"i\":{i}}}",
                i - usize::from(i % 100 == 99)
            )
        })
        .collect();
    let input = lines.join("\n") + "\n";
    let stop = AtomicBool::new(false);
    let mut con = redis::Client::open(r.url())
        .and_then(|c| c.get_connection())
        .unwrap();
    r.cli(&[
        "ACL", "SETUSER", "producer", "on", ">pw", "~*", "&*", "+@all", "-lrem",
    ]);
    let producer = format!("redis://producer:pw@127.0.0.1:{}", r.port);
    let outs = std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let _: () = redis::cmd("SCRIPT").arg("FLUSH").query(&mut con).unwrap();
            }
        });
        let outs: Vec<Output> = [
            (&["--json", "enqueue", "q", "--dedup-by", "url"][..], None),
            (
                &[
                    "--json",
                    "enqueue",
                    "q2",
                    "--dedup-by",
                    "url",
                    "--seen-set",
                    "s3",
                ],
                Some(&producer),
            ),
            (
                &[
                    "--json",
                    "enqueue",
                    "later",
                    "--dedup-by",
                    "url",
                    "--seen-set",
                    "s2",
                    "--in",
                    "1h",
                ],
                None,
            ),
        ]
        .iter()
        .map(|(args, url)| {
            let mut cmd = r.pipectl();
            if let Some(url) = url {
                cmd.env("REDIS_URL", url);
            }
            run_with_stdin(cmd.args(*args), input.as_bytes())
        })
        .collect();
        stop.store(true, Ordering::Relaxed);
        outs
    });
    for out in &outs {
        assert_code(out, 0);
        let doc = json(out);
        let counts = (doc["enqueued"].as_u64(), doc["duplicates"].as_u64());
        assert_eq!(counts, (Some(n as u64 - 400), Some(400)), "{doc}");
    }
    let noscript: u64 = r
        .cli(&["INFO", "errorstats"])
        .lines()
        .find_map(|l| l.strip_prefix("errorstat_NOSCRIPT:count="))
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        noscript > 0,
        "no call met NOSCRIPT: the test proved nothing"
    );
    let want: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 100 != 99)
        .map(|(_, l)| l.as_str())
        .collect();
    for queue in ["q", "q2"] {
        let mut queued = r.cli_lines(&["LRANGE", queue, "0", "-1"]);
        queued.reverse();
        assert_eq!(
            queued, want,
            "{queue} holds each new item once, in input order"
        );
    }
    let delayed: Vec<String> = r
        .cli_lines(&["ZRANGE", "later:delayed", "0", "-1"])
        .into_iter()
        .map(|e| {
            e.split_once(':')
                .map(|(_, item)| item.to_owned())
                .unwrap_or(e)
        })
        .collect();
    assert_eq!(delayed, want, "the delayed set too");
}
