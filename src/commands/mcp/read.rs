//! Read tools: status, staged, seen, audit, dead_list, stats, saturation. None changes
//! anything; long lists come in pages with a cursor (`next_offset`, `next_before`).

use anyhow::Result;
use serde::Deserialize;
use serde_json::Value;

use super::tools::{Group, ToolDef, input, output};
use super::{Inner, parse, to_value};
use crate::commands::{audit, dead, review, saturation, seen, stats, status};
use crate::error::Fail;
use crate::store::Store;

/// The most records one page of a list tool holds: well under 25k tokens of items.
pub const MAX_PAGE: usize = 200;
/// Records a page holds when `limit` is not given.
const DEFAULT_PAGE: usize = 50;

const fn read(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    input: fn() -> std::sync::Arc<rmcp::model::JsonObject>,
    output: fn() -> std::sync::Arc<rmcp::model::JsonObject>,
    call: super::tools::Call,
) -> ToolDef {
    ToolDef {
        name,
        title,
        description,
        group: Group::Read,
        read_only: true,
        destructive: false,
        idempotent: true,
        input,
        output,
        call,
    }
}

pub static TOOLS: &[ToolDef] = &[
    read(
        "pipectl_status",
        "Pipeline status",
        "Where the whole pipeline stands right now: for every stage its input queue length, \
         items leased (being worked on), delayed retries, whether it is paused (and why), its \
         rate limit and today's counters; items waiting for review in manual stages; dead \
         letters. Call it first to see which stage has work, and again to check the effect \
         of what you did. Same document as `pipectl status --json`.",
        input::<NoArgs>,
        output::<status::Status>,
        call_status,
    ),
    read(
        "pipectl_staged",
        "Items waiting for review",
        "One page of the items staged for a person in a manual (review) stage, next in line \
         first: each with its position, the item (lossless: `item` for JSON, `item_text` or \
         `item_base64` otherwise), how long it has waited, who holds a review claim on it, \
         and the question of a handler or agent that escalated it. Pages of at most 200: pass \
         `next_offset` back as `offset` for the next page (null when there is none). Same \
         records as `pipectl staged --json`.",
        input::<StagedArgs>,
        output::<StagedPage>,
        call_staged,
    ),
    read(
        "pipectl_seen",
        "Dedup check",
        "Whether values (e.g. URLs) were seen before by the pipeline's dedup set, without \
         marking them: use it to skip work that was done already. Same document as \
         `pipectl seen --json`.",
        input::<SeenArgs>,
        output::<seen::Seen>,
        call_seen,
    ),
    read(
        "pipectl_audit",
        "Audit trail",
        "The pipeline's audit stream newest first: who approved, rejected, escalated, paused, \
         retried or purged what and when, each record with its actor (`by`), note, the item \
         and other fields. Filter by stage, actor or action and by a time window (`since`, \
         e.g. \"24h\"). Pages of at most 200: pass `next_before` back as `before` for older \
         records (null when there are none). Same records as `pipectl audit --json`.",
        input::<AuditArgs>,
        output::<AuditPage>,
        call_audit,
    ),
    read(
        "pipectl_dead_list",
        "Dead letters",
        "Items that failed for good (dead letters), newest first: each with the stage and \
         queue it failed in, the error, how many attempts it had, when it failed and the \
         item. Filter by stage, a time window (`since`, e.g. \"1d\") and `where` conditions \
         (e.g. \"error~timeout\"). Positions (`pos`) are what pipectl_dead_retry takes. Pages \
         of at most 200: pass `next_offset` back as `offset`. Same records as `pipectl dead \
         ls --json`.",
        input::<DeadListArgs>,
        output::<DeadPage>,
        call_dead_list,
    ),
    read(
        "pipectl_stats",
        "Daily counters",
        "The pipeline's daily counters over the last days (processed, succeeded, failed, \
         retried, dead, escalated per stage, and any counted with pipectl_count): all found, \
         or the names given. Same document as `pipectl stats --json`.",
        input::<StatsArgs>,
        output::<stats::Stats>,
        call_stats,
    ),
    read(
        "pipectl_saturation",
        "Dedup saturation",
        "How many of the items offered each day were new versus already seen (the dedup \
         hit rate): a rising share of duplicates means the source is running dry. Same \
         document as `pipectl saturation --json`.",
        input::<DaysArgs>,
        output::<saturation::Saturation>,
        call_saturation,
    ),
    read(
        "pipectl_find",
        "Search a list",
        "Search any list of the pipeline (a stage's queue, a staging list, the output, the \
         rejected list, the dead letters) for entries matching every `where` condition \
         (FIELD=VALUE on a dotted path; also !=, ~ contains, >=, >, <=, <), from the next in \
         line. In the dead-letter and rejected lists an entry is its envelope (item.url, \
         error, reason, stage). Each match comes with its position, as `pipectl ls` numbers \
         it. Pages of at most 200: pass `next_offset` back as `offset`. Same records as \
         `pipectl find --json`.",
        input::<FindArgs>,
        output::<FindPage>,
        call_find,
    ),
];

/// A tool that takes no arguments.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

fn call_status(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let NoArgs {} = parse(args)?;
    to_value(&status::execute(&inner.config, store)?)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StagedArgs {
    /// The manual stage [default: the pipeline's only one].
    #[serde(default)]
    pub stage: Option<String>,
    /// Skip this many items first (the `next_offset` of the previous page).
    #[serde(default)]
    pub offset: usize,
    /// At most this many items (1 to 200) [default: 50].
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One page of `pipectl_staged`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StagedPage {
    /// The manual stage.
    pub stage: String,
    /// Its staging list.
    pub queue: String,
    /// Items staged in all.
    pub total: u64,
    /// Items skipped before this page.
    pub offset: usize,
    /// The `offset` of the next page; null when this is the last.
    pub next_offset: Option<usize>,
    pub items: Vec<review::staged::StagedRecord>,
}

/// `limit` as given (1 to MAX_PAGE), else the default page.
pub fn page_limit(limit: Option<usize>) -> Result<usize> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(n) => Err(Fail::usage(format!("limit {n} is out of range"))
            .hint(format!(
                "give 1 to {MAX_PAGE}, and page on with the cursor of the answer"
            ))
            .into()),
    }
}

fn call_staged(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: StagedArgs = parse(args)?;
    let limit = page_limit(args.limit)?;
    let manual = review::manual_of(&inner.config, args.stage.as_deref())?;
    inner.allow_stage(&manual.stage)?;
    let page = review::staged::execute(store, &manual, args.offset, limit)?;
    let end = page.offset + page.items.len();
    to_value(&StagedPage {
        stage: manual.stage.clone(),
        queue: page.queue,
        total: page.total,
        offset: page.offset,
        next_offset: (page.items.len() == limit && (end as u64) < page.total).then_some(end),
        items: page.items,
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeenArgs {
    /// The dedup values to look up (e.g. URLs), 1 to 1000.
    pub values: Vec<String>,
}

fn call_seen(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: SeenArgs = parse(args)?;
    if args.values.is_empty() || args.values.len() > 1000 {
        return Err(Fail::usage("give 1 to 1000 values to look up").into());
    }
    to_value(&seen::execute(store, &inner.config.seen_set, &args.values)?)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditArgs {
    /// Only records of these stages.
    #[serde(default)]
    pub stage: Vec<String>,
    /// Only records by these actors (the `by` of the record).
    #[serde(default)]
    pub by: Vec<String>,
    /// Only these actions (approve, reject, escalate, pause, resume, dead_retry, …).
    #[serde(default)]
    pub action: Vec<String>,
    /// Only records from the last DURATION (e.g. "24h"), by the Redis server's clock.
    #[serde(default)]
    pub since: Option<String>,
    /// Start before this record ID (the `next_before` of the previous page).
    #[serde(default)]
    pub before: Option<String>,
    /// At most this many records (1 to 200) [default: 50].
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One page of `pipectl_audit`, newest first.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AuditPage {
    /// The audit stream.
    pub key: String,
    pub records: Vec<audit::Record>,
    /// Pass as `before` for the next (older) page; null when there is none.
    pub next_before: Option<String>,
}

/// A duration argument (`"24h"`), or a usage error naming the field.
pub fn duration(field: &str, text: Option<&str>) -> Result<Option<std::time::Duration>> {
    text.map(|t| {
        crate::duration::arg(t).map_err(|e| {
            Fail::usage(format!("{field}: {e}"))
                .hint("durations look like 500ms, 30s, 5m, 1h30m, 7d")
                .into()
        })
    })
    .transpose()
}

fn call_audit(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: AuditArgs = parse(args)?;
    let limit = page_limit(args.limit)?;
    let since = duration("since", args.since.as_deref())?;
    let filter = audit::Filter {
        stage: args.stage,
        by: args.by,
        action: args.action,
    };
    let key = inner.config.audit.key.clone();
    let mut records = Vec::new();
    let scanned = audit::scan_from(
        store,
        &key,
        &filter,
        since,
        args.before.as_deref(),
        limit as u64,
        |r| {
            records.push(r);
            Ok(())
        },
    )?;
    to_value(&AuditPage {
        key,
        records,
        next_before: scanned.before,
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadListArgs {
    /// Only dead letters of this stage.
    #[serde(default)]
    pub stage: Option<String>,
    /// Only those that failed within this long (e.g. "1d").
    #[serde(default)]
    pub since: Option<String>,
    /// Conditions FIELD=VALUE (or FIELD~TEXT, !=, >=, >, <=, <) on the envelope: stage,
    /// error, attempts, item.url, bare; all must hold.
    #[serde(default, rename = "where")]
    pub conditions: Vec<String>,
    /// Skip this many matching dead letters first (the `next_offset` of the previous page).
    #[serde(default)]
    pub offset: usize,
    /// At most this many (1 to 200) [default: 50].
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One page of `pipectl_dead_list`, newest first.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct DeadPage {
    /// The dead-letter list.
    pub queue: String,
    pub records: Vec<dead::Record>,
    /// Matching dead letters skipped before this page.
    pub offset: usize,
    /// The `offset` of the next page; null when there is none.
    pub next_offset: Option<usize>,
}

fn call_dead_list(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DeadListArgs = parse(args)?;
    let limit = page_limit(args.limit)?;
    let conditions = super::conditions(&args.conditions)?;
    let filter = dead::Select {
        stage: args.stage,
        since: duration("since", args.since.as_deref())?,
        conditions,
    }
    .filter();
    let list = inner.config.dead_letters.clone();
    let (mut records, mut skipped) = (Vec::new(), 0usize);
    let scanned = dead::scan(
        store,
        &list,
        &filter,
        args.offset.saturating_add(limit),
        |pos, letter| {
            if skipped < args.offset {
                skipped += 1;
            } else {
                records.push(dead::Record::new(&list, pos, &letter));
            }
            Ok(())
        },
    )?;
    let next = args.offset + records.len();
    to_value(&DeadPage {
        queue: list,
        records,
        offset: args.offset,
        next_offset: scanned.more.then_some(next),
    })
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsArgs {
    /// Counter names [default: all found].
    #[serde(default)]
    pub names: Vec<String>,
    /// How many days, ending today (1 to 366) [default: 7].
    #[serde(default)]
    pub days: Option<u32>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DaysArgs {
    /// How many days, ending today (1 to 366) [default: 7].
    #[serde(default)]
    pub days: Option<u32>,
}

fn days(days: Option<u32>) -> Result<u32> {
    match days.unwrap_or(7) {
        d @ 1..=366 => Ok(d),
        d => Err(Fail::usage(format!("days {d} is out of range"))
            .hint("give 1 to 366")
            .into()),
    }
}

fn call_stats(_inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: StatsArgs = parse(args)?;
    to_value(&stats::execute(store, &args.names, days(args.days)?)?)
}

fn call_saturation(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: DaysArgs = parse(args)?;
    to_value(&saturation::execute(
        store,
        &inner.config.name,
        days(args.days)?,
    )?)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindArgs {
    /// The list to search (a Redis key, e.g. "prospect:queue").
    pub list: String,
    /// Conditions every match must meet (e.g. "url~acme", "error~timeout").
    #[serde(default, rename = "where")]
    pub conditions: Vec<String>,
    /// Skip this many matches first (the `next_offset` of the previous page).
    #[serde(default)]
    pub offset: usize,
    /// At most this many (1 to 200) [default: 50].
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One page of `pipectl_find`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct FindPage {
    pub list: String,
    pub items: Vec<crate::item::Positioned>,
    /// Matches skipped before this page.
    pub offset: usize,
    /// The `offset` of the next page; null when there is none.
    pub next_offset: Option<usize>,
}

fn call_find(inner: &Inner, store: &mut Store, args: Value) -> Result<Value> {
    let args: FindArgs = parse(args)?;
    let limit = page_limit(args.limit)?;
    let conditions = super::conditions(&args.conditions)?;
    let role = crate::commands::surgery::role(&inner.config, &args.list);
    let bar = indicatif::ProgressBar::hidden();
    let (mut items, mut skipped) = (Vec::new(), 0usize);
    let scanned = crate::commands::surgery::find::scan(
        store,
        &role,
        &args.list,
        &conditions,
        args.offset.saturating_add(limit),
        &bar,
        |pos, entry| {
            if skipped < args.offset {
                skipped += 1;
            } else {
                items.push(crate::item::Positioned {
                    pos: pos as u64,
                    item: crate::item::Item(entry),
                });
            }
            Ok(())
        },
    )?;
    let next = args.offset + items.len();
    to_value(&FindPage {
        list: args.list,
        items,
        offset: args.offset,
        next_offset: scanned.more.then_some(next),
    })
}
