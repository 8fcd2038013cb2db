//! An enqueue cut short by Redis (out of memory) says exactly what it wrote and which lines
//! remain, and the command it hints resumes without duplicates.

use crate::support::*;

const ITEMS: usize = 40_000;

/// 40,000 NDJSON items, with a blank line after every 7,000th (lines are numbered with the
/// blank lines, as every message counts them). Returns the file's text and the items.
fn input() -> (String, Vec<String>) {
    let mut text = String::new();
    let mut items = Vec::new();
    for i in 0..ITEMS {
        let item = format!(r#"{{"url":"site{i}.example","n":{i},"pad":"xxxxxxxxxxxxxxxx"}}"#);
        text.push_str(&item);
        text.push('\n');
        if i % 7_000 == 6_999 {
            text.push('\n');
        }
        items.push(item);
    }
    (text, items)
}

fn full_redis() -> RedisServer {
    RedisServer::start_with(&["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"])
}

/// The queue from the consumer end: the order items were enqueued in.
fn queue_in_order(r: &RedisServer, queue: &str) -> Vec<String> {
    let mut all = r.cli_lines(&["LRANGE", queue, "0", "-1"]);
    all.reverse();
    all
}

/// Runs the hinted command (`pipectl …` words, as the hint prints them: plain words).
fn run_hinted(r: &RedisServer, command: &str) -> std::process::Output {
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "pipectl", "{command}");
    r.pipectl().args(&words[1..]).output().unwrap()
}

/// The number after `prefix` in `text`.
fn number_after(text: &str, prefix: &str) -> usize {
    let rest = &text[text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix:?} in {text}"))
        + prefix.len()..];
    rest.chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[test]
fn an_enqueue_cut_short_by_oom_says_what_it_wrote_and_the_hinted_command_resumes_exactly() {
    let r = full_redis();
    let (text, items) = input();
    write_file(r.dir.path(), "items.ndjson", &text);
    let out = r
        .pipectl()
        .args(["enqueue", "q", "--file", "items.ndjson"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    let written = number_after(&err, "cut short by Redis: wrote ");
    assert!(
        err.contains(&format!("wrote {written} of {ITEMS} items (lines 1–")),
        "{err}"
    );
    let last_line = number_after(&err, "; nothing after line ");
    assert!(
        err.contains(&format!(
            "(lines 1–{last_line}); nothing after line {last_line} was written"
        )),
        "{err}"
    );
    assert!(err.contains("OOM"), "{err}");
    assert!(err.contains("hint: Redis is full"), "{err}");
    assert!(written > 0 && written < ITEMS, "{err}");
    assert_eq!(
        r.llen("q"),
        written,
        "the count reported is the count in Redis"
    );
    assert_eq!(
        queue_in_order(&r, "q"),
        items[..written],
        "the first {written} lines, in order"
    );
    // The last written line is the line of item number `written` (blank lines counted).
    assert_eq!(last_line, written + (written - 1) / 7_000, "{err}");

    let hint = err
        .split("resume without duplicates: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no resume command in {err}"))
        .trim();
    assert_eq!(
        hint,
        format!("pipectl enqueue q --file items.ndjson --skip-lines {last_line}")
    );

    // Room again (consumers drained, or maxmemory raised): the hinted command finishes it.
    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    let out = run_hinted(&r, hint);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains(&format!("enqueued {} items to q", ITEMS - written)),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        queue_in_order(&r, "q"),
        items,
        "every line exactly once, in order"
    );
}

#[test]
fn with_dedup_by_the_json_error_carries_the_counts_and_both_resume_and_rerun_are_safe() {
    let r = full_redis();
    let (text, items) = input();
    write_file(r.dir.path(), "items.ndjson", &text);
    let out = r
        .pipectl()
        .args([
            "--json",
            "enqueue",
            "q",
            "--dedup-by",
            "url",
            "--file",
            "items.ndjson",
        ])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let doc = json_stderr(&out);
    let error = &doc["error"];
    assert_eq!(error["code"], 1);
    let partial = &error["partial"];
    let written = partial["written"].as_u64().unwrap() as usize;
    assert!(written > 0 && written < ITEMS, "{doc}");
    assert_eq!(partial["total"], ITEMS as u64);
    assert_eq!(partial["added"], written as u64);
    assert_eq!(partial["duplicates"], 0);
    assert_eq!(partial["input"], "lines");
    let resume_line = partial["resume_line"].as_u64().unwrap();
    let skip = partial["skip_lines"].as_str().unwrap();
    assert_eq!(skip, (resume_line - 1).to_string());
    assert_eq!(
        partial["written_ranges"],
        serde_json::json!([[1, resume_line - 1]])
    );
    assert_eq!(partial["unknown_ranges"], serde_json::json!([]));
    assert_eq!(r.llen("q"), written);
    assert_eq!(
        r.cli(&["SCARD", "prospect:seen"]),
        written.to_string(),
        "marked seen with the push"
    );
    let resume = partial["resume"].as_str().unwrap();
    assert_eq!(
        resume,
        format!("pipectl --json enqueue q --dedup-by url --file items.ndjson --skip-lines {skip}")
    );
    assert!(
        error["hint"]
            .as_str()
            .unwrap()
            .contains("rerunning the same command is safe too"),
        "{doc}"
    );

    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    let out = run_hinted(&r, resume);
    assert_code(&out, 0);
    let done = json(&out);
    assert_eq!(done["enqueued"], (ITEMS - written) as u64);
    assert_eq!(done["duplicates"], 0, "the resume sent nothing twice");
    assert_eq!(
        queue_in_order(&r, "q"),
        items,
        "every line exactly once, in order"
    );

    // A plain rerun is safe too: everything is a duplicate.
    let out = r
        .pipectl()
        .args([
            "--json",
            "enqueue",
            "q",
            "--dedup-by",
            "url",
            "--file",
            "items.ndjson",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let again = json(&out);
    assert_eq!(again["enqueued"], 0);
    assert_eq!(r.llen("q"), ITEMS);
}

#[test]
fn skip_lines_counts_blank_lines_and_arguments_and_takes_ranges() {
    let r = RedisServer::start();
    write_file(r.dir.path(), "in.ndjson", "a\n\nb\nc\n\nd\n");
    let out = r
        .pipectl()
        .args(["enqueue", "q", "--file", "in.ndjson", "--skip-lines", "2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(queue_in_order(&r, "q"), ["b", "c", "d"]);
    r.cli(&["DEL", "q"]);
    let out = r
        .pipectl()
        .args([
            "enqueue",
            "q",
            "--file",
            "in.ndjson",
            "--skip-lines",
            "1-3,6-6",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(queue_in_order(&r, "q"), ["c"]);
    r.cli(&["DEL", "q"]);
    let out = r
        .pipectl()
        .args(["enqueue", "q", "x", "y", "z", "--skip-lines", "2"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(queue_in_order(&r, "q"), ["z"]);
    let out = r
        .pipectl()
        .args(["enqueue", "q", "x", "--skip-lines", "3-1"])
        .output()
        .unwrap();
    assert_code(&out, 2);
}

#[test]
fn a_stage_cut_short_by_oom_resumes_the_same_way() {
    let r = full_redis();
    Pipeline::unnamed()
        .stage("review", |s| s.input("p:staged").output("p:ready"))
        .write(r.dir.path());
    let (text, items) = input();
    write_file(r.dir.path(), "items.ndjson", &text);
    let out = r
        .pipectl()
        .args(["stage", "--file", "items.ndjson"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    let written = number_after(&err, "cut short by Redis: wrote ");
    assert_eq!(r.llen("p:staged"), written);
    let hint = err
        .split("resume without duplicates: ")
        .nth(1)
        .unwrap()
        .trim();
    r.cli(&["CONFIG", "SET", "maxmemory", "0"]);
    assert_code(&run_hinted(&r, hint), 0);
    assert_eq!(queue_in_order(&r, "p:staged"), items);
}
