//! Who may use `pipectl serve`: the bearer token (header or the login cookie), the Host
//! check against DNS rebinding on loopback, and the CSRF defence of every POST.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{ApiError, App};

/// The cookie `POST /login` sets (HttpOnly, SameSite=Strict).
pub const COOKIE: &str = "pipectl_token";

/// Compares two secrets in time independent of where they differ (both hashed first, so
/// neither length nor content leaks through timing).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

/// The token a request carries: `Authorization: Bearer T`, else the login cookie.
fn presented(headers: &HeaderMap) -> (Option<String>, bool) {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    if bearer.is_some() {
        return (bearer, true);
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned());
    (cookie, false)
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

/// A POST from a browser page must come from this origin: `Origin` (sent by browsers on
/// every POST) must name the Host asked. Clients that send no Origin are not browsers.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|h| h.to_str()),
    ) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

fn refuse(status: StatusCode, message: &str, hint: &str) -> Response {
    ApiError::http(status, message, hint).into_response()
}

/// Every request passes here first.
pub async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    if !host_ok(&app, headers) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers only to its own address (Host header refused)",
            "open the URL `pipectl serve` printed",
        );
    }
    let login = req.uri().path() == "/login";
    let (token, by_header) = presented(headers);
    if let Some(want) = &app.token
        && !login
        && !token.as_deref().is_some_and(|t| same_secret(t, want))
    {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "a token is required: send `Authorization: Bearer TOKEN` or log in at /login",
            "the token is the one in --token-file or $PIPECTL_SERVE_TOKEN",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if !by_header && !same_origin(headers) {
            return refuse(
                StatusCode::FORBIDDEN,
                "a cross-origin POST was refused",
                "post from the page this server serves, or send the token in an Authorization header",
            );
        }
        if app.read_only && !login {
            return refuse(
                StatusCode::FORBIDDEN,
                "this server is read-only (--read-only): it changes nothing",
                "restart `pipectl serve` without --read-only to decide or pause",
            );
        }
    }
    next.run(req).await
}
