//! Reading the audit stream back (`pipectl audit`): newest first, one page per round trip
//! (XREVRANGE with a COUNT), so memory stays flat however long the stream is. The records
//! are written by the scripts that make the changes (common.lua, rule 3), never here.

use anyhow::Result;
use redis::Value;

use super::Store;

/// One stream entry as Redis holds it: its ID and its fields, in order, as bytes (an entry
/// added by hand may hold anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamEntry {
    /// `<ms>-<seq>`: the server time it was added at, in ms, and a sequence number.
    pub id: String,
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

impl StreamEntry {
    /// The ms part of the ID (the server time when the entry was added).
    pub fn ms(&self) -> u64 {
        id_ms(&self.id)
    }
}

/// The ms part of a stream ID (`1764…-0`); 0 for what is not one.
pub fn id_ms(id: &str) -> u64 {
    id.split('-')
        .next()
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(0)
}

impl Store {
    /// Up to `count` entries of the stream `key`, newest first: those older than the entry
    /// `before` (exclusive; from the newest when None) and added at or after `since_ms`
    /// (server time; all when None). A key that does not exist reads as an empty stream.
    pub fn audit_page(
        &mut self,
        key: &str,
        before: Option<&str>,
        since_ms: Option<u64>,
        count: usize,
    ) -> Result<Vec<StreamEntry>> {
        let end = before.map_or_else(|| "+".to_owned(), |id| format!("({id}"));
        let start = since_ms.map_or_else(|| "-".to_owned(), |ms| ms.to_string());
        let res: redis::RedisResult<Value> = redis::cmd("XREVRANGE")
            .arg(key)
            .arg(end)
            .arg(start)
            .arg("COUNT")
            .arg(count.max(1))
            .query(self.idem());
        let value = res.map_err(|e| self.explain(e, &[(key, "stream")]))?;
        parse_entries(value)
            .ok_or_else(|| anyhow::anyhow!("unexpected reply to XREVRANGE {key}: not a stream"))
    }
}

/// XRANGE/XREVRANGE's reply: `[[id, [field, value, …]], …]` (RESP2 and RESP3 alike).
pub(super) fn parse_entries(value: Value) -> Option<Vec<StreamEntry>> {
    let Value::Array(entries) = value else {
        return matches!(value, Value::Nil).then(Vec::new);
    };
    entries
        .into_iter()
        .map(|entry| {
            let Value::Array(mut parts) = entry else {
                return None;
            };
            if parts.len() != 2 {
                return None;
            }
            let fields = parts.pop()?;
            let id = bytes(parts.pop()?)?;
            let id = String::from_utf8(id).ok()?;
            let flat: Vec<Vec<u8>> = match fields {
                Value::Array(flat) => flat.into_iter().map(bytes).collect::<Option<_>>()?,
                Value::Map(pairs) => pairs
                    .into_iter()
                    .flat_map(|(k, v)| [bytes(k), bytes(v)])
                    .collect::<Option<_>>()?,
                Value::Nil => Vec::new(),
                _ => return None,
            };
            let mut pairs = Vec::with_capacity(flat.len() / 2);
            let mut it = flat.into_iter();
            while let Some(name) = it.next() {
                pairs.push((name, it.next().unwrap_or_default()));
            }
            Some(StreamEntry { id, fields: pairs })
        })
        .collect()
}

fn bytes(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        Value::Int(i) => Some(i.to_string().into_bytes()),
        Value::VerbatimString { text, .. } => Some(text.into_bytes()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_and_ids_give_their_ms() {
        let reply = Value::Array(vec![Value::Array(vec![
            Value::BulkString(b"1764000000123-4".to_vec()),
            Value::Array(vec![
                Value::BulkString(b"action".to_vec()),
                Value::BulkString(b"pause".to_vec()),
                Value::BulkString(b"item".to_vec()),
                Value::BulkString(vec![0xff, 0]),
            ]),
        ])]);
        let entries = parse_entries(reply).unwrap();
        assert_eq!(entries[0].ms(), 1_764_000_000_123);
        assert_eq!(entries[0].fields[1], (b"item".to_vec(), vec![0xff, 0]));
        assert_eq!(parse_entries(Value::Nil), Some(Vec::new()));
        assert_eq!(parse_entries(Value::Int(3)), None);
        assert_eq!(id_ms("nonsense"), 0);
    }
}
