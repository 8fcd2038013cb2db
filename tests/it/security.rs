//! Security against real servers: the README's ACL line (exactly the commands pipectl
//! needs) and NOPERM named; secrets never printed anywhere in a full run; item data never
//! reaching a shell. TLS is in security_tls.rs.

use std::path::Path;
use std::process::Output;

use crate::support::http::{HttpServer, Reply};
use crate::support::*;

// ---- ACL ----

/// The `ACL SETUSER pipeline …` line of the README, as its words.
fn readme_acl() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let line = readme
        .lines()
        .find(|l| l.starts_with("redis-cli ACL SETUSER pipeline "))
        .expect("the README gives the ACL line");
    line.split_whitespace()
        .skip(1)
        .map(|w| w.trim_matches('\'').to_owned())
        .collect()
}

/// Applies the README's line, minus `without`, with password `pw`.
fn set_user(r: &RedisServer, without: &[&str]) {
    let mut words: Vec<String> = readme_acl()
        .into_iter()
        .filter(|w| !without.contains(&w.as_str()))
        .map(|w| {
            if w.starts_with('>') {
                ">pw".to_owned()
            } else {
                w
            }
        })
        .collect();
    words.insert(3, "reset".to_owned());
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    assert_eq!(r.cli(&args), "OK");
}

fn acl_setup(r: &RedisServer) {
    Pipeline::unnamed()
        .stage("build", |s| {
            s.input("prospect:queue")
                .output("prospect:staged")
                .exec(&["./h.sh"])
                .max_attempts(2)
                .backoff("100ms")
                .max_backoff("100ms")
                .timeout("2s")
                .rate_limit("outreach:ratelimit:sms", 1000, "1h")
        })
        .stage("review", |s| {
            s.input("prospect:staged").output("prospect:ready")
        })
        .write(r.dir.path());
    handler(
        r.dir.path(),
        "h.sh",
        r#"item=$(cat)
case "$item" in *bad*) exit 65;; *retry*) exit 75;; esac
printf '%s\n' "$item""#,
    );
}

/// Every worker command, in an order that reaches every script path. Returns the first step
/// that did not exit as expected: (step, its output).
fn worker_commands(r: &RedisServer) -> Option<(String, Output)> {
    r.cli(&["FLUSHALL"]);
    r.cli(&["SCRIPT", "FLUSH"]);
    let url = format!("redis://pipeline:pw@127.0.0.1:{}", r.port);
    let run = |args: &[&str]| {
        r.pipectl()
            .env("REDIS_URL", &url)
            .args(args)
            .output()
            .unwrap()
    };
    let token = |out: &Output| -> String {
        serde_json::from_str::<serde_json::Value>(stdout(out).trim()).map_or(String::new(), |v| {
            v["token"].as_str().unwrap_or_default().to_owned()
        })
    };
    let enqueue = |items: &[&str]| {
        let mut args = vec!["enqueue", "prospect:queue"];
        args.extend_from_slice(items);
        run(&args)
    };
    let mut steps: Vec<(String, Vec<i32>, Output)> = Vec::new();
    let mut step = |name: &str, ok: &[i32], out: Output| {
        steps.push((name.to_owned(), ok.to_vec(), out));
    };
    step(
        "enqueue",
        &[0],
        enqueue(&[r#"{"url":"a"}"#, r#"{"url":"bad"}"#, r#"{"url":"retry"}"#]),
    );
    step(
        "enqueue --dedup-by",
        &[0],
        run(&[
            "enqueue",
            "prospect:queue",
            "--dedup-by",
            "url",
            r#"{"url":"b"}"#,
            r#"{"url":"b"}"#,
        ]),
    );
    step("len", &[0], run(&["len", "prospect:queue"]));
    step("peek", &[0], run(&["peek", "prospect:queue"]));
    step("ls", &[0], run(&["ls", "prospect:queue"]));
    step(
        "enqueue --in --dedup-by",
        &[0],
        run(&[
            "enqueue",
            "prospect:queue",
            "--in",
            "1h",
            "--dedup-by",
            "url",
            r#"{"url":"later"}"#,
        ]),
    );
    step(
        "ls --delayed",
        &[0],
        run(&["ls", "prospect:queue", "--delayed"]),
    );
    step("seen", &[0, 1], run(&["seen", "a"]));
    step("count", &[0], run(&["count", "prospects"]));
    for nack in [
        &["ack"][..],
        &["nack", "--delay", "1s"],
        &["nack", "--dead"],
        &["nack"],
    ] {
        let leased = run(&["pop", "prospect:queue", "--lease", "1m"]);
        let t = token(&leased);
        step("pop --lease", &[0], leased);
        let mut args = vec![nack[0], t.as_str()];
        args.extend_from_slice(&nack[1..]);
        step(&nack.join(" "), &[0], run(&args));
    }
    step(
        "enqueue",
        &[0],
        enqueue(&[r#"{"url":"c"}"#, r#"{"url":"bad2"}"#, r#"{"url":"retry2"}"#]),
    );
    step(
        "run",
        &[0, 1],
        run(&["run", "build", "--drain", "--wait", "1500ms"]),
    );
    step(
        "enqueue",
        &[0],
        enqueue(&[r#"{"url":"e"}"#, r#"{"url":"f"}"#, r#"{"url":"g"}"#]),
    );
    step(
        "pop --lease",
        &[0],
        run(&["pop", "prospect:queue", "--lease", "1m"]),
    );
    step(
        "pop --lease",
        &[0],
        run(&["pop", "prospect:queue", "--lease", "100ms"]),
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    step("recover", &[0], run(&["recover"]));
    step("stats", &[0], run(&["stats"]));
    step("pop", &[0], run(&["pop", "prospect:queue"]));
    let status = run(&["--json", "status"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&status)).unwrap_or_default();
    let cell_errors = doc["stages"]
        .as_array()
        .is_none_or(|stages| stages.iter().any(|s| s["errors"] != serde_json::json!([])));
    step("status", if cell_errors { &[-1] } else { &[0] }, status);
    steps
        .into_iter()
        .find(|(_, ok, out)| !ok.contains(&out.status.code().unwrap_or(-2)))
        .map(|(name, _, out)| (name, out))
}

#[test]
fn the_readme_acl_line_runs_every_worker_command_and_a_missing_one_is_named() {
    let r = RedisServer::start();
    acl_setup(&r);
    set_user(&r, &[]);
    if let Some((step, out)) = worker_commands(&r) {
        panic!(
            "{step} failed under the README's ACL line: {}",
            stderr(&out)
        );
    }
    // A command missing, outside a script, inside a script (Redis names only the line), and
    // behind pcall: exit 77 naming it.
    for (missing, name) in [
        ("+lpush", "LPUSH"),
        ("+zscan", "ZSCAN"),
        ("+incrby", "INCRBY"),
    ] {
        set_user(&r, &[missing]);
        let (step, out) = worker_commands(&r).expect("a step fails");
        assert_code(&out, 77);
        assert!(
            stderr(&out).contains(&format!("the Redis user may not run {name}"))
                && stderr(&out).contains(&format!("+{}", name.to_lowercase())),
            "{step}: {}",
            stderr(&out)
        );
    }
    // A key outside the patterns: named as a key permission.
    set_user(&r, &[]);
    let out = r
        .pipectl()
        .env(
            "REDIS_URL",
            format!("redis://pipeline:pw@127.0.0.1:{}", r.port),
        )
        .args(["enqueue", "leads:queue", "x"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(
        stderr(&out).contains("may not access a key"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_command_refused_half_way_never_loses_the_item() {
    // Scripts write where an item goes before they remove it from where it was: a
    // permission missing half-way leaves a copy behind (at least once), never none.
    let r = RedisServer::start();
    acl_setup(&r);
    let url = format!("redis://pipeline:pw@127.0.0.1:{}", r.port);
    let copies = |r: &RedisServer| -> usize {
        let places = r.whereabouts(&["prospect:queue"], &["prospect:staged"], "prospect:failed");
        places
            .values()
            .flatten()
            .filter(|i| i.contains("\"x\""))
            .count()
    };
    for missing in ["+hdel", "+zrem", "+lpush", "+rpop", "+hset"] {
        r.cli(&["FLUSHALL"]);
        set_user(&r, &[]);
        let out = r
            .pipectl()
            .env("REDIS_URL", &url)
            .args(["enqueue", "prospect:queue", r#"{"url":"x"}"#])
            .output()
            .unwrap();
        assert_code(&out, 0);
        set_user(&r, &[missing]);
        let out = r
            .pipectl()
            .env("REDIS_URL", &url)
            .args(["run", "build"])
            .output()
            .unwrap();
        assert_code(&out, 77);
        assert!(copies(&r) >= 1, "without {missing} the item was lost");
    }
    // Enqueue with dedup pushes before it marks the value seen: without SADD the item is in
    // (and a rerun could add it again), never marked seen and missing.
    r.cli(&["FLUSHALL"]);
    set_user(&r, &["+sadd"]);
    let out = r
        .pipectl()
        .env("REDIS_URL", &url)
        .args([
            "enqueue",
            "prospect:queue",
            "--dedup-by",
            "url",
            r#"{"url":"x"}"#,
        ])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert_eq!(copies(&r), 1);
    assert_eq!(r.cli(&["EXISTS", "prospect:seen"]), "0");
}

/// Every command of the README's line is needed: without any one of them, some worker
/// command fails with 77 naming it. Slow (a full round per command): `cargo test -- --ignored`.
#[test]
#[ignore = "slow: runs every worker command once per ACL command"]
fn the_readme_acl_line_is_minimal() {
    let r = RedisServer::start();
    acl_setup(&r);
    let commands: Vec<String> = readme_acl()
        .into_iter()
        .filter(|w| w.starts_with('+'))
        .collect();
    for command in &commands {
        set_user(&r, &[command.as_str()]);
        match worker_commands(&r) {
            None => panic!("{command} is not needed"),
            Some((step, out)) => eprintln!(
                "without {command}: {step} fails ({})",
                stderr(&out).lines().next().unwrap_or("status cells")
            ),
        }
    }
}

// ---- secrets ----

#[test]
fn secrets_never_appear_in_any_output_of_a_full_run() {
    const REDIS_PW: &str = "redis-secret-7f3a9c";
    const TOKEN: &str = "token-secret-4b2e8d";
    const URL_KEY: &str = "urlkey-secret-9d1c6a";
    let r = RedisServer::start_with(&["--requirepass", REDIS_PW]);
    let http = HttpServer::start(vec![
        Reply::new(503, "busy"),
        // A server that echoes the token back in its error body.
        Reply::new(401, &format!("bad token {TOKEN}")),
        Reply::new(200, ""),
    ]);
    let closed = free_port();
    let bearer = ("Authorization", "Bearer ${TOKEN}");
    Pipeline::new("p")
        .stage("send", |s| {
            s.input("p:ready")
                .output("p:sent")
                .max_attempts(2)
                .backoff("10ms")
                .timeout("2s")
                .http(
                    &format!("{}?key=${{URL_KEY}}", http.url("/send")),
                    &[bearer, ("X-Literal", "literal-secret-55aa")],
                    false,
                )
        })
        .stage("down", |s| {
            s.input("p:down")
                .output("p:sent")
                .max_attempts(1)
                .timeout("2s")
                .http(
                    &format!("http://127.0.0.1:{closed}/x?key=${{URL_KEY}}"),
                    &[bearer],
                    false,
                )
        })
        .write(r.dir.path());
    let url = format!("redis://:{REDIS_PW}@127.0.0.1:{}", r.port);
    let mut outputs: Vec<Output> = Vec::new();
    let mut pipectl = |env_auth: bool, args: &[&str]| {
        let mut cmd = r.pipectl();
        cmd.env("TOKEN", TOKEN).env("URL_KEY", URL_KEY);
        if env_auth {
            cmd.env("REDISCLI_AUTH", REDIS_PW);
        } else {
            cmd.env("REDIS_URL", &url);
        }
        let out = cmd.args(args).output().unwrap();
        outputs.push(out);
    };
    for auth in [false, true] {
        for args in [
            &[
                "-vv",
                "enqueue",
                "p:ready",
                "{\"n\":1}",
                "{\"n\":2}",
                "{\"n\":3}",
            ][..],
            &["-vv", "enqueue", "p:down", "{\"n\":4}"],
            &["-vv", "run", "send", "--drain", "--wait", "1s"],
            &["-vv", "--json", "run", "send", "--drain"],
            &["-vv", "run", "down", "--drain"],
            &["-vv", "config", "show"],
            &["-vv", "--json", "config", "show"],
            &["-vv", "status"],
            &["-vv", "--json", "status"],
            &["-vv", "doctor"],
            &["-vv", "dead", "ls"],
            &["-vv", "--json", "dead", "ls"],
            &["-vv", "dead", "show", "1"],
            &["-vv", "stats"],
            &[
                "-vv",
                "--url",
                "redis://:wrong-pw-for-the-log@127.0.0.1:1",
                "len",
                "q",
            ],
        ] {
            pipectl(auth, args);
        }
    }
    // A wrong password, in the URL and in REDISCLI_AUTH: refused without repeating it.
    let out = r
        .pipectl()
        .args([
            "-vv",
            "--url",
            &format!("redis://:{REDIS_PW}-wrong@127.0.0.1:{}", r.port),
            "len",
            "q",
        ])
        .output()
        .unwrap();
    assert_code(&out, 77);
    outputs.push(out);
    let out = r
        .pipectl()
        .env("REDISCLI_AUTH", format!("{REDIS_PW}-wrong"))
        .args(["-vv", "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    outputs.push(out);

    let all: String = outputs
        .iter()
        .map(|o| format!("{}{}", stdout(o), stderr(o)))
        .collect();
    // The full run really ran: items were sent, retried, dead-lettered, shown.
    assert!(http.requests().len() >= 3, "{all}");
    assert!(all.contains("HTTP 401") && all.contains("POST"), "{all}");
    for secret in [
        REDIS_PW,
        TOKEN,
        URL_KEY,
        "literal-secret-55aa",
        "wrong-pw-for-the-log",
    ] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
    // Nor in what pipectl wrote to Redis (dead-letter reasons).
    let stored = format!("{:?}", r.snapshot());
    for secret in [TOKEN, URL_KEY] {
        assert!(
            !stored.contains(secret),
            "{secret} stored in Redis: {stored}"
        );
    }
    // The token did reach the server.
    assert_eq!(
        http.requests()[0].header("Authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

// ---- handlers ----

#[test]
fn item_data_reaches_a_handler_only_on_stdin_never_through_a_shell() {
    let r = RedisServer::start();
    // The handler records its argv; the item is shell syntax that would leave files behind
    // if it were ever interpolated into a command line.
    handler(
        r.dir.path(),
        "h.sh",
        r#"printf '%s\n' "$@" > argv.txt
cat"#,
    );
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue").output("p:done").exec(&[
                "./h.sh",
                "${HOME}",
                "$(touch argv-ran)",
                "a b",
            ])
        })
        .write(r.dir.path());
    let item = r#"{"name":"$(touch item-ran) `touch item-ran2`; touch item-ran3 | touch item-ran4 && touch item-ran5 'x' \"y\""}"#;
    r.cli(&["LPUSH", "p:queue", item]);
    let out = r.pipectl().args(["run", "build"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli(&["RPOP", "p:done"]), item, "byte for byte");
    let argv = std::fs::read_to_string(r.dir.path().join("argv.txt")).unwrap();
    assert_eq!(
        argv, "${HOME}\n$(touch argv-ran)\na b\n",
        "argv as written, unexpanded"
    );
    for file in [
        "argv-ran",
        "item-ran",
        "item-ran2",
        "item-ran3",
        "item-ran4",
        "item-ran5",
    ] {
        assert!(
            !r.dir.path().join(file).exists(),
            "{file}: something ran a shell"
        );
    }
}
