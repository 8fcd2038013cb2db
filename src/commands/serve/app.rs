//! The server of `pipectl serve`: the web review desk, the JSON API and its auth, on one axum server.
//! Tokio lives only here: every store call runs on a blocking thread with a connection of
//! its own (one per request, never reused after a lost reply).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::config::Config;
use crate::exit::Exit;
use crate::report::{ErrorBody, ErrorDoc, Verdict};
use crate::store::{ConnectOptions, Store};

use super::{api, auth, desk, ops, preview, session};

/// What every request handler shares.
pub struct App {
    pub config: Config,
    pub connect: ConnectOptions,
    /// Who may come in (the tokens), and the logins of this process.
    pub auth: auth::Auth,
    pub sessions: auth::Sessions,
    /// Failed token checks per remote address (the login rate limit).
    pub throttle: super::throttle::Throttle,
    pub read_only: bool,
    /// Who decides when a request names nobody (`by` field, `X-Pipectl-Reviewer`).
    pub default_by: String,
    /// The item field holding the preview URL.
    pub preview_field: String,
    /// The preview files served at `/preview/…` (--preview-dir).
    pub previews: Option<super::preview::Previews>,
    /// Listening on loopback: only these Host headers are answered (DNS rebinding).
    pub loopback: bool,
    pub hosts: Vec<String>,
    /// The public origins the pages are served under (--origin, behind a reverse proxy),
    /// lowercase `scheme://host[:port]`: a POST's Origin may name one of them.
    pub origins: Vec<String>,
    /// The session options of `/mcp` (serve's `--mcp-…` flags).
    pub mcp: crate::commands::mcp::Options,
}

/// An error answered as the CLI's ErrorDoc JSON, its HTTP status from the exit code.
pub enum ApiError {
    Fail(anyhow::Error),
    Http {
        status: StatusCode,
        message: String,
        hint: String,
    },
}

impl ApiError {
    pub fn http(status: StatusCode, message: &str, hint: &str) -> ApiError {
        ApiError::Http {
            status,
            message: message.to_owned(),
            hint: hint.to_owned(),
        }
    }

    /// The status and the document.
    pub fn doc(&self) -> (StatusCode, ErrorDoc) {
        let (status, exit, message, hint, causes, partial) = match self {
            ApiError::Http {
                status,
                message,
                hint,
            } => (
                *status,
                if *status == StatusCode::UNAUTHORIZED || *status == StatusCode::FORBIDDEN {
                    Exit::NoPerm
                } else if *status == StatusCode::TOO_MANY_REQUESTS {
                    Exit::RateLimited
                } else {
                    Exit::Usage
                },
                message.clone(),
                Some(hint.clone()),
                Vec::new(),
                None,
            ),
            ApiError::Fail(err) => match crate::report::classify(err) {
                Verdict::BrokenPipe => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Exit::Failure,
                    err.to_string(),
                    None,
                    Vec::new(),
                    None,
                ),
                Verdict::Report {
                    exit,
                    message,
                    hint,
                    causes,
                    partial,
                } => (status_of(exit), exit, message, hint, causes, partial),
            },
        };
        let doc = ErrorDoc {
            error: ErrorBody {
                code: exit.code(),
                name: exit.name(),
                message,
                hint,
                causes,
                partial,
            },
        };
        (status, doc)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> ApiError {
        ApiError::Fail(err)
    }
}

impl From<crate::error::Fail> for ApiError {
    fn from(err: crate::error::Fail) -> ApiError {
        ApiError::Fail(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, doc) = self.doc();
        (status, axum::Json(doc)).into_response()
    }
}

/// The HTTP status of an error's exit code.
pub fn status_of(exit: Exit) -> StatusCode {
    match exit {
        Exit::Ok => StatusCode::OK,
        Exit::Usage => StatusCode::BAD_REQUEST,
        Exit::NothingToDo => StatusCode::NOT_FOUND,
        Exit::Paused | Exit::DataErr => StatusCode::CONFLICT,
        Exit::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Exit::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Exit::NoPerm => StatusCode::FORBIDDEN,
        Exit::Failure | Exit::Config => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Runs `f` with a fresh connection on a blocking thread.
pub async fn blocking<T, F>(app: &Arc<App>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&App, &mut Store) -> anyhow::Result<T> + Send + 'static,
{
    let app = Arc::clone(app);
    let joined = tokio::task::spawn_blocking(move || {
        let mut store = Store::connect(&app.connect)?;
        f(&app, &mut store)
    })
    .await;
    match joined {
        Ok(result) => result.map_err(ApiError::Fail),
        Err(e) => Err(ApiError::Fail(anyhow::anyhow!(
            "the request's worker failed: {e}"
        ))),
    }
}

/// A typed result as JSON, its exit code in `X-Pipectl-Exit`.
pub fn typed<T: serde::Serialize>(value: &T, exit: Exit) -> Response {
    let mut response = axum::Json(value).into_response();
    if let Ok(v) = HeaderValue::from_str(&exit.code().to_string()) {
        response.headers_mut().insert("x-pipectl-exit", v);
    }
    response
}

/// The headers every answer carries: a strict CSP, no framing, no sniffing, no caching.
async fn harden(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    // A preview file brings its own (sandboxed, framable by the desk): kept.
    let own = h.contains_key(header::CONTENT_SECURITY_POLICY);
    if !own {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; frame-src http: https:; form-action 'self'; base-uri 'none'; \
             frame-ancestors 'none'",
            ),
        );
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the
    // page's own form POSTs, and the same-origin check could not tell them from a sandbox's.
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Every route of `pipectl serve`, built here and nowhere else. Each one passes
/// [`auth::guard`] first: the Host check, authentication, the CSRF check of a POST and the
/// role [`auth::needed`] names for its path; a handler then takes
/// `Extension<auth::Principal>` (who, and their role) and `Extension<auth::Csrf>` (the token
/// its page embeds). A new route is one more `.route(…)` here, and its role a line of
/// `auth::needed` (GET: viewer; POST: reviewer unless named there).
pub fn router(app: Arc<App>) -> axum::Router {
    let router = axum::Router::new();
    // POST/GET/DELETE /mcp: the MCP tools over Streamable HTTP (src/commands/mcp/http.rs).
    let router = crate::commands::mcp::http::route(router, &app.config, &app.connect, &app.mcp);
    router
        .route("/", get(desk::page))
        .route("/desk/list", get(desk::list))
        .route("/login", get(session::login_form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/assets/desk.css", get(desk::css))
        .route("/assets/desk.js", get(desk::js))
        .route("/ops", get(ops::page))
        .route("/ops/board", get(ops::fragment))
        .route("/assets/ops.js", get(desk::ops_js))
        .route("/preview/{*path}", get(preview::file))
        .route("/api/dead", get(ops::dead_list))
        .route("/api/dead/retry", post(ops::retry))
        .route("/api/dead/purge", post(ops::purge))
        .route("/api/audit", get(ops::audit_list))
        .route("/api/status", get(api::status))
        .route("/metrics", get(api::metrics))
        .route("/api/staged", get(api::staged))
        .route("/api/approve", post(api::approve))
        .route("/api/reject", post(api::reject))
        .route("/api/send-back", post(api::send_back))
        .route("/api/desk/decide", post(api::decide))
        .route("/api/pause", post(api::pause))
        .route("/api/resume", post(api::resume))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            auth::guard,
        ))
        .layer(axum::middleware::from_fn(harden))
        .with_state(app)
}

/// Serves on `listener` until SIGTERM or SIGINT, then finishes the requests in flight.
pub fn serve(app: App, listener: std::net::TcpListener) -> anyhow::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let service = router(Arc::new(app)).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok::<(), anyhow::Error>(())
    })
}

async fn shutdown() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => {
            tokio::signal::ctrl_c().await.ok();
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// The Host headers a loopback server answers to.
pub fn loopback_hosts(addr: SocketAddr) -> Vec<String> {
    let port = addr.port();
    vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        addr.to_string(),
    ]
}
