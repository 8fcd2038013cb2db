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
        let mut cmd = Command::new("redis-cli");
        if let Some(pw) = &self.password {
            cmd.env("REDISCLI_AUTH", pw);
        }
        let out = cmd
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

    /// Where each item of `queues` is, read in ONE atomic step (a read-only script), so it
    /// is a true instant even while pipectl processes are moving items. Returns place ->
    /// items, for the places: each queue (`<q>`), its leases (`<q>:leased`, hash values),
    /// its delayed retries (`<q>:delayed`, the item after the 16-hex prefix), plain lists in
    /// `lists`, and dead letters in `dead` (the envelope's `item` as JSON text, or the bare
    /// entry). Also checks the lease bookkeeping: a leased item without a deadline, or a
    /// deadline without an item, is listed under the place `!broken` (which `check_places`
    /// refuses).
    pub fn whereabouts(
        &self,
        queues: &[&str],
        lists: &[&str],
        dead: &str,
    ) -> BTreeMap<String, Vec<String>> {
        const SCRIPT: &str = r#"
local out = {}
local function add(place, items)
  for _, item in ipairs(items) do out[#out + 1] = place .. '\t' .. item end
end
local nq = tonumber(ARGV[1])
for i = 1, nq do
  local q = KEYS[i]
  add(q, redis.call('LRANGE', q, 0, -1))
  add(q .. ':leased', redis.call('HVALS', q .. ':leased'))
  add(q .. ':delayed', redis.call('ZRANGE', q .. ':delayed', 0, -1))
  for _, id in ipairs(redis.call('HKEYS', q .. ':leased')) do
    if not redis.call('ZSCORE', q .. ':leases', id) then out[#out + 1] = '!broken\t' .. q .. ' lease ' .. id .. ' has no deadline' end
  end
  for _, id in ipairs(redis.call('ZRANGE', q .. ':leases', 0, -1)) do
    if redis.call('HEXISTS', q .. ':leased', id) == 0 then out[#out + 1] = '!broken\t' .. q .. ' deadline ' .. id .. ' has no item' end
  end
end
for i = nq + 1, #KEYS do add(KEYS[i], redis.call('LRANGE', KEYS[i], 0, -1)) end
return out
"#;
        let mut keys: Vec<&str> = queues.to_vec();
        keys.extend_from_slice(lists);
        keys.push(dead);
        let nkeys = keys.len().to_string();
        let nq = queues.len().to_string();
        let mut args = vec!["EVAL", SCRIPT, &nkeys];
        args.extend_from_slice(&keys);
        args.push(&nq);
        let mut places: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for q in queues {
            for suffix in ["", ":leased", ":delayed"] {
                places.insert(format!("{q}{suffix}"), Vec::new());
            }
        }
        for l in lists.iter().chain([&dead]) {
            places.insert(l.to_string(), Vec::new());
        }
        for line in self.raw_lines(&args) {
            let (place, item) = line.split_once('\t').expect("place<TAB>item");
            let item = if place.ends_with(":delayed") {
                match item.split_once(':') {
                    Some((hex, rest)) if hex.len() == 16 => rest.to_owned(),
                    _ => item.to_owned(),
                }
            } else if place == dead {
                match serde_json::from_str::<Value>(item) {
                    Ok(Value::Object(map)) if map.contains_key("error") => match &map["item"] {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                    _ => item.to_owned(),
                }
            } else {
                item.to_owned()
            };
            places.entry(place.to_owned()).or_default().push(item);
        }
        places
    }
}

/// Checks that every expected item is in exactly one place and nothing else is anywhere.
/// Returns the count per place; panics naming the first missing, duplicated or unknown item.
pub fn assert_each_once(
    places: &BTreeMap<String, Vec<String>>,
    expected: &[String],
) -> BTreeMap<String, usize> {
    check_places(places, expected, &[])
}

/// Like `assert_each_once` for `sure` items, while `maybe` items (being written right now)
/// may be absent, but never twice.
pub fn check_places(
    places: &BTreeMap<String, Vec<String>>,
    sure: &[String],
    maybe: &[String],
) -> BTreeMap<String, usize> {
    if let Some(broken) = places.get("!broken") {
        assert!(broken.is_empty(), "broken lease bookkeeping: {broken:?}");
    }
    let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (place, items) in places {
        for item in items {
            found.entry(item.as_str()).or_default().push(place.as_str());
        }
    }
    if let Some((item, at)) = found.iter().find(|(_, at)| at.len() > 1) {
        panic!("item {item} is in several places at once: {at:?}");
    }
    for item in sure {
        assert!(
            found.contains_key(item.as_str()),
            "item {item} is missing from every place"
        );
    }
    let known: std::collections::BTreeSet<&str> =
        sure.iter().chain(maybe).map(String::as_str).collect();
    if let Some((item, at)) = found.iter().find(|(i, _)| !known.contains(*i)) {
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
