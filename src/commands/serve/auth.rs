//! Who may use `pipectl serve` and how: the token (a bearer header, or the session cookie
//! `/login` sets), the role each route needs, the Host check against DNS rebinding on
//! loopback, and the CSRF defence of every POST (same origin plus a per-session token).
//!
//! The API other routes (e.g. `/mcp`) build on: [`authenticate`] answers the
//! [`Principal`] of a request's headers; [`guard`], the middleware every route passes,
//! puts it in the request's extensions, so a handler takes `Extension<Principal>`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub use super::session::Sessions;
use super::session::fresh_id;
use super::throttle::Peer;
pub use super::tokens::{Auth, Role};
use super::{ApiError, App};

/// The session cookie (HttpOnly, SameSite=Strict): `/login` sets it; without tokens every
/// page sets one, to bind the CSRF token to.
pub const COOKIE: &str = "pipectl_session";
/// The header a POST from a page carries its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who sent a request and what they may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The person of the token; None without per-person tokens (no token, or the shared
    /// one): then a request names its reviewer (`by`, `X-Pipectl-Reviewer`).
    pub person: Option<String>,
    /// Capped at viewer by --read-only.
    pub role: Role,
}

impl Principal {
    pub fn may(&self, role: Role) -> bool {
        self.role >= role
    }

    /// Who a decision names: the token's person (a request naming someone else is
    /// refused), else the name the request asked for.
    pub fn decider(&self, asked: Option<&str>) -> Result<Option<String>, ApiError> {
        let asked = asked.map(str::trim).filter(|a| !a.is_empty());
        match (&self.person, asked) {
            (Some(p), Some(a)) if a != p => Err(ApiError::http(
                StatusCode::FORBIDDEN,
                &format!("you are {p}: a decision names the person of its token, not another"),
                "leave out \"by\" (and X-Pipectl-Reviewer), or use that person's token",
            )),
            (Some(p), _) => Ok(Some(p.clone())),
            (None, a) => Ok(a.map(str::to_owned)),
        }
    }
}

/// The CSRF token of the request's session, for a page to embed (empty for bearer clients,
/// whose POSTs need none).
#[derive(Clone, Debug, Default)]
pub struct Csrf(pub String);

/// Compares two secrets in time independent of where they differ (both hashed first, so
/// neither length nor content leaks through timing).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

/// Who holds `token`: every entry is compared, so timing says nothing about which matched.
pub fn holder(auth: &Auth, token: &str) -> Option<Principal> {
    match auth {
        Auth::Open => None,
        Auth::Shared(want) => same_secret(token, want).then_some(Principal {
            person: None,
            role: Role::Operator,
        }),
        Auth::People(entries) => entries
            .iter()
            .filter(|e| same_secret(token, &e.token))
            .fold(None, |found, e| {
                found.or(Some(Principal {
                    person: Some(e.person.clone()),
                    role: e.role,
                }))
            }),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The session cookie's value.
pub(super) fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v)
}

/// How a request proved who it is.
enum Proof {
    Bearer,
    /// The session cookie (or, without tokens, a request carrying none).
    Session(Option<String>),
}

fn identify(app: &App, headers: &HeaderMap) -> Result<(Principal, Proof), ApiError> {
    let cap = |mut p: Principal| {
        if app.read_only {
            p.role = p.role.min(Role::Viewer);
        }
        p
    };
    let sid = session_cookie(headers).map(str::to_owned);
    if let Auth::Open = app.auth {
        let anyone = Principal {
            person: None,
            role: Role::Operator,
        };
        return Ok((cap(anyone), Proof::Session(sid)));
    }
    if let Some(token) = bearer(headers) {
        return match holder(&app.auth, token) {
            Some(p) => Ok((cap(p), Proof::Bearer)),
            None => Err(unauthorized()),
        };
    }
    match sid.as_deref().and_then(|s| app.sessions.get(s)) {
        Some(p) => Ok((cap(p), Proof::Session(sid))),
        None => Err(unauthorized()),
    }
}

fn unauthorized() -> ApiError {
    ApiError::http(
        StatusCode::UNAUTHORIZED,
        "a token is required: send `Authorization: Bearer TOKEN` or log in at /login",
        "the tokens are those of --tokens FILE, --token-file or $PIPECTL_SERVE_TOKEN",
    )
}

/// Who sent `headers`: the holder of the bearer token, or of the login session the cookie
/// names; without tokens, anyone (as operator). --read-only caps the role at viewer.
pub fn authenticate(app: &App, headers: &HeaderMap) -> Result<Principal, ApiError> {
    identify(app, headers).map(|(p, _)| p)
}

/// The role a route needs; None for the login, the static assets and the preview files
/// (their URLs carry a capability: serve/preview.rs), open to all.
/// GET needs viewer; a POST reviewer, or operator for pause/resume and dead letters.
/// `/mcp` needs viewer: its handler checks each tool against the Principal.
pub fn needed(method: &Method, path: &str) -> Option<Role> {
    if path == "/login" || path.starts_with("/assets/") || path.starts_with("/preview/") {
        return None;
    }
    if method == Method::GET || method == Method::HEAD {
        return Some(Role::Viewer);
    }
    Some(match path {
        "/mcp" | "/logout" => Role::Viewer,
        "/api/pause" | "/api/resume" | "/api/dead/retry" | "/api/dead/purge" => Role::Operator,
        _ => Role::Reviewer,
    })
}

/// The Host a request names, when it is one this server answers to on loopback.
fn host_ok(app: &App, headers: &HeaderMap) -> bool {
    if !app.loopback {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// A POST from a browser page must come from this origin: `Sec-Fetch-Site`, when sent, must
/// say same-origin, and `Origin` (sent by browsers on every POST) must name the Host asked
/// or one of the --origin URLs. Clients that send neither are not browsers.
fn same_origin(app: &App, headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && site.as_bytes() != b"same-origin"
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if app.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some(Ok(host)) = headers.get(header::HOST).map(|h| h.to_str()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// Whether a browser sent it: browsers send `Origin` on every POST and `Sec-Fetch-Site` on
/// every request; scripts (curl) send neither, nor a cookie.
fn from_browser(headers: &HeaderMap, sid: Option<&str>) -> bool {
    sid.is_some() || headers.contains_key(header::ORIGIN) || headers.contains_key("sec-fetch-site")
}

/// A POST carries its session's CSRF token, unless it authenticates with a bearer token
/// (which a browser never attaches by itself) or, without tokens, comes from no browser.
fn csrf_ok(app: &App, headers: &HeaderMap, proof: &Proof) -> bool {
    let sid = match proof {
        Proof::Bearer => return true,
        Proof::Session(sid) => sid.as_deref(),
    };
    if !from_browser(headers, sid) {
        return matches!(app.auth, Auth::Open);
    }
    let (Some(sid), Some(sent)) = (sid, headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))
    else {
        return false;
    };
    same_secret(sent, &app.sessions.csrf(sid))
}

fn refuse(status: StatusCode, message: &str, hint: &str) -> Response {
    ApiError::http(status, message, hint).into_response()
}

/// The session cookie's `Set-Cookie` value; `Secure` when an --origin is https.
pub fn set_cookie(app: &App, sid: &str) -> Option<HeaderValue> {
    let secure = if app.origins.iter().any(|o| o.starts_with("https://")) {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{COOKIE}={sid}; HttpOnly; SameSite=Strict; Path=/{secure}"
    ))
    .ok()
}

/// Every request passes here first.
/// Who an agent calling `/mcp` is: the token's person (else `--mcp-as`), with the profile
/// its role allows (viewer: reader, reviewer: worker, operator: operator), never more than
/// `--mcp-profile`.
fn mcp_principal(app: &App, who: &Principal) -> crate::commands::mcp::http::Principal {
    use crate::commands::mcp::Profile;
    let allowed = match who.role {
        Role::Viewer => Profile::Reader,
        Role::Reviewer => Profile::Worker,
        Role::Operator => Profile::Operator,
    };
    crate::commands::mcp::http::Principal {
        by: who.person.clone().unwrap_or_else(|| app.mcp.by.clone()),
        profile: allowed.min(app.mcp.profile),
    }
}

pub async fn guard(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let peer = peer(&app, &req);
    req.extensions_mut().insert(peer);
    let headers = req.headers();
    if !host_ok(&app, headers) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only to its own address (Host header refused)",
            "open the URL `pipectl serve` printed",
        );
    }
    let post = req.method() != Method::GET && req.method() != Method::HEAD;
    let Some(need) = needed(req.method(), req.uri().path()) else {
        if post && !same_origin(&app, headers) {
            return refuse(
                StatusCode::FORBIDDEN,
                "a cross-origin POST was refused",
                "log in from the page this server serves",
            );
        }
        return next.run(req).await;
    };
    // A bearer token is a token check too: under the login rate limit.
    let token_check = bearer(headers).is_some();
    if token_check && let Some(wait) = app.throttle.locked(peer) {
        return super::session::too_many(wait, false);
    }
    let (who, proof) = match identify(&app, headers) {
        Ok(found) => found,
        Err(err) if token_check => {
            app.throttle.failed(peer);
            return err.into_response();
        }
        Err(_) if !post && wants_html(headers) && app.auth.required() => {
            return axum::response::Redirect::to("/login").into_response();
        }
        Err(err) => return err.into_response(),
    };
    if post {
        if !matches!(proof, Proof::Bearer) && !same_origin(&app, headers) {
            return refuse(
                StatusCode::FORBIDDEN,
                "a cross-origin POST was refused",
                "post from the page this server serves, or send the token in an Authorization header",
            );
        }
        if !csrf_ok(&app, headers, &proof) {
            return refuse(
                StatusCode::FORBIDDEN,
                "this POST lacks its session's CSRF token (X-CSRF-Token)",
                "post from the page this server serves (reload it), or send the token in an Authorization header",
            );
        }
        if app.read_only && need > Role::Viewer {
            return refuse(
                StatusCode::FORBIDDEN,
                "this server is read-only (--read-only): it changes nothing",
                "restart `pipectl serve` without --read-only to decide or pause",
            );
        }
    }
    if !who.may(need) {
        return refuse(
            StatusCode::FORBIDDEN,
            &format!(
                "{} is a {}: this needs the {} role",
                who.person.as_deref().unwrap_or("this token"),
                who.role.name(),
                need.name()
            ),
            "ask for a token with that role in the --tokens file",
        );
    }
    // The session the page's CSRF token binds to: without tokens, a new one when the
    // browser brings none.
    let mut new_sid = None;
    let csrf = match &proof {
        Proof::Bearer => Csrf::default(),
        Proof::Session(Some(sid)) => Csrf(app.sessions.csrf(sid)),
        Proof::Session(None) => match fresh_id() {
            Ok(sid) => {
                let csrf = Csrf(app.sessions.csrf(&sid));
                new_sid = Some(sid);
                csrf
            }
            Err(e) => return ApiError::Fail(e).into_response(),
        },
    };
    if req.uri().path() == crate::commands::mcp::http::PATH {
        let agent = mcp_principal(&app, &who);
        req.extensions_mut().insert(agent);
    }
    req.extensions_mut().insert(who);
    req.extensions_mut().insert(csrf);
    let mut response = next.run(req).await;
    if let Some(v) = new_sid.as_deref().and_then(|sid| set_cookie(&app, sid)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Where a request came from (the rate limit's key): the TCP peer; behind a reverse proxy
/// (an --origin given, the proxy on loopback) the last `X-Forwarded-For` address, the one
/// the proxy saw.
fn peer(app: &App, req: &Request) -> Peer {
    let tcp = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !app.origins.is_empty() && tcp.is_some_and(|ip| ip.is_loopback()) {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|a| a.trim().parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return Peer(forwarded);
        }
    }
    Peer(tcp)
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_shape_and_roles_route() {
        // HMAC-SHA256, key 32 bytes of 0x0b, "Hi There": as Python's hmac module computes it.
        let key = [0x0bu8; 32];
        let mac = super::super::session::hmac_hex(&key, b"Hi There");
        assert_eq!(
            mac,
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
        assert_eq!(needed(&Method::GET, "/api/dead"), Some(Role::Viewer));
        assert_eq!(
            needed(&Method::POST, "/api/desk/decide"),
            Some(Role::Reviewer)
        );
        assert_eq!(
            needed(&Method::POST, "/api/dead/purge"),
            Some(Role::Operator)
        );
        assert_eq!(needed(&Method::POST, "/login"), None);
        let alice = Principal {
            person: Some("alice".into()),
            role: Role::Reviewer,
        };
        assert!(alice.decider(Some("bob")).is_err());
        assert_eq!(
            alice.decider(Some(" alice ")).ok().flatten().as_deref(),
            Some("alice")
        );
        assert_eq!(alice.decider(None).ok().flatten().as_deref(), Some("alice"));
    }
}
