//! TLS against real servers: rediss:// with a test CA made by openssl, certificates refused
//! by default, mutual TLS, and a password over TLS.

use std::process::Output;

use crate::support::pki::Pki;
use crate::support::*;

fn tls_url(port: u16) -> String {
    format!("rediss://127.0.0.1:{port}")
}

#[test]
fn rediss_works_with_the_ca_and_refuses_untrusted_certificates() {
    let pki = Pki::new();
    let (r, port) = pki.server("server", false, &[]);
    let url = tls_url(port);
    let ca = pki.arg("ca.crt");

    // With the CA: the whole item lifecycle over TLS, a stage run included.
    Pipeline::new("p")
        .stage("build", |s| {
            s.input("p:queue").output("p:done").exec(&["cat"])
        })
        .write(r.dir.path());
    let tls = |args: &[&str]| -> Output {
        r.pipectl()
            .args(["--url", &url, "--tls-ca", &ca])
            .args(args)
            .output()
            .unwrap()
    };
    assert_code(&tls(&["enqueue", "p:queue", "a", "b", "c"]), 0);
    assert_code(&tls(&["run", "build", "--max", "2"]), 0);
    let out = tls(&["pop", "p:queue"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "c\n");
    assert_eq!(r.llen("p:done"), 2, "written over TLS, read over plain TCP");
    // The CA from the environment, as redis-cli takes it; `localhost` matches too.
    for (var, host) in [
        ("PIPECTL_TLS_CA", "127.0.0.1"),
        ("REDISCLI_CACERT", "localhost"),
    ] {
        let out = r
            .pipectl()
            .env(var, &ca)
            .args(["--url", &format!("rediss://{host}:{port}"), "len", "p:done"])
            .output()
            .unwrap();
        assert_code(&out, 0);
        assert_eq!(stdout(&out), "2\n");
    }

    // Refused by default: no CA given (the system roots do not know the test CA), another
    // CA, a certificate for another name, and a URL asking to skip verification.
    let other = pki.arg("other-ca.crt");
    for (args, needle) in [
        (vec!["--url", &url, "len", "q"], "UnknownIssuer"),
        (
            vec!["--url", &url, "--tls-ca", &other, "len", "q"],
            "UnknownIssuer",
        ),
    ] {
        let out = r.pipectl().args(&args).output().unwrap();
        assert_code(&out, 77);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refused the TLS certificate of {url}"))
                && err.contains(needle)
                && err.contains("--tls-ca"),
            "{err}"
        );
    }
    let (elsewhere, port2) = pki.server("elsewhere", false, &[]);
    let out = elsewhere
        .pipectl()
        .args(["--url", &tls_url(port2), "--tls-ca", &ca, "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(
        stderr(&out).contains("not valid for name"),
        "{}",
        stderr(&out)
    );
    let out = r
        .pipectl()
        .args(["--url", &format!("{url}/#insecure"), "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("always verifies"), "{}", stderr(&out));
    // A CA file that cannot be read is a configuration error.
    let out = r
        .pipectl()
        .args(["--url", &url, "--tls-ca", "/nonexistent/ca.pem", "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 78);
    // A TLS option with a plain URL changes nothing: no certificate is read.
    let out = r
        .pipectl()
        .args(["--tls-ca", "/nonexistent/ca.pem", "len", "p:done"])
        .output()
        .unwrap();
    assert_code(&out, 0);
}

#[test]
fn mutual_tls_and_a_password_over_tls() {
    let pki = Pki::new();
    let (r, port) = pki.server("server", true, &["--requirepass", "tls-pw-3141"]);
    let url = format!("rediss://:tls-pw-3141@127.0.0.1:{port}");
    let ca = pki.arg("ca.crt");
    let out = r
        .pipectl()
        .args(["--url", &url, "--tls-ca", &ca, "len", "q"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    let err = stderr(&out);
    assert!(
        err.contains("refused the TLS handshake") && err.contains("--tls-cert"),
        "{err}"
    );
    assert!(!err.contains("tls-pw-3141"), "{err}");
    let out = r
        .pipectl()
        .args(["--url", &url, "--tls-ca", &ca])
        .arg("--tls-cert")
        .arg(pki.path("client.crt"))
        .arg("--tls-key")
        .arg(pki.path("client.key"))
        .args(["enqueue", "q", "over-mtls"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(r.cli(&["RPOP", "q"]), "over-mtls");
}

#[test]
fn a_tls_redis_cluster_works_end_to_end() {
    let pki = Pki::new();
    let c = crate::support::cluster::RedisCluster::start_tls(&pki);
    Pipeline::new("{p}")
        .stage("build", |s| {
            s.input("{p}:queue").output("{p}:staged").exec(&["cat"])
        })
        .stage("review", |s| s.input("{p}:staged").output("{p}:ready"))
        .write(c.dir.path());
    let run = |args: &[&str]| {
        c.pipectl()
            .env("REDIS_URL", c.tls_url())
            .env("PIPECTL_TLS_CA", pki.arg("ca.crt"))
            .args(args)
            .output()
            .unwrap()
    };
    let items: Vec<String> = (0..50).map(|i| format!("{{\"url\":\"u{i}\"}}")).collect();
    let mut enqueue = vec!["enqueue", "{p}:queue", "--dedup-by", "url"];
    enqueue.extend(items.iter().map(String::as_str));
    assert_code(&run(&enqueue), 0);
    let out = run(&["--json", "run", "build", "--drain", "-j", "4"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["succeeded"], 50);
    let out = run(&["approve", "--all", "--by", "ann"]);
    assert_code(&out, 0);
    assert_eq!(c.cli(&["LLEN", "{p}:ready"]), "50");
    assert_eq!(c.cli(&["XLEN", "{p}:audit"]), "50");
    let out = run(&["--json", "status"]);
    assert_code(&out, 0);
    assert_schema("status", &stdout(&out));
    // Without the CA the certificate is refused, named (exit 77), nothing changed.
    let out = c
        .pipectl()
        .env("REDIS_URL", c.tls_url())
        .args(["enqueue", "{p}:queue", "x"])
        .output()
        .unwrap();
    assert_code(&out, 77);
    assert!(stderr(&out).contains("certificate"), "{}", stderr(&out));
    assert_eq!(c.cli(&["LLEN", "{p}:queue"]), "0");
}
