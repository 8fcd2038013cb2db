//! Supervision: nothing a handler started outlives `pipectl run`, however run dies — with
//! the real binary, a real redis-server and real handler process trees.
//!
//! Every handler runs in the test's temp dir (pipectl's working directory), so "what the
//! handler started" is every process whose cwd is that dir, redis-server aside. Conditions
//! are polled with generous deadlines: these tests must hold on a loaded 2-core machine.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// Writes pipectl.toml (pipeline `p`) with one stage `build` from p:queue to p:staged whose
/// handler is `sh -c SCRIPT`; `tune` sets its other keys.
fn config(r: &RedisServer, script: &str, tune: impl FnOnce(Stage) -> Stage) {
    Pipeline::new("p")
        .stage("build", |s| {
            tune(s.input("p:queue").output("p:staged").sh(script))
        })
        .write(r.dir.path());
}

fn start_run(r: &RedisServer, args: &[&str]) -> Child {
    r.pipectl()
        .arg("run")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: a plain kill(2) of a child of this test.
    unsafe {
        libc::kill(pid as i32, signal);
    }
}

/// Polls `cond` every 20ms until it holds or `limit` passes; returns whether it held.
fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Live processes (zombies aside) working in `dir`: pipectl, its guard and whatever its
/// handlers started. redis-server (started with --dir there) is not counted.
fn processes_in(dir: &Path) -> Vec<String> {
    let Ok(dir_real) = dir.canonicalize() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if std::fs::read_link(format!("/proc/{pid}/cwd"))
            .ok()
            .as_deref()
            != Some(&dir_real)
        {
            continue;
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
        if stat.contains("(redis-server)") || state.is_none_or(|s| s.starts_with('Z')) {
            continue;
        }
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        found.push(format!("{pid}: {}", cmdline.trim()));
    }
    found
}

/// Asserts that within `limit` nothing runs in the test's dir any more.
fn assert_all_gone(r: &RedisServer, limit: Duration, what: &str) {
    let gone = wait_for(limit, || processes_in(r.dir.path()).is_empty());
    assert!(
        gone,
        "{what}: still running after {limit:?}: {:?}",
        processes_in(r.dir.path())
    );
}

/// A process of the test's dir whose command line contains `needle` is running.
fn running(r: &RedisServer, needle: &str) -> bool {
    processes_in(r.dir.path())
        .iter()
        .any(|p| p.contains(needle))
}

fn side_effect(r: &RedisServer, name: &str) -> Option<String> {
    std::fs::read_to_string(r.dir.path().join(name)).ok()
}

#[test]
fn a_sigkilled_run_takes_its_handlers_grandchildren_with_it() {
    let r = RedisServer::start();
    // The defect: the handler's child is no child of pipectl, so a death signal on the
    // handler alone did not reach it, and it sent the SMS after pipectl was killed.
    config(
        &r,
        "cat >/dev/null; sh -c 'sleep 2; echo SENT >> side-effects'",
        |s| s.timeout("10s"),
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let started = Instant::now();
    let mut run = start_run(&r, &["build"]);
    assert!(
        wait_for(Duration::from_secs(20), || running(&r, "sh -c sleep 2")),
        "the handler never started its child: {:?}",
        processes_in(r.dir.path())
    );
    // About 0.7s in, as in the report (later on a slow machine, never earlier).
    std::thread::sleep(Duration::from_millis(700).saturating_sub(started.elapsed()));
    signal(run.id(), libc::SIGKILL);
    run.wait().unwrap();
    let killed = Instant::now();
    assert_all_gone(&r, Duration::from_secs(2), "after SIGKILL of run");
    std::thread::sleep(Duration::from_secs(3).saturating_sub(killed.elapsed()));
    assert_eq!(
        side_effect(&r, "side-effects"),
        None,
        "the SMS went out anyway"
    );
    // The item is still leased: it runs again when the lease expires, exactly once.
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "1");
}

#[test]
fn a_setsid_double_fork_is_found_too() {
    let r = RedisServer::start();
    // The handler leaves a process in a new session behind (its parent shell exits, so it
    // is an orphan too) and succeeds; run stays up, waiting for more work, until killed.
    // The handler ends only once the orphan is in its own session: the guard kills the
    // handler's process group when the handler ends, which would take a child that had not
    // called setsid yet (a loaded machine can be that slow), and prove nothing.
    config(
        &r,
        r#"setsid sh -c "echo x > started; sleep 6; echo SENT >> f" </dev/null >/dev/null 2>&1 & cat >/dev/null; while [ ! -e started ]; do sleep 0.05; done"#,
        |s| s.timeout("10s"),
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let mut run = start_run(&r, &["build", "--drain", "--wait", "1m"]);
    assert!(
        wait_for(Duration::from_secs(20), || r.llen("p:staged") == 1),
        "the item was not handled"
    );
    assert!(
        wait_for(Duration::from_secs(10), || running(
            &r,
            "sleep 6; echo SENT"
        )),
        "the setsid'd process is not running: {:?}",
        processes_in(r.dir.path())
    );
    signal(run.id(), libc::SIGKILL);
    run.wait().unwrap();
    let killed = Instant::now();
    assert_all_gone(&r, Duration::from_secs(3), "after SIGKILL of run");
    // Long enough for the sleep to have ended had it survived (it lasts 6s from the
    // handler's start, which was before the kill): a loaded machine may take seconds to
    // stage the item, so a shorter sleep could end before the test looks for it.
    std::thread::sleep(Duration::from_secs(7).saturating_sub(killed.elapsed()));
    assert_eq!(side_effect(&r, "f"), None);
}

#[test]
fn what_a_handler_left_behind_ends_with_the_run() {
    let r = RedisServer::start();
    config(
        &r,
        r#"setsid sh -c "sleep 2; echo SENT >> f" & cat >/dev/null"#,
        |s| s,
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let out = r.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 0);
    // run waits for its guard, which has killed every leftover by the time run exits.
    let left = processes_in(r.dir.path());
    assert!(left.is_empty(), "left running after run exited: {left:?}");
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(side_effect(&r, "f"), None);
}

#[test]
fn sigterm_still_gives_the_grace_period_then_kills_the_whole_tree() {
    let r = RedisServer::start();
    config(
        &r,
        r#"cat >/dev/null; setsid sh -c "sleep 60" & echo x > started; sleep 60"#,
        |s| s.timeout("1m"),
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let run = start_run(&r, &["build", "--grace", "1500ms"]);
    assert!(
        wait_for(Duration::from_secs(20), || side_effect(&r, "started")
            .is_some()),
        "the handler never started"
    );
    assert!(wait_for(Duration::from_secs(10), || running(
        &r,
        "sh -c sleep 60"
    )));
    let termed = Instant::now();
    signal(run.id(), libc::SIGTERM);
    // The grace period: the handler and what it started keep running meanwhile.
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        running(&r, "sleep 60"),
        "killed before the grace period ended: {:?}",
        processes_in(r.dir.path())
    );
    let out = run.wait_with_output().unwrap();
    let took = termed.elapsed();
    assert!(took >= Duration::from_millis(1400), "took only {took:?}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_code(&out, 1);
    assert!(stderr(&out).contains("released"), "{}", stderr(&out));
    assert_eq!(r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]), ["job"]);
    let left = processes_in(r.dir.path());
    assert!(left.is_empty(), "left running after run exited: {left:?}");
}

#[test]
fn a_handler_that_finishes_within_the_grace_period_completes() {
    let r = RedisServer::start();
    config(
        &r,
        "cat >/dev/null; echo x > started; sleep 1; echo '{\"done\":true}'",
        |s| s.timeout("1m"),
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let run = start_run(&r, &["build", "--grace", "20s"]);
    assert!(wait_for(Duration::from_secs(20), || side_effect(
        &r, "started"
    )
    .is_some()));
    signal(run.id(), libc::SIGTERM);
    let out = run.wait_with_output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]),
        [r#"{"done":true}"#]
    );
}

#[test]
fn a_timeout_kills_the_handlers_descendants_in_other_sessions_too() {
    let r = RedisServer::start();
    config(
        &r,
        r#"setsid sh -c "sleep 61" & sh -c "sleep 62" & echo x > started; sleep 63"#,
        |s| s.timeout("1s").max_attempts(1),
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    // The run stays up (--wait), so what the timeout killed is not the end of the run's doing.
    let mut run = start_run(&r, &["build", "--drain", "--wait", "1m"]);
    assert!(wait_for(Duration::from_secs(20), || side_effect(
        &r, "started"
    )
    .is_some()));
    assert!(
        wait_for(Duration::from_secs(20), || r.llen("p:failed") == 1),
        "the item was not dead-lettered"
    );
    let envelope = r.cli(&["LINDEX", "p:failed", "0"]);
    assert!(envelope.contains("timed out after 1s"), "{envelope}");
    let gone = wait_for(Duration::from_secs(2), || {
        !["sleep 61", "sleep 62", "sleep 63"]
            .iter()
            .any(|s| running(&r, s))
    });
    assert!(
        gone,
        "the timeout kill missed some: {:?}",
        processes_in(r.dir.path())
    );
    assert_eq!(run.try_wait().unwrap(), None, "run is still up");
    signal(run.id(), libc::SIGKILL);
    run.wait().unwrap();
    assert_all_gone(&r, Duration::from_secs(2), "after SIGKILL of run");
}

#[test]
fn the_handler_sees_what_it_saw_before() {
    let r = RedisServer::start();
    // Bytes that are not text, no trailing newline.
    let item: &[u8] = b"\xff\x00 odd\r\nitem\x01";
    config(
        &r,
        "cat > item.in; \
             env | grep -E '^(PIPECTL_[A-Z]+|FROM_CRONTAB)=' | sort > env.out; \
             pwd > cwd.out; \
             while read -r k v; do case $k in SigIgn:|SigBlk:) echo \"$k $v\";; esac; \
             done < /proc/self/status > signals.out; \
             ps -o pgid= -p $$ | tr -d ' ' > pgid.out; echo $$ > pid.out",
        |s| s,
    );
    push_bytes(&r, item);
    let out = r
        .pipectl()
        .args(["run", "build"])
        .env("FROM_CRONTAB", "yes")
        .env_remove("PIPECTL_REVIEWER")
        .output()
        .unwrap();
    assert_code(&out, 0);
    let read = |name: &str| std::fs::read(r.dir.path().join(name)).unwrap();
    assert_eq!(read("item.in"), item, "stdin is the item, byte for byte");
    let env = String::from_utf8(read("env.out")).unwrap();
    let lines: Vec<&str> = env.lines().collect();
    assert_eq!(lines.len(), 5, "{env}");
    assert_eq!(lines[0], "FROM_CRONTAB=yes");
    assert_eq!(lines[1], "PIPECTL_ATTEMPT=1");
    assert!(lines[2].starts_with("PIPECTL_CONTROL=/"), "{env}");
    assert_eq!(lines[3], "PIPECTL_QUEUE=p:queue");
    assert_eq!(lines[4], "PIPECTL_STAGE=build");
    let cwd = String::from_utf8(read("cwd.out")).unwrap();
    assert_eq!(
        Path::new(cwd.trim()).canonicalize().unwrap(),
        r.dir.path().canonicalize().unwrap()
    );
    // The handler is the leader of a process group of its own.
    let (pgid, pid) = (
        String::from_utf8(read("pgid.out")).unwrap(),
        String::from_utf8(read("pid.out")).unwrap(),
    );
    if !pgid.trim().is_empty() {
        assert_eq!(pgid.trim(), pid.trim());
    }
    // Signals: nothing blocked; ignored exactly what pipectl was started with ignored, less
    // SIGPIPE (pipectl and its guard ignore more for themselves; the handler must not).
    // (Read by the shell itself: a child such as grep could see the mask dash sets around
    // its own vfork.)
    let mine = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |status: &str, name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| u64::from_str_radix(v.trim(), 16).unwrap())
            .unwrap()
    };
    let sigpipe = 1u64 << (libc::SIGPIPE - 1);
    let signals = String::from_utf8(read("signals.out")).unwrap();
    assert_eq!(
        field(&signals, "SigIgn:"),
        field(&mine, "SigIgn:") & !sigpipe,
        "{signals}"
    );
    assert_eq!(field(&signals, "SigBlk:"), 0, "{signals}");
}

#[test]
fn exit_codes_signals_and_large_items_are_reported_as_before() {
    let r = RedisServer::start();
    config(
        &r,
        r#"item=$(head -c 40); case "$item" in
  big*) ;;
  temp*) exit 75 ;;
  bad*) echo 'no good' >&2; exit 65 ;;
  kill*) kill -TERM $$ ;;
esac"#,
        |s| s.max_attempts(1),
    );
    let big = format!("big{}", "x".repeat(1000 * 1024));
    r.cli(&["LPUSH", "p:queue", "temp", "bad", "kill"]);
    push_bytes(&r, big.as_bytes());
    let out = r
        .pipectl()
        .args(["--json", "run", "build", "--drain"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    // The big item: the handler read 40 bytes of it and succeeded; it passes on unchanged.
    assert_eq!(r.llen("p:staged"), 1);
    assert_eq!(r.cli(&["LINDEX", "p:staged", "0"]), big);
    let failed = r.cli_lines(&["LRANGE", "p:failed", "0", "-1"]).join("\n");
    assert!(
        failed.contains("handler asked to retry later (exit 75)"),
        "{failed}"
    );
    assert!(
        failed.contains("handler rejected the item (exit 65): no good"),
        "{failed}"
    );
    assert!(
        failed.contains("handler was killed by signal 15"),
        "{failed}"
    );
}

#[test]
fn a_killed_guard_fails_the_call_not_the_run() {
    let r = RedisServer::start();
    config(
        &r,
        // `exec sleep`: the handler itself sleeps. (What a handler started would survive a
        // killed guard: the one thing supervision cannot catch from within.)
        "item=$(cat); [ \"$item\" = slow ] && { echo x > started; exec sleep 60; }; true",
        |s| s.timeout("1m").max_attempts(2),
    );
    r.cli(&["LPUSH", "p:queue", "slow", "next"]);
    let run = start_run(&r, &["build", "--drain"]);
    assert!(wait_for(Duration::from_secs(20), || side_effect(
        &r, "started"
    )
    .is_some()));
    // pipectl's one child is its guard.
    let guard = children(run.id());
    assert_eq!(guard.len(), 1, "{guard:?}");
    signal(guard[0], libc::SIGKILL);
    let out = run.wait_with_output().unwrap();
    // The slow item failed (its handler died with the guard: SIGKILL) and waits for its
    // retry; the run went on with a new guard and handled the next item.
    assert_code(&out, 1);
    assert_eq!(r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]), ["next"]);
    assert_eq!(r.cli(&["ZCARD", "p:queue:delayed"]), "1");
    let left = processes_in(r.dir.path());
    assert!(left.is_empty(), "left running after run exited: {left:?}");
}

#[test]
fn the_guard_is_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = pipectl_in(dir.path())
        .arg("__handler-guard")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("internal"), "{}", stderr(&out));
}

/// LPUSHes `bytes` as they are (redis-cli -x takes the last argument from stdin).
fn push_bytes(r: &RedisServer, bytes: &[u8]) {
    use std::io::Write;
    let mut cli = std::process::Command::new("redis-cli")
        .args(["-p", &r.port.to_string(), "-x", "LPUSH", "p:queue"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    cli.stdin.take().unwrap().write_all(bytes).unwrap();
    assert!(cli.wait().unwrap().success());
}

/// The pids of `parent`'s children.
fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let rest = stat.rsplit_once(')')?.1.to_owned();
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}
