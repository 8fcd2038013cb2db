//! Logins of `pipectl serve`: the sessions of this process (in memory; a restart logs
//! everyone out), `/login` (the token typed once, under the rate limit of
//! [`super::throttle`]) and `/logout` (the session ended on the server, the cookie cleared).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::App;
use super::auth::{self, COOKIE, Principal};
use super::throttle::{Peer, retry_after};

/// How long a login lasts.
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Most live sessions kept (the oldest goes first).
const MAX_SESSIONS: usize = 10_000;

/// The logins of this process, and the key CSRF tokens are derived with.
pub struct Sessions {
    key: [u8; 32],
    live: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl Sessions {
    pub fn new() -> anyhow::Result<Sessions> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        Ok(Sessions {
            key,
            live: Mutex::new(HashMap::new()),
        })
    }

    /// The CSRF token of session `sid`: HMAC-SHA256 under the process's key.
    pub fn csrf(&self, sid: &str) -> String {
        hmac_hex(&self.key, sid.as_bytes())
    }

    /// A login for `who`: the new session's id.
    pub fn open(&self, who: Principal) -> anyhow::Result<String> {
        let sid = fresh_id()?;
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.retain(|_, (_, at)| at.elapsed() < SESSION_TTL);
        if live.len() >= MAX_SESSIONS
            && let Some(oldest) = live
                .iter()
                .min_by_key(|(_, (_, at))| *at)
                .map(|(k, _)| k.clone())
        {
            live.remove(&oldest);
        }
        live.insert(sid.clone(), (who, Instant::now()));
        Ok(sid)
    }

    /// Ends the login `sid` (`/logout`); false when there was none.
    pub fn close(&self, sid: &str) -> bool {
        let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.remove(sid).is_some()
    }

    pub(super) fn get(&self, sid: &str) -> Option<Principal> {
        let live = self.live.lock().unwrap_or_else(|p| p.into_inner());
        live.get(sid)
            .filter(|(_, at)| at.elapsed() < SESSION_TTL)
            .map(|(p, _)| p.clone())
    }
}

pub(super) fn fresh_id() -> anyhow::Result<String> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex(&raw))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HMAC-SHA256 of `msg` under `key`, in hex.
pub(super) fn hmac_hex(key: &[u8; 32], msg: &[u8]) -> String {
    hex(&hmac(key, msg))
}

fn hmac(key: &[u8; 32], msg: &[u8]) -> Vec<u8> {
    let pad = |b: u8| -> Vec<u8> {
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(key);
        k.iter().map(|x| x ^ b).collect()
    };
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

pub async fn login_form(State(app): State<Arc<App>>) -> Response {
    if !app.auth.required() {
        return axum::response::Redirect::to("/").into_response();
    }
    Html(
        "<!doctype html><html><head><meta charset=utf-8><title>pipectl login</title>\
         <link rel=stylesheet href=/assets/desk.css></head><body><h1>pipectl desk</h1>\
         <form method=post action=/login><label>token <input type=password name=token \
         autocomplete=current-password></label> <button>log in</button></form></body></html>",
    )
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct Login {
    pub token: String,
}

/// `POST /login`: a session for the token's holder, in the HttpOnly cookie. An address
/// with too many failed token checks is refused (429, `Retry-After`) before the token is
/// looked at.
pub async fn login(
    State(app): State<Arc<App>>,
    Extension(peer): Extension<Peer>,
    Form(form): Form<Login>,
) -> Response {
    if !app.auth.required() {
        return axum::response::Redirect::to("/").into_response();
    }
    if let Some(wait) = app.throttle.locked(peer) {
        return too_many(wait, true);
    }
    let Some(who) = auth::holder(&app.auth, form.token.trim()) else {
        app.throttle.failed(peer);
        return (
            StatusCode::UNAUTHORIZED,
            Html("wrong token: <a href=/login>again</a>"),
        )
            .into_response();
    };
    let sid = match app.sessions.open(who) {
        Ok(sid) => sid,
        Err(e) => return super::ApiError::Fail(e).into_response(),
    };
    let mut response = axum::response::Redirect::to("/").into_response();
    if let Some(v) = auth::set_cookie(&app, &sid) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// `POST /logout` (CSRF-checked as every POST): ends this browser's session on the server
/// and clears its cookie, then sends it to `/login`.
pub async fn logout(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(sid) = auth::session_cookie(&headers) {
        app.sessions.close(sid);
    }
    let to = if app.auth.required() { "/login" } else { "/" };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
    let secure = if app.origins.iter().any(|o| o.starts_with("https://")) {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/{secure}"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// 429 with `Retry-After`: too many failed token checks from this address (an HTML page
/// for the login form, the error JSON otherwise).
pub fn too_many(wait: Duration, page: bool) -> Response {
    let secs = retry_after(wait);
    let message = format!("too many failed logins from this address: try again in {secs}s");
    let mut response = if page {
        (
            StatusCode::TOO_MANY_REQUESTS,
            Html(format!("{message}: <a href=/login>log in</a>")),
        )
            .into_response()
    } else {
        super::ApiError::http(
            StatusCode::TOO_MANY_REQUESTS,
            &message,
            "wait, then send a right token; the count is per address and per minute",
        )
        .into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}
