//! Every subcommand's --help has a one-line summary, an example and its exit codes; the
//! exit-code table is one command away.

use crate::support::*;
use clap::{CommandFactory, Parser};

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
    let doc = json(&out);
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

/// The `pipectl …` command lines of a help text's `Example:`/`Examples:` block, cut where the
/// shell takes over (a pipe, `&&`, `;`, a redirection), `$(…)` standing for one word.
fn example_lines(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in help.lines() {
        let text = line.trim();
        if text.starts_with("Example") && text.ends_with(':') {
            inside = true;
            continue;
        }
        if text.is_empty() || text.starts_with("Exit codes") {
            inside = false;
        }
        if !inside || !text.starts_with("pipectl ") {
            continue;
        }
        let mut line = text.to_owned();
        while let Some(start) = line.find("$(") {
            let end = line[start..]
                .find(')')
                .map_or(line.len(), |e| start + e + 1);
            line.replace_range(start..end, "1");
        }
        let cut = ["|", "&&", ";", " >", " <", " #"]
            .iter()
            .filter_map(|s| line.find(s))
            .min()
            .unwrap_or(line.len());
        out.push(line[..cut].trim().to_owned());
    }
    out
}

/// Shell words, with '…' and "…" quoting (enough for the examples).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (_, c) => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

#[test]
fn every_example_in_the_help_is_a_valid_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = Vec::new();
    let mut checked = 0;
    for path in subcommand_paths() {
        let out = pipectl_in(dir.path())
            .args(&path)
            .arg("--help")
            .output()
            .unwrap();
        for example in example_lines(&stdout(&out)) {
            let argv = words(&example);
            checked += 1;
            if let Err(e) = pipectl::cli::Cli::try_parse_from(&argv) {
                if e.use_stderr() {
                    bad.push(format!(
                        "{example}\n    {}",
                        e.to_string().lines().next().unwrap_or_default()
                    ));
                }
                continue;
            }
            // Lease tokens as `pop --lease` prints them: <queue>#<16 hex>.<6 digits>.
            if matches!(argv.get(1).map(String::as_str), Some("ack" | "nack")) {
                for token in argv.iter().skip(2).filter(|a| a.contains('#')) {
                    let id = token.rsplit_once('#').map(|(_, id)| id).unwrap_or_default();
                    let ok = id.split_once('.').is_some_and(|(hex, n)| {
                        hex.len() == 16
                            && hex.chars().all(|c| c.is_ascii_hexdigit())
                            && n.len() == 6
                            && n.chars().all(|c| c.is_ascii_digit())
                    });
                    if !ok {
                        bad.push(format!(
                            "{example}\n    the token is not shaped like a real one"
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} examples found");
    assert!(
        bad.is_empty(),
        "examples that do not parse:\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn help_names_values_usage_lines_carry_no_globals_and_each_env_shows_once() {
    let mut bad = Vec::new();
    for path in subcommand_paths() {
        let mut cmd = pipectl::cli::Cli::command();
        cmd.build();
        let mut at = &cmd;
        for name in &path {
            at = at.find_subcommand(name).unwrap();
        }
        let name = path.join(" ");
        for arg in at
            .get_arguments()
            .filter(|a| !a.is_positional() && !a.is_hide_set())
        {
            let Some(long) = arg.get_long() else { continue };
            let derived = arg.get_id().as_str().to_uppercase();
            let shown: Vec<String> = arg
                .get_value_names()
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            let takes_value = arg.get_action().takes_values();
            // clap's default is the argument's id in capitals: say what the value is instead,
            // unless that already is what it is (--url <URL>, --file <FILE>).
            if takes_value
                && (shown.is_empty() || shown == [derived.clone()])
                && !["URL", "FILE", "PATH"].contains(&derived.as_str())
            {
                bad.push(format!(
                    "pipectl {name} --{long}: value named <{derived}> by default"
                ));
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let out = pipectl_in(dir.path())
            .args(&path)
            .arg("--help")
            .output()
            .unwrap();
        let help = stdout(&out);
        let usage = help
            .lines()
            .find(|l| l.starts_with("Usage:"))
            .unwrap_or_default();
        if usage.contains("--url") || usage.contains("--config") {
            bad.push(format!("pipectl {name}: usage line shows globals: {usage}"));
        }
        for line in help.lines() {
            if line.matches("[env: ").count() > 1 {
                bad.push(format!("pipectl {name}: env shown twice: {line}"));
            }
        }
        if help.contains("=]") {
            bad.push(format!(
                "pipectl {name}: an empty env value is shown ([env: X=])"
            ));
        }
    }
    assert!(bad.is_empty(), "help problems:\n  {}", bad.join("\n  "));
}

#[test]
fn commands_that_never_connect_do_not_list_the_connection_options_but_take_them() {
    let dir = tempfile::tempdir().unwrap();
    for path in [&["exit-codes"][..], &["init"], &["config", "path"]] {
        for flag in ["-h", "--help"] {
            let out = pipectl_in(dir.path())
                .args(path)
                .arg(flag)
                .output()
                .unwrap();
            let help = stdout(&out);
            for option in [
                "--url",
                "--tls-ca",
                "--tls-cert",
                "--connect-timeout",
                "--timeout",
            ] {
                let listed = help
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{option} ")));
                assert!(
                    !listed,
                    "pipectl {} {flag} lists {option}:\n{help}",
                    path.join(" ")
                );
            }
        }
    }
    // Still accepted where scripts pass them to every command.
    let out = pipectl_in(dir.path())
        .args([
            "exit-codes",
            "--url",
            "redis://127.0.0.1:1",
            "--timeout",
            "1s",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let out = pipectl_in(dir.path())
        .args([
            "--url",
            "redis://127.0.0.1:1",
            "config",
            "path",
            "--timeout",
            "1s",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    // A command that connects lists them.
    let out = pipectl_in(dir.path()).args(["len", "-h"]).output().unwrap();
    assert!(stdout(&out).contains("--url"));
}
