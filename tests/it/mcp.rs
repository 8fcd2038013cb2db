//! `pipectl mcp` (issue 15): the real binary driven over stdio by the official MCP Rust SDK's
//! client (rmcp), against a real redis-server. Tools per profile with their schemas and
//! annotations; every structured result checked against the tool's output schema and the
//! committed docs/schema/<cmd>.json of the CLI's --json; the claim → complete / fail /
//! escalate round trips; errors as tool errors.

use std::collections::HashMap;

use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

use crate::support::*;

/// A `pipectl mcp` session and the runtime driving its client.
struct Mcp {
    rt: tokio::runtime::Runtime,
    client: Option<RunningService<RoleClient, ()>>,
    tools: HashMap<String, Tool>,
}

impl Mcp {
    fn start(r: &RedisServer, args: &[&str]) -> Mcp {
        let mut cmd = r.pipectl();
        cmd.arg("mcp")
            .args(args)
            .stderr(std::process::Stdio::null());
        Mcp::spawn(cmd)
    }

    fn spawn(cmd: std::process::Command) -> Mcp {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let client = rt.block_on(async {
            let transport =
                TokioChildProcess::new(tokio::process::Command::from(cmd)).expect("spawn");
            ().serve(transport).await.expect("the MCP session starts")
        });
        let listed = rt
            .block_on(client.list_all_tools())
            .expect("tools/list answers");
        let tools = listed
            .into_iter()
            .map(|t| (t.name.to_string(), t))
            .collect();
        Mcp {
            rt,
            client: Some(client),
            tools,
        }
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.tools.keys().cloned().collect();
        names.sort();
        names
    }

    /// Calls a tool; whatever it answers (a tool error too).
    fn call_raw(&self, name: &str, args: Value) -> CallToolResult {
        let Value::Object(args) = args else {
            panic!("arguments are an object")
        };
        let client = self.client.as_ref().expect("a session");
        self.rt
            .block_on(
                client.call_tool(CallToolRequestParams::new(name.to_owned()).with_arguments(args)),
            )
            .unwrap_or_else(|e| panic!("{name}: a protocol error: {e}"))
    }

    /// Calls a tool that must succeed; its structured result, checked against the tool's
    /// output schema and given as JSON text too.
    fn call(&self, name: &str, args: Value) -> Value {
        let result = self.call_raw(name, args);
        assert_ne!(result.is_error, Some(true), "{name}: {:?}", result.content);
        let value = result
            .structured_content
            .clone()
            .unwrap_or_else(|| panic!("{name}: no structured content"));
        let text = result
            .content
            .first()
            .and_then(|c| c.as_text())
            .map(|t| t.text.clone())
            .unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Value>(&text).ok().as_ref(),
            Some(&value),
            "{name}: the text content is the structured result as JSON"
        );
        let schema = self.tools[name]
            .output_schema
            .as_ref()
            .expect("an output schema");
        let validator = jsonschema::validator_for(&Value::Object((**schema).clone()))
            .expect("a valid output schema");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: {value}\n  {}",
            errors.join("\n  ")
        );
        value
    }

    /// Calls a tool the session does not offer: a protocol error (invalid params).
    fn absent(&self, name: &str) {
        let client = self.client.as_ref().expect("a session");
        let res = self.rt.block_on(client.call_tool(
            CallToolRequestParams::new(name.to_owned()).with_arguments(Default::default()),
        ));
        let err = res.expect_err("no such tool");
        assert!(err.to_string().contains("no tool"), "{err}");
    }

    /// Calls a tool that must fail as a tool error; its ErrorDoc (the CLI's --json error).
    fn error(&self, name: &str, args: Value) -> Value {
        let result = self.call_raw(name, args);
        assert_eq!(result.is_error, Some(true), "{name}: {result:?}");
        let texts: Vec<String> = result
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.clone()))
            .collect();
        let doc: Value = serde_json::from_str(texts.last().expect("content")).expect("JSON");
        assert_schema("error", &doc.to_string());
        assert!(texts[0].contains(doc["error"]["message"].as_str().unwrap_or("?")));
        doc
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            self.rt.block_on(client.cancel()).ok();
        }
    }
}

/// Each record of `records` (a JSON array) against docs/schema/<name>.json.
fn assert_each(name: &str, records: &Value) {
    let lines: Vec<String> = records
        .as_array()
        .expect("an array")
        .iter()
        .map(Value::to_string)
        .collect();
    assert_schema(name, &lines.join("\n"));
}

/// build (p:queue → p:built, dedup by url, escalating to review) and review (p:staged →
/// p:ready), as the escalation tests have it.
pub(crate) fn pipeline(r: &RedisServer, review_extra: &[&str]) {
    let mut review = Stage::new("review").input("p:staged").output("p:ready");
    for line in review_extra {
        review = review.extra(line);
    }
    Pipeline::new("p")
        .with(
            Stage::new("build")
                .input("p:queue")
                .output("p:built")
                .sh("cat")
                .dedup_by("url")
                .extra("escalate_to = \"review\"")
                .max_attempts(3)
                .timeout("10s"),
        )
        .with(
            Stage::new("enrich")
                .input("p:built")
                .output("p:done")
                .sh("cat"),
        )
        .with(review)
        .write(r.dir.path());
}

const READ: [&str; 8] = [
    "pipectl_audit",
    "pipectl_dead_list",
    "pipectl_find",
    "pipectl_saturation",
    "pipectl_seen",
    "pipectl_staged",
    "pipectl_stats",
    "pipectl_status",
];
const WORK: [&str; 7] = [
    "pipectl_claim",
    "pipectl_complete",
    "pipectl_count",
    "pipectl_defer",
    "pipectl_enqueue",
    "pipectl_escalate",
    "pipectl_fail",
];

const OPERATE: [&str; 3] = ["pipectl_dead_retry", "pipectl_pause", "pipectl_resume"];

fn sorted(lists: &[&[&str]]) -> Vec<String> {
    let mut all: Vec<String> = lists
        .iter()
        .flat_map(|l| l.iter().map(|s| s.to_string()))
        .collect();
    all.sort();
    all
}

#[test]
fn each_profile_lists_its_tools_with_schemas_and_annotations() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let reader = Mcp::start(&r, &["--profile", "reader"]);
    assert_eq!(reader.names(), sorted(&[&READ]));
    let worker = Mcp::start(&r, &[]);
    assert_eq!(
        worker.names(),
        sorted(&[&READ, &WORK]),
        "worker is the default"
    );
    let operator = Mcp::start(&r, &["--profile", "operator"]);
    assert_eq!(operator.names(), sorted(&[&READ, &WORK, &OPERATE]));
    for tool in operator.tools.values() {
        let a = tool.annotations.as_ref().expect("annotations");
        assert_eq!(a.read_only_hint, Some(READ.contains(&tool.name.as_ref())));
    }
    // --list-tools prints what tools/list answers.
    let listed = json(&r.run_json(&["mcp", "--profile", "operator", "--list-tools"]));
    assert_schema("mcp", &listed.to_string());
    let mut names: Vec<String> = listed["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, operator.names());
    for tool in worker.tools.values() {
        let name = &tool.name;
        assert!(
            tool.description.as_ref().is_some_and(|d| d.len() > 80),
            "{name}"
        );
        assert_eq!(
            tool.input_schema.get("type"),
            Some(&json!("object")),
            "{name}"
        );
        let output = tool.output_schema.as_ref().expect("an output schema");
        assert_eq!(output.get("type"), Some(&json!("object")), "{name}");
        let a = tool.annotations.as_ref().expect("annotations");
        let read = READ.contains(&name.as_ref());
        assert_eq!(a.read_only_hint, Some(read), "{name}");
        assert!(
            a.destructive_hint.is_some() && a.idempotent_hint.is_some(),
            "{name}"
        );
        if read {
            assert_eq!(
                (a.destructive_hint, a.idempotent_hint),
                (Some(false), Some(true))
            );
        }
    }
    // The work tools' main parameters are the contract.
    let props = |tool: &str| -> Vec<String> {
        let mut p: Vec<String> = worker.tools[tool].input_schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        p.sort();
        p
    };
    assert_eq!(props("pipectl_claim"), ["count", "lease", "stage"]);
    assert_eq!(
        props("pipectl_complete"),
        ["cost", "items", "stage", "token"]
    );
    assert_eq!(
        props("pipectl_fail"),
        ["cost", "dead", "reason", "retry_in", "stage", "token"]
    );
    assert_eq!(
        props("pipectl_escalate"),
        ["cost", "question", "replacement", "stage", "token"]
    );
}

#[test]
fn read_tools_answer_what_the_cli_prints_with_json() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let out = r.run_json(&[
        "enqueue",
        "p:queue",
        "--dedup-by",
        "url",
        r#"{"url":"a.com"}"#,
    ]);
    assert_code(&out, 0);
    let out = r.run_json(&["stage", r#"{"url":"s1.com"}"#, r#"{"url":"s2.com"}"#, "s3"]);
    assert_code(&out, 0);
    let out = r.run_json(&["pause", "enrich", "--reason", "maintenance"]);
    assert_code(&out, 0);
    r.cli(&["LPUSH", "p:failed", "a bare dead letter"]);
    let mcp = Mcp::start(&r, &["--profile", "reader"]);

    let status = mcp.call("pipectl_status", json!({}));
    assert_schema("status", &status.to_string());
    let cli = json(&r.run_json(&["status"]));
    let shape = |doc: &Value| -> Vec<(Value, Value, Value)> {
        doc["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .map(|s| {
                (
                    s["name"].clone(),
                    s["queued"].clone(),
                    s["paused_reason"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        shape(&status),
        shape(&cli),
        "the same document as the CLI's"
    );

    let page = mcp.call("pipectl_staged", json!({"limit": 2}));
    assert_each("staged", &page["items"]);
    assert_eq!(
        (page["total"].clone(), page["next_offset"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(page["items"][0]["item"], json!({"url": "s1.com"}));
    let rest = mcp.call("pipectl_staged", json!({"offset": 2}));
    assert_eq!(rest["items"][0]["item_text"], "s3");
    assert_eq!(rest["next_offset"], Value::Null);

    let seen = mcp.call("pipectl_seen", json!({"values": ["a.com", "b.com"]}));
    assert_schema("seen", &seen.to_string());
    assert_eq!(
        (seen["seen"].clone(), seen["new"].clone()),
        (json!(1), json!(1))
    );

    let audit = mcp.call("pipectl_audit", json!({"action": ["pause"], "limit": 5}));
    assert_each("audit", &audit["records"]);
    assert_eq!(audit["records"][0]["note"], "maintenance");
    assert_eq!(audit["records"][0]["by"], "tester");

    let dead = mcp.call("pipectl_dead_list", json!({}));
    assert_each("dead-ls", &dead["records"]);
    assert_eq!(dead["records"][0]["bare"], true);

    let stats = mcp.call("pipectl_stats", json!({"days": 2}));
    assert_schema("stats", &stats.to_string());
    let saturation = mcp.call("pipectl_saturation", json!({}));
    assert_schema("saturation", &saturation.to_string());

    // Bad input is a tool error naming the exit code, never a protocol error.
    let doc = mcp.error("pipectl_staged", json!({"limit": 100000}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_seen", json!({"values": "not a list"}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_dead_list", json!({"where": ["no operator"]}));
    assert_eq!(doc["error"]["name"], "usage");
}

#[test]
fn claim_complete_fail_and_escalate_move_items_as_the_runner_does() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &["--as", "bot"]);
    let items = json!([
        {"item": {"url": "a.com"}}, {"item": {"url": "b.com"}}, {"item": {"url": "c.com"}},
        {"item": {"url": "a.com"}}
    ]);
    let enq = mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": items, "dedup_by": "url"}),
    );
    assert_schema("enqueue", &enq.to_string());
    assert_eq!(
        (enq["enqueued"].clone(), enq["duplicates"].clone()),
        (json!(3), json!(1))
    );

    let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "count": 3}));
    assert_schema("pop", &claimed.to_string());
    let leases = claimed["items"].as_array().expect("items").clone();
    assert_eq!(leases.len(), 3);
    assert_eq!(leases[0]["item"], json!({"url": "a.com"}), "FIFO");
    let token = |i: usize| leases[i]["token"].as_str().expect("a token").to_owned();
    assert_eq!(r.llen("p:queue"), 0);

    // Complete a.com with two outputs: exactly those reach build's output, dedup applied.
    let done = mcp.call(
        "pipectl_complete",
        json!({"stage": "build", "token": token(0), "cost": {"usd": 0.02}, "items": [
            {"item": {"url": "a.com", "built": true}}, {"item": {"url": "x.com"}}
        ]}),
    );
    assert_eq!(
        r.cli(&["GET", &format!("stats:p:build:cost:usd:{}", today())]),
        "20000",
        "the cost counted in the same step"
    );
    // /metrics shows it, though the stage has no budget; a spoiled counter is exit 65.
    let metrics = stdout(&r.pipectl().arg("metrics").output().unwrap());
    assert!(
        metrics.contains(r#"pipectl_cost_today{stage="build",unit="usd"} 0.02"#),
        "{metrics}"
    );
    let cost_key = format!("stats:p:build:cost:usd:{}", today());
    r.cli(&["RENAME", &cost_key, "kept"]);
    r.cli(&["SADD", &cost_key, "x"]);
    let out = r.pipectl().arg("metrics").output().unwrap();
    assert_code(&out, 65);
    assert!(
        !stdout(&out).contains("pipectl_cost_today{"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("stage 'build'"), "{}", stderr(&out));
    r.cli(&["DEL", &cost_key]);
    r.cli(&["RENAME", "kept", &cost_key]);
    assert_eq!(
        (done["added"].clone(), done["to"].clone()),
        (json!(1), json!("p:built"))
    );
    assert_eq!(done["duplicates"], 1, "a.com was seen at enqueue");
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:built", "0", "-1"]),
        [r#"{"url":"x.com"}"#]
    );
    // The same token again: the lease is gone, nothing moves.
    let doc = mcp.error(
        "pipectl_complete",
        json!({"stage": "build", "token": token(0)}),
    );
    assert_eq!(doc["error"]["name"], "failure");
    assert_eq!(r.llen("p:built"), 1);

    // A bad cost is the agent's to fix: refused, the lease kept.
    let doc = mcp.error(
        "pipectl_fail",
        json!({"stage": "build", "token": token(1), "reason": "x", "cost": {"usd": "a lot"}}),
    );
    assert_eq!(doc["error"]["name"], "usage", "{doc}");
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("cost of usd is"),
        "{doc}"
    );
    // Fail b.com for good: a dead letter with the reason.
    let failed = mcp.call(
        "pipectl_fail",
        json!({"stage": "build", "token": token(1), "reason": "no such site", "dead": true}),
    );
    assert_schema("nack", &failed.to_string());
    assert_eq!(
        (failed["dead"].clone(), failed["to"].clone()),
        (json!(true), json!("p:failed"))
    );
    let dead = json_lines(&r.run_json(&["dead", "ls"]));
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["error"], "no such site");
    assert_eq!(dead[0]["stage"], "build");
    assert_eq!(dead[0]["item"], json!({"url": "b.com"}));

    // Escalate c.com: staged for review with the question, on record as by = bot.
    let asked = mcp.call(
        "pipectl_escalate",
        json!({"stage": "build", "token": token(2), "question": "Is c.com a real shop?"}),
    );
    assert_eq!(
        (asked["to"].clone(), asked["by"].clone()),
        (json!("p:staged"), json!("bot"))
    );
    let staged = json_lines(&r.run_json(&["staged"]));
    assert_eq!(staged.len(), 1);
    assert_eq!(staged[0]["question"], "Is c.com a real shop?");
    assert_eq!(staged[0]["asked_by"], "build");
    let audit = json_lines(&r.run_json(&["audit", "--action", "escalate"]));
    assert_eq!(audit[0]["by"], "bot");
    assert_eq!(audit[0]["item"], json!({"url": "c.com"}));
    // A person approves it with the CLI: on to build's output, as a handler's answer.
    assert_code(&r.run_json(&["approve", "1"]), 0);
    assert_eq!(r.llen("p:built"), 2);
    assert_eq!(r.llen("p:staged"), 0);

    // Nothing leased is left behind; the counters are the runner's.
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "0");
    let stats = mcp.call("pipectl_stats", json!({"days": 1}));
    let counter = |name: &str| {
        stats["counters"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["name"] == name))
            .map(|c| c["total"].clone())
    };
    assert_eq!(counter("p:build:succeeded"), Some(json!(1)));
    assert_eq!(counter("p:build:dead"), Some(json!(1)));
    assert_eq!(counter("p:build:escalated"), Some(json!(1)));
}

#[test]
fn defer_retry_and_count_settle_as_the_cli_reports() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &[]);
    mcp.call(
        "pipectl_enqueue",
        json!({"queue": "p:queue", "items": [{"item_text": "one"}]}),
    );
    // Bytes that are not UTF-8 (pushed by hand: enqueue refuses them, as the CLI does).
    let doc = mcp.error(
        "pipectl_enqueue",
        json!({"queue": "p:queue", "items": [{"item_base64": "/w=="}]}),
    );
    assert_eq!(doc["error"]["name"], "bad_data");
    let mut con = redis::Client::open(r.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: u64 = redis::cmd("LPUSH")
        .arg("p:queue")
        .arg(&b"\xff"[..])
        .query(&mut con)
        .unwrap();
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "count": 5}));
    let items = claimed["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "as many as there are");
    assert_eq!(items[1]["item_base64"], "/w==", "bytes stay bytes");
    let token = |i: usize| items[i]["token"].as_str().expect("a token").to_owned();
    let deferred = mcp.call(
        "pipectl_defer",
        json!({"stage": "build", "token": token(0), "after": "1h", "replacement": {"item_text": "one v2"}}),
    );
    assert_schema("nack", &deferred.to_string());
    assert_eq!(deferred["to"], "p:queue:delayed");
    assert_eq!(deferred["delay_ms"], 3_600_000);
    let retried = mcp.call(
        "pipectl_fail",
        json!({"stage": "build", "token": token(1), "reason": "flaky", "retry_in": "10m"}),
    );
    assert_eq!(
        (retried["dead"].clone(), retried["delay_ms"].clone()),
        (json!(false), json!(600_000))
    );
    let delayed = json_lines(&r.run_json(&["ls", "p:queue", "--delayed"]));
    assert_eq!(delayed.len(), 2);
    assert!(delayed.iter().any(|d| d["item_text"] == "one v2"));
    let counted = mcp.call("pipectl_count", json!({"name": "emails_sent", "by": 3}));
    assert_schema("count", &counted.to_string());
    assert_eq!(counted["count"], 3);
}

#[test]
fn refusals_are_tool_errors_with_the_exit_code_name_and_hint() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &["--stages", "build"]);
    let doc = mcp.error("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "nothing_to_do");
    assert!(doc["error"]["hint"].is_string());
    assert_code(&r.run_json(&["pause", "build", "--reason", "deploy"]), 0);
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": 1}]}),
    );
    let doc = mcp.error("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "paused");
    assert!(
        doc["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("deploy"))
    );
    assert_eq!(r.llen("p:queue"), 1, "nothing taken");
    // Outside --stages, unknown, manual: refused, nothing done.
    let doc = mcp.error("pipectl_claim", json!({"stage": "enrich"}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error(
        "pipectl_enqueue",
        json!({"queue": "p:built", "items": [{"item": 1}]}),
    );
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_claim", json!({"stage": "nope"}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error(
        "pipectl_complete",
        json!({"stage": "build", "token": "not a token"}),
    );
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error(
        "pipectl_complete",
        json!({"stage": "build", "token": "p:queue#0000.1"}),
    );
    assert_eq!(doc["error"]["name"], "failure");
    let doc = mcp.error("pipectl_claim", json!({"stage": "build", "count": 0}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_claim", json!({"stage": "build", "surprise": 1}));
    assert_eq!(doc["error"]["name"], "usage");
    // Invalid items: the whole batch refused, as the CLI refuses it.
    let doc = mcp.error(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": {"url": "ok"}}, {"item": {"no": "url"}}], "dedup_by": "url"}),
    );
    assert_eq!(doc["error"]["name"], "bad_data");
    let doc = mcp.error(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item_text": "a", "item": 1}]}),
    );
    assert_eq!(doc["error"]["name"], "bad_data");
    assert_eq!(r.llen("p:queue"), 1);
    // A tool the profile does not have is a protocol error; the session goes on.
    mcp.absent("pipectl_pause");
    mcp.call("pipectl_seen", json!({"values": ["x"]}));
}

#[test]
fn redis_unreachable_at_start_is_a_tool_error_not_a_dead_server() {
    let mut r = RedisServer::start();
    pipeline(&r, &[]);
    r.kill();
    let mcp = Mcp::start(&r, &[]);
    let doc = mcp.error("pipectl_status", json!({}));
    assert_eq!(doc["error"]["name"], "unavailable");
    // Still serving.
    let doc = mcp.error("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "unavailable");
    // Redis back: the next call connects.
    r.restart();
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": 1}]}),
    );
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(claimed["items"][0]["item"], 1);
    // Gone again mid-session (its data with it), and back: the call that finds the
    // connection dead says so (it may or may not have reached Redis), the next reconnects.
    r.restart();
    let first = mcp.call_raw("pipectl_status", json!({}));
    if first.is_error == Some(true) {
        assert!(format!("{:?}", first.content).contains("unavailable"));
    }
    let status = mcp.call("pipectl_status", json!({}));
    assert_eq!(status["stages"][0]["queued"], 0);
}

#[test]
fn an_operator_agent_pauses_resumes_and_retries_dead_letters_on_record() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &["--profile", "operator", "--as", "ops-bot"]);
    let paused = mcp.call(
        "pipectl_pause",
        json!({"stage": "build", "reason": "provider down"}),
    );
    assert_schema("pause", &paused.to_string());
    assert_eq!(r.cli(&["GET", "p:paused:build"]), "provider down");
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": {"url": "a.com"}}]}),
    );
    let doc = mcp.error("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "paused");
    let resumed = mcp.call("pipectl_resume", json!({"stage": "build", "note": "back"}));
    assert_schema("resume", &resumed.to_string());
    let doc = mcp.error("pipectl_resume", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "failure");

    let claimed = mcp.call("pipectl_claim", json!({"stage": "build"}));
    let token = claimed["items"][0]["token"].clone();
    mcp.call(
        "pipectl_fail",
        json!({"stage": "build", "token": token, "reason": "x", "dead": true}),
    );
    let doc = mcp.error("pipectl_dead_retry", json!({"stage": "enrich"}));
    assert_eq!(doc["error"]["name"], "nothing_to_do");
    let doc = mcp.error("pipectl_dead_retry", json!({"positions": [1], "all": true}));
    assert_eq!(doc["error"]["name"], "usage");
    let retried = mcp.call("pipectl_dead_retry", json!({"positions": [1]}));
    assert_schema("dead-retry", &retried.to_string());
    assert_eq!(retried["retried"], 1);
    assert_eq!(r.llen("p:failed"), 0);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:queue", "0", "-1"]),
        [r#"{"url":"a.com"}"#]
    );

    let audit = mcp.call("pipectl_audit", json!({"by": ["ops-bot"]}));
    let actions: Vec<&str> = audit["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["action"].as_str())
        .collect();
    // The agent's claim and fail are on record too, each in its own step.
    assert_eq!(
        actions,
        ["dead_retry", "fail", "claim", "resume", "enqueue", "pause"],
        "newest first"
    );
    assert_eq!(audit["records"][3]["note"], "back");
    let enqueued = &audit["records"][4];
    assert_eq!(
        (
            enqueued["fields"]["added"].clone(),
            enqueued["fields"]["queue"].clone()
        ),
        (json!("1"), json!("p:queue"))
    );
}

#[test]
fn an_agent_limited_to_some_stages_cannot_operate_others() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &["--profile", "operator", "--stages", "build"]);
    let doc = mcp.error("pipectl_pause", json!({"stage": "enrich"}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_dead_retry", json!({"all": true}));
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error("pipectl_staged", json!({}));
    assert_eq!(
        doc["error"]["name"], "usage",
        "review is not one of its stages"
    );
    assert_eq!(r.cli(&["EXISTS", "p:paused:enrich"]), "0");
}

#[test]
fn approve_and_reject_exist_only_where_agent_may_decide_and_go_on_record() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &["--profile", "operator"]);
    assert!(
        !mcp.tools.contains_key("pipectl_approve"),
        "a person decides by default"
    );
    mcp.absent("pipectl_approve");
    drop(mcp);

    // review lets an agent decide; vet (another manual stage) does not.
    let text = std::fs::read_to_string(r.dir.path().join("pipectl.toml")).expect("config");
    let text = text.replace(
        "[stages.review]\n",
        "[stages.vet]\ninput = \"p:vet\"\noutput = \"p:vetted\"\n\n[stages.review]\nagent_may_decide = true\n",
    );
    std::fs::write(r.dir.path().join("pipectl.toml"), text).expect("write");
    let reader = Mcp::start(&r, &["--profile", "reader"]);
    assert!(!reader.tools.contains_key("pipectl_approve"));
    let limited = Mcp::start(&r, &["--stages", "build,vet"]);
    assert!(
        !limited.tools.contains_key("pipectl_approve"),
        "review is not open to it"
    );
    let mcp = Mcp::start(&r, &["--as", "judge-bot"]);
    assert!(mcp.tools.contains_key("pipectl_approve") && mcp.tools.contains_key("pipectl_reject"));
    let a = mcp.tools["pipectl_reject"]
        .annotations
        .clone()
        .expect("annotations");
    assert_eq!(a.destructive_hint, Some(true));

    mcp.call("pipectl_enqueue", json!({"stage": "build", "items": [{"item": {"url": "a.com"}}, {"item": {"url": "b.com"}}]}));
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "count": 2}));
    for lease in claimed["items"].as_array().expect("items") {
        mcp.call(
            "pipectl_escalate",
            json!({"stage": "build", "token": lease["token"], "question": "real?"}),
        );
    }
    assert_code(
        &r.run_json(&["stage", "--stage", "vet", r#"{"url":"v.com"}"#]),
        0,
    );
    let doc = mcp.error("pipectl_approve", json!({"stage": "vet", "all": true}));
    assert_eq!(doc["error"]["name"], "usage");
    assert_eq!(r.llen("p:vet"), 1, "vet keeps its item for a person");
    let doc = mcp.error("pipectl_approve", json!({"stage": "review"}));
    assert_eq!(doc["error"]["name"], "usage", "a selection is needed");

    let approved = mcp.call(
        "pipectl_approve",
        json!({"stage": "review", "positions": ["1"]}),
    );
    assert_schema("approve", &approved.to_string());
    assert_eq!(approved["moved"], 1);
    assert_eq!(
        r.cli_lines(&["LRANGE", "p:built", "0", "-1"]),
        [r#"{"url":"a.com"}"#]
    );
    let rejected = mcp.call(
        "pipectl_reject",
        json!({"stage": "review", "where": ["url=b.com"], "reason": "not real"}),
    );
    assert_schema("reject", &rejected.to_string());
    assert_eq!(rejected["moved"], 1);
    let doc = mcp.error("pipectl_reject", json!({"stage": "review", "all": true}));
    assert_eq!(doc["error"]["name"], "nothing_to_do");

    let audit = json_lines(&r.run_json(&["audit", "--by", "judge-bot"]));
    let actions: Vec<&str> = audit.iter().filter_map(|a| a["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "reject", "approve", "escalate", "escalate", "claim", "claim", "enqueue"
        ]
    );
    assert_eq!(audit[1]["item"], json!({"url": "a.com"}));
}

#[test]
fn two_agents_never_get_the_same_item_and_a_killed_sessions_leases_come_back() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let items: Vec<Value> = (0..40)
        .map(|i| json!({"item": {"url": format!("{i}.com")}}))
        .collect();
    let first = Mcp::start(&r, &[]);
    first.call("pipectl_enqueue", json!({"stage": "build", "items": items}));
    let claims = |mcp: Mcp| {
        let mut got = Vec::new();
        for _ in 0..4 {
            let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "count": 5}));
            for lease in claimed["items"].as_array().expect("items") {
                got.push((lease["token"].to_string(), lease["item"].to_string()));
            }
        }
        got
    };
    let second = Mcp::start(&r, &[]);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| claims(first));
        let b = s.spawn(|| claims(second));
        (a.join().expect("agent a"), b.join().expect("agent b"))
    });
    let mut all: Vec<(String, String)> = a.into_iter().chain(b).collect();
    let items: std::collections::HashSet<&String> = all.iter().map(|(_, item)| item).collect();
    assert_eq!((all.len(), items.len()), (40, 40), "each item leased once");
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 40);
    assert_eq!(r.llen("p:queue"), 0);

    // A session killed with leases out: they expire and the items come back, none lost.
    let mcp = Mcp::start(&r, &[]);
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": "late"}]}),
    );
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "lease": "300ms"}));
    assert_eq!(claimed["items"][0]["item"], "late");
    drop(mcp);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let again = Mcp::start(&r, &[]);
    let claimed = again.call("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(claimed["items"][0]["item"], "late");
    assert_eq!(claimed["items"][0]["attempt"], 2);
}

#[test]
fn spoiled_keys_and_bad_outputs_are_tool_errors_that_change_nothing() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let mcp = Mcp::start(&r, &[]);
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": [{"item": {"url": "a.com"}}]}),
    );
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build"}));
    let token = claimed["items"][0]["token"].clone();
    // build dedups by url: an output without it is refused whole, the lease kept.
    let doc = mcp.error(
        "pipectl_complete",
        json!({"stage": "build", "token": token, "items": [{"item": {"url": "b.com"}}, {"item": {"no": 1}}]}),
    );
    assert_eq!(doc["error"]["name"], "bad_data");
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "1");
    assert_eq!(r.llen("p:built"), 0);
    // The output list spoiled: refused, nothing moved; a token of another stage is refused.
    r.cli(&["SET", "p:built", "not a list"]);
    let doc = mcp.error(
        "pipectl_complete",
        json!({"stage": "build", "token": token, "items": [{"item": {"url": "b.com"}}]}),
    );
    assert_eq!(doc["error"]["name"], "bad_data");
    assert_eq!(r.cli(&["HLEN", "p:queue:leased"]), "1");
    let doc = mcp.error(
        "pipectl_fail",
        json!({"stage": "enrich", "token": token, "reason": "x"}),
    );
    assert_eq!(doc["error"]["name"], "usage");
    let doc = mcp.error(
        "pipectl_escalate",
        json!({"stage": "build", "token": token, "question": " "}),
    );
    assert_eq!(doc["error"]["name"], "usage");
    r.cli(&["DEL", "p:built"]);
    let done = mcp.call(
        "pipectl_complete",
        json!({"stage": "build", "token": token}),
    );
    assert_eq!(
        (done["added"].clone(), done["to"].clone()),
        (json!(0), json!("p:built"))
    );
    // A queue holding another type: claim and status answer 65, the server goes on.
    r.cli(&["SET", "p:queue", "oops"]);
    let doc = mcp.error("pipectl_claim", json!({"stage": "build"}));
    assert_eq!(doc["error"]["name"], "bad_data");
    assert_eq!(r.cli(&["GET", "p:queue"]), "oops");
    mcp.call("pipectl_seen", json!({"values": ["a.com"]}));
}

#[test]
fn the_work_loop_on_a_cluster() {
    let c = crate::support::cluster::RedisCluster::start();
    Pipeline::new("{p}")
        .with(
            Stage::new("build")
                .input("{p}:queue")
                .output("{p}:built")
                .sh("cat")
                .dedup_by("url")
                .extra("escalate_to = \"review\""),
        )
        .stage("review", |s| s.input("{p}:staged").output("{p}:ready"))
        .write(c.dir.path());
    let mut cmd = c.pipectl();
    cmd.args(["mcp", "--as", "bot"])
        .stderr(std::process::Stdio::null());
    let mcp = Mcp::spawn(cmd);
    let items =
        json!([{"item": {"url": "a.com"}}, {"item": {"url": "b.com"}}, {"item": {"url": "c.com"}}]);
    mcp.call(
        "pipectl_enqueue",
        json!({"stage": "build", "items": items, "dedup_by": "url"}),
    );
    let claimed = mcp.call("pipectl_claim", json!({"stage": "build", "count": 3}));
    let token = |i: usize| claimed["items"][i]["token"].clone();
    mcp.call(
        "pipectl_complete",
        json!({"stage": "build", "token": token(0), "items": [{"item": {"url": "x.com"}}]}),
    );
    mcp.call(
        "pipectl_fail",
        json!({"stage": "build", "token": token(1), "reason": "no", "dead": true}),
    );
    mcp.call(
        "pipectl_escalate",
        json!({"stage": "build", "token": token(2), "question": "ok?"}),
    );
    assert_eq!(c.lrange("{p}:built"), [r#"{"url":"x.com"}"#]);
    assert_eq!(c.llen("{p}:failed"), 1);
    assert_eq!(c.llen("{p}:staged"), 1);
    let status = mcp.call("pipectl_status", json!({}));
    assert_schema("status", &status.to_string());
    let audit = mcp.call("pipectl_audit", json!({"action": ["escalate"]}));
    assert_eq!(audit["records"][0]["by"], "bot");
}

#[test]
fn a_claim_spends_the_stages_rate_limit_and_gives_back_what_it_did_not_use() {
    let r = RedisServer::start();
    Pipeline::new("p")
        .with(Stage::new("send").input("p:outbox").sh("cat").rate_limit(
            "p:ratelimit:send",
            3,
            "1h",
        ))
        .write(r.dir.path());
    let mcp = Mcp::start(&r, &[]);
    let doc = mcp.error("pipectl_claim", json!({"stage": "send", "count": 3}));
    assert_eq!(doc["error"]["name"], "nothing_to_do");
    let items: Vec<Value> = (0..5).map(|i| json!({"item": i})).collect();
    mcp.call("pipectl_enqueue", json!({"stage": "send", "items": items}));
    let claimed = mcp.call("pipectl_claim", json!({"stage": "send", "count": 2}));
    assert_eq!(claimed["items"].as_array().map(Vec::len), Some(2));
    let claimed = mcp.call("pipectl_claim", json!({"stage": "send", "count": 5}));
    assert_eq!(
        claimed["items"].as_array().map(Vec::len),
        Some(1),
        "what is left of 3 an hour"
    );
    let doc = mcp.error("pipectl_claim", json!({"stage": "send"}));
    assert_eq!(doc["error"]["name"], "rate_limited");
    assert_eq!(r.llen("p:outbox"), 2);
    // A stage without output: completing drops the item, and the answer says so.
    let token = claimed["items"][0]["token"].clone();
    let done = mcp.call(
        "pipectl_complete",
        json!({"stage": "send", "token": token, "items": [{"item": 9}]}),
    );
    assert_eq!(
        (done["to"].clone(), done["added"].clone()),
        (Value::Null, json!(0))
    );
}

/// A guarded stage's claim is refused as `run` refuses: outside the sending window (exit
/// 4's name), once the budget is spent (exit 5's), the items left where they were.
#[test]
fn a_claim_honours_the_stages_window_and_budget() {
    let r = RedisServer::start();
    Pipeline::new("p")
        .with(
            Stage::new("send")
                .input("p:outbox")
                .sh(r#"cat >/dev/null; echo '{"cost": {"sms": 1}}' > "$PIPECTL_CONTROL""#)
                .extra(r#"window = { days = "mon-fri", hours = "09:00-18:00", tz = "America/Chicago" }"#)
                .extra(r#"budget = { sms = 1, per = "1d" }"#),
        )
        .write(r.dir.path());
    for i in 0..3 {
        r.cli(&["LPUSH", "p:outbox", &format!("{{\"n\":{i}}}")]);
    }
    let session = |now: &str| {
        let mut cmd = r.pipectl();
        cmd.env("PIPECTL_TEST_NOW", now)
            .arg("mcp")
            .stderr(std::process::Stdio::null());
        Mcp::spawn(cmd)
    };
    let (saturday, friday) = ("2026-12-05T18:00:00Z", "2026-12-04T16:00:00Z");
    let doc = session(saturday).error("pipectl_claim", json!({"stage": "send"}));
    assert_eq!(doc["error"]["name"], "paused");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("outside the sending window; opens 2026-12-07T09:00:00-06:00"),
        "{message}"
    );
    assert_eq!(r.llen("p:outbox"), 3);
    // One item sent spends the budget of one text.
    let out = r
        .pipectl()
        .env("PIPECTL_TEST_NOW", friday)
        .args(["--json", "run", "send", "--drain"])
        .output()
        .unwrap();
    assert_code(&out, 5);
    let mcp = session(friday);
    let doc = mcp.error("pipectl_claim", json!({"stage": "send", "count": 2}));
    assert_eq!(doc["error"]["name"], "rate_limited");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("budget sms spent (1 of 1); it resets in"),
        "{message}"
    );
    assert_eq!(r.llen("p:outbox"), 2);
    assert_eq!(r.cli(&["EXISTS", "p:outbox:leases"]), "0");
    // Nothing claimed, nothing on record as claimed.
    let audit = r.cli_lines(&["XRANGE", "p:audit", "-", "+"]).join("\n");
    assert!(!audit.contains("claim"), "{audit}");
}

#[test]
fn find_pages_through_a_list_as_the_cli_numbers_it() {
    let r = RedisServer::start();
    pipeline(&r, &[]);
    let items: Vec<String> = (1..=1205)
        .map(|i| format!(r#"{{"url":"{i}.com","even":{}}}"#, i % 2 == 0))
        .collect();
    let mut args = vec!["enqueue", "p:queue"];
    args.extend(items.iter().map(String::as_str));
    assert_code(&r.run_json(&args), 0);
    let mcp = Mcp::start(&r, &["--profile", "reader"]);
    let page = mcp.call(
        "pipectl_find",
        json!({"list": "p:queue", "where": ["even=true"], "limit": 200}),
    );
    assert_each("find", &page["items"]);
    assert_eq!(page["items"][0]["pos"], 2);
    assert_eq!(page["items"][0]["item"]["url"], "2.com");
    assert_eq!(page["next_offset"], 200);
    let last = mcp.call(
        "pipectl_find",
        json!({"list": "p:queue", "where": ["even=true"], "offset": 600}),
    );
    assert_eq!(last["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(last["items"][1]["pos"], 1204, "past the first page of 1000");
    assert_eq!(last["next_offset"], Value::Null);
    let cli = json_lines(&r.run_json(&["find", "p:queue", "--where", "even=true"]));
    assert_eq!(cli.len(), 602);
    assert_eq!(cli[601], last["items"][1]);
    let none = mcp.call("pipectl_find", json!({"list": "p:nothing"}));
    assert_eq!(none["items"], json!([]));
}

#[test]
fn agent_may_decide_belongs_to_a_manual_stage() {
    let r = RedisServer::start();
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue")
                .sh("cat")
                .extra("agent_may_decide = true")
        })
        .write(r.dir.path());
    let out = r.run_json(&["mcp", "--list-tools"]);
    assert_code(&out, 78);
    assert!(
        stderr(&out).contains("agent_may_decide"),
        "{}",
        stderr(&out)
    );
}
