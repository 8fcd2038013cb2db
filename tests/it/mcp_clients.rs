//! `pipectl mcp` driven by real MCP clients nobody here wrote: the official Python SDK
//! (`mcp` from PyPI, in the venv scripts/test makes), over stdio and over Streamable HTTP at
//! `pipectl serve`'s /mcp; and a smoke test with the MCP Inspector's CLI (npm
//! `@modelcontextprotocol/inspector`, which scripts/test installs where npm is). tests/it/mcp_agent.py lists the tools, checks their schemas and
//! annotations and works stage build (claim three, complete one, fail one, escalate one);
//! then a person approves the escalated item with the CLI, and Redis and the audit stream
//! are checked here.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

/// The venv's python with the SDK: $PIPECTL_TEST_PYTHON (scripts/test sets it; then it
/// must work), else `<target dir>/py/bin/python` when it has `mcp`. None: skip, said aloud.
fn python() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PIPECTL_TEST_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let py = target.join("py/bin/python");
    let ok = Command::new(&py)
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    eprintln!(
        "note: no Python with the MCP SDK at {} (scripts/test makes it): Python SDK test skipped",
        py.display()
    );
    None
}

fn agent_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/mcp_agent.py")
}

/// Runs mcp_agent.py with `args` in the pipeline's directory; what it saw.
fn run_agent(r: &RedisServer, py: &PathBuf, args: &[&str]) -> Value {
    let out = Command::new(py)
        .arg(agent_script())
        .args(args)
        .current_dir(r.dir.path())
        .env("REDIS_URL", r.url())
        .env("HOME", r.dir.path())
        .env_remove("PIPECTL_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "mcp_agent.py {args:?} failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_str(stdout(&out).trim()).expect("the agent's JSON")
}

/// After the agent: the three items where it put them, on record as `by`; then a person
/// approves the escalated one with the CLI.
fn check_and_approve(r: &RedisServer, seen: &Value, by: &str) {
    assert_eq!(seen["tools"].as_array().map(Vec::len), Some(15), "{seen}");
    assert_eq!(seen["escalated_by"], by);
    assert_eq!(seen["again"], "failure", "a finished lease: {seen}");
    assert_eq!(seen["empty"], "nothing_to_do", "{seen}");
    assert!(
        seen["approve"].as_str().is_some_and(|s| s != "ran"),
        "{seen}"
    );
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:built", "0", "-1"]),
        [r#"{"url":"a2.com","from":"a.com"}"#]
    );
    let dead = json_lines(&r.run_json(&["dead", "ls"]));
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["item"], json!({"url": "b.com"}));
    assert_eq!(dead[0]["error"], "no such site");
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0", "no lease left");
    assert_eq!(r.cli(&["ZCARD", "p:queue:leases"]), "0");

    // Every change the agent made is on record under its name, item by item.
    let records = json_lines(&r.run_json(&["audit", "--by", by]));
    let mut actions: Vec<String> = records
        .iter()
        .map(|r| r["action"].as_str().unwrap_or("?").to_owned())
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "claim", "claim", "claim", "complete", "enqueue", "escalate", "fail"
        ],
        "{records:?}"
    );
    let of = |action: &str| {
        records
            .iter()
            .find(|r| r["action"] == action)
            .cloned()
            .unwrap_or_else(|| panic!("no {action} record"))
    };
    let complete = of("complete");
    assert_eq!(complete["item"], json!({"url": "a.com"}));
    assert_eq!(complete["fields"]["added"], "1");
    assert_eq!(complete["fields"]["to"], "p:built");
    assert!(complete["sha256"].is_string());
    let fail = of("fail");
    assert_eq!(fail["item"], json!({"url": "b.com"}));
    assert_eq!(
        (
            fail["fields"]["outcome"].clone(),
            fail["fields"]["reason"].clone()
        ),
        (json!("dead"), json!("no such site"))
    );
    assert_eq!(of("escalate")["item"], json!({"url": "c.com"}));
    assert_eq!(of("enqueue")["fields"]["added"], "3");
    let claimed: Vec<&Value> = records
        .iter()
        .filter(|r| r["action"] == "claim")
        .map(|r| &r["item"])
        .collect();
    assert_eq!(claimed.len(), 3);
    assert!(claimed.contains(&&json!({"url": "c.com"})));

    // A person approves the escalated item with the CLI: on to build's output.
    let staged = json_lines(&r.run_json(&["staged"]));
    assert_eq!(staged.len(), 1);
    assert_eq!(staged[0]["question"], "Is c.com a real shop?");
    assert_code(&r.run_json(&["approve", "1", "--by", "ann"]), 0);
    assert_eq!(r.llen("p:staged"), 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:built", "0", "-1"]),
        [r#"{"url":"c.com"}"#, r#"{"url":"a2.com","from":"a.com"}"#]
    );
    let approved = json_lines(&r.run_json(&["audit", "--action", "approve"]));
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["by"], "ann");
    assert_eq!(approved[0]["item"], json!({"url": "c.com"}));
    assert_eq!(approved[0]["fields"]["escalated_from"], "build");
}

#[test]
fn the_python_sdk_works_a_stage_over_stdio_and_a_person_approves() {
    let Some(py) = python() else { return };
    let r = RedisServer::start();
    crate::mcp::pipeline(&r, &[]);
    let bin = env!("CARGO_BIN_EXE_pipectl");
    let seen = run_agent(&r, &py, &["stdio", bin, "mcp", "--as", "agent:py"]);
    check_and_approve(&r, &seen, "agent:py");
}

/// A running `pipectl serve`, killed when dropped.
struct Serve(Child, String);

impl Drop for Serve {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn serve(r: &RedisServer, token: &str, extra: &[&str]) -> Serve {
    let port = free_port();
    let mut child = r
        .pipectl()
        .env("PIPECTL_SERVE_TOKEN", token)
        .args(["--json", "serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pipectl serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the startup line");
    let doc: Value = serde_json::from_str(&line).expect("startup JSON");
    let url = format!("{}mcp", doc["url"].as_str().expect("url"));
    Serve(child, url)
}

#[test]
fn the_python_sdk_works_a_stage_over_streamable_http_behind_the_token() {
    let Some(py) = python() else { return };
    let r = RedisServer::start();
    crate::mcp::pipeline(&r, &[]);
    let token = "mcp-http-token-0123456789";
    let s = serve(&r, token, &["--mcp-as", "agent:http"]);
    // No token, a wrong one: refused before MCP sees the request.
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "t", "version": "0"}}});
    for auth in [None, Some("wrong-token-0123456789")] {
        let mut req = client
            .post(&s.1)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .body(init.to_string());
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        assert_eq!(req.send().expect("an answer").status().as_u16(), 401);
    }
    let seen = run_agent(&r, &py, &["http", &s.1, token]);
    check_and_approve(&r, &seen, "agent:http");
}

/// The MCP Inspector's CLI: $PIPECTL_TEST_INSPECTOR (scripts/test sets it where npm is),
/// else `<target dir>/inspector/node_modules/.bin/mcp-inspector`. None: skip, said aloud.
fn inspector() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PIPECTL_TEST_INSPECTOR") {
        return Some(PathBuf::from(p));
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let bin = target.join("inspector/node_modules/.bin/mcp-inspector");
    if bin.exists() {
        return Some(bin);
    }
    eprintln!(
        "note: no MCP Inspector at {} (scripts/test installs it where npm is): Inspector smoke test skipped",
        bin.display()
    );
    None
}

/// Runs `mcp-inspector --cli ARGS` in the pipeline's directory; its JSON answer.
fn inspect(r: &RedisServer, bin: &PathBuf, args: &[&str]) -> Value {
    let out = Command::new(bin)
        .arg("--cli")
        .args(args)
        .current_dir(r.dir.path())
        .env("HOME", r.dir.path())
        .env("MCP_CATALOG_PATH", r.dir.path().join("mcp.json"))
        .stdin(Stdio::null())
        .output()
        .expect("run mcp-inspector");
    assert!(
        out.status.success(),
        "mcp-inspector {args:?}:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out)).expect("the Inspector's JSON")
}

#[test]
fn the_mcp_inspector_lists_and_calls_the_tools_over_stdio_and_http() {
    let Some(bin) = inspector() else { return };
    let r = RedisServer::start();
    crate::mcp::pipeline(&r, &[]);
    r.cli(&["LPUSH", "p:queue", r#"{"url":"i.com"}"#]);
    let pipectl = env!("CARGO_BIN_EXE_pipectl");
    let env = format!("REDIS_URL={}", r.url());
    let listed = inspect(
        &r,
        &bin,
        &["-e", &env, pipectl, "mcp", "--method", "tools/list"],
    );
    let tools = listed["tools"].as_array().expect("tools");
    assert_eq!(tools.len(), 15, "the worker profile's tools");
    assert!(tools.iter().all(|t| t["outputSchema"].is_object()
        && t["annotations"]["readOnlyHint"].is_boolean()));
    let claimed = inspect(
        &r,
        &bin,
        &[
            "-e",
            &env,
            pipectl,
            "mcp",
            "--as",
            "inspector",
            "--method",
            "tools/call",
            "--tool-name",
            "pipectl_claim",
            "--tool-arg",
            "stage=build",
        ],
    );
    assert_eq!(claimed["isError"], json!(false), "{claimed}");
    assert_eq!(
        claimed["structuredContent"]["items"][0]["item"],
        json!({"url": "i.com"})
    );
    let audit = json_lines(&r.run_json(&["audit", "--by", "inspector"]));
    assert_eq!(audit[0]["action"], "claim");

    let token = "inspector-token-0123456789";
    let s = serve(&r, token, &[]);
    let auth = format!("Authorization: Bearer {token}");
    let status = inspect(
        &r,
        &bin,
        &[
            &s.1,
            "--header",
            &auth,
            "--method",
            "tools/call",
            "--tool-name",
            "pipectl_status",
        ],
    );
    assert_eq!(status["structuredContent"]["pipeline"], "p", "{status}");
    assert_eq!(
        status["structuredContent"]["stages"][0]["leased"],
        json!(1),
        "the lease the stdio session left (it expires: the item comes back)"
    );
}
