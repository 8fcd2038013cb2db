//! Redis Sentinel: `redis+sentinel://[user:pass@]host1:26379,host2:26379/<master>[/db]`
//! (`rediss+sentinel://` for TLS to the sentinels and the master). On every connect —
//! reconnects too — the sentinels are asked in turn for the current master, and the master
//! is checked to be one (ROLE), so a failover is followed as soon as the sentinels agree.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::error::Fail;

/// A parsed sentinel URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentinelUrl {
    pub tls: bool,
    /// `user:password@`, for the master (sentinels are asked without it).
    pub userinfo: Option<String>,
    pub sentinels: Vec<(String, u16)>,
    pub master: String,
    pub db: Option<u32>,
}

pub fn is_sentinel(url: &str) -> bool {
    url.starts_with("redis+sentinel://") || url.starts_with("rediss+sentinel://")
}

pub fn parse(url: &str) -> Result<SentinelUrl, Fail> {
    let bad = |why: &str| {
        Fail::usage(format!(
            "'{}' is not a Sentinel URL: {why}",
            super::redact_url(url)
        ))
        .hint("write redis+sentinel://[user:password@]host1:26379,host2:26379/<master name>[/db]")
    };
    let (tls, rest) = if let Some(r) = url.strip_prefix("rediss+sentinel://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("redis+sentinel://") {
        (false, r)
    } else {
        return Err(bad(
            "it must start with redis+sentinel:// or rediss+sentinel://",
        ));
    };
    let (hosts, path) = rest.split_once('/').ok_or_else(|| bad("no master name"))?;
    let (userinfo, hosts) = match hosts.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_owned()), h),
        None => (None, hosts),
    };
    let mut sentinels = Vec::new();
    for host in hosts.split(',').filter(|h| !h.is_empty()) {
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) => (
                n,
                p.parse::<u16>()
                    .map_err(|_| bad(&format!("'{p}' is not a port")))?,
            ),
            None => (host, 26379),
        };
        if name.is_empty() {
            return Err(bad("a sentinel has no host"));
        }
        sentinels.push((name.to_owned(), port));
    }
    if sentinels.is_empty() {
        return Err(bad("no sentinel hosts"));
    }
    let mut parts = path.split('/');
    let master = parts.next().unwrap_or_default().to_owned();
    if master.is_empty() {
        return Err(bad("no master name"));
    }
    let db = match parts.next().filter(|d| !d.is_empty()) {
        Some(d) => Some(
            d.parse::<u32>()
                .map_err(|_| bad(&format!("'{d}' is not a database number")))?,
        ),
        None => None,
    };
    if parts.next().is_some() {
        return Err(bad("too many parts after the master name"));
    }
    Ok(SentinelUrl {
        tls,
        userinfo,
        sentinels,
        master,
        db,
    })
}

/// The sentinel URL that `--sentinel a:26379,b --sentinel-master m` stand for, with the scheme
/// (TLS or not), `user:password@` and `/db` of `master_url` (`--url`), whose host is not used.
pub fn url_from_flags(sentinels: &[String], master: &str, master_url: &str) -> String {
    let (tls, rest) = match master_url.strip_prefix("rediss://") {
        Some(rest) => (true, rest),
        None => (false, master_url.strip_prefix("redis://").unwrap_or("")),
    };
    let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
    let auth = authority
        .rsplit_once('@')
        .map(|(u, _)| format!("{u}@"))
        .unwrap_or_default();
    let scheme = if tls { "rediss" } else { "redis" };
    let hosts = sentinels
        .iter()
        .map(|s| s.trim())
        .collect::<Vec<_>>()
        .join(",");
    let db = if db.is_empty() {
        String::new()
    } else {
        format!("/{db}")
    };
    format!("{scheme}+sentinel://{auth}{hosts}/{master}{db}")
}

impl SentinelUrl {
    /// The master as a plain URL (`redis://[user:pass@]host:port[/db]`).
    pub fn master_url(&self, host: &str, port: u16) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        let auth = self
            .userinfo
            .as_ref()
            .map(|u| format!("{u}@"))
            .unwrap_or_default();
        let db = self.db.map(|d| format!("/{d}")).unwrap_or_default();
        format!("{scheme}://{auth}{host}:{port}{db}")
    }

    fn sentinel_url(&self, host: &str, port: u16) -> String {
        let scheme = if self.tls { "rediss" } else { "redis" };
        format!("{scheme}://{host}:{port}")
    }
}

/// Asks the sentinels in turn for the current master of `url`'s name; its address.
pub fn master_address(
    url: &SentinelUrl,
    connect: &dyn Fn(&str) -> Result<redis::Connection>,
    timeout: Duration,
) -> Result<(String, u16)> {
    let mut why = Vec::new();
    for (host, port) in &url.sentinels {
        let at = format!("{host}:{port}");
        let asked = connect(&url.sentinel_url(host, *port)).and_then(|mut con| {
            con.set_read_timeout(Some(timeout)).ok();
            let addr: Option<(String, u16)> = redis::cmd("SENTINEL")
                .arg("GET-MASTER-ADDR-BY-NAME")
                .arg(&url.master)
                .query(&mut con)
                .context("SENTINEL GET-MASTER-ADDR-BY-NAME")?;
            Ok(addr)
        });
        match asked {
            Ok(Some(addr)) => return Ok(addr),
            Ok(None) => why.push(format!(
                "{at} does not monitor a master named '{}'",
                url.master
            )),
            Err(e) => why.push(format!("{at}: {e:#}")),
        }
    }
    Err(anyhow::Error::new(unreachable(format!(
        "no sentinel named the master '{}': {}",
        url.master,
        why.join("; ")
    )))
    .context("cannot reach Redis through its sentinels"))
}

/// A connection to one sentinel.
pub fn connect_to(
    sentinel: &str,
    tls: bool,
    opts: &super::ConnectOptions,
) -> Result<redis::Connection> {
    let client = if tls {
        redis::Client::build_with_tls(sentinel, opts.tls.certificates()?)
    } else {
        redis::Client::open(sentinel)
    }?;
    let con = client.get_connection_with_timeout(opts.connect_timeout)?;
    con.set_read_timeout(Some(opts.response_timeout)).ok();
    Ok(con)
}

/// What the sentinels say about the master, for `doctor`.
#[derive(Debug, Default)]
pub struct Topology {
    pub master_name: String,
    /// Sentinels named in the URL.
    pub named: usize,
    /// Of those, the ones that answered and monitor the master.
    pub answered: usize,
    /// The master most of them name, and how many name it.
    pub master: Option<(String, u16)>,
    pub agree: usize,
    /// As the first of those reports it.
    pub quorum: Option<u64>,
    pub replicas: Option<u64>,
    pub other_sentinels: Option<u64>,
}

/// Asks every sentinel of `opts.url` (a sentinel URL) what it knows.
pub fn topology(opts: &super::ConnectOptions) -> Result<Topology> {
    let url = parse(&opts.url)?;
    let mut topo = Topology {
        master_name: url.master.clone(),
        named: url.sentinels.len(),
        ..Topology::default()
    };
    let mut seen: Vec<((String, u16), usize)> = Vec::new();
    for (host, port) in &url.sentinels {
        let Ok(mut con) = connect_to(&url.sentinel_url(host, *port), url.tls, opts) else {
            continue;
        };
        let Ok(Some(addr)) = redis::cmd("SENTINEL")
            .arg("GET-MASTER-ADDR-BY-NAME")
            .arg(&url.master)
            .query::<Option<(String, u16)>>(&mut con)
        else {
            continue;
        };
        topo.answered += 1;
        match seen.iter_mut().find(|(a, _)| *a == addr) {
            Some((_, n)) => *n += 1,
            None => seen.push((addr, 1)),
        }
        if topo.quorum.is_none()
            && let Ok(fields) = redis::cmd("SENTINEL")
                .arg("MASTER")
                .arg(&url.master)
                .query::<std::collections::HashMap<String, String>>(&mut con)
        {
            let num = |k: &str| fields.get(k).and_then(|v| v.parse().ok());
            topo.quorum = num("quorum");
            topo.replicas = num("num-slaves");
            topo.other_sentinels = num("num-other-sentinels");
        }
    }
    if let Some((addr, n)) = seen.into_iter().max_by_key(|(_, n)| *n) {
        topo.master = Some(addr);
        topo.agree = n;
    }
    Ok(topo)
}

/// A connection-level error (transient: worth reconnecting, as a refused connection is).
pub fn unreachable(why: String) -> redis::RedisError {
    redis::RedisError::from(std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        why,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse() {
        let u = parse("redis+sentinel://:pw@a:26379,b:26380/mymaster/2").unwrap();
        assert_eq!(u.sentinels, [("a".into(), 26379), ("b".into(), 26380)]);
        assert_eq!(
            (u.master.as_str(), u.db, u.tls),
            ("mymaster", Some(2), false)
        );
        assert_eq!(
            u.master_url("10.0.0.1", 6379),
            "redis://:pw@10.0.0.1:6379/2"
        );
        let u = parse("rediss+sentinel://s1/m").unwrap();
        assert_eq!(u.sentinels, [("s1".into(), 26379)]);
        assert_eq!(u.master_url("h", 1), "rediss://h:1");
        let flags = |m: &str| url_from_flags(&["a:1".into(), " b".into()], "mm", m);
        assert_eq!(flags("redis://127.0.0.1:6379"), "redis+sentinel://a:1,b/mm");
        assert_eq!(
            flags("rediss://u:p@x:1/3"),
            "rediss+sentinel://u:p@a:1,b/mm/3"
        );
        assert_eq!(parse(&flags("rediss://:p@x/3")).unwrap().db, Some(3));
        for bad in [
            "redis+sentinel://a:1",
            "redis+sentinel://a:1/",
            "redis+sentinel:///m",
            "redis+sentinel://a:x/m",
            "redis+sentinel://a/m/x",
            "redis+sentinel://a/m/1/2",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
