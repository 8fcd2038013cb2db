//! Stage guards for unattended runs: sending windows (at the server's clock, or at a debug
//! build's PIPECTL_TEST_NOW), the circuit breaker (opened in the settle step, one probe
//! across racing workers), and budgets (exact across concurrent workers).

use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

fn config(r: &RedisServer, stage: Stage) {
    Pipeline::new("p").with(stage).write(r.dir.path());
}

/// Stage `send` from p:queue, handler `./h.sh`, one attempt, guarded by `lines`.
fn send(lines: &[&str]) -> Stage {
    lines.iter().fold(
        Stage::new("send")
            .input("p:queue")
            .exec(&["./h.sh"])
            .max_attempts(1),
        |s, l| s.extra(l),
    )
}

fn push(r: &RedisServer, n: usize) {
    for i in 0..n {
        r.cli(&["LPUSH", "p:queue", &format!("{{\"n\":{i}}}")]);
    }
}

fn at(r: &RedisServer, now: &str, args: &[&str]) -> Output {
    r.pipectl()
        .env("PIPECTL_TEST_NOW", now)
        .args(args)
        .output()
        .unwrap()
}

fn spawn(r: &RedisServer, args: &[&str]) -> Child {
    r.pipectl()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

const OFFICE: &str =
    r#"window = { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicago" }"#;

#[test]
fn outside_the_window_nothing_is_claimed_and_the_opening_is_named() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat >/dev/null");
    config(&r, send(&[OFFICE]));
    push(&r, 2);
    // Saturday noon in Chicago: a day not listed; the window opens Monday 09:00 CST.
    let out = at(&r, "2026-12-05T18:00:00Z", &["run", "send"]);
    assert_code(&out, 4);
    assert!(
        stderr(&out).contains("outside the sending window; opens 2026-12-07T09:00:00-06:00"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen("p:queue"), 2);
    assert_eq!(r.cli(&["EXISTS", "p:queue:leases"]), "0");
    let out = at(
        &r,
        "2026-12-05T18:00:00Z",
        &["--json", "run", "send", "--drain"],
    );
    assert_code(&out, 4);
    let report = json(&out);
    assert_eq!(report["outside_window"], true);
    assert_eq!(report["window_opens_at"], "2026-12-07T09:00:00-06:00");
    // Friday 08:59 CST: opens at 09:00 that day; status says closed until then.
    let out = at(&r, "2026-12-04T14:59:00Z", &["--json", "status"]);
    let w = &json(&out)["stages"][0]["guards"]["window"];
    assert_eq!(w["open"], false);
    assert_eq!(w["opens"], "2026-12-04T09:00:00-06:00");
    let out = at(&r, "2026-12-04T14:59:00Z", &["status"]);
    assert!(stdout(&out).contains("send: sending window closed until 2026-12-04T09:00:00-06:00"));
    // Exactly at the opening it is open: both items go.
    let out = at(
        &r,
        "2026-12-04T15:00:00Z",
        &["--json", "run", "send", "--drain"],
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 2);
    let out = at(&r, "2026-12-04T15:00:00Z", &["--json", "status"]);
    let w = &json(&out)["stages"][0]["guards"]["window"];
    assert_eq!(w["open"], true);
    assert_eq!(w["until"], "2026-12-04T18:00:00-06:00");
}

#[test]
fn windows_follow_daylight_saving_changes() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat >/dev/null");
    // Several windows: one on Sundays from 02:30 (a time that does not exist on
    // 2026-03-08 in Chicago: clocks jump from 02:00 CST to 03:00 CDT) and office hours.
    config(
        &r,
        send(&[
            r#"window = [{ days = "sun", hours = "02:30-05:00", tz = "America/Chicago" }, { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicago" }]"#,
        ]),
    );
    push(&r, 1);
    // 01:00 CST (07:00Z): the window opens at the jump, 03:30 CDT = 08:30Z.
    let out = at(&r, "2026-03-08T07:00:00Z", &["run", "send"]);
    assert_code(&out, 4);
    assert!(
        stderr(&out).contains("opens 2026-03-08T03:30:00-05:00"),
        "{}",
        stderr(&out)
    );
    // 08:30Z is open; it closes at 05:00 CDT = 10:00Z.
    let out = at(&r, "2026-03-08T08:30:00Z", &["--json", "status"]);
    let w = &json(&out)["stages"][0]["guards"]["window"];
    assert_eq!(w["until"], "2026-03-08T05:00:00-05:00", "{w}");
    // On 2026-11-01 (back to CST) the same local window is 02:30-05:00 CST = 08:30Z-11:00Z.
    let out = at(&r, "2026-11-01T10:30:00Z", &["--json", "run", "send"]);
    assert_code(&out, 0);
    let out = at(&r, "2026-11-01T11:00:00Z", &["--json", "status"]);
    let w = &json(&out)["stages"][0]["guards"]["window"];
    assert_eq!(w["open"], false);
    assert_eq!(w["opens"], "2026-11-02T09:00:00-06:00");
}

/// The Redis server's clock, in seconds since the epoch.
fn server_secs(r: &RedisServer) -> u64 {
    r.cli_lines(&["TIME"])[0].parse().unwrap()
}

fn hhmmss(secs: u64) -> String {
    let s = secs % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[test]
fn run_wait_starts_when_the_window_opens_at_the_server_clock() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat >/dev/null");
    let opens = server_secs(&r) + 3;
    let window = format!(
        r#"window = {{ days = "daily", hours = "{}-{}", tz = "UTC" }}"#,
        hhmmss(opens),
        hhmmss(opens + 3600)
    );
    config(&r, send(&[&window]));
    push(&r, 1);
    let out = r.pipectl().args(["run", "send"]).output().unwrap();
    assert_code(&out, 4);
    // A wait shorter than the time to the opening does not wait.
    let started = Instant::now();
    let out = r
        .pipectl()
        .args(["run", "send", "--wait", "1s"])
        .output()
        .unwrap();
    assert_code(&out, 4);
    assert!(started.elapsed() < Duration::from_secs(2));
    let started = Instant::now();
    let out = r
        .pipectl()
        .args(["--json", "run", "send", "--wait", "20s"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 1);
    assert!(
        stderr(&out).contains("waiting until it opens"),
        "{}",
        stderr(&out)
    );
    assert!(server_secs(&r) >= opens);
    assert!(started.elapsed() < Duration::from_secs(10));
}

const FLAKY: &str = r#"cat >/dev/null
if [ -e fail ]; then echo "provider down (HTTP 503)" >&2; exit 65; fi
sleep 1"#;

#[test]
fn five_failures_open_the_breaker_and_one_probe_across_three_workers_closes_it() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", FLAKY);
    write_file(r.dir.path(), "fail", "");
    config(
        &r,
        send(&[r#"breaker = { failures = 5, within = "1m", cool_down = "2s" }"#]),
    );
    push(&r, 6);
    let out = r.run_json(&["run", "send", "--drain"]);
    assert_code(&out, 1);
    let report = json(&out);
    assert_eq!(report["dead_lettered"], 5);
    assert_eq!(report["paused"], true);
    assert_eq!(
        report["guard_events"],
        serde_json::json!([{"event": "breaker-opened"}])
    );
    // The sixth is not claimed.
    assert_eq!(r.llen("p:queue"), 1);
    let reason = r.cli(&["GET", "p:paused:send"]);
    assert!(
        reason.starts_with("circuit breaker: 5 failures within 1m; last:"),
        "{reason}"
    );
    assert!(reason.contains("provider down (HTTP 503)"), "{reason}");
    let audit = r.cli_lines(&["XRANGE", "p:audit", "-", "+"]).join("\n");
    assert!(
        audit.contains("breaker-open") && audit.contains("provider down"),
        "{audit}"
    );
    let status = json(&r.run_json(&["status"]));
    let b = &status["stages"][0]["guards"]["breaker"];
    assert_eq!(b["state"], "open");
    assert_eq!(b["failures"], 5);
    assert!(b["probe_in_ms"].as_u64().unwrap() > 0);
    let doctor = stdout(&r.pipectl().args(["doctor"]).output().unwrap());
    assert!(doctor.contains("circuit breaker open"), "{doctor}");
    // Within the cool-down nothing is claimed.
    let out = r.pipectl().args(["run", "send"]).output().unwrap();
    assert_code(&out, 4);
    assert_eq!(r.llen("p:queue"), 1);

    std::fs::remove_file(r.dir.path().join("fail")).unwrap();
    push(&r, 4);
    std::thread::sleep(Duration::from_millis(2100));
    let workers: Vec<Child> = (0..3)
        .map(|_| spawn(&r, &["--json", "run", "send", "--max", "1"]))
        .collect();
    let outs: Vec<Output> = workers
        .into_iter()
        .map(|w| w.wait_with_output().unwrap())
        .collect();
    let processed: u64 = outs
        .iter()
        .map(|o| json(o)["processed"].as_u64().unwrap())
        .sum();
    assert_eq!(processed, 1, "exactly one probe");
    let mut codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, [0, 4, 4]);
    let closer = outs.iter().find(|o| o.status.code() == Some(0)).unwrap();
    assert_eq!(
        json(closer)["guard_events"],
        serde_json::json!([{"event": "breaker-closed"}])
    );
    assert_eq!(r.cli(&["EXISTS", "p:paused:send", "p:breaker:send"]), "0");
    let audit = r.cli_lines(&["XRANGE", "p:audit", "-", "+"]).join("\n");
    assert!(audit.contains("breaker-close"), "{audit}");
    // Closed: the stage runs again.
    let out = r.run_json(&["run", "send", "--drain"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 4);
}

#[test]
fn a_failed_probe_opens_the_breaker_again_and_resume_closes_it() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", FLAKY);
    write_file(r.dir.path(), "fail", "");
    config(
        &r,
        send(&[r#"breaker = { failures = 1, within = "1m", cool_down = "1s" }"#]),
    );
    push(&r, 3);
    assert_code(&r.run_json(&["run", "send", "--drain"]), 1);
    std::thread::sleep(Duration::from_millis(1100));
    let out = r.run_json(&["run", "send", "--drain"]);
    assert_code(&out, 1);
    let report = json(&out);
    assert_eq!(report["processed"], 1, "only the probe");
    assert_eq!(
        report["guard_events"],
        serde_json::json!([{"event": "breaker-reopened"}])
    );
    assert!(
        r.cli(&["GET", "p:paused:send"])
            .contains("the probe failed")
    );
    let status = json(&r.run_json(&["status"]));
    assert_eq!(status["stages"][0]["guards"]["breaker"]["state"], "open");
    // A pause by hand over an open breaker is not lifted by its probe: only resume.
    assert_code(&r.run_json(&["pause", "send", "--reason", "by hand"]), 0);
    std::thread::sleep(Duration::from_millis(1100));
    assert_code(&r.run_json(&["run", "send"]), 4);
    assert_eq!(r.llen("p:queue"), 1);
    std::fs::remove_file(r.dir.path().join("fail")).unwrap();
    assert_code(&r.run_json(&["resume", "send"]), 0);
    assert_eq!(
        r.cli(&["EXISTS", "p:breaker:send", "p:breaker:send:failures"]),
        "0"
    );
    let out = r.run_json(&["run", "send", "--drain"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 1);
}

#[test]
fn a_budget_of_twenty_sms_holds_exactly_across_three_workers_at_j4() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "h.sh",
        r#"cat >/dev/null; echo '{"cost": {"sms": 1, "tokens": 1830}}' > "$PIPECTL_CONTROL"; sleep 0.05"#,
    );
    config(&r, send(&[r#"budget = { sms = 20, per = "1d" }"#]));
    push(&r, 40);
    let workers: Vec<Child> = (0..3)
        .map(|_| spawn(&r, &["--json", "run", "send", "--drain", "-j4"]))
        .collect();
    let outs: Vec<Output> = workers
        .into_iter()
        .map(|w| w.wait_with_output().unwrap())
        .collect();
    let mut processed = 0;
    for out in &outs {
        assert_code(out, 5);
        let report = json(out);
        processed += report["processed"].as_u64().unwrap();
        assert_eq!(report["budget_spent"]["unit"], "sms");
        assert_eq!(report["budget_spent"]["cap"], 20.0);
    }
    assert_eq!(processed, 20);
    assert_eq!(r.llen("p:queue"), 20);
    let spent_events: usize = outs
        .iter()
        .map(|o| json(o)["guard_events"].as_array().unwrap().len())
        .sum();
    assert_eq!(spent_events, 1, "the budget is spent once");
    let day = today();
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:send:cost:sms:{day}")]),
        "20000000"
    );
    let stats = json(&r.run_json(&["stats", "p:send:cost:tokens"]));
    assert_eq!(stats["counters"][0]["total"], 36_600_000_000i64);
    assert_eq!(stats["counters"][0]["scale"], 1_000_000);
    let text = stdout(&r.pipectl().args(["stats"]).output().unwrap());
    assert!(text.contains("36600"), "{text}");
    let status = json(&r.run_json(&["status"]));
    let b = &status["stages"][0]["guards"]["budget"][0];
    assert_eq!(b["spent"], 20.0);
    assert_eq!(b["spent_out"], true);
    let metrics = stdout(&r.pipectl().args(["metrics"]).output().unwrap());
    assert!(
        metrics.contains(r#"pipectl_budget_spent{stage="send",unit="sms"} 20"#),
        "{metrics}"
    );
    // Today's costs per unit, budgeted or not (tokens has no cap).
    for unit in [r#"unit="sms"} 20"#, r#"unit="tokens"} 36600"#] {
        let line = format!(r#"pipectl_cost_today{{stage="send",{unit}"#);
        assert!(
            metrics.contains(&line),
            "{line}
{metrics}"
        );
    }
    let out = r.pipectl().args(["run", "send"]).output().unwrap();
    assert_code(&out, 5);
    assert!(
        stderr(&out).contains("budget sms spent (20 of 20)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn money_adds_up_exactly_and_reporting_nothing_costs_nothing() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "h.sh",
        r#"cat >/dev/null; [ -e free ] || echo '{"cost": {"usd": 0.02}}' > "$PIPECTL_CONTROL""#,
    );
    config(&r, send(&[r#"budget = { usd = 0.1 }"#]));
    push(&r, 10);
    let out = r.run_json(&["run", "send", "--drain"]);
    assert_code(&out, 5);
    assert_eq!(json(&out)["processed"], 5);
    assert_eq!(r.llen("p:queue"), 5);
    // A handler that reports a bad cost fails the item, never passes it silently.
    let r2 = RedisServer::start();
    handler(
        r2.dir.path(),
        "h.sh",
        r#"cat >/dev/null; echo '{"cost": {"usd": "lots"}}' > "$PIPECTL_CONTROL""#,
    );
    config(&r2, send(&[]));
    push(&r2, 1);
    let out = r2.run_json(&["run", "send"]);
    assert_code(&out, 1);
    assert_eq!(json(&out)["dead_lettered"], 1);
    // Nothing reported: no cost, and the budget lets everything through.
    write_file(r.dir.path(), "free", "");
    r.cli(&["DEL", "p:budget:send"]);
    push(&r, 20);
    let out = r.run_json(&["run", "send", "--drain", "-j3"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["processed"], 25);
}

#[test]
fn guard_config_mistakes_are_refused_with_the_field() {
    let r = RedisServer::start();
    handler(r.dir.path(), "h.sh", "cat >/dev/null");
    for (line, said) in [
        (
            r#"window = { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicgo" }"#,
            "unknown time zone 'America/Chicgo'",
        ),
        (
            r#"window = { days = "weekdays", hours = "09:00-18:00" }"#,
            "days",
        ),
        (r#"window = { hours = "9-18" }"#, "hours"),
        (
            r#"window = { hours = "09:00-18:00", color = "red" }"#,
            "color",
        ),
        (r#"window = []"#, "no window"),
        (
            r#"breaker = { failures = 0, within = "1m", cool_down = "1m" }"#,
            "failures >= 1",
        ),
        (r#"budget = { per = "1d" }"#, "caps nothing"),
        (r#"budget = { USD = 1 }"#, "not a cost unit"),
        (r#"budget = { usd = -1 }"#, "more than 0"),
        (r#"budget = { usd = 1, per = "0s" }"#, "per"),
    ] {
        config(&r, send(&[line]));
        let out = r.run_json(&["run", "send"]);
        assert_code(&out, 78);
        let message = json_stderr(&out)["error"]["message"].to_string();
        assert!(message.contains(said), "{line}: {message}");
        assert!(message.contains("[stages.send]"), "{line}: {message}");
    }
}

#[test]
fn a_probe_whose_worker_died_is_replaced_once_its_lease_expires() {
    let r = RedisServer::start();
    handler(
        r.dir.path(),
        "h.sh",
        r#"cat >/dev/null
if [ -e fail ]; then exit 65; fi
if [ -e hang ]; then touch started; sleep 30; fi"#,
    );
    write_file(r.dir.path(), "fail", "");
    config(
        &r,
        send(&[r#"breaker = { failures = 1, within = "1m", cool_down = "1s" }"#]).timeout("2s"),
    );
    push(&r, 3);
    assert_code(&r.run_json(&["run", "send"]), 1);
    std::fs::remove_file(r.dir.path().join("fail")).unwrap();
    write_file(r.dir.path(), "hang", "");
    std::thread::sleep(Duration::from_millis(1100));
    let mut probe = spawn(&r, &["run", "send"]);
    let started = Instant::now();
    while !r.dir.path().join("started").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the probe never ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The probe's worker dies (no settle step): while its lease lasts, nobody else probes.
    probe.kill().unwrap();
    probe.wait().unwrap();
    assert_eq!(r.cli(&["HGET", "p:breaker:send", "state"]), "probing");
    assert_code(&r.run_json(&["run", "send"]), 4);
    std::fs::remove_file(r.dir.path().join("hang")).unwrap();
    // The lease (2s + 1s) expires: the next claim probes, and its success closes the breaker.
    std::thread::sleep(Duration::from_millis(3200));
    let out = r.run_json(&["run", "send"]);
    assert_code(&out, 0);
    assert_eq!(
        json(&out)["guard_events"],
        serde_json::json!([{"event": "breaker-closed"}])
    );
    assert_eq!(r.cli(&["EXISTS", "p:paused:send"]), "0");
}
