//! `pipectl mcp`: the pipeline as tools for AI agents, a Model Context Protocol server over
//! stdio (the official Rust SDK, rmcp). Every tool calls the same execute functions and
//! store operations as the CLI, and answers the same typed results as `--json`; tokio lives
//! here only, and each call runs the blocking store on tokio's blocking pool.

mod claim;
mod cli;
mod decide;
mod errors;
pub mod http;
mod operate;
mod queue;
mod read;
mod tools;
mod work;

use std::sync::{Arc, Mutex};

use anyhow::Result;
use rmcp::ServiceExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::Fail;
use crate::exit::Exit;
use crate::store::{ConnectOptions, Store};

pub use cli::{Args, run};
pub use http::{HttpArgs, Principal};
pub use tools::{Group, Listed, Profile, ToolDef};

/// What `pipectl mcp` was started with.
#[derive(Clone, Debug)]
pub struct Options {
    pub profile: Profile,
    /// Stage-taking tools work on these stages only (empty: every stage).
    pub stages: Vec<String>,
    /// Who the agent is: the `by` of every mutating call's audit record.
    pub by: String,
}

/// Everything a tool call may use.
pub struct Inner {
    pub config: Arc<Config>,
    pub options: Options,
    connect: ConnectOptions,
    /// One connection, made on first use and again after Redis went away (shared by the
    /// views of one session for other principals, see `Server::view`).
    store: Arc<Mutex<Option<Store>>>,
    tools: Vec<&'static ToolDef>,
}

impl Inner {
    /// Refuses a stage outside `--stages` (a tool error the model sees).
    pub fn allow_stage(&self, stage: &str) -> Result<()> {
        if self.options.stages.is_empty() || self.options.stages.iter().any(|s| s == stage) {
            return Ok(());
        }
        Err(Fail::usage(format!(
            "stage '{stage}' is not open to this agent: pipectl mcp was started with --stages {}",
            self.options.stages.join(",")
        ))
        .hint("use one of those stages, or ask the operator to restart pipectl mcp with --stages naming it")
        .into())
    }

    /// The stage `name`, when the config has it and `--stages` allows it.
    pub fn stage(&self, name: &str) -> Result<&crate::config::Stage> {
        let Some(stage) = self.config.stage(name) else {
            let names: Vec<&str> = self.config.stages.iter().map(|s| s.name.as_str()).collect();
            return Err(Fail::usage(format!("the pipeline has no stage '{name}'"))
                .hint(format!("stages: {}", names.join(", ")))
                .into());
        };
        self.allow_stage(name)?;
        Ok(stage)
    }

    /// The agent as an audit actor.
    pub fn actor(&self, note: Option<&str>) -> Result<crate::audit::Actor> {
        Ok(crate::audit::Actor::resolve(Some(&self.options.by), note)?)
    }

    /// Runs `op` with the connection, connecting first if need be. After an error that
    /// means Redis went away the connection is dropped, so the next call connects again.
    fn with_store<T>(&self, op: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        // A call that panicked left the connection in an unknown state: start afresh.
        let mut slot = self.store.lock().unwrap_or_else(|poisoned| {
            self.store.clear_poison();
            let mut slot = poisoned.into_inner();
            *slot = None;
            slot
        });
        if slot.is_none() {
            *slot = Some(Store::connect(&self.connect)?);
        }
        let Some(store) = slot.as_mut() else {
            anyhow::bail!("no Redis connection");
        };
        let result = op(store);
        if let Err(err) = &result
            && errors::lost_connection(err)
        {
            *slot = None;
        }
        result
    }
}

/// A tool's `where` conditions, as `--where` takes them; a bad one is a usage error.
pub fn conditions(raw: &[String]) -> Result<Vec<crate::input::Condition>, crate::error::Fail> {
    raw.iter()
        .map(|c| {
            crate::input::parse_condition(c)
                .map_err(|e| crate::error::Fail::usage(format!("where: {e}")))
        })
        .collect()
}

/// A tool's arguments, or a usage error saying what is wrong with them.
pub fn parse<T: serde::de::DeserializeOwned>(args: Value) -> Result<T> {
    serde_json::from_value(args).map_err(|e| {
        Fail::usage(format!("bad arguments: {e}"))
            .hint("see the tool's input schema")
            .into()
    })
}

/// A tool's typed result as its structured content.
pub fn to_value(result: &impl serde::Serialize) -> Result<Value> {
    Ok(serde_json::to_value(result)?)
}

/// The MCP server: the tools the profile allows.
#[derive(Clone)]
pub struct Server {
    inner: Arc<Inner>,
}

impl Server {
    pub fn new(config: Arc<Config>, connect: ConnectOptions, options: Options) -> Server {
        let tools = tools::offered(&config, &options);
        Server {
            inner: Arc::new(Inner {
                config,
                options,
                connect,
                store: Arc::new(Mutex::new(None)),
                tools,
            }),
        }
    }

    /// The session as a request sees it: over HTTP, a `Principal` the server's auth put in
    /// the request's extensions replaces the profile and the name the server was started
    /// with (same connection, same `--stages`); otherwise the session itself.
    fn view(&self, extensions: &rmcp::model::Extensions) -> Arc<Inner> {
        let principal = extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Principal>());
        let Some(p) = principal else {
            return Arc::clone(&self.inner);
        };
        if p.profile == self.inner.options.profile && p.by == self.inner.options.by {
            return Arc::clone(&self.inner);
        }
        let options = Options {
            profile: p.profile,
            stages: self.inner.options.stages.clone(),
            by: p.by.clone(),
        };
        Arc::new(Inner {
            config: Arc::clone(&self.inner.config),
            tools: tools::offered(&self.inner.config, &options),
            options,
            connect: self.inner.connect.clone(),
            store: Arc::clone(&self.inner.store),
        })
    }

    /// The tools this server offers, as MCP lists them.
    pub fn tools(&self) -> Vec<Tool> {
        self.inner.tools.iter().map(|t| t.tool()).collect()
    }

    /// Runs a tool this session offers (the caller checked `def` is one).
    async fn call(
        inner: Arc<Inner>,
        def: &'static ToolDef,
        arguments: Option<Map<String, Value>>,
    ) -> CallToolResult {
        let args = Value::Object(arguments.unwrap_or_default());
        let joined = tokio::task::spawn_blocking(move || {
            inner.with_store(|store| (def.call)(&inner, store, args))
        })
        .await;
        match joined {
            Ok(Ok(value)) => CallToolResult::structured(value),
            Ok(Err(err)) => errors::tool_error(&err),
            Err(join) => errors::tool_error(&anyhow::anyhow!("the tool call failed: {join}")),
        }
    }
}

impl rmcp::ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build());
        info.server_info = Implementation::new("pipectl", env!("CARGO_PKG_VERSION"));
        info.instructions = Some(format!(
            "pipectl pipeline '{}' as tools (profile {}): read where things stand, claim work \
             of a stage under a lease, finish it with pipectl_complete / pipectl_fail / \
             pipectl_defer, or hand it to a person with pipectl_escalate. Failures come back \
             as tool errors naming the exit code, what failed and what to do.",
            self.inner.config.name,
            self.inner.options.profile.name()
        ));
        info
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, rmcp::ErrorData> {
        let inner = self.view(&context.extensions);
        Ok(ListToolsResult::with_all_items(
            inner.tools.iter().map(|t| t.tool()).collect(),
        ))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.inner
            .tools
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.tool())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, rmcp::ErrorData> {
        let inner = self.view(&context.extensions);
        // A tool this session does not offer is a protocol error (invalid params), as MCP
        // has it; everything that goes wrong in a tool it offers is a tool error.
        let Some(def) = inner.tools.iter().find(|t| t.name == request.name).copied() else {
            return Err(rmcp::ErrorData::invalid_params(
                format!(
                    "no tool '{}' in this session: the profile (--profile {}) and the config decide which exist; list the tools again",
                    request.name,
                    inner.options.profile.name()
                ),
                None,
            ));
        };
        Ok(Server::call(inner, def, request.arguments).await.into())
    }
}

/// Serves MCP on stdin/stdout until the client closes it. Redis is reached on the first
/// tool call (and again after it went away), so the server starts without it.
pub fn serve(config: Config, connect: ConnectOptions, options: Options) -> Result<Exit> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the MCP server's runtime: {e}"))?;
    let server = Server::new(Arc::new(config), connect, options);
    runtime.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Fail::new(Exit::Failure, format!("the MCP session did not start: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Fail::new(Exit::Failure, format!("the MCP session failed: {e}")))?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(Exit::Ok)
}
