//! `pipectl serve` in real headless Chromium (Debian's chromium + chromium-driver, which
//! scripts/test installs), one chromedriver and one browser session per person: two
//! reviewers log in with their tokens and are never shown the same item; one approves with
//! the `a` key, the other rejects with `r`, a reason and Enter (both checked in Redis and
//! the audit stream); a hostile item renders as text and runs no script; a POST without the
//! CSRF token is refused; a viewer sees no decision buttons and the server refuses her POST.
//! With PIPECTL_SCREENSHOTS=1 it writes docs/serve-desk.png and docs/serve-ops.png.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::serve::{AUDIT, READY, REJECTED, STAGED, Serve, stage};
use crate::support::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A chromedriver on a free port, killed when dropped.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn chromedriver() -> Driver {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child, port);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

/// A local page for the preview frames, answering every path; stops when dropped.
struct Preview {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Preview {
    fn start() -> Preview {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let mut buf = [0u8; 2048];
                let n = conn.read(&mut buf).unwrap_or(0);
                let path = String::from_utf8_lossy(&buf[..n])
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/')
                    .to_owned();
                let body = format!(
                    "<!doctype html><body style=\"font:16px sans-serif;margin:0\">\
                     <div style=\"background:#2a6;color:#fff;padding:2em\"><h1>{path}</h1>\
                     <p>Family-run since 1987 &middot; Open Mon&ndash;Sat</p></div>\
                     <p style=\"padding:1em\">The preview site the build stage made.</p></body>"
                );
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Preview { port, stop }
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = std::net::TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn browsers_missing() -> bool {
    if std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists() {
        return false;
    }
    eprintln!(
        "note: {CHROMIUM} or {CHROMEDRIVER} is missing (Debian: chromium chromium-driver; scripts/test installs them): browser test skipped"
    );
    true
}

/// A new browser session (its own profile: its own cookies) on `driver`.
async fn session(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": CHROMIUM, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-dev-shm-usage", "--window-size=1280,860",
            format!("--user-data-dir={}", profile.display())]}),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("a WebDriver session")
}

/// The desk's `data-sha` once the page shows one other than `before` ("" once it shows
/// none); the page reloads after a decision, and between two documents there is no body.
async fn shown_after(c: &Client, before: &str) -> String {
    let start = Instant::now();
    loop {
        if let Ok(body) = c.find(Locator::Css("body[data-sha]")).await
            && let Ok(Some(sha)) = body.attr("data-sha").await
            && sha != before
        {
            return sha;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let page = c.source().await.unwrap_or_default();
            panic!("the desk still shows {before:?}: {url}\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Logs in at /login with `token` (typing it, as a person would) and answers the item shown.
async fn login(c: &Client, url: &str, token: &str) -> String {
    c.goto(&format!("{url}/login"))
        .await
        .expect("the login page");
    let field = c
        .find(Locator::Css("input[name=token]"))
        .await
        .expect("a token field");
    field.send_keys(token).await.expect("type the token");
    c.find(Locator::Css("form button"))
        .await
        .expect("a button")
        .click()
        .await
        .expect("log in");
    shown_after(c, "\u{0}").await
}

async fn press(c: &Client, key: char) {
    let keys = KeyActions::new(format!("key-{key}"))
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.expect("press a key");
}

/// Runs `script` in the page (its last argument is the callback) and answers its value.
async fn run(c: &Client, script: &str) -> Value {
    c.execute_async(script, vec![]).await.expect("a script")
}

/// The audit stream's records as field maps, oldest first.
fn audit(r: &RedisServer) -> Vec<std::collections::HashMap<String, String>> {
    let out = r.pipectl().args(["--json", "audit"]).output().unwrap();
    json_lines(&out)
        .into_iter()
        .map(|v| {
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_owned)))
                .collect()
        })
        .rev()
        .collect()
}

/// A token file (mode 0600) of two reviewers, an operator and a viewer.
fn tokens(dir: &std::path::Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("tokens");
    std::fs::write(
        &path,
        "alice reviewer alice-token-0123456789\nbob reviewer bob-token-0123456789ab\n\
         olga operator olga-token-0123456789\nvera viewer vera-token-0123456789\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path.display().to_string()
}

/// Counters and records that make the dashboard's charts worth a look (screenshots only).
fn seed_history(r: &RedisServer) {
    let days = pipectl::date::last_days(14);
    for (i, day) in days.iter().enumerate() {
        for (stage, base) in [("build", 30), ("outreach", 12), ("followup", 6)] {
            let n = base + (i * 7 + base) % 11;
            r.cli(&[
                "SET",
                &format!("stats:prospect:{stage}:processed:{day}"),
                &n.to_string(),
            ]);
        }
        r.cli(&[
            "SET",
            &format!("stats:prospect:new:{day}"),
            &(40 - 2 * i).to_string(),
        ]);
        r.cli(&[
            "SET",
            &format!("stats:prospect:dup:{day}"),
            &(5 + 3 * i).to_string(),
        ]);
    }
    r.cli(&[
        "LPUSH",
        "prospect:failed",
        &json!({"item": {"name": "Dune Diner"}, "stage": "build", "error": "exit 1: template missing", "attempts": 3, "failed_at": "2026-11-30T09:12:00Z"}).to_string(),
    ]);
}

#[test]
fn serve_desk_in_headless_chromium_two_reviewers_decide_by_keyboard() {
    if browsers_missing() {
        return;
    }
    let shots = std::env::var("PIPECTL_SCREENSHOTS").is_ok_and(|v| v == "1");
    let r = RedisServer::start();
    let preview = Preview::start();
    let item = |name: &str| {
        json!({"name": name, "city": "Austin", "phone": "+1 512 555 0100",
               "preview_url": format!("http://127.0.0.1:{}/{}", preview.port, name.replace(' ', "-"))})
        .to_string()
    };
    let hostile =
        json!({"name": "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>",
                         "preview_url": "javascript:window.pwned=3"})
        .to_string();
    // Crux's preview is a file the builder wrote: served by pipectl (--preview-dir), its
    // stylesheet a relative link the sandboxed page loads without the session's cookie.
    let dir = tempfile::tempdir().unwrap();
    let previews = dir.path().join("previews");
    std::fs::create_dir_all(previews.join("crux")).unwrap();
    std::fs::write(
        previews.join("crux/index.html"),
        "<!doctype html><link rel=stylesheet href=site.css><h1>Crux preview</h1>",
    )
    .unwrap();
    std::fs::write(previews.join("crux/site.css"), "h1 { color: rgb(1, 2, 3) }").unwrap();
    let crux = json!({"name": "Crux Cafe", "city": "Austin",
                      "preview_url": format!("{}/crux/index.html", previews.display())})
    .to_string();
    stage(&r, &[item("Acme Auto"), item("Bolt Bikes"), hostile, crux]);
    if shots {
        seed_history(&r);
    }
    let s = Serve::start(
        &r,
        &[
            "--tokens",
            &tokens(dir.path()),
            "--preview-dir",
            previews.to_str().unwrap(),
        ],
    );
    let driver = chromedriver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let url = s.url.clone();
    runtime.block_on(async {
        let alice = session(&driver, &dir.path().join("alice")).await;
        let bob = session(&driver, &dir.path().join("bob")).await;
        // Two reviewers, two items: each is claimed for the one who sees it.
        let a1 = login(&alice, &url, "alice-token-0123456789").await;
        let b1 = login(&bob, &url, "bob-token-0123456789ab").await;
        assert!(!a1.is_empty() && !b1.is_empty());
        assert_ne!(a1, b1, "two reviewers were shown the same item");
        let who = alice.find(Locator::Css("#who")).await.unwrap().text().await.unwrap();
        assert_eq!(who, "alice · reviewer");
        assert!(
            alice.find(Locator::Css("iframe#preview[sandbox=allow-scripts]")).await.is_ok(),
            "the preview is framed, sandboxed"
        );
        if shots {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let png = alice.screenshot().await.expect("a screenshot");
            std::fs::write(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/serve-desk.png"),
                png,
            )
            .expect("write docs/serve-desk.png");
        }
        // Alice approves with `a`; the next item she is shown is not Bob's.
        press(&alice, 'a').await;
        let a2 = shown_after(&alice, &a1).await;
        assert_ne!(a2, b1, "alice was shown bob's item");
        // Bob: `r` puts the cursor in the reason, Enter rejects.
        press(&bob, 'r').await;
        let focused = bob
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap();
        assert_eq!(focused, json!("reason"));
        bob.active_element()
            .await
            .unwrap()
            .send_keys("no website yet\u{E007}")
            .await
            .unwrap();
        let b2 = shown_after(&bob, &b1).await;
        assert_ne!(b2, a2, "bob was shown alice's item");
        // Bob's is Crux: its file preview, framed from pipectl, runs in an opaque origin
        // and still gets its stylesheet.
        let frame = bob.find(Locator::Css("iframe#preview")).await.unwrap();
        let src = frame.attr("src").await.unwrap().unwrap_or_default();
        assert!(src.starts_with("/preview/") && src.ends_with("/crux/index.html"), "{src}");
        frame.enter_frame().await.unwrap();
        let mut seen = Value::Null;
        for _ in 0..100 {
            seen = bob
                .execute(
                    "var h = document.querySelector('h1');\
                     return [window.origin, h ? getComputedStyle(h).color : ''];",
                    vec![],
                )
                .await
                .unwrap();
            if seen[1] == "rgb(1, 2, 3)" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(seen, json!(["null", "rgb(1, 2, 3)"]), "sandboxed, styled");
        bob.enter_parent_frame().await.unwrap();
        // The hostile item (alice's now) is text and ran nothing.
        let clean = alice
            .execute("return window.pwned === undefined", vec![])
            .await
            .unwrap();
        assert_eq!(clean, json!(true), "a hostile item ran a script");
        let text = alice.find(Locator::Css("#item")).await.unwrap().text().await.unwrap();
        assert!(text.contains("<script>window.pwned=2</script>"), "{text}");
        assert!(
            alice.find(Locator::Css("iframe")).await.is_err(),
            "a javascript: preview is not framed"
        );
        // A POST from the page without the CSRF token is refused.
        let status = run(
            &alice,
            "var done = arguments[arguments.length - 1], d = document.body.dataset;\
             fetch('/api/desk/decide', {method: 'POST', headers: {'Content-Type': 'application/json'},\
               body: JSON.stringify({action: 'approve', pos: Number(d.pos), sha256: d.sha})})\
             .then(function (r) { done(r.status); }, function (e) { done(String(e)); });",
        )
        .await;
        assert_eq!(status, json!(403));
        // A viewer: the list, no decision buttons, and the server refuses her POST even
        // with her session's CSRF token.
        let vera = session(&driver, &dir.path().join("vera")).await;
        let claims = r.cli(&["HLEN", "prospect:staged:claims"]);
        let v1 = login(&vera, &url, "vera-token-0123456789").await;
        assert!(!v1.is_empty(), "a viewer looks at an item too");
        assert_eq!(r.cli(&["HLEN", "prospect:staged:claims"]), claims, "but claims nothing");
        assert!(vera.find(Locator::Css("#look")).await.is_ok());
        press(&vera, 'j').await;
        let v2 = shown_after(&vera, &v1).await;
        assert!(!v2.is_empty(), "j shows her the next");
        assert!(vera.find(Locator::Css("#approve")).await.is_err());
        assert!(vera.find(Locator::Css("#list tr[data-sha]")).await.is_ok());
        let refused = run(
            &vera,
            "var done = arguments[arguments.length - 1];\
             var t = document.querySelector('meta[name=csrf-token]').content;\
             fetch('/api/approve', {method: 'POST', headers: {'Content-Type': 'application/json',\
               'X-CSRF-Token': t}, body: JSON.stringify({all: true})})\
             .then(function (r) { return r.json().then(function (j) { done([r.status, j.error.message]); }); },\
                   function (e) { done(String(e)); });",
        )
        .await;
        assert_eq!(refused[0], json!(403), "{refused}");
        assert!(refused[1].as_str().unwrap().contains("viewer"), "{refused}");
        vera.goto(&format!("{url}/ops")).await.unwrap();
        assert!(vera.find(Locator::Css("#status")).await.is_ok());
        assert!(vera.find(Locator::Css("button.pause")).await.is_err());
        // Log out with the page's button: the session ends on the server, so the desk
        // asks for the token again.
        vera.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
        let at_login = async |c: &fantoccini::Client| {
            for _ in 0..100 {
                if c.current_url().await.is_ok_and(|u| u.path() == "/login") {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        };
        assert!(at_login(&vera).await, "logout leads to /login");
        vera.goto(&format!("{url}/")).await.unwrap();
        assert!(at_login(&vera).await, "after logout the desk wants a login");
        if shots {
            let olga = session(&driver, &dir.path().join("olga")).await;
            login(&olga, &url, "olga-token-0123456789").await;
            olga.goto(&format!("{url}/ops")).await.unwrap();
            tokio::time::sleep(Duration::from_millis(500)).await;
            let png = olga.screenshot().await.expect("a screenshot");
            std::fs::write(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/serve-ops.png"),
                png,
            )
            .expect("write docs/serve-ops.png");
            olga.close().await.ok();
        }
        for c in [alice, bob, vera] {
            c.close().await.ok();
        }
    });
    // Redis: Acme approved by alice, Bolt rejected by bob with his reason; the hostile
    // item and Crux still staged (the refused POSTs changed nothing).
    assert_eq!(r.llen(READY), 1);
    assert!(r.cli(&["LINDEX", READY, "0"]).contains("Acme Auto"));
    assert_eq!(r.llen(REJECTED), 1);
    assert!(r.cli(&["LINDEX", REJECTED, "0"]).contains("Bolt Bikes"));
    assert_eq!(r.llen(STAGED), 2);
    let records = audit(&r);
    let decisions: Vec<(&str, &str)> = records
        .iter()
        .filter(|m| m.get("stage").is_some_and(|s| s == "review"))
        .map(|m| (m["action"].as_str(), m["by"].as_str()))
        .collect();
    assert_eq!(
        decisions,
        [("approve", "alice"), ("reject", "bob")],
        "{records:?}"
    );
    let reject = records.iter().find(|m| m["action"] == "reject").unwrap();
    assert!(
        reject.values().any(|v| v.contains("no website yet")),
        "{reject:?}"
    );
    let _ = AUDIT;
}
