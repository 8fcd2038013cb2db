//! http handlers against a real local HTTP server started by the test.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::http::{HttpServer, Reply};
use support::*;

const TOKEN: &str = "tok-9f8e7d6c5b4a";

fn setup(script: Vec<Reply>) -> (RedisServer, HttpServer) {
    let r = RedisServer::start();
    let http = HttpServer::start(script);
    write_file(
        r.dir.path(),
        "pipectl.toml",
        &format!(
            "[pipeline]\nname = \"p\"\n\n[stages.outreach]\ninput = \"p:ready\"\noutput = \"p:contacted\"\n\
             http = {{ url = \"{}\", headers = {{ Authorization = \"Bearer ${{OUTREACH_TOKEN}}\" }} }}\n\
             max_attempts = 3\nbackoff = \"200ms\"\ntimeout = \"2s\"\n",
            http.url("/send")
        ),
    );
    (r, http)
}

fn run(r: &RedisServer, args: &[&str]) -> std::process::Output {
    r.pipectl()
        .env("OUTREACH_TOKEN", TOKEN)
        .arg("run")
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn assert_no_token(out: &std::process::Output) {
    assert!(
        !stdout(out).contains(TOKEN) && !stderr(out).contains(TOKEN),
        "token leaked:\n{}\n{}",
        stdout(out),
        stderr(out)
    );
}

#[test]
fn a_200_answer_replaces_the_item_and_the_token_is_sent_but_never_printed() {
    let (r, http) = setup(vec![Reply::new(200, r#"{"url":"a.com","sent":"sms"}"#)]);
    r.cli(&[
        "LPUSH",
        "p:ready",
        r#"{"url":"a.com","phone":"555-0123"}"#,
        "not json",
    ]);
    let out = run(&r, &["-vv", "--json", "outreach", "--drain"]);
    assert_code(&out, 0);
    assert_no_token(&out);
    let reqs = http.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].path.as_str()),
        ("POST", "/send")
    );
    assert_eq!(
        reqs[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(reqs[0].header("content-type"), Some("application/json"));
    assert_eq!(reqs[0].header("pipectl-stage"), Some("outreach"));
    assert_eq!(reqs[0].body, r#"{"url":"a.com","phone":"555-0123"}"#);
    assert_eq!(
        reqs[1].body, r#""not json""#,
        "a non-JSON item is sent as a JSON string"
    );
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:contacted", "0", "-1"]),
        [r#"{"url":"a.com","sent":"sms"}"#; 2]
    );
}

#[test]
fn a_429_waits_for_retry_after() {
    let (r, http) = setup(vec![
        Reply::new(429, "slow down").header("Retry-After", "7"),
        Reply::new(200, ""),
    ]);
    r.cli(&["LPUSH", "p:ready", r#"{"url":"a.com"}"#]);
    let out = run(&r, &["--json", "outreach"]);
    assert_code(&out, 1);
    let doc: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(doc["retried"], 1);
    let due: i64 = r
        .cli(&["ZRANGE", "p:ready:delayed", "0", "0", "WITHSCORES"])
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
    let wait = due - (time[0] * 1000 + time[1] / 1000);
    assert!(
        (6_000..=7_000).contains(&wait),
        "Retry-After 7s honoured, not the 200ms backoff: {wait}ms"
    );
    assert_eq!(http.requests().len(), 1);
}

#[test]
fn a_503_is_retried_then_a_200_succeeds() {
    let (r, http) = setup(vec![Reply::new(503, "maintenance"), Reply::new(200, "")]);
    r.cli(&["LPUSH", "p:ready", r#"{"url":"a.com"}"#]);
    assert_code(&run(&r, &["outreach"]), 1);
    std::thread::sleep(Duration::from_millis(300));
    let out = run(&r, &["outreach", "--wait", "2s"]);
    assert_code(&out, 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:contacted", "0", "-1"]),
        [r#"{"url":"a.com"}"#]
    );
    let reqs = http.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("pipectl-attempt"), Some("2"));
}

#[test]
fn a_404_dead_letters_with_status_and_body() {
    let (r, _http) = setup(vec![Reply::new(404, "no such campaign: spring-sale")]);
    r.cli(&["LPUSH", "p:ready", r#"{"url":"a.com"}"#]);
    let out = run(&r, &["-v", "outreach"]);
    assert_code(&out, 1);
    assert_no_token(&out);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    assert_eq!(envelope["error"], "HTTP 404: no such campaign: spring-sale");
    assert_eq!(envelope["attempts"], 1);
    assert!(!r.cli(&["LINDEX", "p:failed", "0"]).contains(TOKEN));
}

#[test]
fn connection_refused_is_retried_and_a_missing_secret_is_a_config_error() {
    let (r, _http) = setup(vec![Reply::new(200, "")]);
    let dead_port = free_port();
    let text = std::fs::read_to_string(r.dir.path().join("pipectl.toml")).unwrap();
    let text = text.replace(
        &format!("http://127.0.0.1:{}", _http.port),
        &format!("http://127.0.0.1:{dead_port}"),
    );
    write_file(r.dir.path(), "pipectl.toml", &text);
    r.cli(&["LPUSH", "p:ready", "x"]);
    let out = run(&r, &["--json", "outreach"]);
    assert_code(&out, 1);
    assert_eq!(r.cli(&["ZCARD", "p:ready:delayed"]), "1");

    let out = r.pipectl().args(["run", "outreach"]).output().unwrap();
    assert_code(&out, 78);
    assert!(stderr(&out).contains("OUTREACH_TOKEN"), "{}", stderr(&out));
}

#[test]
fn a_pipectl_control_header_defers() {
    let (r, _http) = setup(vec![
        Reply::new(200, r#"{"url":"a.com","checks":1}"#).header("Pipectl-Control", "defer 1h"),
    ]);
    r.cli(&["LPUSH", "p:ready", r#"{"url":"a.com"}"#]);
    let out = run(&r, &["--json", "outreach"]);
    assert_code(&out, 0);
    let member = r.cli(&["ZRANGE", "p:ready:delayed", "0", "0"]);
    assert!(
        member.ends_with(r#":{"url":"a.com","checks":1}"#),
        "{member}"
    );
}
