//! The operator's view: status, stats trends, saturation and doctor, against real redis-servers
//! set up with redis-cli and pipectl's own commands.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::support::*;
use serde_json::Value;

/// The date `n` days before today, as counters name their day.
fn days_ago(n: u32) -> String {
    let out = std::process::Command::new("date")
        .args(["-d", &format!("{n} days ago"), "+%F"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn lease(r: &RedisServer, queue: &str, duration: &str, count: &str) -> Vec<Value> {
    let out = r
        .pipectl()
        .args(["pop", queue, "--lease", duration, "-n", count])
        .output()
        .unwrap();
    assert_code(&out, 0);
    json_lines(&out)
}

/// The server's count of read events: one per request batch a client sends (and per close).
fn reads_processed(r: &RedisServer) -> u64 {
    r.cli(&["INFO", "stats"])
        .lines()
        .find_map(|l| l.strip_prefix("total_reads_processed:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("INFO stats has total_reads_processed")
}

fn status_fixture(r: &RedisServer) {
    r.cli(&["LPUSH", "prospect:queue", "i1", "i2", "i3", "i4", "i5"]);
    lease(r, "prospect:queue", "1m", "2");
    let delayed = lease(r, "prospect:queue", "1m", "1");
    let token = delayed[0]["token"].as_str().unwrap();
    assert_code(
        &r.pipectl()
            .args(["nack", token, "--delay", "10m"])
            .output()
            .unwrap(),
        0,
    );
    lease(r, "prospect:queue", "300ms", "1");
    std::thread::sleep(Duration::from_millis(500));
    r.cli(&["SET", "prospect:paused:build", "maintenance window"]);
    r.cli(&["SET", "outreach:ratelimit:sms", "12", "EX", "3600"]);
    let day = today();
    r.cli(&["SET", &format!("stats:prospect:build:processed:{day}"), "7"]);
    r.cli(&["SET", &format!("stats:prospect:build:failed:{day}"), "2"]);
    r.cli(&["LPUSH", "prospect:staged", "s1", "s2", "s3"]);
    r.cli(&["LPUSH", "prospect:failed", "x", "y"]);
}

#[test]
fn status_numbers_match_what_was_set_up() {
    let r = RedisServer::start();
    status_fixture(&r);
    let out = r.pipectl().args(["--json", "status"]).output().unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["pipeline"], "prospect");
    let stage = |name: &str| -> Value {
        doc["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap()
    };
    let build = stage("build");
    assert_eq!(build["input"], "prospect:queue");
    assert_eq!(build["queued"], 1);
    assert_eq!(build["leased"], 3);
    assert_eq!(build["expired_leases"], 1);
    assert_eq!(build["delayed"], 1);
    assert_eq!(build["due_retries"], 0);
    assert_eq!(build["paused"], true);
    assert_eq!(build["paused_reason"], "maintenance window");
    assert_eq!(build["today"]["processed"], 7);
    assert_eq!(build["today"]["failed"], 2);
    assert_eq!(build["today"]["dead"], 0);
    assert_eq!(build["rate_limit"], Value::Null);

    let outreach = stage("outreach");
    assert_eq!(outreach["paused"], false);
    let rl = &outreach["rate_limit"];
    assert_eq!(rl["key"], "outreach:ratelimit:sms");
    assert_eq!(rl["limit"], 15);
    assert_eq!(rl["used"], 12);
    assert_eq!(rl["remaining"], 3);
    let resets = rl["resets_in_ms"].as_i64().unwrap();
    assert!((3_500_000..=3_600_000).contains(&resets), "{resets}");

    assert_eq!(stage("review")["kind"], "manual");
    assert_eq!(stage("discover")["queued"], Value::Null);
    assert_eq!(doc["staged"]["count"], 3);
    assert_eq!(
        doc["staged"]["queues"],
        serde_json::json!(["prospect:staged"])
    );
    assert_eq!(doc["dead_letters"]["count"], 2);
    assert_eq!(doc["dead_letters"]["queue"], "prospect:failed");

    // The same numbers in the text view, with the expired lease called out.
    let out = r.pipectl().args(["status"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    for want in [
        "PAUSED: maintenance window",
        "3 (1 expired)",
        "3/15 left, reopens in",
        "staged for review: 3",
        "dead letters: 2",
        "pipectl recover",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }

    // Looking changed nothing: the expired lease is still there for `recover`.
    assert_eq!(r.cli(&["ZCARD", "prospect:queue:leases"]), "3");
    assert_eq!(r.llen("prospect:queue"), 1);
}

#[test]
fn status_reads_everything_in_one_round_trip() {
    let r = RedisServer::start();
    status_fixture(&r);
    // A single-command pipectl run costs the server this many read events (plus the INFO).
    let before = reads_processed(&r);
    assert_code(&r.pipectl().args(["len", "q"]).output().unwrap(), 0);
    let single = reads_processed(&r) - before;

    let before = reads_processed(&r);
    assert_code(&r.pipectl().args(["status"]).output().unwrap(), 0);
    let status = reads_processed(&r) - before;
    assert!(
        status <= single,
        "status took {status} read events, a one-command run takes {single}"
    );
}

#[test]
fn a_key_of_the_wrong_type_spoils_only_its_own_cell() {
    let r = RedisServer::start();
    r.cli(&["SET", "prospect:staged", "not a list"]);
    r.cli(&["LPUSH", "prospect:queue", "a"]);
    let out = r.pipectl().args(["--json", "status"]).output().unwrap();
    // Shown whole, but the exit says a key could not be read.
    assert_code(&out, 65);
    let doc = json(&out);
    let review = &doc["stages"][2];
    assert_eq!(review["name"], "review");
    assert_eq!(review["queued"], Value::Null);
    assert!(review["errors"][0].as_str().unwrap().contains("WRONGTYPE"));
    assert_eq!(doc["stages"][1]["queued"], 1);
    let out = r.pipectl().args(["status"]).output().unwrap();
    assert_code(&out, 65);
    assert!(
        stdout(&out).contains("cannot read prospect:staged"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn status_watch_prints_fresh_snapshots_until_stopped() {
    let r = RedisServer::start();
    let mut child = r
        .pipectl()
        .args(["--json", "status", "--watch", "200ms"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["stages"][1]["queued"], 0);
    r.cli(&["LPUSH", "prospect:queue", "a", "b"]);
    let mut latest = first;
    for _ in 0..20 {
        latest = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        if latest["stages"][1]["queued"] == 2 {
            break;
        }
    }
    assert_eq!(latest["stages"][1]["queued"], 2);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn stats_draw_a_trend_per_counter() {
    let r = RedisServer::start();
    let counter = |name: &str, back: u32, value: &str| {
        r.cli(&["SET", &format!("stats:{name}:{}", days_ago(back)), value]);
    };
    for (back, value) in [(6, "1"), (5, "2"), (4, "4"), (3, "7"), (2, "14")] {
        counter("prospect:build:processed", back, value);
    }
    counter("prospect:build:failed", 0, "3");
    let out = r.pipectl().args(["--json", "stats"]).output().unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["days"].as_array().unwrap().len(), 7);
    let counters = doc["counters"].as_array().unwrap();
    let find = |name: &str| counters.iter().find(|c| c["name"] == name).unwrap();
    let processed = find("prospect:build:processed");
    assert_eq!(
        processed["values"],
        serde_json::json!([1, 2, 4, 7, 14, 0, 0])
    );
    assert_eq!(processed["total"], 28);
    assert_eq!(processed["trend"], "▂▂▃▅█▁▁");
    assert_eq!(find("prospect:build:failed")["trend"], "▁▁▁▁▁▁█");

    let out = r.pipectl().args(["stats", "--days", "3"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("trend") && text.contains("█▁▁") && text.contains("▁▁█"),
        "{text}"
    );
    // 30 days: the table shows the most recent days that fit; the trend covers all 30.
    let out = r
        .pipectl()
        .args(["stats", "--days", "30"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains(&today()[5..]), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn saturation_flips_when_seen_outnumbers_new() {
    let r = RedisServer::start();
    let out = r.pipectl().args(["saturation"]).output().unwrap();
    assert_code(&out, 3);
    assert!(stdout(&out).contains("no data"), "{}", stdout(&out));

    // Real enqueues with dedup count new and already-seen prospects.
    let batch =
        "{\"url\":\"a.com\"}\n{\"url\":\"b.com\"}\n{\"url\":\"c.com\"}\n{\"url\":\"a.com\"}\n";
    let out = run_with_stdin(
        r.pipectl()
            .args(["enqueue", "prospect:queue", "--dedup-by", "url"]),
        batch.as_bytes(),
    );
    assert_code(&out, 0);
    let out = r.pipectl().args(["--json", "saturation"]).output().unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["verdict"], "fresh");
    assert_eq!(doc["total"]["new"], 3);
    assert_eq!(doc["total"]["seen"], 1);
    assert_eq!(doc["total"]["seen_ratio"], 0.25);
    assert_eq!(doc["saturated"], false);
    let days = doc["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[6]["day"], today());
    assert_eq!(days[6]["verdict"], "fresh");

    // Today the finder mostly rediscovers: seen > new.
    let day = today();
    r.cli(&["SET", &format!("stats:prospect:dup:{day}"), "30"]);
    r.cli(&["SET", &format!("stats:prospect:new:{day}"), "4"]);
    let out = r
        .pipectl()
        .args(["saturation", "--days", "1"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("SATURATED"), "{text}");
    assert!(
        text.contains("expand the search radius or switch categories"),
        "{text}"
    );
    assert!(
        text.contains("SISMEMBER returns 1 more often than 0"),
        "{text}"
    );

    // Over a window where earlier days were fresh enough, the totals decide.
    r.cli(&["SET", &format!("stats:prospect:new:{}", days_ago(3)), "100"]);
    let out = r.pipectl().args(["--json", "saturation"]).output().unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["verdict"], "fresh");
    assert_eq!(doc["days"][6]["verdict"], "saturated");
}

fn handler_config(r: &RedisServer) {
    handler(r.dir.path(), "build.sh", "cat");
    Pipeline::unnamed()
        .stage("build", |s| {
            s.input("prospect:queue")
                .output("prospect:staged")
                .exec(&["./build.sh"])
        })
        .stage("review", |s| {
            s.input("prospect:staged").output("prospect:ready")
        })
        .stage("outreach", |s| {
            s.input("prospect:ready")
                .exec(&["cat"])
                .rate_limit("outreach:ratelimit:sms", 15, "1h")
        })
        .write(r.dir.path());
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn doctor(r: &RedisServer, extra: &[&str]) -> (std::process::Output, Value) {
    let out = r
        .pipectl()
        .args(["--json", "doctor"])
        .args(extra)
        .output()
        .unwrap();
    let doc = json(&out);
    (out, doc)
}

fn status_of<'a>(doc: &'a Value, check: &str) -> &'a str {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == check)
        .and_then(|c| c["status"].as_str())
        .unwrap_or_else(|| panic!("no {check} check in {doc}"))
}

#[test]
fn doctor_fails_on_an_evicting_policy() {
    let r = RedisServer::start_with(&["--maxmemory-policy", "allkeys-lru"]);
    handler_config(&r);
    let out = r.pipectl().args(["doctor"]).output().unwrap();
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("FAIL  eviction"), "{text}");
    assert!(
        text.contains("allkeys-lru") && text.contains("noeviction"),
        "{text}"
    );
    let (out, doc) = doctor(&r, &[]);
    assert_code(&out, 1);
    assert_eq!(doc["ok"], false);
    assert_eq!(status_of(&doc, "eviction"), "fail");
    assert_eq!(status_of(&doc, "redis"), "ok");
}

#[test]
fn doctor_passes_on_noeviction_with_aof() {
    let r = RedisServer::start_with(&["--appendonly", "yes", "--maxmemory-policy", "noeviction"]);
    handler_config(&r);
    let (out, doc) = doctor(&r, &[]);
    assert_code(&out, 0);
    assert_eq!(doc["ok"], true);
    for check in [
        "redis",
        "eviction",
        "persistence",
        "memory",
        "config",
        "handler build",
        "handler outreach",
        "leases",
    ] {
        assert_eq!(status_of(&doc, check), "ok", "{check}: {doc}");
    }
    let out = r.pipectl().args(["doctor"]).output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("OK    persistence ")
            && l.ends_with("AOF is on, appendfsync everysec")),
        "{text}"
    );
}

#[test]
fn doctor_warns_and_fails_with_the_fix() {
    let r = RedisServer::start();
    handler_config(&r);
    // A handler that lost its executable bit, an expired lease, a stuck rate-limit window.
    std::fs::set_permissions(
        r.dir.path().join("build.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    r.cli(&["LPUSH", "prospect:queue", "x"]);
    lease(&r, "prospect:queue", "200ms", "1");
    std::thread::sleep(Duration::from_millis(400));
    r.cli(&["SET", "outreach:ratelimit:sms", "15"]);

    let out = r.pipectl().args(["doctor"]).output().unwrap();
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("FAIL  handler build") && text.contains("chmod +x"),
        "{text}"
    );
    assert!(
        text.contains("WARN  leases") && text.contains("pipectl recover"),
        "{text}"
    );
    assert!(text.contains("WARN  persistence"), "{text}");
    assert!(text.contains("WARN  rate limit"), "{text}");

    make_executable(&r.dir.path().join("build.sh"));
    let (out, doc) = doctor(&r, &[]);
    assert_code(&out, 0);
    assert_eq!(status_of(&doc, "leases"), "warn");

    // A config that does not load is a FAIL line, not a crash.
    write_file(r.dir.path(), "pipectl.toml", "[stages.a]\nnope = 1\n");
    let (out, doc) = doctor(&r, &[]);
    assert_code(&out, 1);
    assert_eq!(status_of(&doc, "config"), "fail");
    assert_eq!(status_of(&doc, "redis"), "ok");
}

#[test]
fn doctor_says_cannot_read_when_config_get_is_refused() {
    let r = RedisServer::start_with(&["--maxmemory-policy", "allkeys-lru"]);
    handler_config(&r);
    r.cli(&[
        "ACL", "SETUSER", "worker", "on", ">pw", "~*", "&*", "+@all", "-config", "-info",
    ]);
    let url = format!("redis://worker:pw@127.0.0.1:{}", r.port);
    let (out, doc) = doctor(&r, &["--url", &url]);
    assert_code(&out, 0);
    assert_eq!(
        status_of(&doc, "redis"),
        "ok",
        "HELLO still tells the version"
    );
    assert_eq!(status_of(&doc, "eviction"), "warn");
    assert_eq!(status_of(&doc, "persistence"), "warn");
    let eviction = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "eviction")
        .unwrap();
    assert!(
        eviction["message"]
            .as_str()
            .unwrap()
            .contains("cannot read"),
        "{eviction}"
    );
}

#[test]
fn doctor_reports_an_unreachable_server() {
    let mut r = RedisServer::start();
    handler_config(&r);
    r.kill();
    let out = r.pipectl().args(["doctor"]).output().unwrap();
    assert_code(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("FAIL  redis") && text.contains("cannot connect"),
        "{text}"
    );
    assert!(text.contains("OK    config"), "{text}");
}
