//! Issue 12 for the queue and operator commands: each prints one typed result, whose
//! `--json` form matches its committed schema (docs/schema/) in its empty, non-empty and
//! error cases, and whose text is derived from the same value.

use crate::support::*;
use serde_json::Value;

/// Lease tokens of `n` items claimed from `queue`.
fn lease(r: &RedisServer, queue: &str, n: usize) -> Vec<String> {
    let out = r.run_json(&["pop", queue, "--lease", "1m", "-n", &n.to_string()]);
    assert_code(&out, 0);
    json(&out)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["token"].as_str().unwrap().to_owned())
        .collect()
}

/// An error under `--json`: nothing on stdout, one error document on stderr.
#[track_caller]
fn assert_json_error(out: &std::process::Output, code: i32) {
    assert_code(out, code);
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(out));
    assert_schema("error", &stderr(out));
}

#[test]
fn enqueue_json_is_one_shape_empty_deduplicated_or_with_invalid_items() {
    let r = RedisServer::start();
    let out = run_with_stdin(r.pipectl().args(["--json", "enqueue", "q"]), b"\n\n");
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    assert_eq!(json(&out)["enqueued"], 0);

    let out = r.run_json(&[
        "enqueue",
        "q",
        "--dedup-by",
        "url",
        r#"{"url":"a"}"#,
        r#"{"url":"a"}"#,
    ]);
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    let d = json(&out);
    assert_eq!(
        (
            &d["queue"],
            &d["enqueued"],
            &d["duplicates"],
            &d["dedup_by"]
        ),
        (&"q".into(), &1.into(), &1.into(), &"url".into())
    );

    let out = r.run_json(&[
        "enqueue",
        "q",
        "--skip-invalid",
        "--dedup-by",
        "url",
        "{}",
        r#"{"url":"b"}"#,
    ]);
    assert_code(&out, 0);
    assert_schema("enqueue", &stdout(&out));
    assert_schema("warning", &stderr(&out));
    assert_eq!(
        (
            json(&out)["enqueued"].as_u64(),
            json(&out)["invalid"].as_u64()
        ),
        (Some(1), Some(1))
    );

    let out = r.pipectl().args(["enqueue", "q", "x"]).output().unwrap();
    assert_eq!(stdout(&out), "enqueued 1 item to q\n");
    let out = r.run_json(&["enqueue", "q", "--dedup-by", "url", "not json"]);
    assert_json_error(&out, 65);
    assert_eq!(r.llen("q"), 3);
}

#[test]
fn ack_json_reports_every_token_in_order_and_warns_about_unknown_ones() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "a", "1", "2"]);
    r.cli(&["LPUSH", "b", "3"]);
    let a = lease(&r, "a", 2);
    let b = lease(&r, "b", 1);
    // Tokens of two queues, interleaved; one of them finished already.
    let out = r.run_json(&["ack", &a[0]]);
    assert_code(&out, 0);
    assert_schema("ack", &stdout(&out));
    let out = r.run_json(&["ack", &a[1], &b[0], &a[0]]);
    assert_code(&out, 1);
    assert_schema("ack", &stdout(&out));
    assert_schema("warning", &stderr(&out));
    let d = json(&out);
    assert_eq!(
        (d["acked"].as_u64(), d["unknown"].as_u64()),
        (Some(2), Some(1))
    );
    let tokens: Vec<&str> = d["leases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["token"].as_str().unwrap())
        .collect();
    assert_eq!(tokens, [&a[1], &b[0], &a[0]], "in the order given");
    assert_eq!(d["leases"][1]["queue"], "b");
    assert_eq!(d["leases"][2]["acked"], false);

    let out = r.run_json(&["ack", "not-a-token"]);
    assert_json_error(&out, 2);
}

// Issue 12: "nack --json has its own error shape on stdout".
#[test]
fn nack_of_an_unknown_lease_is_a_json_error_on_stderr_and_nothing_on_stdout() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "prospect:queue", "one"]);
    let t = lease(&r, "prospect:queue", 1).remove(0);
    let out = r.run_json(&["ack", &t]);
    assert_code(&out, 0);
    let out = r.run_json(&["nack", &t]);
    assert_json_error(&out, 1);
    let err = json_stderr(&out);
    assert_eq!(err["error"]["name"], "failure");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not found"),
        "{err}"
    );
    assert!(
        err["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("pop prospect:queue --lease")
    );
    // Without --json, the same error in words.
    let out = r.pipectl().args(["nack", &t]).output().unwrap();
    assert_code(&out, 1);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
}

#[test]
fn nack_json_names_from_and_to_whichever_way_the_item_goes() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "prospect:queue", "a", "b", "c"]);
    let t = lease(&r, "prospect:queue", 3);
    for (token, extra, to, delay) in [
        (&t[0], &[][..], "prospect:queue", Value::Null),
        (
            &t[1],
            &["--delay", "10m"][..],
            "prospect:queue:delayed",
            600_000.into(),
        ),
        (
            &t[2],
            &["--dead", "--reason", "no"][..],
            "prospect:failed",
            Value::Null,
        ),
    ] {
        let out = r
            .pipectl()
            .args(["--json", "nack", token])
            .args(extra)
            .output()
            .unwrap();
        assert_code(&out, 0);
        assert_schema("nack", &stdout(&out));
        let d = json(&out);
        assert_eq!(
            (&d["from"], &d["to"]),
            (&"prospect:queue".into(), &to.into())
        );
        assert_eq!(d["delay_ms"], delay);
        assert_eq!(d["attempts"], 1);
    }
}

#[test]
fn seen_json_names_the_set_as_its_key() {
    let r = RedisServer::start();
    let out = r.run_json(&["seen", "a.com"]);
    assert_code(&out, 1);
    assert_schema("seen", &stdout(&out));
    r.cli(&["SADD", "prospect:seen", "a.com"]);
    let out = r.run_json(&["seen", "a.com", "b.com"]);
    assert_code(&out, 1);
    assert_schema("seen", &stdout(&out));
    let d = json(&out);
    assert_eq!(d["key"], "prospect:seen");
    assert_eq!((d["seen"].as_u64(), d["new"].as_u64()), (Some(1), Some(1)));
    assert_eq!(d["values"][1]["seen"], false);
    let out = r.run_json(&["seen", "a.com"]);
    assert_code(&out, 0);
    r.cli(&["SET", "other", "x"]);
    assert_json_error(&r.run_json(&["seen", "--seen-set", "other", "a.com"]), 65);
}

#[test]
fn count_json_keeps_the_64_bit_value_exact_and_its_ttl_in_ms() {
    let r = RedisServer::start();
    let out = r.run_json(&["count", "big", "--by", "9007199254740993"]);
    assert_code(&out, 0);
    assert_schema("count", &stdout(&out));
    assert!(
        stdout(&out).contains("\"count\":9007199254740993"),
        "{}",
        stdout(&out)
    );
    let d = json(&out);
    assert_eq!(d["key"], format!("stats:big:{}", today()));
    assert_eq!(d["ttl_ms"], 7 * 86_400_000u64);
    let out = r.run_json(&["count", "big", "--by", "9223372036854775807"]);
    assert_json_error(&out, 65);
    let out = r
        .pipectl()
        .args(["count", "big", "--by", "-3"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "9007199254740990\n");
}

// Issue 12: "retr(ies)" and "lease(s)" in recover's text.
#[test]
fn recover_json_lists_every_queue_and_its_text_says_lease_and_retries_right() {
    let r = RedisServer::start();
    let out = r.run_json(&["recover", "q"]);
    assert_code(&out, 0);
    assert_schema("recover", &stdout(&out));
    assert_eq!(json(&out)["queues"][0]["leases_returned"], 0);
    let out = r.pipectl().args(["recover", "q"]).output().unwrap();
    assert_eq!(stdout(&out), "q: nothing was due\n");

    r.cli(&["LPUSH", "q", "a"]);
    let out = r
        .pipectl()
        .args(["pop", "q", "--lease", "100ms"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    for n in ["1", "2"] {
        r.cli(&["ZADD", "q:delayed", "1", n]);
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = r.pipectl().args(["recover", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "q: 1 expired lease returned, 2 delayed retries made due\n"
    );

    let out = r.run_json(&["recover"]);
    assert_code(&out, 0);
    assert_schema("recover", &stdout(&out));
    let queues: Vec<Value> = json(&out)["queues"].as_array().unwrap().to_vec();
    assert_eq!(queues[0]["queue"], "prospect:queue", "every stage input");
    r.cli(&["SET", "prospect:queue", "x"]);
    assert_json_error(&r.run_json(&["recover", "prospect:queue"]), 65);
}

#[test]
fn pause_and_resume_json_have_one_shape_each() {
    let r = RedisServer::start();
    let out = r.run_json(&["pause", "build", "--reason", "disk full"]);
    assert_code(&out, 0);
    assert_schema("pause", &stdout(&out));
    let d = json(&out);
    assert_eq!(
        (&d["key"], &d["reason"]),
        (&"prospect:paused:build".into(), &"disk full".into())
    );
    let out = r.run_json(&["resume", "build"]);
    assert_code(&out, 0);
    assert_schema("resume", &stdout(&out));
    assert_eq!(json(&out)["was_paused"], true);
    let out = r.run_json(&["resume", "build"]);
    assert_code(&out, 1);
    assert_schema("resume", &stdout(&out));
    assert_eq!(json(&out)["was_paused"], false);
    assert_json_error(&r.run_json(&["pause", "nope"]), 78);
}

#[test]
fn a_missing_stage_is_a_config_error_even_when_redis_is_down() {
    let mut r = RedisServer::start();
    r.kill();
    assert_json_error(&r.run_json(&["pause", "nope"]), 78);
    assert_json_error(&r.run_json(&["pause", "build"]), 69);
}

// Issue 12: ratelimit's "per" was a duration string; durations are integer `*_ms`.
#[test]
fn ratelimit_json_gives_durations_in_ms_and_one_shape_per_action() {
    let r = RedisServer::start();
    let key = "outreach:ratelimit:sms";
    let out = r.run_json(&["ratelimit", "show", key]);
    assert_code(&out, 0);
    assert_schema("ratelimit-show", &stdout(&out));
    let d = json(&out);
    assert_eq!(
        (&d["per_ms"], &d["reset_in_ms"], &d["remaining"]),
        (&3_600_000.into(), &0.into(), &15.into())
    );
    assert!(d.get("per").is_none(), "{d}");

    let out = r.run_json(&["ratelimit", "take", key, "-n", "14"]);
    assert_code(&out, 0);
    assert_schema("ratelimit-take", &stdout(&out));
    let d = json(&out);
    assert_eq!(
        (d["taken"].as_u64(), d["remaining"].as_u64()),
        (Some(14), Some(1))
    );
    assert!(d["reset_in_ms"].as_u64().unwrap() > 3_590_000, "{d}");
    let out = r.run_json(&["ratelimit", "take", key, "-n", "2"]);
    assert_code(&out, 5);
    assert_schema("ratelimit-take", &stdout(&out));
    assert_eq!(
        (
            json(&out)["taken"].as_u64(),
            json(&out)["requested"].as_u64()
        ),
        (Some(0), Some(2))
    );

    let out = r.run_json(&["ratelimit", "reset", key]);
    assert_code(&out, 0);
    assert_schema("ratelimit-reset", &stdout(&out));
    assert_eq!(json(&out)["was_open"], true);
    let out = r.run_json(&["ratelimit", "reset", key]);
    assert_eq!(json(&out)["was_open"], false);
    assert_json_error(&r.run_json(&["ratelimit", "show", "unknown:key"]), 2);
}

// Issue 12: "durations print as 59m59s998ms".
#[test]
fn ratelimit_text_says_when_the_window_reopens_in_whole_seconds() {
    let r = RedisServer::start();
    let key = "outreach:ratelimit:sms";
    let out = r
        .pipectl()
        .args(["ratelimit", "take", key])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = r
        .pipectl()
        .args(["ratelimit", "show", key])
        .output()
        .unwrap();
    let text = stdout(&out);
    let wait = text
        .split("reopens in ")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!wait.contains("ms"), "{text}");
    assert!(wait.trim() == "1h" || wait.starts_with("59m"), "{text}");
    assert!(
        text.starts_with(&format!("{key}: 1/15 used per 1h, 14 remaining")),
        "{text}"
    );
    let out = r
        .pipectl()
        .args(["ratelimit", "take", key, "-n", "20"])
        .output()
        .unwrap();
    assert_code(&out, 5);
    assert!(
        stdout(&out).contains("spent, took nothing (20 asked)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_json_names_what_it_wrote_and_a_write_failure_exits_1() {
    let r = RedisServer::start();
    let out = r.run_json(&["init"]);
    assert_code(&out, 0);
    assert_schema("init", &stdout(&out));
    let d = json(&out);
    assert_eq!(
        (&d["path"], &d["pipeline"], &d["cluster"]),
        (&"pipectl.toml".into(), &"prospect".into(), &false.into())
    );
    assert_json_error(&r.run_json(&["init"]), 2);
    // Its help says 1 for a file that cannot be written (it was 2, as if it existed).
    let out = r.run_json(&["init", "--path", "no/such/dir/pipectl.toml"]);
    assert_json_error(&out, 1);
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
}

#[test]
fn config_json_gives_durations_in_ms_and_its_text_is_a_config_pipectl_reads() {
    let r = RedisServer::start();
    let out = r.run_json(&["config", "path"]);
    assert_code(&out, 0);
    assert_schema("config-path", &stdout(&out));
    assert_eq!(json(&out)["path"], Value::Null);
    let out = r.run_json(&["config", "show"]);
    assert_code(&out, 0);
    assert_schema("config-show", &stdout(&out));
    let builtin = json(&out);
    assert_eq!(builtin["path"], Value::Null);
    assert_eq!(builtin["pipeline"]["stats_retention_ms"], 604_800_000u64);
    let build = &builtin["stages"]["build"];
    assert_eq!(
        (&build["handler"], &build["backoff_ms"]),
        (&"exec".into(), &30_000.into())
    );
    let review = &builtin["stages"]["review"];
    assert_eq!(
        (&review["handler"], &review["timeout_ms"]),
        (&"manual".into(), &Value::Null)
    );
    assert_eq!(
        builtin["stages"]["outreach"]["rate_limit"]["per_ms"],
        3_600_000u64
    );

    // The text is a pipectl.toml: read back, it is the same config.
    let out = r.pipectl().args(["config", "show"]).output().unwrap();
    assert_code(&out, 0);
    write_file(r.dir.path(), "shown.toml", &stdout(&out));
    let out = r.run_json(&["--config", "shown.toml", "config", "show"]);
    assert_code(&out, 0);
    let mut again = json(&out);
    assert_eq!(again["path"], "shown.toml");
    again["path"] = Value::Null;
    assert_eq!(again, builtin);
    let out = r.run_json(&["--config", "shown.toml", "config", "path"]);
    assert_schema("config-path", &stdout(&out));
    assert_eq!(json(&out)["path"], "shown.toml");

    write_file(r.dir.path(), "bad.toml", "[pipeline]\nnope = 1\n");
    assert_json_error(&r.run_json(&["--config", "bad.toml", "config", "show"]), 78);
}

#[test]
fn exit_codes_json_gives_each_code_its_name_and_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let out = pipectl_in(dir.path())
        .args(["--json", "exit-codes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_schema("exit-codes", &stdout(&out));
    let d = json(&out);
    let codes = d["exit_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(
        (&codes[7]["code"], &codes[7]["name"]),
        (&69.into(), &"unavailable".into())
    );
    assert!(
        codes[7]["meaning"]
            .as_str()
            .unwrap()
            .starts_with("Redis unavailable")
    );
}

#[test]
fn generate_json_lists_what_it_wrote_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(out_dir.join("man")).unwrap();
    std::fs::write(out_dir.join("man/pipectl-gone.1"), "stale").unwrap();
    let out = pipectl_in(dir.path())
        .args(["--json", "generate", "--out-dir", "out"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_schema("generate", &stdout(&out));
    let d = json(&out);
    assert_eq!(d["out_dir"], "out");
    let written: Vec<&str> = d["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    for file in [
        "completions/pipectl.bash",
        "man/pipectl-enqueue.1",
        "docs/schema/enqueue.json",
    ] {
        assert!(written.contains(&file), "{file} in {written:?}");
        assert!(out_dir.join(file).exists(), "{file}");
    }
    assert_eq!(d["removed"], serde_json::json!(["man/pipectl-gone.1"]));
    assert!(!out_dir.join("man/pipectl-gone.1").exists());
}

#[test]
fn complete_stages_json_is_the_same_shape_when_the_config_cannot_be_read() {
    let r = RedisServer::start();
    let out = r.run_json(&["complete-stages"]);
    assert_code(&out, 0);
    assert_schema("complete-stages", &stdout(&out));
    assert_eq!(json(&out)["stages"][1], "build");
    write_file(r.dir.path(), "bad.toml", "[pipeline\n");
    let out = r.run_json(&["--config", "bad.toml", "complete-stages"]);
    assert_code(&out, 0);
    assert_schema("complete-stages", &stdout(&out));
    assert_eq!(json(&out)["stages"], serde_json::json!([]));
    let out = r
        .pipectl()
        .args(["--config", "bad.toml", "complete-stages"])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
}

// Issue 12: "READONLY exits 1 with no hint" (and `pause`, whose help does not list 1, broke
// the exit-code contract).
#[test]
fn a_write_to_a_read_only_replica_is_exit_69_and_says_to_use_the_primary() {
    let port = free_port().to_string();
    let r = RedisServer::start_with(&["--replicaof", "127.0.0.1", &port]);
    for args in [
        &["enqueue", "q", "x"][..],
        &["pause", "build"],
        &["resume", "build"],
        &["count", "c"],
        &["ratelimit", "take", "outreach:ratelimit:sms"],
    ] {
        let out = r.run_json(args);
        assert_json_error(&out, 69);
        let err = json_stderr(&out);
        assert!(
            err["error"]["hint"]
                .as_str()
                .is_some_and(|h| h.contains("read-only replica") && h.contains("primary")),
            "{args:?}: {err}"
        );
    }
}
