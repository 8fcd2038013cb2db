//! Test harness: a real `redis-server` per test on a free port in a temp dir, killed on drop,
//! with its log printed when the test fails; and the real `pipectl` binary with an isolated
//! environment, so a user's config or REDIS_URL can never leak into a test. `cluster` starts
//! a real Redis Cluster the same way.

pub mod cluster;
pub mod http;
pub mod pipeline;
pub mod pki;
pub mod proxy;
pub mod sentinel;
pub mod state;

pub use pipeline::{Pipeline, Stage, executable, handler};

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub struct RedisServer {
    pub port: u16,
    pub dir: TempDir,
    child: Child,
    password: Option<String>,
    extra: Vec<String>,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// Starts a server with extra `redis-server` arguments, e.g. `["--requirepass", "pw"]`.
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let mut last_log = String::new();
        let extra: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temp dir");
            let port = free_port();
            let child = spawn_server(port, dir.path(), &extra);
            let password = extra
                .windows(2)
                .find(|w| w[0] == "--requirepass")
                .map(|w| w[1].to_owned());
            let mut server = RedisServer {
                port,
                dir,
                child,
                password,
                extra: extra.clone(),
            };
            if server.wait_ready() {
                return server;
            }
            last_log = server.log();
        }
        panic!("redis-server did not start; its last log:\n{last_log}");
    }

    /// Starts the killed server again on the same port, dir (and so AOF file) and arguments:
    /// what a supervisor does after a crash.
    pub fn restart(&mut self) {
        self.kill();
        self.child = spawn_server(self.port, self.dir.path(), &self.extra);
        assert!(
            self.wait_ready(),
            "redis-server did not restart; its log:\n{}",
            self.log()
        );
    }

    /// Like `restart`, but returns as soon as the server answers at all — while it may still
    /// be loading its data (PING answers LOADING then).
    pub fn restart_loading(&mut self) {
        self.kill();
        self.child = spawn_server(self.port, self.dir.path(), &self.extra);
        let deadline = Instant::now() + Duration::from_secs(10);
        let loading = |port: u16| {
            Command::new("redis-cli")
                .args(["-p", &port.to_string(), "PING"])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("LOADING"))
        };
        while !loading(self.port) && !self.ping() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not restart; its log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if self.ping() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// True when the server answers PING (after AUTH, if it has a password).
    fn ping(&self) -> bool {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let auth = self
            .password
            .as_ref()
            .map(|pw| format!("AUTH {pw}\r\n"))
            .unwrap_or_default();
        if s.write_all(format!("{auth}PING\r\n").as_bytes()).is_err() {
            return false;
        }
        s.set_read_timeout(Some(Duration::from_millis(500))).ok();
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if String::from_utf8_lossy(&seen).contains("PONG") {
                return true;
            }
        }
        false
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("redis.log")).unwrap_or_default()
    }

    /// Runs the real redis-cli against this server and returns its trimmed stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("redis-cli");
        cmd.args(["-p", &self.port.to_string()]);
        if let Some(pw) = &self.password {
            cmd.env("REDISCLI_AUTH", pw);
        }
        let out = cmd
            .args(args)
            .output()
            .expect("redis-cli must be installed");
        assert!(
            out.status.success(),
            "redis-cli {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned()
    }

    /// `redis-cli` output split into lines.
    pub fn cli_lines(&self, args: &[&str]) -> Vec<String> {
        let out = self.cli(args);
        if out.is_empty() {
            Vec::new()
        } else {
            out.lines().map(str::to_owned).collect()
        }
    }

    pub fn llen(&self, key: &str) -> usize {
        self.cli(&["LLEN", key])
            .parse()
            .expect("LLEN answers a number")
    }

    /// A `pipectl` command pointed at this server, in an isolated environment and work dir.
    pub fn pipectl(&self) -> Command {
        let mut cmd = pipectl_in(self.dir.path());
        cmd.env("REDIS_URL", self.url());
        cmd
    }

    /// Runs `pipectl --json ARGS…` against this server and returns its output.
    pub fn run_json(&self, args: &[&str]) -> Output {
        self.pipectl()
            .arg("--json")
            .args(args)
            .output()
            .expect("run pipectl")
    }

    /// Kills the server now (for tests of an unreachable Redis).
    pub fn kill(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "---- redis-server log (port {}) ----\n{}",
                self.port,
                self.log()
            );
        }
        self.kill();
    }
}

/// The pipectl binary with nothing inherited that could change its behaviour.
pub fn pipectl_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pipectl"));
    cmd.current_dir(dir)
        .env_remove("REDIS_URL")
        .env_remove("REDISCLI_AUTH")
        .env_remove("PIPECTL_CONFIG")
        .env_remove("PIPECTL_CLUSTER")
        .env_remove("PIPECTL_TLS_CA")
        .env_remove("PIPECTL_TLS_CERT")
        .env_remove("PIPECTL_TLS_KEY")
        .env_remove("REDISCLI_CACERT")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env_remove("TZ")
        .env("PIPECTL_REVIEWER", "tester")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .stdin(Stdio::null());
    cmd
}

fn spawn_server(port: u16, dir: &Path, extra: &[String]) -> Child {
    Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(dir.join("redis.log"))
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server must be installed (scripts/test installs it)")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Runs a command with `input` on stdin and returns its output.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer thread").ok();
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Stdout as one JSON document (a `--json` command's answer); panics showing both streams
/// when it is not.
#[track_caller]
pub fn json(out: &Output) -> serde_json::Value {
    parse_document("stdout", &stdout(out), out)
}

/// Stderr as one JSON document (the `{"error":…}` of a failed `--json` command).
#[track_caller]
pub fn json_stderr(out: &Output) -> serde_json::Value {
    parse_document("stderr", &stderr(out), out)
}

/// Stdout as NDJSON: one JSON value per line (a stream such as `ls --json`); panics naming
/// the line that is not JSON (a blank line included). No output is no records.
#[track_caller]
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "stdout line {} is not JSON ({e}): {line:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    i + 1,
                    stdout(out),
                    stderr(out)
                )
            })
        })
        .collect()
}

#[track_caller]
fn parse_document(stream: &str, text: &str, out: &Output) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "{stream} is not one JSON document ({e})\n--- stdout ---\n{}\n--- stderr ---\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        stdout(out),
        stderr(out)
    );
}

/// Today's date as pipectl names its counter keys (local time zone).
pub fn today() -> String {
    let out = Command::new("date").arg("+%F").output().expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

/// Checks a `--json` output against its committed schema, docs/schema/<name>.json: every
/// line (one document, or NDJSON records of a stream), or `{"error":…}` lines against
/// error.json. Panics naming the line and the schema's complaint.
pub fn assert_schema(name: &str, json_text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(format!("{name}.json"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("a schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let mut lines = 0;
    for line in json_text.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {line}"));
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: {line}\n  {}",
            errors.join("\n  ")
        );
        lines += 1;
    }
    assert!(lines > 0, "{name}: no output to check");
}
