//! Stage guards on every claim path, not only `pipectl run`'s: `pop --lease` honours the
//! sending window, the breaker (a `nack` counts as a failure, the probe's `ack` closes it)
//! and the budget; and an item's cost counts whatever its outcome (escalated, deferred).
//! The MCP claim tool's refusals are in tests/it/mcp.rs.

use std::process::Output;
use std::time::Duration;

use crate::support::*;

fn at(r: &RedisServer, now: &str, args: &[&str]) -> Output {
    r.pipectl()
        .env("PIPECTL_TEST_NOW", now)
        .args(args)
        .output()
        .unwrap()
}

fn push(r: &RedisServer, n: usize) {
    for i in 0..n {
        r.cli(&["LPUSH", "p:queue", &format!("{{\"n\":{i}}}")]);
    }
}

fn send(lines: &[&str]) -> Stage {
    lines.iter().fold(
        Stage::new("send")
            .input("p:queue")
            .exec(&["./h.sh"])
            .max_attempts(1),
        |s, l| s.extra(l),
    )
}

/// The one lease token of a `pop --lease --json`.
fn token(out: &Output) -> String {
    let popped = json(out);
    assert_eq!(
        popped["items"].as_array().map(Vec::len),
        Some(1),
        "{popped}"
    );
    popped["items"][0]["token"].as_str().unwrap().to_owned()
}

/// The first TOML block of the README's "Running unattended": the complete outreach stage.
fn readme_outreach_config() -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = readme
        .split_once("\n## Running unattended\n")
        .expect("README has a Running unattended section")
        .1;
    let block = section.split_once("```toml\n").expect("a TOML block").1;
    block.split_once("```").unwrap().0.to_owned()
}

#[test]
fn pop_lease_honours_the_window_the_breaker_and_nack_ack_settle_it() {
    let r = RedisServer::start();
    // The README's complete outreach stage parses, every guard in place.
    write_file(r.dir.path(), "pipectl.toml", &readme_outreach_config());
    let status = json(&r.run_json(&["status"]));
    let stage = &status["stages"][0];
    assert_eq!(stage["name"], "outreach", "{stage}");
    let g = &stage["guards"];
    assert_eq!(
        g["window"]["windows"].as_array().map(Vec::len),
        Some(2),
        "{g}"
    );
    assert_eq!(g["breaker"]["threshold"], 5, "{g}");
    let units: Vec<&str> = g["budget"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["usd", "sms"], "{g}");
    let dead = &status["dead_letters"];
    assert_eq!(
        (dead["max"].as_u64(), dead["max_age_ms"].as_u64()),
        (Some(10_000), Some(90 * 86_400_000)),
        "{dead}"
    );
    let out = r.run_json(&["notify", "deliver"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["delivered"], 0);

    handler(r.dir.path(), "h.sh", "cat >/dev/null");
    Pipeline::new("p")
        .with(send(&[
            r#"window = { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicago" }"#,
        ]))
        .write(r.dir.path());
    push(&r, 3);
    // Saturday noon in Chicago: exit 4, the words run uses, nothing leased.
    let saturday = "2026-12-05T18:00:00Z";
    let out = at(&r, saturday, &["pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 4);
    assert!(
        stderr(&out).contains("outside the sending window; opens 2026-12-07T09:00:00-06:00"),
        "{}",
        stderr(&out)
    );
    let out = at(&r, saturday, &["--json", "pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 4);
    assert_eq!(json_stderr(&out)["error"]["name"], "paused");
    assert_eq!(r.llen("p:queue"), 3);
    assert_eq!(r.cli(&["EXISTS", "p:queue:leases"]), "0");
    // A wait shorter than the time to the opening does not wait for it.
    let out = at(
        &r,
        saturday,
        &["pop", "p:queue", "--lease", "1m", "--wait", "1s"],
    );
    assert_code(&out, 4);
    // Without --lease, pop is RPOP: no stage's guard applies.
    let friday = "2026-12-04T15:00:00Z";
    let out = at(&r, friday, &["--json", "pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 0);
    assert_code(&r.run_json(&["ack", &token(&out)]), 0);

    // Without guards too, no lease of a paused stage's input is taken: the kill switch.
    Pipeline::new("p").with(send(&[])).write(r.dir.path());
    assert_code(&r.run_json(&["pause", "send", "--reason", "lunch"]), 0);
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 4);
    assert_eq!(
        json_stderr(&out)["error"]["message"],
        "stage 'send' is paused: lunch"
    );
    assert_code(&r.run_json(&["resume", "send"]), 0);

    // A breaker of two failures: two nacks after pop --lease open it.
    Pipeline::new("p")
        .with(send(&[
            r#"breaker = { failures = 2, within = "1m", cool_down = "1s" }"#,
        ]))
        .write(r.dir.path());
    push(&r, 2);
    for reason in ["smtp 421", "smtp 451"] {
        let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
        assert_code(&out, 0);
        let t = token(&out);
        assert_code(&r.run_json(&["nack", &t, "--reason", reason]), 0);
    }
    let reason = r.cli(&["GET", "p:paused:send"]);
    assert!(
        reason.starts_with("circuit breaker: 2 failures within 1m; last: smtp 451"),
        "{reason}"
    );
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m", "-n", "3"]);
    assert_code(&out, 4);
    let message = json_stderr(&out)["error"]["message"].to_string();
    assert!(
        message.contains("stage 'send' is paused: circuit breaker"),
        "{message}"
    );
    assert_eq!(r.llen("p:queue"), 4);
    // After the cool-down one lease is the probe, however many are asked for; acking it
    // closes the breaker and resumes the stage.
    std::thread::sleep(Duration::from_millis(1100));
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m", "-n", "3"]);
    assert_code(&out, 0);
    let probe = token(&out);
    assert_eq!(r.cli(&["HGET", "p:breaker:send", "state"]), "probing");
    assert_code(&r.run_json(&["pop", "p:queue", "--lease", "1m"]), 4);
    assert_code(&r.run_json(&["ack", &probe]), 0);
    assert_eq!(
        r.cli(&[
            "EXISTS",
            "p:paused:send",
            "p:breaker:send",
            "p:breaker:send:failures"
        ]),
        "0"
    );
    let audit = r.cli_lines(&["XRANGE", "p:audit", "-", "+"]).join("\n");
    assert!(audit.contains("breaker-close"), "{audit}");
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m", "-n", "3"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["items"].as_array().map(Vec::len), Some(3));
}

#[test]
fn pop_lease_stops_at_a_spent_budget_and_escalated_or_deferred_items_cost_too() {
    let r = RedisServer::start();
    // Asks a person about the first item, defers the second, sends the rest; each costs.
    handler(
        r.dir.path(),
        "h.sh",
        r#"n=$(cat)
case "$n" in
  *'"n":0'*) echo '{"review": "same business?", "cost": {"usd": 0.25}}' > "$PIPECTL_CONTROL" ;;
  *'"n":1'*) echo '{"defer": "1h", "cost": {"usd": 0.25}}' > "$PIPECTL_CONTROL" ;;
  *) echo '{"cost": {"usd": 0.5}}' > "$PIPECTL_CONTROL" ;;
esac"#,
    );
    Pipeline::new("p")
        .with(
            send(&[
                r#"budget = { usd = 1, per = "1d" }"#,
                r#"escalate_to = "review""#,
            ])
            .output("p:sent"),
        )
        .with(Stage::new("review").input("p:staged").output("p:sent"))
        .write(r.dir.path());
    push(&r, 5);
    let out = r.run_json(&["run", "send", "--max", "2"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert_eq!(
        (report["escalated"].as_u64(), report["deferred"].as_u64()),
        (Some(1), Some(1)),
        "{report}"
    );
    assert_eq!(r.llen("p:staged"), 1);
    let day = today();
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:send:cost:usd:{day}")]),
        "500000"
    );
    let status = json(&r.run_json(&["status"]));
    let budget = &status["stages"][0]["guards"]["budget"][0];
    assert_eq!(budget["spent"], 0.5, "{budget}");
    // One more item spends the budget; then pop --lease is refused as run is: exit 5.
    let out = r.run_json(&["run", "send"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["guard_events"][0]["event"], "budget-spent");
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 5);
    let error = &json_stderr(&out)["error"];
    assert_eq!(error["name"], "rate_limited");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("stage 'send': budget usd spent (1 of 1); it resets in"),
        "{message}"
    );
    assert_eq!(r.llen("p:queue"), 2);
    assert_eq!(r.cli(&["EXISTS", "p:queue:leases"]), "0");
}

#[test]
fn ack_and_nack_count_the_cost_they_are_given_and_refuse_a_bad_one_changing_nothing() {
    let r = RedisServer::start();
    Pipeline::new("p")
        .with(send(&[r#"budget = { usd = 1, per = "1d" }"#]))
        .write(r.dir.path());
    push(&r, 3);
    let cost_key = format!("stats:p:send:cost:usd:{}", today());
    let first = token(&r.run_json(&["pop", "p:queue", "--lease", "1m"]));
    // Bad costs are usage errors (JSON under --json) and leave the lease as it was.
    for (bad, says) in [
        ("nope", "--cost is not JSON"),
        (r#"{"usd": -1}"#, "--cost of usd is -1"),
        (r#"{"US D": 1}"#, "--cost names 'US D'"),
        (r#"[1]"#, "--cost is not an object"),
    ] {
        let out = r.run_json(&["ack", &first, "--cost", bad]);
        assert_code(&out, 2);
        let message = json_stderr(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(says), "{bad}: {message}");
    }
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "1");
    assert_eq!(r.cli(&["EXISTS", &cost_key]), "0");
    // A cost for a queue no stage reads has nowhere to go: refused, nothing acked.
    r.cli(&["LPUSH", "other", "x"]);
    let other = token(&r.run_json(&["pop", "other", "--lease", "1m"]));
    let out = r.run_json(&["ack", &other, "--cost", r#"{"usd": 1}"#]);
    assert_code(&out, 2);
    assert_eq!(r.cli(&["ZCARD", "other:leases"]), "1");
    // Acked and nacked items cost what they are given, in the budget too: 0.4 + 0.6 spends it.
    assert_code(
        &r.run_json(&["ack", &first, "--cost", r#"{"usd": 0.4}"#]),
        0,
    );
    assert_eq!(r.cli(&["GET", &cost_key]), "400000");
    let second = token(&r.run_json(&["pop", "p:queue", "--lease", "1m"]));
    let out = r.run_json(&[
        "nack",
        &second,
        "--delay",
        "1h",
        "--cost",
        r#"{"usd": 0.6}"#,
    ]);
    assert_code(&out, 0);
    assert_eq!(r.cli(&["GET", &cost_key]), "1000000");
    let out = r.run_json(&["pop", "p:queue", "--lease", "1m"]);
    assert_code(&out, 5);
    assert_eq!(r.llen("p:queue"), 1);
}
