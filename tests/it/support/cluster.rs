//! A real Redis Cluster per test: 3 masters and 3 replicas (`redis-server --cluster-enabled
//! yes` on free ports in one temp dir, joined by `redis-cli --cluster create`), killed on drop,
//! every node's log printed when the test fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::{free_port, pipectl_in};

/// One node: its client port and its process (None once killed).
struct Node {
    port: u16,
    /// The TLS port, in a cluster started with `start_tls`.
    tls_port: Option<u16>,
    child: Option<Child>,
}

/// A line of `CLUSTER NODES`.
#[derive(Clone, Debug)]
pub struct NodeInfo {
    pub id: String,
    pub port: u16,
    pub flags: Vec<String>,
    pub master_id: Option<String>,
    /// Slot ranges served (masters only), inclusive.
    pub slots: Vec<(u16, u16)>,
}

impl NodeInfo {
    pub fn is_master(&self) -> bool {
        self.flags.iter().any(|f| f == "master")
    }

    pub fn failed(&self) -> bool {
        self.flags.iter().any(|f| f == "fail" || f == "fail?")
    }

    pub fn serves(&self, slot: u16) -> bool {
        self.slots.iter().any(|&(a, b)| a <= slot && slot <= b)
    }
}

pub struct RedisCluster {
    pub dir: TempDir,
    nodes: Vec<Node>,
}

const MASTERS: usize = 3;
const NODES: usize = 6;
/// The node timeout while the cluster forms (see try_start).
const JOIN_NODE_TIMEOUT_MS: u64 = 10_000;

impl RedisCluster {
    /// 3 masters + 3 replicas; a node is judged failed after 1s unreachable, so a replica
    /// takes over a killed master within a few seconds.
    pub fn start() -> RedisCluster {
        let mut last_error = String::new();
        for _ in 0..3 {
            match Self::try_start(1000, None) {
                Ok(cluster) => return cluster,
                Err(e) => last_error = e,
            }
        }
        panic!("the Redis Cluster did not start:\n{last_error}");
    }

    /// The same cluster, its nodes also on TLS ports (`tls-cluster yes`: the cluster bus and
    /// replication over TLS too, and a TLS client is told the nodes' TLS ports) with
    /// `pki`'s server certificate; the harness itself keeps to the plain ports.
    pub fn start_tls(pki: &super::pki::Pki) -> RedisCluster {
        let mut last_error = String::new();
        for _ in 0..3 {
            match Self::try_start(1000, Some(pki)) {
                Ok(cluster) => return cluster,
                Err(e) => last_error = e,
            }
        }
        panic!("the TLS Redis Cluster did not start:\n{last_error}");
    }

    fn try_start(
        node_timeout_ms: u64,
        tls: Option<&super::pki::Pki>,
    ) -> Result<RedisCluster, String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cluster = RedisCluster {
            dir,
            nodes: Vec::new(),
        };
        for i in 0..NODES {
            let port = free_port();
            // The cluster bus gets its own free port (default: port + 10000, maybe taken).
            let bus = free_port();
            let node_dir = cluster.dir.path().join(format!("node{i}"));
            std::fs::create_dir(&node_dir).expect("node dir");
            let tls_port = tls.map(|_| free_port());
            let mut server = Command::new("redis-server");
            if let (Some(pki), Some(tls_port)) = (tls, tls_port) {
                server
                    .args(["--tls-port", &tls_port.to_string()])
                    .args(["--tls-cert-file", &pki.arg("server.crt")])
                    .args(["--tls-key-file", &pki.arg("server.key")])
                    .args(["--tls-ca-cert-file", &pki.arg("ca.crt")])
                    .args(["--tls-auth-clients", "no"])
                    .args(["--tls-cluster", "yes", "--tls-replication", "yes"]);
            }
            let child = server
                .args(["--port", &port.to_string()])
                .args(["--cluster-port", &bus.to_string()])
                .args(["--bind", "127.0.0.1"])
                .args(["--cluster-enabled", "yes"])
                .args(["--cluster-config-file", "nodes.conf"])
                .args(["--cluster-node-timeout", &JOIN_NODE_TIMEOUT_MS.to_string()])
                .args(["--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(&node_dir)
                .arg("--logfile")
                .arg(node_dir.join("redis.log"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server must be installed (scripts/test installs it)");
            cluster.nodes.push(Node {
                port,
                tls_port,
                child: Some(child),
            });
        }
        for node in &mut cluster.nodes {
            if !wait_for(Duration::from_secs(10), || {
                if let Some(Ok(Some(_))) = node.child.as_mut().map(|c| c.try_wait()) {
                    return Some(false);
                }
                (redis_cli(node.port, &["PING"]).as_deref() == Some("PONG")).then_some(true)
            })
            .unwrap_or(false)
            {
                return Err(format!("node on port {} did not start", node.port));
            }
        }
        // The first three become masters, each later one a replica of one of them.
        let addrs: Vec<String> = cluster
            .nodes
            .iter()
            .map(|n| format!("127.0.0.1:{}", n.port))
            .collect();
        // `--cluster create` waits for the nodes to join with no deadline of its own; a MEET
        // handshake lost on a loaded machine would hang it forever, so it gets one here (and
        // the caller starts a fresh cluster).
        let log = cluster.dir.path().join("create.log");
        let log_file = std::fs::File::create(&log).expect("create.log");
        let mut create = Command::new("redis-cli")
            .arg("--cluster")
            .arg("create")
            .args(&addrs)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("create.log"))
            .stderr(log_file)
            .spawn()
            .expect("redis-cli must be installed");
        let status = wait_for(Duration::from_secs(30), || create.try_wait().ok().flatten());
        let said = || std::fs::read_to_string(&log).unwrap_or_default();
        match status {
            Some(status) if status.success() => {}
            Some(_) => return Err(format!("redis-cli --cluster create failed:\n{}", said())),
            None => {
                create.kill().ok();
                create.wait().ok();
                return Err(format!("redis-cli --cluster create hung:\n{}", said()));
            }
        }
        if !cluster.wait_stable(Duration::from_secs(20)) {
            return Err(format!(
                "the cluster did not settle:\n{}",
                cluster.cli(&["CLUSTER", "NODES"])
            ));
        }
        // Joined under a lenient node timeout (a MEET handshake slower than the node timeout
        // is dropped for good); the tests' own timeout from here on.
        for node in &cluster.nodes {
            let set = redis_cli(
                node.port,
                &[
                    "CONFIG",
                    "SET",
                    "cluster-node-timeout",
                    &node_timeout_ms.to_string(),
                ],
            );
            if set.as_deref() != Some("OK") {
                return Err(format!(
                    "CONFIG SET cluster-node-timeout on {}: {set:?}",
                    node.port
                ));
            }
        }
        Ok(cluster)
    }

    /// Until every live node says cluster_state:ok, sees 3 masters holding all slots and a
    /// replica per master, and each replica's link to its master is up.
    fn wait_stable(&self, within: Duration) -> bool {
        wait_for(within, || {
            let live: Vec<u16> = self.live_ports();
            let all_ok = live.iter().all(|&port| {
                redis_cli(port, &["CLUSTER", "INFO"])
                    .is_some_and(|info| info.contains("cluster_state:ok"))
            });
            if !all_ok {
                return None;
            }
            let nodes = self.nodes_info();
            let masters: Vec<&NodeInfo> = nodes
                .iter()
                .filter(|n| n.is_master() && !n.failed() && !n.slots.is_empty())
                .collect();
            let replicas_up = masters.iter().all(|m| {
                nodes.iter().any(|r| {
                    r.master_id.as_deref() == Some(m.id.as_str())
                        && !r.failed()
                        && redis_cli(r.port, &["INFO", "replication"])
                            .is_some_and(|i| i.contains("master_link_status:up"))
                })
            });
            (masters.len() == MASTERS && replicas_up).then_some(true)
        })
        .unwrap_or(false)
    }

    fn live_ports(&self) -> Vec<u16> {
        self.nodes
            .iter()
            .filter(|n| n.child.is_some())
            .map(|n| n.port)
            .collect()
    }

    /// Every node as a seed URL, comma-separated, as `--url`/`REDIS_URL` take them.
    pub fn url(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("redis://127.0.0.1:{}", n.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Every node's TLS port as a `rediss://` seed URL (a cluster from `start_tls`).
    pub fn tls_url(&self) -> String {
        self.nodes
            .iter()
            .filter_map(|n| n.tls_port)
            .map(|p| format!("rediss://127.0.0.1:{p}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A `pipectl` command pointed at this cluster (`REDIS_URL` = the seeds,
    /// `PIPECTL_CLUSTER=1`), in an isolated environment and work dir.
    pub fn pipectl(&self) -> Command {
        let mut cmd = pipectl_in(self.dir.path());
        cmd.env("REDIS_URL", self.url()).env("PIPECTL_CLUSTER", "1");
        cmd
    }

    /// The real redis-cli in cluster mode (`-c`, following redirects) through a live node;
    /// its trimmed stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let port = self.some_master();
        let out = Command::new("redis-cli")
            .args(["-c", "-p", &port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli must be installed");
        assert!(
            out.status.success(),
            "redis-cli {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim_end_matches('\n')
            .to_owned()
    }

    /// `redis-cli` against one node, no redirects.
    pub fn cli_on(&self, port: u16, args: &[&str]) -> String {
        redis_cli(port, args).unwrap_or_else(|| panic!("redis-cli -p {port} {args:?} failed"))
    }

    pub fn llen(&self, key: &str) -> usize {
        self.cli(&["LLEN", key])
            .parse()
            .expect("LLEN answers a number")
    }

    pub fn lrange(&self, key: &str) -> Vec<String> {
        let out = self.cli(&["LRANGE", key, "0", "-1"]);
        if out.is_empty() {
            Vec::new()
        } else {
            out.lines().map(str::to_owned).collect()
        }
    }

    /// CLUSTER KEYSLOT, as the server computes it.
    pub fn keyslot(&self, key: &str) -> u16 {
        self.cli(&["CLUSTER", "KEYSLOT", key])
            .parse()
            .expect("CLUSTER KEYSLOT answers a number")
    }

    /// CLUSTER NODES as a live node sees it.
    pub fn nodes_info(&self) -> Vec<NodeInfo> {
        let text = self
            .live_ports()
            .into_iter()
            .find_map(|port| redis_cli(port, &["CLUSTER", "NODES"]))
            .unwrap_or_default();
        text.lines().filter_map(parse_node).collect()
    }

    /// The port of the live master serving `key`'s slot.
    /// Migrates the slot of `key` to the master on `to`, the way `redis-cli --cluster reshard`
    /// does (SETSLOT IMPORTING/MIGRATING, MIGRATE key by key, SETSLOT NODE), one key at a time
    /// with `pause` between keys, so clients meet ASK and TRYAGAIN for a while.
    pub fn migrate_slot_of(&self, key: &str, to: u16, pause: Duration) {
        let slot = self.keyslot(key).to_string();
        let from = self.master_of(key);
        let id = |port: u16| self.cli_on(port, &["CLUSTER", "MYID"]);
        let (from_id, to_id) = (id(from), id(to));
        self.cli_on(to, &["CLUSTER", "SETSLOT", &slot, "IMPORTING", &from_id]);
        self.cli_on(from, &["CLUSTER", "SETSLOT", &slot, "MIGRATING", &to_id]);
        loop {
            let keys = self.cli_on(from, &["CLUSTER", "GETKEYSINSLOT", &slot, "1"]);
            let Some(key) = keys.lines().next().filter(|k| !k.is_empty()) else {
                break;
            };
            let to_port = to.to_string();
            self.cli_on(
                from,
                &[
                    "MIGRATE",
                    "127.0.0.1",
                    &to_port,
                    "",
                    "0",
                    "5000",
                    "KEYS",
                    key,
                ],
            );
            std::thread::sleep(pause);
        }
        for node in self
            .nodes_info()
            .iter()
            .filter(|n| n.is_master() && !n.failed())
        {
            self.cli_on(node.port, &["CLUSTER", "SETSLOT", &slot, "NODE", &to_id]);
        }
    }

    pub fn master_of(&self, key: &str) -> u16 {
        let slot = self.keyslot(key);
        self.nodes_info()
            .into_iter()
            .find(|n| n.is_master() && !n.failed() && n.serves(slot))
            .map(|n| n.port)
            .unwrap_or_else(|| panic!("no live master serves slot {slot}"))
    }

    /// The ports of the replicas of the master on `port`.
    pub fn replicas_of(&self, port: u16) -> Vec<u16> {
        let nodes = self.nodes_info();
        let Some(master) = nodes.iter().find(|n| n.port == port) else {
            return Vec::new();
        };
        nodes
            .iter()
            .filter(|n| n.master_id.as_deref() == Some(master.id.as_str()))
            .map(|n| n.port)
            .collect()
    }

    /// Kills (SIGKILL) the master serving `key`'s slot; returns its port.
    pub fn kill_master_of(&mut self, key: &str) -> u16 {
        let port = self.master_of(key);
        self.kill(port);
        port
    }

    /// Kills the node on `port` at once, as a crash would.
    pub fn kill(&mut self, port: u16) {
        if let Some(node) = self.nodes.iter_mut().find(|n| n.port == port)
            && let Some(mut child) = node.child.take()
        {
            child.kill().ok();
            child.wait().ok();
        }
    }

    /// Sends a signal to the node on `port`: "STOP" freezes it (a hung or far-away node:
    /// it stops reading, replication to it stalls), "CONT" lets it go on.
    pub fn signal(&self, port: u16, signal: &str) {
        let node = self.nodes.iter().find(|n| n.port == port);
        let Some(child) = node.and_then(|n| n.child.as_ref()) else {
            panic!("no live node on port {port}");
        };
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} {port}");
    }

    /// Waits until another live master serves `key`'s slot than `old` (a replica was
    /// promoted) and the live nodes agree the cluster is ok. Returns the new master's port.
    pub fn wait_failover(&self, key: &str, old: u16, within: Duration) -> u16 {
        let slot = self.keyslot(key);
        wait_for(within, || {
            let ok = self.live_ports().iter().all(|&p| {
                redis_cli(p, &["CLUSTER", "INFO"])
                    .is_some_and(|info| info.contains("cluster_state:ok"))
            });
            let new = self
                .nodes_info()
                .into_iter()
                .find(|n| n.is_master() && !n.failed() && n.serves(slot) && n.port != old)?;
            ok.then_some(new.port)
        })
        .unwrap_or_else(|| {
            panic!(
                "no replica took over slot {slot} within {within:?}:\n{}",
                self.cli(&["CLUSTER", "NODES"])
            )
        })
    }

    /// Waits until every replica of the master on `port` has received everything written
    /// to it so far (replication offsets equal), so a failover loses none of it.
    pub fn wait_replicated(&self, port: u16, within: Duration) {
        let offset = |info: &str, field: &str| -> Option<u64> {
            info.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().parse().ok())
        };
        let done = wait_for(within, || {
            let info = redis_cli(port, &["INFO", "replication"])?;
            let target = offset(&info, "master_repl_offset:")?;
            let replicas: Vec<u64> = info
                .lines()
                .filter(|l| l.starts_with("slave") && l.contains("offset="))
                .filter_map(|l| {
                    l.split(',')
                        .find_map(|kv| kv.strip_prefix("offset="))
                        .and_then(|v| v.parse().ok())
                })
                .collect();
            (!replicas.is_empty() && replicas.iter().all(|&o| o >= target)).then_some(())
        });
        assert!(
            done.is_some(),
            "the replicas of port {port} did not catch up"
        );
    }

    /// A live master's port.
    fn some_master(&self) -> u16 {
        let live = self.live_ports();
        self.nodes_info()
            .into_iter()
            .find(|n| n.is_master() && !n.failed() && live.contains(&n.port))
            .map(|n| n.port)
            .or_else(|| live.first().copied())
            .expect("a live node")
    }

    fn log_paths(&self) -> Vec<(u16, PathBuf)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                (
                    n.port,
                    self.dir.path().join(format!("node{i}")).join("redis.log"),
                )
            })
            .collect()
    }

    pub fn log(&self) -> String {
        self.log_paths()
            .into_iter()
            .map(|(port, path)| {
                format!(
                    "---- redis-server log (cluster node, port {port}) ----\n{}",
                    std::fs::read_to_string(path).unwrap_or_default()
                )
            })
            .collect()
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.log());
        }
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                child.kill().ok();
                child.wait().ok();
            }
        }
    }
}

/// Runs `redis-cli -p PORT ARGS…` against one node; its trimmed stdout, None on failure.
fn redis_cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.starts_with("Could not connect")).then_some(text)
}

fn parse_node(line: &str) -> Option<NodeInfo> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let addr = f.get(1)?.split('@').next()?;
    let port = addr.rsplit_once(':')?.1.parse().ok()?;
    let slots = f
        .iter()
        .skip(8)
        .filter(|s| !s.starts_with('['))
        .filter_map(|s| match s.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => {
                let n = s.parse().ok()?;
                Some((n, n))
            }
        })
        .collect();
    Some(NodeInfo {
        id: f.first()?.to_string(),
        port,
        flags: f.get(2)?.split(',').map(str::to_owned).collect(),
        master_id: f.get(3).filter(|m| **m != "-").map(|m| m.to_string()),
        slots,
    })
}

/// Polls `probe` every 50ms until it answers Some, or `within` passes.
fn wait_for<T>(within: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
