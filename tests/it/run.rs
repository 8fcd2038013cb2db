//! `pipectl run` against a real redis-server with real handler processes.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::Value;

/// Writes pipectl.toml: pipeline `p` with these stages.
fn config(r: &RedisServer, stages: impl IntoIterator<Item = Stage>) {
    stages
        .into_iter()
        .fold(Pipeline::new("p"), Pipeline::with)
        .write(r.dir.path());
}

/// Stage `build`: `input` → `output`, handler `./{exec}` (in the test's dir).
fn build(input: &str, output: &str, exec: &str) -> Stage {
    Stage::new("build")
        .input(input)
        .output(output)
        .exec(&[&format!("./{exec}")])
}

fn run(r: &RedisServer, args: &[&str]) -> std::process::Output {
    r.pipectl().arg("run").args(args).output().unwrap()
}

#[test]
fn empty_stdout_passes_the_item_on_and_the_env_names_the_call() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "h.sh",
        r#"cat > "$PIPECTL_STAGE.$PIPECTL_ATTEMPT.$(echo "$PIPECTL_QUEUE" | tr : _).in""#,
    );
    config(&r, [build("p:queue", "p:staged", "h.sh")]);
    r.cli(&["LPUSH", "p:queue", r#"{"url":"a.com"}"#]);
    let out = run(&r, &["--json", "build"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 1);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]),
        [r#"{"url":"a.com"}"#]
    );
    let seen = std::fs::read_to_string(r.dir.path().join("build.1.p_queue.in")).unwrap();
    assert_eq!(seen, r#"{"url":"a.com"}"#);
    for key in [
        "p:queue",
        "p:queue:leases",
        "p:queue:leased",
        "p:queue:attempts",
    ] {
        assert_eq!(r.cli(&["EXISTS", key]), "0", "{key}");
    }
    let day = today();
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:build:processed:{day}")]),
        "1"
    );
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:build:succeeded:{day}")]),
        "1"
    );
}

#[test]
fn one_json_value_replaces_and_several_fan_out_with_dedup() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "replace.sh",
        r#"cat >/dev/null; printf '{\n  "url": "a.com",\n  "preview_url": "file:///a.html"\n}\n'"#,
    );
    handler(
        r.dir.path(),
        "fan.sh",
        r#"cat >/dev/null; printf '{"url":"x.com"}\n{"url":"y.com"}\n{"url":"x.com"}\n{"url":"seen.com"}\n'"#,
    );
    config(
        &r,
        [
            build("p:queue", "p:staged", "replace.sh"),
            Stage::new("split")
                .input("p:staged")
                .output("p:leads")
                .exec(&["./fan.sh"])
                .dedup_by("url"),
        ],
    );
    r.cli(&["LPUSH", "p:queue", r#"{"url":"a.com"}"#]);
    r.cli(&["SADD", "p:seen", "seen.com"]);
    assert_code(&run(&r, &["build"]), 0);
    let staged = r.cli(&["LINDEX", "p:staged", "0"]);
    assert!(
        staged.contains("\"preview_url\": \"file:///a.html\""),
        "kept byte for byte: {staged}"
    );
    let out = run(&r, &["--json", "split"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        (doc["enqueued"].as_u64(), doc["duplicates"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:leads", "0", "-1"]),
        [r#"{"url":"y.com"}"#, r#"{"url":"x.com"}"#]
    );
    assert_eq!(r.cli(&["GET", &format!("stats:p:new:{}", today())]), "2");
}

#[test]
fn exit_75_retries_with_backoff_then_succeeds() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "flaky.sh",
        r#"if [ "$PIPECTL_ATTEMPT" = 1 ]; then echo 'try later' >&2; exit 75; fi; cat >/dev/null"#,
    );
    config(
        &r,
        [build("p:queue", "p:staged", "flaky.sh")
            .backoff("1s")
            .max_attempts(3)],
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let out = run(&r, &["--json", "build"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["retried"], 1);
    assert_eq!(r.cli(&["ZCARD", "p:queue:delayed"]), "1");
    let due: i64 = r
        .cli(&["ZRANGE", "p:queue:delayed", "0", "0", "WITHSCORES"])
        .lines()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let time: Vec<i64> = r
        .cli(&["TIME"])
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    let now = time[0] * 1000 + time[1] / 1000;
    assert!(
        (now + 300..=now + 1100).contains(&due),
        "backoff of 1s with jitter: due {due}, now {now}"
    );
    // Not due yet: nothing to do.
    assert_code(&run(&r, &["build"]), 3);
    std::thread::sleep(Duration::from_millis(1100));
    let out = run(&r, &["--json", "build"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 1);
    assert_eq!(r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]), ["job"]);
    assert_eq!(r.cli(&["EXISTS", "p:queue:attempts"]), "0");
}

#[test]
fn exit_65_dead_letters_at_once_with_the_stderr_reason() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "reject.sh",
        "echo 'phone number 555 is invalid' >&2; exit 65",
    );
    config(
        &r,
        [build("p:queue", "p:staged", "reject.sh").max_attempts(5)],
    );
    r.cli(&["LPUSH", "p:queue", r#"{"name":"Acme"}"#]);
    let out = run(&r, &["--json", "build"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["dead_lettered"], 1);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    assert_eq!(envelope["item"]["name"], "Acme");
    assert_eq!(envelope["stage"], "build");
    assert_eq!(envelope["attempts"], 1);
    assert!(
        envelope["error"]
            .as_str()
            .unwrap()
            .contains("phone number 555 is invalid"),
        "{envelope}"
    );
    assert_eq!(r.llen("p:staged"), 0);
}

#[test]
fn failures_retry_until_max_attempts_then_dead_letter_with_the_stderr_tail() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "crash.sh",
        "cat >/dev/null; i=0; while [ $i -lt 400 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done; echo 'segfault in renderer' >&2; exit 3",
    );
    config(
        &r,
        [build("p:queue", "p:staged", "crash.sh")
            .max_attempts(3)
            .backoff("100ms")],
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    for attempt in 1..=3 {
        let out = run(&r, &["--json", "build", "--wait", "2s"]);
        assert_code(&out, 1);
        let doc = json(&out);
        if attempt < 3 {
            assert_eq!(doc["retried"], 1, "attempt {attempt}");
        } else {
            assert_eq!(doc["dead_lettered"], 1);
        }
    }
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    let error = envelope["error"].as_str().unwrap();
    assert!(
        error.starts_with("gave up after 3 attempts: handler failed with exit code 3"),
        "{error}"
    );
    assert!(
        error.ends_with("segfault in renderer") && error.len() < 700,
        "bounded tail: {error}"
    );
    assert_eq!(envelope["attempts"], 3);
    let day = today();
    assert_eq!(r.cli(&["GET", &format!("stats:p:build:failed:{day}")]), "3");
    assert_eq!(r.cli(&["GET", &format!("stats:p:build:dead:{day}")]), "1");
}

#[test]
fn a_timed_out_handler_is_killed_with_its_process_group() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "hang.sh",
        "sleep 60 & echo $! > child.pid; echo $$ > main.pid; sleep 60",
    );
    config(
        &r,
        [build("p:queue", "p:staged", "hang.sh")
            .timeout("1s")
            .max_attempts(1)],
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let started = Instant::now();
    let out = run(&r, &["build"]);
    assert_code(&out, 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(200));
    for file in ["child.pid", "main.pid"] {
        let pid = std::fs::read_to_string(r.dir.path().join(file)).unwrap();
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        assert!(
            stat.is_empty() || stat.contains(") Z "),
            "{file} {pid} still running: {stat}"
        );
    }
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    assert!(
        envelope["error"]
            .as_str()
            .unwrap()
            .contains("timed out after 1s"),
        "{envelope}"
    );
}

#[test]
fn invalid_json_output_is_a_failure() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "bad.sh",
        "cat >/dev/null; echo '{\"truncated\":'",
    );
    config(&r, [build("p:queue", "p:staged", "bad.sh").max_attempts(1)]);
    r.cli(&["LPUSH", "p:queue", "job"]);
    assert_code(&run(&r, &["build"]), 1);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    assert!(
        envelope["error"].as_str().unwrap().contains("invalid JSON"),
        "{envelope}"
    );
    assert_eq!(envelope["item_text"], "job");
    assert_eq!(r.llen("p:staged"), 0);
}

#[test]
fn a_handler_can_defer_or_drop_without_failing() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "followup.sh",
        r#"item=$(cat)
case "$item" in
  *warm*) echo '{"url":"a.com","warm":true}' ;;
  *drop*) echo drop > "$PIPECTL_CONTROL" ;;
  *) echo 'defer 1s' > "$PIPECTL_CONTROL"; echo '{"url":"a.com","checks":1,"next":"warm"}' ;;
esac"#,
    );
    config(
        &r,
        [build("p:contacted", "p:warm", "followup.sh").max_attempts(1)],
    );
    r.cli(&[
        "LPUSH",
        "p:contacted",
        r#"{"url":"a.com"}"#,
        "please drop me",
    ]);
    let out = run(&r, &["--json", "build", "--drain"]);
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        (
            doc["deferred"].as_u64(),
            doc["succeeded"].as_u64(),
            doc["retried"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(r.llen("p:warm"), 0, "dropped items go nowhere");
    assert_eq!(r.cli(&["ZCARD", "p:contacted:delayed"]), "1");
    assert_eq!(
        r.cli(&["EXISTS", "p:contacted:attempts"]),
        "0",
        "a deferral is not an attempt"
    );
    std::thread::sleep(Duration::from_millis(1100));
    // max_attempts = 1, yet the deferred item runs again: deferrals are not failures.
    let out = run(&r, &["--json", "build"]);
    assert_code(&out, 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:warm", "0", "-1"]),
        [r#"{"url":"a.com","warm":true}"#]
    );
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:build:deferred:{}", today())]),
        "1"
    );
}

#[test]
fn killed_runs_lose_and_duplicate_nothing() {
    let r = RedisServer::start();
    handler(r.dir.path(), "slow.sh", "sleep 0.4; cat");
    config(&r, [build("p:queue", "p:staged", "slow.sh").timeout("1s")]);
    let items: Vec<String> = (0..8).map(|i| format!("{{\"n\":{i}}}")).collect();
    let mut args = vec!["LPUSH", "p:queue"];
    args.extend(items.iter().map(String::as_str));
    r.cli(&args);

    // Kill pipectl mid-handler, again and again, at different moments.
    for (round, delay_ms) in [150u64, 300, 550, 700, 900].into_iter().enumerate() {
        let mut child = r
            .pipectl()
            .args(["run", "build", "--drain", "-j", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let in_redis = r.llen("p:queue")
            + r.llen("p:staged")
            + r.cli(&["HLEN", "p:queue:leased"]).parse::<usize>().unwrap();
        assert_eq!(
            in_redis, 8,
            "round {round}: every item is in exactly one place"
        );
    }
    // Leases of killed runs expire (timeout 1s + 1s) and their items run again.
    std::thread::sleep(Duration::from_millis(2100));
    let out = run(&r, &["build", "--drain"]);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        stderr(&out)
    );
    let mut staged = r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]);
    staged.sort();
    let mut expected = items.clone();
    expected.sort();
    assert_eq!(staged, expected, "each item exactly once");
    assert_eq!(r.llen("p:queue"), 0);
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
}

#[test]
fn sigterm_releases_leases_to_the_front_of_the_queue() {
    let r = RedisServer::start();
    handler(r.dir.path(), "slow.sh", "sleep 30");
    config(&r, [build("p:queue", "p:staged", "slow.sh").timeout("1m")]);
    r.cli(&["LPUSH", "p:queue", "first", "second"]);
    let child = r
        .pipectl()
        .args(["run", "build", "--grace", "300ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "1");
    let started = Instant::now();
    unsafe_kill(child.id(), "TERM");
    let out = child.wait_with_output().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_code(&out, 1);
    assert!(stderr(&out).contains("released"), "{}", stderr(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]),
        ["second", "first"],
        "back at the consumer end"
    );
    assert_eq!(
        r.cli(&["EXISTS", "p:queue:attempts"]),
        "0",
        "the interrupted claim is not counted"
    );
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
}

fn unsafe_kill(pid: u32, signal: &str) {
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
}

#[test]
fn pause_stops_claiming_between_two_items() {
    let r = RedisServer::start();
    // The handler pauses its own stage: the run must stop after this item.
    let port = r.port.to_string();
    handler(
        r.dir.path(),
        "pausing.sh",
        &format!("cat; redis-cli -p {port} SET p:paused:build 'disk full' >/dev/null"),
    );
    config(&r, [build("p:queue", "p:staged", "pausing.sh")]);
    r.cli(&["LPUSH", "p:queue", "a", "b", "c"]);
    let out = run(&r, &["--json", "build", "--drain"]);
    assert_code(&out, 4);
    let doc = json(&out);
    assert_eq!(doc["succeeded"], 1);
    assert_eq!(doc["paused"], true);
    assert_eq!(doc["paused_reason"], "disk full");
    assert_eq!(r.llen("p:queue"), 2);

    let out = run(&r, &["build"]);
    assert_code(&out, 4);
    assert!(stderr(&out).contains("disk full"), "{}", stderr(&out));
    let out = r.pipectl().args(["resume", "build"]).output().unwrap();
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["pause", "build", "--reason", "by hand"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli(&["GET", "p:paused:build"]), "by hand");
    r.pipectl().args(["resume", "build"]).output().unwrap();
    handler(r.dir.path(), "pausing.sh", "cat");
    assert_code(&run(&r, &["build", "--drain"]), 0);
    assert_eq!(r.llen("p:staged"), 3);
    assert_code(&r.pipectl().args(["resume", "build"]).output().unwrap(), 1);
    assert_code(&r.pipectl().args(["pause", "nosuch"]).output().unwrap(), 78);
}

#[test]
fn a_spent_rate_limit_stops_claiming_with_exit_5() {
    let r = RedisServer::start();
    handler(r.dir.path(), "send.sh", "cat");
    config(
        &r,
        [
            build("p:ready", "p:contacted", "send.sh").rate_limit(
                "outreach:ratelimit:sms",
                2,
                "1h",
            ),
        ],
    );
    r.cli(&["LPUSH", "p:ready", "a", "b", "c", "d", "e"]);
    let out = run(&r, &["build", "--drain"]);
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("window reopens in"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen("p:contacted"), 2);
    assert_eq!(r.cli(&["GET", "outreach:ratelimit:sms"]), "2");
    let ttl: i64 = r.cli(&["TTL", "outreach:ratelimit:sms"]).parse().unwrap();
    assert!((3590..=3600).contains(&ttl), "{ttl}");

    let out = r
        .pipectl()
        .args(["--json", "ratelimit", "show", "outreach:ratelimit:sms"])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(
        (doc["remaining"].as_u64(), doc["limit"].as_u64()),
        (Some(0), Some(2))
    );
    assert_code(
        &r.pipectl()
            .args(["ratelimit", "take", "outreach:ratelimit:sms"])
            .output()
            .unwrap(),
        5,
    );
    assert_code(
        &r.pipectl()
            .args(["ratelimit", "reset", "outreach:ratelimit:sms"])
            .output()
            .unwrap(),
        0,
    );
    // An empty queue hands the taken use back.
    let out = run(&r, &["build", "--max", "10"]);
    assert_code(&out, 5);
    assert_eq!(r.llen("p:contacted"), 4);
    r.cli(&["DEL", "outreach:ratelimit:sms"]);
    assert_code(&run(&r, &["build", "--drain"]), 0);
    assert_code(&run(&r, &["build"]), 3);
    assert_eq!(
        r.cli(&["GET", "outreach:ratelimit:sms"]),
        "1",
        "the use taken for an empty queue was given back"
    );
    // The article's hand-set window blocks sending until it expires.
    r.cli(&["SET", "outreach:ratelimit:sms", "15", "EX", "3600"]);
    r.cli(&["LPUSH", "p:ready", "f"]);
    assert_code(&run(&r, &["build"]), 5);
    assert_code(
        &r.pipectl()
            .args([
                "ratelimit",
                "take",
                "api",
                "--limit",
                "3",
                "--per",
                "1m",
                "-n",
                "3",
            ])
            .output()
            .unwrap(),
        0,
    );
    assert_code(
        &r.pipectl()
            .args(["ratelimit", "take", "api", "--limit", "3", "--per", "1m"])
            .output()
            .unwrap(),
        5,
    );
    assert_code(
        &r.pipectl()
            .args(["ratelimit", "show", "unknown:key"])
            .output()
            .unwrap(),
        2,
    );
}

#[test]
fn stage_kinds_and_config_errors() {
    let r = RedisServer::start();
    config(
        &r,
        [
            build("p:queue", "p:staged", "missing.sh"),
            Stage::new("review").input("p:staged").output("p:ready"),
        ],
    );
    r.cli(&["LPUSH", "p:queue", "job"]);
    let out = run(&r, &["review"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("manual"), "{}", stderr(&out));
    let out = run(&r, &["nosuch"]);
    assert_code(&out, 78);
    assert!(stderr(&out).contains("build, review"), "{}", stderr(&out));
    let out = run(&r, &["build"]);
    assert_code(&out, 78);
    assert!(stderr(&out).contains("missing.sh"), "{}", stderr(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]),
        ["job"],
        "the item is put back unchanged"
    );
    assert_eq!(r.cli(&["EXISTS", "p:queue:attempts"]), "0");

    write_file(
        r.dir.path(),
        "pipectl.toml",
        r#"[stages.a]
input = "q"
exec = ["x"]
http = { url = "http://h" }
"#,
    );
    assert_code(&run(&r, &["a"]), 78);
    write_file(
        r.dir.path(),
        "pipectl.toml",
        r#"[stages.a]
input = "q"
exec = ["x"]
max_attempts = "three"
"#,
    );
    let out = run(&r, &["a"]);
    assert_code(&out, 78);
    assert!(
        stderr(&out).contains("pipectl.toml:4:16"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dry_run_claims_nothing() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat");
    config(&r, [build("p:queue", "p:staged", "h.sh")]);
    assert_code(&run(&r, &["build", "--dry-run"]), 3);
    r.cli(&["LPUSH", "p:queue", r#"{"name":"A"}"#, r#"{"name":"B"}"#]);
    let out = run(&r, &["build", "--dry-run", "--max", "5"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).lines().count(), 2);
    assert!(
        stdout(&out).contains("would run build on #1: {\"name\":\"A\"}"),
        "{}",
        stdout(&out)
    );
    assert_eq!(r.llen("p:queue"), 2);
    r.cli(&["SET", "p:paused:build", "x"]);
    assert_code(&run(&r, &["build", "--dry-run"]), 4);
}

#[test]
fn concurrency_runs_handlers_in_parallel_and_keeps_every_item() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "sleep 0.2; cat");
    config(&r, [build("p:queue", "p:staged", "h.sh")]);
    let items: Vec<String> = (0..40).map(|i| i.to_string()).collect();
    let mut args = vec!["LPUSH", "p:queue"];
    args.extend(items.iter().map(String::as_str));
    r.cli(&args);
    let started = Instant::now();
    let out = run(&r, &["--json", "build", "--drain", "--concurrency", "20"]);
    eprintln!(
        "40 items of 200ms each with 20 handlers in parallel: {:?}",
        started.elapsed()
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 40);
    let mut staged = r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]);
    staged.sort();
    let mut expected = items;
    expected.sort();
    assert_eq!(staged, expected);
    // --max bounds the total across workers.
    r.cli(&["LPUSH", "p:queue", "a", "b", "c", "d", "e"]);
    let out = run(&r, &["--json", "build", "--max", "3", "-j", "8"]);
    assert_eq!(json(&out)["succeeded"], 3);
    assert_eq!(r.llen("p:queue"), 2);
}

#[test]
fn wait_blocks_for_work() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat");
    config(&r, [build("p:queue", "p:staged", "h.sh")]);
    let child = r
        .pipectl()
        .args(["run", "build", "--wait", "10s"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    r.cli(&["LPUSH", "p:queue", "late"]);
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli_lines(&["LRANGE", "p:staged", "0", "-1"]), ["late"]);
}

#[test]
fn a_source_stage_enqueues_its_output_with_dedup() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "discover.sh",
        r#"printf '{"url":"a.com"}\n{"url":"b.com"}\n\n{"url":"a.com"}\nnot json\n{"name":"no url"}\n'"#,
    );
    config(
        &r,
        [Stage::new("discover")
            .exec(&["./discover.sh"])
            .output("p:queue")
            .dedup_by("url")],
    );
    r.cli(&["SADD", "p:seen", "b.com"]);
    let out = run(&r, &["--json", "discover"]);
    assert_code(&out, 1);
    let doc = json(&out);
    assert_eq!(
        (
            doc["enqueued"].as_u64(),
            doc["duplicates"].as_u64(),
            doc["invalid"].as_u64()
        ),
        (Some(1), Some(2), Some(2))
    );
    assert!(stderr(&out).contains("line 5"), "{}", stderr(&out));
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]),
        [r#"{"url":"a.com"}"#]
    );
    let day = today();
    assert_eq!(r.cli(&["GET", &format!("stats:p:new:{day}")]), "1");
    assert_eq!(r.cli(&["GET", &format!("stats:p:dup:{day}")]), "2");

    handler(
        r.dir.path(),
        "discover.sh",
        "echo 'search API down' >&2; exit 2",
    );
    let out = run(&r, &["discover"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("search API down"), "{}", stderr(&out));
    r.pipectl().args(["pause", "discover"]).output().unwrap();
    assert_code(&run(&r, &["discover"]), 4);
}
