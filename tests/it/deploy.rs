//! deploy/: the compose file, the crontab and the systemd unit say what the README promises,
//! and every pipectl command line in them parses with pipectl's own argument parser.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use clap::Parser;
use pipectl::cli::Cli;
use pipectl::commands::Command as Sub;

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The stages of the example pipeline that have a handler (the others are manual).
fn example_stages_with_handlers() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/pipectl.toml");
    let config = pipectl::config::load(Some(&path), None, false).unwrap();
    config
        .stages
        .iter()
        .filter(|s| !matches!(s.handler, pipectl::config::Handler::Manual))
        .map(|s| s.name.clone())
        .collect()
}

/// Parses `pipectl …` (the words from `pipectl` up to a redirection or `;`).
fn parse_pipectl(words: &[&str]) -> Cli {
    let argv: Vec<&str> = words
        .iter()
        .copied()
        .take_while(|w| !w.starts_with(">>") && !w.starts_with("2>") && !w.ends_with(';'))
        .collect();
    Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{argv:?} does not parse: {e}"))
}

#[test]
fn compose_runs_redis_7_with_aof_noeviction_a_healthcheck_and_a_volume() {
    let compose = read("compose.yaml");
    for needle in [
        "image: redis:7",
        "--appendonly\n      - \"yes\"",
        "--appendfsync\n      - everysec",
        "--maxmemory-policy\n      - noeviction",
        "test: [\"CMD\", \"redis-cli\", \"ping\"]",
        "redis-data:/data",
        "\nvolumes:\n  redis-data:",
    ] {
        assert!(compose.contains(needle), "compose.yaml lacks {needle:?}");
    }
    // The usual recipe's policy is only named to explain why it is unsafe.
    let lru: Vec<&str> = compose
        .lines()
        .filter(|l| l.contains("allkeys-lru"))
        .collect();
    assert!(
        !lru.is_empty(),
        "compose.yaml should say why not allkeys-lru"
    );
    assert!(
        lru.iter()
            .all(|l| !l.split('#').next().unwrap().contains("allkeys-lru")),
        "allkeys-lru outside a comment: {lru:?}"
    );
    assert!(compose.contains("evict"));
}

#[test]
fn crontab_runs_every_stage_with_flock_logging_and_redis_url() {
    let crontab = read("crontab");
    assert!(crontab.lines().any(|l| l.starts_with("REDIS_URL=")));
    // Job lines start with the minute field; the others are comments and variables.
    let jobs: Vec<&str> = crontab
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '*'))
        .collect();
    assert!(jobs.len() >= 4, "{jobs:?}");
    for line in &jobs {
        // cron turns % into a newline: it must not appear in a command.
        assert!(!line.contains('%'), "unescaped % in {line}");
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert!(fields.len() > 5, "{line}");
        // Every pipectl invocation on the line parses.
        for (i, word) in fields.iter().enumerate() {
            if *word == "pipectl" {
                parse_pipectl(&fields[i..]);
            }
        }
    }
    for stage in example_stages_with_handlers() {
        let line = jobs
            .iter()
            .find(|l| l.contains(&format!("pipectl run {stage}")))
            .unwrap_or_else(|| panic!("no crontab line runs stage {stage}"));
        assert!(
            line.contains(&format!("flock -n /run/lock/pipectl-{stage}.lock")),
            "{line}"
        );
        assert!(
            line.contains(&format!(">>$LOGS/{stage}.log 2>&1")),
            "{line}"
        );
    }
}

#[test]
fn worker_unit_stops_gracefully_restarts_and_is_hardened() {
    let unit = read("pipectl-worker@.service");
    let value = |key: &str| -> String {
        unit.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in the unit"))
            .to_owned()
    };
    let exec = value("ExecStart");
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert!(words[0].ends_with("/pipectl"), "{exec}");
    let mut argv = vec!["pipectl"];
    argv.extend(
        words[1..]
            .iter()
            .map(|w| if *w == "%i" { "build" } else { w }),
    );
    let cli = parse_pipectl(&argv);
    let Sub::Run(run) = cli.command else {
        panic!("ExecStart is not `pipectl run`: {exec}")
    };
    assert!(run.drain, "{exec}");
    assert_eq!(run.wait, Some(Duration::from_secs(3600)), "{exec}");

    let stop = pipectl::duration::parse(&value("TimeoutStopSec")).unwrap();
    assert!(
        stop > run.grace,
        "TimeoutStopSec {stop:?} must exceed the run's --grace {:?}",
        run.grace
    );
    assert_eq!(value("Restart"), "always");
    assert_eq!(value("KillSignal"), "SIGTERM");
    assert_eq!(value("KillMode"), "mixed");
    assert!(value("EnvironmentFile").starts_with('/'));
    assert_eq!(value("User"), "pipectl");
    for hardening in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
    ] {
        assert!(unit.lines().any(|l| l == hardening), "no {hardening}");
    }
}

#[test]
fn worker_unit_passes_systemd_analyze_verify() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("systemd-analyze must be installed (scripts/test installs systemd)");
    }
    let dir = tempfile::tempdir().unwrap();
    // An instance of the template, pointing at the binary under test (verify checks that
    // ExecStart is executable) and without the man: link (verify would run `man`).
    let unit = read("pipectl-worker@.service")
        .replace("/usr/local/bin/pipectl", env!("CARGO_BIN_EXE_pipectl"))
        .lines()
        .filter(|l| !l.starts_with("Documentation="))
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.path().join("pipectl-worker@build.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The nightly doctor line, run as cron would (from another directory, the crontab's PATH
/// and variables) against a copy of the example pipeline standing in for /srv/pipectl: every
/// handler is found, so nothing FAILs. Without its `cd`, `./handlers/…` was looked up in
/// cron's directory and the line always failed.
#[test]
fn crontab_doctor_line_checks_the_pipeline_from_its_directory() {
    let r = crate::support::RedisServer::start();
    let srv = tempfile::tempdir().unwrap();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    std::fs::copy(
        examples.join("pipectl.toml"),
        srv.path().join("pipectl.toml"),
    )
    .unwrap();
    std::fs::create_dir(srv.path().join("handlers")).unwrap();
    for entry in std::fs::read_dir(examples.join("handlers")).unwrap() {
        let entry = entry.unwrap();
        // fs::copy keeps the permission bits: the scripts stay executable.
        std::fs::copy(
            entry.path(),
            srv.path().join("handlers").join(entry.file_name()),
        )
        .unwrap();
    }
    let logs = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let crontab = read("crontab");
    let line = crontab
        .lines()
        .find(|l| l.contains("pipectl doctor") && !l.starts_with('#'))
        .expect("a doctor line");
    // The command: what follows the five schedule fields.
    let mut rest = line;
    for _ in 0..5 {
        rest = rest.trim_start();
        rest = &rest[rest.find(char::is_whitespace).unwrap()..];
    }
    let command = rest
        .trim()
        .replace("/srv/pipectl", srv.path().to_str().unwrap());
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_pipectl"));
    let path = format!(
        "{}:/usr/local/bin:/usr/bin:/bin",
        bin.parent().unwrap().display()
    );
    let status = Command::new("/bin/sh")
        .args(["-c", &command])
        .current_dir(elsewhere.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", elsewhere.path())
        .env("LOGS", logs.path())
        .env("REDIS_URL", r.url())
        .env("PIPECTL_CONFIG", srv.path().join("pipectl.toml"))
        .status()
        .unwrap();
    let log = std::fs::read_to_string(logs.path().join("doctor.log")).unwrap();
    assert!(status.code().is_some(), "{command}");
    assert!(log.contains("handler build"), "{log}");
    let failed: Vec<&str> = log.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(failed.is_empty(), "{command}\n{log}");
    assert!(logs.path().join("saturation.log").exists(), "{command}");
}

/// The serve unit: `pipectl serve` on loopback with its token file and public origin,
/// stopped by SIGTERM, not restarted on a usage error, hardened; systemd-analyze verify
/// passes.
#[test]
fn serve_unit_listens_on_loopback_with_tokens_and_is_hardened() {
    let unit = read("pipectl-serve.service");
    let value = |key: &str| -> String {
        unit.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in the unit"))
            .to_owned()
    };
    let exec = value("ExecStart");
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert!(words[0].ends_with("/pipectl"), "{exec}");
    let mut argv = vec!["pipectl"];
    argv.extend(&words[1..]);
    let Sub::Serve(serve) = parse_pipectl(&argv).command else {
        panic!("ExecStart is not `pipectl serve`: {exec}")
    };
    assert!(serve.listen.ip().is_loopback(), "{exec}");
    assert!(
        serve.tokens.as_ref().is_some_and(|p| p.is_absolute()),
        "{exec}"
    );
    assert_eq!(serve.origin.len(), 1, "{exec}");
    assert_eq!(value("KillSignal"), "SIGTERM");
    assert!(
        value("RestartPreventExitStatus")
            .split(' ')
            .any(|c| c == "2")
    );
    assert_eq!(value("User"), "pipectl");
    for hardening in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
    ] {
        assert!(unit.lines().any(|l| l == hardening), "no {hardening}");
    }
    assert!(
        !unit.lines().any(|l| l.starts_with("ReadWritePaths=")),
        "serve writes nothing"
    );
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("systemd-analyze must be installed (scripts/test installs systemd)");
    }
    let dir = tempfile::tempdir().unwrap();
    let unit = unit
        .replace("/usr/local/bin/pipectl", env!("CARGO_BIN_EXE_pipectl"))
        .lines()
        .filter(|l| !l.starts_with("Documentation="))
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.path().join("pipectl-serve.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The compose file's serve service: its command parses, it has its token file, its port
/// is published on loopback only, and it reaches the compose Redis.
#[test]
fn compose_serve_service_needs_tokens_and_publishes_on_loopback() {
    let compose = read("compose.yaml");
    let service: Vec<&str> = compose
        .lines()
        .skip_while(|l| *l != "  serve:")
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("    ") || l.starts_with("  #"))
        .collect();
    assert!(!service.is_empty(), "no serve service in compose.yaml");
    let command: Vec<&str> = service
        .iter()
        .skip_while(|l| l.trim() != "command:")
        .skip(1)
        .map_while(|l| l.trim().strip_prefix("- "))
        .collect();
    assert!(command[0].ends_with("/pipectl"), "{command:?}");
    let mut argv = vec!["pipectl"];
    argv.extend(&command[1..]);
    let Sub::Serve(serve) = parse_pipectl(&argv).command else {
        panic!("the serve service does not run `pipectl serve`: {command:?}")
    };
    assert!(serve.tokens.is_some(), "{command:?}");
    assert!(
        service.iter().any(|l| l.trim()
            == "- \"127.0.0.1:8765:8765\"   # the reverse proxy's upstream; never 0.0.0.0"),
        "{service:?}"
    );
    assert!(
        service
            .iter()
            .any(|l| l.trim() == "REDIS_URL: redis://redis:6379"),
        "{service:?}"
    );
}
