//! Notifications: the JSON document an event becomes, and its delivery from the outbox
//! (keys.rs notify_outbox) to the `[notify]` destinations, off the item path.
//!
//! Exactly-once-as-far-as-possible: an event is added to the outbox stream in the same
//! atomic step as the change that caused it (common.lua rule 5), or by a latch
//! (notify_check.lua) that raises a condition once whoever sees it first. Each destination
//! (`url`, `command`) is a consumer group: XREADGROUP hands a new event to one deliverer;
//! it is acknowledged (XACK) after its destination accepted it. A failed attempt leaves it
//! pending; once it has waited its backoff (and at least the delivery timeout plus a
//! margin, so an attempt still under way is never doubled), whichever pipectl takes it over
//! with XCLAIM (which only one can win) tries again. A pipectl that dies between sending
//! and acknowledging makes the event go out again: delivery is at least once, and the
//! document's `id` is the same each time, for the receiver to deduplicate.

mod send;

use std::time::Duration;

use anyhow::Result;

use crate::config::{Config, Event, Notify};
use crate::keys;
use crate::store::{OutboxEntry, Store};

pub use send::Destination;

/// The JSON document a destination receives (the webhook's POST body, the command's
/// stdin). docs/json.md describes it; schema notify-event.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Document {
    /// Stable across retries and deliverers: `<pipeline>/<outbox entry id>`. Deduplicate on it.
    pub id: String,
    /// What happened (stage_paused, breaker_opened, breaker_closed, budget_spent,
    /// dead_letters_over, dead_letters_near_cap, saturation_flipped, review_overdue).
    pub event: String,
    pub pipeline: String,
    /// The stage it is about (null: the whole pipeline).
    pub stage: Option<String>,
    /// When it happened (the Redis server's clock), RFC 3339 UTC.
    pub time: String,
    /// The event's particulars (an object; its fields depend on the event).
    pub details: serde_json::Value,
}

impl Document {
    pub fn new(pipeline: &str, e: &OutboxEntry) -> Document {
        Document {
            id: format!("{pipeline}/{}", e.id),
            event: e.event.clone(),
            pipeline: pipeline.to_owned(),
            stage: Some(e.stage.clone()).filter(|s| !s.is_empty()),
            time: entry_time(&e.id).map_or_else(String::new, |t| {
                t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
            }),
            details: serde_json::from_str(&e.details)
                .unwrap_or_else(|_| serde_json::json!({ "text": e.details })),
        }
    }
}

/// The time in a stream entry id (`<ms>-<seq>`).
fn entry_time(id: &str) -> Option<jiff::Timestamp> {
    let ms: i64 = id.split('-').next()?.parse().ok()?;
    jiff::Timestamp::from_millisecond(ms).ok()
}

/// The `details` text for an event, to pass to a script that adds it (common.lua `notify`),
/// or '' when `config` does not send that event (then nothing is written at all).
pub fn details(config: &Config, event: Event, details: serde_json::Value) -> String {
    match &config.notify {
        Some(n) if n.wants(event) => details.to_string(),
        _ => String::new(),
    }
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Delivered {
    /// Sent and accepted.
    pub delivered: u64,
    /// Attempts that failed (they are tried again after a backoff).
    pub failed: u64,
    /// Not sent: an event the config does not ask for, or older than `max_age`.
    pub dropped: u64,
    /// Given up after `max_attempts` attempts.
    pub given_up: u64,
    /// The last failure, its URL redacted (null when none failed).
    pub last_error: Option<String>,
}

impl Delivered {
    fn add(&mut self, other: &Delivered) {
        self.delivered += other.delivered;
        self.failed += other.failed;
        self.dropped += other.dropped;
        self.given_up += other.given_up;
        if other.last_error.is_some() {
            self.last_error.clone_from(&other.last_error);
        }
    }
}

/// Events taken per read.
const BATCH: usize = 50;

/// How long an event waits after its `attempts`-th attempt began before it is tried again.
pub fn retry_after(n: &Notify, attempts: u64) -> Duration {
    let shift = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(20);
    let backoff = n
        .backoff
        .saturating_mul(1u32 << shift)
        .min(Duration::from_secs(3_600));
    backoff.max(lease(n))
}

/// An attempt under way is never taken over: at least the timeout, plus a margin.
fn lease(n: &Notify) -> Duration {
    n.timeout + Duration::from_secs(2)
}

/// A name for this deliverer in the consumer groups, unique per process.
pub fn consumer_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let tag = crate::store::random_hex(4).unwrap_or_default();
    format!("{host}:{}:{tag}", std::process::id())
}

/// One pass over the outbox for every destination: retries that are due, then new events.
/// `stop` is polled between events. Errors are Redis errors; a destination's failure is
/// counted, not raised.
pub fn deliver(
    store: &mut Store,
    config: &Config,
    consumer: &str,
    stop: &dyn Fn() -> bool,
) -> Result<Delivered> {
    let Some(n) = &config.notify else {
        return Ok(Delivered::default());
    };
    let outbox = keys::notify_outbox(&config.name);
    let mut total = Delivered::default();
    for dest in Destination::all(n) {
        let group = dest.group();
        store.outbox_group(&outbox, group)?;
        let mut pass = Delivered::default();
        // Retries first: they have waited longest.
        for p in store.outbox_pending(&outbox, group, BATCH, None)? {
            if stop() {
                break;
            }
            if u128::from(p.idle_ms) < retry_after(n, p.deliveries).as_millis() {
                continue;
            }
            let min_idle = u64::try_from(lease(n).as_millis()).unwrap_or(u64::MAX);
            let Some(entry) = store.outbox_claim(&outbox, group, consumer, min_idle, &p.id)? else {
                continue;
            };
            if p.deliveries >= u64::from(n.max_attempts) {
                store.outbox_ack(&outbox, group, &entry.id)?;
                pass.given_up += 1;
                continue;
            }
            attempt(store, config, n, &dest, &outbox, &entry, &mut pass)?;
        }
        loop {
            if stop() {
                break;
            }
            let fresh = store.outbox_read_new(&outbox, group, consumer, BATCH)?;
            if fresh.is_empty() {
                break;
            }
            for entry in &fresh {
                attempt(store, config, n, &dest, &outbox, entry, &mut pass)?;
            }
        }
        store.outbox_leave(&outbox, group, consumer)?;
        total.add(&pass);
    }
    Ok(total)
}

/// Sends one event to one destination; acknowledged when accepted (or not wanted).
fn attempt(
    store: &mut Store,
    config: &Config,
    n: &Notify,
    dest: &Destination,
    outbox: &str,
    entry: &OutboxEntry,
    pass: &mut Delivered,
) -> Result<()> {
    let group = dest.group();
    let wanted = Event::parse(&entry.event).is_some_and(|e| n.wants(e));
    let age = entry_time(&entry.id)
        .map(|t| jiff::Timestamp::now().duration_since(t))
        .and_then(|d| Duration::try_from(d).ok())
        .unwrap_or_default();
    if !wanted || age > n.max_age {
        pass.dropped += 1;
        return store.outbox_ack(outbox, group, &entry.id);
    }
    let doc = Document::new(&config.name, entry);
    match dest.send(&doc, n.timeout) {
        Ok(()) => {
            pass.delivered += 1;
            store.outbox_ack(outbox, group, &entry.id)
        }
        Err(why) => {
            pass.failed += 1;
            pass.last_error = Some(why);
            Ok(())
        }
    }
}
