//! Every subcommand's --help has a one-line summary, an example and its exit codes; the
//! exit-code table is one command away.

mod support;

use clap::CommandFactory;
use support::*;

/// Every visible subcommand path, nested ones included: ["run"], ["dead", "retry"], …
fn subcommand_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            if sub.is_hide_set() || sub.get_name() == "help" {
                continue;
            }
            let mut path = path.to_vec();
            path.push(sub.get_name().to_owned());
            walk(sub, &path, out);
            out.push(path);
        }
    }
    let mut out = Vec::new();
    walk(&pipectl::cli::Cli::command(), &[], &mut out);
    out
}

#[test]
fn every_subcommand_help_has_a_summary_an_example_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let paths = subcommand_paths();
    assert!(paths.len() > 20, "{paths:?}");
    let mut gaps = Vec::new();
    for path in &paths {
        let out = pipectl_in(dir.path())
            .args(path)
            .arg("--help")
            .output()
            .unwrap();
        assert_code(&out, 0);
        let help = stdout(&out);
        let name = path.join(" ");
        let summary = help.lines().next().unwrap_or_default();
        if summary.trim().is_empty() || summary.starts_with("Usage") {
            gaps.push(format!("pipectl {name}: no one-line summary"));
        }
        if !help.contains("Example") {
            gaps.push(format!("pipectl {name}: no \"Example\""));
        }
        if !help.contains("Exit codes") {
            gaps.push(format!("pipectl {name}: no \"Exit codes\""));
        }
    }
    assert!(
        gaps.is_empty(),
        "help gaps (each subcommand's doc comment is its help):\n  {}",
        gaps.join("\n  ")
    );
}

const CODES: [&str; 10] = ["0", "1", "2", "3", "4", "5", "65", "69", "77", "78"];

fn has_full_table(text: &str) {
    for code in CODES {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{code} "))),
            "exit code {code} missing from:\n{text}"
        );
    }
}

#[test]
fn exit_codes_prints_the_full_table_and_help_exit_codes_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = pipectl_in(dir.path()).arg("exit-codes").output().unwrap();
    assert_code(&out, 0);
    has_full_table(&stdout(&out));

    let out = pipectl_in(dir.path())
        .args(["help", "exit-codes"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    has_full_table(&stdout(&out));

    let out = pipectl_in(dir.path())
        .args(["exit-codes", "--json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["exit_codes"].as_array().unwrap().len(), CODES.len());
}

#[test]
fn top_level_help_points_to_the_exit_code_table() {
    let dir = tempfile::tempdir().unwrap();
    for flag in ["--help", "-h"] {
        let out = pipectl_in(dir.path()).arg(flag).output().unwrap();
        assert_code(&out, 0);
        let help = stdout(&out);
        assert!(help.contains("Exit codes"), "{help}");
        assert!(help.contains("pipectl exit-codes"), "{help}");
        assert!(
            !help.contains("complete-stages") && !help.contains("generate"),
            "{help}"
        );
    }
}
