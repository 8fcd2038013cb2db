//! Streams of commands, each answered in its turn: the first is sent and the next built while
//! the server works on it (enqueue's batches, store/enqueue.rs).

use redis::{ErrorKind, RedisError, RedisResult, Value};

use super::{Conn, Store, scripts::Lua};

/// One request of a stream: a command, or (on one server) a transaction of several — MULTI,
/// the commands, EXEC — which Redis runs whole or not at all, with nothing in between.
pub(super) enum Request {
    One(redis::Cmd),
    Transaction(Vec<redis::Cmd>),
}

impl Request {
    fn packed(&self) -> (Vec<u8>, usize) {
        match self {
            Request::One(cmd) => (cmd.get_packed_command(), 1),
            Request::Transaction(cmds) => {
                let mut packed = redis::cmd("MULTI").get_packed_command();
                for cmd in cmds {
                    cmd.write_packed_command(&mut packed);
                }
                redis::cmd("EXEC").write_packed_command(&mut packed);
                (packed, cmds.len() + 2)
            }
        }
    }
}

/// How a stream runs (`Store::stream`).
#[derive(Clone, Copy, Default)]
pub(super) struct Flow<'s> {
    /// On a cluster, whether a command whose reply was lost may be sent again (only for
    /// idempotent ones, see `idem`).
    pub resend: bool,
    /// The script the commands call (`script_cmd`), when they call it by hash. When the
    /// server no longer has it (its scripts were flushed meanwhile), a NOSCRIPT call did not
    /// run: it is sent again, as EVAL, with those after it that met NOSCRIPT too — unless
    /// one after it ran, which sending it again would put before it: then it stays refused.
    pub script: Option<&'s Lua>,
    /// On one server, whether the first request's answer is awaited before the next is
    /// built (it decides how the rest are sent).
    pub first_alone: bool,
}

impl Store {
    /// The start of a script's call in a stream of them: on one server EVALSHA, except the
    /// `first`, which is EVAL and so loads it (the rest then skip sending and hashing its
    /// source: some 19 KB a call); on a cluster always EVAL, as each master needs it.
    pub(super) fn script_cmd(&self, script: &Lua) -> impl Fn(bool) -> redis::Cmd + use<> {
        let (cluster, source, hash) = (
            self.is_cluster(),
            script.source,
            script.script().hash().to_owned(),
        );
        move |first| {
            if first || cluster {
                let mut cmd = redis::cmd("EVAL");
                cmd.arg(source);
                cmd
            } else {
                let mut cmd = redis::cmd("EVALSHA");
                cmd.arg(&hash);
                cmd
            }
        }
    }

    /// Runs requests in order without waiting a round trip between two of them: on a single
    /// server each is sent as soon as it is built, with up to `IN_FLIGHT` unanswered, so the
    /// server works on one while pipectl builds the next (and the batch never has to be in
    /// memory at once, as one big pipeline would need). On a cluster they go as pipelines of
    /// a few. `each` gets every answered request's reply (or the server's refusal) with the
    /// tag the request came with, in order. At the first refusal nothing more is sent,
    /// the replies on their way are read and given to `each` too (each request is all or
    /// nothing, and one sent after a refusal may still have run), and the first error is
    /// returned. When the connection fails, the requests sent and not answered get no call:
    /// whether they ran is unknown; so too a transaction's and those after it when what it
    /// did is unknown (see `transaction_reply`). `flow` says how they go.
    pub(super) fn stream<T: redis::FromRedisValue, K: Copy>(
        &mut self,
        requests: impl Iterator<Item = (Request, K)>,
        flow: Flow<'_>,
        mut each: impl FnMut(RedisResult<T>, K),
    ) -> RedisResult<()> {
        const IN_FLIGHT: usize = 4;
        let Flow {
            resend,
            script,
            first_alone,
        } = flow;
        let mut failure: Option<RedisError> = None;
        let mut note = |reply: RedisResult<T>, tag, failure: &mut Option<_>| {
            if let Err(err) = &reply {
                failure.get_or_insert_with(|| err.clone());
            }
            each(reply, tag);
        };
        let typed = |reply: RedisResult<Value>| {
            reply.and_then(|v| redis::from_redis_value::<T>(v).map_err(RedisError::from))
        };
        match &mut self.conn {
            Conn::Cluster(c) => {
                let mut requests = requests.peekable();
                while failure.is_none() && requests.peek().is_some() {
                    let mut pipe = redis::pipe();
                    let mut tags = Vec::new();
                    for (request, tag) in requests.by_ref().take(IN_FLIGHT) {
                        let Request::One(cmd) = request else {
                            return Err(unknown("a transaction cannot go to a cluster", ""));
                        };
                        pipe.add_command(cmd);
                        tags.push(tag);
                    }
                    c.resend = resend;
                    // A failure here leaves the whole pipeline unanswered.
                    let replies = c.pipeline(&pipe)?;
                    for (value, tag) in replies.into_iter().zip(tags) {
                        let reply = match value {
                            Value::ServerError(e) => Err(e.into()),
                            value => Ok(value),
                        };
                        note(typed(reply), tag, &mut failure);
                    }
                }
            }
            Conn::Single(c) => {
                let mut requests = requests;
                let mut pending = std::collections::VecDeque::new();
                // Calls that met NOSCRIPT, in order, to be sent again once all before them
                // are answered.
                let mut again: Vec<(Vec<u8>, K, RedisError)> = Vec::new();
                let mut sent = 0;
                loop {
                    let first_unanswered = first_alone && sent == 1 && !pending.is_empty();
                    if failure.is_none()
                        && again.is_empty()
                        && pending.len() < IN_FLIGHT
                        && !first_unanswered
                        && let Some((request, tag)) = requests.next()
                    {
                        let (packed, replies) = request.packed();
                        c.send_packed_command(&packed)?;
                        pending.push_back((packed, replies, tag));
                        sent += 1;
                        continue;
                    }
                    let Some((packed, replies, tag)) = pending.pop_front() else {
                        break;
                    };
                    let reply = if replies == 1 {
                        c.recv_response()?.extract_error()
                    } else {
                        let values = (0..replies)
                            .map(|_| c.recv_response())
                            .collect::<RedisResult<Vec<Value>>>()?;
                        transaction_reply(values)?
                    };
                    match (reply, script) {
                        (Err(e), Some(_)) if failure.is_none() && is_noscript(&e) => {
                            again.push((packed, tag, e));
                        }
                        (reply, _) => {
                            // One after them ran: they stay refused (see above).
                            for (_, tag, e) in again.drain(..) {
                                note(Err(e), tag, &mut failure);
                            }
                            note(typed(reply), tag, &mut failure);
                        }
                    }
                    if let Some(script) = script
                        && pending.is_empty()
                        && !again.is_empty()
                    {
                        // The first goes as EVAL, which loads the script for the rest: so
                        // each round answers at least one, and this ends.
                        for (i, (packed, tag, _)) in again.drain(..).enumerate() {
                            let packed = if i == 0 {
                                as_eval(&packed, script)?
                            } else {
                                packed
                            };
                            c.send_packed_command(&packed)?;
                            pending.push_back((packed, 1, tag));
                        }
                    }
                }
            }
        }
        failure.map_or(Ok(()), Err)
    }
}

/// What a transaction did, from its replies (MULTI's, each command's QUEUED, EXEC's): its
/// last command's reply, when EXEC ran them all; a refusal when nothing ran — a command was
/// refused before EXEC (an ACL, OOM, a replica: Redis then runs none), EXEC was, or the last
/// command refused with WRONGTYPE, which a transaction's script does only having undone the
/// commands before it (enqueue_pushed.lua). Otherwise what ran is not known, and that is the
/// (outer) error: MULTI refused (the commands ran one by one), or a command after the first
/// refused once the others ran.
fn transaction_reply(values: Vec<Value>) -> RedisResult<RedisResult<Value>> {
    let mut values = values.into_iter();
    let (Some(multi), Some(exec)) = (values.next(), values.next_back()) else {
        return Err(unknown("a transaction without MULTI or EXEC", ""));
    };
    if let Value::ServerError(e) = multi {
        return Err(unknown(
            "MULTI was refused",
            &RedisError::from(e).to_string(),
        ));
    }
    let queued = values.len();
    if let Some(Value::ServerError(e)) = values.find(|v| matches!(v, Value::ServerError(_))) {
        return Ok(Err(e.into()));
    }
    match exec {
        Value::ServerError(e) => Ok(Err(e.into())),
        Value::Nil => Ok(Err(unknown("the transaction was not run", ""))),
        Value::Array(ran) if ran.len() == queued => {
            let mut ran = ran.into_iter().map(Value::extract_error);
            let last = ran.next_back().unwrap_or(Ok(Value::Nil));
            let before: RedisResult<Vec<Value>> = ran.collect();
            match (before, last) {
                (Ok(_), Ok(last)) => Ok(Ok(last)),
                (_, Err(e)) if e.code() == Some("WRONGTYPE") => Ok(Err(e)),
                (Err(e), _) | (_, Err(e)) => Err(unknown(
                    "a command of the transaction was refused after others ran",
                    &e.to_string(),
                )),
            }
        }
        other => Err(unknown(
            "EXEC's reply is not its commands'",
            &format!("{other:?}"),
        )),
    }
}

/// An error for a request whose outcome is not known.
fn unknown(what: &'static str, detail: &str) -> RedisError {
    RedisError::from((ErrorKind::Client, what, detail.to_owned()))
}

fn is_noscript(e: &RedisError) -> bool {
    e.kind() == ErrorKind::Server(redis::ServerErrorKind::NoScript)
}

/// A packed EVALSHA call of `script` as the same call by EVAL, with the script's source.
fn as_eval(packed: &[u8], script: &Lua) -> redis::RedisResult<Vec<u8>> {
    let hash = script.script().hash();
    let argc_end = packed.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    let head = format!("$7\r\nEVALSHA\r\n${}\r\n{hash}\r\n", hash.len());
    let rest = packed[argc_end..]
        .strip_prefix(head.as_bytes())
        .ok_or_else(|| {
            redis::RedisError::from((
                redis::ErrorKind::Client,
                "not an EVALSHA call of this script",
            ))
        })?;
    let source = script.source;
    let mut eval = Vec::with_capacity(packed.len() + source.len());
    eval.extend_from_slice(&packed[..argc_end]);
    eval.extend_from_slice(format!("$4\r\nEVAL\r\n${}\r\n", source.len()).as_bytes());
    eval.extend_from_slice(source.as_bytes());
    eval.extend_from_slice(b"\r\n");
    eval.extend_from_slice(rest);
    Ok(eval)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reply as Redis writes it.
    fn reply(resp: &str) -> Value {
        redis::parse_redis_value(resp.as_bytes()).expect("a RESP reply")
    }

    fn of(replies: &[&str]) -> RedisResult<RedisResult<Value>> {
        transaction_reply(replies.iter().map(|r| reply(r)).collect())
    }

    const QUEUED: &str = "+QUEUED\r\n";

    #[test]
    fn a_transaction_that_ran_gives_its_last_reply() {
        let ran = of(&["+OK\r\n", QUEUED, QUEUED, "*2\r\n:3\r\n*2\r\n:2\r\n:1\r\n"]);
        assert_eq!(
            ran.ok().and_then(Result::ok),
            Some(reply("*2\r\n:2\r\n:1\r\n"))
        );
    }

    #[test]
    fn nothing_ran_is_a_refusal_with_the_first_cause() {
        let queued_refused = of(&[
            "+OK\r\n",
            "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
            QUEUED,
            "-EXECABORT Transaction discarded because of previous errors.\r\n",
        ]);
        let err = queued_refused.expect("known").expect_err("refused");
        assert_eq!(err.code(), Some("OOM"));
        let exec_refused = of(&["+OK\r\n", QUEUED, QUEUED, "-READONLY You can't write\r\n"]);
        let err = exec_refused.expect("known").expect_err("refused");
        assert_eq!(err.code(), Some("READONLY"));
        assert!(of(&["+OK\r\n", QUEUED, QUEUED, "*-1\r\n"]).is_ok_and(|r| r.is_err()));
    }

    #[test]
    fn the_scripts_own_wrongtype_is_a_refusal() {
        let spoiled = of(&[
            "+OK\r\n",
            QUEUED,
            QUEUED,
            "*2\r\n-WRONGTYPE Operation against a key\r\n-WRONGTYPE key q holds a string\r\n",
        ]);
        let err = spoiled.expect("known").expect_err("refused");
        assert_eq!(err.code(), Some("WRONGTYPE"));
    }

    #[test]
    fn what_ran_is_unknown_when_multi_or_a_later_command_was_refused() {
        // MULTI refused: the commands after it ran one by one.
        assert!(
            of(&[
                "-NOPERM no MULTI\r\n",
                ":3\r\n",
                "*2\r\n:3\r\n:0\r\n",
                "-ERR EXEC without MULTI\r\n"
            ])
            .is_err()
        );
        // The LPUSH ran, the script was then refused for another reason.
        assert!(of(&["+OK\r\n", QUEUED, QUEUED, "*2\r\n:3\r\n-NOPERM no SADD\r\n"]).is_err());
        // A command before the last refused, the last ran.
        assert!(of(&["+OK\r\n", QUEUED, QUEUED, "*2\r\n-ERR x\r\n:1\r\n"]).is_err());
        // Not as many replies as commands.
        assert!(of(&["+OK\r\n", QUEUED, QUEUED, "*1\r\n:1\r\n"]).is_err());
    }
}
