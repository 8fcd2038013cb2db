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

const A: &str = "[stages.a]\ninput = \"p:queue\"\noutput = \"p:done\"\nexec = [\"cat\"]\n";

#[test]
fn dead_letters_equal_to_a_stage_input_is_refused() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!("[pipeline]\nname = \"p\"\ndead_letters = \"p:queue\"\n\n{A}"),
        &[
            "'p:queue' is both the dead-letter list ([pipeline] dead_letters) and the input of stage 'a'",
            "fed back to stage 'a'",
            "hint: give [pipeline] dead_letters or [stages.a] input a key of its own (e.g. [pipeline] dead_letters = \"p:failed\", the default)",
        ],
    );
    // The same with the defaults: an input named like the default dead-letter list.
    refused(
        &r,
        "[pipeline]\nname = \"p\"\n[stages.a]\ninput = \"p:failed\"\nexec = [\"cat\"]\n",
        &[
            "'p:failed' is both the dead-letter list",
            "input of stage 'a'",
        ],
    );
    // And as a stage's output: its results would be taken for dead letters.
    refused(
        &r,
        "[pipeline]\nname = \"p\"\n[stages.a]\ninput = \"p:queue\"\noutput = \"p:failed\"\nexec = [\"cat\"]\n",
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
        &format!("[pipeline]\nname = \"p\"\nrejected = \"p:queue\"\n\n{A}"),
        &[
            "'p:queue' is both the rejected list ([pipeline] rejected) and the input of stage 'a'",
            "rejected at review would be fed back to stage 'a'",
            "e.g. [pipeline] rejected = \"p:rejected\", the default",
        ],
    );
    refused(
        &r,
        &format!("[pipeline]\nname = \"p\"\nrejected = \"p:failed\"\n\n{A}"),
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
        "[stages.a]\ninput = \"q\"\noutput = \"q\"\nexec = [\"cat\"]\n",
        &[
            "'q' is both the input of stage 'a' ([stages.a] input) and the output of stage 'a' ([stages.a] output)",
            "hint: point [stages.a] output at another queue",
        ],
    );
    refused(
        &r,
        "[stages.a]\ninput = \"q1\"\noutput = \"q2\"\nexec = [\"cat\"]\n\
         [stages.b]\ninput = \"q2\"\noutput = \"q3\"\nexec = [\"cat\"]\n\
         [stages.c]\ninput = \"q3\"\noutput = \"q1\"\nexec = [\"cat\"]\n",
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
        &format!("[pipeline]\nname = \"p\"\nseen_set = \"p:done\"\n\n{A}"),
        &[
            "'p:done' is both the seen set ([pipeline] seen_set) and the output of stage 'a'",
            "WRONGTYPE",
            "e.g. [pipeline] seen_set = \"p:seen\", the default",
        ],
    );
    refused(
        &r,
        "[stages.a]\ninput = \"q\"\noutput = \"q:delayed\"\nexec = [\"cat\"]\n",
        &[
            "'q:delayed' is both where pipectl keeps the delayed retries of stage 'a' (beside its input 'q') and the output of stage 'a'",
            "give [stages.a] output a key of its own",
        ],
    );
    refused(
        &r,
        "[pipeline]\nname = \"p\"\ndead_letters = \"p:queue:leased\"\n\n[stages.a]\ninput = \"p:queue\"\nexec = [\"cat\"]\n",
        &[
            "'p:queue:leased' is both the dead-letter list",
            "leased items",
        ],
    );
    refused(
        &r,
        "[pipeline]\nname = \"p\"\n[stages.a]\ninput = \"p:queue\"\nexec = [\"cat\"]\n\
         rate_limit = { key = \"p:queue\", limit = 1, per = \"1h\" }\n",
        &[
            "'p:queue' is both the input of stage 'a'",
            "rate-limit counter",
        ],
    );
    refused(
        &r,
        "[pipeline]\nname = \"p\"\n[stages.a]\ninput = \"p:paused:a\"\nexec = [\"cat\"]\n",
        &["'p:paused:a' is both", "pause flag of stage 'a'"],
    );
}

#[test]
fn two_stages_sharing_one_input_are_refused_sharing_one_output_is_fine() {
    let r = RedisServer::start();
    refused(
        &r,
        &format!("{A}[stages.b]\ninput = \"p:queue\"\nexec = [\"cat\"]\n"),
        &[
            "'p:queue' is both the input of stage 'a' ([stages.a] input) and the input of stage 'b'",
            "each queue feeds one stage",
        ],
    );
    // Fan-in (two stages write one queue) and a chain are normal; so is a shared rate limit.
    write_file(
        r.dir.path(),
        "pipectl.toml",
        "[stages.src1]\nexec = [\"cat\"]\noutput = \"q\"\n\
         [stages.src2]\nexec = [\"cat\"]\noutput = \"q\"\n\
         [stages.a]\ninput = \"q\"\noutput = \"r\"\nexec = [\"cat\"]\n\
         rate_limit = { key = \"rl\", limit = 1, per = \"1h\" }\n\
         [stages.b]\ninput = \"r\"\nexec = [\"cat\"]\n\
         rate_limit = { key = \"rl\", limit = 1, per = \"1h\" }\n",
    );
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
