mod api;
mod app;
mod auth;
mod desk;
mod html;
mod ops;
mod preview;
mod session;
mod svg;
mod throttle;
mod tokens;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Result;

use crate::commands::actor::ActorArgs;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::Output;

pub use app::{ApiError, App, blocking, typed};
pub use auth::{Principal, Role, authenticate, same_secret};

/// Serve the web review desk and the JSON API over HTTP
///
/// One server in the binary, nothing fetched from elsewhere (works offline). `/` is the review
/// desk: each manual stage's staged items in review order; the item claimed for you beside
/// its preview (the --preview-field URL in a sandboxed frame: http/https, or a file under
/// --preview-dir served at /preview/…); keys j/s
/// next, k back, a approve, r reject with a reason, b send back with a note. `/api/…`
/// answers the CLI's typed results as JSON (the docs/schema shapes): GET /api/status,
/// GET /api/staged?stage=&offset=&limit=, POST /api/approve, /api/reject, /api/send-back
/// ({"positions":["1","3-5"],"where":["site.city=Austin"],"all","limit","stage","by",
/// "note","reason","force"}), POST /api/desk/decide, /api/pause, /api/resume. Errors are
/// the CLI's error JSON, the HTTP status from the exit code (2→400, 3→404, 69→503, …);
/// every typed answer carries its exit code in X-Pipectl-Exit.
///
/// Auth: --tokens FILE gives each person a token and a role, one `PERSON ROLE TOKEN` line
/// each (role viewer: reads only; reviewer: also decides; operator: also pauses, resumes,
/// retries and purges dead letters); every decision names the token's person. The file
/// must not be readable by every user. Or one shared token (--token-file or
/// $PIPECTL_SERVE_TOKEN, operator rights), or none on loopback: then a request names its
/// reviewer ("by", X-Pipectl-Reviewer, else --by / $PIPECTL_REVIEWER / the login name).
/// Requests carry `Authorization: Bearer TOKEN` or the session cookie /login sets (POST
/// /logout ends it); 5 failed token checks a minute from one address get 429 with
/// Retry-After until the minute is over (counted in memory). A --listen address that is
/// not loopback refuses to start without tokens. A POST from a
/// browser must come from this origin and carry its session's CSRF token (X-CSRF-Token);
/// JSON bodies only; on loopback only the server's own Host names are answered.
/// --read-only refuses every state-changing POST.
///
/// /mcp serves the tools of `pipectl mcp` over MCP's Streamable HTTP, behind the same tokens:
/// a token's role caps the profile (viewer: reader, reviewer: worker, operator: operator) and
/// its person is the agent named in the audit records; --mcp-profile caps it further (default
/// worker), --mcp-as names the agent without tokens (default agent), --mcp-stages limits the
/// tools to some stages. --read-only refuses /mcp too.
/// Stops cleanly on SIGTERM or SIGINT. With --json: one line {"url"} once listening.
///
/// Examples:
///   pipectl serve
///   pipectl serve --listen 0.0.0.0:8765 --tokens /etc/pipectl/serve-tokens
///   pipectl serve --read-only --json
///
/// Exit codes: 0 stopped by a signal, 1 the server failed, 2 bad arguments (a non-loopback
/// --listen without a token, a bad or world-readable token file, an address in use),
/// 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1:8765", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Serve pages and GET requests only: every state-changing request is refused
    #[arg(long)]
    pub read_only: bool,

    /// A file holding the bearer token every request must carry [default: $PIPECTL_SERVE_TOKEN]
    #[arg(long, value_name = "PATH", conflicts_with = "tokens")]
    pub token_file: Option<PathBuf>,

    /// A file of `PERSON ROLE TOKEN` lines (roles: viewer, reviewer, operator), not readable by all
    #[arg(long, value_name = "FILE")]
    pub tokens: Option<PathBuf>,

    /// The public URL behind a reverse proxy (e.g. https://desk.example.com): its Host is
    /// answered and browsers' POSTs may come from it; https makes the cookie Secure
    #[arg(long, value_name = "URL", value_parser = origin)]
    pub origin: Vec<String>,

    /// The item field holding the preview URL (a dotted path)
    #[arg(long, default_value = "preview_url", value_name = "FIELD")]
    pub preview_field: String,

    /// Serve the files under DIR at /preview/…: a preview field naming a file there (its
    /// path, absolute or relative to DIR, or a file:// URL) is framed from it, sandboxed
    #[arg(long, value_name = "DIR")]
    pub preview_dir: Option<PathBuf>,

    #[command(flatten)]
    pub actor: ActorArgs,

    /// The MCP tools at /mcp (`pipectl mcp` over Streamable HTTP)
    #[command(flatten)]
    pub mcp: crate::commands::mcp::HttpArgs,
}

/// `pipectl serve --json`: where it listens.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Listening {
    /// The URL of the desk.
    pub url: String,
    /// Every POST is refused.
    pub read_only: bool,
    /// Requests need the bearer token.
    pub auth: bool,
}

impl crate::output::Report for Listening {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(format_args!(
            "pipectl serve: {}{}{} (Ctrl-C to stop)",
            self.url,
            if self.read_only { " read-only" } else { "" },
            if self.auth { ", token required" } else { "" }
        ))
    }
}

/// An --origin: `http(s)://host[:port]`, lowercase, without a path.
fn origin(text: &str) -> Result<String, String> {
    let o = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let host = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
        .ok_or("give http://HOST or https://HOST[:PORT]")?;
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err("give only the scheme and host[:port], no path".to_owned());
    }
    Ok(o)
}

fn load_auth(args: &Args) -> Result<tokens::Auth, Fail> {
    if let Some(path) = &args.tokens {
        return Ok(tokens::Auth::People(tokens::load(path)?));
    }
    let raw = match &args.token_file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            Fail::usage(format!(
                "cannot read the token file {}: {e}",
                path.display()
            ))
        })?,
        None => std::env::var("PIPECTL_SERVE_TOKEN").unwrap_or_default(),
    };
    let token = raw.trim().to_owned();
    if token.is_empty() {
        if args.token_file.is_some() {
            return Err(Fail::usage("the token file is empty"));
        }
        return Ok(tokens::Auth::Open);
    }
    if let Some(why) = tokens::token_problem(&token) {
        return Err(Fail::usage(format!(
            "the token is {why}: give at least 16 characters, without spaces, control characters, ';' or ','"
        ))
        .hint("e.g. head -c 24 /dev/urandom | base64 > token"));
    }
    Ok(tokens::Auth::Shared(token))
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let auth = load_auth(&args)?;
    let loopback = args.listen.ip().is_loopback();
    if !loopback && !auth.required() {
        return Err(Fail::usage(format!(
            "refusing to listen on {} without a token: anyone who reaches it could decide items",
            args.listen
        ))
        .hint("give --tokens FILE (or --token-file PATH, $PIPECTL_SERVE_TOKEN), or listen on 127.0.0.1")
        .into());
    }
    let default_by = args.actor.actor()?.by;
    let config = ctx.config()?.clone();
    let mcp = args.mcp.options(&config)?;
    let listener = std::net::TcpListener::bind(args.listen).map_err(|e| {
        Fail::usage(format!("cannot listen on {}: {e}", args.listen))
            .hint("pick another --listen address or port")
    })?;
    let addr = listener.local_addr()?;
    let app = App {
        config,
        connect: ctx.connect_options(),
        auth: auth.clone(),
        sessions: auth::Sessions::new()?,
        throttle: throttle::Throttle::default(),
        read_only: args.read_only,
        default_by,
        preview_field: args.preview_field,
        previews: args
            .preview_dir
            .as_deref()
            .map(preview::Previews::open)
            .transpose()?,
        loopback,
        hosts: {
            let mut hosts = app::loopback_hosts(addr);
            hosts.extend(
                args.origin
                    .iter()
                    .filter_map(|o| o.split_once("://"))
                    .map(|(_, h)| h.to_owned()),
            );
            hosts
        },
        origins: args.origin.clone(),
        mcp,
    };
    ctx.out.print(&Listening {
        url: format!("http://{addr}/"),
        read_only: args.read_only,
        auth: auth.required(),
    })?;
    ctx.out.flush()?;
    app::serve(app, listener)?;
    Ok(Exit::Ok)
}
