//! What the server says about itself, for `pipectl doctor`. Managed services and ACLs often
//! refuse INFO or CONFIG: a refusal is an answer (`Err(reason)` inside `Ok`), not a failure.

use std::collections::HashMap;

use anyhow::Result;
use redis::Value;

use super::Store;
use super::status::Reading;

/// A node's address: host and port.
pub type Node = (String, u16);

/// One node of a Redis Cluster, as `CLUSTER NODES` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterNode {
    pub id: String,
    pub addr: Node,
    pub master: bool,
    /// Flagged `fail` or `fail?`: unreachable.
    pub failed: bool,
    /// For a replica, the id of its master.
    pub master_of: Option<String>,
    /// The hash slot ranges it serves (masters), inclusive.
    pub slots: Vec<(u16, u16)>,
}

impl ClusterNode {
    pub fn serves(&self, slot: u16) -> bool {
        self.slots.iter().any(|&(a, b)| a <= slot && slot <= b)
    }

    /// `host:port`, as redis-cli -h/-p take it.
    pub fn address(&self) -> String {
        format!("{}:{}", self.addr.0, self.addr.1)
    }
}

impl Store {
    /// A read-only command on `node`, or on the server when there is no cluster (None).
    fn ask<T: redis::FromRedisValue>(
        &mut self,
        node: Option<&Node>,
        cmd: &redis::Cmd,
    ) -> redis::RedisResult<T> {
        match node {
            Some(node) => self.on_node(node, cmd),
            None => cmd.query(self.idem()),
        }
    }

    /// Which server this is and its version: from INFO server (Valkey names itself there),
    /// else HELLO (allowed to every user). `Err(reason)` when the server refuses both.
    pub fn server_version(&mut self, node: Option<&Node>) -> Result<Reading<Product>> {
        let info_refused = match self.info(node, "server")? {
            Ok(info) => match identify(&info) {
                Some(product) => return Ok(Ok(product)),
                None => "INFO server has no redis_version".to_owned(),
            },
            Err(refused) => refused,
        };
        let res: redis::RedisResult<Value> = self.ask(node, &redis::cmd("HELLO"));
        Ok(match refusal(res)? {
            Ok(reply) => match field(&reply, "version") {
                Some(version) => Ok(Product {
                    name: product_name(field(&reply, "server").as_deref()),
                    version,
                }),
                None => Err(format!("{info_refused}; HELLO did not say its version")),
            },
            // HELLO arrived in Redis 6.0: without it the server is too old (or hides it).
            Err(hello_refused) => Err(format!("{info_refused}; {hello_refused}")),
        })
    }

    /// The server's replication role (INFO replication) and whether, as a replica, it
    /// refuses writes (CONFIG GET replica-read-only; a refused CONFIG reads as yes, the
    /// default).
    pub fn role(&mut self, node: Option<&Node>) -> Result<Reading<Role>> {
        let info = match self.info(node, "replication")? {
            Ok(info) => info,
            Err(refused) => return Ok(Err(refused)),
        };
        if info.get("role").map(String::as_str) != Some("slave") {
            return Ok(Ok(Role::Master));
        }
        let master = match (info.get("master_host"), info.get("master_port")) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            _ => "an unknown master".to_owned(),
        };
        let read_only = !matches!(
            self.config_get(node, "replica-read-only")?,
            Ok(Some(v)) if v.eq_ignore_ascii_case("no")
        );
        Ok(Ok(Role::Replica { master, read_only }))
    }

    /// INFO `section` as a map of `field -> value`.
    pub fn info(
        &mut self,
        node: Option<&Node>,
        section: &str,
    ) -> Result<Reading<HashMap<String, String>>> {
        let res: redis::RedisResult<String> = self.ask(node, redis::cmd("INFO").arg(section));
        Ok(refusal(res)?.map(|text| parse_info(&text)))
    }

    /// CONFIG GET of one parameter; `Ok(None)` when the server does not know it.
    pub fn config_get(
        &mut self,
        node: Option<&Node>,
        param: &str,
    ) -> Result<Reading<Option<String>>> {
        let res: redis::RedisResult<Vec<String>> =
            self.ask(node, redis::cmd("CONFIG").arg("GET").arg(param));
        Ok(refusal(res)?.map(|pairs| {
            pairs
                .chunks(2)
                .find(|pair| pair.first().is_some_and(|k| k.eq_ignore_ascii_case(param)))
                .and_then(|pair| pair.get(1).cloned())
        }))
    }

    /// Every node of the cluster, as the node answering sees them; empty for a single server.
    pub fn cluster_nodes(&mut self) -> Result<Vec<ClusterNode>> {
        if !self.is_cluster() {
            return Ok(Vec::new());
        }
        let res: redis::RedisResult<String> = redis::cmd("CLUSTER").arg("NODES").query(self.idem());
        let text = res.map_err(|e| self.explain(e, &[]))?;
        Ok(text.lines().filter_map(parse_cluster_node).collect())
    }

    /// Every reachable master of the cluster (host, port); for a single server, nothing.
    pub fn masters(&mut self) -> Result<Vec<Node>> {
        Ok(self
            .cluster_nodes()?
            .into_iter()
            .filter(|n| n.master && !n.failed)
            .map(|n| n.addr)
            .collect())
    }

    /// CLUSTER INFO as a map (`cluster_state`, `cluster_slots_ok`, …).
    pub fn cluster_info(&mut self) -> Result<Reading<HashMap<String, String>>> {
        let res: redis::RedisResult<String> = redis::cmd("CLUSTER").arg("INFO").query(self.idem());
        Ok(refusal(res)?.map(|text| parse_info(&text)))
    }
}

/// A server's name and version, as it says them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    /// `Redis` or `Valkey`.
    pub name: &'static str,
    pub version: String,
}

/// A server's replication role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Master,
    Replica { master: String, read_only: bool },
}

fn product_name(server: Option<&str>) -> &'static str {
    match server {
        Some(s) if s.eq_ignore_ascii_case("valkey") => "Valkey",
        _ => "Redis",
    }
}

/// Which server INFO server describes: Valkey says `server_name:valkey` and its own
/// `valkey_version` (its `redis_version` is the Redis version it is compatible with).
pub fn identify(info: &HashMap<String, String>) -> Option<Product> {
    let name = product_name(info.get("server_name").map(String::as_str));
    let version = match name {
        "Valkey" => info
            .get("valkey_version")
            .or_else(|| info.get("redis_version")),
        _ => info.get("redis_version"),
    }?;
    Some(Product {
        name,
        version: version.clone(),
    })
}

/// `field:value` lines (INFO, CLUSTER INFO) as a map; `# Section` lines skipped.
pub fn parse_info(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// A `CLUSTER NODES` line: `<id> <ip:port@cport[,hostname]> <flags> <master> <ping-sent>
/// <pong-recv> <config-epoch> <link-state> <slot> <slot> …`.
fn parse_cluster_node(line: &str) -> Option<ClusterNode> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let addr = f.get(1)?.split(['@', ',']).next()?;
    let (host, port) = addr.rsplit_once(':')?;
    let flags: Vec<&str> = f.get(2)?.split(',').collect();
    let slots = f
        .iter()
        .skip(8)
        // `[slot->-node]` / `[slot-<-node]`: a slot being migrated or imported.
        .filter(|s| !s.starts_with('['))
        .filter_map(|s| match s.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => s.parse().ok().map(|n| (n, n)),
        })
        .collect();
    Some(ClusterNode {
        id: (*f.first()?).to_owned(),
        addr: (host.to_owned(), port.parse().ok()?),
        master: flags.contains(&"master"),
        failed: flags.iter().any(|f| f.starts_with("fail")),
        master_of: f.get(3).filter(|m| **m != "-").map(|m| (*m).to_owned()),
        slots,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valkey_is_named_valkey_and_redis_redis() {
        let valkey = parse_info(
            "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:9.1.2\r\nredis_mode:standalone\r\n",
        );
        assert_eq!(
            identify(&valkey),
            Some(Product {
                name: "Valkey",
                version: "9.1.2".into()
            })
        );
        let redis = parse_info("# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n");
        assert_eq!(
            identify(&redis),
            Some(Product {
                name: "Redis",
                version: "7.0.15".into()
            })
        );
        assert_eq!(identify(&parse_info("# Server\r\n")), None);
        assert_eq!(product_name(Some("valkey")), "Valkey");
        assert_eq!(product_name(Some("redis")), "Redis");
    }

    #[test]
    fn cluster_nodes_lines_parse() {
        let text = "\
e35b 127.0.0.1:17001@27001 myself,master - 0 1795673366000 1 connected 0-5460
444a 127.0.0.1:17004@27004 slave e35b 0 1795673366520 1 connected
abc0 127.0.0.1:17002@27002,node2 master,fail - 0 1795673366520 2 disconnected 5461-10922 10923 [10924->-xyz]";
        let nodes: Vec<ClusterNode> = text.lines().filter_map(parse_cluster_node).collect();
        assert_eq!(nodes.len(), 3);
        assert!(nodes[0].master && !nodes[0].failed && nodes[0].serves(5460));
        assert_eq!(nodes[0].address(), "127.0.0.1:17001");
        assert_eq!(nodes[1].master_of.as_deref(), Some("e35b"));
        assert!(!nodes[1].master && nodes[1].slots.is_empty());
        assert!(nodes[2].failed);
        assert_eq!(nodes[2].addr, ("127.0.0.1".to_owned(), 17002));
        assert_eq!(nodes[2].slots, [(5461, 10922), (10923, 10923)]);
    }
}
