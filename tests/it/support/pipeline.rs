//! pipectl.toml for tests, built instead of hand-escaped: each method is one key of the
//! config contract (README "Configuration", src/config/mod.rs), so a built file holds only
//! keys pipectl knows; `extra(..)` adds a raw line for the odd key. Values are escaped as
//! TOML strings, so a handler argv is written as the handler will see it.
//!
//! ```ignore
//! Pipeline::new("p")
//!     .stage("build", |s| s.input("p:queue").output("p:staged").exec(&["./h.sh"]).max_attempts(3))
//!     .stage("review", |s| s.input("p:staged").output("p:ready"))
//!     .write(r.dir.path());
//! ```
//!
//! Tests about a malformed or refused file keep that file's text as a literal instead.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::write_file;

/// A pipectl.toml: the `[pipeline]` table (left out when nothing is set in it) and the
/// `[stages.*]` tables in the order they were added.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pipeline: Vec<String>,
    stages: Vec<Stage>,
}

/// One `[stages.NAME]` table: its keys in the order they were set. A stage without `exec`
/// or `http` is a manual stage.
#[derive(Clone, Debug)]
pub struct Stage {
    name: String,
    lines: Vec<String>,
}

impl Pipeline {
    /// A pipeline named `name` (`[pipeline] name`, the prefix of its default keys).
    pub fn new(name: &str) -> Pipeline {
        Pipeline::unnamed().key("name", toml_str(name))
    }

    /// No `[pipeline] name`: the built-in default name (prospect) applies.
    pub fn unnamed() -> Pipeline {
        Pipeline::default()
    }

    pub fn seen_set(self, key: &str) -> Pipeline {
        self.key("seen_set", toml_str(key))
    }

    pub fn dead_letters(self, key: &str) -> Pipeline {
        self.key("dead_letters", toml_str(key))
    }

    pub fn rejected(self, key: &str) -> Pipeline {
        self.key("rejected", toml_str(key))
    }

    /// A duration as pipectl writes them: `"7d"`, `"1h30m"`.
    pub fn stats_retention(self, duration: &str) -> Pipeline {
        self.key("stats_retention", toml_str(duration))
    }

    pub fn max_item_bytes(self, bytes: usize) -> Pipeline {
        self.key("max_item_bytes", bytes.to_string())
    }

    /// A raw line in `[pipeline]`, written as given.
    pub fn extra(mut self, line: &str) -> Pipeline {
        self.pipeline.push(line.to_owned());
        self
    }

    /// Adds `[stages.NAME]`, its keys set by `build`.
    pub fn stage(self, name: &str, build: impl FnOnce(Stage) -> Stage) -> Pipeline {
        self.with(build(Stage::new(name)))
    }

    /// Adds a stage built on its own (e.g. by a module's helper).
    pub fn with(mut self, stage: Stage) -> Pipeline {
        self.stages.push(stage);
        self
    }

    /// The file's text.
    pub fn toml(&self) -> String {
        let mut tables = Vec::new();
        if !self.pipeline.is_empty() {
            tables.push(table("[pipeline]", &self.pipeline));
        }
        for stage in &self.stages {
            tables.push(table(&format!("[stages.{}]", stage.name), &stage.lines));
        }
        tables.join("\n")
    }

    /// Writes `dir/pipectl.toml`, the file pipectl finds in its work dir.
    pub fn write(&self, dir: &Path) -> PathBuf {
        self.write_as(dir, "pipectl.toml")
    }

    /// Writes the config as `dir/file` (for `--config FILE`).
    pub fn write_as(&self, dir: &Path, file: &str) -> PathBuf {
        write_file(dir, file, &self.toml())
    }

    fn key(self, key: &str, value: String) -> Pipeline {
        self.extra(&format!("{key} = {value}"))
    }
}

impl Stage {
    /// `[stages.NAME]` with no keys yet.
    pub fn new(name: &str) -> Stage {
        Stage {
            name: name.to_owned(),
            lines: Vec::new(),
        }
    }

    pub fn input(self, queue: &str) -> Stage {
        self.key("input", toml_str(queue))
    }

    pub fn output(self, queue: &str) -> Stage {
        self.key("output", toml_str(queue))
    }

    /// `exec = [...]`: the handler's argv, each argument exactly as given.
    pub fn exec(self, argv: &[&str]) -> Stage {
        let argv: Vec<String> = argv.iter().map(|a| toml_str(a)).collect();
        self.key("exec", format!("[{}]", argv.join(", ")))
    }

    /// `exec = ["sh", "-c", SCRIPT]`.
    pub fn sh(self, script: &str) -> Stage {
        self.exec(&["sh", "-c", script])
    }

    /// `http = { url = URL, headers = { NAME = VALUE, … }, follow_redirects = true }`; the
    /// headers table is left out when empty, follow_redirects when false.
    pub fn http(self, url: &str, headers: &[(&str, &str)], follow_redirects: bool) -> Stage {
        let mut fields = vec![format!("url = {}", toml_str(url))];
        if !headers.is_empty() {
            let headers: Vec<String> = headers
                .iter()
                .map(|(name, value)| format!("{} = {}", toml_key(name), toml_str(value)))
                .collect();
            fields.push(format!("headers = {{ {} }}", headers.join(", ")));
        }
        if follow_redirects {
            fields.push("follow_redirects = true".to_owned());
        }
        self.key("http", format!("{{ {} }}", fields.join(", ")))
    }

    pub fn max_attempts(self, n: u32) -> Stage {
        self.key("max_attempts", n.to_string())
    }

    pub fn backoff(self, duration: &str) -> Stage {
        self.key("backoff", toml_str(duration))
    }

    pub fn max_backoff(self, duration: &str) -> Stage {
        self.key("max_backoff", toml_str(duration))
    }

    pub fn timeout(self, duration: &str) -> Stage {
        self.key("timeout", toml_str(duration))
    }

    /// `rate_limit = { key = KEY, limit = LIMIT, per = PER }`.
    pub fn rate_limit(self, key: &str, limit: u64, per: &str) -> Stage {
        self.key(
            "rate_limit",
            format!(
                "{{ key = {}, limit = {limit}, per = {} }}",
                toml_str(key),
                toml_str(per)
            ),
        )
    }

    pub fn dedup_by(self, field: &str) -> Stage {
        self.key("dedup_by", toml_str(field))
    }

    /// A raw line in this stage's table, written as given.
    pub fn extra(mut self, line: &str) -> Stage {
        self.lines.push(line.to_owned());
        self
    }

    fn key(self, key: &str, value: String) -> Stage {
        self.extra(&format!("{key} = {value}"))
    }
}

/// Writes an executable `#!/bin/sh` script `dir/name` running `body`.
pub fn handler(dir: &Path, name: &str, body: &str) -> PathBuf {
    executable(dir, name, &format!("#!/bin/sh\n{body}\n"))
}

/// Writes `text` to `dir/name` and makes it executable.
pub fn executable(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = write_file(dir, name, text);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("make the script executable");
    path
}

fn table(header: &str, lines: &[String]) -> String {
    let mut text = format!("{header}\n");
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// A TOML basic string holding exactly `s`.
pub fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A key, bare when TOML allows it, quoted otherwise.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { key.to_owned() } else { toml_str(key) }
}

/// Every key the builder writes is one pipectl accepts, with the value given.
#[test]
fn a_built_pipeline_loads_with_every_key() {
    use pipectl::config::{self, Handler, Source};
    let text = Pipeline::new("p")
        .seen_set("p:s")
        .dead_letters("p:d")
        .rejected("p:r")
        .stats_retention("1h")
        .max_item_bytes(512)
        .stage("build", |s| {
            s.input("p:queue")
                .output("p:staged")
                .exec(&["./h.sh", "a \"b\" \\n", "${HOME}"])
                .max_attempts(4)
                .backoff("2s")
                .max_backoff("1m")
                .timeout("5s")
                .rate_limit("p:rl", 7, "1h")
                .dedup_by("url")
        })
        .stage("send", |s| {
            s.input("p:staged").output("p:sent").http(
                "http://127.0.0.1:9/x?k=${K}",
                &[("Authorization", "Bearer ${T}"), ("X-Key", "v")],
                true,
            )
        })
        .stage("review", |s| s.input("p:sent").output("p:ready"))
        .stage("last", |s| {
            s.input("p:ready")
                .sh("cat; echo 'done'")
                .extra("timeout = \"3s\"")
        })
        .toml();
    let config =
        config::parse(&text, Source::Builtin, None).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(
        (
            config.name.as_str(),
            config.seen_set.as_str(),
            config.dead_letters.as_str(),
            config.rejected.as_str()
        ),
        ("p", "p:s", "p:d", "p:r"),
    );
    assert_eq!(config.max_item_bytes, 512);
    let build = config.stage("build").unwrap();
    let Handler::Exec(argv) = &build.handler else {
        panic!("{text}")
    };
    assert_eq!(argv, &["./h.sh", "a \"b\" \\n", "${HOME}"]);
    assert_eq!(
        (build.max_attempts, build.dedup_by.as_deref()),
        (4, Some("url"))
    );
    let Handler::Http(http) = &config.stage("send").unwrap().handler else {
        panic!("{text}")
    };
    assert_eq!(http.headers.len(), 2);
    assert!(http.follow_redirects);
    assert!(matches!(
        config.stage("review").unwrap().handler,
        Handler::Manual
    ));
    let Handler::Exec(argv) = &config.stage("last").unwrap().handler else {
        panic!("{text}")
    };
    assert_eq!(argv, &["sh", "-c", "cat; echo 'done'"]);
}
