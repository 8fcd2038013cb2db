//! The one place that knows Redis key names (DESIGN §2). Nothing else formats a key.

/// A queue and its companion keys `<queue>:<suffix>`, all in the queue's hash slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueKeys {
    /// The list itself: producers LPUSH, consumers take from the right.
    pub queue: String,
    /// ZSET lease id -> deadline (ms since the epoch, server clock).
    pub leases: String,
    /// HASH lease id -> the leased item.
    pub leased: String,
    /// HASH item -> how many times it has been claimed.
    pub attempts: String,
    /// ZSET `<16 hex>:<item>` -> due time (ms), for retries waiting out their backoff.
    pub delayed: String,
}

impl QueueKeys {
    pub fn new(queue: &str) -> Self {
        QueueKeys {
            queue: queue.to_owned(),
            leases: format!("{queue}:leases"),
            leased: format!("{queue}:leased"),
            attempts: format!("{queue}:attempts"),
            delayed: format!("{queue}:delayed"),
        }
    }
}

/// What pipectl keeps beside a staging list (a manual stage's input), each keyed by the
/// staged item's exact bytes (equal items are interchangeable and share their entries), all
/// in the list's hash slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedKeys {
    /// The staging list itself.
    pub list: String,
    /// HASH item -> `<deadline ms> <holder>`: a reviewer's claim, void after the deadline.
    pub claims: String,
    /// HASH item -> JSON `{"stage":…,"question":…}`: an item a handler escalated to a person.
    pub asks: String,
    /// ZSET item -> when it was staged (ms since the epoch, server clock).
    pub since: String,
    /// SET of items an auto-approve policy left for a person (its audit sample).
    pub sampled: String,
    /// HASH item -> the arrival (ms) it was flagged for: waited past `max_wait`, on record.
    pub flagged: String,
}

impl StagedKeys {
    pub fn new(list: &str) -> Self {
        StagedKeys {
            list: list.to_owned(),
            claims: format!("{list}:claims"),
            asks: format!("{list}:asks"),
            since: format!("{list}:since"),
            sampled: format!("{list}:sampled"),
            flagged: format!("{list}:flagged"),
        }
    }
}

/// HASH item -> a reviewer's note, beside a stage's input: items sent back from review carry
/// it to their handler (`PIPECTL_NOTE`).
pub fn notes(queue: &str) -> String {
    format!("{queue}:notes")
}

/// The pipeline's audit stream: every decision and operator action, one entry each.
pub fn audit(pipeline: &str) -> String {
    format!("{pipeline}:audit")
}

/// The keys a pipeline named `name` uses unless pipectl.toml says otherwise.
pub fn default_seen_set(name: &str) -> String {
    format!("{name}:seen")
}

pub fn default_dead_letters(name: &str) -> String {
    format!("{name}:failed")
}

pub fn default_rejected(name: &str) -> String {
    format!("{name}:rejected")
}

/// A stage's pause flag: a string holding the reason, present while the stage is paused.
pub fn paused(pipeline: &str, stage: &str) -> String {
    format!("{pipeline}:paused:{stage}")
}

/// The notification outbox (a stream, `<pipeline>:notify`): each event is added in the
/// same atomic step as the change that caused it; one consumer group per destination
/// (`url`, `command`) delivers it.
pub fn notify_outbox(pipeline: &str) -> String {
    format!("{pipeline}:notify")
}

/// HASH condition -> its last state, so a condition (dead letters over a threshold, a
/// verdict) raises its event once when it changes, whichever pipectl sees it first.
pub fn notify_latch(pipeline: &str) -> String {
    format!("{pipeline}:notify:latch")
}

/// Totals (strings, no expiry) of dead letters pipectl removed: `<pipeline>:dead_trimmed`
/// (retention caps) and `<pipeline>:dead_purged` (`dead purge`). The same names are the
/// daily counters `stats:<pipeline>:dead_trimmed:<day>`.
pub fn dead_removed(pipeline: &str, how: &str) -> String {
    format!("{pipeline}:dead_{how}")
}

/// A daily counter: `stats:<name>:<YYYY-MM-DD>`, as the counter pattern writes it by hand.
pub fn counter(name: &str, day: &str) -> String {
    format!("stats:{name}:{day}")
}

/// The SCAN pattern that finds every daily counter.
pub const COUNTER_PATTERN: &str = "stats:*";

/// Splits a counter key back into its name and day, if it is one.
pub fn parse_counter(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("stats:")?;
    let (name, day) = rest.rsplit_once(':')?;
    let valid_day = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    (valid_day && !name.is_empty()).then_some((name, day))
}

/// Counter names pipectl itself increments for a pipeline.
pub fn counter_new(pipeline: &str) -> String {
    format!("{pipeline}:new")
}

pub fn counter_dup(pipeline: &str) -> String {
    format!("{pipeline}:dup")
}

/// What `pipectl run` counts per stage and day, as counter names `<pipeline>:<stage>:<event>`
/// (so `stats:<pipeline>:<stage>:<event>:<date>`; in a cluster they carry the pipeline's tag).
pub const STAGE_EVENTS: [&str; 7] = [
    "processed",
    "succeeded",
    "failed",
    "retried",
    "deferred",
    "dead",
    "escalated",
];

pub fn stage_counter(pipeline: &str, stage: &str, event: &str) -> String {
    format!("{pipeline}:{stage}:{event}")
}

/// A stage's circuit breaker: a HASH with `state` (open | probing), `reason`, `opened_at`,
/// `retry_at` (ms, server clock) and `probe` (the probe's lease id). Absent while closed.
pub fn breaker(pipeline: &str, stage: &str) -> String {
    format!("{pipeline}:breaker:{stage}")
}

/// The failures a stage's breaker counts: a ZSET lease id -> when it failed (ms).
pub fn breaker_failures(pipeline: &str, stage: &str) -> String {
    format!("{pipeline}:breaker:{stage}:failures")
}

/// A stage's spend in its budget window: a HASH with `window` (its start, ms), `spent:<unit>`
/// and `max:<unit>` (the most one item has cost), in millionths of a unit.
pub fn budget(pipeline: &str, stage: &str) -> String {
    format!("{pipeline}:budget:{stage}")
}

/// The daily counter of what a stage's items cost in `unit`, in millionths of the unit
/// (`stats:<pipeline>:<stage>:cost:<unit>:<date>`).
pub fn cost_counter(pipeline: &str, stage: &str, unit: &str) -> String {
    format!("{pipeline}:{stage}:cost:{unit}")
}

/// A stage's daily cost counter on `day` around its unit: `prefix + unit + suffix` is
/// `counter(&cost_counter(pipeline, stage, unit), day)` (for cost_today.lua, which finds the
/// units in Redis).
pub fn cost_counter_around(pipeline: &str, stage: &str, day: &str) -> (String, String) {
    (format!("stats:{pipeline}:{stage}:cost:"), format!(":{day}"))
}

/// The unit of a cost counter's name (`<pipeline>:<stage>:cost:<unit>`), if it is one.
pub fn cost_unit(counter_name: &str) -> Option<&str> {
    let (head, unit) = counter_name.rsplit_once(':')?;
    (head.ends_with(":cost") && !unit.is_empty()).then_some(unit)
}

/// A lease token names its queue so `ack`/`nack` need nothing else: `<queue>#<lease id>`.
pub fn lease_token(queue: &str, id: &str) -> String {
    format!("{queue}#{id}")
}

/// Splits a lease token into queue and lease id. The id never contains `#`; a queue may.
pub fn parse_lease_token(token: &str) -> Option<(&str, &str)> {
    let (queue, id) = token.rsplit_once('#')?;
    (!queue.is_empty() && !id.is_empty()).then_some((queue, id))
}

/// A key's hash tag: the part between the first `{` and the next `}`, when not empty.
pub fn hash_tag(key: &str) -> Option<&str> {
    let (_, rest) = key.split_once('{')?;
    let (tag, _) = rest.split_once('}')?;
    (!tag.is_empty()).then_some(tag)
}

/// The key with a hash tag: its first `:`-separated part in braces (`prospect:queue` ->
/// `{prospect}:queue`), or the whole key; unchanged when it has a tag.
pub fn with_hash_tag(key: &str) -> String {
    if hash_tag(key).is_some() {
        return key.to_owned();
    }
    match key.split_once(':') {
        Some((head, rest)) if !head.is_empty() => format!("{{{head}}}:{rest}"),
        _ => format!("{{{key}}}"),
    }
}

/// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of its hash tag (the part between
/// the first `{` and the next `}`, when not empty) or of the whole key, modulo 16384.
pub fn hash_slot(key: &str) -> u16 {
    let bytes = key.as_bytes();
    let tagged = bytes.iter().position(|&b| b == b'{').and_then(|open| {
        let rest = &bytes[open + 1..];
        rest.iter()
            .position(|&b| b == b'}')
            .filter(|&close| close > 0)
            .map(|close| &rest[..close])
    });
    crc16(tagged.unwrap_or(bytes)) % 16384
}

fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// `name` as a hash tag (`prospect` -> `{prospect}`), unless it already holds one.
pub fn with_tag(name: &str) -> String {
    let has_tag = name
        .split_once('{')
        .and_then(|(_, rest)| rest.split_once('}'))
        .is_some_and(|(tag, _)| !tag.is_empty());
    if has_tag {
        name.to_owned()
    } else {
        format!("{{{name}}}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_slots_match_redis() {
        // Values from CLUSTER KEYSLOT on a real server.
        assert_eq!(super::hash_slot("foo"), 12182);
        assert_eq!(super::hash_slot("somekey"), 11058);
        assert_eq!(
            super::hash_slot("{user1000}.following"),
            super::hash_slot("user1000")
        );
        assert_eq!(super::hash_slot("{}foo"), super::hash_slot("{}foo"));
        assert_ne!(super::hash_slot("{}foo"), super::hash_slot("foo"));
        assert_eq!(
            super::hash_slot("{prospect}:queue"),
            super::hash_slot("{prospect}:seen")
        );
    }

    use super::*;

    #[test]
    fn hash_tags_are_found_and_added() {
        assert_eq!(hash_tag("{prospect}:queue"), Some("prospect"));
        assert_eq!(hash_tag("a{b}c{d}"), Some("b"));
        assert_eq!(hash_tag("{}:queue"), None);
        assert_eq!(hash_tag("prospect:queue"), None);
        assert_eq!(with_hash_tag("prospect:queue"), "{prospect}:queue");
        assert_eq!(with_hash_tag("jobs"), "{jobs}");
        assert_eq!(with_hash_tag("{x}:queue"), "{x}:queue");
        assert_eq!(
            hash_slot(&with_hash_tag("prospect:queue")),
            hash_slot("{prospect}:queue:leases")
        );
    }

    #[test]
    fn companion_keys_share_the_queue_prefix_and_hash_tag() {
        let k = QueueKeys::new("{prospect}:queue");
        assert_eq!(k.leases, "{prospect}:queue:leases");
        assert_eq!(k.delayed, "{prospect}:queue:delayed");
    }

    #[test]
    fn counters_round_trip() {
        assert_eq!(
            counter("prospects", "2026-03-19"),
            "stats:prospects:2026-03-19"
        );
        assert_eq!(
            parse_counter("stats:prospect:new:2026-03-19"),
            Some(("prospect:new", "2026-03-19"))
        );
        assert_eq!(parse_counter("stats:x:yesterday"), None);
        assert_eq!(parse_counter("stats::2026-03-19"), None);
    }

    #[test]
    fn lease_tokens_round_trip_even_with_hash_in_queue() {
        let t = lease_token("odd#queue", "ab12.1");
        assert_eq!(parse_lease_token(&t), Some(("odd#queue", "ab12.1")));
        assert_eq!(parse_lease_token("nohash"), None);
    }
}

#[cfg(test)]
mod cost_counter_tests {
    #[test]
    fn the_parts_around_a_unit_make_the_counter() {
        let (prefix, suffix) = super::cost_counter_around("{p}", "send", "2026-12-01");
        assert_eq!(
            format!("{prefix}sms{suffix}"),
            super::counter(&super::cost_counter("{p}", "send", "sms"), "2026-12-01")
        );
    }
}
