//! Queue tools (profile worker): enqueue and count, the CLI's own execute functions.

use anyhow::Result;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::tools::{ToolDef, input, output};
use super::work::work;
use super::{Inner, parse, to_value};
use crate::commands::{count, enqueue};
use crate::error::Fail;
use crate::store::Store;

/// Items per pipectl_enqueue call: one atomic step with its audit record.
const MAX_ITEMS: usize = 2000;

pub static TOOLS: &[ToolDef] = &[
    work(
        "pipectl_enqueue",
        "Add items",
        "Add items to a stage's input queue (or a queue by name) for the pipeline to work \
         on. Each item is one object holding exactly one of `item` (a JSON value), \
         `item_text` (text) or `item_base64` (bytes). With `dedup_by` (a dotted field path, \
         e.g. \"url\") items whose value was seen before are skipped and the rest marked \
         seen in the same atomic step. With `in` (\"1h\") or `at` (RFC 3339) they wait in \
         the queue's delayed set until due. The whole batch is checked first: one invalid \
         item refuses it all, nothing written; up to 2000 items a call, each call one atomic \
         step with its audit record. Same result as `pipectl enqueue --json`.",
        false,
        false,
        input::<EnqueueArgs>,
        output::<enqueue::Enqueued>,
        call_enqueue,
    ),
    work(
        "pipectl_count",
        "Count an event",
        "Add to a named daily counter (e.g. \"emails_sent\"), kept for the pipeline's \
         stats_retention; pipectl_stats reads it back. Same result as `pipectl count --json`.",
        false,
        false,
        input::<CountArgs>,
        output::<count::Counted>,
        call_count,
    ),
];

/// An item in its lossless form: exactly one of `item`, `item_text`, `item_base64`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct ItemIn(pub Map<String, Value>);

impl schemars::JsonSchema for ItemIn {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        crate::item::Item::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::item::Item::json_schema(generator)
    }
}

impl ItemIn {
    pub fn bytes(&self, what: &str) -> Result<Vec<u8>> {
        match crate::item::decode(&self.0) {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(Fail::data(format!(
                "{what} holds none of item, item_text, item_base64"
            ))
            .hint("give e.g. {\"item\": {\"url\": \"a.com\"}} or {\"item_text\": \"a line\"}")
            .into()),
            Err(e) => Err(Fail::data(format!("{what} {e}")).into()),
        }
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnqueueArgs {
    /// The stage whose input queue gets the items (or give `queue`).
    #[serde(default)]
    pub stage: Option<String>,
    /// A queue key (a Redis list) instead of a stage's input.
    #[serde(default)]
    pub queue: Option<String>,
    /// The items, 1 to 2000.
    pub items: Vec<ItemIn>,
    /// Skip items whose JSON field (dotted path) was seen before; mark it seen.
    #[serde(default)]
    pub dedup_by: Option<String>,
    /// Delay: due after this long by the Redis server's clock (e.g. "1h30m").
    #[serde(default, rename = "in")]
    pub delay: Option<String>,
    /// Delay: due at this time (RFC 3339, e.g. "2026-12-02T09:00:00Z").
    #[serde(default)]
    pub at: Option<String>,
}

fn call_enqueue(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: EnqueueArgs = parse(args)?;
    let queue = match (&args.stage, &args.queue) {
        (Some(stage), None) => inner.stage(stage)?.input.clone().ok_or_else(|| {
            Fail::usage(format!("stage '{stage}' has no input queue to enqueue to"))
        })?,
        (None, Some(queue)) => {
            if !inner.options.stages.is_empty() {
                let owner = inner.config.stage_for_input(queue).ok_or_else(|| {
                    Fail::usage(format!(
                        "queue {queue} is no input of a stage open to this agent"
                    ))
                })?;
                inner.allow_stage(&owner.name)?;
            }
            queue.clone()
        }
        _ => {
            return Err(Fail::usage("give either stage or queue").into());
        }
    };
    if args.items.is_empty() || args.items.len() > MAX_ITEMS {
        return Err(Fail::usage(format!("give 1 to {MAX_ITEMS} items"))
            .hint("send a larger batch in several calls")
            .into());
    }
    let due = match (args.delay.as_deref(), args.at.as_deref()) {
        (Some(_), Some(_)) => return Err(Fail::usage("give `in` or `at`, not both").into()),
        (Some(_), None) => super::read::duration("in", args.delay.as_deref())?
            .map(|d| crate::due::Due::In(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))),
        (None, Some(at)) => Some(crate::due::Due::At(
            crate::due::parse_at(at).map_err(|e| Fail::usage(format!("at: {e}")))?,
        )),
        (None, None) => None,
    };
    let bytes: Vec<Vec<u8>> = args
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| item.bytes(&format!("item {}", i + 1)))
        .collect::<Result<_>>()?;
    let raw: Vec<(crate::input::Origin, &[u8])> = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| (crate::input::Origin::Argument(i + 1), b.as_slice()))
        .collect();
    let rules = crate::input::Rules {
        max_bytes: inner.config.max_item_bytes,
        dedup_by: args.dedup_by.as_deref(),
    };
    let (items, invalid) = crate::input::validate_all(&raw, &rules);
    if !invalid.is_empty() {
        return Err(enqueue::invalid_batch(&invalid, "enqueued").into());
    }
    // One script: the items and the call's audit record, by the agent, together.
    let mut entry = crate::audit::Entry::new(
        "enqueue",
        args.stage.as_deref().unwrap_or(""),
        &inner.actor(None)?,
    );
    if let Some(field) = &args.dedup_by {
        entry = entry.with("dedup_by", field.clone());
    }
    let record = crate::store::Recorded {
        audit: &inner.config.audit,
        entry: &entry,
    };
    let pairs: Vec<(&str, &[u8])> = items
        .iter()
        .map(|i| (i.dedup.as_deref().unwrap_or(""), i.bytes))
        .collect();
    let seen = args
        .dedup_by
        .as_ref()
        .map(|_| inner.config.seen_set.as_str());
    let done = store.push_recorded(&queue, seen, due, &pairs, record)?;
    if args.dedup_by.is_some() && (done.added > 0 || done.duplicates > 0) {
        let day = crate::date::today().to_string();
        let name = &inner.config.name;
        let counters = [
            (
                crate::keys::counter(&crate::keys::counter_new(name), &day),
                done.added as i64,
            ),
            (
                crate::keys::counter(&crate::keys::counter_dup(name), &day),
                done.duplicates as i64,
            ),
        ];
        store
            .incr_counters(&counters, inner.config.stats_retention)
            .map_err(|e| {
                e.context("items were enqueued, but the saturation counters were not updated")
            })?;
    }
    let due_ms = due.map(|_| done.due_ms);
    to_value(&enqueue::Enqueued {
        queue: queue.clone(),
        enqueued: done.added,
        duplicates: done.duplicates,
        invalid: 0,
        dedup_by: args.dedup_by.clone(),
        delayed: due.is_some(),
        delayed_set: due.map(|_| crate::keys::QueueKeys::new(&queue).delayed),
        due: due_ms.and_then(crate::due::rfc3339),
        due_ms,
        already_due: due.is_some() && done.due_ms <= done.now_ms,
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountArgs {
    /// The counter's name (e.g. "emails_sent").
    pub name: String,
    /// How much to add (negative to take away) [default: 1].
    #[serde(default)]
    pub by: Option<i64>,
}

fn call_count(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: CountArgs = parse(args)?;
    if args.name.trim().is_empty() || args.name.len() > 200 {
        return Err(Fail::usage("give a counter name of 1 to 200 characters").into());
    }
    to_value(&count::execute(
        store,
        &args.name,
        args.by.unwrap_or(1),
        inner.config.stats_retention,
    )?)
}
