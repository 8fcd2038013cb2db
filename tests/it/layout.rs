//! Pipeline layouts that feed items back where they do not belong are refused (exit 78),
//! naming the keys and the fix; the example and starter configs still load.

use crate::support::*;

fn refused(r: &RedisServer, toml: &str, needles: &[&str]) {
    write_file(r.dir.path(), "pipectl.toml", toml);
    for args in [
        vec!["config", "show"],
        vec!["run", "a"],
        vec!["enqueue", "somewhere", "x"],
        vec!["--json", "status"],
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 78);
        let mut err = stderr(&out);
        if args[0] == "--json" {
            let doc = json_stderr(&out);
            assert_eq!(doc["error"]["code"], 78);
            err = format!(
                "error: {}\n  hint: {}",
                doc["error"]["message"].as_str().unwrap(),
                doc["error"]["hint"].as_str().unwrap()
            );
        }
        for needle in needles {
            assert!(err.contains(needle), "{args:?}: {needle:?} not in\n{err}");
        }
    }
    // `doctor` runs its other checks and reports the config as a FAIL with the same words.
    let out = r.pipectl().arg("doctor").output().unwrap();
    assert_code(&out, 1);
    let text = stdout(&out) + &stderr(&out);
    assert!(text.contains("FAIL") && text.contains(needles[0]), "{text}");
    assert_eq!(r.cli(&["DBSIZE"]), "0", "nothing was written");
}

const A: &str = r#"[stages.a]
input = "p:queue"
output = "p:done"
exec = ["cat"]
"#;

#[test]
fn dead_letters_equal_to_a_stage_input_is_refused() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!(
            r#"[pipeline]
name = "p"
dead_letters = "p:queue"

{A}"#
        ),
        &[
            "'p:queue' is both the dead-letter list ([pipeline] dead_letters) and the input of stage 'a'",
            "fed back to stage 'a'",
            r#"hint: give [pipeline] dead_letters or [stages.a] input a key of its own (e.g. [pipeline] dead_letters = "p:failed", the default)"#,
        ],
    );
    // The same with the defaults: an input named like the default dead-letter list.
    refused(
        &r,
        r#"[pipeline]
name = "p"
[stages.a]
input = "p:failed"
exec = ["cat"]
"#,
        &[
            "'p:failed' is both the dead-letter list",
            "input of stage 'a'",
        ],
    );
    // And as a stage's output: its results would be taken for dead letters.
    refused(
        &r,
        r#"[pipeline]
name = "p"
[stages.a]
input = "p:queue"
output = "p:failed"
exec = ["cat"]
"#,
        &[
            "'p:failed' is both the dead-letter list ([pipeline] dead_letters) and the output of stage 'a'",
            "give [pipeline] dead_letters or [stages.a] output a key of its own",
        ],
    );
}

#[test]
fn the_rejected_list_equal_to_a_stage_input_or_the_dead_letters_is_refused() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!(
            r#"[pipeline]
name = "p"
rejected = "p:queue"

{A}"#
        ),
        &[
            "'p:queue' is both the rejected list ([pipeline] rejected) and the input of stage 'a'",
            "rejected at review would be fed back to stage 'a'",
            r#"e.g. [pipeline] rejected = "p:rejected", the default"#,
        ],
    );
    refused(
        &r,
        &format!(
            r#"[pipeline]
name = "p"
rejected = "p:failed"

{A}"#
        ),
        &[
            "'p:failed' is both the dead-letter list ([pipeline] dead_letters) and the rejected list ([pipeline] rejected)",
            "dead retry",
        ],
    );
}

#[test]
fn a_stage_whose_output_is_its_own_input_or_a_loop_of_stages_is_refused() {
    let r = RedisServer::start();
    refused(
        &r,
        r#"[stages.a]
input = "q"
output = "q"
exec = ["cat"]
"#,
        &[
            "'q' is both the input of stage 'a' ([stages.a] input) and the output of stage 'a' ([stages.a] output)",
            "hint: point [stages.a] output at another queue",
        ],
    );
    refused(
        &r,
        r#"[stages.a]
input = "q1"
output = "q2"
exec = ["cat"]
[stages.b]
input = "q2"
output = "q3"
exec = ["cat"]
[stages.c]
input = "q3"
output = "q1"
exec = ["cat"]
"#,
        &[
            "stages 'a' -> 'b' -> 'c' -> 'a' form a loop",
            "hint: point [stages.c] output at a queue that does not lead back to stage 'a'",
            "defer <DURATION>",
        ],
    );
}

#[test]
fn the_seen_set_or_a_companion_key_equal_to_a_queue_is_refused() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!(
            r#"[pipeline]
name = "p"
seen_set = "p:done"

{A}"#
        ),
        &[
            "'p:done' is both the seen set ([pipeline] seen_set) and the output of stage 'a'",
            "WRONGTYPE",
            r#"e.g. [pipeline] seen_set = "p:seen", the default"#,
        ],
    );
    refused(
        &r,
        r#"[stages.a]
input = "q"
output = "q:delayed"
exec = ["cat"]
"#,
        &[
            "'q:delayed' is both where pipectl keeps the delayed retries of stage 'a' (beside its input 'q') and the output of stage 'a'",
            "give [stages.a] output a key of its own",
        ],
    );
    refused(
        &r,
        r#"[pipeline]
name = "p"
dead_letters = "p:queue:leased"

[stages.a]
input = "p:queue"
exec = ["cat"]
"#,
        &[
            "'p:queue:leased' is both the dead-letter list",
            "leased items",
        ],
    );
    refused(
        &r,
        r#"[pipeline]
name = "p"
[stages.a]
input = "p:queue"
exec = ["cat"]
rate_limit = { key = "p:queue", limit = 1, per = "1h" }
"#,
        &[
            "'p:queue' is both the input of stage 'a'",
            "rate-limit counter",
        ],
    );
    refused(
        &r,
        r#"[pipeline]
name = "p"
[stages.a]
input = "p:paused:a"
exec = ["cat"]
"#,
        &["'p:paused:a' is both", "pause flag of stage 'a'"],
    );
}

#[test]
fn two_stages_sharing_one_input_are_refused_sharing_one_output_is_fine() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!(
            r#"{A}[stages.b]
input = "p:queue"
exec = ["cat"]
"#
        ),
        &[
            "'p:queue' is both the input of stage 'a' ([stages.a] input) and the input of stage 'b'",
            "each queue feeds one stage",
        ],
    );
    // Fan-in (two stages write one queue) and a chain are normal; so is a shared rate limit.
    Pipeline::unnamed()
        .stage("src1", |s| s.exec(&["cat"]).output("q"))
        .stage("src2", |s| s.exec(&["cat"]).output("q"))
        .stage("a", |s| {
            s.input("q")
                .output("r")
                .exec(&["cat"])
                .rate_limit("rl", 1, "1h")
        })
        .stage("b", |s| {
            s.input("r").exec(&["cat"]).rate_limit("rl", 1, "1h")
        })
        .write(r.dir.path());
    assert_code(&r.pipectl().args(["config", "show"]).output().unwrap(), 0);
}

#[test]
fn the_example_and_starter_configs_still_load() {
    let r = RedisServer::start();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pipectl.toml");
    let out = r
        .pipectl()
        .arg("--config")
        .arg(&examples)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    // The built-in default (no file), and what `init` and `init --cluster` write.
    assert_code(&r.pipectl().args(["config", "show"]).output().unwrap(), 0);
    for init in [vec!["init"], vec!["init", "--cluster"]] {
        std::fs::remove_file(r.dir.path().join("pipectl.toml")).ok();
        assert_code(&r.pipectl().args(&init).output().unwrap(), 0);
        assert_code(&r.pipectl().args(["config", "show"]).output().unwrap(), 0);
    }
}
