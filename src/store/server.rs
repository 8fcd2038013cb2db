//! What the server says about itself, for `pipectl doctor`. Managed services and ACLs often
//! refuse INFO or CONFIG: a refusal is an answer (`Err(reason)` inside `Ok`), not a failure.

use std::collections::HashMap;

use anyhow::Result;
use redis::Value;

use super::Store;
use super::status::Reading;

impl Store {
    /// The server's version: from HELLO (allowed to every user), else INFO server.
    /// `Err(reason)` when the server refuses both.
    pub fn server_version(&mut self) -> Result<Reading<String>> {
        let res: redis::RedisResult<Value> = redis::cmd("HELLO").query(self.con());
        match refusal(res)? {
            Ok(reply) => {
                if let Some(version) = field(&reply, "version") {
                    return Ok(Ok(version));
                }
            }
            Err(hello_refused) => {
                // HELLO arrived in Redis 6.0: without it the server is too old (or hides it).
                let info = self.info("server")?;
                return Ok(match info {
                    Ok(map) => map
                        .get("redis_version")
                        .cloned()
                        .ok_or_else(|| "INFO server has no redis_version".to_owned()),
                    Err(info_refused) => Err(format!("{hello_refused}; {info_refused}")),
                });
            }
        }
        Ok(self.info("server")?.and_then(|map| {
            map.get("redis_version")
                .cloned()
                .ok_or_else(|| "the server did not say its version".to_owned())
        }))
    }

    /// INFO `section` as a map of `field -> value`.
    pub fn info(&mut self, section: &str) -> Result<Reading<HashMap<String, String>>> {
        let res: redis::RedisResult<String> = redis::cmd("INFO").arg(section).query(self.con());
        Ok(refusal(res)?.map(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect()
        }))
    }

    /// CONFIG GET of one parameter; `Ok(None)` when the server does not know it.
    pub fn config_get(&mut self, param: &str) -> Result<Reading<Option<String>>> {
        let res: redis::RedisResult<Vec<String>> =
            redis::cmd("CONFIG").arg("GET").arg(param).query(self.con());
        Ok(refusal(res)?.map(|pairs| {
            pairs
                .chunks(2)
                .find(|pair| pair.first().is_some_and(|k| k.eq_ignore_ascii_case(param)))
                .and_then(|pair| pair.get(1).cloned())
        }))
    }
}

/// Splits a reply into: the server answered (`Ok(Ok)`), the server refused (`Ok(Err)`, e.g.
/// NOPERM or an unknown/disabled command), or the connection failed (`Err`).
fn refusal<T>(res: redis::RedisResult<T>) -> Result<Reading<T>> {
    match res {
        Ok(v) => Ok(Ok(v)),
        Err(err) => match super::server_error(&err) {
            Some((code, detail)) => Ok(Err(format!("{code} {detail}").trim().to_owned())),
            None => Err(err.into()),
        },
    }
}

/// A field of a HELLO reply (a map in RESP3, a flat array in RESP2).
fn field(reply: &Value, name: &str) -> Option<String> {
    let text = |v: &Value| redis::from_redis_value::<String>(v.clone()).ok();
    match reply {
        Value::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| text(k).as_deref() == Some(name))
            .and_then(|(_, v)| text(v)),
        Value::Array(items) => items
            .chunks(2)
            .find(|pair| pair.first().and_then(text).as_deref() == Some(name))
            .and_then(|pair| pair.get(1).and_then(text)),
        _ => None,
    }
}
