//! `pipectl serve`: the real binary on a free port against a real redis-server, driven over
//! HTTP: the API's answers against the committed schemas, auth and CSRF refusals,
//! --read-only, decisions on record in the audit stream, a hostile item escaped, SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

pub(crate) const STAGED: &str = "prospect:staged";
pub(crate) const READY: &str = "prospect:ready";
pub(crate) const REJECTED: &str = "prospect:rejected";
pub(crate) const AUDIT: &str = "prospect:audit";

/// A running `pipectl serve`, killed when dropped.
pub(crate) struct Serve {
    child: Child,
    pub(crate) url: String,
}

impl Serve {
    pub(crate) fn start(r: &RedisServer, extra: &[&str]) -> Serve {
        Serve::start_cmd(r.pipectl(), extra)
    }

    pub(crate) fn start_cmd(mut cmd: Command, extra: &[&str]) -> Serve {
        let port = free_port();
        let mut child = cmd
            .args(["--json", "serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pipectl serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the startup line");
        assert_schema("serve", &line);
        let doc: Value = serde_json::from_str(&line).expect("startup JSON");
        let url = doc["url"]
            .as_str()
            .expect("url")
            .trim_end_matches('/')
            .to_owned();
        Serve { child, url }
    }

    fn get(&self, path: &str) -> reqwest::blocking::RequestBuilder {
        client().get(format!("{}{path}", self.url))
    }

    fn post(&self, path: &str, body: Value) -> reqwest::blocking::RequestBuilder {
        client()
            .post(format!("{}{path}", self.url))
            .header("Content-Type", "application/json")
            .body(body.to_string())
    }

    fn stop(mut self) -> std::process::ExitStatus {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

pub(crate) fn stage(r: &RedisServer, items: &[String]) {
    let out = r.pipectl().arg("stage").args(items).output().unwrap();
    assert_code(&out, 0);
}

fn prospect(name: &str) -> String {
    json!({"name": name, "url": format!("https://{}.example/", name.to_lowercase()),
           "preview_url": format!("https://preview.example/{name}")})
    .to_string()
}

fn text(resp: reqwest::blocking::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    (status, resp.text().expect("body"))
}

#[test]
fn serve_api_answers_the_cli_shapes() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt"), prospect("Crux")]);
    let s = Serve::start(&r, &[]);
    let (code, body) = text(s.get("/api/status").send().unwrap());
    assert_eq!(code, 200, "{body}");
    assert_schema("status", &body);
    let (code, body) = text(s.get("/api/staged?limit=2").send().unwrap());
    assert_eq!(code, 200, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    for item in page["items"].as_array().unwrap() {
        assert_schema("staged", &item.to_string());
    }
    assert_eq!(page["items"][0]["item"]["name"], "Acme");
    // The same records `staged --json` prints.
    let cli = json_lines(&r.run_json(&["staged", "--limit", "2"]));
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("waiting_ms");
        v
    };
    assert_eq!(strip(&cli[0]), strip(&page["items"][0]));
    // /metrics: the series `pipectl metrics` prints.
    let resp = s.get("/metrics").send().unwrap();
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let (code, body) = text(resp);
    assert_eq!(code, 200, "{body}");
    let series = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.rsplit_once(' '))
            .map(|(k, _)| k.to_owned())
            .collect()
    };
    assert_eq!(
        series(&body),
        series(&stdout(&r.pipectl().arg("metrics").output().unwrap()))
    );
    assert!(body.contains("pipectl_staged 3"), "{body}");
    // A usage error: the CLI's error JSON, HTTP 400.
    let (code, body) = text(
        s.post("/api/approve", json!({"positions": ["x"]}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 400, "{body}");
    assert_schema("error", &body);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        2
    );
    let (code, body) = text(s.post("/api/approve", json!({})).send().unwrap());
    assert_eq!(code, 400, "{body}");
    assert_eq!(s.stop().code(), Some(0), "SIGTERM ends serve with 0");
}

#[test]
fn serve_approve_and_reject_move_items_and_write_audit_records_with_by() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt"), prospect("Crux")]);
    let s = Serve::start(&r, &[]);
    let resp = s
        .post(
            "/api/approve",
            json!({"positions": ["1"], "by": "alice", "note": "fine"}),
        )
        .send()
        .unwrap();
    assert_eq!(resp.headers()["x-pipectl-exit"], "0");
    let (code, body) = text(resp);
    assert_eq!(code, 200, "{body}");
    assert_schema("approve", &body);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (doc["moved"].clone(), doc["by"].clone()),
        (json!(1), json!("alice"))
    );
    assert_eq!(r.llen(READY), 1);
    assert!(r.cli(&["LINDEX", READY, "0"]).contains("Acme"));
    let records = r.cli_lines(&["XRANGE", AUDIT, "-", "+"]);
    let at = records.iter().position(|l| l == "by").expect("a by field");
    assert_eq!(records[at + 1], "alice");
    assert!(records.iter().any(|l| l == "approve"));
    // Reject with a reason, the reviewer named by the header.
    let (code, body) = text(
        s.post(
            "/api/reject",
            json!({"positions": ["1"], "reason": "closed"}),
        )
        .header("X-Pipectl-Reviewer", "bob")
        .send()
        .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("reject", &body);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["by"], "bob");
    assert_eq!(doc["reason"], "closed");
    assert_eq!(r.llen(REJECTED), 1);
    // Nothing matched: the typed result, exit 3 in the header.
    let resp = s
        .post("/api/approve", json!({"positions": ["9"]}))
        .send()
        .unwrap();
    assert_eq!(resp.headers()["x-pipectl-exit"], "3");
    assert_eq!(r.llen(STAGED), 1);
    // Pause and resume: the CLI's shapes.
    let (code, body) = text(
        s.post("/api/pause", json!({"stage": "review", "reason": "lunch"}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("pause", &body);
    let (code, body) = text(
        s.post("/api/resume", json!({"stage": "review"}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("resume", &body);
    let (code, body) = text(
        s.post("/api/pause", json!({"stage": "nope"}))
            .send()
            .unwrap(),
    );
    assert!(code >= 400, "{body}");
    assert_schema("error", &body);
}

/// The data attribute `name` of the page's body.
fn data(page: &str, name: &str) -> String {
    let key = format!("data-{name}=\"");
    let at = page
        .find(&key)
        .unwrap_or_else(|| panic!("no {key} in {page}"))
        + key.len();
    page[at..].split('"').next().unwrap_or_default().to_owned()
}

#[test]
fn serve_desk_claims_one_item_per_reviewer_and_decides_it() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    let s = Serve::start(&r, &[]);
    let (code, alice) = text(s.get("/?by=alice").send().unwrap());
    assert_eq!(code, 200, "{alice}");
    let (_, bob) = text(s.get("/?by=bob").send().unwrap());
    let (a, b) = (data(&alice, "sha"), data(&bob, "sha"));
    assert!(!a.is_empty() && !b.is_empty());
    assert_ne!(a, b, "two reviewers are shown different items");
    for key in [
        "<kbd>j</kbd>",
        "<kbd>k</kbd>",
        "<kbd>a</kbd>",
        "<kbd>r</kbd>",
        "<kbd>s</kbd>",
    ] {
        assert!(alice.contains(key), "the page shows the key {key}");
    }
    assert!(alice.contains("sandbox=\"allow-scripts\""), "{alice}");
    assert!(
        alice.contains("src=\"https://preview.example/Acme\""),
        "{alice}"
    );
    // Bob approves his (position 2), by position and sha.
    let pos: usize = data(&bob, "pos").parse().unwrap();
    let (code, body) = text(
        s.post(
            "/api/desk/decide",
            json!({"action": "approve", "pos": pos, "sha256": b, "by": "bob"}),
        )
        .send()
        .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("approve", &body);
    assert!(r.cli(&["LINDEX", READY, "0"]).contains("Bolt"));
    // The list refresh says when the shown item is gone.
    let resp = s
        .get(&format!("/desk/list?by=bob&current={b}"))
        .send()
        .unwrap();
    assert_eq!(resp.headers()["x-current-gone"], "1");
    // Alice's item is claimed: bob may not decide it.
    let (code, body) = text(
        s.post(
            "/api/desk/decide",
            json!({"action": "reject", "pos": 1, "sha256": a, "by": "bob"}),
        )
        .send()
        .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["moved"], 0, "{body}");
    assert_eq!(doc["claimed"][0]["by"], "alice", "{body}");
    // Deciding an item that is gone: 404 with the error JSON.
    let (code, body) = text(
        s.post(
            "/api/desk/decide",
            json!({"action": "approve", "pos": 1, "sha256": b}),
        )
        .send()
        .unwrap(),
    );
    assert_eq!(code, 404, "{body}");
    assert_schema("error", &body);
}

#[test]
fn serve_escapes_a_hostile_item() {
    let r = RedisServer::start();
    let hostile =
        json!({"name": "<script>alert(1)</script>", "x\"><img src=x onerror=alert(2)>": "'",
                         "preview_url": "javascript:alert(3)"})
        .to_string();
    stage(&r, &[hostile]);
    let s = Serve::start(&r, &[]);
    let resp = s.get("/").send().unwrap();
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let (code, page) = text(resp);
    assert_eq!(code, 200, "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        !page.contains("<iframe"),
        "a javascript: preview is not framed: {page}"
    );
    assert!(!page.contains("href=\"javascript"), "{page}");
    assert!(page.contains("not an http(s) URL"), "{page}");
    // --preview-dir: a preview that is a file there is framed from /preview/…, under its
    // own CSP sandbox; nothing out of the directory (.., a symlink, a dotfile) is served.
    let previews = tempfile::tempdir().unwrap();
    let root = previews.path();
    std::fs::create_dir(root.join("acme")).unwrap();
    std::fs::write(root.join("acme/index.html"), "<h1>Acme preview</h1>").unwrap();
    std::fs::write(root.join("acme/.secret"), "x").unwrap();
    std::os::unix::fs::symlink("/etc/hostname", root.join("acme/out.html")).unwrap();
    let path = format!("{}/acme/index.html", root.display());
    stage(
        &r,
        &[json!({"name": "Acme", "preview_url": path}).to_string()],
    );
    std::fs::write(root.join("acme/site.css"), "h1 {}").unwrap();
    std::fs::create_dir(root.join("bolt")).unwrap();
    std::fs::write(root.join("bolt/index.html"), "<h1>Bolt</h1>").unwrap();
    let p = Serve::start(&r, &["--preview-dir", root.to_str().unwrap()]);
    let (_, page) = text(p.get("/?by=pat").send().unwrap());
    assert!(
        page.contains("<iframe id=preview sandbox=\"allow-scripts\""),
        "{page}"
    );
    // The frame's URL: /preview/<capability of acme/>/acme/index.html.
    let src = page
        .split("src=\"/preview/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (cap, file) = src.split_once('/').unwrap();
    assert_eq!((cap.len(), file), (32, "acme/index.html"), "{src}");
    let resp = p.get(&format!("/preview/{src}")).send().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let h = resp.headers();
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .starts_with("sandbox allow-scripts")
    );
    assert_eq!(h["x-frame-options"], "SAMEORIGIN");
    assert!(resp.text().unwrap().contains("Acme preview"));
    // Its relative links (the page's CSS) work; the capability opens nothing beside it.
    let resp = p
        .get(&format!("/preview/{cap}/acme/site.css"))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/css; charset=utf-8");
    for bad in [
        format!("/preview/{cap}/bolt/index.html"),
        format!("/preview/{cap}/acme/out.html"),
        format!("/preview/{cap}/acme/.secret"),
        format!("/preview/{cap}/acme/%2e%2e/bolt/index.html"),
        format!("/preview/{cap}/acme/"),
        format!("/preview/{}/acme/index.html", "0".repeat(32)),
        "/preview/acme/index.html".to_owned(),
    ] {
        let (code, _) = text(p.get(&bad).send().unwrap());
        assert_eq!(code, 404, "{bad}");
    }
    let (code, _) = text(s.get(&format!("/preview/{src}")).send().unwrap());
    assert_eq!(code, 404, "without --preview-dir, no files");
}

#[test]
fn serve_requires_its_token_and_refuses_cross_origin_posts() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme")]);
    let token = "s3cret-token-0123456789";
    let mut cmd = r.pipectl();
    cmd.env("PIPECTL_SERVE_TOKEN", token);
    let s = Serve::start_cmd(cmd, &[]);
    for path in ["/", "/api/status", "/api/staged", "/desk/list"] {
        let (code, body) = text(s.get(path).send().unwrap());
        assert_eq!(code, 401, "{path}: {body}");
        assert_schema("error", &body);
    }
    let (code, _) = text(
        s.get("/api/status")
            .bearer_auth("wrong-token-0123456789")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 401);
    let (code, body) = text(s.get("/api/status").bearer_auth(token).send().unwrap());
    assert_eq!(code, 200, "{body}");
    let (code, _) = text(s.post("/api/approve", json!({"all": true})).send().unwrap());
    assert_eq!(code, 401);
    assert_eq!(r.llen(STAGED), 1);
    // The login cookie, and a cross-origin POST carrying it refused.
    let resp = client()
        .post(format!("{}/login", s.url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let (code, _) = text(s.get("/").header("Cookie", &cookie).send().unwrap());
    assert_eq!(code, 200);
    let (code, body) = text(
        s.post("/api/approve", json!({"all": true}))
            .header("Cookie", &cookie)
            .header("Origin", "http://evil.example")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 403, "{body}");
    assert_eq!(r.llen(STAGED), 1, "a cross-origin POST changes nothing");
    // A foreign Host (DNS rebinding) is not answered.
    let (code, _) = text(
        s.get("/api/status")
            .bearer_auth(token)
            .header("Host", "evil.example")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 421);
    // A same-origin POST with the cookie but without the session's CSRF token: refused.
    let host = s.url.trim_start_matches("http://").to_owned();
    let origin = format!("http://{host}");
    let (code, body) = text(
        s.post("/api/approve", json!({"all": true}))
            .header("Cookie", &cookie)
            .header("Origin", &origin)
            .send()
            .unwrap(),
    );
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("CSRF"), "{body}");
    // Another session's token does not do either.
    let (_, page) = text(s.get("/").header("Cookie", &cookie).send().unwrap());
    let csrf = csrf_of(&page);
    assert_eq!(csrf.len(), 64, "{page}");
    let (code, _) = text(
        s.post("/api/approve", json!({"all": true}))
            .header("Cookie", &cookie)
            .header("Origin", &origin)
            .header("X-CSRF-Token", "0".repeat(64))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 403);
    assert_eq!(r.llen(STAGED), 1);
    // The same-origin POST with the cookie and its CSRF token goes through.
    let (code, body) = text(
        s.post("/api/approve", json!({"all": true}))
            .header("Cookie", &cookie)
            .header("Origin", &origin)
            .header("X-CSRF-Token", &csrf)
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(r.llen(READY), 1);
    // A made-up session is no login.
    let (code, _) = text(
        s.get("/api/status")
            .header("Cookie", "pipectl_session=00112233445566778899aabbccddeeff")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 401);
    // Logout: a POST with the CSRF token, like every POST; it ends the session on the
    // server (the old cookie is no login any more) and clears the cookie.
    assert!(page.contains("<button id=logout"), "{page}");
    let login = || {
        client()
            .post(format!("{}/login", s.url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .unwrap()
    };
    let session_of = |resp: &reqwest::blocking::Response| {
        let c = resp.headers()["set-cookie"].to_str().unwrap();
        c.split(';').next().unwrap().to_owned()
    };
    let logout = |cookie: &str, csrf: &str| {
        client()
            .post(format!("{}/logout", s.url))
            .header("Cookie", cookie)
            .header("Origin", &origin)
            .header("X-CSRF-Token", csrf)
            .send()
            .unwrap()
    };
    let resp = logout(&cookie, "");
    assert_eq!(
        resp.status().as_u16(),
        403,
        "no logout without the CSRF token"
    );
    let resp = logout(&cookie, &csrf);
    assert_eq!(resp.status().as_u16(), 303);
    assert_eq!(resp.headers()["location"], "/login");
    let cleared = resp.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("pipectl_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let (code, _) = text(
        s.get("/api/status")
            .header("Cookie", &cookie)
            .send()
            .unwrap(),
    );
    assert_eq!(code, 401, "the session ended on the server");
    // The login rate limit: 5 failed token checks a minute per address (the wrong bearer
    // above was one), then 429 with Retry-After for every token check, right or wrong,
    // from there; a session opened before is not affected.
    let kept = session_of(&login());
    for _ in 0..4 {
        let resp = client()
            .post(format!("{}/login", s.url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("token=wrong-token-0123456789")
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 401);
    }
    let resp = login();
    assert_eq!(
        resp.status().as_u16(),
        429,
        "locked out, even with the right token"
    );
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(resp.headers().get("set-cookie").is_none());
    let resp = s.get("/api/status").bearer_auth(token).send().unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    let (_, body) = text(resp);
    assert_schema("error", &body);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        5
    );
    let (code, _) = text(s.get("/api/status").header("Cookie", &kept).send().unwrap());
    assert_eq!(code, 200, "a session opened before the lockout still works");
}

/// The page's CSRF token (its `<meta name=csrf-token>`).
fn csrf_of(page: &str) -> String {
    let key = "<meta name=csrf-token content=\"";
    let at = page
        .find(key)
        .unwrap_or_else(|| panic!("no csrf meta in {page}"))
        + key.len();
    page[at..].split('"').next().unwrap_or_default().to_owned()
}

/// A token file (mode 0600) of alice (reviewer), olga (operator) and vera (viewer).
fn token_file(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("tokens");
    std::fs::write(
        &path,
        "# person role token\n\
         alice reviewer alice-token-0123456789\n\
         bob   reviewer bob-token-0123456789ab\n\
         olga  operator olga-token-0123456789\n\
         vera  viewer   vera-token-0123456789 # read only\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn serve_tokens_file_gives_each_person_a_role_and_names_them_in_the_audit() {
    use std::os::unix::fs::PermissionsExt;
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt"), prospect("Crux")]);
    let dir = tempfile::tempdir().unwrap();
    let file = token_file(dir.path());
    let path = file.to_str().unwrap();
    // Readable by everyone, or a bad line: refused before listening, the token not shown.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = r
        .pipectl()
        .args([
            "--json",
            "serve",
            "--listen",
            "127.0.0.1:1",
            "--tokens",
            path,
        ])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_schema("error", &stderr(&out));
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
    let bad = dir.path().join("bad");
    std::fs::write(&bad, "alice approver alice-token-0123456789\n").unwrap();
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = r
        .pipectl()
        .args(["serve", "--listen", "127.0.0.1:1", "--tokens"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("alice-token"), "{}", stderr(&out));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let s = Serve::start(&r, &["--tokens", path]);
    let approve = |token: &str, body: Value| {
        text(
            s.post("/api/approve", body)
                .bearer_auth(token)
                .send()
                .unwrap(),
        )
    };
    // The viewer reads, decides nothing.
    let (code, _) = text(
        s.get("/api/staged")
            .bearer_auth("vera-token-0123456789")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200);
    let (code, body) = approve("vera-token-0123456789", json!({"positions": ["1"]}));
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("vera is a viewer"), "{body}");
    // A reviewer decides as themselves, never as another, and cannot pause.
    let (code, body) = approve(
        "alice-token-0123456789",
        json!({"positions": ["1"], "by": "mallory"}),
    );
    assert_eq!(code, 403, "{body}");
    let (code, body) = approve("alice-token-0123456789", json!({"positions": ["1"]}));
    assert_eq!(code, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["by"], "alice");
    let (code, body) = text(
        s.post("/api/pause", json!({"stage": "review"}))
            .bearer_auth("alice-token-0123456789")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 403, "{body}");
    // The operator may, and is on record.
    let (code, body) = text(
        s.post("/api/pause", json!({"stage": "review", "reason": "audit"}))
            .bearer_auth("olga-token-0123456789")
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    let records = r.cli_lines(&["XRANGE", AUDIT, "-", "+"]);
    let bys: Vec<&String> = records
        .iter()
        .enumerate()
        .filter(|(_, l)| *l == "by")
        .map(|(i, _)| &records[i + 1])
        .collect();
    assert_eq!(bys, ["alice", "olga"], "{records:?}");
    assert_eq!(r.llen(READY), 1);
    // The viewer's page shows no decision buttons; the reviewer's does, named.
    let login = |token: &str| -> String {
        let resp = client()
            .post(format!("{}/login", s.url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .unwrap();
        assert_eq!(resp.status().as_u16(), 303);
        let c = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
        c.split(';').next().unwrap().to_owned()
    };
    let (_, page) = text(
        s.get("/")
            .header("Cookie", login("vera-token-0123456789"))
            .send()
            .unwrap(),
    );
    assert!(
        !page.contains("id=approve") && page.contains("vera · viewer"),
        "{page}"
    );
    let (_, page) = text(
        s.get("/ops")
            .header("Cookie", login("vera-token-0123456789"))
            .send()
            .unwrap(),
    );
    assert!(
        !page.contains("class=pause") && !page.contains("class=resume"),
        "{page}"
    );
    let (_, page) = text(
        s.get("/")
            .header("Cookie", login("bob-token-0123456789ab"))
            .send()
            .unwrap(),
    );
    assert!(
        page.contains("id=approve") && page.contains("bob · reviewer"),
        "{page}"
    );
    // Wrong token: no session.
    let resp = client()
        .post(format!("{}/login", s.url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("token=nobody-token-0123456789")
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.headers().get("set-cookie").is_none());
}

#[test]
fn serve_refuses_a_non_loopback_listen_without_a_token() {
    let r = RedisServer::start();
    let port = free_port().to_string();
    let out = r
        .pipectl()
        .args(["--json", "serve", "--listen", &format!("0.0.0.0:{port}")])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert_schema("error", &stderr(&out));
    assert!(stderr(&out).contains("without a token"), "{}", stderr(&out));
    let mut cmd = r.pipectl();
    let out = cmd
        .env("PIPECTL_SERVE_TOKEN", "short")
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_code(&out, 2);
}

#[test]
fn serve_read_only_changes_nothing() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme")]);
    let s = Serve::start(&r, &["--read-only"]);
    let before = r.cli_lines(&["XRANGE", AUDIT, "-", "+"]);
    for (path, body) in [
        ("/api/approve", json!({"all": true})),
        ("/api/reject", json!({"all": true})),
        ("/api/pause", json!({"stage": "review"})),
        (
            "/api/desk/decide",
            json!({"action": "approve", "pos": 1, "sha256": "00"}),
        ),
    ] {
        let (code, text) = text(s.post(path, body).send().unwrap());
        assert_eq!(code, 403, "{path}: {text}");
        assert_schema("error", &text);
    }
    assert_eq!(r.llen(STAGED), 1);
    assert_eq!(r.llen(READY), 0);
    assert_eq!(r.cli_lines(&["XRANGE", AUDIT, "-", "+"]), before);
    let (code, page) = text(s.get("/").send().unwrap());
    assert_eq!(code, 200);
    assert!(
        !page.contains("id=approve"),
        "no decision buttons read-only"
    );
}

#[test]
fn serve_ops_lists_retries_and_purges_dead_letters_in_the_cli_shapes() {
    let r = RedisServer::start();
    let dead = "prospect:failed";
    r.cli(&["LPUSH", dead, "{\"name\":\"<b>one</b>\"}", "two", "three"]);
    stage(&r, &[prospect("Acme")]);
    let s = Serve::start(&r, &[]);
    let (code, body) = text(s.get("/api/dead?limit=2").send().unwrap());
    assert_eq!(code, 200, "{body}");
    let records: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(records.len(), 2);
    for rec in &records {
        assert_schema("dead-ls", &rec.to_string());
    }
    // Paged: the second newest alone, at its position; past the end, nothing.
    let (_, body) = text(s.get("/api/dead?offset=1&limit=1").send().unwrap());
    let page: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!((page.len(), &page[0]["pos"]), (1, &json!(2)), "{body}");
    assert_eq!(page[0], records[1]);
    let (_, body) = text(s.get("/api/dead?offset=3").send().unwrap());
    assert_eq!(body, "[]");
    let (code, page) = text(s.get("/ops").send().unwrap());
    assert_eq!(code, 200, "{page}");
    assert!(
        page.contains("<table id=status>") && page.contains("prospect:failed"),
        "{page}"
    );
    // Retry one by position (1 = newest), as `dead retry 1`.
    let (code, body) = text(
        s.post("/api/dead/retry", json!({"positions": [1], "by": "ops"}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("dead-retry", &body);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["retried"], 1);
    assert_eq!(r.llen(dead), 2);
    // Purge: refused without the confirmation, then done.
    let (code, body) = text(
        s.post("/api/dead/purge", json!({"all": true}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 400, "{body}");
    assert_eq!(r.llen(dead), 2);
    let (code, body) = text(
        s.post("/api/dead/purge", json!({"all": true, "confirm": true}))
            .send()
            .unwrap(),
    );
    assert_eq!(code, 200, "{body}");
    assert_schema("dead-purge", &body);
    assert_eq!(r.llen(dead), 0);
    // The audit stream: the CLI's records, newest first, with the operator's name.
    let (code, body) = text(s.get("/api/audit?limit=5").send().unwrap());
    assert_eq!(code, 200, "{body}");
    let records: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert!(!records.is_empty());
    for rec in &records {
        assert_schema("audit", &rec.to_string());
    }
    assert_eq!(records[0]["action"], "dead_purge");
    let (_, board) = text(s.get("/ops/board").send().unwrap());
    assert!(
        board.contains("dead_retry") && !board.contains("<b>one"),
        "{board}"
    );
    assert!(
        board.contains("<svg") && board.contains("Saturation"),
        "{board}"
    );
    // A spoiled audit stream spoils its own rows, not the board.
    r.cli(&["DEL", AUDIT]);
    r.cli(&["SET", AUDIT, "x"]);
    let (code, board) = text(s.get("/ops/board").send().unwrap());
    assert_eq!(code, 200, "{board}");
    assert!(board.contains("cannot read: WRONGTYPE"), "{board}");
    drop(s);
    one_round_trip_per_refresh(&r);
}

/// 20 stages, a third of them guarded (window, breaker, budget), some manual, some rate
/// limited: a board refresh, a scrape and `status --json` each cost ONE round trip to Redis
/// beyond a connection's setup, counted by a proxy (client→server turns), against a
/// request of one command on the same kind of connection.
fn one_round_trip_per_refresh(r: &RedisServer) {
    use crate::support::proxy::Proxy;
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("[pipeline]\nname = \"rt\"\n");
    for i in 1..=20 {
        toml += &format!("\n[stages.s{i}]\n");
        if i > 1 {
            toml += &format!("input = \"rt:q{i}\"\n");
        }
        if i < 20 {
            toml += &format!("output = \"rt:q{}\"\n", i + 1);
        }
        if i % 5 != 0 {
            toml += "exec = [\"cat\"]\n";
        }
        if i % 4 == 0 {
            toml += &format!("rate_limit = {{ key = \"rt:rl:{i}\", limit = 9, per = \"1h\" }}\n");
        }
        if i % 3 == 0 && i % 5 != 0 {
            toml += "window = { days = \"daily\", hours = \"00:00-24:00\" }\n";
            toml += "breaker = { failures = 3, within = \"10m\", cool_down = \"1h\" }\n";
            toml += "budget = { usd = 5, per = \"1d\" }\n";
        }
    }
    let config = write_file(dir.path(), "rt.toml", &toml);
    let proxy = Proxy::to(r);
    proxy.coalesce_up(true);
    let cli = || {
        let mut cmd = pipectl_in(dir.path());
        cmd.env("REDIS_URL", proxy.url())
            .env("PIPECTL_CONFIG", &config);
        cmd
    };
    // Something in every place read: a dead letter, audit records, a breaker's failures.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    r.cli(&[
        "LPUSH",
        "rt:failed",
        "{\"item\":{\"n\":\"<img src=x onerror=alert(1)>\"},\"stage\":\"s2\",\"error\":\"boom\",\"attempts\":3,\"failed_at\":\"2026-01-01T00:00:00Z\"}",
    ]);
    r.cli(&[
        "ZADD",
        "rt:breaker:s3:failures",
        &now_ms,
        "f1",
        &now_ms,
        "f2",
    ]);
    let out = cli()
        .args(["pause", "s2", "--reason", "lunch", "--by", "ops"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let turns = |what: &str, f: &dyn Fn()| {
        let before = proxy.stats().turns;
        f();
        let n = proxy.stats().turns - before;
        eprintln!("{what}: {n} round trips");
        n
    };
    let one = turns("len (one command)", &|| {
        assert_code(&cli().args(["len", "rt:q2"]).output().unwrap(), 0)
    });
    let status = turns("status --json", &|| {
        let out = cli().args(["--json", "status"]).output().unwrap();
        assert_code(&out, 0);
        let doc = json(&out);
        assert_eq!(
            doc["stages"][2]["guards"]["breaker"]["failures"], 2,
            "{doc}"
        );
        assert_eq!(doc["stages"][2]["guards"]["window"]["open"], true, "{doc}");
        assert_eq!(doc["stages"][5]["guards"]["budget"][0]["cap"], 5.0, "{doc}");
    });
    assert_eq!(status, one, "status --json on 20 stages: one round trip");
    let s = Serve::start_cmd(cli(), &[]);
    let one = turns("/api/dead?limit=1 (one command)", &|| {
        assert_eq!(s.get("/api/dead?limit=1").send().unwrap().status(), 200)
    });
    let board = turns("/ops/board", &|| {
        let (code, board) = text(s.get("/ops/board").send().unwrap());
        assert_eq!(code, 200, "{board}");
        assert!(
            board.contains("<td>boom<details>"),
            "the dead letter's error"
        );
        assert!(board.contains("&lt;img src=x"), "its item, shown on demand");
        assert!(!board.contains("<img"), "escaped");
        assert!(board.contains("<td>lunch</td>"), "the audit record's note");
    });
    let metrics = turns("/metrics", &|| {
        let (code, text) = text(s.get("/metrics").send().unwrap());
        assert_eq!(code, 200, "{text}");
        assert!(
            text.contains("pipectl_breaker_open{stage=\"s3\"} 0"),
            "{text}"
        );
    });
    assert!(one >= 1, "the proxy counts round trips");
    assert_eq!(
        (board, metrics),
        (one, one),
        "one round trip per refresh and per scrape"
    );
}

/// Behind a reverse proxy: --origin's Host is answered, its Origin may POST (with the
/// session's CSRF token), the cookie is Secure; another origin is still refused.
#[test]
fn serve_behind_a_proxy_takes_its_public_origin() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme")]);
    let s = Serve::start(&r, &["--origin", "https://Desk.Example.com/"]);
    let resp = s
        .get("/")
        .header("Host", "desk.example.com")
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let csrf = csrf_of(&resp.text().unwrap());
    let post = |origin: &str| {
        s.post("/api/approve", json!({"all": true}))
            .header("Host", "desk.example.com")
            .header("Origin", origin)
            .header("Cookie", &cookie)
            .header("X-CSRF-Token", &csrf)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(post("https://evil.example"), 403);
    assert_eq!(r.llen(READY), 0);
    assert_eq!(post("https://desk.example.com"), 200);
    assert_eq!(r.llen(READY), 1);
    let out = r
        .pipectl()
        .args(["serve", "--origin", "https://desk.example.com/x"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    // The login rate limit counts the address the proxy saw (the last X-Forwarded-For
    // entry; the ones before it are the client's word), not the proxy's own.
    let mut cmd = r.pipectl();
    cmd.env("PIPECTL_SERVE_TOKEN", "proxy-token-0123456789");
    let s = Serve::start_cmd(cmd, &["--origin", "https://desk.example.com"]);
    let attempt = |from: &str, token: &str| {
        s.get("/api/status")
            .header("Host", "desk.example.com")
            .header("X-Forwarded-For", format!("198.51.100.1, {from}"))
            .bearer_auth(token)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    for _ in 0..5 {
        assert_eq!(attempt("203.0.113.7", "wrong-token-0123456789"), 401);
    }
    assert_eq!(attempt("203.0.113.7", "proxy-token-0123456789"), 429);
    assert_eq!(attempt("203.0.113.8", "proxy-token-0123456789"), 200);
}

/// Without tokens (loopback): a POST that comes from a browser (an Origin, a
/// Sec-Fetch-Site or the session cookie) needs its session's CSRF token; a cross-site one
/// is refused even with it; a script's POST (none of them) needs none.
#[test]
fn serve_open_desk_wants_the_csrf_token_from_browsers() {
    let r = RedisServer::start();
    stage(&r, &[prospect("Acme"), prospect("Bolt")]);
    let s = Serve::start(&r, &[]);
    let origin = s.url.clone();
    let resp = s.get("/").send().unwrap();
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("pipectl_session=") && cookie.contains("SameSite=Strict"));
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let csrf = csrf_of(&resp.text().unwrap());
    let approve = |extra: &[(&str, &str)]| {
        let mut req = s.post("/api/approve", json!({"positions": ["1"]}));
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let (code, body) = text(req.send().unwrap());
        if code != 200 {
            assert_schema("error", &body);
        }
        code
    };
    assert_eq!(approve(&[("Origin", &origin)]), 403);
    assert_eq!(approve(&[("Sec-Fetch-Site", "same-origin")]), 403);
    assert_eq!(approve(&[("Cookie", &cookie)]), 403);
    assert_eq!(approve(&[("Cookie", &cookie), ("X-CSRF-Token", "x")]), 403);
    assert_eq!(
        approve(&[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Sec-Fetch-Site", "cross-site")
        ]),
        403
    );
    assert_eq!(r.llen(READY), 0, "no refused POST changed anything");
    assert_eq!(
        approve(&[
            ("Cookie", &cookie),
            ("X-CSRF-Token", &csrf),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin")
        ]),
        200
    );
    assert_eq!(approve(&[]), 200, "a script's POST");
    assert_eq!(r.llen(READY), 2);
}
