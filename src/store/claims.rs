//! Reviewer claims and what else pipectl keeps beside a staging list (keys.rs StagedKeys):
//! who is looking at an item, the question it was escalated with, when it was staged.

use std::time::Duration;

use anyhow::Result;

use super::Store;
use super::review::Ask;
use super::scripts::{REVIEW_CLAIM, REVIEW_RELEASE};
use crate::keys::StagedKeys;

/// Items `claim_next` may look at in one call, passing over claimed ones.
const CLAIM_BUDGET: usize = 10_000;

/// A staged item claimed for a reviewer to look at.
#[derive(Debug)]
pub struct Shown {
    /// Its position when claimed, 1 = next in line.
    pub pos: usize,
    pub item: Vec<u8>,
    /// Its question, when a handler escalated it.
    pub ask: Option<Ask>,
    /// That escalation entry as stored (what a send-back checks it against).
    pub ask_raw: Option<Vec<u8>>,
    /// When it was staged (ms since the epoch, server clock), when pipectl knows.
    pub since_ms: Option<u64>,
}

/// A live claim on a staged item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    pub by: String,
    /// When it ends (ms since the epoch, server clock).
    pub until_ms: u64,
}

/// What pipectl keeps about one staged item.
#[derive(Clone, Debug, Default)]
pub struct StagedMeta {
    pub claim: Option<Hold>,
    pub ask: Option<Ask>,
    pub since_ms: Option<u64>,
    /// An auto-approve policy left it for a person, as its audit sample.
    pub sampled: bool,
}

/// A claim value `<deadline ms> <holder>`, when it is one and still live at `now_ms`.
fn parse_hold(value: &[u8], now_ms: u64) -> Option<Hold> {
    let text = std::str::from_utf8(value).ok()?;
    let (deadline, by) = text.split_once(' ')?;
    let until_ms: u64 = deadline.parse().ok()?;
    (until_ms > now_ms).then(|| Hold {
        by: by.to_owned(),
        until_ms,
    })
}

impl Store {
    /// Claims the next staged item nobody else holds (passing over `passed`) for `ttl`.
    pub fn claim_next(
        &mut self,
        keys: &StagedKeys,
        me: &str,
        ttl: Duration,
        passed: &[Vec<u8>],
    ) -> Result<Option<Shown>> {
        let mut inv = REVIEW_CLAIM.script().prepare_invoke();
        inv.key(&keys.list)
            .key(&keys.claims)
            .key(&keys.asks)
            .key(&keys.since)
            .arg(me)
            .arg(ttl.as_millis() as u64)
            .arg(CLAIM_BUDGET);
        for item in passed {
            inv.arg(item.as_slice());
        }
        // Claiming again after a lost reply only renews the reviewer's own claim.
        let res: redis::RedisResult<Vec<redis::Value>> = super::scripts::invoke(&inv, self.idem());
        let reply = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (&keys.list, "list"),
                    (&keys.claims, "hash"),
                    (&keys.asks, "hash"),
                    (&keys.since, "zset"),
                ],
            )
        })?;
        let mut it = reply.into_iter();
        let (Some(pos), Some(item), Some(ask), Some(since)) =
            (it.next(), it.next(), it.next(), it.next())
        else {
            return Ok(None);
        };
        let bytes = |v: redis::Value| match v {
            redis::Value::BulkString(b) => Some(b),
            _ => None,
        };
        let (redis::Value::Int(pos), Some(item)) = (pos, bytes(item)) else {
            anyhow::bail!("unexpected reply from the review-claim script");
        };
        let ask_raw = bytes(ask);
        Ok(Some(Shown {
            pos: pos.max(1) as usize,
            item,
            ask: ask_raw.as_deref().and_then(Ask::parse),
            ask_raw,
            since_ms: bytes(since)
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.parse::<f64>().ok())
                .map(|ms| ms as u64),
        }))
    }

    /// Lets go of `me`'s claims on these items (a claim someone else holds stays).
    pub fn release_claims(&mut self, keys: &StagedKeys, me: &str, items: &[&[u8]]) -> Result<u64> {
        if items.is_empty() {
            return Ok(0);
        }
        let mut inv = REVIEW_RELEASE.script().prepare_invoke();
        inv.key(&keys.claims).arg(me);
        for item in items {
            inv.arg(*item);
        }
        let res: redis::RedisResult<u64> = super::scripts::invoke(&inv, self.idem());
        res.map_err(|e| self.explain(e, &[(&keys.claims, "hash")]))
    }

    /// What pipectl keeps about each of these staged items (claims still live only), and
    /// the server's time in ms, in one round trip.
    pub fn staged_meta(
        &mut self,
        keys: &StagedKeys,
        items: &[&[u8]],
    ) -> Result<(Vec<StagedMeta>, u64)> {
        let now = self.server_ms()?;
        if items.is_empty() {
            return Ok((Vec::new(), now));
        }
        let mut pipe = redis::pipe();
        for (cmd, key) in [
            ("HMGET", &keys.claims),
            ("HMGET", &keys.asks),
            ("ZMSCORE", &keys.since),
            ("SMISMEMBER", &keys.sampled),
        ] {
            let c = pipe.cmd(cmd).arg(key);
            for item in items {
                c.arg(*item);
            }
        }
        type Replies = (
            Vec<Option<Vec<u8>>>,
            Vec<Option<Vec<u8>>>,
            Vec<Option<f64>>,
            Vec<bool>,
        );
        let res: redis::RedisResult<Replies> = self.query_pipe(&pipe);
        let (claims, asks, since, sampled) = res.map_err(|e| {
            self.explain(
                e,
                &[
                    (&keys.claims, "hash"),
                    (&keys.asks, "hash"),
                    (&keys.since, "zset"),
                    (&keys.sampled, "set"),
                ],
            )
        })?;
        let meta = (0..items.len())
            .map(|i| StagedMeta {
                claim: claims
                    .get(i)
                    .and_then(Option::as_deref)
                    .and_then(|v| parse_hold(v, now)),
                ask: asks.get(i).and_then(Option::as_deref).and_then(Ask::parse),
                since_ms: since.get(i).copied().flatten().map(|ms| ms as u64),
                sampled: sampled.get(i).copied().unwrap_or(false),
            })
            .collect();
        Ok((meta, now))
    }

    /// Records now as the arrival of staged items pipectl has no arrival for (ZADD NX with
    /// the server's clock): for items staged by `pipectl stage` or by hand (redis-cli LPUSH).
    pub fn mark_arrived(&mut self, keys: &StagedKeys, items: &[&[u8]]) -> Result<()> {
        let now = self.server_ms()?;
        for chunk in items.chunks(1_000) {
            let mut cmd = redis::cmd("ZADD");
            cmd.arg(&keys.since).arg("NX");
            for item in chunk {
                cmd.arg(now).arg(*item);
            }
            let res: redis::RedisResult<u64> = cmd.query(self.idem());
            res.map_err(|e| self.explain(e, &[(&keys.since, "zset")]))?;
        }
        Ok(())
    }

    /// The server's clock, in ms since the epoch.
    pub fn server_ms(&mut self) -> Result<u64> {
        let res: redis::RedisResult<(u64, u64)> = redis::cmd("TIME").query(self.idem());
        let (secs, micros) = res.map_err(|e| self.explain(e, &[]))?;
        Ok(secs.saturating_mul(1000).saturating_add(micros / 1000))
    }

    /// When the longest-waiting staged item arrived (ms), when pipectl knows any arrival.
    pub fn oldest_staged(&mut self, keys: &StagedKeys) -> Result<Option<u64>> {
        let res: redis::RedisResult<Vec<(Vec<u8>, f64)>> = redis::cmd("ZRANGE")
            .arg(&keys.since)
            .arg(0)
            .arg(0)
            .arg("WITHSCORES")
            .query(self.idem());
        let first = res.map_err(|e| self.explain(e, &[(&keys.since, "zset")]))?;
        Ok(first.first().map(|(_, ms)| *ms as u64))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn holds_parse_and_expire() {
        let hold = super::parse_hold(b"2000 ann lee", 1000).unwrap();
        assert_eq!((hold.by.as_str(), hold.until_ms), ("ann lee", 2000));
        assert!(super::parse_hold(b"2000 ann", 2000).is_none());
        assert!(super::parse_hold(b"soon ann", 0).is_none());
        assert!(super::parse_hold(b"\xff", 0).is_none());
    }
}
