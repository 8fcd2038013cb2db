//! Hostile config files and durations: each refused with its exit code (78 for a file, 2 for
//! a flag) naming where the problem is, never a panic. The files are literal text on purpose.

use crate::hostile::{assert_no_panic, assert_refused, pipectl};
use crate::support::*;

#[test]
fn bad_configs_are_exit_78_and_bad_durations_exit_2() {
    let r = RedisServer::start();
    let cases = [
        (
            r#"[stages.a]
input = "q"
max_attempts = "3"
"#,
            "pipectl.toml:3:16",
        ),
        (
            r#"[stages.a]
input = "q"
exec = "./h.sh"
"#,
            "pipectl.toml:3:8",
        ),
        (
            r#"[stages.a]
input = "q"
colour = "red"
"#,
            "unknown field `colour`",
        ),
        (
            r#"[pipeline]
name = "p"
[stages]
"#,
            "no stages",
        ),
        (
            r#"[pipeline]
name = "p"
"#,
            "no stages",
        ),
        ("stages = 5\n", "pipectl.toml:1:10"),
        (
            r#"[stages.a]
input = "q"
timeout = "-5m"
"#,
            "negative",
        ),
        (
            r#"[stages.a]
input = "q"
timeout = "99999999d"
"#,
            "too large",
        ),
        (
            r#"[stages.a]
input = "q"
backoff = "1e9s"
"#,
            "invalid duration",
        ),
        (
            r#"[stages.a]
input = "q"
max_attempts = -1
"#,
            "pipectl.toml:3:16",
        ),
        (
            r#"[stages.a]
input = "q"
max_attempts = 99999999999
"#,
            "pipectl.toml:3:16",
        ),
        (
            r#"[stages.a
input = "q"
"#,
            "pipectl.toml:1:",
        ),
        ("\u{feff}[stages.a]\ninput = 'q'\n\0", "pipectl.toml:"),
    ];
    for (text, needle) in cases {
        write_file(r.dir.path(), "pipectl.toml", text);
        for args in [vec!["config", "show"], vec!["run", "a"], vec!["recover"]] {
            let out = pipectl(&r, &args);
            assert_refused(&out, 78, needle);
        }
    }
    std::fs::remove_file(r.dir.path().join("pipectl.toml")).unwrap();
    for args in [
        vec!["pop", "q", "--wait", "-5m"],
        vec!["pop", "q", "--lease", "99999999d"],
        vec!["pop", "q", "--wait", "1e9s"],
        vec!["--connect-timeout", "0s", "len", "q"],
        vec!["--timeout", "1e9s", "len", "q"],
        vec!["nack", "q#1", "--delay", "-1s"],
        vec!["dead", "ls", "--since", "99999999d"],
        vec!["run", "build", "--grace", "5x"],
    ] {
        let out = pipectl(&r, &args);
        assert_no_panic(&out);
        assert_code(&out, 2);
    }
}
