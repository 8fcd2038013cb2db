//! A real Redis Sentinel setup per test: a master, a replica and three sentinels (quorum 2,
//! a master judged down after 1s), each a process on a free port in the test's temp dir,
//! killed on drop.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::pki::Pki;
use super::{RedisServer, free_port, pipectl_in};

pub const MASTER_NAME: &str = "mymaster";

pub struct Sentinels {
    pub master: RedisServer,
    pub replica: RedisServer,
    pub ports: Vec<u16>,
    /// TLS everywhere (`start_tls`): redis-cli's TLS arguments, and the CA pipectl trusts.
    tls: Option<(Vec<String>, String)>,
    children: Vec<Child>,
    dir: tempfile::TempDir,
}

/// `redis-cli -p PORT ARGS…`: its trimmed stdout, None when it failed.
fn cli(port: u16, tls: &[String], args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(tls)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.starts_with("Could not connect")).then_some(text)
}

fn wait(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

impl Sentinels {
    pub fn start() -> Sentinels {
        let master = RedisServer::start();
        let port = master.port;
        let replica = RedisServer::start_with(&["--replicaof", "127.0.0.1", &port.to_string()]);
        Self::watch(master, replica, port, None)
    }

    /// The same with TLS only: the master and the replica on TLS ports (replication over
    /// TLS too), the sentinels answering only TLS and talking TLS to the servers.
    pub fn start_tls(pki: &Pki) -> Sentinels {
        let tls_repl = ["--tls-replication", "yes"];
        let (master, master_tls) = pki.server("server", false, &tls_repl);
        let mtls = master_tls.to_string();
        let (replica, _) = pki.server(
            "server",
            false,
            &[
                "--tls-replication",
                "yes",
                "--replicaof",
                "127.0.0.1",
                &mtls,
            ],
        );
        let cli_args = vec!["--tls".to_owned(), "--cacert".to_owned(), pki.arg("ca.crt")];
        let conf = format!(
            "tls-cert-file {}\ntls-key-file {}\ntls-ca-cert-file {}\ntls-auth-clients no\ntls-replication yes\n",
            pki.arg("server.crt"),
            pki.arg("server.key"),
            pki.arg("ca.crt"),
        );
        Self::watch(
            master,
            replica,
            master_tls,
            Some((cli_args, conf, pki.arg("ca.crt"))),
        )
    }

    /// Starts three sentinels watching `master` (on `master_port`, its TLS port with TLS).
    fn watch(
        master: RedisServer,
        replica: RedisServer,
        master_port: u16,
        tls: Option<(Vec<String>, String, String)>,
    ) -> Sentinels {
        let port = master_port.to_string();
        let tls_cli: Vec<String> = tls.as_ref().map(|t| t.0.clone()).unwrap_or_default();
        assert!(
            wait(Duration::from_secs(10), || cli(
                replica.port,
                &[],
                &["INFO", "replication"]
            )
            .is_some_and(|i| i.contains("master_link_status:up"))),
            "the replica did not sync"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let mut children = Vec::new();
        let mut ports = Vec::new();
        for i in 0..3 {
            let sport = free_port();
            let conf = dir.path().join(format!("sentinel{i}.conf"));
            let listen = match &tls {
                Some((_, tls_conf, _)) => format!("port 0\ntls-port {sport}\n{tls_conf}"),
                None => format!("port {sport}\n"),
            };
            std::fs::write(
                &conf,
                format!(
                    "{listen}bind 127.0.0.1\ndir {}\nlogfile {}\n\
                     sentinel monitor {MASTER_NAME} 127.0.0.1 {port} 2\n\
                     sentinel down-after-milliseconds {MASTER_NAME} 1000\n\
                     sentinel failover-timeout {MASTER_NAME} 3000\n\
                     sentinel parallel-syncs {MASTER_NAME} 1\n",
                    dir.path().display(),
                    dir.path().join(format!("sentinel{i}.log")).display(),
                ),
            )
            .expect("sentinel.conf");
            let child = Command::new("redis-server")
                .arg(&conf)
                .arg("--sentinel")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server must be installed (scripts/test installs it)");
            children.push(child);
            ports.push(sport);
        }
        let s = Sentinels {
            master,
            replica,
            ports,
            tls: tls.map(|(cli, _, ca)| (cli, ca)),
            children,
            dir,
        };
        // Each sentinel knows the other two and the replica before a test relies on them.
        assert!(
            wait(Duration::from_secs(20), || s.ports.iter().all(|&p| {
                cli(p, &tls_cli, &["SENTINEL", "MASTER", MASTER_NAME]).is_some_and(|m| {
                    let lines: Vec<&str> = m.lines().collect();
                    let field = |name: &str| {
                        lines
                            .iter()
                            .position(|l| *l == name)
                            .and_then(|i| lines.get(i + 1))
                            .copied()
                    };
                    field("num-other-sentinels") == Some("2") && field("num-slaves") == Some("1")
                })
            })),
            "the sentinels did not find each other:\n{}",
            s.log()
        );
        s
    }

    /// `redis+sentinel://` naming all three sentinels.
    pub fn url(&self) -> String {
        let hosts: Vec<String> = self
            .ports
            .iter()
            .map(|p| format!("127.0.0.1:{p}"))
            .collect();
        let scheme = if self.tls.is_some() {
            "rediss"
        } else {
            "redis"
        };
        format!("{scheme}+sentinel://{}/{MASTER_NAME}", hosts.join(","))
    }

    /// The master's port as the sentinels name it now.
    pub fn master_port(&self) -> Option<u16> {
        self.ports.iter().find_map(|&p| {
            cli(
                p,
                self.tls_cli(),
                &["SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME],
            )
            .and_then(|a| a.lines().nth(1).and_then(|p| p.trim().parse().ok()))
        })
    }

    /// A `pipectl` command pointed at the sentinels, in an isolated environment.
    pub fn pipectl(&self) -> Command {
        let mut cmd = pipectl_in(self.dir.path());
        cmd.env("REDIS_URL", self.url());
        if let Some((_, ca)) = &self.tls {
            cmd.env("PIPECTL_TLS_CA", ca);
        }
        cmd
    }

    fn tls_cli(&self) -> &[String] {
        self.tls
            .as_ref()
            .map(|t| t.0.as_slice())
            .unwrap_or_default()
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn log(&self) -> String {
        (0..3)
            .map(|i| {
                std::fs::read_to_string(self.dir.path().join(format!("sentinel{i}.log")))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("\n----\n")
    }
}

impl Drop for Sentinels {
    fn drop(&mut self) {
        for child in &mut self.children {
            child.kill().ok();
            child.wait().ok();
        }
        if std::thread::panicking() {
            eprintln!("---- sentinel logs ----\n{}", self.log());
        }
    }
}
