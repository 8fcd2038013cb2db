//! The committed completion scripts and man pages work in real shells and real `man`:
//! bash, zsh and fish load them and answer completion requests (subcommands, and stage
//! names read from the config by `pipectl complete-stages`); every man page renders.
//! `scripts/test` installs zsh, fish and man-db when missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn completions() -> PathBuf {
    repo().join("completions")
}

/// PATH with the freshly built pipectl first, as after `cargo install`.
fn path_with_pipectl() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_pipectl")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A work dir whose ./pipectl.toml names stages no built-in pipeline has.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Pipeline::new("shop")
        .stage("fetch", |s| s.exec(&["true"]).output("shop:queue"))
        .stage("publish", |s| s.input("shop:queue").exec(&["true"]))
        .write(dir.path());
    Pipeline::unnamed()
        .stage("alpha", |s| s.exec(&["true"]).output("q"))
        .stage("beta", |s| s.input("q"))
        .write_as(dir.path(), "other.toml");
    dir
}

/// A shell command in `dir`, with pipectl on PATH and nothing of the user's config.
fn shell(program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("PATH", path_with_pipectl())
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env_remove("PIPECTL_CONFIG")
        .env_remove("REDIS_URL");
    cmd
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
    stdout(out)
}

fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    words.sort();
    words.dedup();
    words
}

// ---- bash ----

/// Runs bash's completion function for a command line, as readline would on TAB, and
/// returns the candidates. The last word is the one being completed ("" after a space).
fn bash_complete(dir: &Path, line: &[&str]) -> Vec<String> {
    let script = format!(
        r#"source {file}
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
_pipectl pipectl "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        file = completions().join("pipectl.bash").display(),
        words = line
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let out = shell("bash", dir)
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .expect("bash must be installed");
    words(&ok(&out))
}

#[test]
fn bash_loads_the_completion_and_registers_it_for_pipectl() {
    let dir = project();
    let script = format!(
        "set -e; source {}; complete -p pipectl",
        completions().join("pipectl.bash").display()
    );
    let out = shell("bash", dir.path())
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .unwrap();
    let text = ok(&out);
    assert!(text.contains("-F _pipectl pipectl"), "{text}");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn bash_completes_subcommands_and_options() {
    let dir = project();
    let all = bash_complete(dir.path(), &["pipectl", ""]);
    for sub in [
        "run",
        "pause",
        "resume",
        "dead",
        "status",
        "exit-codes",
        "--json",
    ] {
        assert!(all.contains(&sub.to_owned()), "{sub} missing from {all:?}");
    }
    // Hidden helpers are not offered.
    assert!(
        !all.iter()
            .any(|w| w == "generate" || w == "complete-stages"),
        "{all:?}"
    );
    assert_eq!(
        bash_complete(dir.path(), &["pipectl", "re"]),
        ["recover", "reject", "resume", "review"]
    );
    assert_eq!(
        bash_complete(dir.path(), &["pipectl", "dead", "r"]),
        ["retry"]
    );
    assert!(bash_complete(dir.path(), &["pipectl", "run", "--d"]).contains(&"--drain".into()));
}

#[test]
fn bash_completes_stage_names_from_the_config() {
    let dir = project();
    // ./pipectl.toml
    let run = bash_complete(dir.path(), &["pipectl", "run", ""]);
    assert!(
        run.contains(&"fetch".into()) && run.contains(&"publish".into()),
        "{run:?}"
    );
    assert!(!run.contains(&"build".into()), "{run:?}");
    assert_eq!(
        bash_complete(dir.path(), &["pipectl", "pause", "pu"]),
        ["publish"]
    );
    assert_eq!(
        bash_complete(dir.path(), &["pipectl", "resume", "f"]),
        ["fetch"]
    );
    assert_eq!(
        bash_complete(dir.path(), &["pipectl", "dead", "ls", "--stage", ""]),
        ["fetch", "publish"]
    );
    // --config on the command line, before or after the subcommand.
    assert_eq!(
        bash_complete(
            dir.path(),
            &["pipectl", "--config", "other.toml", "run", "a"]
        ),
        ["alpha"]
    );
    assert_eq!(
        bash_complete(
            dir.path(),
            &[
                "pipectl",
                "dead",
                "retry",
                "--config",
                "other.toml",
                "--stage",
                ""
            ]
        ),
        ["alpha", "beta"]
    );
    // A broken config completes nothing, quietly.
    let broken = bash_complete(
        dir.path(),
        &["pipectl", "--config", "nope.toml", "run", "x"],
    );
    assert!(broken.is_empty(), "{broken:?}");
}

// ---- zsh ----

/// The completions an interactive zsh offers on TAB after `line` (see zsh-complete.zsh).
fn zsh_complete(dir: &Path, line: &str) -> Vec<String> {
    let out = shell("timeout", dir)
        .arg("60")
        .args(["zsh", "-f"])
        .arg(repo().join("tests/it/support/zsh-complete.zsh"))
        .arg(completions())
        .arg(line)
        .output()
        .expect("zsh must be installed (scripts/test installs it)");
    words(&ok(&out))
}

#[test]
fn zsh_loads_the_completion_with_compinit() {
    let dir = project();
    let script = format!(
        "autoload -U compinit && compinit -u -d {dump} && source {file} && print -r -- $_comps[pipectl]",
        dump = dir.path().join(".zcompdump").display(),
        file = completions().join("_pipectl").display(),
    );
    let out = shell("zsh", dir.path())
        .args(["-f", "-c", &script])
        .output()
        .expect("zsh must be installed (scripts/test installs it)");
    assert_eq!(ok(&out).trim(), "_pipectl");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn zsh_completes_subcommands_and_stage_names() {
    let dir = project();
    let all = zsh_complete(dir.path(), "pipectl ");
    for sub in ["run", "pause", "dead", "exit-codes"] {
        assert!(all.contains(&sub.to_owned()), "{sub} missing from {all:?}");
    }
    assert!(!all.contains(&"generate".to_owned()), "{all:?}");
    assert_eq!(
        zsh_complete(dir.path(), "pipectl re"),
        ["recover", "reject", "resume", "review"]
    );
    assert_eq!(
        zsh_complete(dir.path(), "pipectl run "),
        ["fetch", "publish"]
    );
    assert_eq!(zsh_complete(dir.path(), "pipectl pause p"), ["publish"]);
    assert_eq!(
        zsh_complete(dir.path(), "pipectl dead ls --stage "),
        ["fetch", "publish"]
    );
    assert_eq!(
        zsh_complete(dir.path(), "pipectl --config other.toml resume "),
        ["alpha", "beta"]
    );
}

// ---- fish ----

fn fish_complete(dir: &Path, line: &str) -> Vec<String> {
    let script = format!(
        "source {}; complete -C '{line}'",
        completions().join("pipectl.fish").display()
    );
    let out = shell("fish", dir)
        .args(["--no-config", "-c", &script])
        .output()
        .expect("fish must be installed (scripts/test installs it)");
    let text = ok(&out);
    let mut words: Vec<String> = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words
}

#[test]
fn fish_completes_subcommands_and_stage_names() {
    let dir = project();
    assert_eq!(fish_complete(dir.path(), "pipectl res"), ["resume"]);
    assert_eq!(
        fish_complete(dir.path(), "pipectl run "),
        ["fetch", "publish"]
    );
    assert_eq!(
        fish_complete(
            dir.path(),
            "pipectl --config other.toml dead retry --stage "
        ),
        ["alpha", "beta"]
    );
}

// ---- the others load as text; complete-stages itself ----

#[test]
fn every_shell_has_a_completion_file() {
    for name in [
        "pipectl.bash",
        "_pipectl",
        "pipectl.fish",
        "pipectl.elv",
        "_pipectl.ps1",
    ] {
        let text = std::fs::read_to_string(completions().join(name)).unwrap();
        assert!(text.contains("pipectl"), "{name}");
        assert!(!text.contains("__PIPECTL_STAGE_NAMES__"), "{name}");
    }
}

#[test]
fn complete_stages_prints_the_configured_stage_names() {
    let dir = project();
    let out = pipectl_in(dir.path())
        .arg("complete-stages")
        .output()
        .unwrap();
    assert_eq!(ok(&out), "fetch\npublish\n");
    let out = pipectl_in(dir.path())
        .args(["--config", "other.toml", "complete-stages"])
        .output()
        .unwrap();
    assert_eq!(ok(&out), "alpha\nbeta\n");
    // The built-in pipeline when there is no config file.
    let empty = tempfile::tempdir().unwrap();
    let out = pipectl_in(empty.path())
        .arg("complete-stages")
        .output()
        .unwrap();
    assert_eq!(ok(&out), "discover\nbuild\nreview\noutreach\nfollowup\n");
}

#[test]
fn complete_stages_is_quiet_when_the_config_is_broken() {
    let dir = project();
    write_file(dir.path(), "pipectl.toml", "[stages.x]\nbogus = 1\n");
    let out = pipectl_in(dir.path())
        .arg("complete-stages")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).is_empty() && stderr(&out).is_empty());
    // -v says why.
    let out = pipectl_in(dir.path())
        .args(["-v", "complete-stages"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains("bogus"), "{}", stderr(&out));
}

// ---- man pages ----

#[test]
fn every_man_page_renders_with_man() {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(repo().join("man"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert!(pages.len() > 20, "{pages:?}");
    for page in &pages {
        let out = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
            .expect("man must be installed (scripts/test installs man-db)");
        let text = ok(&out);
        assert!(
            text.contains("NAME") && text.contains("SYNOPSIS"),
            "{}",
            page.display()
        );
        let warnings = stderr(&out);
        assert!(warnings.is_empty(), "{}: {warnings}", page.display());
    }
    let root = std::fs::read_to_string(repo().join("man/pipectl-dead-retry.1")).unwrap();
    assert!(root.contains("pipectl\\-dead\\-retry"), "{root}");
}
