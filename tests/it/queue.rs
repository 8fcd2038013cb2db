//! Queue primitives against a real redis-server, interoperating with the real redis-cli.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;
use serde_json::Value;

#[test]
fn items_lpushed_by_redis_cli_pop_in_fifo_order() {
    let r = RedisServer::start();
    for name in ["first", "second", "third"] {
        r.cli(&[
            "LPUSH",
            "prospect:queue",
            &format!(r#"{{"name":"{name}"}}"#),
        ]);
    }
    for name in ["first", "second", "third"] {
        let out = r
            .pipectl()
            .args(["pop", "prospect:queue"])
            .output()
            .unwrap();
        assert_code(&out, 0);
        assert_eq!(stdout(&out), format!("{{\"name\":\"{name}\"}}\n"));
    }
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert_eq!(stdout(&out), "");
}

#[test]
fn enqueued_items_come_out_of_redis_cli_rpop_in_order() {
    let r = RedisServer::start();
    let out = r
        .pipectl()
        .args(["enqueue", "jobs", "a", "b"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = run_with_stdin(r.pipectl().args(["enqueue", "jobs"]), b"c\n\n  \r\nd\r\n");
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("enqueued 2 items"),
        "{}",
        stdout(&out)
    );
    let popped: Vec<String> = (0..4).map(|_| r.cli(&["RPOP", "jobs"])).collect();
    assert_eq!(popped, ["a", "b", "c", "d"]);
}

#[test]
fn pop_count_and_json() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "q", r#"{"n":1}"#, "plain", r#"{"n":3}"#]);
    let out = r
        .pipectl()
        .args(["--json", "pop", "q", "--count", "2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        doc["items"],
        serde_json::json!([
            {"item": {"n": 1}, "token": null, "attempt": null, "note": null},
            {"item_text": "plain", "token": null, "attempt": null, "note": null}
        ])
    );
    let out = r
        .pipectl()
        .args(["--json", "pop", "q", "-n", "5"])
        .output()
        .unwrap();
    assert_eq!(
        json(&out)["items"],
        serde_json::json!([{"item": {"n": 3}, "token": null, "attempt": null, "note": null}])
    );
    let out = r.pipectl().args(["--json", "pop", "q"]).output().unwrap();
    assert_code(&out, 3);
    assert_eq!(json(&out)["items"], serde_json::json!([]));
}

#[test]
fn dedup_marks_the_seen_set_and_skips_repeats() {
    let r = RedisServer::start();
    let acme = r#"{"name":"Acme Auto","url":"acmeauto.com","phone":"555-0123"}"#;
    let out = r
        .pipectl()
        .args([
            "--json",
            "enqueue",
            "prospect:queue",
            "--dedup-by",
            "url",
            acme,
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(
        (doc["enqueued"].as_u64(), doc["duplicates"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(r.cli(&["SISMEMBER", "prospect:seen", "acmeauto.com"]), "1");

    let out = r
        .pipectl()
        .args([
            "--json",
            "enqueue",
            "prospect:queue",
            "--dedup-by",
            "url",
            acme,
        ])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(
        (doc["enqueued"].as_u64(), doc["duplicates"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(r.llen("prospect:queue"), 1);

    // Within one batch too, and with a custom seen set and a nested field.
    let batch = b"{\"site\":{\"url\":\"x.com\"}}\n{\"site\":{\"url\":\"x.com\"}}\n{\"site\":{\"url\":\"y.com\"}}\n";
    let out = run_with_stdin(
        r.pipectl().args([
            "enqueue",
            "other",
            "--dedup-by",
            "site.url",
            "--seen-set",
            "other:seen",
        ]),
        batch,
    );
    assert_code(&out, 0);
    assert_eq!(r.llen("other"), 2);
    assert_eq!(r.cli(&["SCARD", "other:seen"]), "2");

    // The saturation counters: new vs already seen, per day, with the retention TTL.
    let day = today();
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:new:{day}")]), "3");
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:dup:{day}")]), "2");
    let ttl: u64 = r
        .cli(&["TTL", &format!("stats:prospect:new:{day}")])
        .parse()
        .unwrap();
    assert!((604_000..=604_800).contains(&ttl), "ttl {ttl}");

    // `seen` answers like SISMEMBER, with an exit status to branch on.
    let out = r.pipectl().args(["seen", "acmeauto.com"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "acmeauto.com\tseen\n");
    let out = r
        .pipectl()
        .args(["-q", "seen", "acmeauto.com", "new.com"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
}

/// A one-shot `enqueue --dedup-by` (a cron job's, an agent's) on one server is one step and
/// one round trip: the seen mark, the push and the day's new/dup counters together, counted
/// by a proxy against `len` (one command) on the same kind of connection.
#[test]
fn a_one_shot_dedup_enqueue_is_one_round_trip_with_its_counters() {
    use crate::support::proxy::Proxy;
    let r = RedisServer::start();
    let proxy = Proxy::to(&r);
    proxy.coalesce_up(true);
    let cli = |args: &[&str]| {
        let out = r
            .pipectl()
            .env("REDIS_URL", proxy.url())
            .args(args)
            .output()
            .unwrap();
        assert_code(&out, 0);
    };
    let turns = |args: &[&str]| {
        let before = proxy.stats().turns;
        cli(args);
        proxy.stats().turns - before
    };
    let one = turns(&["len", "q"]);
    // The first loads the script (a NOSCRIPT reply, then the script).
    cli(&["enqueue", "q", "--dedup-by", "url", r#"{"url":"a"}"#]);
    assert_eq!(
        turns(&["enqueue", "q", "--dedup-by", "url", r#"{"url":"b"}"#]),
        one
    );
    assert_eq!(
        turns(&["enqueue", "q", "--dedup-by", "url", r#"{"url":"a"}"#]),
        one
    );
    let day = today();
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:new:{day}")]), "2");
    assert_eq!(r.cli(&["GET", &format!("stats:prospect:dup:{day}")]), "1");
    let ttl: u64 = r
        .cli(&["TTL", &format!("stats:prospect:dup:{day}")])
        .parse()
        .unwrap();
    assert!((604_000..=604_800).contains(&ttl), "ttl {ttl}");
    assert_eq!(r.llen("q"), 2);

    // A counter spoiled by hand: the items still go in; the run says the count did not.
    r.cli(&["SET", &format!("stats:prospect:new:{day}"), "many"]);
    let out = r
        .pipectl()
        .args([
            "--json",
            "enqueue",
            "q",
            "--dedup-by",
            "url",
            r#"{"url":"c"}"#,
        ])
        .output()
        .unwrap();
    assert_code(&out, 65);
    let err = json_stderr(&out);
    assert!(
        err["error"]["causes"][0]
            .as_str()
            .unwrap()
            .contains("not a number"),
        "{err}"
    );
    assert_eq!(r.llen("q"), 3);
    assert_eq!(
        r.cli(&["GET", &format!("stats:prospect:new:{day}")]),
        "many"
    );
    // A counter of another type: refused before anything is written.
    r.cli(&["DEL", &format!("stats:prospect:new:{day}")]);
    r.cli(&["LPUSH", &format!("stats:prospect:new:{day}"), "x"]);
    let out = r
        .pipectl()
        .args(["enqueue", "q", "--dedup-by", "url", r#"{"url":"d"}"#])
        .output()
        .unwrap();
    assert_code(&out, 65);
    assert_eq!(r.llen("q"), 3);
    assert_eq!(r.cli(&["SISMEMBER", "prospect:seen", "d"]), "0");
}

#[test]
fn concurrent_dedup_enqueues_never_duplicate() {
    let r = RedisServer::start();
    let batch: String = (0..3000)
        .map(|i| format!("{{\"url\":\"site{i}.com\"}}\n"))
        .collect();
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = r.pipectl();
            cmd.args(["enqueue", "prospect:queue", "--dedup-by", "url"]);
            let batch = batch.clone();
            std::thread::spawn(move || run_with_stdin(&mut cmd, batch.as_bytes()))
        })
        .collect();
    for child in children {
        assert_code(&child.join().unwrap(), 0);
    }
    assert_eq!(r.llen("prospect:queue"), 3000);
    assert_eq!(r.cli(&["SCARD", "prospect:seen"]), "3000");
    let day = today();
    assert_eq!(
        r.cli(&["GET", &format!("stats:prospect:new:{day}")]),
        "3000"
    );
    assert_eq!(
        r.cli(&["GET", &format!("stats:prospect:dup:{day}")]),
        "9000"
    );
}

/// A bulk dedup enqueue goes as transactions (MULTI, LPUSH, the script, EXEC) and as script
/// calls (the first batch; one after a batch with more than a tenth duplicates but not all),
/// or only as calls for a user who may not run LREM: the same queue, seen set and counts
/// either way. The input's batches of 2,000 hold no values seen before, a twentieth, half, or
/// all of them; values repeat within a batch and across batches. Run again (all duplicates:
/// after the first, transactions), nothing changes.
#[test]
fn a_bulk_dedup_enqueue_is_the_same_as_transactions_or_as_script_calls() {
    let r = RedisServer::start();
    r.cli(&[
        "ACL", "SETUSER", "producer", "on", ">pw", "~*", "&*", "+@all", "-lrem",
    ]);
    let producer = format!("redis://producer:pw@127.0.0.1:{}", r.port);
    let batches = 12;
    let n = batches * 2_000;
    let value = |i: usize| match i {
        _ if i % 50 == 49 => i - 1,
        4_000..4_100 => i - 3_000,
        _ => i,
    };
    let seen_before = |i: usize| match i / 2_000 {
        1 => i.is_multiple_of(20),
        2 | 9 => i.is_multiple_of(2),
        4 => true,
        7 => i.is_multiple_of(7),
        _ => false,
    };
    let lines: Vec<String> = (0..n)
        .map(|i| format!("{{\"url\":\"u{}\",\"i\":{i}}}", value(i)))
        .collect();
    let input = lines.join("\n") + "\n";
    let before: Vec<String> = (0..n)
        .filter(|i| seen_before(*i))
        .map(|i| format!("u{i}"))
        .collect();
    let mut seen: std::collections::BTreeSet<String> = before.iter().cloned().collect();
    let mut want = vec!["old".to_owned()];
    for (i, line) in lines.iter().enumerate() {
        if seen.insert(format!("u{}", value(i))) {
            want.push(line.clone());
        }
    }
    let calls = |command: &str| {
        r.cli(&["INFO", "commandstats"])
            .lines()
            .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
            .and_then(|l| l.split(',').next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let sent = || (calls("exec"), calls("eval"));
    for (queue, set, url) in [("q1", "s1", None), ("q2", "s2", Some(&producer))] {
        r.cli(&["RPUSH", queue, "old"]);
        let mut sadd = vec!["SADD", set];
        sadd.extend(before.iter().map(String::as_str));
        r.cli(&sadd);
        let enqueue = || {
            let mut cmd = r.pipectl();
            if let Some(url) = url {
                cmd.env("REDIS_URL", url);
            }
            let args = [
                "--json",
                "enqueue",
                queue,
                "--dedup-by",
                "url",
                "--seen-set",
                set,
            ];
            run_with_stdin(cmd.args(args), input.as_bytes())
        };
        let (exec0, eval0) = sent();
        let out = enqueue();
        assert_code(&out, 0);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let added = want.len() as u64 - 1;
        assert_eq!(doc["enqueued"], added, "{queue}: {doc}");
        assert_eq!(doc["duplicates"], n as u64 - added, "{queue}: {doc}");
        let mut queued = r.cli_lines(&["LRANGE", queue, "0", "-1"]);
        queued.reverse();
        assert_eq!(queued, want, "{queue}: each new item once, in input order");
        let mut members = r.cli_lines(&["SMEMBERS", set]);
        members.sort();
        assert_eq!(members, seen.iter().cloned().collect::<Vec<_>>(), "{set}");
        let (exec1, eval1) = sent();
        // Transactions, and script calls by EVAL: less one in each transaction, the check
        // before them and the day's two counters after (incr_counter.lua).
        let transactions = exec1 - exec0;
        let evals = eval1 - eval0 - transactions - 3;
        if url.is_none() {
            assert!(
                transactions >= 4 && evals >= 2 && transactions + evals == batches as u64,
                "{queue}: {transactions} transactions, {evals} calls by EVAL"
            );
        } else {
            assert_eq!(transactions, 0, "{queue}: no LREM, so no transactions");
        }
        // The same again: every item a duplicate, nothing changes.
        let out = enqueue();
        assert_code(&out, 0);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["enqueued"], 0, "{queue} again: {doc}");
        assert_eq!(doc["duplicates"], n as u64, "{queue} again: {doc}");
        let mut again = r.cli_lines(&["LRANGE", queue, "0", "-1"]);
        again.reverse();
        assert_eq!(again, want, "{queue} again");
        assert_eq!(
            r.cli(&["SCARD", set]),
            seen.len().to_string(),
            "{set} again"
        );
        let want_transactions = if url.is_none() { batches - 1 } else { 0 };
        assert_eq!(
            calls("exec") - exec1,
            want_transactions as u64,
            "{queue} again"
        );
    }
}

#[test]
fn an_invalid_line_rejects_the_whole_batch() {
    let r = RedisServer::start();
    let batch = b"{\"url\":\"a.com\"}\n{\"url\": \n{\"name\":\"no url\"}\n{\"url\":\"d.com\"}\n";
    let out = run_with_stdin(
        r.pipectl()
            .args(["enqueue", "prospect:queue", "--dedup-by", "url"]),
        batch,
    );
    assert_code(&out, 65);
    let err = stderr(&out);
    assert!(
        err.contains("line 2") && err.contains("line 3") && err.contains("nothing was enqueued"),
        "{err}"
    );
    assert!(
        !err.contains("line 1:") && !err.contains("line 4:"),
        "{err}"
    );
    assert_eq!(r.llen("prospect:queue"), 0);
    assert_eq!(r.cli(&["EXISTS", "prospect:seen"]), "0");

    // --skip-invalid enqueues the valid ones and names the others on stderr.
    let out = run_with_stdin(
        r.pipectl().args([
            "enqueue",
            "prospect:queue",
            "--dedup-by",
            "url",
            "--skip-invalid",
        ]),
        batch,
    );
    assert_code(&out, 0);
    assert!(stderr(&out).contains("skipped line 2"), "{}", stderr(&out));
    assert_eq!(r.llen("prospect:queue"), 2);
}

#[test]
fn oversized_invalid_utf8_and_nul_items_are_refused() {
    let r = RedisServer::start();
    let big = "x".repeat(2000);
    let out = r
        .pipectl()
        .args(["enqueue", "q", "--max-item-bytes", "1000", "ok", &big])
        .output()
        .unwrap();
    assert_code(&out, 65);
    assert!(
        stderr(&out).contains("argument 2") && stderr(&out).contains("over the limit"),
        "{}",
        stderr(&out)
    );
    let out = run_with_stdin(
        r.pipectl().args(["enqueue", "q"]),
        b"fine\n\xff\xfe\nnul\0byte\n",
    );
    assert_code(&out, 65);
    assert!(
        stderr(&out).contains("line 2: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("line 3: contains a NUL byte"),
        "{}",
        stderr(&out)
    );
    // The default limit is 1 MiB, from the config.
    let huge = vec![b'y'; (1 << 20) + 1];
    let out = run_with_stdin(r.pipectl().args(["enqueue", "q"]), &huge);
    assert_code(&out, 65);
    assert_eq!(r.llen("q"), 0);
}

#[test]
fn enqueue_reads_a_file_and_bulk_input_is_chunked() {
    let r = RedisServer::start();
    let lines: String = (0..100_000)
        .map(|i| format!("{{\"url\":\"s{i}.com\",\"n\":{i}}}\n"))
        .collect();
    let file = write_file(r.dir.path(), "bulk.ndjson", &lines);
    let started = Instant::now();
    let out = r
        .pipectl()
        .args(["--json", "enqueue", "bulk", "--dedup-by", "url", "--file"])
        .arg(&file)
        .output()
        .unwrap();
    eprintln!("100k items with dedup enqueued in {:?}", started.elapsed());
    assert_code(&out, 0);
    assert_eq!(r.llen("bulk"), 100_000);
    assert_eq!(
        r.cli(&["LINDEX", "bulk", "-1"]),
        r#"{"url":"s0.com","n":0}"#
    );
    assert_eq!(
        r.cli(&["LINDEX", "bulk", "0"]),
        r#"{"url":"s99999.com","n":99999}"#
    );
}

#[test]
fn lease_expiry_returns_the_item_and_counts_attempts() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "prospect:queue", r#"{"url":"a.com"}"#]);
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue", "--lease", "1s"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let lease = json(&out);
    assert_eq!(lease["item"]["url"], "a.com");
    assert_eq!(lease["attempt"], 1);
    assert_eq!(r.llen("prospect:queue"), 0);
    assert_eq!(r.cli(&["ZCARD", "prospect:queue:leases"]), "1");

    // While the lease runs, nobody else gets the item.
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue", "--lease", "1s"])
        .output()
        .unwrap();
    assert_code(&out, 3);

    std::thread::sleep(Duration::from_millis(1300));
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue", "--lease", "30s"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let again = json(&out);
    assert_eq!(again["item"]["url"], "a.com");
    assert_eq!(again["attempt"], 2);
    assert_ne!(again["token"], lease["token"]);

    // The old token is dead; the new one acks once.
    let out = r
        .pipectl()
        .args(["ack", lease["token"].as_str().unwrap()])
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
    let out = r
        .pipectl()
        .args(["ack", again["token"].as_str().unwrap()])
        .output()
        .unwrap();
    assert_code(&out, 0);
    for key in [
        "prospect:queue",
        "prospect:queue:leases",
        "prospect:queue:leased",
        "prospect:queue:attempts",
    ] {
        assert_eq!(r.cli(&["EXISTS", key]), "0", "{key} should be gone");
    }
}

#[test]
fn recover_returns_expired_leases_without_taking() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "q", "one", "two"]);
    let out = r
        .pipectl()
        .args(["pop", "q", "--lease", "500ms", "-n", "2"])
        .output()
        .unwrap();
    assert_eq!(json_lines(&out).len(), 2);
    std::thread::sleep(Duration::from_millis(700));
    let out = r
        .pipectl()
        .args(["--json", "recover", "q"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let doc = json(&out);
    assert_eq!(doc["queues"][0]["leases_returned"], 2);
    // Returned to the consumer end in their original order.
    assert_eq!(r.cli_lines(&["LRANGE", "q", "0", "-1"]), ["two", "one"]);
}

#[test]
fn nack_requeues_delays_or_dead_letters() {
    let r = RedisServer::start();
    r.cli(&["LPUSH", "prospect:queue", r#"{"url":"a.com"}"#, "b", "c"]);
    let take = |r: &RedisServer| -> String {
        let out = r
            .pipectl()
            .args(["pop", "prospect:queue", "--lease", "1m"])
            .output()
            .unwrap();
        assert_code(&out, 0);
        let v = json(&out);
        v["token"].as_str().unwrap().to_owned()
    };
    let t = take(&r);
    let out = r
        .pipectl()
        .args(["nack", &t, "--dead", "--reason", "bad phone number"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let envelope: Value =
        serde_json::from_str(&r.cli(&["LINDEX", "prospect:failed", "0"])).unwrap();
    assert_eq!(envelope["item"]["url"], "a.com");
    assert_eq!(envelope["error"], "bad phone number");
    assert_eq!(envelope["stage"], "build");
    assert_eq!(envelope["attempts"], 1);
    assert!(envelope["failed_at"].as_str().unwrap().ends_with('Z'));

    let t = take(&r);
    let out = r.pipectl().args(["nack", &t]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        r.cli(&["LINDEX", "prospect:queue", "0"]),
        "b",
        "requeued at the back"
    );

    let t = take(&r);
    let out = r
        .pipectl()
        .args(["nack", &t, "--delay", "500ms"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli(&["ZCARD", "prospect:queue:delayed"]), "1");
    std::thread::sleep(Duration::from_millis(700));
    let out = r
        .pipectl()
        .args(["pop", "prospect:queue"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "c\n", "a due retry is taken first");

    let out = r.pipectl().args(["nack", &t]).output().unwrap();
    assert_code(&out, 1);
    let out = r
        .pipectl()
        .args(["nack", "no-token-here"])
        .output()
        .unwrap();
    assert_code(&out, 2);
}

#[test]
fn pop_wait_blocks_until_an_item_arrives() {
    let r = RedisServer::start();
    let started = Instant::now();
    let out = r
        .pipectl()
        .args(["pop", "q", "--wait", "400ms"])
        .output()
        .unwrap();
    assert_code(&out, 3);
    assert!(started.elapsed() >= Duration::from_millis(400));

    let child = r
        .pipectl()
        .args(["pop", "q", "--wait", "20s", "--lease", "1m"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    r.cli(&["LPUSH", "q", "late"]);
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["item_text"], "late");
}

#[test]
fn peek_ls_and_len_do_not_take() {
    let r = RedisServer::start();
    let items: Vec<String> = (1..=2500).map(|i| format!("item-{i}")).collect();
    let mut args = vec!["LPUSH".to_owned(), "q".to_owned()];
    args.extend(items.iter().cloned());
    r.cli(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let out = r.pipectl().args(["peek", "q", "-n", "2"]).output().unwrap();
    assert_eq!(stdout(&out), "item-1\nitem-2\n");
    let out = r.pipectl().args(["ls", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).lines().count(), 2500);
    assert_eq!(stdout(&out).lines().last(), Some("item-2500"));
    let out = r
        .pipectl()
        .args(["--json", "ls", "q", "--offset", "1000", "--limit", "1200"])
        .output()
        .unwrap();
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 1200);
    assert_eq!(recs[0]["pos"], 1001);
    assert_eq!(recs[0]["item_text"], "item-1001");
    assert_eq!(recs[1199]["item_text"], "item-2200");

    let out = r.pipectl().args(["len", "q"]).output().unwrap();
    assert_eq!(stdout(&out), "2500\n");
    let out = r
        .pipectl()
        .args(["--json", "len", "q", "none"])
        .output()
        .unwrap();
    assert_eq!(
        json(&out),
        serde_json::json!({"queues": [{"queue": "q", "count": 2500}, {"queue": "none", "count": 0}]})
    );
    assert_eq!(r.llen("q"), 2500);

    let out = r.pipectl().args(["peek", "empty"]).output().unwrap();
    assert_code(&out, 3);
}

#[test]
fn broken_pipe_exits_quietly() {
    let r = RedisServer::start();
    let lines: String = (0..50_000).map(|i| format!("line {i}\n")).collect();
    assert_code(
        &run_with_stdin(r.pipectl().args(["enqueue", "q"]), lines.as_bytes()),
        0,
    );
    let mut child = r
        .pipectl()
        .args(["ls", "q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: like `pipectl ls q | head -1`.
    let out = child.wait_with_output().unwrap();
    assert_eq!(first, "line 0\n");
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
}
