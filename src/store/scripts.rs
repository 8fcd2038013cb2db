//! Every Lua script pipectl runs, registered here and nowhere else: one per transition, each
//! obeying the two rules at the top of common.lua. tests/it/scripts.rs runs every entry of
//! [`ALL`] with each key it writes spoiled to every wrong type, and fails on a `.lua` file in
//! this folder that is not registered.

use redis::{Cmd, ConnectionLike, FromRedisValue, RedisResult, ToRedisArgs};

/// A registered script: its name (its file's, without `.lua`) and its whole source.
pub struct Lua {
    pub name: &'static str,
    pub source: &'static str,
    script: Script,
}

impl Lua {
    /// The script, for EVALSHA with a fallback to loading it (`invoke`).
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// A call of the script sent whole (EVAL, which cannot meet NOSCRIPT: for the small
    /// `alone` ones) with its keys; its arguments are to be added.
    pub fn whole(&self, keys: &[&str]) -> Cmd {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(self.source).arg(keys.len()).arg(keys);
        cmd
    }
}

/// A script's source and its SHA-1, computed when pipectl is compiled (hashing the source
/// at run time was a seventh of a `pop`'s instructions).
pub struct Script {
    source: &'static str,
    hash: [u8; 40],
}

impl Script {
    const fn new(source: &'static str) -> Script {
        Script {
            source,
            hash: super::sha1::hex(source.as_bytes()),
        }
    }

    /// The SHA-1 Redis knows the script by, in hex.
    pub fn hash(&self) -> &str {
        std::str::from_utf8(&self.hash).unwrap_or_default()
    }

    /// A call of the script, its keys and arguments to be added.
    pub fn prepare_invoke(&self) -> Invocation<'_> {
        Invocation {
            script: self,
            keys: Vec::new(),
            args: Vec::new(),
        }
    }
}

/// A prepared call of a script (as `redis::ScriptInvocation`): keys, then arguments.
pub struct Invocation<'a> {
    script: &'a Script,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
}

impl Invocation<'_> {
    /// Adds an argument: `ARGV[i]` in the script.
    pub fn arg<T: ToRedisArgs>(&mut self, arg: T) -> &mut Self {
        arg.write_redis_args(&mut self.args);
        self
    }

    /// Adds a key: `KEYS[i]` in the script.
    pub fn key<T: ToRedisArgs>(&mut self, key: T) -> &mut Self {
        key.write_redis_args(&mut self.keys);
        self
    }

    /// The EVALSHA command as sent, for a step that rides along with another
    /// (`Store::claim_along`): NOSCRIPT in its reply means it did not run.
    pub(super) fn packed(&self) -> Vec<u8> {
        self.eval_cmd().get_packed_command()
    }

    fn eval_cmd(&self) -> Cmd {
        let mut cmd = redis::cmd("EVALSHA");
        cmd.arg(&self.script.hash[..])
            .arg(self.keys.len())
            .arg(&*self.keys)
            .arg(&*self.args);
        cmd
    }

    /// EVALSHA, and on NOSCRIPT a SCRIPT LOAD and EVALSHA again (as redis-rs does).
    fn invoke_once<T: FromRedisValue>(&self, con: &mut dyn ConnectionLike) -> RedisResult<T> {
        let eval = self.eval_cmd();
        match eval.query(con) {
            Err(e) if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::NoScript) => {
                redis::cmd("SCRIPT")
                    .arg("LOAD")
                    .arg(self.script.source.as_bytes())
                    .query::<String>(con)?;
                eval.query(con)
            }
            other => other,
        }
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
            script: Script::new($source),
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
/// A stream of batches sends the first with EVAL, which loads it, and the rest with EVALSHA
/// (store/enqueue.rs `stream` sends a call that meets NOSCRIPT again).
pub static ENQUEUE_DEDUP: Lua = lua!("enqueue_dedup");
/// A dedup batch's script in a transaction after the LPUSH of its items (one server, Redis 7).
pub static ENQUEUE_PUSHED: Lua = lua!("enqueue_pushed", alone);
/// Whether a stream of dedup batches may go as ENQUEUE_PUSHED transactions.
pub static ENQUEUE_PUSHED_CHECK: Lua = lua!("enqueue_pushed_check", alone);
/// `enqueue --in/--at`: into the delayed set, with or without dedup. Sent as ENQUEUE_DEDUP.
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
pub static INCR_COUNTER: Lua = lua!("incr_counter", alone);
/// Sent with EVAL inside status's pipeline, once per queue.
pub static QUEUE_STATUS: Lua = lua!("queue_status", alone);
/// Sent with EVAL inside status's pipeline, once per manual stage.
pub static STAGED_WAIT: Lua = lua!("staged_wait", alone);
/// Sent with EVAL inside status's pipeline, once per stage with a circuit breaker.
pub static ZSET_RECENT: Lua = lua!("zset_recent", alone);
/// What a stage's items cost today, per unit (status, metrics).
pub static COST_TODAY: Lua = lua!("cost_today", alone);
/// A held lease's deadline moved on (`run` hands over an item claimed ahead).
pub static TOUCH: Lua = lua!("touch", alone);
/// A watched condition for notifications (src/notify): measured, latched, raised once.
pub static NOTIFY_CHECK: Lua = lua!("notify_check");

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
    &ENQUEUE_PUSHED,
    &ENQUEUE_PUSHED_CHECK,
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
    &NOTIFY_CHECK,
    &ENQUEUE_RECORDED,
    &ZSET_RECENT,
    &COST_TODAY,
    &TOUCH,
];

/// How many times a script is loaded again after NOSCRIPT before giving up.
const NOSCRIPT_RETRIES: usize = 5;

/// Runs a script (EVALSHA, loading it on NOSCRIPT). A NOSCRIPT reply means the script did
/// not run, so trying again is always safe; redis-rs loads and retries once, and a `SCRIPT
/// FLUSH` by someone else between that load and the retry (a busy server, several workers)
/// would fail the step: it is tried a few more times.
pub fn invoke<T: FromRedisValue>(
    inv: &Invocation<'_>,
    con: &mut dyn ConnectionLike,
) -> RedisResult<T> {
    let mut tries = 0;
    loop {
        match inv.invoke_once(con) {
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

#[cfg(test)]
mod tests {
    /// The hashes computed at compile time are the ones Redis (and redis-rs) compute.
    #[test]
    fn hashes_are_redis_sha1() {
        for lua in super::ALL {
            assert_eq!(
                lua.script().hash(),
                redis::Script::new(lua.source).get_hash(),
                "{}",
                lua.name
            );
        }
    }
}
