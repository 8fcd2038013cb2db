//! Reads of a queue's delayed set (`<queue>:delayed`): retries waiting out a backoff and
//! delayed enqueues, soonest first.

use anyhow::Result;

use super::Store;

/// One entry of a delayed set: its member's id (the 16-hex prefix; None for a member made by
/// hand without one), its item, and its due time (ms since the epoch).
#[derive(Clone, Debug, PartialEq)]
pub struct DelayedEntry {
    pub id: Option<String>,
    pub item: Vec<u8>,
    pub due_ms: i64,
}

impl Store {
    /// The entries at positions `offset..offset+limit` of a delayed set, soonest first
    /// (ZRANGE by rank: due time, then member).
    pub fn delayed_page(
        &mut self,
        delayed: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DelayedEntry>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let res: redis::RedisResult<Vec<(Vec<u8>, f64)>> = redis::cmd("ZRANGE")
            .arg(delayed)
            .arg(offset)
            .arg(offset.saturating_add(limit - 1))
            .arg("WITHSCORES")
            .query(self.idem());
        let page = res.map_err(|e| self.explain(e, &[(delayed, "zset")]))?;
        Ok(page
            .into_iter()
            .map(|(member, score)| {
                let (id, item) = split_delayed(&member);
                DelayedEntry {
                    id: id.map(str::to_owned),
                    item: item.to_vec(),
                    // A score set by hand may be a fraction or infinite: saturated to ms.
                    due_ms: score.floor() as i64,
                }
            })
            .collect())
    }

    /// ZCARD of a delayed set.
    pub fn delayed_len(&mut self, delayed: &str) -> Result<u64> {
        let res: redis::RedisResult<u64> = redis::cmd("ZCARD").arg(delayed).query(self.idem());
        res.map_err(|e| self.explain(e, &[(delayed, "zset")]))
    }
}

/// A delayed member split as common.lua's `delayed_item` splits it: `<16 hex>:<item>`, else
/// (a member made by hand) no id and the whole member as the item.
pub fn split_delayed(member: &[u8]) -> (Option<&str>, &[u8]) {
    if member.len() >= 17 && member[16] == b':' && member[..16].iter().all(u8::is_ascii_hexdigit) {
        // Sixteen ASCII hex digits are UTF-8.
        if let Ok(id) = std::str::from_utf8(&member[..16]) {
            return (Some(id), &member[17..]);
        }
    }
    (None, member)
}

#[cfg(test)]
mod tests {
    use super::split_delayed;

    #[test]
    fn members_split_as_the_scripts_split_them() {
        assert_eq!(
            split_delayed(b"0123456789abcdef:{\"a\":1}"),
            (Some("0123456789abcdef"), &b"{\"a\":1}"[..])
        );
        assert_eq!(
            split_delayed(b"0123456789ABCDEF:"),
            (Some("0123456789ABCDEF"), &b""[..])
        );
        assert_eq!(split_delayed(b"by hand"), (None, &b"by hand"[..]));
        assert_eq!(
            split_delayed(b"0123456789abcdeg:x"),
            (None, &b"0123456789abcdeg:x"[..])
        );
    }
}
