//! Stage controls: pause flags (the kill switch) and rate-limit windows; an operator's
//! change to either writes its audit record in the same script.

use std::time::Duration;

use anyhow::Result;

use super::Store;
use super::scripts::{Lua, PAUSE, RATELIMIT, RATELIMIT_RESET, RESUME};
use crate::audit::{AuditLog, Entry};

/// A rate-limit window as Redis holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Uses in the current window (a value set by hand that is not a number counts as spent).
    pub used: u64,
    /// Time until the window reopens; zero when no window is open.
    pub reset_in: Duration,
}

impl Store {
    /// Sets a stage's pause flag, with its audit record, in one step; a claim checks the
    /// flag in the same atomic step as it takes. Returns the reason it had when it was
    /// paused already.
    /// `notice` is (outbox, stage, details): the stage_paused event added in the same step
    /// when the stage was running (details '' for none).
    pub fn pause(
        &mut self,
        key: &str,
        reason: &str,
        audit: &AuditLog,
        entry: &Entry,
        notice: (&str, &str, &str),
    ) -> Result<Option<Vec<u8>>> {
        let (outbox, stage, details) = notice;
        self.same_slot(&[key, &audit.key, outbox])?;
        let mut inv = PAUSE.script().prepare_invoke();
        inv.key(key)
            .key(&audit.key)
            .key(outbox)
            .arg(audit.keep_ms())
            .arg(entry.head())
            .arg(reason)
            .arg(stage)
            .arg(details);
        let res: redis::RedisResult<Option<Vec<u8>>> = super::scripts::invoke(&inv, self.con());
        res.map_err(|e| {
            self.explain(
                e,
                &[(key, "string"), (&audit.key, "stream"), (outbox, "stream")],
            )
        })
    }

    /// Clears a pause flag, with its audit record, in one step. Returns the reason it was
    /// paused for; None when it was not paused (then nothing changed, nothing is recorded).
    /// `breaker` (its hash and failures zset, keys.rs) is cleared in the same step: a
    /// resume closes the stage's circuit breaker too.
    pub fn resume(
        &mut self,
        key: &str,
        breaker: [&str; 2],
        audit: &AuditLog,
        entry: &Entry,
    ) -> Result<Option<Vec<u8>>> {
        self.same_slot(&[key, &audit.key, breaker[0], breaker[1]])?;
        let mut inv = RESUME.script().prepare_invoke();
        inv.key(key)
            .key(&audit.key)
            .key(breaker[0])
            .key(breaker[1])
            .arg(audit.keep_ms())
            .arg(entry.head());
        let res: redis::RedisResult<Option<Vec<u8>>> = super::scripts::invoke(&inv, self.con());
        res.map_err(|e| {
            self.explain(
                e,
                &[
                    (key, "string"),
                    (&audit.key, "stream"),
                    (breaker[0], "hash"),
                    (breaker[1], "zset"),
                ],
            )
        })
    }

    /// Runs a script that changes one key and writes its audit record (pause, resume,
    /// ratelimit reset): never sent twice, so never recorded twice.
    fn recorded(
        &mut self,
        lua: &'static Lua,
        key: &str,
        kind: &str,
        audit: &AuditLog,
        entry: &Entry,
        arg: Option<&str>,
    ) -> Result<Option<Vec<u8>>> {
        self.same_slot(&[key, &audit.key])?;
        let mut inv = lua.script().prepare_invoke();
        inv.key(key)
            .key(&audit.key)
            .arg(audit.keep_ms())
            .arg(entry.head());
        if let Some(arg) = arg {
            inv.arg(arg);
        }
        let res: redis::RedisResult<Option<Vec<u8>>> = super::scripts::invoke(&inv, self.con());
        res.map_err(|e| self.explain(e, &[(key, kind), (&audit.key, "stream")]))
    }

    /// The pause reason, when the stage is paused.
    pub fn paused(&mut self, key: &str) -> Result<Option<String>> {
        let res: redis::RedisResult<Option<String>> = redis::cmd("GET").arg(key).query(self.idem());
        res.map_err(|e| self.explain(e, &[(key, "string")]))
    }

    /// Takes `n` uses (all or none) from a fixed window of `limit` per `per`.
    /// Returns (granted, reset_in).
    pub fn rate_take(
        &mut self,
        key: &str,
        n: u64,
        limit: u64,
        per: Duration,
    ) -> Result<(u64, Duration)> {
        // Sent again after a lost reply, a take only over-counts: the limit is never exceeded.
        let mut inv = RATELIMIT.script().prepare_invoke();
        inv.key(key)
            .arg("take")
            .arg(n)
            .arg(limit)
            .arg(per.as_millis() as u64);
        let res: redis::RedisResult<(u64, u64)> = super::scripts::invoke(&inv, self.idem());
        let (granted, ttl) = res.map_err(|e| self.explain(e, &[(key, "string")]))?;
        Ok((granted, Duration::from_millis(ttl)))
    }

    /// Hands back `n` uses taken but not used (the queue was empty), within the same window.
    pub fn rate_give(&mut self, key: &str, n: u64) -> Result<()> {
        let mut inv = RATELIMIT.script().prepare_invoke();
        inv.key(key).arg("give").arg(n).arg(0).arg(0);
        let res: redis::RedisResult<u64> = super::scripts::invoke(&inv, self.con());
        res.map(drop)
            .map_err(|e| self.explain(e, &[(key, "string")]))
    }

    /// The current window of a rate limit.
    pub fn rate_window(&mut self, key: &str, limit: u64) -> Result<Window> {
        let mut pipe = redis::pipe();
        pipe.cmd("GET").arg(key).cmd("PTTL").arg(key);
        let res: redis::RedisResult<(Option<String>, i64)> = self.query_pipe(&pipe);
        let (value, pttl) = res.map_err(|e| self.explain(e, &[(key, "string")]))?;
        let used = value.map_or(0, |v| v.trim().parse().unwrap_or(limit));
        Ok(Window {
            used,
            reset_in: Duration::from_millis(pttl.max(0) as u64),
        })
    }

    /// Deletes a rate-limit window, with its audit record, in one step: the limit is whole
    /// again. Returns the uses it had counted (as stored); None when no window was open (then
    /// nothing changed, nothing is recorded).
    pub fn rate_reset(
        &mut self,
        key: &str,
        audit: &AuditLog,
        entry: &Entry,
    ) -> Result<Option<Vec<u8>>> {
        self.recorded(&RATELIMIT_RESET, key, "string", audit, entry, None)
    }
}
