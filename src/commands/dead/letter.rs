//! One dead-letter entry, read without trusting it: an envelope pipectl wrote, or anything
//! pushed by hand (a bare item, maybe not even JSON). Nothing here can panic on any input.

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::item::Item;
use crate::output::{Output, Report};
use crate::{envelope, item};

/// The envelope fields the typed record reads.
const KNOWN: [&str; 5] = ["stage", "queue", "error", "attempts", "failed_at"];

/// A dead-letter list entry.
#[derive(Debug)]
pub struct Letter {
    /// The entry exactly as stored: what retry and purge remove (LREM needs the exact value).
    pub raw: Vec<u8>,
    /// The envelope's fields when the entry is one: a JSON object with `item`, `error` and
    /// `failed_at`. Anything else is a bare item.
    envelope: Option<Map<String, Value>>,
    /// The bytes that go back to a queue on retry.
    pub item: Vec<u8>,
}

impl Letter {
    pub fn parse(raw: Vec<u8>) -> Letter {
        let (envelope, item) = match envelope::open(&raw, &["error", "failed_at"]) {
            Some(opened) => (Some(opened.fields), opened.item),
            None => (None, raw.clone()),
        };
        Letter {
            raw,
            envelope,
            item,
        }
    }

    pub fn is_envelope(&self) -> bool {
        self.envelope.is_some()
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.envelope.as_ref()?.get(name).filter(|v| !v.is_null())
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.field(name)?.as_str().filter(|s| !s.is_empty())
    }

    pub fn stage(&self) -> Option<&str> {
        self.text("stage")
    }

    pub fn queue(&self) -> Option<&str> {
        self.text("queue")
    }

    /// The reason, as text whatever JSON type it was written as.
    pub fn error(&self) -> Option<String> {
        self.field("error").map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    pub fn attempts(&self) -> Option<&Value> {
        self.field("attempts")
    }

    /// When it failed, if the envelope says so in RFC 3339.
    pub fn failed_at(&self) -> Option<Timestamp> {
        self.text("failed_at")?.parse().ok()
    }

    /// The entry as filters see it: the envelope's fields with `item` as the item's JSON
    /// (or text), `{"item": …, "bare": true}` for a bare item, so `item.url=…` works on both
    /// and `bare=true` picks the hand-pushed ones.
    pub fn view(&self) -> Value {
        let mut map = self.envelope.clone().unwrap_or_default();
        for name in [item::TEXT_FIELD, item::BASE64_FIELD] {
            map.remove(name);
        }
        map.insert("item".into(), item::view(&self.item));
        map.insert("bare".into(), (!self.is_envelope()).into());
        Value::Object(map)
    }

    /// `attempts` as a count, when it is one.
    pub fn attempt_count(&self) -> Option<u64> {
        self.attempts()?.as_u64()
    }

    /// The envelope's fields that the typed record leaves out, as written: fields pipectl
    /// does not know (the envelope version `v` among them), and known ones whose value is
    /// not of their type (an `attempts` of "3", a `failed_at` that is no timestamp), so
    /// `dead show` still shows everything. Empty for a bare item.
    pub fn extra(&self) -> Map<String, Value> {
        let Some(map) = &self.envelope else {
            return Map::new();
        };
        let read = |name: &str| match name {
            "stage" => self.stage().is_some(),
            "queue" => self.queue().is_some(),
            "error" => self.error().is_some(),
            "attempts" => self.attempt_count().is_some(),
            "failed_at" => self.failed_at().is_some(),
            _ => false,
        };
        // Dropped: the item's field, and known fields the record holds (or that are null).
        let dropped = |k: &str, v: &Value| {
            [item::JSON_FIELD, item::TEXT_FIELD, item::BASE64_FIELD].contains(&k)
                || read(k)
                || (v.is_null() && KNOWN.contains(&k))
        };
        map.iter()
            .filter(|(k, v)| !dropped(k, v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Where a retry sends this entry: its stage's input queue (from the config), else the
    /// queue the envelope names, else `fallback` (`--to`, or the first stage input).
    pub fn destination<'a>(
        &'a self,
        config: &'a Config,
        fallback: Option<&'a str>,
    ) -> Option<&'a str> {
        self.stage()
            .and_then(|name| config.stage(name))
            .and_then(|stage| stage.input.as_deref())
            .or_else(|| self.queue())
            .or(fallback)
    }
}

/// One dead letter, typed: a record of `dead ls` (one NDJSON line each) and the core of
/// `dead show`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Record {
    /// The dead-letter list it is on.
    pub queue: String,
    /// Its position: 1 the newest (LINDEX <list> 0), as `dead show` and `dead retry` take it.
    pub pos: u64,
    /// The stage it failed in; null for a bare item or an envelope naming none.
    pub stage: Option<String>,
    /// The queue it was taken from (the envelope's `queue`); null when not known.
    pub source_queue: Option<String>,
    /// Why it failed (the handler's error, e.g. its stderr tail); null for a bare item.
    pub error: Option<String>,
    /// Attempts made before it was dead-lettered; null when not known.
    pub attempts: Option<u64>,
    /// When it failed, RFC 3339 UTC to the millisecond; null when not known (bare items).
    pub failed_at: Option<String>,
    /// The item, exactly as a retry would send it back.
    #[serde(flatten)]
    pub item: Item,
    /// True for an entry pushed by hand rather than an envelope: the entry is the item.
    pub bare: bool,
}

impl Record {
    pub fn new(list: &str, pos: usize, letter: &Letter) -> Record {
        Record {
            queue: list.to_owned(),
            pos: pos as u64,
            stage: letter.stage().map(str::to_owned),
            source_queue: letter.queue().map(str::to_owned),
            error: letter.error(),
            attempts: letter.attempt_count(),
            failed_at: letter
                .failed_at()
                .map(|at| at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
            item: Item(letter.item.clone()),
            bare: !letter.is_envelope(),
        }
    }
}

/// Outside a terminal the records are NDJSON, with or without `--json`: a dead letter has
/// more to say than one line of item can.
impl Report for Record {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        out.line(serde_json::to_string(self)?)
    }
}

pub use crate::input::{Condition, parse_condition};

/// `--stage`, `--since` and `--where`, shared by `dead ls` and `dead retry`.
#[derive(clap::Args, Debug, Clone)]
pub struct Select {
    /// Only dead letters of this stage
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,

    /// Only those that failed within this long (e.g. 1d); bare items have no date and are left out
    #[arg(long, value_parser = crate::duration::arg, value_name = "DURATION")]
    pub since: Option<std::time::Duration>,

    /// Only entries whose FIELD equals VALUE (FIELD~TEXT: contains TEXT); FIELD is a dotted
    /// path into the envelope: stage, error, attempts, item.url, bare (true for entries
    /// pushed by hand). Repeat to require several.
    #[arg(long = "where", value_parser = parse_condition, value_name = "FIELD=VALUE")]
    pub conditions: Vec<Condition>,
}

impl Select {
    pub fn filter(self) -> Filter {
        Filter {
            stage: self.stage,
            since: self.since.map(ago),
            conditions: self.conditions,
        }
    }
}

/// What selects entries: a stage, a time window and `--where` conditions, all ANDed.
#[derive(Debug, Default)]
pub struct Filter {
    pub stage: Option<String>,
    /// Only entries that failed at or after this time (undated entries never match).
    pub since: Option<Timestamp>,
    pub conditions: Vec<Condition>,
}

impl Filter {
    pub fn matches(&self, letter: &Letter) -> bool {
        if let Some(stage) = &self.stage
            && letter.stage() != Some(stage.as_str())
        {
            return false;
        }
        if let Some(since) = self.since
            && letter.failed_at().is_none_or(|at| at < since)
        {
            return false;
        }
        if self.conditions.is_empty() {
            return true;
        }
        let view = letter.view();
        self.conditions.iter().all(|c| c.matches(&view))
    }
}

/// `now - d`, or the beginning of time when that is out of range.
pub fn ago(d: std::time::Duration) -> Timestamp {
    Timestamp::now().checked_sub(d).unwrap_or(Timestamp::MIN)
}

/// "3h12m" for how long ago `at` was (largest two units), "0s" for the future.
pub fn age(at: Timestamp) -> String {
    let secs = Timestamp::now().duration_since(at).as_secs().max(0) as u64;
    let text = crate::duration::format(std::time::Duration::from_secs(secs));
    let mut units = 0;
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if c.is_ascii_alphabetic() {
            units += 1;
            if units == 2 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(text: &str) -> Letter {
        Letter::parse(text.as_bytes().to_vec())
    }

    #[test]
    fn envelopes_and_bare_items() {
        let l = letter(
            r#"{"item":{"url":"a.com","n":12345678901234567890123},"stage":"build","queue":"prospect:queue","error":"boom","attempts":3,"failed_at":"2026-03-19T10:00:00Z"}"#,
        );
        assert!(l.is_envelope());
        assert_eq!(l.stage(), Some("build"));
        assert_eq!(l.error().as_deref(), Some("boom"));
        // The item goes back exactly as written, big numbers included.
        assert_eq!(
            l.item,
            br#"{"url":"a.com","n":12345678901234567890123}"#.to_vec()
        );
        assert!(l.failed_at().is_some());

        let l = letter(r#"{"item":"plain text","stage":null,"error":"x","failed_at":"bad"}"#);
        assert_eq!(l.item, b"plain text".to_vec());
        assert_eq!(l.stage(), None);
        assert_eq!(l.failed_at(), None);

        for bare in [
            r#"{"url":"b.com"}"#,
            "not json",
            r#"{"item":"x"}"#,
            "",
            "[1,2]",
        ] {
            let l = letter(bare);
            assert!(!l.is_envelope(), "{bare}");
            assert_eq!(l.item, bare.as_bytes().to_vec());
        }
        let l = Letter::parse(vec![0xff, 0xfe, 0]);
        assert!(!l.is_envelope());
        assert!(l.extra().is_empty());
        let l = letter(
            r#"{"item":1,"error":"x","attempts":"3","failed_at":"soon","note":"kept","stage":null}"#,
        );
        let extra: Vec<String> = l.extra().keys().cloned().collect();
        assert_eq!(extra, ["attempts", "failed_at", "note"]);
    }

    #[test]
    fn conditions() {
        let c = parse_condition("item.url=a.com").unwrap();
        assert_eq!(
            (c.path.as_str(), c.value.as_str(), c.op),
            ("item.url", "a.com", crate::input::Op::Eq)
        );
        let c = parse_condition("error~time=out").unwrap();
        assert_eq!(
            (c.path.as_str(), c.value.as_str(), c.op),
            ("error", "time=out", crate::input::Op::Contains)
        );
        assert!(parse_condition("nothing").is_err());
        assert!(parse_condition("=x").is_err());

        let view = letter(
            r#"{"item":{"url":"a.com"},"error":"timed out","attempts":3,"failed_at":"2026-03-19T10:00:00Z"}"#,
        )
        .view();
        assert!(parse_condition("item.url=a.com").unwrap().matches(&view));
        assert!(parse_condition("attempts=3").unwrap().matches(&view));
        assert!(parse_condition("error~timed").unwrap().matches(&view));
        assert!(!parse_condition("error=timed").unwrap().matches(&view));
        assert!(!parse_condition("stage=build").unwrap().matches(&view));
        // Bare items are seen as {"item": …}.
        assert!(
            parse_condition("item.url=b.com")
                .unwrap()
                .matches(&letter(r#"{"url":"b.com"}"#).view())
        );
        assert!(
            parse_condition("item=plain")
                .unwrap()
                .matches(&letter("plain").view())
        );
        assert!(
            parse_condition("bare=true")
                .unwrap()
                .matches(&letter("plain").view())
        );
        assert!(parse_condition("bare=false").unwrap().matches(&view));
    }
}
