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

/// The real parser, when python3 has prometheus_client: every sample it read, as
/// `name{labels}` (labels in the order printed) → value, each family's type checked.
fn python_parse(text: &str) -> Option<HashMap<String, f64>> {
    let script = "import sys, json\nfrom prometheus_client.parser import text_string_to_metric_families as p\n\
                  out = {}\n\
                  for f in p(sys.stdin.read()):\n\
                  \x20   assert f.type == 'gauge', (f.name, f.type)\n\
                  \x20   assert f.name.startswith('pipectl_') and not f.name.endswith('_total'), f.name\n\
                  \x20   for s in f.samples:\n\
                  \x20       labels = ','.join('%s=\"%s\"' % kv for kv in s.labels.items())\n\
                  \x20       out[s.name + ('{' + labels + '}' if labels else '')] = s.value\n\
                  print(json.dumps(out))";
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
    Some(serde_json::from_str(stdout(&out).trim()).expect("the samples as JSON"))
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
    if let Some(parsed) = python_parse(&text) {
        assert_eq!(parsed, got, "prometheus_client reads what pipectl printed");
    }
    let status: Value = json(&r.run_json(&["status"]));
    // Every per-stage gauge is the status field of that stage (absent when null there).
    type Field<'a> = (&'a str, &'a dyn Fn(&Value) -> Option<f64>);
    let fields: [Field; 8] = [
        ("queue_length", &|s| s["queued"].as_f64()),
        ("leased", &|s| s["leased"].as_f64()),
        ("expired_leases", &|s| s["expired_leases"].as_f64()),
        ("delayed", &|s| s["delayed"].as_f64()),
        ("delayed_due", &|s| s["due_retries"].as_f64()),
        ("paused", &|s| {
            s["paused"].as_bool().map(|p| f64::from(u8::from(p)))
        }),
        ("ratelimit_remaining", &|s| {
            s["rate_limit"]["remaining"].as_f64()
        }),
        ("ratelimit_limit", &|s| s["rate_limit"]["limit"].as_f64()),
    ];
    let mut checked = 0;
    for stage in status["stages"].as_array().unwrap() {
        let (name, queue) = (
            stage["name"].as_str().unwrap(),
            stage["input"].as_str().unwrap_or(""),
        );
        for (metric, get) in &fields {
            let key = format!("pipectl_{metric}{{stage=\"{name}\",queue=\"{queue}\"}}");
            assert_eq!(got.get(&key).copied(), get(stage), "{key}\n{text}");
            checked += 1;
        }
        let age =
            format!("pipectl_oldest_staged_age_seconds{{stage=\"{name}\",queue=\"{queue}\"}}");
        match stage["oldest_staged_ms"].as_f64() {
            // Read a moment apart: within 5 s of each other.
            Some(ms) => assert!((got[&age] - ms / 1000.0).abs() < 5.0, "{age}\n{text}"),
            None => assert!(!got.contains_key(&age), "{age}"),
        }
        for outcome in [
            "processed",
            "succeeded",
            "failed",
            "retried",
            "deferred",
            "dead",
            "escalated",
        ] {
            let key = format!("pipectl_items_today{{stage=\"{name}\",outcome=\"{outcome}\"}}");
            assert_eq!(
                got.get(&key).copied(),
                stage["today"][outcome].as_f64(),
                "{key}"
            );
        }
    }
    assert!(checked >= 8 * 5, "{checked}");
    assert_eq!(got["pipectl_staged"], 3.0);
    assert_eq!(
        got.get("pipectl_dead_letters{queue=\"prospect:failed\"}")
            .copied(),
        status["dead_letters"]["count"].as_f64()
    );
    assert!(
        got.contains_key(
            "pipectl_ratelimit_remaining{stage=\"outreach\",queue=\"prospect:ready\"}"
        )
    );
    // The saturation ratio is today's of `saturation --days 1`: 1 new, 3 already seen.
    assert!(
        !got.contains_key("pipectl_saturation_ratio"),
        "no data, no ratio"
    );
    let item = r#"{"url":"https://a.example"}"#;
    for _ in 0..4 {
        r.pipectl()
            .args(["enqueue", "prospect:queue", "--dedup-by", "url", item])
            .output()
            .unwrap();
    }
    let got = samples(&stdout(&r.pipectl().arg("metrics").output().unwrap()));
    let sat: Value = json(&r.run_json(&["saturation", "--days", "1"]));
    assert_eq!(sat["total"]["seen_ratio"], 0.75);
    assert_eq!(got["pipectl_saturation_ratio"], 0.75);
    assert_eq!(got["pipectl_dedup_today{outcome=\"new\"}"], 1.0);
    assert_eq!(got["pipectl_dedup_today{outcome=\"seen\"}"], 3.0);
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
