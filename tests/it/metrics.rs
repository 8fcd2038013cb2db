//! `pipectl metrics` and `/metrics` of `pipectl serve`: the Prometheus text format, parsed by
//! the real `prometheus_client` parser when Python has it, and its values those of
//! `status --json`; `--textfile` written atomically.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::support::*;

/// Samples by `name{labels}` as printed, checked line by line against the text format.
fn samples(text: &str) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    for line in text.lines() {
        if line.starts_with("# HELP pipectl_") || line.starts_with("# TYPE pipectl_") {
            assert!(
                !line.ends_with(" counter") || line.contains("_total "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("not a sample: {line}"));
        assert!(series.starts_with("pipectl_"), "{line}");
        assert!(!series.contains("_total"), "no counters: {line}");
        out.insert(
            series.to_owned(),
            value.parse::<f64>().unwrap_or_else(|_| panic!("{line}")),
        );
    }
    out
}

/// The real parser, when python3 has prometheus_client: the number of samples it read.
fn python_parse(text: &str) -> Option<usize> {
    let script = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\n\
                  print(sum(len(f.samples) for f in p(sys.stdin.read())))";
    // Debian's python3-prometheus-client is for /usr/bin/python3, which a pyenv may shadow.
    let Some(python) = ["python3", "/usr/bin/python3"].into_iter().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import prometheus_client"])
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!(
            "note: python3 prometheus_client is missing: the text is checked by the test's own parser only"
        );
        return None;
    };
    let mut cmd = std::process::Command::new(python);
    cmd.args(["-c", script]);
    let out = run_with_stdin(&mut cmd, text.as_bytes());
    assert!(
        out.status.success(),
        "prometheus_client refused it: {}",
        stderr(&out)
    );
    Some(stdout(&out).trim().parse().expect("a count"))
}

#[test]
fn metrics_match_status_and_parse() {
    let r = RedisServer::start();
    let items: Vec<String> = (0..3)
        .map(|i| json!({"name": format!("n{i}")}).to_string())
        .collect();
    assert_code(&r.pipectl().arg("stage").args(&items).output().unwrap(), 0);
    assert_code(
        &r.pipectl()
            .args(["pause", "review", "--reason", "lunch"])
            .output()
            .unwrap(),
        0,
    );
    let out = r.pipectl().arg("metrics").output().unwrap();
    assert_code(&out, 0);
    let text = stdout(&out);
    let got = samples(&text);
    if let Some(n) = python_parse(&text) {
        assert_eq!(n, got.len());
    }
    let status: Value = json(&r.run_json(&["status"]));
    for stage in status["stages"].as_array().unwrap() {
        let (name, queue) = (
            stage["name"].as_str().unwrap(),
            stage["input"].as_str().unwrap_or(""),
        );
        let key = format!("pipectl_queue_length{{stage=\"{name}\",queue=\"{queue}\"}}");
        match stage["queued"].as_u64() {
            Some(n) => assert_eq!(got.get(&key), Some(&(n as f64)), "{key}\n{text}"),
            None => assert!(!got.contains_key(&key), "{key}"),
        }
    }
    assert_eq!(got["pipectl_staged"], 3.0);
    assert_eq!(
        got["pipectl_paused{stage=\"review\",queue=\"prospect:staged\"}"], 1.0,
        "{text}"
    );
    // --textfile: the same text, renamed into place, no temporary file left.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipectl.prom");
    let out = r
        .pipectl()
        .args(["metrics", "--textfile"])
        .arg(&path)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(samples(&written).len(), got.len());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // --json: the same samples, typed.
    let out = r.run_json(&["metrics"]);
    assert_code(&out, 0);
    assert_schema("metrics", &stdout(&out));
    assert_eq!(json(&out)["samples"].as_array().unwrap().len(), got.len());
    let out = r
        .pipectl()
        .args(["--json", "metrics", "--textfile"])
        .arg(&path)
        .output()
        .unwrap();
    assert_schema("metrics", &stdout(&out));
    // A directory that does not exist: exit 1, nothing written.
    let out = r
        .pipectl()
        .args(["metrics", "--textfile", "/nonexistent-dir/x.prom"])
        .output()
        .unwrap();
    assert_code(&out, 1);
}
