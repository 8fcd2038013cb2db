//! Real outputs of every command, under `--json`, validated against the committed schemas in
//! docs/schema/ (generated from the same types: tests/it/generated.rs keeps them up to date).
//! Each command's output is checked in its own family's tests too; this file covers the
//! shapes across empty and non-empty cases and the JSON errors and warnings.

use crate::support::*;

#[test]
fn queue_reads_match_their_schemas_empty_or_not() {
    let r = RedisServer::start();
    for (name, args) in [
        ("len", &["len", "q", "other"][..]),
        ("peek", &["peek", "q", "-n", "3"]),
        ("pop", &["pop", "q"]),
        ("pop", &["pop", "q", "--lease", "1m"]),
    ] {
        let out = r.run_json(args);
        assert_schema(name, &stdout(&out));
    }
    r.cli(&["LPUSH", "q", "{\"a\":1}", "text", "\"a json string\""]);
    r.cli(&["LPUSH", "q", "{\"a\": 1}"]);
    for (name, args) in [
        ("len", &["len", "q", "other"][..]),
        ("peek", &["peek", "q", "-n", "3"]),
        ("ls", &["ls", "q"]),
        ("pop", &["pop", "q"]),
        ("pop", &["pop", "q", "--lease", "1m", "-n", "2"]),
    ] {
        let out = r.run_json(args);
        assert_code(&out, 0);
        assert_schema(name, &stdout(&out));
    }
}

#[test]
fn errors_and_warnings_are_json_on_stderr_and_stdout_stays_clean() {
    let r = RedisServer::start();
    // A usage error clap raises, a Redis refusal, and a warning.
    let out = r.run_json(&["pop"]);
    assert_code(&out, 2);
    assert!(out.stdout.is_empty());
    assert_schema("error", &stderr(&out));
    assert!(
        stderr(&out).contains("\"name\":\"usage\""),
        "{}",
        stderr(&out)
    );
    let out = r
        .pipectl()
        .args(["pop", "--json", "--no-such-flag", "q"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_schema("error", &stderr(&out));

    r.cli(&["SET", "q", "x"]);
    let out = r.run_json(&["len", "q"]);
    assert_code(&out, 65);
    assert!(out.stdout.is_empty());
    assert_schema("error", &stderr(&out));

    r.cli(&["DEL", "q"]);
    r.cli(&["LPUSH", "q", "two\nlines"]);
    let out = r.pipectl().args(["--json", "ls", "q"]).output().unwrap();
    assert_code(&out, 0);
    assert_schema("ls", &stdout(&out));
    let out = r.pipectl().args(["peek", "q", "--json"]).output().unwrap();
    assert_schema("peek", &stdout(&out));
    let out = r.pipectl().args(["pop", "q"]).output().unwrap();
    assert!(stderr(&out).contains("warning:"), "{}", stderr(&out));
    r.cli(&["LPUSH", "q", "two\nlines"]);
    let out = r
        .pipectl()
        .args(["pop", "q", "-n", "1"])
        .arg("--quiet")
        .output()
        .unwrap();
    assert_code(&out, 0);
}

#[test]
fn every_command_has_a_committed_schema() {
    use clap::CommandFactory;
    fn leaves(cmd: &clap::Command, path: &[String], out: &mut Vec<String>) {
        let subs: Vec<&clap::Command> = cmd
            .get_subcommands()
            .filter(|s| s.get_name() != "help")
            .collect();
        if subs.is_empty() {
            out.push(path.join("-"));
        }
        for sub in subs {
            let mut path = path.to_vec();
            path.push(sub.get_name().to_owned());
            leaves(sub, &path, out);
        }
    }
    let mut names = Vec::new();
    leaves(&pipectl::cli::Cli::command(), &[], &mut names);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !dir.join(format!("{n}.json")).exists())
        .collect();
    assert!(names.len() > 25, "{names:?}");
    assert!(
        missing.is_empty(),
        "commands without docs/schema/<name>.json: {missing:?}"
    );
}
