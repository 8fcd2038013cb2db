//! Operator views and run as typed results (issue 12): status, stats, saturation, doctor and
//! run under --json match their schemas empty and not, exit with the code of what stopped
//! them, and their text fits the terminal. Each test named for a defect fails on the old code.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::Value;

/// A pipeline with a source, an exec stage with a rate limit, and a manual stage.
fn pipeline(r: &RedisServer) {
    let dir = r.dir.path();
    handler(
        dir,
        "discover.sh",
        r#"printf '{"url":"a.com"}\n{"url":"b.com"}\n'"#,
    );
    handler(dir, "build.sh", "cat");
    Pipeline::new("p")
        .stage("discover", |s| {
            s.exec(&["./discover.sh"]).output("p:queue").dedup_by("url")
        })
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:staged")
                .exec(&["./build.sh"])
                .rate_limit("p:ratelimit", 2, "1h")
        })
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(dir);
}

/// Every line of a text output fits in `width` terminal columns.
#[track_caller]
fn fits(text: &str, width: usize) {
    for line in text.lines() {
        let cols = line.chars().count();
        assert!(cols <= width, "{cols} > {width} columns: {line}\n{text}");
    }
}

#[test]
fn status_json_matches_its_schema_empty_and_full() {
    let r = RedisServer::start();
    let out = r.run_json(&["status"]);
    assert_code(&out, 0);
    assert_schema("status", &stdout(&out));
    pipeline(&r);
    r.cli(&["LPUSH", "p:queue", "a", "b"]);
    r.cli(&["LPUSH", "p:staged", "s"]);
    r.cli(&["SET", "p:paused:build", "maintenance"]);
    r.cli(&["SET", "p:ratelimit", "1", "EX", "3600"]);
    let out = r.run_json(&["status"]);
    assert_code(&out, 0);
    assert_schema("status", &stdout(&out));
    let doc = json(&out);
    assert_eq!(doc["stages"][1]["rate_limit"]["per_ms"], 3_600_000);
    assert_eq!(doc["stages"][1]["paused_reason"], "maintenance");
    assert_eq!(doc["staged"]["count"], 1);
    assert_eq!(doc["dead_letters"]["queue"], "p:failed");
}

#[test]
fn status_timestamps_are_rfc3339_with_milliseconds() {
    let r = RedisServer::start();
    let doc = json(&r.run_json(&["status"]));
    let at = doc["read_at"].as_str().unwrap();
    // 2026-12-01T09:30:12.345Z: not nanoseconds, not a local time.
    let b = at.as_bytes();
    assert_eq!(at.len(), 24, "{at}");
    assert!(
        b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && at.ends_with('Z'),
        "{at}"
    );
}

#[test]
fn status_stats_saturation_exit_77_without_auth_and_print_no_numbers() {
    let r = RedisServer::start_with(&["--requirepass", "pw"]);
    for args in [&["status"][..], &["stats"], &["saturation"]] {
        for json in [false, true] {
            let mut cmd = r.pipectl();
            if json {
                cmd.arg("--json");
            }
            let out = cmd.args(args).output().unwrap();
            assert_code(&out, 77);
            assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
            if json {
                assert_schema("error", &stderr(&out));
            }
        }
    }
}

#[test]
fn status_exits_77_when_the_acl_refuses_every_read() {
    let r = RedisServer::start();
    r.cli(&[
        "ACL",
        "SETUSER",
        "blind",
        "on",
        ">pw",
        "~nothing:*",
        "+@all",
    ]);
    let url = format!("redis://blind:pw@127.0.0.1:{}", r.port);
    let out = r
        .pipectl()
        .args(["--url", &url, "status"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("NOPERM"), "{}", stderr(&out));
}

/// A server that answers every command with `reply` (a RESP line): LOADING, or garbage.
fn fake_server(reply: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while let Ok(n) = conn.read(&mut chunk) {
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(used) = one_command(&buf) {
                        buf.drain(..used);
                        if conn.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    port
}

/// The length of the first whole RESP command in `buf` (an array of bulk strings).
fn one_command(buf: &[u8]) -> Option<usize> {
    let line = |at: usize| -> Option<(usize, usize)> {
        let end = buf[at..].windows(2).position(|w| w == b"\r\n")? + at;
        let n = std::str::from_utf8(&buf[at + 1..end]).ok()?.parse().ok()?;
        Some((n, end + 2))
    };
    let (args, mut at) = line(0)?;
    for _ in 0..args {
        let (len, start) = line(at)?;
        at = start + len + 2;
        if at > buf.len() {
            return None;
        }
    }
    Some(at)
}

#[test]
fn status_exits_69_while_redis_loads_or_when_the_replies_are_not_redis() {
    let dir = tempfile::tempdir().unwrap();
    for (reply, what) in [
        (
            "-LOADING Redis is loading the dataset in memory\r\n",
            "LOADING",
        ),
        ("+OK\r\n", "Redis"),
    ] {
        let port = fake_server(reply);
        for args in [&["status"][..], &["stats", "x"], &["saturation"]] {
            let out = pipectl_in(dir.path())
                .args([
                    "--url",
                    &format!("redis://127.0.0.1:{port}"),
                    "--timeout",
                    "2s",
                ])
                .args(args)
                .output()
                .unwrap();
            assert_code(&out, 69);
            assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
            assert!(stderr(&out).contains(what), "{args:?}: {}", stderr(&out));
        }
    }
}

#[test]
fn status_shows_null_not_zero_for_what_it_could_not_read() {
    let r = RedisServer::start();
    r.cli(&["SET", "prospect:staged", "not a list"]);
    r.cli(&[
        "SET",
        &format!("stats:prospect:build:processed:{}", today()),
        "junk",
    ]);
    let out = r.run_json(&["status"]);
    assert_code(&out, 65);
    assert_schema("status", &stdout(&out));
    let doc = json(&out);
    // Old: "staged":{"count":0} and a processed count of 0 it never read.
    assert_eq!(doc["staged"]["count"], Value::Null);
    assert_eq!(doc["stages"][1]["today"]["processed"], Value::Null);
    let errors = doc["stages"][1]["errors"].as_array().unwrap();
    assert!(errors[0].as_str().unwrap().contains("processed"), "{doc}");
}

fn status_fixture(r: &RedisServer) {
    r.cli(&["LPUSH", "prospect:queue", "a", "b", "c"]);
    r.cli(&[
        "SET",
        "prospect:paused:build",
        "maintenance window until the new build server is racked and cabled",
    ]);
    r.cli(&["SET", "outreach:ratelimit:sms", "12", "PX", "3599999"]);
    r.cli(&["ZADD", "prospect:queue:leases", "1", "x"]);
    r.cli(&["LPUSH", "prospect:failed", "{}"]);
}

#[test]
fn status_text_fits_60_and_80_columns_without_cutting_words() {
    let r = RedisServer::start();
    status_fixture(&r);
    for width in [60, 80, 100] {
        let out = r
            .pipectl()
            .env("COLUMNS", width.to_string())
            .arg("status")
            .output()
            .unwrap();
        assert_code(&out, 0);
        let text = stdout(&out);
        fits(&text, width);
        // Nothing wrapped mid-word: each stage name whole on one row, the pause reason and
        // the rate limit on lines of their own.
        for stage in ["discover", "build", "review", "outreach", "followup"] {
            assert!(
                text.lines().any(|l| l.contains(&format!(" {stage} "))),
                "{width}: {stage}\n{text}"
            );
        }
        for want in [
            "PAUSED",
            "queued",
            "state",
            "rate limit 3/15 left, reopens in 1h",
            "1 expired lease on prospect:queue",
        ] {
            assert!(text.contains(want), "{width}: {want}\n{text}");
        }
        assert!(!text.contains("lease(s)"), "{text}");
    }
}

#[test]
fn status_colours_paused_only_when_asked() {
    let r = RedisServer::start();
    status_fixture(&r);
    let out = r
        .pipectl()
        .args(["--color", "always", "status"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\x1b[1;33mPAUSED\x1b[0m"),
        "{}",
        stdout(&out)
    );
    fits(
        &stdout(&out)
            .replace("\x1b[1;33m", "")
            .replace("\x1b[0m", ""),
        80,
    );
    for out in [
        r.pipectl()
            .args(["--color", "never", "status"])
            .output()
            .unwrap(),
        r.pipectl()
            .env("NO_COLOR", "1")
            .arg("status")
            .output()
            .unwrap(),
    ] {
        assert!(!stdout(&out).contains('\x1b'), "{}", stdout(&out));
    }
}

#[test]
fn status_watch_says_redis_is_down_instead_of_blank_lines() {
    let mut r = RedisServer::start();
    r.kill();
    let mut child = r
        .pipectl()
        .args(["status", "--watch", "200ms", "--connect-timeout", "500ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let started = Instant::now();
    while seen.len() < 3 && started.elapsed() < Duration::from_secs(10) {
        match lines.next() {
            Some(Ok(line)) => seen.push(line),
            _ => break,
        }
    }
    child.kill().ok();
    child.wait().ok();
    let said: Vec<&String> = seen.iter().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        said.iter().any(|l| l.contains("trying again every 200ms")),
        "{seen:?}"
    );
    assert!(
        said.len() >= 2,
        "a line per attempt, not blank lines: {seen:?}"
    );
}

#[test]
fn stats_skips_a_foreign_key_under_stats_with_a_warning_naming_it() {
    let r = RedisServer::start();
    let foreign = format!("stats:foreign:{}", today());
    r.cli(&["HSET", &foreign, "a", "1"]);
    r.cli(&["INCRBY", &format!("stats:prospects:{}", today()), "5"]);
    // Old: exit 65, `Pipeline failure: [(Index 13 …`, naming no key.
    let out = r.pipectl().arg("stats").output().unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains(&foreign), "{}", stderr(&out));
    assert!(stdout(&out).contains("prospects"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("foreign"), "{}", stdout(&out));
    let out = r.run_json(&["stats"]);
    assert_code(&out, 0);
    assert_schema("stats", &stdout(&out));
    assert_schema("warning", &stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["skipped"][0]["key"], foreign.as_str());
    assert_eq!(doc["counters"].as_array().unwrap().len(), 1);
    // Saturation reads its own keys the same way.
    r.cli(&["HSET", &format!("stats:prospect:new:{}", today()), "a", "1"]);
    let out = r.run_json(&["saturation"]);
    assert_code(&out, 3);
    assert_schema("saturation", &stdout(&out));
    assert_eq!(json(&out)["days"][6]["new"], Value::Null);
}

#[test]
fn stats_and_saturation_match_their_schemas_empty_and_full() {
    let r = RedisServer::start();
    let out = r.run_json(&["stats"]);
    assert_code(&out, 0);
    assert_schema("stats", &stdout(&out));
    let out = r.pipectl().arg("stats").output().unwrap();
    assert!(stdout(&out).contains("no counters"), "{}", stdout(&out));
    let out = r.run_json(&["saturation"]);
    assert_code(&out, 3);
    assert_schema("saturation", &stdout(&out));
    assert_eq!(json(&out)["verdict"], "no_data");
    let batch = "{\"url\":\"a.com\"}\n{\"url\":\"a.com\"}\n{\"url\":\"a.com\"}\n";
    let out = run_with_stdin(
        r.pipectl()
            .args(["enqueue", "prospect:queue", "--dedup-by", "url"]),
        batch.as_bytes(),
    );
    assert_code(&out, 0);
    let out = r.run_json(&["stats", "--days", "3"]);
    assert_code(&out, 0);
    assert_schema("stats", &stdout(&out));
    let out = r.run_json(&["saturation"]);
    assert_code(&out, 1);
    assert_schema("saturation", &stdout(&out));
    assert_eq!(json(&out)["saturated"], true);
}

#[test]
fn doctor_matches_its_schema_and_fails_on_a_read_only_replica() {
    let r = RedisServer::start();
    let out = r.run_json(&["doctor"]);
    assert_schema("doctor", &stdout(&out));
    let replica = RedisServer::start_with(&["--replicaof", "127.0.0.1", &r.port.to_string()]);
    // Old: every check OK, though every write then fails with READONLY.
    let out = replica.pipectl().arg("doctor").output().unwrap();
    assert_code(&out, 1);
    let text = stdout(&out);
    let role = text
        .lines()
        .find(|l| l.contains("role"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(role.starts_with("FAIL"), "{text}");
    assert!(role.contains(&format!("127.0.0.1:{}", r.port)), "{text}");
    let out = replica.run_json(&["doctor"]);
    assert_code(&out, 1);
    assert_schema("doctor", &stdout(&out));
    assert_eq!(json(&out)["ok"], false);
}

#[test]
fn doctor_finds_handlers_as_run_does() {
    let r = RedisServer::start();
    handler(r.dir.path(), "build.sh", "cat");
    Pipeline::unnamed()
        .stage("build", |s| {
            s.input("q").output("out").exec(&["sh", "./build.sh"])
        })
        .stage("send", |s| s.input("out").exec(&["sh", "./no-such.sh"]))
        .write(r.dir.path());
    // Without PATH, run starts `sh` from execvp's default path; doctor used to say "sh is
    // not on PATH".
    let out = r
        .pipectl()
        .env_remove("PATH")
        .arg("doctor")
        .output()
        .unwrap();
    let text = stdout(&out);
    let line = |name: &str| -> &str {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {text}"))
    };
    assert!(line("handler build").starts_with("OK"), "{text}");
    assert!(line("handler send").starts_with("FAIL"), "{text}");
    assert!(line("handler send").contains("./no-such.sh"), "{text}");
    r.cli(&["LPUSH", "q", "x"]);
    let out = r
        .pipectl()
        .env_remove("PATH")
        .args(["run", "build"])
        .output()
        .unwrap();
    assert_code(&out, 0);
}

#[test]
fn run_has_one_shape_for_every_stage_kind_and_dry_runs() {
    let r = RedisServer::start();
    pipeline(&r);
    let mut shapes = Vec::new();
    for (args, code) in [
        (&["run", "build"][..], 3),
        (&["run", "build", "--dry-run"], 3),
        (&["run", "discover", "--dry-run"], 0),
        (&["run", "discover"], 0),
        (&["run", "build", "--dry-run", "--max", "5"], 0),
        (&["run", "build", "--max", "5"], 5),
    ] {
        let out = r.run_json(args);
        assert_code(&out, code);
        assert_schema("run", &stdout(&out));
        let doc = json(&out);
        let keys: Vec<String> = doc.as_object().unwrap().keys().cloned().collect();
        shapes.push(keys);
    }
    assert!(shapes.windows(2).all(|w| w[0] == w[1]), "{shapes:?}");
    r.cli(&["DEL", "p:ratelimit"]);
    r.cli(&["SET", "p:paused:build", "by hand"]);
    let out = r.run_json(&["run", "build"]);
    assert_code(&out, 4);
    assert_schema("run", &stdout(&out));
    assert_eq!(json(&out)["paused_reason"], "by hand");
}

#[test]
fn run_reports_durations_as_integer_ms_and_people_get_them_rounded() {
    let r = RedisServer::start();
    pipeline(&r);
    r.cli(&["LPUSH", "p:queue", "a", "b", "c"]);
    r.cli(&["SET", "p:ratelimit", "2", "PX", "3599998"]);
    let out = r.run_json(&["run", "build"]);
    assert_code(&out, 5);
    // Old: "rate_limited_for":"59m59s998ms".
    let ms = json(&out)["rate_limit_resets_in_ms"].as_u64().unwrap();
    assert!((3_500_000..=3_600_000).contains(&ms), "{ms}");
    let out = r.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 5);
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("reopens in"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.ends_with("reopens in 1h"), "{line}");
}

#[test]
fn run_text_counts_in_words_with_plurals() {
    let r = RedisServer::start();
    pipeline(&r);
    r.cli(&["LPUSH", "p:queue", "{\"url\":\"a.com\"}"]);
    let out = r.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("build: 1 item processed: 1 succeeded"),
        "{}",
        stdout(&out)
    );
    let out = r.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 3);
    assert!(
        stdout(&out).contains("p:queue is empty"),
        "{}",
        stdout(&out)
    );
    let out = r.pipectl().args(["run", "discover"]).output().unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("enqueued 2 to p:queue, 0 duplicates"),
        "{}",
        stdout(&out)
    );
    let out = r.pipectl().args(["run", "discover"]).output().unwrap();
    assert!(stdout(&out).contains("2 duplicates"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("(s)"), "{}", stdout(&out));
}
