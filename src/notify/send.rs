//! Sending one document to one destination: a webhook POST or a command's stdin.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Document;
use crate::config::{Notify, redact_url};

/// Where events go; each is a consumer group of the outbox, acknowledged on its own.
#[derive(Clone, Debug)]
pub enum Destination {
    /// The URL as written in the config (`${VAR}`s expanded at each send).
    Url(String),
    Command(Vec<String>),
}

impl Destination {
    pub fn all(n: &Notify) -> Vec<Destination> {
        let mut all = Vec::new();
        if let Some(url) = &n.url {
            all.push(Destination::Url(url.clone()));
        }
        if let Some(argv) = &n.command {
            all.push(Destination::Command(argv.clone()));
        }
        all
    }

    /// The outbox consumer group that tracks this destination's deliveries.
    pub fn group(&self) -> &'static str {
        match self {
            Destination::Url(_) => "url",
            Destination::Command(_) => "command",
        }
    }

    /// Sends `doc`; Err says why not, with no secret in it (the URL redacted).
    pub fn send(&self, doc: &Document, timeout: Duration) -> Result<(), String> {
        let body = serde_json::to_vec(doc).map_err(|e| e.to_string())?;
        match self {
            Destination::Url(url) => post(url, &doc.id, &body, timeout),
            Destination::Command(argv) => command(argv, doc, &body, timeout),
        }
    }
}

fn post(template: &str, id: &str, body: &[u8], timeout: Duration) -> Result<(), String> {
    let shown = redact_url(template);
    let url = crate::handler::http::expand_env(template)
        .map_err(|var| format!("{shown}: ${{{var}}} is not set in the environment"))?;
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| format!("{shown}: cannot set up an HTTP client"))?;
    let reply = client
        .post(&url)
        .header("content-type", "application/json")
        .header("pipectl-event-id", id)
        .body(body.to_vec())
        .send()
        // reqwest's errors name the URL, secrets and all: say what happened without it.
        .map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "cannot connect"
            } else {
                "request failed"
            };
            format!("{shown}: {what}")
        })?;
    let status = reply.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{shown}: answered {}", status.as_u16()))
    }
}

fn command(argv: &[String], doc: &Document, body: &[u8], timeout: Duration) -> Result<(), String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("[notify] command is empty".into());
    };
    let cannot = |e: &dyn std::fmt::Display| format!("notify command '{program}': {e}");
    let mut child = {
        use std::os::unix::process::CommandExt;
        Command::new(program)
            .args(args)
            .env("PIPECTL_EVENT", &doc.event)
            .env("PIPECTL_EVENT_ID", &doc.id)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| cannot(&e))?
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its stdin is not a failure by itself.
        let _ = stdin.write_all(body);
    }
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(cannot(&format!("ended with {status}"))),
            Ok(None) if started.elapsed() >= timeout => {
                if let Ok(pid) = i32::try_from(child.id()) {
                    // Its whole process group: it may have started others.
                    unsafe { libc::kill(-pid, libc::SIGKILL) };
                }
                let _ = child.kill();
                let _ = child.wait();
                return Err(cannot(&"timed out"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(cannot(&e)),
        }
    }
}
