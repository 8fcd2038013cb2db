//! Redis refusals in words: the server's reply, the key of the wrong type and the type
//! pipectl needs there, the command an ACL refused (also inside a script).

use super::{Store, connect, scripts, server_error};
use crate::error::Fail;

impl Store {
    /// Makes a Redis error say what went wrong in words: the server's own reply (also from
    /// inside a pipeline), and for WRONGTYPE the key and the type pipectl needs there.
    pub(super) fn explain(
        &mut self,
        err: redis::RedisError,
        expected: &[(&str, &str)],
    ) -> anyhow::Error {
        let Some((code, detail)) = server_error(&err) else {
            return err.into();
        };
        if let Some(refusal) = acl_refusal(code.as_str(), &detail) {
            return anyhow::Error::new(err).context(refusal);
        }
        if connect::lacks_command(&detail) {
            let detail = detail.split(", with args").next().unwrap_or_default();
            let detail = detail.split(" script:").next().unwrap_or_default().trim();
            return anyhow::Error::new(err).context(
                Fail::new(
                    crate::exit::Exit::Unavailable,
                    format!(
                        "this Redis server cannot run a command pipectl needs ({code} {detail}): pipectl needs Redis ≥ 6.2 (LMOVE/BLMOVE, RPOP with a count, SMISMEMBER) with those commands enabled"
                    ),
                )
                .hint(connect::TOO_OLD_HINT),
            );
        }
        if code != "WRONGTYPE" {
            let detail = detail
                .split(" script:")
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned();
            return anyhow::Error::new(err)
                .context(format!("Redis refused the command: {code} {detail}"));
        }
        let fix = |key: &str| {
            format!(
                "inspect it with `redis-cli TYPE {key}`; rename or delete it, or point pipectl at another key"
            )
        };
        for (key, want) in expected {
            let found: Option<String> = redis::cmd("TYPE").arg(*key).query(self.idem()).ok();
            if let Some(found) = found
                && found != "none"
                && found != *want
            {
                return Fail::data(format!(
                    "key '{key}' holds a {found}, but pipectl needs a {want} there; nothing was changed"
                ))
                .hint(fix(key))
                .into();
            }
        }
        // pipectl's scripts name the key themselves: "key K holds a T, but pipectl needs …".
        let detail = detail.split(" script:").next().unwrap_or_default().trim();
        if let Some((key, found)) = detail
            .strip_prefix("key ")
            .and_then(|rest| rest.rsplit_once(" holds a "))
        {
            return Fail::data(format!("key '{key}' holds a {found}; nothing was changed"))
                .hint(fix(key))
                .into();
        }
        err.into()
    }
}

/// An ACL refusal in words, naming the command or key the Redis user may not use — also
/// when the refusal came from inside a script, where Redis 7.0 names only the script's line.
fn acl_refusal(code: &str, detail: &str) -> Option<Fail> {
    let lower = detail.to_ascii_lowercase();
    let key_denied = lower.contains("access at least one of the keys")
        || lower.contains("no permissions to access");
    let command_denied = code == "NOPERM"
        || lower.contains("can't run this command")
        || lower.contains("no permissions to run");
    if !key_denied && !command_denied {
        return None;
    }
    let hint = "grant it to the user (ACL SETUSER <user> …); the README (\"ACL user\") gives the exact line pipectl needs";
    if key_denied {
        return Some(
            Fail::new(
                crate::exit::Exit::NoPerm,
                "the Redis user may not access a key pipectl uses (NOPERM): its key patterns (~…) must cover the pipeline's keys, stats:* and the rate-limit keys",
            )
            .hint(hint),
        );
    }
    let command = refused_command(detail).unwrap_or_else(|| "a command".to_owned());
    Some(
        Fail::new(
            crate::exit::Exit::NoPerm,
            format!(
                "the Redis user may not run {command}, which pipectl needs (NOPERM: {})",
                detail.split(" script:").next().unwrap_or_default().trim()
            ),
        )
        .hint(format!(
            "grant it: ACL SETUSER <user> +{}; the README (\"ACL user\") gives the exact line pipectl needs",
            command.to_ascii_lowercase()
        )),
    )
}

/// The command Redis refused: named in the message (`'lpush'`, `[command INCRBY]`), or
/// the one called at the script line it points to (`script: <sha>, on @user_script:11.`).
fn refused_command(detail: &str) -> Option<String> {
    if let Some(rest) = detail.split_once("[command ").map(|(_, r)| r) {
        return rest.split(']').next().map(str::to_uppercase);
    }
    if let Some(rest) = detail.split_once("to run the '").map(|(_, r)| r) {
        return rest.split('\'').next().map(str::to_uppercase);
    }
    let (_, at) = detail.split_once(" script: ")?;
    let (sha, line) = at.split_once(", on @user_script:")?;
    let line: usize = line.trim_end_matches('.').trim().parse().ok()?;
    let source = scripts::ALL
        .iter()
        .find(|lua| lua.script().hash() == sha.trim())?
        .source;
    let text = source.lines().nth(line.checked_sub(1)?)?;
    let (_, call) = text.split_once("call('")?;
    call.split('\'').next().map(str::to_uppercase)
}
