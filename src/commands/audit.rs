use std::time::Duration;

use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::context::Ctx;
use crate::exit::Exit;
use crate::item::{self, Item};
use crate::output::{Output, Report, summary, terminal_width};
use crate::store::audit::StreamEntry;

/// Entries read per round trip (XREVRANGE … COUNT): memory stays flat however long the stream.
const PAGE: usize = 500;
/// Rows a table shows when --limit is not given.
const TABLE_ROWS: u64 = 50;

/// Show the audit stream: who decided or changed what, and when, newest first
///
/// Every decision and operator action (approve, reject, pause, resume, dead retry, dead
/// purge, ratelimit reset, …) is a record in the pipeline's audit stream <pipeline>:audit,
/// written in the same atomic step as the change. This reads it newest first, in pages, so a
/// stream of millions is fine: filters apply as it goes, and it stops at --limit or at the
/// --since bound (the server's clock: `--since 24h` is the last 24 hours by Redis' TIME).
/// Repeat --stage, --by or --action to accept any of several values.
///
/// A table on a terminal (the newest 50 unless --limit); NDJSON records with --json and in a
/// pipe: {"id","time","time_ms","action","stage","by","note","sha256",item…,"fields":{…}},
/// the item in its lossless form (item, item_text or item_base64; none for a record without
/// an item), "fields" every other field of the entry (from, to, question, reason, …).
/// Entries added by hand are shown as well as they can be: a missing field is null, a value
/// that is not UTF-8 is kept exactly in fields as "<name>_base64". Read it raw with
/// `redis-cli XREVRANGE prospect:audit + - COUNT 10`.
///
/// Examples:
///   pipectl audit
///   pipectl audit --stage review --since 24h
///   pipectl audit --by ann --action approve --action reject --json | jq -r .item.url
///   pipectl audit --action dead_purge --json
///
/// Exit codes: 0 listed (even when empty), 1 the output could not be written, 2 bad
/// arguments, 65 the audit key holds another type, 69 Redis unavailable, 77 not permitted,
/// 78 bad configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only records of this stage (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub stage: Vec<String>,

    /// Only records by this actor, as --by named it (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub by: Vec<String>,

    /// Only records of this action: approve, reject, pause, resume, dead_retry, dead_purge,
    /// ratelimit_reset, … (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub action: Vec<String>,

    /// Only records from the last DURATION (e.g. 24h), by the Redis server's clock
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub since: Option<Duration>,

    /// Show at most this many records [default: all; 50 in a table]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

/// One audit record (`pipectl audit`, one NDJSON line each).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Record {
    /// The stream entry's ID (`<ms>-<seq>`), as XRANGE takes it.
    pub id: String,
    /// When it was recorded, by the server's clock: RFC 3339 in UTC to the millisecond; null
    /// for an ID (added by hand) beyond what a timestamp can hold.
    pub time: Option<String>,
    /// The same, in ms since the epoch (the ID's first part).
    pub time_ms: u64,
    /// What was done (`approve`, `pause`, `dead_retry`, …); null when the entry has none.
    pub action: Option<String>,
    /// The stage it concerns; null when none (a rate limit no stage uses).
    pub stage: Option<String>,
    /// Who did it (`--by`, `$PIPECTL_REVIEWER`, the login name, `policy:<stage>`).
    pub by: Option<String>,
    /// The note given with it (`--note`; a pause's reason); null without one.
    pub note: Option<String>,
    /// The sha256 of the item's exact bytes, in lowercase hex; null for a record without an
    /// item.
    pub sha256: Option<String>,
    /// The item, exactly as it was (none of the three fields for a record without one).
    #[serde(flatten)]
    pub item: MaybeItem,
    /// Every other field of the entry, in order (`from`, `to`, `key`, `used`, `reason`,
    /// `error`, `question`, …): text, or `<name>_base64` for a value that is not UTF-8.
    pub fields: IndexMap<String, String>,
}

/// The fields a record reads into its own members.
const KNOWN: [&str; 6] = ["action", "stage", "by", "note", "sha256", "item"];

impl Record {
    /// Reads an entry, trusting nothing: any field may be missing, repeated or not UTF-8.
    pub fn new(entry: StreamEntry) -> Record {
        let time_ms = entry.ms();
        let time = i64::try_from(time_ms)
            .ok()
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
        let mut record = Record {
            id: entry.id,
            time,
            time_ms,
            action: None,
            stage: None,
            by: None,
            note: None,
            sha256: None,
            item: MaybeItem(None),
            fields: IndexMap::new(),
        };
        for (name, value) in entry.fields {
            let name = String::from_utf8_lossy(&name).into_owned();
            let known = KNOWN.contains(&name.as_str()) && !record.has(&name);
            if known && name == "item" {
                record.item = MaybeItem(Some(value));
                continue;
            }
            let text = std::str::from_utf8(&value).ok();
            if known {
                let shown = String::from_utf8_lossy(&value).into_owned();
                let slot = match name.as_str() {
                    "action" => &mut record.action,
                    "stage" => &mut record.stage,
                    "by" => &mut record.by,
                    "note" => &mut record.note,
                    _ => &mut record.sha256,
                };
                // An empty value (a rate limit no stage uses) reads as none, but counts as seen.
                *slot = Some(shown);
                if text.is_none() {
                    record.add_field(format!("{name}_base64"), STANDARD.encode(&value));
                }
                continue;
            }
            match text {
                Some(text) => record.add_field(name, text.to_owned()),
                None => record.add_field(format!("{name}_base64"), STANDARD.encode(&value)),
            }
        }
        for slot in [&mut record.stage, &mut record.note] {
            if slot.as_deref() == Some("") {
                *slot = None;
            }
        }
        record
    }

    /// Whether a known field was read already (a repeated one goes to `fields`).
    fn has(&self, name: &str) -> bool {
        match name {
            "action" => self.action.is_some(),
            "stage" => self.stage.is_some(),
            "by" => self.by.is_some(),
            "note" => self.note.is_some(),
            "sha256" => self.sha256.is_some(),
            _ => self.item.0.is_some(),
        }
    }

    /// Adds a field; a repeated name is kept as `<name>#2`, `<name>#3`, …
    fn add_field(&mut self, name: String, value: String) {
        let mut key = name.clone();
        let mut n = 1;
        while self.fields.contains_key(&key) || (n == 1 && self.has_known_twice(&name)) {
            n += 1;
            key = format!("{name}#{n}");
        }
        self.fields.insert(key, value);
    }

    /// A known field seen again: its second value is `<name>#2`.
    fn has_known_twice(&self, name: &str) -> bool {
        KNOWN.contains(&name) && self.has(name)
    }

    /// The item's summary, else the other fields as `name=value`, for a table cell.
    fn detail(&self) -> String {
        if let Some(bytes) = &self.item.0 {
            return summary(bytes, usize::MAX);
        }
        if self.fields.is_empty() {
            return "-".to_owned();
        }
        let pairs: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join(" ")
    }
}

/// Outside a terminal the records are NDJSON, with or without `--json`: a record has more to
/// say than one line of text can.
impl Report for Record {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(serde_json::to_string(self)?)
    }
}

/// An item when the record has one: its one lossless field (crate::item), else nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaybeItem(pub Option<Vec<u8>>);

impl Serialize for MaybeItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(bytes) => Item(bytes.clone()).serialize(serializer),
            None => serializer.serialize_map(Some(0))?.end(),
        }
    }
}

impl schemars::JsonSchema for MaybeItem {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MaybeItem".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = Item::json_schema(generator);
        let mut choices: Vec<serde_json::Value> = one
            .get("oneOf")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        choices.push(serde_json::json!({
            "description": "A record without an item: none of the three fields",
            "not": {"anyOf": [
                {"required": [item::JSON_FIELD]},
                {"required": [item::TEXT_FIELD]},
                {"required": [item::BASE64_FIELD]}
            ]}
        }));
        schemars::json_schema!({
            "description": "The item's exact bytes as exactly one of `item`, `item_text` or `item_base64` (docs/json.md), or none of them for a record without an item.",
            "oneOf": choices
        })
    }
}

/// What a record must match: each list empty (anything) or holding its value.
#[derive(Debug, Default)]
pub struct Filter {
    pub stage: Vec<String>,
    pub by: Vec<String>,
    pub action: Vec<String>,
}

impl Filter {
    fn matches(&self, r: &Record) -> bool {
        let ok = |wanted: &[String], got: &Option<String>| {
            wanted.is_empty() || got.as_ref().is_some_and(|g| wanted.contains(g))
        };
        ok(&self.stage, &r.stage) && ok(&self.by, &r.by) && ok(&self.action, &r.action)
    }
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    let key = ctx.config()?.audit.key.clone();
    let as_table = ctx.out.stdout_tty && !ctx.out.json;
    let limit = args
        .limit
        .unwrap_or(if as_table { TABLE_ROWS } else { u64::MAX });
    let filter = Filter {
        stage: args.stage,
        by: args.by,
        action: args.action,
    };
    let mut store = ctx.store()?;
    let mut rows: Vec<Record> = Vec::new();
    let scanned = scan(&mut store, &key, &filter, args.since, limit, |record| {
        if as_table {
            rows.push(record);
        } else {
            ctx.out.print(&record)?;
        }
        Ok(())
    })?;
    let (shown, looked) = (scanned.shown, scanned.looked);
    if !as_table {
        return Ok(Exit::Ok);
    }
    if rows.is_empty() {
        ctx.out.line(if looked == 0 {
            format!("nothing on record in {key}")
        } else {
            format!("none of the {looked} records looked at in {key} match")
        })?;
        return Ok(Exit::Ok);
    }
    table(&mut ctx.out, &rows)?;
    if args.limit.is_none() && shown == limit {
        ctx.out.note(format_args!(
            "showing the newest {shown}; more with --limit N, or all with --json"
        ));
    }
    Ok(Exit::Ok)
}

/// What a scan of the stream did.
pub struct Scanned {
    /// Records that matched and were handed on.
    pub shown: u64,
    /// Entries read.
    pub looked: u64,
    /// The ID of the last entry read when the scan stopped at `limit` with more to read
    /// (the next page starts before it); None when the stream (or --since) ran out.
    pub before: Option<String>,
}

/// Reads the stream `key` newest first in pages, from before `before` (an entry ID) when
/// given, and hands each record matching `filter` from the last `since` (server clock) to
/// `each`, up to `limit` of them.
pub fn scan(
    store: &mut crate::store::Store,
    key: &str,
    filter: &Filter,
    since: Option<Duration>,
    limit: u64,
    each: impl FnMut(Record) -> Result<()>,
) -> Result<Scanned> {
    scan_from(store, key, filter, since, None, limit, each)
}

/// [`scan`], starting before the entry ID `from` when given.
pub fn scan_from(
    store: &mut crate::store::Store,
    key: &str,
    filter: &Filter,
    since: Option<Duration>,
    from: Option<&str>,
    limit: u64,
    mut each: impl FnMut(Record) -> Result<()>,
) -> Result<Scanned> {
    let since_ms = match since {
        Some(d) => {
            let ago = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
            Some(store.server_ms()?.saturating_sub(ago))
        }
        None => None,
    };
    let (mut shown, mut looked) = (0u64, 0u64);
    let mut before: Option<String> = from.map(str::to_owned);
    while shown < limit {
        let page = store.audit_page(key, before.as_deref(), since_ms, PAGE)?;
        let full = page.len() == PAGE;
        let mut rest = page.into_iter();
        for entry in rest.by_ref() {
            looked += 1;
            before = Some(entry.id.clone());
            let record = Record::new(entry);
            if !filter.matches(&record) {
                continue;
            }
            shown += 1;
            each(record)?;
            if shown == limit {
                break;
            }
        }
        if shown == limit {
            let more = rest.next().is_some() || full;
            return Ok(Scanned {
                shown,
                looked,
                before: if more { before } else { None },
            });
        }
        if !full {
            break;
        }
    }
    Ok(Scanned {
        shown,
        looked,
        before: None,
    })
}

fn table(out: &mut Output, rows: &[Record]) -> Result<()> {
    let header = ["time", "action", "stage", "by", "note", "item"]
        .map(String::from)
        .to_vec();
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.time
                    .as_ref()
                    .map_or_else(|| r.id.clone(), |t| format!("{}Z", &t[..19.min(t.len())])),
                dash(&r.action),
                dash(&r.stage),
                dash(&r.by),
                dash(&r.note),
                r.detail(),
            ]
        })
        .collect();
    let table = out.fitted_table(header, cells, terminal_width());
    out.table(&table)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, fields: &[(&[u8], &[u8])]) -> Record {
        Record::new(StreamEntry {
            id: id.to_owned(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_vec(), v.to_vec()))
                .collect(),
        })
    }

    #[test]
    fn records_read_known_fields_and_keep_the_rest() {
        let r = entry(
            "1764589739123-0",
            &[
                (b"action", b"dead_retry"),
                (b"stage", b"build"),
                (b"by", b"ann"),
                (b"from", b"p:failed"),
                (b"sha256", b"ab"),
                (b"item", br#"{"url":"a.com"}"#),
            ],
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["time"], "2025-12-01T11:48:59.123Z");
        assert_eq!(json["time_ms"], 1_764_589_739_123u64);
        assert_eq!(json["item"]["url"], "a.com");
        assert_eq!(json["note"], serde_json::Value::Null);
        assert_eq!(json["fields"], serde_json::json!({"from": "p:failed"}));
    }

    #[test]
    fn hand_made_entries_never_break_it() {
        let r = entry(
            "18446744073709551615-0",
            &[
                (b"action", &[0xff, 0xfe]),
                (b"stage", b""),
                (b"x", &[0xc3]),
                (b"x", b"again"),
                (b"action", b"twice"),
                (&[0xff], b"odd name"),
            ],
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["time"], serde_json::Value::Null);
        assert_eq!(json["stage"], serde_json::Value::Null);
        assert_eq!(json["action"], "\u{fffd}\u{fffd}");
        assert_eq!(json["fields"]["action_base64"], "//4=");
        assert_eq!(json["fields"]["x_base64"], "ww==");
        assert_eq!(json["fields"]["x"], "again");
        assert_eq!(json["fields"]["action#2"], "twice");
        assert_eq!(json["fields"]["\u{fffd}"], "odd name");
        for name in ["item", "item_text", "item_base64"] {
            assert!(json.get(name).is_none());
        }
        let r = entry("1-0", &[(b"item", &[0xff]), (b"item", b"second")]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["item_base64"], "/w==");
        assert_eq!(json["fields"]["item#2"], "second");
    }
}
