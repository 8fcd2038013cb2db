//! What is in Redis, read with the real redis-cli: a whole-database snapshot (to prove that a
//! refused command changed nothing) and where each item of a pipeline is (to prove that every
//! item is in exactly one place).

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::RedisServer;

/// Every key with its type and its whole content, in a stable order.
pub type Snapshot = BTreeMap<String, (String, Vec<String>)>;

impl RedisServer {
    /// redis-cli with raw output, so list elements with newlines stay recognisable per line
    /// only when they have none; callers use items without newlines.
    fn raw_lines(&self, args: &[&str]) -> Vec<String> {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "--raw"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("redis-cli must be installed");
        assert!(
            out.status.success(),
            "redis-cli {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        if text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').map(str::to_owned).collect()
        }
    }

    /// The whole database: each key, its type and its content (hashes and zsets as sorted
    /// field/value or member/score pairs, sets sorted, lists in order, strings as they are).
    pub fn snapshot(&self) -> Snapshot {
        let mut keys = self.raw_lines(&["--scan"]);
        keys.sort();
        keys.dedup();
        let mut snap = Snapshot::new();
        for key in keys {
            let kind = self.cli(&["TYPE", &key]);
            let content = match kind.as_str() {
                "list" => self.raw_lines(&["LRANGE", &key, "0", "-1"]),
                "set" => sorted(self.raw_lines(&["SMEMBERS", &key])),
                "hash" => pairs(self.raw_lines(&["HGETALL", &key])),
                "zset" => pairs(self.raw_lines(&["ZRANGE", &key, "0", "-1", "WITHSCORES"])),
                "string" => self.raw_lines(&["GET", &key]),
                "none" => continue,
                other => vec![format!("<{other}>")],
            };
            snap.insert(key, (kind, content));
        }
        snap
    }

    /// Where each item of `queues` is. Returns place -> items, for the places: each queue
    /// (`<q>`), its leases (`<q>:leased`, hash values), its delayed retries (`<q>:delayed`,
    /// the item after the 16-hex prefix), plain lists in `lists`, and dead letters in
    /// `dead` (the envelope's `item` as JSON text, or the bare entry).
    pub fn whereabouts(
        &self,
        queues: &[&str],
        lists: &[&str],
        dead: &str,
    ) -> BTreeMap<String, Vec<String>> {
        let mut places = BTreeMap::new();
        for q in queues {
            places.insert(q.to_string(), self.raw_lines(&["LRANGE", q, "0", "-1"]));
            places.insert(
                format!("{q}:leased"),
                self.raw_lines(&["HVALS", &format!("{q}:leased")]),
            );
            let delayed = self
                .raw_lines(&["ZRANGE", &format!("{q}:delayed"), "0", "-1"])
                .into_iter()
                .map(|m| match m.split_once(':') {
                    Some((hex, item)) if hex.len() == 16 => item.to_owned(),
                    _ => m,
                })
                .collect();
            places.insert(format!("{q}:delayed"), delayed);
        }
        for l in lists {
            places.insert(l.to_string(), self.raw_lines(&["LRANGE", l, "0", "-1"]));
        }
        let letters = self
            .raw_lines(&["LRANGE", dead, "0", "-1"])
            .into_iter()
            .map(|entry| match serde_json::from_str::<Value>(&entry) {
                Ok(Value::Object(map)) if map.contains_key("error") => match &map["item"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                },
                _ => entry,
            })
            .collect();
        places.insert(dead.to_owned(), letters);
        places
    }
}

/// Checks that every expected item is in exactly one place and nothing else is anywhere.
/// Returns the count per place; panics naming the first missing, duplicated or unknown item.
pub fn assert_each_once(
    places: &BTreeMap<String, Vec<String>>,
    expected: &[String],
) -> BTreeMap<String, usize> {
    let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (place, items) in places {
        for item in items {
            found.entry(item.as_str()).or_default().push(place.as_str());
        }
    }
    for item in expected {
        match found.get(item.as_str()).map(Vec::as_slice) {
            None | Some([]) => panic!("item {item} is missing from every place"),
            Some([_]) => {}
            Some(more) => panic!("item {item} is in several places: {more:?}"),
        }
    }
    let expected_set: std::collections::BTreeSet<&str> =
        expected.iter().map(String::as_str).collect();
    if let Some((item, at)) = found.iter().find(|(i, _)| !expected_set.contains(*i)) {
        panic!("unexpected item {item} in {at:?}");
    }
    places
        .iter()
        .map(|(place, items)| (place.clone(), items.len()))
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn pairs(flat: Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = flat
        .chunks(2)
        .map(|c| format!("{} => {}", c[0], c.get(1).map_or("", String::as_str)))
        .collect();
    v.sort();
    v
}
