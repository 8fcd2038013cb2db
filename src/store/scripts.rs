//! Every Lua script pipectl runs, registered here and nowhere else: one per transition, each
//! obeying the two rules at the top of common.lua. tests/it/scripts.rs runs every entry of
//! [`ALL`] with each key it writes spoiled to every wrong type, and fails on a `.lua` file in
//! this folder that is not registered.

use std::sync::LazyLock;

use redis::Script;

/// A registered script: its name (its file's, without `.lua`) and its whole source.
pub struct Lua {
    pub name: &'static str,
    pub source: &'static str,
    script: LazyLock<Script>,
}

impl Lua {
    /// The script, for EVALSHA with a fallback to EVAL (`Script::invoke`).
    pub fn script(&self) -> &Script {
        &self.script
    }
}

/// A registered script: by default its source is common.lua, then its own file; `alone`
/// scripts are self-contained (sent whole with EVAL inside pipelines, so kept small).
macro_rules! lua {
    ($name:literal) => {
        lua!(@ $name, concat!(include_str!("common.lua"), "\n", include_str!(concat!($name, ".lua"))))
    };
    ($name:literal, alone) => {
        lua!(@ $name, include_str!(concat!($name, ".lua")))
    };
    (@ $name:literal, $source:expr) => {
        Lua {
            name: $name,
            source: $source,
            script: LazyLock::new(|| Script::new($source)),
        }
    };
}

pub static POP: Lua = lua!("pop");
pub static CLAIM: Lua = lua!("claim");
pub static ACK: Lua = lua!("ack");
pub static NACK: Lua = lua!("nack");
pub static COMPLETE: Lua = lua!("complete");
pub static RECOVER: Lua = lua!("recover");
pub static REPAIR: Lua = lua!("repair");
/// Sent whole with EVAL, never EVALSHA: the server keeps it compiled after the first call,
/// and batches can be pipelined with no NOSCRIPT reply to recover from midway.
pub static ENQUEUE_DEDUP: Lua = lua!("enqueue_dedup");
/// `enqueue --in/--at`: into the delayed set, with or without dedup. Sent with EVAL, as
/// ENQUEUE_DEDUP.
pub static ENQUEUE_DELAYED: Lua = lua!("enqueue_delayed");
pub static RETRY_DEAD: Lua = lua!("retry_dead");
pub static RATELIMIT: Lua = lua!("ratelimit");
pub static REVIEW_MOVE: Lua = lua!("review_move");
pub static REVIEW_POSITIONS: Lua = lua!("review_positions");
pub static REVIEW_CLAIM: Lua = lua!("review_claim");
pub static REVIEW_RELEASE: Lua = lua!("review_release");
pub static REVIEW_FLAG: Lua = lua!("review_flag");
pub static ESCALATE: Lua = lua!("escalate");
pub static ESCALATE_SEND_BACK: Lua = lua!("escalate_send_back");
pub static PAUSE: Lua = lua!("pause");
pub static RESUME: Lua = lua!("resume");
pub static PURGE_DEAD: Lua = lua!("purge_dead");
pub static RATELIMIT_RESET: Lua = lua!("ratelimit_reset");
pub static SURGERY_MOVE: Lua = lua!("surgery_move");
/// An agent's enqueue with its audit record (pipectl mcp).
pub static ENQUEUE_RECORDED: Lua = lua!("enqueue_recorded");
/// Sent with EVAL, many in one pipeline.
pub static INCR_COUNTER: Lua = lua!("incr_counter");
/// Sent with EVAL inside status's pipeline, once per queue.
pub static QUEUE_STATUS: Lua = lua!("queue_status", alone);
/// Sent with EVAL inside status's pipeline, once per manual stage.
pub static STAGED_WAIT: Lua = lua!("staged_wait", alone);

/// Every script, for the tests and for naming the command at a script line Redis refused.
pub static ALL: &[&Lua] = &[
    &POP,
    &CLAIM,
    &ACK,
    &NACK,
    &COMPLETE,
    &RECOVER,
    &REPAIR,
    &ENQUEUE_DEDUP,
    &ENQUEUE_DELAYED,
    &RETRY_DEAD,
    &RATELIMIT,
    &REVIEW_MOVE,
    &REVIEW_POSITIONS,
    &REVIEW_CLAIM,
    &REVIEW_RELEASE,
    &REVIEW_FLAG,
    &ESCALATE,
    &ESCALATE_SEND_BACK,
    &PAUSE,
    &RESUME,
    &PURGE_DEAD,
    &RATELIMIT_RESET,
    &INCR_COUNTER,
    &QUEUE_STATUS,
    &STAGED_WAIT,
    &SURGERY_MOVE,
    &ENQUEUE_RECORDED,
];

/// How many times a script is loaded again after NOSCRIPT before giving up.
const NOSCRIPT_RETRIES: usize = 5;

/// Runs a script (EVALSHA, loading it on NOSCRIPT). A NOSCRIPT reply means the script did
/// not run, so trying again is always safe; redis-rs loads and retries once, and a `SCRIPT
/// FLUSH` by someone else between that load and the retry (a busy server, several workers)
/// would fail the step: it is tried a few more times.
pub fn invoke<T: redis::FromRedisValue>(
    inv: &redis::ScriptInvocation<'_>,
    con: &mut dyn redis::ConnectionLike,
) -> redis::RedisResult<T> {
    let mut tries = 0;
    loop {
        match inv.invoke(con) {
            Err(e)
                if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript)
                    && tries < NOSCRIPT_RETRIES =>
            {
                tries += 1;
            }
            other => return other,
        }
    }
}
