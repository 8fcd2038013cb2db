//! The notification outbox (keys.rs notify_outbox): a stream of events, each added in the
//! same step as the change that caused it, delivered through one consumer group per
//! destination. A group hands a new event to exactly one reader (XREADGROUP); an event
//! whose delivery failed or whose reader died stays pending and is taken over (XCLAIM with
//! a minimum idle time, so only one pipectl wins) once it has waited long enough.

use anyhow::Result;
use redis::Value;

use super::Store;
use super::scripts::NOTIFY_CHECK;

/// One event read from the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The stream entry id (`<ms>-<seq>`, server clock).
    pub id: String,
    pub event: String,
    /// Empty when the event is about no stage.
    pub stage: String,
    /// A JSON object, as text.
    pub details: String,
}

/// An event handed out but not acknowledged yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub id: String,
    /// Since it was last handed out, in ms.
    pub idle_ms: u64,
    /// How many times it was handed out.
    pub deliveries: u64,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::Int(n) => Some(n.to_string()),
        _ => None,
    }
}

fn int(v: &Value) -> Option<u64> {
    match v {
        Value::Int(n) => u64::try_from(*n).ok(),
        other => text(other).and_then(|t| t.parse().ok()),
    }
}

fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) | Value::Set(a) => a,
        _ => &[],
    }
}

/// `[id, [field, value, ...]]`; None for an entry trimmed away (nil fields).
fn entry(v: &Value) -> Option<OutboxEntry> {
    let [id, fields] = items(v) else {
        return None;
    };
    let mut e = OutboxEntry {
        id: text(id)?,
        event: String::new(),
        stage: String::new(),
        details: String::new(),
    };
    let fields: Vec<(String, String)> = match fields {
        Value::Map(pairs) => pairs
            .iter()
            .filter_map(|(k, v)| Some((text(k)?, text(v)?)))
            .collect(),
        other => items(other)
            .chunks(2)
            .filter_map(|p| Some((text(p.first()?)?, text(p.get(1)?)?)))
            .collect(),
    };
    if fields.is_empty() {
        return None;
    }
    for (k, v) in fields {
        match k.as_str() {
            "event" => e.event = v,
            "stage" => e.stage = v,
            "details" => e.details = v,
            _ => {}
        }
    }
    Some(e)
}

impl Store {
    /// Creates a destination's consumer group (reading the outbox from its start), and the
    /// outbox with it; a group that exists is left alone.
    pub fn outbox_group(&mut self, outbox: &str, group: &str) -> Result<()> {
        let res: redis::RedisResult<Value> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(outbox)
            .arg(group)
            .arg("0")
            .arg("MKSTREAM")
            .query(self.con());
        match res {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            Err(e) => Err(self.explain(e, &[(outbox, "stream")])),
        }
    }

    /// Up to `count` events no reader of `group` has had yet, now handed to `consumer`.
    pub fn outbox_read_new(
        &mut self,
        outbox: &str,
        group: &str,
        consumer: &str,
        count: usize,
    ) -> Result<Vec<OutboxEntry>> {
        let res: redis::RedisResult<Value> = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(group)
            .arg(consumer)
            .arg("COUNT")
            .arg(count)
            .arg("STREAMS")
            .arg(outbox)
            .arg(">")
            .query(self.con());
        let reply = res.map_err(|e| self.explain(e, &[(outbox, "stream")]))?;
        let streams: Vec<&Value> = match &reply {
            Value::Map(pairs) => pairs.iter().map(|(_, v)| v).collect(),
            other => items(other)
                .iter()
                .filter_map(|s| items(s).get(1))
                .collect(),
        };
        Ok(streams
            .into_iter()
            .flat_map(|s| items(s).iter().filter_map(entry))
            .collect())
    }

    /// Up to `count` events of `group` handed out and not acknowledged, oldest first.
    pub fn outbox_pending(
        &mut self,
        outbox: &str,
        group: &str,
        count: usize,
        consumer: Option<&str>,
    ) -> Result<Vec<Pending>> {
        let mut cmd = redis::cmd("XPENDING");
        cmd.arg(outbox).arg(group).arg("-").arg("+").arg(count);
        if let Some(consumer) = consumer {
            cmd.arg(consumer);
        }
        let res: redis::RedisResult<Value> = cmd.query(self.con());
        let reply = res.map_err(|e| self.explain(e, &[(outbox, "stream")]))?;
        Ok(items(&reply)
            .iter()
            .filter_map(|p| match items(p) {
                [id, _, idle, n] => Some(Pending {
                    id: text(id)?,
                    idle_ms: int(idle)?,
                    deliveries: int(n)?,
                }),
                _ => None,
            })
            .collect())
    }

    /// Takes a pending event over for `consumer` if it has been idle `min_idle_ms` (so of
    /// racing pipectls one wins, and the clock restarts). None: another took it, or the
    /// outbox trimmed it away (then it is no longer pending either).
    pub fn outbox_claim(
        &mut self,
        outbox: &str,
        group: &str,
        consumer: &str,
        min_idle_ms: u64,
        id: &str,
    ) -> Result<Option<OutboxEntry>> {
        let res: redis::RedisResult<Value> = redis::cmd("XCLAIM")
            .arg(outbox)
            .arg(group)
            .arg(consumer)
            .arg(min_idle_ms)
            .arg(id)
            .query(self.con());
        let reply = res.map_err(|e| self.explain(e, &[(outbox, "stream")]))?;
        Ok(items(&reply).iter().find_map(entry))
    }

    /// Marks an event delivered (or given up) for `group`: it is never handed out again.
    pub fn outbox_ack(&mut self, outbox: &str, group: &str, id: &str) -> Result<()> {
        let res: redis::RedisResult<Value> = redis::cmd("XACK")
            .arg(outbox)
            .arg(group)
            .arg(id)
            .query(self.idem());
        res.map(drop)
            .map_err(|e| self.explain(e, &[(outbox, "stream")]))
    }

    /// Removes `consumer` from `group` when nothing is pending under it (so consumers of
    /// finished runs do not pile up); one with pending events stays until they are taken.
    pub fn outbox_leave(&mut self, outbox: &str, group: &str, consumer: &str) -> Result<()> {
        if !self
            .outbox_pending(outbox, group, 1, Some(consumer))?
            .is_empty()
        {
            return Ok(());
        }
        let res: redis::RedisResult<Value> = redis::cmd("XGROUP")
            .arg("DELCONSUMER")
            .arg(outbox)
            .arg(group)
            .arg(consumer)
            .query(self.con());
        res.map(drop)
            .map_err(|e| self.explain(e, &[(outbox, "stream")]))
    }

    /// Events in the outbox (XLEN), and per group how many are pending (None: no group).
    pub fn outbox_len(&mut self, outbox: &str) -> Result<u64> {
        let res: redis::RedisResult<u64> = redis::cmd("XLEN").arg(outbox).query(self.idem());
        res.map_err(|e| self.explain(e, &[(outbox, "stream")]))
    }

    /// A watched condition (notify_check.lua): `how` is "llen" (`measured` is a list, `arg`
    /// the threshold), "overdue" (`measured` a zset of arrival times, `arg` the wait in ms)
    /// or "value" (`arg` is the state). The event is raised once when the state becomes
    /// `raise_on` ("*": any change from a known state). Returns (changed, raised, count).
    #[allow(clippy::too_many_arguments)]
    pub fn notify_check(
        &mut self,
        outbox: &str,
        latch: &str,
        measured: &str,
        how: &str,
        arg: &str,
        field: &str,
        event: &str,
        stage: &str,
        details: &str,
        raise_on: &str,
    ) -> Result<(bool, bool, u64)> {
        self.same_slot(&[outbox, latch, measured])?;
        let mut inv = NOTIFY_CHECK.script().prepare_invoke();
        inv.key(outbox)
            .key(latch)
            .key(measured)
            .arg(how)
            .arg(arg)
            .arg(field)
            .arg(event)
            .arg(stage)
            .arg(details)
            .arg(raise_on);
        let res: redis::RedisResult<(i64, i64, i64)> = super::scripts::invoke(&inv, self.con());
        let kind = match how {
            "llen" => "list",
            "overdue" => "zset",
            _ => "hash",
        };
        let (changed, raised, count) = res.map_err(|e| {
            self.explain(e, &[(outbox, "stream"), (latch, "hash"), (measured, kind)])
        })?;
        Ok((changed == 1, raised == 1, u64::try_from(count).unwrap_or(0)))
    }
}
