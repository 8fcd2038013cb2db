//! Hostile handlers: one that prints a gigabyte, one that never reads its stdin, one whose
//! children escape its process group. pipectl stays bounded and never hangs on them.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::hostile::{cli_x, pipectl, setup};
use crate::support::state::assert_each_once;
use crate::support::*;

/// Peak resident memory (VmHWM, KiB) of a running process, sampled until it exits.
fn peak_rss_kib(child: &mut std::process::Child) -> u64 {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak = peak.max(kib);
        }
        if child.try_wait().unwrap().is_some() {
            return peak;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_handler_printing_a_gigabyte_is_stopped_with_memory_bounded() {
    let r = setup("head -c 1073741824 /dev/zero", Some("1m"));
    r.cli(&["LPUSH", "p:queue", "{\"n\":1}"]);
    let started = Instant::now();
    let mut child = r
        .pipectl()
        .args(["--json", "run", "build"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let peak = peak_rss_kib(&mut child);
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 1);
    eprintln!(
        "1 GiB handler stopped after {:?}, pipectl peak RSS {} MiB",
        started.elapsed(),
        peak / 1024
    );
    assert!(
        peak < 200 * 1024,
        "memory bounded: peak {} MiB",
        peak / 1024
    );
    let delayed = r.cli(&["ZRANGE", "p:queue:delayed", "0", "-1"]);
    assert!(delayed.ends_with(":{\"n\":1}"), "retried later: {delayed}");
}

#[test]
fn a_handler_that_never_reads_stdin_is_timed_out_or_passes() {
    // A 1 MiB item to a handler that never reads it and never ends: killed at the timeout.
    let r = setup("sleep 30", Some("1s"));
    let big = format!("\"{}\"", "x".repeat((1 << 20) - 2));
    cli_x(&r, &["LPUSH", "p:queue"], big.as_bytes());
    let started = Instant::now();
    let out = pipectl(&r, &["run", "build"]);
    assert_code(&out, 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.cli(&["ZCARD", "p:queue:delayed"]), "1");

    // One that exits at once without reading: it succeeded, the item passes on unchanged.
    let r = setup("exit 0", None);
    cli_x(&r, &["LPUSH", "p:queue"], big.as_bytes());
    assert_code(&pipectl(&r, &["run", "build"]), 0);
    let places = r.whereabouts(&["p:queue"], &["p:staged"], "p:failed");
    assert_each_once(&places, &[big]);
    assert_eq!(r.llen("p:staged"), 1);
}

#[test]
fn a_process_escaping_the_handler_group_never_holds_pipectl() {
    // A handler that leaves a process in a new session (setsid) holding its stdout, or its
    // stdin with a 1 MiB item never read: pipectl waits a moment, not for that process.
    let r = setup("cat; setsid sleep 5 & sleep 0.2", Some("3s"));
    r.cli(&["LPUSH", "p:queue", "{\"n\":1}"]);
    let started = Instant::now();
    assert_code(&pipectl(&r, &["run", "build"]), 0);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.llen("p:staged"), 1);

    let r = setup("setsid sleep 5 <&0 & sleep 0.2", Some("3s"));
    let big = format!("\"{}\"", "x".repeat((1 << 20) - 2));
    cli_x(&r, &["LPUSH", "p:queue"], big.as_bytes());
    let started = Instant::now();
    assert_code(&pipectl(&r, &["run", "build"]), 0);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
