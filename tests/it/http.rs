//! http handlers against a real local HTTP server started by the test.

use std::time::Duration;

use crate::support::http::{HttpServer, Reply};
use crate::support::*;
use serde_json::Value;

const TOKEN: &str = "tok-9f8e7d6c5b4a";

fn setup(script: Vec<Reply>) -> (RedisServer, HttpServer) {
    setup_with(script, false)
}

/// A server answering with `script`, and stage outreach posting to its /send.
fn setup_with(script: Vec<Reply>, follow_redirects: bool) -> (RedisServer, HttpServer) {
    let r = RedisServer::start();
    let http = HttpServer::start(script);
    config(&r, &http.url("/send"), follow_redirects);
    (r, http)
}

/// Pipeline `p`: stage outreach (p:ready → p:contacted) posts each item to `url` with the
/// token from $OUTREACH_TOKEN.
fn config(r: &RedisServer, url: &str, follow_redirects: bool) {
    Pipeline::new("p")
        .stage("outreach", |s| {
            s.input("p:ready")
                .output("p:contacted")
                .http(
                    url,
                    &[("Authorization", "Bearer ${OUTREACH_TOKEN}")],
                    follow_redirects,
                )
                .max_attempts(3)
                .backoff("200ms")
                .timeout("2s")
        })
        .write(r.dir.path());
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
        (reqs[1].body.as_str(), reqs[1].header("content-type")),
        ("not json", Some("application/octet-stream")),
        "a non-JSON item is sent as its bytes"
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
    let doc = json(&out);
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
    config(&r, &format!("http://127.0.0.1:{dead_port}/send"), false);
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

/// The dead letter's error for an item that met `script`, and the requests the server saw.
fn dead_letter_after(
    script: Vec<Reply>,
    follow_redirects: bool,
) -> (String, Vec<crate::support::http::Request>) {
    let (r, http) = setup_with(script, follow_redirects);
    r.cli(&["LPUSH", "p:ready", r#"{"url":"a.com"}"#]);
    let out = run(&r, &["--json", "outreach"]);
    assert_code(&out, 1);
    assert_no_token(&out);
    let doc = json(&out);
    assert_eq!(doc["dead_lettered"], 1, "{doc}");
    assert_eq!(r.llen("p:contacted"), 0, "nothing counts as sent");
    assert_eq!(r.llen("p:ready"), 0);
    let envelope: Value = serde_json::from_str(&r.cli(&["LINDEX", "p:failed", "0"])).unwrap();
    assert_eq!(
        envelope["attempts"], 1,
        "dead-lettered at once, not retried"
    );
    assert_eq!(envelope["item"], serde_json::json!({"url":"a.com"}));
    (
        envelope["error"].as_str().unwrap().to_owned(),
        http.requests(),
    )
}

#[test]
fn a_redirect_of_the_post_is_never_followed_silently_it_dead_letters_with_status_and_location() {
    for status in [301, 302, 303, 307, 308] {
        // The redirect target would answer 200: reqwest used to follow it as a GET without
        // the body, and the item moved on as sent.
        let (error, reqs) = dead_letter_after(
            vec![
                Reply::redirect(status, "/elsewhere?x=1"),
                Reply::new(200, ""),
            ],
            false,
        );
        assert!(
            error.starts_with(&format!("HTTP {status} redirect to /elsewhere?x=1"))
                && error.contains("follow_redirects = true"),
            "{status}: {error}"
        );
        assert_eq!(reqs.len(), 1, "{status}: only the POST, nothing followed");
        assert_eq!(reqs[0].method, "POST");
    }
    let (error, _) = dead_letter_after(vec![Reply::new(302, "")], false);
    assert!(
        error.contains("HTTP 302") && error.contains("without a Location"),
        "{error}"
    );
}

#[test]
fn follow_redirects_re_posts_the_same_body_and_headers_to_the_location() {
    // A relative 301, an absolute same-origin 302, a 307 relative to the path, a 308, then
    // the answer: each hop a POST of the same body with the same headers.
    let (r, http) = setup_with(
        vec![
            Reply::redirect(301, "/v2/send"),
            Reply::redirect(302, "{origin}/v3/send"),
            Reply::redirect(307, "again"),
            Reply::redirect(308, "/final"),
            Reply::new(200, r#"{"url":"a.com","sent":true}"#),
        ],
        true,
    );
    let item = r#"{"url":"a.com",  "phone":"555-0123"}"#;
    r.cli(&["LPUSH", "p:ready", item]);
    let out = run(&r, &["--json", "outreach"]);
    assert_code(&out, 0);
    assert_no_token(&out);
    let reqs = http.requests();
    let paths: Vec<&str> = reqs.iter().map(|q| q.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/send", "/v2/send", "/v3/send", "/v3/again", "/final"]
    );
    for q in &reqs {
        assert_eq!(q.method, "POST", "{}", q.path);
        assert_eq!(q.body, item, "{}: the same body, byte for byte", q.path);
        assert_eq!(
            q.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(q.header("content-type"), Some("application/json"));
        assert_eq!(q.header("pipectl-attempt"), Some("1"));
    }
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:contacted", "0", "-1"]),
        [r#"{"url":"a.com","sent":true}"#]
    );
    // `config show` shows the opt-in.
    let out = r
        .pipectl()
        .args(["--json", "config", "show"])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(doc["stages"]["outreach"]["http"]["follow_redirects"], true);
}

#[test]
fn follow_redirects_stays_on_the_origin_and_stops_after_five_hops() {
    let other = HttpServer::start(vec![Reply::new(200, "")]);
    let (error, reqs) = dead_letter_after(vec![Reply::redirect(307, &other.url("/steal"))], true);
    assert!(
        error.starts_with(&format!("HTTP 307 redirect to {}", other.url("/steal")))
            && error.contains("another origin"),
        "{error}"
    );
    assert_eq!(reqs.len(), 1);
    assert!(
        other.requests().is_empty(),
        "the token never went to another origin"
    );

    let (error, reqs) = dead_letter_after(vec![Reply::redirect(302, "/loop")], true);
    assert!(
        error.contains("HTTP 302 redirect to /loop") && error.contains("after 5 redirects"),
        "{error}"
    );
    assert_eq!(reqs.len(), 6, "the POST and 5 redirects followed");
}

#[test]
fn the_body_is_the_items_exact_bytes_json_or_not() {
    let (r, http) = setup(vec![Reply::new(200, "")]);
    let items: [(&[u8], &str); 4] = [
        (b"\xff\xfe\x00raw \xc3(bytes\n", "application/octet-stream"),
        (br#""a JSON string""#, "application/json"),
        (b"plain text", "application/octet-stream"),
        (
            br#"{"n":12345678901234567890,"a":1,"a":2}"#,
            "application/json",
        ),
    ];
    let mut con = redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap();
    for (item, _) in &items {
        redis::cmd("LPUSH")
            .arg("p:ready")
            .arg(*item)
            .query::<i64>(&mut con)
            .unwrap();
    }
    let out = run(&r, &["outreach", "--drain"]);
    assert_code(&out, 0);
    let reqs = http.requests();
    assert_eq!(reqs.len(), items.len());
    for (req, (item, content_type)) in reqs.iter().zip(items) {
        assert_eq!(req.bytes, item, "sent byte for byte");
        assert_eq!(req.header("content-type"), Some(content_type));
    }
    // An empty answer passes each item on unchanged.
    let contacted: Vec<Vec<u8>> = redis::cmd("LRANGE")
        .arg("p:contacted")
        .arg(0)
        .arg(-1)
        .query(&mut con)
        .unwrap();
    let mut expected: Vec<Vec<u8>> = items.iter().map(|(i, _)| i.to_vec()).collect();
    expected.reverse();
    assert_eq!(contacted, expected);
}
