//! Reads: list pages, lengths, seen flags, counters and key scans; and counter increments.

use std::time::Duration;

use anyhow::Result;

use super::{Store, scripts, server_error};
use crate::error::Fail;

impl Store {
    /// The next `count` items to be taken, next first, without taking them.
    pub fn peek(&mut self, queue: &str, count: usize) -> Result<Vec<Vec<u8>>> {
        self.page(queue, 0, count)
    }

    /// Items at positions `offset..offset+limit` counted from the consumer end (0 = next).
    pub fn page(&mut self, queue: &str, offset: usize, limit: usize) -> Result<Vec<Vec<u8>>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let start = -((offset + limit) as i64);
        let stop = -(offset as i64) - 1;
        let res: redis::RedisResult<Vec<Vec<u8>>> = redis::cmd("LRANGE")
            .arg(queue)
            .arg(start)
            .arg(stop)
            .query(self.idem());
        let mut items = res.map_err(|e| self.explain(e, &[(queue, "list")]))?;
        items.reverse();
        Ok(items)
    }

    /// LLEN of each queue, in one round trip.
    pub fn lens(&mut self, queues: &[String]) -> Result<Vec<u64>> {
        let mut pipe = redis::pipe();
        for q in queues {
            pipe.cmd("LLEN").arg(q);
        }
        let res = self.query_pipe(&pipe);
        res.map_err(|e| {
            let expected: Vec<(&str, &str)> = queues.iter().map(|q| (q.as_str(), "list")).collect();
            self.explain(e, &expected)
        })
    }

    /// SMISMEMBER: whether each value is in the set.
    pub fn seen(&mut self, set: &str, values: &[String]) -> Result<Vec<bool>> {
        let res: redis::RedisResult<Vec<i64>> = redis::cmd("SMISMEMBER")
            .arg(set)
            .arg(values)
            .query(self.idem());
        let flags = res.map_err(|e| self.explain(e, &[(set, "set")]))?;
        Ok(flags.into_iter().map(|f| f == 1).collect())
    }

    /// INCRBY + EXPIRE each counter (each one atomic, all in one round trip). Returns the
    /// new values.
    pub fn incr_counters(&mut self, counters: &[(String, i64)], ttl: Duration) -> Result<Vec<i64>> {
        let mut pipe = redis::pipe();
        for (key, by) in counters {
            pipe.cmd("EVAL")
                .arg(scripts::INCR_COUNTER.source)
                .arg(1)
                .arg(key)
                .arg(*by)
                .arg(ttl.as_secs().max(1));
        }
        let res: redis::RedisResult<Vec<i64>> = self.query_pipe_once(&pipe);
        res.map_err(|e| {
            let detail = server_error(&e).map(|(_, d)| d).unwrap_or_default();
            let key = match counters {
                [(key, _)] => format!("counter '{key}'"),
                _ => "a counter".to_owned(),
            };
            if detail.contains("would overflow") {
                return Fail::data(format!(
                    "{key} would pass the range of a 64-bit integer (±9223372036854775807); nothing was added"
                ))
                .into();
            }
            if detail.contains("not an integer") {
                return Fail::data(format!(
                    "{key} holds a value that is not an integer; nothing was added"
                ))
                .hint("inspect it with `redis-cli GET <key>`; delete it to start the count again")
                .into();
            }
            let expected: Vec<(&str, &str)> = counters
                .iter()
                .map(|(k, _)| (k.as_str(), "string"))
                .collect();
            self.explain(e, &expected)
        })
    }

    /// MGET of counter keys; absent counters read as 0.
    pub fn counters(&mut self, keys: &[String]) -> Result<Vec<i64>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for key in keys {
            pipe.cmd("GET").arg(key);
        }
        let res: redis::RedisResult<Vec<Option<String>>> = self.query_pipe(&pipe);
        let values = res.map_err(|e| self.explain(e, &[]))?;
        Ok(values
            .into_iter()
            .map(|v| v.and_then(|s| s.trim().parse().ok()).unwrap_or(0))
            .collect())
    }

    /// Every key matching `pattern`, by SCAN (never KEYS: it would block the server); on a
    /// cluster, on every master.
    pub fn scan(&mut self, pattern: &str) -> Result<Vec<String>> {
        let masters = self.masters()?;
        let mut found = Vec::new();
        if masters.is_empty() {
            self.scan_node(None, pattern, &mut found)?;
        }
        for node in &masters {
            self.scan_node(Some(node), pattern, &mut found)?;
        }
        Ok(found)
    }

    fn scan_node(
        &mut self,
        node: Option<&(String, u16)>,
        pattern: &str,
        found: &mut Vec<String>,
    ) -> Result<()> {
        let mut cursor: u64 = 0;
        loop {
            let mut cmd = redis::cmd("SCAN");
            cmd.arg(cursor)
                .arg("MATCH")
                .arg(pattern)
                .arg("COUNT")
                .arg(1000);
            let page: redis::RedisResult<(u64, Vec<String>)> = match node {
                Some(node) => self.on_node(node, &cmd),
                None => cmd.query(self.idem()),
            };
            let (next, keys) = page.map_err(|e| self.explain(e, &[]))?;
            found.extend(keys);
            if next == 0 {
                return Ok(());
            }
            cursor = next;
        }
    }
}
