//! Exit codes, error messages and configuration, each against a real redis-server.

use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn unreachable_redis_is_exit_69_within_the_connect_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let started = Instant::now();
    let out = pipectl_in(dir.path())
        .args([
            "--url",
            &format!("redis://:hunter2@127.0.0.1:{port}"),
            "pop",
            "q",
        ])
        .output()
        .unwrap();
    assert_code(&out, 69);
    assert!(started.elapsed() < Duration::from_secs(5));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("redis://:***@127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--url") && err.contains("REDIS_URL"), "{err}");
    assert!(!err.contains("hunter2"), "password leaked: {err}");
}

#[test]
fn a_server_that_never_answers_is_exit_69_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    // Accepts connections (the kernel does, from the backlog) but never replies.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let started = Instant::now();
    let out = pipectl_in(dir.path())
        .args([
            "--url",
            &format!("redis://127.0.0.1:{port}"),
            "--timeout",
            "700ms",
            "len",
            "q",
        ])
        .output()
        .unwrap();
    assert_code(&out, 69);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    drop(listener);
}

#[test]
fn redis_dying_mid_session_is_exit_69() {
    let mut r = RedisServer::start();
    let url = r.url();
    r.kill();
    let out = r
        .pipectl()
        .args(["--url", &url, "enqueue", "q", "x"])
        .output()
        .unwrap();
    assert_code(&out, 69);
}

#[test]
fn auth_failures_are_exit_77_and_passwords_come_from_url_or_rediscli_auth() {
    let r = RedisServer::start_with(&["--requirepass", "s3cret-pw"]);
    let out = r.pipectl().args(["len", "q"]).output().unwrap();
    assert_code(&out, 77);
    assert!(stderr(&out).contains("REDISCLI_AUTH"), "{}", stderr(&out));

    let wrong = format!("redis://:wrong-pw@127.0.0.1:{}", r.port);
    let out = r
        .pipectl()
        .args(["--url", &wrong, "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(!stderr(&out).contains("wrong-pw"), "{}", stderr(&out));

    let out = r
        .pipectl()
        .env("REDISCLI_AUTH", "s3cret-pw")
        .args(["len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let right = format!("redis://:s3cret-pw@127.0.0.1:{}", r.port);
    let out = r
        .pipectl()
        .args(["--url", &right, "enqueue", "q", "x"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.llen("q"), 1);
}

#[test]
fn acl_user_without_permission_is_exit_77() {
    let r = RedisServer::start();
    r.cli(&[
        "ACL",
        "SETUSER",
        "reader",
        "on",
        ">readerpw",
        "~*",
        "+@read",
        "+@connection",
    ]);
    let url = format!("redis://reader:readerpw@127.0.0.1:{}", r.port);
    let out = r
        .pipectl()
        .args(["--url", &url, "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["--url", &url, "enqueue", "q", "x"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(
        stderr(&out).to_lowercase().contains("permission"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unix_socket_urls_work() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("redis.sock");
    let sock_arg = sock.to_str().unwrap();
    let r = RedisServer::start_with(&["--unixsocket", sock_arg]);
    let url = format!("unix://{sock_arg}");
    let out = r
        .pipectl()
        .args(["--url", &url, "enqueue", "q", "via-socket"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli(&["RPOP", "q"]), "via-socket");
}

#[test]
fn a_key_of_the_wrong_type_is_named() {
    let r = RedisServer::start();
    r.cli(&["SET", "prospect:queue", "x"]);
    for args in [
        vec!["pop", "prospect:queue"],
        vec!["enqueue", "prospect:queue", "a"],
        vec!["pop", "prospect:queue", "--lease", "1m"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 65);
        let err = stderr(&out);
        assert!(
            err.contains("key 'prospect:queue' holds a string") && err.contains("needs a list"),
            "{args:?}: {err}"
        );
    }
    r.cli(&["SET", "prospect:seen", "x"]);
    let out = r
        .pipectl()
        .args(["enqueue", "fresh", "--dedup-by", "url", r#"{"url":"a"}"#])
        .output()
        .unwrap();
    assert_code(&out, 65);
    assert!(
        stderr(&out).contains("key 'prospect:seen' holds a string"),
        "{}",
        stderr(&out)
    );
    assert_eq!(r.llen("fresh"), 0);
}

#[test]
fn usage_errors_are_exit_2_and_json_errors_are_json() {
    let r = RedisServer::start();
    let out = r.pipectl().args(["pop"]).output().unwrap();
    assert_code(&out, 2);
    let out = r
        .pipectl()
        .args(["pop", "q", "--wait", "-5m"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    let out = r
        .pipectl()
        .args(["pop", "q", "--wait", "99999999d"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    let out = r
        .pipectl()
        .args(["--json", "enqueue", "q", "--dedup-by", "url", "not json"])
        .output()
        .unwrap();
    assert_code(&out, 65);
    let err = json_stderr(&out);
    assert_eq!(err["error"]["code"], 65);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("argument 1")
    );
    // No items and no stdin data: enqueue from a closed stdin enqueues nothing.
    let out = r.pipectl().args(["enqueue", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("enqueued 0 items"));
}

#[test]
fn a_bad_config_file_is_exit_78_with_line_and_column() {
    let r = RedisServer::start();
    write_file(
        r.dir.path(),
        "pipectl.toml",
        r#"[pipeline]
name = "p"
retention = "7d"

[stages.build]
input = "p:queue"
"#,
    );
    let out = r.pipectl().args(["config", "show"]).output().unwrap();
    assert_code(&out, 78);
    let err = stderr(&out);
    assert!(
        err.contains("pipectl.toml:3:1") && err.contains("retention"),
        "{err}"
    );

    let bad = write_file(
        r.dir.path(),
        "bad.toml",
        r#"[stages.build]
input = "q"
timeout = 5
"#,
    );
    let out = r
        .pipectl()
        .arg("--config")
        .arg(&bad)
        .args(["enqueue", "q", "x"])
        .output()
        .unwrap();
    assert_code(&out, 78);
    assert!(stderr(&out).contains("bad.toml:3:11"), "{}", stderr(&out));
    assert_eq!(r.llen("q"), 0);

    let out = r
        .pipectl()
        .env("PIPECTL_CONFIG", "/nonexistent/pipectl.toml")
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_code(&out, 78);
    assert!(stderr(&out).contains("not found"));

    // Commands that need no config are not stopped by a broken one.
    let out = r.pipectl().args(["pop", "q"]).output().unwrap();
    assert_code(&out, 3);
}

#[test]
fn init_writes_a_starter_that_config_show_reads() {
    let r = RedisServer::start();
    let out = r.pipectl().args(["init"]).output().unwrap();
    assert_code(&out, 0);
    let text = std::fs::read_to_string(r.dir.path().join("pipectl.toml")).unwrap();
    assert!(
        text.contains("seen_set = \"prospect:seen\"") && text.contains("# "),
        "{text}"
    );
    let out = r.pipectl().args(["init"]).output().unwrap();
    assert_code(&out, 2);

    let out = r
        .pipectl()
        .args(["--json", "config", "show"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["path"], "pipectl.toml");
    assert_eq!(doc["pipeline"]["dead_letters"], "prospect:failed");
    assert_eq!(
        doc["stages"]["outreach"]["http"]["headers"]["Authorization"],
        "Bearer ${OUTREACH_TOKEN}"
    );

    // --pipeline renames every default key.
    let out = r
        .pipectl()
        .args(["--pipeline", "leads", "init", "--path", "leads.toml"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["--config", "leads.toml", "config", "show"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("seen_set = \"leads:seen\""),
        "{}",
        stdout(&out)
    );
}

#[test]
fn config_show_redacts_secrets() {
    let r = RedisServer::start();
    Pipeline::unnamed()
        .stage("send", |s| {
            s.input("q").http(
                "http://127.0.0.1:9/x",
                &[
                    ("Authorization", "Bearer literal-secret"),
                    ("X-Key", "${KEY}"),
                ],
                false,
            )
        })
        .write(r.dir.path());
    let url = format!("redis://user:url-secret@127.0.0.1:{}", r.port);
    let out = r
        .pipectl()
        .args(["--url", &url, "config", "show"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        !text.contains("literal-secret") && !text.contains("url-secret"),
        "{text}"
    );
    assert!(
        text.contains("<redacted>") && text.contains("${KEY}") && text.contains("user:***@"),
        "{text}"
    );
}

#[test]
fn counters_expire_after_the_retention_and_stats_reads_them() {
    let r = RedisServer::start();
    let day = today();
    for _ in 0..3 {
        assert_code(
            &r.pipectl().args(["count", "prospects"]).output().unwrap(),
            0,
        );
    }
    let out = r
        .pipectl()
        .args(["count", "prospects", "--by", "4"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "7\n");
    let key = format!("stats:prospects:{day}");
    assert_eq!(r.cli(&["GET", &key]), "7");
    let ttl: i64 = r.cli(&["TTL", &key]).parse().unwrap();
    assert!((604_000..=604_800).contains(&ttl), "ttl {ttl}");

    // A hand-made counter for yesterday, as the counter pattern writes it with redis-cli.
    let out = std::process::Command::new("date")
        .args(["-d", "yesterday", "+%F"])
        .output()
        .unwrap();
    let yesterday = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    r.cli(&["SET", &format!("stats:prospects:{yesterday}"), "5"]);
    r.cli(&["SET", &format!("stats:old:{}", "2001-01-01"), "9"]);

    let out = r
        .pipectl()
        .args(["--json", "stats", "--days", "2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["days"], serde_json::json!([yesterday, day]));
    assert_eq!(
        doc["counters"],
        serde_json::json!([{"name": "prospects", "values": [5, 7], "total": 12, "trend": "▆█", "scale": 1}])
    );

    // A retention from the config applies.
    Pipeline::unnamed()
        .stats_retention("1h")
        .stage("a", |s| s.input("q"))
        .write(r.dir.path());
    r.pipectl().args(["count", "hourly"]).output().unwrap();
    let ttl: i64 = r
        .cli(&["TTL", &format!("stats:hourly:{day}")])
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&ttl), "ttl {ttl}");

    let out = r.pipectl().args(["stats", "prospects"]).output().unwrap();
    assert!(
        stdout(&out).contains("prospects") && stdout(&out).contains("12"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn help_lists_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = pipectl_in(dir.path()).arg("--help").output().unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("69 Redis unavailable"));
    let out = pipectl_in(dir.path())
        .args(["--json", "exit-codes"])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(doc["exit_codes"].as_array().unwrap().len(), 10);
}

#[test]
fn a_database_the_server_does_not_have_is_a_bad_url_exit_2() {
    let r = RedisServer::start();
    let url = format!("{}/99", r.url());
    let out = r
        .pipectl()
        .args(["len", "q", "--url", &url])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("database number"), "{}", stderr(&out));
    let out = r
        .pipectl()
        .args(["--json", "status", "--url", &url])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_schema("error", &stderr(&out));
}
