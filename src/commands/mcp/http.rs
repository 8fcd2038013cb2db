//! The same tools over Streamable HTTP, at `/mcp` on `pipectl serve` (behind its auth: the
//! bearer token, the Host check, the cross-origin POST check, all in serve's guard).
//!
//! The hook in serve is one route: `crate::commands::mcp::http::route(router, &app.mcp, ..)`.
//! Each MCP session gets a server of its own (its own Redis connection). Who the agent is
//! and which profile it has come from serve's `--mcp-profile` / `--mcp-as`, unless serve's
//! auth puts a `Principal` into the request's extensions: then that request is served as
//! that principal (how a token file's persons and roles map onto profiles).

use std::sync::Arc;

use anyhow::Result;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use super::{Options, Profile, Server};
use crate::config::Config;
use crate::error::Fail;
use crate::store::ConnectOptions;

/// The path the tools are served at.
pub const PATH: &str = "/mcp";

/// Who is calling, as serve's auth knows them: insert it into a request's extensions
/// (`req.extensions_mut().insert(Principal{..})`) before it reaches `/mcp`, and the call
/// is served with this profile and recorded under this name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub by: String,
    pub profile: Profile,
}

/// `pipectl serve`'s flags for `/mcp`.
#[derive(clap::Args, Debug, Clone)]
pub struct HttpArgs {
    /// Which MCP tools /mcp offers: reader, worker (read and work) or operator
    #[arg(long, value_enum, default_value = "worker", value_name = "ROLE")]
    pub mcp_profile: Profile,

    /// The agent's name for /mcp calls: the `by` of the audit records they write
    #[arg(long, default_value = "agent", value_name = "NAME")]
    pub mcp_as: String,

    /// Limit /mcp's stage-taking tools to these stages
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub mcp_stages: Vec<String>,
}

impl HttpArgs {
    /// The session options these flags give, checked against the config.
    pub fn options(&self, config: &Config) -> Result<Options, Fail> {
        options(
            config,
            self.mcp_profile,
            &self.mcp_stages,
            &self.mcp_as,
            "--mcp-stages",
        )
    }
}

/// Checks `--stages` and `--as` (stdio) or their `--mcp-…` forms (serve).
pub fn options(
    config: &Config,
    profile: Profile,
    stages: &[String],
    by: &str,
    flag: &str,
) -> Result<Options, Fail> {
    let stages: Vec<String> = stages
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(unknown) = stages.iter().find(|s| config.stage(s).is_none()) {
        return Err(Fail::usage(format!(
            "{flag}: the pipeline has no stage '{unknown}'"
        )));
    }
    // The same rule as a reviewer's --by.
    crate::audit::Actor::resolve(Some(by), None)?;
    Ok(Options {
        profile,
        stages,
        by: by.trim().to_owned(),
    })
}

/// Adds `/mcp` to `router`. Session streams end when the server stops (SIGTERM, SIGINT),
/// so a client holding one open does not keep `pipectl serve` from stopping.
pub fn route<S: Clone + Send + Sync + 'static>(
    router: axum::Router<S>,
    config: &Config,
    connect: &ConnectOptions,
    options: &Options,
) -> axum::Router<S> {
    let (config, connect, options) = (Arc::new(config.clone()), connect.clone(), options.clone());
    // serve's guard checks Host (on loopback) and Origin; rmcp's own Host list would refuse
    // every name but loopback ones, also behind a token on a public address.
    let http = StreamableHttpServerConfig::default().disable_allowed_hosts();
    let stop = http.cancellation_token.clone();
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async move {
            stopped().await;
            stop.cancel();
        });
    }
    let service = StreamableHttpService::new(
        move || {
            Ok(Server::new(
                Arc::clone(&config),
                connect.clone(),
                options.clone(),
            ))
        },
        Arc::new(LocalSessionManager::default()),
        http,
    );
    router.route_service(PATH, service)
}

async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            tokio::signal::ctrl_c().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn server() -> Server {
        let Ok(config) = crate::config::builtin("prospect") else {
            panic!("the built-in pipeline")
        };
        let second = Duration::from_secs(1);
        let connect = ConnectOptions {
            url: "redis://127.0.0.1:1".into(),
            password_from_env: None,
            connect_timeout: second,
            response_timeout: second,
            failover_timeout: second,
            cluster: false,
            tls: Default::default(),
        };
        let options = Options {
            profile: Profile::Worker,
            stages: vec!["build".into()],
            by: "agent".into(),
        };
        Server::new(Arc::new(config), connect, options)
    }

    fn names(inner: &super::super::Inner) -> Vec<&'static str> {
        inner.tools.iter().map(|t| t.name).collect()
    }

    #[test]
    fn a_principal_from_serves_auth_replaces_the_profile_and_the_name() {
        let server = server();
        // No principal (stdio, or serve without one): the session's own options.
        let own = server.view(&rmcp::model::Extensions::new());
        assert_eq!(own.options.by, "agent");
        assert!(names(&own).contains(&"pipectl_claim"));
        let mut extensions = rmcp::model::Extensions::new();
        let (mut parts, ()) = axum::http::Request::new(()).into_parts();
        parts.extensions.insert(Principal {
            by: "ann".into(),
            profile: Profile::Reader,
        });
        extensions.insert(parts);
        let ann = server.view(&extensions);
        assert_eq!(
            (ann.options.by.as_str(), ann.options.profile),
            ("ann", Profile::Reader)
        );
        assert_eq!(ann.options.stages, ["build"], "--mcp-stages still holds");
        assert!(
            !names(&ann).contains(&"pipectl_claim"),
            "a reader cannot claim"
        );
        assert!(names(&ann).contains(&"pipectl_status"));
        assert!(
            Arc::ptr_eq(&ann.store, &own.store),
            "one connection per session"
        );
    }
}
