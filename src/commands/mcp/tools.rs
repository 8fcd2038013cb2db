//! The tool table: each tool's name, description for a model, annotations, input schema and
//! output schema (generated from the same types `--json` prints), and which profile has it.

use std::sync::Arc;

use anyhow::Result;
use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde_json::Value;

use super::{Inner, Options, decide, operate, queue, read, work};
use crate::config::Config;
use crate::store::Store;

/// Which tools exist at all in a session (`--profile`); each allows what the ones before it do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Profile {
    /// Read tools only.
    Reader,
    /// Read and work: enqueue, claim, complete, fail, defer, escalate, count.
    Worker,
    /// Worker, and operate: pause, resume, dead_retry.
    Operator,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Reader => "reader",
            Profile::Worker => "worker",
            Profile::Operator => "operator",
        }
    }

    fn has(self, group: Group) -> bool {
        match group {
            Group::Read => true,
            Group::Work | Group::Decide => self != Profile::Reader,
            Group::Operate => self == Profile::Operator,
        }
    }
}

/// What a tool does, for the profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Read,
    Work,
    Operate,
    /// approve/reject: only where a manual stage's config says `agent_may_decide = true`.
    Decide,
}

/// A tool's call: the session, the Redis connection, the arguments as given.
pub type Call = fn(&Inner, &mut Store, Value) -> Result<Value>;

/// One tool.
pub struct ToolDef {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub group: Group,
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    pub input: fn() -> Arc<JsonObject>,
    pub output: fn() -> Arc<JsonObject>,
    pub call: Call,
}

impl ToolDef {
    pub fn tool(&self) -> Tool {
        let annotations = ToolAnnotations::with_title(self.title)
            .read_only(self.read_only)
            .destructive(self.destructive)
            .idempotent(self.idempotent)
            .open_world(false);
        Tool::new(self.name, self.description, (self.input)())
            .with_title(self.title)
            .with_raw_output_schema((self.output)())
            .with_annotations(annotations)
    }
}

/// The schema of a tool's arguments.
pub fn input<T: JsonSchema>() -> Arc<JsonObject> {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    object(generator.into_root_schema_for::<T>())
}

/// The schema of a tool's result: as src/commands/schema.rs generates docs/schema/*.json.
pub fn output<T: JsonSchema>() -> Arc<JsonObject> {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    object(generator.into_root_schema_for::<T>())
}

fn object(schema: schemars::Schema) -> Arc<JsonObject> {
    match schema.to_value() {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}

/// Every tool, in the order a client lists them.
pub fn all() -> Vec<&'static ToolDef> {
    let mut all: Vec<&'static ToolDef> = Vec::new();
    all.extend(read::TOOLS);
    all.extend(queue::TOOLS);
    all.extend(work::TOOLS);
    all.extend(operate::TOOLS);
    all.extend(decide::TOOLS);
    all
}

/// The tools a session offers: its profile's groups; approve/reject only when some manual
/// stage open to it has `agent_may_decide = true`.
pub fn offered(config: &Config, options: &Options) -> Vec<&'static ToolDef> {
    let decide = decide::offered(config, &options.stages);
    all()
        .into_iter()
        .filter(|t| options.profile.has(t.group))
        .filter(|t| t.group != Group::Decide || decide)
        .collect()
}

/// `pipectl mcp --list-tools`: the tools a session with these options offers.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Listed {
    pub profile: String,
    /// The stages stage-taking tools are limited to (empty: every stage).
    pub stages: Vec<String>,
    /// The agent's name, the `by` of its audit records.
    pub by: String,
    pub tools: Vec<ListedTool>,
}

/// One tool, as `tools/list` describes it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct ListedTool {
    pub name: String,
    pub title: String,
    pub description: String,
    /// read, work, operate or decide.
    pub group: String,
    pub read_only: bool,
    pub destructive: bool,
    pub idempotent: bool,
    /// The JSON Schema of its arguments.
    pub input_schema: Value,
    /// The JSON Schema of its structured result.
    pub output_schema: Value,
}

impl Listed {
    pub fn new(config: &Config, options: &Options) -> Listed {
        let tools = offered(config, options)
            .into_iter()
            .map(|t| ListedTool {
                name: t.name.to_owned(),
                title: t.title.to_owned(),
                description: t.description.to_owned(),
                group: match t.group {
                    Group::Read => "read",
                    Group::Work => "work",
                    Group::Operate => "operate",
                    Group::Decide => "decide",
                }
                .to_owned(),
                read_only: t.read_only,
                destructive: t.destructive,
                idempotent: t.idempotent,
                input_schema: Value::Object((*(t.input)()).clone()),
                output_schema: Value::Object((*(t.output)()).clone()),
            })
            .collect();
        Listed {
            profile: options.profile.name().to_owned(),
            stages: options.stages.clone(),
            by: options.by.clone(),
            tools,
        }
    }
}

impl crate::output::Report for Listed {
    fn text(&self, out: &mut crate::output::Output) -> std::io::Result<()> {
        for t in &self.tools {
            let hints = match (t.read_only, t.destructive, t.idempotent) {
                (true, _, _) => "read-only",
                (false, true, _) => "destructive",
                (false, false, true) => "idempotent",
                (false, false, false) => "",
            };
            out.line(format_args!(
                "{:<20} {:<8} {:<12} {}",
                t.name, t.group, hints, t.title
            ))?;
        }
        Ok(())
    }
}
