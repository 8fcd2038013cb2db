//! Redis Sentinel: pipectl finds the master through `redis+sentinel://` on every connect, and
//! a worker follows a failover mid-run without losing or doubling an item.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::sentinel::Sentinels;
use crate::support::*;

#[test]
fn the_master_is_found_through_the_sentinels() {
    let s = Sentinels::start();
    let out = s
        .pipectl()
        .args(["enqueue", "q", "a", "b"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(s.master.llen("q"), 2, "written on the master");
    let out = s.pipectl().args(["pop", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "a\n");
    // The pipeline's smoke test through the sentinels: enqueue with dedup, a stage run,
    // review with its audit record, status and stats.
    Pipeline::new("p")
        .stage("build", |st| {
            st.input("p:queue").output("p:staged").exec(&["cat"])
        })
        .stage("review", |st| st.input("p:staged").output("p:ready"))
        .write(s.dir());
    let run = |args: &[&str]| s.pipectl().args(args).output().unwrap();
    assert_code(
        &run(&[
            "enqueue",
            "p:queue",
            "--dedup-by",
            "url",
            r#"{"url":"a"}"#,
            r#"{"url":"a"}"#,
        ]),
        0,
    );
    assert_code(&run(&["run", "build", "--drain"]), 0);
    assert_code(&run(&["approve", "--all", "--by", "ann"]), 0);
    assert_eq!(s.master.llen("p:ready"), 1);
    assert_eq!(s.master.cli(&["XLEN", "p:audit"]), "1");
    let out = run(&["--json", "status"]);
    assert_code(&out, 0);
    assert_schema("status", &stdout(&out));
    assert_code(&run(&["stats"]), 0);
    // A sentinel that is down is passed over; the URL's password never shows.
    let url = format!(
        "redis+sentinel://:secret@127.0.0.1:{},{}",
        free_port(),
        s.url().trim_start_matches("redis+sentinel://")
    );
    let out = s
        .pipectl()
        .env("REDIS_URL", &url)
        .args(["len", "q"])
        .output()
        .unwrap();
    // The master has no password: AUTH with one is refused, named, exit 77.
    assert!(!stderr(&out).contains("secret"), "{}", stderr(&out));
    // No sentinel reachable: exit 69 naming why, fast.
    let out = s
        .pipectl()
        .env(
            "REDIS_URL",
            format!("redis+sentinel://127.0.0.1:{}/mymaster", free_port()),
        )
        .args(["--json", "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 69);
    assert_schema("error", &stderr(&out));
    assert!(stderr(&out).contains("sentinel"), "{}", stderr(&out));
    // A name no sentinel monitors.
    let other = s.url().replace("/mymaster", "/nosuch");
    let out = s
        .pipectl()
        .env("REDIS_URL", other)
        .args(["len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 69);
    assert!(stderr(&out).contains("'nosuch'"), "{}", stderr(&out));
    // doctor shows the topology: three sentinels agree on the master.
    let out = s.pipectl().args(["--json", "doctor"]).output().unwrap();
    let doc = json(&out);
    let sentinel = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "sentinel")
        .cloned()
        .unwrap_or_default();
    assert_eq!(sentinel["status"], "ok", "{doc}");
    let message = sentinel["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("127.0.0.1:{}", s.master.port))
            && message.contains("quorum 2")
            && message.contains("3 of 3 sentinels agree"),
        "{message}"
    );
    // Naming only two: a WARN.
    let two = s
        .url()
        .replacen(&format!("127.0.0.1:{},", s.ports[0]), "", 1);
    let out = s
        .pipectl()
        .env("REDIS_URL", two)
        .args(["--json", "doctor"])
        .output()
        .unwrap();
    let doc = json(&out);
    assert!(
        doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["check"] == "sentinel" && c["status"] == "warn"),
        "{doc}"
    );
    // A malformed URL is a usage error.
    let out = s
        .pipectl()
        .env("REDIS_URL", "redis+sentinel://127.0.0.1:1")
        .args(["len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 2);
}

#[test]
fn a_worker_follows_a_failover_and_loses_nothing() {
    failover_mid_drain(Failover::Kill);
}

#[test]
fn a_worker_follows_a_sentinel_failover_command_and_loses_nothing() {
    failover_mid_drain(Failover::Command);
}

enum Failover {
    /// The master SIGKILLed: the sentinels judge it down and promote the replica.
    Kill,
    /// `SENTINEL FAILOVER`: the master demoted to a replica (READONLY), the replica promoted.
    Command,
}

fn failover_mid_drain(how: Failover) {
    let mut s = Sentinels::start();
    Pipeline::new("p")
        .stage("build", |st| {
            st.input("p:queue")
                .output("p:out")
                .exec(&["sh", "-c", "sleep 0.02; cat"])
                .timeout("5s")
        })
        .write(s.dir());
    let items: Vec<String> = (0..500).map(|i| format!("{{\"n\":{i}}}")).collect();
    let out = run_with_stdin(
        s.pipectl().args(["enqueue", "p:queue"]),
        items.join("\n").as_bytes(),
    );
    assert_code(&out, 0);
    let old = s.master.port;
    // Wait for the replica to have every item before its master dies.
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.replica.llen("p:queue") < 500 {
        assert!(Instant::now() < deadline, "the replica did not catch up");
        std::thread::sleep(Duration::from_millis(50));
    }
    let child = s
        .pipectl()
        .args(["run", "build", "--drain", "--json", "--wait", "10s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    match how {
        Failover::Kill => s.master.kill(),
        Failover::Command => {
            let port = s.ports[0].to_string();
            let out = std::process::Command::new("redis-cli")
                .args(["-p", &port, "SENTINEL", "FAILOVER", "mymaster"])
                .output()
                .unwrap();
            assert!(stdout(&out).contains("OK"), "{}", stdout(&out));
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.master_port() == Some(old) {
        assert!(Instant::now() < deadline, "no failover:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        s.master_port(),
        Some(s.replica.port),
        "the replica took over"
    );
    let out = child.wait_with_output().unwrap();
    let first = out.status.code();
    // What the old master acknowledged but never replicated can come back as a lease that
    // expires: recover, then drain again, until every item is through.
    let mut reruns = 0;
    while s.replica.llen("p:out") < 500 && reruns < 3 {
        std::thread::sleep(Duration::from_secs(5));
        s.pipectl().args(["recover"]).output().unwrap();
        s.pipectl()
            .args(["run", "build", "--drain"])
            .output()
            .unwrap();
        reruns += 1;
    }
    let mut done = s.replica.cli_lines(&["LRANGE", "p:out", "0", "-1"]);
    done.sort();
    let mut want = items.clone();
    want.sort();
    assert_eq!(
        done, want,
        "every item once (first run {first:?}, {reruns} reruns)"
    );
    assert_eq!(s.replica.llen("p:queue"), 0);
    eprintln!(
        "sentinel failover ({}) {old} -> {}: first run exit {first:?}, {reruns} rerun(s); reconnects: {}",
        match how {
            Failover::Kill => "SIGKILL",
            Failover::Command => "SENTINEL FAILOVER",
        },
        s.replica.port,
        stderr(&out)
            .lines()
            .filter(|l| l.contains("reconnect"))
            .count()
    );
}

#[test]
fn sentinel_flags_stand_for_the_url() {
    let s = Sentinels::start();
    let hosts: Vec<String> = s.ports.iter().map(|p| format!("127.0.0.1:{p}")).collect();
    // --sentinel (comma-separated or repeated) with --sentinel-master; REDIS_URL, which says
    // only how to talk to the master, points elsewhere and is not used for its host.
    let out = pipectl_in(s.dir())
        .env("REDIS_URL", format!("redis://127.0.0.1:{}", free_port()))
        .args(["--sentinel", &hosts[..2].join(","), "--sentinel", &hosts[2]])
        .args(["--sentinel-master", "mymaster", "enqueue", "q", "a"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(s.master.llen("q"), 1);
    // The same from the environment, and doctor sees the three sentinels.
    let out = pipectl_in(s.dir())
        .env("PIPECTL_SENTINEL", hosts.join(","))
        .env("PIPECTL_SENTINEL_MASTER", "mymaster")
        .args(["--json", "doctor"])
        .output()
        .unwrap();
    let doc = json(&out);
    assert!(
        doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["check"] == "sentinel"
                && c["status"] == "ok"
                && c["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("3 of 3 sentinels agree"))),
        "{doc}"
    );
    // One without the other is a usage error.
    let out = pipectl_in(s.dir())
        .args(["--sentinel", &hosts[0], "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("--sentinel-master"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn tls_sentinels_and_a_tls_master_follow_a_failover() {
    let pki = crate::support::pki::Pki::new();
    let s = Sentinels::start_tls(&pki);
    assert!(s.url().starts_with("rediss+sentinel://"));
    let run = |args: &[&str]| s.pipectl().args(args).output().unwrap();
    assert_code(&run(&["enqueue", "q", "a", "b"]), 0);
    assert_eq!(s.master.llen("q"), 2, "written on the master, over TLS");
    // Without the CA the sentinels' certificate is not trusted: refused, named.
    let out = s
        .pipectl()
        .env_remove("PIPECTL_TLS_CA")
        .args(["len", "q"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    // A failover: the replica is promoted and pipectl follows it on the next connect.
    let sentinel = s.ports[0].to_string();
    let ca = pki.arg("ca.crt");
    let out = std::process::Command::new("redis-cli")
        .args(["--tls", "--cacert", &ca, "-p", &sentinel])
        .args(["SENTINEL", "FAILOVER", "mymaster"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("OK"), "{}", stdout(&out));
    let deadline = Instant::now() + Duration::from_secs(30);
    // (Until the old master is demoted it still takes writes, and loses them when it resyncs:
    // Redis's own window with asynchronous replication, not pipectl's.)
    while s.replica.cli(&["ROLE"]).lines().next() != Some("master")
        || s.master.cli(&["ROLE"]).lines().next() != Some("slave")
    {
        assert!(Instant::now() < deadline, "no failover:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = run(&["pop", "q"]);
        if out.status.code() == Some(0) {
            assert_eq!(stdout(&out), "a\n");
            break;
        }
        assert!(Instant::now() < deadline, "{}", stderr(&out));
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(s.replica.llen("q"), 1, "the pop went to the new master");
}
