//! Every registered Lua script (pipectl::store::scripts::ALL), run against a real
//! redis-server with each key it touches spoiled to every wrong type: it must fail, name the
//! key, and leave every key exactly as it was (common.lua, rule 1). A `.lua` file that is not
//! registered, a registered script without a fixture here, or a script loaded anywhere but
//! the registry fails a test.

use std::collections::BTreeMap;

use crate::support::RedisServer;
use pipectl::store::scripts::{self, Lua};

const TYPES: [&str; 6] = ["string", "list", "set", "zset", "hash", "stream"];

/// One way to call a script: the keys it touches with the type each must hold, what is in
/// Redis before, and its arguments.
struct Fixture {
    script: &'static str,
    what: &'static str,
    keys: Vec<(&'static str, &'static str)>,
    setup: Vec<Vec<&'static str>>,
    args: Vec<&'static str>,
}

/// A staging list, a destination, its bookkeeping and the audit stream (review_move's keys).
const STAGED: [(&str, &str); 8] = [
    ("staged", "list"),
    ("ready", "list"),
    ("staged:claims", "hash"),
    ("staged:asks", "hash"),
    ("staged:since", "zset"),
    ("staged:sampled", "set"),
    ("audit", "stream"),
    ("staged:flagged", "hash"),
];

/// An audit head (common.lua rule 3) for the operator scripts.
const HEAD: &str = "[\"action\",\"x\",\"stage\",\"s\",\"by\",\"ann\"]";

/// A guarded claim's spec (claim.lua ARGV[4]).
const GUARDED_CLAIM: &str =
    r#"{"breaker":true,"budget":{"per_ms":86400000,"caps":[["sms",20000000]]}}"#;

/// A guarded settle's spec (common.lua rule 4): a cost, a budget and a breaker at 1 failure.
const GUARDED_SETTLE: &str = r#"{"cost":[["sms",1000000]],"ttl":60,"keep_ms":60000,"open_head":"[\"action\",\"breaker-open\"]","close_head":"[\"action\",\"breaker-close\"]","budget":{"per_ms":86400000,"caps":[["sms",1000000]]},"breaker":{"failures":1,"within_ms":60000,"cool_ms":1000,"reason":"r2","reopen_reason":"r3"}}"#;

/// A guarded settle's keys after the queue's: pause flag, audit, breaker, failures, budget,
/// one cost counter.
const GUARD_KEYS: [(&str, &str); 6] = [
    ("q:paused", "string"),
    ("audit", "stream"),
    ("q:breaker", "hash"),
    ("q:breaker:failures", "zset"),
    ("q:budget", "hash"),
    ("stats:cost", "string"),
];

const GUARDED_NACK: [(&str, &str); 9] = [
    ("dead", "list"),
    ("q:notes", "hash"),
    ("stats:c", "string"),
    GUARD_KEYS[0],
    GUARD_KEYS[1],
    GUARD_KEYS[2],
    GUARD_KEYS[3],
    GUARD_KEYS[4],
    GUARD_KEYS[5],
];

const GUARDED_COMPLETE: [(&str, &str); 13] = [
    ("out", "list"),
    ("q", "list"),
    ("q", "list"),
    ("q", "list"),
    ("q", "list"),
    ("q:notes", "hash"),
    ("stats:c", "string"),
    GUARD_KEYS[0],
    GUARD_KEYS[1],
    GUARD_KEYS[2],
    GUARD_KEYS[3],
    GUARD_KEYS[4],
    GUARD_KEYS[5],
];

const QUEUE: [(&str, &str); 5] = [
    ("q", "list"),
    ("q:leases", "zset"),
    ("q:leased", "hash"),
    ("q:attempts", "hash"),
    ("q:delayed", "zset"),
];

fn with_queue(more: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    QUEUE.iter().copied().chain(more.iter().copied()).collect()
}

/// The reviewer's note of `x` (send-back) beside the queue.
fn noted(mut setup: Vec<Vec<&'static str>>) -> Vec<Vec<&'static str>> {
    setup.push(vec!["HSET", "q:notes", "x", "fix the phone"]);
    setup
}

/// An item `x` under lease `id1` (deadline far ahead), counted once, and `y` waiting.
fn leased() -> Vec<Vec<&'static str>> {
    vec![
        vec!["LPUSH", "q", "y"],
        vec!["HSET", "q:leased", "id1", "x"],
        vec!["ZADD", "q:leases", "99999999999999", "id1"],
        vec!["HSET", "q:attempts", "x", "1"],
    ]
}

fn fixtures() -> Vec<Fixture> {
    let nack = |what, mode, payload| Fixture {
        script: "nack",
        what,
        keys: with_queue(&[("dead", "list"), ("q:notes", "hash"), ("stats:c", "string")]),
        setup: noted(leased()),
        args: vec!["id1", mode, "x", "1000", "0123456789abcdef", payload, "60"],
    };
    vec![
        Fixture {
            script: "pop",
            what: "two items, an attempt count and a note",
            keys: with_queue(&[("q:notes", "hash")]),
            setup: vec![
                vec!["LPUSH", "q", "a", "b"],
                vec!["HSET", "q:attempts", "b", "2"],
                vec!["HSET", "q:notes", "b", "fix"],
            ],
            args: vec!["2"],
        },
        Fixture {
            script: "claim",
            what: "two items, one with a note, a pause flag key",
            keys: with_queue(&[("q:notes", "hash"), ("q:paused", "string")]),
            setup: vec![
                vec!["LPUSH", "q", "a", "b"],
                vec!["HSET", "q:notes", "a", "fix"],
            ],
            args: vec!["2", "60000", "0123456789abcdef"],
        },
        Fixture {
            script: "ack",
            what: "one lease with a note",
            keys: with_queue(&[("q:notes", "hash")]),
            setup: noted(leased()),
            args: vec!["id1"],
        },
        nack("dead letter", "dead", "{\"item\":\"x\"}"),
        nack("retry", "retry", ""),
        nack("defer with a new version", "defer", "x2"),
        nack("requeue", "requeue", ""),
        nack("release", "release", ""),
        Fixture {
            script: "complete",
            what: "dedup output",
            keys: with_queue(&[
                ("out", "list"),
                ("seen", "set"),
                ("stats:new", "string"),
                ("stats:dup", "string"),
                ("out:since", "zset"),
                ("q:notes", "hash"),
                ("stats:c", "string"),
            ]),
            setup: noted(leased()),
            args: vec![
                "id1", "x", "60", "dedup", "1", "", "", "", "v1", "o1", "v2", "o2",
            ],
        },
        Fixture {
            script: "complete",
            what: "plain output on record (an agent's)",
            keys: with_queue(&[
                ("out", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q:notes", "hash"),
                ("stats:c", "string"),
                ("audit", "stream"),
            ]),
            setup: noted(leased()),
            args: vec!["id1", "x", "60", "plain", "0", "60000", HEAD, "sha-x", "o1"],
        },
        Fixture {
            script: "claim",
            what: "two items on record, a pause flag key",
            keys: with_queue(&[
                ("q:notes", "hash"),
                ("q:paused", "string"),
                ("audit", "stream"),
            ]),
            setup: vec![vec!["LPUSH", "q", "a", "b"]],
            args: vec!["2", "60000", "0123456789abcdef", "", "60000", HEAD],
        },
        Fixture {
            script: "nack",
            what: "a dead letter on record",
            keys: with_queue(&[
                ("dead", "list"),
                ("q:notes", "hash"),
                ("stats:c", "string"),
                ("audit", "stream"),
            ]),
            setup: noted(leased()),
            args: vec![
                "id1",
                "dead",
                "x",
                "0",
                "0123456789abcdef",
                "{}",
                "60",
                "",
                "60000",
                HEAD,
                "sha-x",
            ],
        },
        Fixture {
            script: "enqueue_recorded",
            what: "dedup into the delayed set, one seen before",
            keys: vec![
                ("q", "list"),
                ("q:delayed", "zset"),
                ("seen", "set"),
                ("audit", "stream"),
            ],
            setup: vec![vec!["SADD", "seen", "v1"]],
            args: vec![
                "60000",
                HEAD,
                "dedup",
                "in",
                "1000",
                "0123456789",
                "v1",
                "o1",
                "v2",
                "o2",
            ],
        },
        Fixture {
            script: "enqueue_recorded",
            what: "plain into the queue",
            keys: vec![
                ("q", "list"),
                ("q:delayed", "zset"),
                ("q", "list"),
                ("audit", "stream"),
            ],
            setup: vec![],
            args: vec!["60000", HEAD, "plain", "", "0", "0123456789", "o1", "o2"],
        },
        Fixture {
            script: "complete",
            what: "plain output (unused slots repeat the queue)",
            keys: vec![
                ("q", "list"),
                ("q:leases", "zset"),
                ("q:leased", "hash"),
                ("q:attempts", "hash"),
                ("q:delayed", "zset"),
                ("out", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q:notes", "hash"),
                ("stats:c", "string"),
            ],
            setup: noted(leased()),
            args: vec!["id1", "x", "60", "plain", "0", "", "", "", "o1", "o2"],
        },
        Fixture {
            script: "claim",
            what: "under guards: a breaker's probe after its cool-down, a budget",
            keys: with_queue(&[
                ("q:notes", "hash"),
                ("q:paused", "string"),
                ("q:breaker", "hash"),
                ("q:budget", "hash"),
            ]),
            setup: vec![
                vec!["LPUSH", "q", "a", "b"],
                vec!["SET", "q:paused", "r"],
                vec![
                    "HSET",
                    "q:breaker",
                    "state",
                    "open",
                    "reason",
                    "r",
                    "retry_at",
                    "1",
                ],
                vec!["HSET", "q:budget", "learned", "1", "max:sms", "1000000"],
            ],
            args: vec!["2", "60000", "0123456789abcdef", GUARDED_CLAIM],
        },
        Fixture {
            script: "nack",
            what: "a guarded dead letter: its cost, the budget, the breaker opens",
            keys: with_queue(&GUARDED_NACK),
            setup: noted(leased()),
            args: vec![
                "id1",
                "dead",
                "x",
                "1000",
                "0123456789abcdef",
                "{\"item\":\"x\"}",
                "60",
                GUARDED_SETTLE,
            ],
        },
        Fixture {
            script: "complete",
            what: "a guarded probe succeeds: its cost, the breaker closes",
            keys: with_queue(&GUARDED_COMPLETE),
            setup: {
                let mut setup = noted(leased());
                setup.push(vec!["SET", "q:paused", "r"]);
                setup.push(vec![
                    "HSET",
                    "q:breaker",
                    "state",
                    "probing",
                    "probe",
                    "id1",
                    "reason",
                    "r",
                ]);
                setup.push(vec!["ZADD", "q:breaker:failures", "1", "old"]);
                setup
            },
            args: vec![
                "id1",
                "x",
                "60",
                "plain:guard",
                "0",
                "",
                "",
                "",
                GUARDED_SETTLE,
                "o1",
            ],
        },
        Fixture {
            script: "recover",
            what: "an expired lease and a due retry",
            keys: with_queue(&[]),
            setup: vec![
                vec!["HSET", "q:leased", "id1", "x"],
                vec!["ZADD", "q:leases", "1", "id1"],
                vec!["ZADD", "q:delayed", "1", "0123456789abcdef:y"],
            ],
            args: vec![],
        },
        Fixture {
            script: "repair",
            what: "a lease without a deadline and a deadline without a lease",
            keys: with_queue(&[]),
            setup: vec![
                vec!["HSET", "q:leased", "id1", "x"],
                vec!["ZADD", "q:leases", "99999999999999", "id2"],
            ],
            args: vec!["0", "0"],
        },
        Fixture {
            script: "enqueue_dedup",
            what: "two new items",
            keys: vec![("q", "list"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "old"]],
            args: vec!["v1", "v2", "a", "b"],
        },
        Fixture {
            script: "enqueue_dedup",
            what: "two items, one new, counted",
            keys: vec![
                ("q", "list"),
                ("seen", "set"),
                ("stats:new", "string"),
                ("stats:dup", "string"),
            ],
            setup: vec![vec!["SADD", "seen", "v1"]],
            args: vec!["v1", "v2", "a", "b", "1", "60"],
        },
        Fixture {
            script: "enqueue_pushed",
            what: "two new items",
            keys: vec![("q", "list"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "old"], vec!["RPUSH", "q", "earlier"]],
            args: vec!["v1", "v2"],
        },
        Fixture {
            script: "enqueue_pushed",
            what: "three items, one new",
            keys: vec![("q", "list"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "v1", "v3"]],
            args: vec!["v1", "v2", "v3"],
        },
        Fixture {
            script: "enqueue_pushed",
            what: "two items, none new",
            keys: vec![("q", "list"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "v1", "v2"]],
            args: vec!["v1", "v2"],
        },
        Fixture {
            script: "enqueue_pushed_check",
            what: "the default user",
            keys: vec![("q", "list"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "old"]],
            args: vec![],
        },
        Fixture {
            script: "enqueue_delayed",
            what: "two items in a minute",
            keys: vec![("q:delayed", "zset")],
            setup: vec![vec!["ZADD", "q:delayed", "1", "0123456789abcdef:old"]],
            args: vec!["in", "60000", "0123456789", "0", "a", "a"],
        },
        Fixture {
            script: "enqueue_delayed",
            what: "two new items at a time, with dedup",
            keys: vec![("q:delayed", "zset"), ("seen", "set")],
            setup: vec![vec!["SADD", "seen", "old"]],
            args: vec![
                "at",
                "1796202000000",
                "0123456789",
                "7",
                "v1",
                "a",
                "old",
                "b",
            ],
        },
        Fixture {
            script: "retry_dead",
            what: "one dead letter, one gone",
            keys: vec![
                ("dead", "list"),
                ("q", "list"),
                ("q:attempts", "hash"),
                ("audit", "stream"),
            ],
            setup: vec![
                vec!["LPUSH", "dead", "env"],
                vec!["HSET", "q:attempts", "x", "3"],
            ],
            args: vec!["60000", HEAD, "env", "x", "sha-x", "gone", "g", "sha-g"],
        },
        Fixture {
            script: "purge_dead",
            what: "one dead letter with an error, one without, one gone",
            keys: vec![
                ("dead", "list"),
                ("audit", "stream"),
                ("p:dead_trimmed", "string"),
                ("stats:p:dead_trimmed:d", "string"),
            ],
            setup: vec![vec!["LPUSH", "dead", "env", "bare"]],
            args: vec![
                "60000", HEAD, "60", "0", "env", "x", "sha-x", "boom", "bare", "bare", "sha-b", "",
                "gone", "g", "sha-g", "",
            ],
        },
        Fixture {
            script: "notify_check",
            what: "dead letters cross a threshold: latched, raised once",
            keys: vec![
                ("p:notify", "stream"),
                ("p:notify:latch", "hash"),
                ("dead", "list"),
            ],
            setup: vec![vec!["LPUSH", "dead", "a", "b"]],
            args: vec!["llen", "2", "dead_over", "dead_letters_over", "", "{}", "1"],
        },
        Fixture {
            script: "notify_check",
            what: "a staged item waited too long",
            keys: vec![
                ("p:notify", "stream"),
                ("p:notify:latch", "hash"),
                ("staged:since", "zset"),
            ],
            setup: vec![vec!["ZADD", "staged:since", "1", "x"]],
            args: vec![
                "overdue",
                "1000",
                "overdue:s",
                "review_overdue",
                "s",
                "{}",
                "1",
            ],
        },
        Fixture {
            script: "pause",
            what: "pause a running stage",
            keys: vec![
                ("p:paused:s", "string"),
                ("audit", "stream"),
                ("p:notify", "stream"),
            ],
            setup: vec![],
            args: vec!["60000", HEAD, "why", "s", "{\"cause\":\"hand\"}"],
        },
        Fixture {
            script: "resume",
            what: "resume a paused stage",
            keys: vec![("p:paused:s", "string"), ("audit", "stream")],
            setup: vec![vec!["SET", "p:paused:s", "why"]],
            args: vec!["60000", HEAD],
        },
        Fixture {
            script: "resume",
            what: "resume a stage whose breaker is open",
            keys: vec![
                ("p:paused:s", "string"),
                ("audit", "stream"),
                ("p:breaker:s", "hash"),
                ("p:breaker:s:failures", "zset"),
            ],
            setup: vec![
                vec!["SET", "p:paused:s", "why"],
                vec!["HSET", "p:breaker:s", "state", "open"],
                vec!["ZADD", "p:breaker:s:failures", "1", "id"],
            ],
            args: vec!["60000", HEAD],
        },
        Fixture {
            script: "ratelimit_reset",
            what: "reset an open window",
            keys: vec![("rl", "string"), ("audit", "stream")],
            setup: vec![vec!["SET", "rl", "3", "PX", "60000"]],
            args: vec!["60000", HEAD],
        },
        Fixture {
            script: "ratelimit",
            what: "take in an open window",
            keys: vec![("rl", "string")],
            setup: vec![vec!["SET", "rl", "1", "PX", "60000"]],
            args: vec!["take", "1", "5", "60000"],
        },
        Fixture {
            script: "ratelimit",
            what: "give back",
            keys: vec![("rl", "string")],
            setup: vec![vec!["SET", "rl", "3", "PX", "60000"]],
            args: vec!["give", "1", "0", "0"],
        },
        Fixture {
            script: "review_move",
            what: "approve one of two, one gone, one claimed by another",
            keys: STAGED.to_vec(),
            setup: vec![
                vec!["LPUSH", "staged", "a", "b", "c"],
                vec!["HSET", "staged:claims", "c", "99999999999999 bo"],
                vec![
                    "HSET",
                    "staged:asks",
                    "a",
                    "{\"stage\":\"build\",\"question\":\"same?\"}",
                ],
                vec!["ZADD", "staged:since", "1", "a"],
            ],
            args: vec![
                "60000",
                "[\"action\",\"approve\",\"stage\",\"review\",\"by\",\"ann\"]",
                "ann",
                "p",
                "[\"action\",\"sample\"]",
                "s",
                "s",
                "3",
                "sha-s",
                "!",
                "a",
                "a",
                "2",
                "sha-a",
                "*",
                "gone",
                "gone",
                "1",
                "sha-g",
                "",
                "c",
                "c",
                "1",
                "sha-c",
                "",
            ],
        },
        Fixture {
            script: "review_claim",
            what: "pass over one claimed by another, claim the next",
            keys: vec![
                ("staged", "list"),
                ("staged:claims", "hash"),
                ("staged:asks", "hash"),
                ("staged:since", "zset"),
            ],
            setup: vec![
                vec!["LPUSH", "staged", "a", "b", "c"],
                vec!["HSET", "staged:claims", "c", "99999999999999 bo"],
            ],
            args: vec!["ann", "60000", "100", "a"],
        },
        Fixture {
            script: "review_flag",
            what: "flag one staged item, one gone",
            keys: vec![
                ("staged", "list"),
                ("staged:flagged", "hash"),
                ("audit", "stream"),
            ],
            setup: vec![vec!["LPUSH", "staged", "a", "b"]],
            args: vec![
                "60000",
                "[\"action\",\"flag\"]",
                "a",
                "sha",
                "5",
                "gone",
                "sha",
                "5",
            ],
        },
        Fixture {
            script: "review_release",
            what: "release an own claim",
            keys: vec![("staged:claims", "hash")],
            setup: vec![vec!["HSET", "staged:claims", "a", "99999999999999 ann"]],
            args: vec!["ann", "a", "b"],
        },
        Fixture {
            script: "surgery_move",
            what: "move out of a staging list into another: one at its position, one moved, one gone",
            keys: vec![
                ("staged", "list"),
                ("next", "list"),
                ("audit", "stream"),
                ("staged:claims", "hash"),
                ("staged:asks", "hash"),
                ("staged:since", "zset"),
                ("staged:sampled", "set"),
                ("next:since", "zset"),
                ("staged", "list"),
                ("staged", "list"),
            ],
            setup: vec![
                vec!["LPUSH", "staged", "a", "b", "c"],
                vec!["HSET", "staged:claims", "a", "99999999999999 bo"],
                vec!["ZADD", "staged:since", "1", "a"],
            ],
            args: vec![
                "60000",
                "[\"action\",\"move\",\"stage\",\"review\",\"by\",\"ann\"]",
                "move",
                "1",
                "1",
                "\u{0}marker",
                "a",
                "1",
                "sha-a",
                "c",
                "1",
                "sha-c",
                "gone",
                "2",
                "sha-g",
            ],
        },
        Fixture {
            script: "surgery_move",
            what: "rm out of a queue, its attempts and note with it (unused slots repeat the list)",
            keys: vec![
                ("q", "list"),
                ("q", "list"),
                ("audit", "stream"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q", "list"),
                ("q:attempts", "hash"),
                ("q:notes", "hash"),
            ],
            setup: vec![
                vec!["LPUSH", "q", "a", "b"],
                vec!["HSET", "q:attempts", "b", "2", "a", "1"],
                vec!["HSET", "q:notes", "b", "retry it"],
            ],
            args: vec![
                "60000",
                "[\"action\",\"rm\",\"stage\",\"\",\"by\",\"ann\"]",
                "rm",
                "0",
                "0",
                "marker",
                "b",
                "1",
                "sha-b",
            ],
        },
        Fixture {
            script: "surgery_move",
            what: "unreject: an envelope out, its item into a staging list",
            keys: vec![
                ("rejected", "list"),
                ("staged", "list"),
                ("audit", "stream"),
                ("rejected", "list"),
                ("rejected", "list"),
                ("rejected", "list"),
                ("rejected", "list"),
                ("staged:since", "zset"),
                ("rejected", "list"),
                ("rejected", "list"),
            ],
            setup: vec![vec!["LPUSH", "rejected", "env"]],
            args: vec![
                "60000",
                "[\"action\",\"unreject\",\"stage\",\"review\",\"by\",\"ann\"]",
                "unwrap",
                "0",
                "1",
                "marker",
                "env",
                "1",
                "sha-x",
                "x",
            ],
        },
        Fixture {
            script: "review_positions",
            what: "two runs",
            keys: vec![("staged", "list")],
            setup: vec![vec!["LPUSH", "staged", "a", "b", "c"]],
            args: vec!["1", "1", "2", "3"],
        },
        Fixture {
            script: "escalate",
            what: "a leased item with a note, staged with its question",
            keys: with_queue(&[
                ("staged", "list"),
                ("staged:asks", "hash"),
                ("staged:since", "zset"),
                ("q:notes", "hash"),
                ("audit", "stream"),
                ("stats:c", "string"),
            ]),
            setup: noted(leased()),
            args: vec![
                "id1",
                "x",
                "60",
                "60000",
                "[\"action\",\"escalate\",\"stage\",\"build\",\"by\",\"handler:build\"]",
                "{\"stage\":\"build\",\"question\":\"same?\"}",
                "new",
                "x2",
                "sha-x2",
            ],
        },
        Fixture {
            script: "escalate",
            what: "a guarded stage's item escalated: its cost, the budget",
            keys: with_queue(&[
                ("staged", "list"),
                ("staged:asks", "hash"),
                ("staged:since", "zset"),
                ("q:notes", "hash"),
                ("audit", "stream"),
                ("stats:c", "string"),
                GUARD_KEYS[0],
                GUARD_KEYS[1],
                GUARD_KEYS[2],
                GUARD_KEYS[3],
                GUARD_KEYS[4],
                GUARD_KEYS[5],
            ]),
            setup: noted(leased()),
            args: vec![
                "id1",
                "x",
                "60",
                "60000",
                "[\"action\",\"escalate\",\"stage\",\"build\",\"by\",\"handler:build\"]",
                "{\"stage\":\"build\",\"question\":\"same?\"}",
                "same",
                "",
                "sha-x",
                GUARDED_SETTLE,
            ],
        },
        Fixture {
            script: "ack",
            what: "a guarded stage's probe acked: the breaker closes",
            keys: with_queue(&[
                ("q:notes", "hash"),
                GUARD_KEYS[0],
                GUARD_KEYS[1],
                GUARD_KEYS[2],
                GUARD_KEYS[3],
                GUARD_KEYS[4],
                GUARD_KEYS[5],
            ]),
            setup: {
                let mut setup = noted(leased());
                setup.push(vec!["SET", "q:paused", "r"]);
                setup.push(vec![
                    "HSET",
                    "q:breaker",
                    "state",
                    "probing",
                    "probe",
                    "id1",
                    "reason",
                    "r",
                ]);
                setup
            },
            args: vec![GUARDED_SETTLE, "id1"],
        },
        Fixture {
            script: "escalate_send_back",
            what: "send back one of two, one gone, one claimed by another",
            keys: vec![
                ("staged", "list"),
                ("staged:claims", "hash"),
                ("staged:asks", "hash"),
                ("staged:since", "zset"),
                ("staged:sampled", "set"),
                ("q", "list"),
                ("q:notes", "hash"),
                ("audit", "stream"),
                ("staged:flagged", "hash"),
            ],
            setup: vec![
                vec!["LPUSH", "staged", "a", "b", "c"],
                vec!["HSET", "staged:flagged", "a", "1"],
                vec!["HSET", "staged:claims", "c", "99999999999999 bo"],
                vec![
                    "HSET",
                    "staged:asks",
                    "a",
                    "{\"stage\":\"build\",\"question\":\"same?\"}",
                    "c",
                    "{\"stage\":\"build\",\"question\":\"c?\"}",
                ],
                vec!["ZADD", "staged:since", "1", "a"],
                vec!["SADD", "staged:sampled", "a"],
            ],
            args: vec![
                "60000",
                "[\"action\",\"send_back\",\"stage\",\"review\",\"by\",\"ann\"]",
                "ann",
                "0",
                "fix the phone",
                "a",
                "3",
                "sha-a",
                "{\"stage\":\"build\",\"question\":\"same?\"}",
                "gone",
                "1",
                "sha-g",
                "{\"stage\":\"build\",\"question\":\"g?\"}",
                "c",
                "1",
                "sha-c",
                "{\"stage\":\"build\",\"question\":\"c?\"}",
            ],
        },
        Fixture {
            script: "incr_counter",
            what: "count 5",
            keys: vec![("stats:c", "string")],
            setup: vec![vec!["SET", "stats:c", "9007199254740993"]],
            args: vec!["5", "60"],
        },
        Fixture {
            script: "staged_wait",
            what: "an old arrival past max_wait",
            keys: vec![("staged:since", "zset")],
            setup: vec![vec!["ZADD", "staged:since", "1", "a"]],
            args: vec!["1000"],
        },
        Fixture {
            script: "queue_status",
            what: "expired leases and due retries",
            keys: vec![("q:leases", "zset"), ("q:delayed", "zset")],
            setup: vec![vec!["ZADD", "q:leases", "1", "id1"]],
            args: vec![],
        },
        Fixture {
            script: "touch",
            what: "a lease handed over",
            keys: vec![("q:leases", "zset")],
            setup: vec![vec!["ZADD", "q:leases", "1", "L1"]],
            args: vec!["L1", "60000"],
        },
        Fixture {
            script: "zset_recent",
            what: "a breaker's recent failures",
            keys: vec![("q:breaker:failures", "zset")],
            setup: vec![vec!["ZADD", "q:breaker:failures", "1", "f1"]],
            args: vec!["60000"],
        },
        Fixture {
            script: "cost_today",
            what: "a stage's costs today",
            keys: vec![("q:budget:s", "hash")],
            setup: vec![
                vec!["HSET", "q:budget:s", "max:usd", "20000"],
                vec!["SET", "stats:q:s:cost:usd:2026-12-01", "40000"],
            ],
            args: vec!["stats:q:s:cost:", ":2026-12-01"],
        },
    ]
}

fn lua(name: &str) -> &'static Lua {
    scripts::ALL
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no registered script {name}"))
}

/// Every key and everything it holds (DUMP), and whether it has an expiry.
fn snapshot(con: &mut redis::Connection) -> BTreeMap<Vec<u8>, (Vec<u8>, bool)> {
    let keys: Vec<Vec<u8>> = redis::cmd("KEYS").arg("*").query(con).unwrap();
    keys.into_iter()
        .map(|k| {
            let dump: Vec<u8> = redis::cmd("DUMP").arg(&k).query(con).unwrap();
            let pttl: i64 = redis::cmd("PTTL").arg(&k).query(con).unwrap();
            (k, (dump, pttl > 0))
        })
        .collect()
}

fn prepare(con: &mut redis::Connection, f: &Fixture) {
    let () = redis::cmd("FLUSHALL").query(con).unwrap();
    for command in &f.setup {
        let mut cmd = redis::cmd(command[0]);
        for arg in &command[1..] {
            cmd.arg(*arg);
        }
        let _: redis::Value = cmd.query(con).unwrap();
    }
}

fn spoil(con: &mut redis::Connection, key: &str, to: &str) {
    let _: i64 = redis::cmd("DEL").arg(key).query(con).unwrap();
    let mut cmd = match to {
        "string" => redis::cmd("SET"),
        "list" => redis::cmd("RPUSH"),
        "set" => redis::cmd("SADD"),
        "zset" => {
            let mut c = redis::cmd("ZADD");
            c.arg(key).arg(1);
            c
        }
        "hash" => {
            let mut c = redis::cmd("HSET");
            c.arg(key).arg("f");
            c
        }
        "stream" => {
            let mut c = redis::cmd("XADD");
            c.arg(key).arg("*").arg("f");
            c
        }
        other => panic!("type {other}"),
    };
    if !matches!(to, "zset" | "hash" | "stream") {
        cmd.arg(key);
    }
    let _: redis::Value = cmd.arg("spoiled").query(con).unwrap();
}

fn eval(con: &mut redis::Connection, lua: &Lua, f: &Fixture) -> redis::RedisResult<redis::Value> {
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(lua.source).arg(f.keys.len());
    for (key, _) in &f.keys {
        cmd.arg(*key);
    }
    for arg in &f.args {
        cmd.arg(*arg);
    }
    let before = before_in_transaction(f);
    if before.is_empty() {
        return cmd.query(con);
    }
    // The script's transaction whole, as pipectl sends it: its reply is the script's.
    let mut pipe = redis::pipe();
    pipe.atomic();
    for command in &before {
        pipe.add_command(command.clone()).ignore();
    }
    pipe.add_command(cmd);
    let (reply,): (redis::Value,) = pipe.query(con)?;
    Ok(reply)
}

/// The commands that come before a script in its transaction (store/stream.rs): for
/// enqueue_pushed, the LPUSH of one item per dedup value.
fn before_in_transaction(f: &Fixture) -> Vec<redis::Cmd> {
    if f.script != "enqueue_pushed" {
        return Vec::new();
    }
    let mut push = redis::cmd("LPUSH");
    push.arg(f.keys[0].0);
    for value in &f.args {
        push.arg(format!("item of {value}"));
    }
    vec![push]
}

#[test]
fn every_script_refuses_every_spoiled_key_and_changes_nothing() {
    let server = RedisServer::start();
    let client = redis::Client::open(server.url()).unwrap();
    let mut con = client.get_connection().unwrap();
    let mut tried = 0;
    for f in fixtures() {
        let lua = lua(f.script);
        let label = format!("{} ({})", f.script, f.what);
        prepare(&mut con, &f);
        if let Err(e) = eval(&mut con, lua, &f) {
            panic!("{label}: fails unspoiled: {e}\n{}", server.log());
        }
        let mut keys: Vec<(&str, &str)> = f.keys.clone();
        keys.dedup_by_key(|(k, _)| *k);
        keys.sort();
        keys.dedup();
        for (key, want) in keys {
            for wrong in TYPES.iter().filter(|t| **t != want) {
                prepare(&mut con, &f);
                spoil(&mut con, key, wrong);
                let before = snapshot(&mut con);
                let res = eval(&mut con, lua, &f);
                let after = snapshot(&mut con);
                let err = match res {
                    Err(e) => e.to_string(),
                    Ok(v) => panic!("{label}: ran with {key} spoiled to a {wrong}: {v:?}"),
                };
                assert!(
                    err.contains(&format!("key {key} holds a {wrong}")),
                    "{label}: the error for {key} as a {wrong} does not name it: {err}"
                );
                assert_eq!(
                    before, after,
                    "{label}: changed Redis with {key} spoiled to a {wrong}"
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 200, "only {tried} spoiled runs");
}

#[test]
fn every_script_has_a_fixture_and_every_lua_file_is_registered() {
    let fixtures = fixtures();
    for lua in scripts::ALL {
        assert!(
            fixtures.iter().any(|f| f.script == lua.name),
            "script {} has no fixture in tests/it/scripts.rs",
            lua.name
        );
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".lua") else {
            continue;
        };
        if stem == "common" {
            continue;
        }
        assert!(
            scripts::ALL.iter().any(|l| l.name == stem),
            "src/store/{name} is not registered in src/store/scripts.rs"
        );
    }
}

#[test]
fn scripts_are_loaded_only_by_the_registry() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src];
    let mut offenders = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("store/scripts.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains("Script::new(") && !line.contains("get_hash")
                || line.contains(".lua\")")
            {
                offenders.push(format!("{}:{}: {line}", path.display(), i + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "scripts loaded outside src/store/scripts.rs:\n{}",
        offenders.join("\n")
    );
}
