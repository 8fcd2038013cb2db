//! Notifications: each event delivered once to a real local webhook (and a command) under
//! racing workers, retried with backoff, never in the way of items, secrets never shown.

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::http::{HttpServer, Reply};
use crate::support::*;

fn config(r: &RedisServer, notify: &str, handler: &str) {
    write_file(
        r.dir.path(),
        "pipectl.toml",
        &format!(
            r#"[pipeline]
name = "prospect"
dead_letters_max = 10

[notify]
{notify}

[stages.build]
input = "prospect:queue"
output = "prospect:staged"
exec = {handler}

[stages.review]
input = "prospect:staged"
output = "prospect:ready"
max_wait = "1s"
"#
        ),
    );
}

fn bodies(server: &HttpServer) -> Vec<Value> {
    server
        .requests()
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect()
}

fn count(events: &[Value], name: &str) -> usize {
    events.iter().filter(|e| e["event"] == name).count()
}

#[test]
fn every_event_reaches_the_webhook_and_the_command_once_under_three_workers() {
    let r = RedisServer::start();
    let server = HttpServer::start(vec![Reply::new(200, "ok")]);
    let url = server.url("/hook?token=s3cret");
    config(
        &r,
        &format!(
            "url = \"{url}\"\ncommand = [\"sh\", \"-c\", \"cat >> events.ndjson; echo >> events.ndjson\"]\ndead_letters_over = 3"
        ),
        r#"["sh", "-c", "cat > /dev/null; exit 65"]"#,
    );
    for i in 0..9 {
        r.cli(&["LPUSH", "prospect:queue", &format!("{{\"n\":{i}}}")]);
    }
    // A staged item that has waited longer than max_wait.
    r.cli(&["ZADD", "prospect:staged:since", "1", "old"]);
    r.cli(&["LPUSH", "prospect:staged", "old"]);
    let out = r.run_json(&["pause", "review", "--reason", "lunch"]);
    assert_code(&out, 0);
    let workers: Vec<_> = (0..3)
        .map(|_| {
            r.pipectl()
                .args(["--json", "run", "build", "--drain", "--wait", "2s"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        assert!(!stderr(&out).contains("s3cret"), "{}", stderr(&out));
    }
    // A fourth deliverer (cron's) finds nothing left to send twice.
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 0);
    assert_schema("notify-deliver", &stdout(&out));

    let events = bodies(&server);
    for name in [
        "stage_paused",
        "dead_letters_over",
        "dead_letters_near_cap",
        "review_overdue",
    ] {
        assert_eq!(count(&events, name), 1, "{name} in {events:?}");
    }
    assert_eq!(events.len(), 4, "{events:?}");
    let mut ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4);
    for e in &events {
        assert_schema("notify-event", &e.to_string());
        assert_eq!(e["pipeline"], "prospect");
    }
    let paused = events
        .iter()
        .find(|e| e["event"] == "stage_paused")
        .unwrap();
    assert_eq!(paused["stage"], "review");
    assert_eq!(paused["details"]["reason"], "lunch");
    assert_eq!(paused["details"]["cause"], "hand");
    let over = events
        .iter()
        .find(|e| e["event"] == "dead_letters_over")
        .unwrap();
    assert_eq!(over["stage"], Value::Null);
    assert!(over["details"]["count"].as_u64().unwrap() >= 3, "{over}");
    let request = &server.requests()[0];
    assert_eq!(request.path, "/hook?token=s3cret");
    assert!(request.header("pipectl-event-id").is_some());

    // The command got the same four, once each.
    let text = std::fs::read_to_string(r.dir.path().join("events.ndjson")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    let mut cids: Vec<&str> = lines.iter().map(|e| e["id"].as_str().unwrap()).collect();
    cids.sort_unstable();
    assert_eq!(cids, ids);

    // A second pause of a paused stage raises nothing; a condition still true raises nothing.
    assert_code(&r.run_json(&["pause", "review", "--reason", "still"]), 0);
    assert_code(&r.run_json(&["notify", "deliver"]), 0);
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_failed_delivery_is_retried_after_its_backoff_with_the_same_id_and_no_secret_shown() {
    let r = RedisServer::start();
    let server = HttpServer::start(vec![Reply::new(503, "busy"), Reply::new(200, "ok")]);
    let port = server.port;
    let url = format!("http://ann:pa55word@127.0.0.1:{port}/hook?token=s3cret");
    config(
        &r,
        &format!("url = \"{url}\"\nbackoff = \"100ms\"\ntimeout = \"1s\""),
        r#"["true"]"#,
    );
    assert_code(&r.run_json(&["pause", "build"]), 0);
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 1);
    let d = json(&out);
    assert_eq!(d["failed"], 1, "{d}");
    let why = d["last_error"].as_str().unwrap();
    assert!(why.contains("answered 503"), "{why}");
    assert!(!stdout(&out).contains("s3cret") && !stdout(&out).contains("pa55word"));
    assert!(why.contains("<redacted>@127.0.0.1"), "{why}");
    // Not yet: the retry waits out the timeout plus a margin.
    assert_code(&r.run_json(&["notify", "deliver"]), 0);
    assert_eq!(server.requests().len(), 1);
    std::thread::sleep(Duration::from_millis(3200));
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["delivered"], 1);
    let events = bodies(&server);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["id"], events[1]["id"]);
    assert_eq!(events[1]["event"], "stage_paused");
}

#[test]
fn a_hanging_webhook_does_not_slow_items() {
    let r = RedisServer::start();
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut stream in listener.incoming().flatten() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
    });
    let items = |r: &RedisServer| {
        for i in 0..30 {
            r.cli(&["LPUSH", "prospect:queue", &format!("{{\"n\":{i}}}")]);
        }
    };
    // Without notifications first, for comparison.
    write_file(
        r.dir.path(),
        "pipectl.toml",
        "[stages.build]\ninput = \"prospect:queue\"\noutput = \"prospect:staged\"\nexec = [\"true\"]\n",
    );
    items(&r);
    let started = Instant::now();
    assert_code(&r.run_json(&["run", "build", "--drain"]), 0);
    let plain = started.elapsed();

    config(
        &r,
        &format!("url = \"http://127.0.0.1:{port}/hang\"\ntimeout = \"60s\""),
        r#"["true"]"#,
    );
    assert_code(&r.run_json(&["pause", "review"]), 0);
    items(&r);
    let started = Instant::now();
    let out = r.run_json(&["run", "build", "--drain"]);
    let hanging = started.elapsed();
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 30);
    // The webhook was called and is still hanging (its timeout is a minute away).
    assert!(accepted.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    assert!(
        hanging < plain + Duration::from_secs(8),
        "with a hanging webhook {hanging:?}, without {plain:?}"
    );
}

#[test]
fn bad_notify_configs_are_refused() {
    let r = RedisServer::start();
    for (notify, says) in [
        ("events = [\"stage_paused\"]", "needs a url"),
        ("url = \"ftp://x\"", "must start with http"),
        ("url = \"http://x\"\nevents = [\"nope\"]", "unknown variant"),
        ("url = \"http://x\"\nmax_attempts = 0", "max_attempts"),
        ("url = \"http://x\"\nsecret = 1", "unknown field"),
    ] {
        config(&r, notify, r#"["true"]"#);
        let out = r.run_json(&["notify", "deliver"]);
        assert_code(&out, 78);
        let message = json_stderr(&out)["error"]["message"].to_string();
        assert!(message.contains(says), "{notify}: {message}");
    }
    write_file(
        r.dir.path(),
        "pipectl.toml",
        "[stages.build]\ninput = \"q\"\nexec = [\"true\"]\n",
    );
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 78);
    assert!(
        json_stderr(&out)["error"]["message"]
            .to_string()
            .contains("no [notify]")
    );
    // A spoiled outbox is named, and changes nothing.
    config(&r, "url = \"http://127.0.0.1:9/x\"", r#"["true"]"#);
    r.cli(&["SET", "prospect:notify", "oops"]);
    let out = r.run_json(&["pause", "build"]);
    assert_code(&out, 65);
    assert!(stderr(&out).contains("prospect:notify"), "{}", stderr(&out));
    assert_eq!(r.cli(&["EXISTS", "prospect:paused:build"]), "0");
}

/// The guards' events: a breaker that opens and closes, a budget spent, each delivered once
/// although three workers saw them (they are read from the guards' state in Redis).
#[test]
fn breaker_and_budget_events_reach_the_webhook_once_under_three_workers() {
    let r = RedisServer::start();
    let server = HttpServer::start(vec![Reply::new(200, "ok")]);
    write_file(
        r.dir.path(),
        "pipectl.toml",
        &format!(
            r#"[pipeline]
name = "prospect"

[notify]
url = "{}"

[stages.flaky]
input = "prospect:flaky"
output = "prospect:done"
exec = ["sh", "-c", "cat > /dev/null; exit 65"]
breaker = {{ failures = 3, within = "10m", cool_down = "1h" }}

[stages.send]
input = "prospect:send"
output = "prospect:done"
exec = ["sh", "-c", "cat; echo '{{\"cost\": {{\"sms\": 1}}}}' > \"$PIPECTL_CONTROL\""]
budget = {{ sms = 4, per = "1d" }}
"#,
            server.url("/hook")
        ),
    );
    for i in 0..8 {
        r.cli(&["LPUSH", "prospect:flaky", &format!("{{\"f\":{i}}}")]);
        r.cli(&["LPUSH", "prospect:send", &format!("{{\"s\":{i}}}")]);
    }
    let workers: Vec<_> = (0..3)
        .flat_map(|_| ["flaky", "send"])
        .map(|stage| {
            r.pipectl()
                .args(["--json", "run", stage, "--drain"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for w in workers {
        let out = w.wait_with_output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 4 | 5)),
            "{}",
            stderr(&out)
        );
    }
    // Three workers: the third failure opens the breaker, and at most the two items the
    // others held then fail too; the rest stay queued.
    let dead = r.llen("prospect:failed");
    assert!((3..=5).contains(&dead), "{dead} dead letters");
    assert_eq!(
        r.llen("prospect:flaky"),
        8 - dead,
        "the breaker stopped the rest"
    );
    assert_eq!(r.llen("prospect:done"), 4, "the budget stopped the fifth");
    for _ in 0..2 {
        assert_code(&r.run_json(&["notify", "deliver"]), 0);
    }
    // Closed by hand: one breaker_closed.
    assert_code(&r.run_json(&["resume", "flaky"]), 0);
    assert_code(&r.run_json(&["notify", "deliver"]), 0);
    assert_code(&r.run_json(&["notify", "deliver"]), 0);
    let events = bodies(&server);
    for name in ["breaker_opened", "budget_spent", "breaker_closed"] {
        assert_eq!(count(&events, name), 1, "{name} in {events:?}");
    }
    let opened = events
        .iter()
        .find(|e| e["event"] == "breaker_opened")
        .unwrap();
    assert_eq!(opened["stage"], "flaky");
    assert_eq!(opened["details"]["threshold"], 3, "{opened}");
    let spent = events
        .iter()
        .find(|e| e["event"] == "budget_spent")
        .unwrap();
    assert_eq!(
        (spent["stage"].as_str(), spent["details"]["unit"].as_str()),
        (Some("send"), Some("sms")),
        "{spent}"
    );
}

/// The saturation verdict flips (fresh → saturated) when mostly-seen items are enqueued:
/// one saturation_flipped, though three deliverers check the condition at once; the first
/// verdict ever seen raises nothing.
#[test]
fn a_flipped_saturation_verdict_reaches_the_webhook_once_under_three_deliverers() {
    let r = RedisServer::start();
    let server = HttpServer::start(vec![Reply::new(200, "ok")]);
    write_file(
        r.dir.path(),
        "pipectl.toml",
        &format!(
            r#"[pipeline]
name = "prospect"

[notify]
url = "{}"

[stages.discover]
output = "prospect:queue"
exec = ["true"]
dedup_by = "url"
"#,
            server.url("/hook")
        ),
    );
    let enqueue = |urls: &[&str]| {
        let items: Vec<String> = urls
            .iter()
            .map(|u| format!("{{\"url\":\"{u}\"}}"))
            .collect();
        let mut args = vec!["enqueue", "prospect:queue", "--dedup-by", "url"];
        args.extend(items.iter().map(String::as_str));
        assert_code(&r.run_json(&args), 0);
    };
    enqueue(&["a.com", "b.com", "c.com"]);
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["raised"], 0, "a first verdict is no flip");
    // Six already seen against three new: saturated.
    enqueue(&["a.com", "b.com", "c.com", "a.com", "b.com", "c.com"]);
    let deliverers: Vec<_> = (0..3)
        .map(|_| {
            r.pipectl()
                .args(["--json", "notify", "deliver"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut raised = 0;
    for d in deliverers {
        let out = d.wait_with_output().unwrap();
        assert_code(&out, 0);
        raised += json(&out)["raised"].as_u64().unwrap();
    }
    assert_eq!(raised, 1, "raised once across three deliverers");
    let events = bodies(&server);
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_schema("notify-event", &e.to_string());
    assert_eq!(e["event"], "saturation_flipped");
    assert_eq!(e["stage"], Value::Null);
    assert_eq!(e["details"]["state"], "saturated", "{e}");
    assert_eq!(e["details"]["previous"], "fresh", "{e}");
    assert_eq!(e["details"]["verdict"], "saturated", "{e}");
    // Lua's cjson writes 14 significant digits.
    let ratio = e["details"]["seen_ratio"].as_f64().unwrap();
    assert!((ratio - 6.0 / 9.0).abs() < 1e-9, "{e}");
    // Still saturated: nothing more.
    assert_code(&r.run_json(&["notify", "deliver"]), 0);
    assert_eq!(server.requests().len(), 1);
}
