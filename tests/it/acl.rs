//! The least-privilege ACL user the README's Security section gives works for the example
//! pipeline's day-to-day commands, and nothing outside its keys.

use std::path::{Path, PathBuf};

use crate::support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README's `redis-cli ACL SETUSER pipectl …` line, split as sh would split it (the
/// line quotes with '…' only).
fn readme_acl_line() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("redis-cli ACL SETUSER pipectl "))
        .expect("README.md has a line starting `redis-cli ACL SETUSER pipectl `");
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            '#' if !quoted && !any => break,
            c if c.is_whitespace() && !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    assert!(!quoted, "unbalanced quote in {line}");
    words
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_readme_acl_user_runs_the_example_pipeline_and_nothing_else() {
    let r = RedisServer::start();
    let words = readme_acl_line();
    assert_eq!(words[0], "redis-cli");
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    assert_eq!(r.cli(&args), "OK");
    let password = words
        .iter()
        .find_map(|w| w.strip_prefix('>'))
        .expect("the ACL line sets a password with '>…'");

    let dir = r.dir.path().join("examples");
    copy_dir(&repo().join("examples"), &dir);
    let url = format!("redis://pipectl:{password}@127.0.0.1:{}", r.port);
    let pipectl = |args: &[&str]| {
        let out = pipectl_in(&dir)
            .env("REDIS_URL", &url)
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), stdout(&out), stderr(&out))
    };
    let ok = |args: &[&str], code: i32| {
        let (got, out, err) = pipectl(args);
        assert_eq!(got, Some(code), "pipectl {args:?}\n{out}\n{err}");
        out
    };

    ok(&["run", "discover"], 0);
    ok(&["seen", "acmeauto.com"], 0);
    ok(&["run", "build", "--max", "2"], 0);
    ok(&["pause", "build", "--reason", "acl test"], 0);
    ok(&["run", "build"], 4);
    ok(&["resume", "build"], 0);
    let leased = ok(&["pop", "prospect:queue", "--lease", "5m"], 0);
    let token: serde_json::Value = serde_json::from_str(leased.trim()).unwrap();
    ok(
        &[
            "nack",
            token["token"].as_str().unwrap(),
            "--dead",
            "--reason",
            "acl",
        ],
        0,
    );
    ok(&["dead", "ls"], 0);
    ok(&["dead", "retry", "1"], 0);
    ok(&["run", "build", "--drain"], 0);
    ok(&["ls", "prospect:staged"], 0);
    ok(&["len", "prospect:queue", "prospect:staged"], 0);
    ok(&["ratelimit", "take", "outreach:ratelimit:sms"], 0);
    ok(&["count", "prospects"], 0);
    ok(&["stats", "--days", "1"], 0);
    ok(&["saturation", "--days", "1"], 0);
    ok(&["status"], 0);
    ok(&["recover"], 0);
    // doctor cannot read CONFIG or INFO as this user: a warning, not a failure.
    let report = ok(&["doctor"], 0);
    assert!(report.contains("WARN"), "{report}");

    // Keys outside the pipeline's are refused: exit 77 (permission).
    let (code, _, err) = pipectl(&["enqueue", "other:queue", "x"]);
    assert_eq!(code, Some(77), "{err}");
    assert!(
        err.contains("NOPERM") || err.to_lowercase().contains("permission"),
        "{err}"
    );
}
