//! TLS against real servers: rediss:// with a test CA made by openssl, certificates refused
//! by default, mutual TLS, and a password over TLS.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::support::*;

/// A throwaway PKI: a CA, server certificates (one for 127.0.0.1/localhost, one for another
/// name), a client certificate, and an unrelated CA.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_owned()
    }

    fn new() -> Pki {
        let pki = Pki {
            dir: tempfile::tempdir().unwrap(),
        };
        let key = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (ca, cn) in [("ca", "pipectl test CA"), ("other-ca", "someone else")] {
            pki.openssl(&[
                &["req", "-x509", "-days", "2", "-subj", &format!("/CN={cn}")],
                &key[..],
                &[
                    "-keyout",
                    &format!("{ca}.key"),
                    "-out",
                    &format!("{ca}.crt"),
                ],
            ]);
        }
        for (name, ext) in [
            ("server", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            ("elsewhere", "subjectAltName=DNS:elsewhere.example"),
            ("client", "extendedKeyUsage=clientAuth"),
        ] {
            write_file(pki.dir.path(), &format!("{name}.ext"), &format!("{ext}\n"));
            pki.openssl(&[
                &["req", "-subj", &format!("/CN={name}")],
                &key[..],
                &[
                    "-keyout",
                    &format!("{name}.key"),
                    "-out",
                    &format!("{name}.csr"),
                ],
            ]);
            pki.openssl(&[&[
                "x509",
                "-req",
                "-days",
                "2",
                "-in",
                &format!("{name}.csr"),
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-extfile",
                &format!("{name}.ext"),
                "-out",
                &format!("{name}.crt"),
            ]]);
        }
        pki
    }

    fn openssl(&self, parts: &[&[&str]]) {
        let out = Command::new("openssl")
            .args(parts.concat())
            .current_dir(self.dir.path())
            .output()
            .expect("openssl must be installed (scripts/test installs it)");
        assert!(out.status.success(), "openssl: {}", stderr(&out));
    }

    /// A redis-server with a TLS port using `cert`; returns it and the TLS port.
    fn server(&self, cert: &str, auth_clients: bool, extra: &[&str]) -> (RedisServer, u16) {
        let tls_port = free_port().to_string();
        let (crt, key, ca) = (
            self.arg(&format!("{cert}.crt")),
            self.arg(&format!("{cert}.key")),
            self.arg("ca.crt"),
        );
        let mut args = vec![
            "--tls-port",
            &tls_port,
            "--tls-cert-file",
            &crt,
            "--tls-key-file",
            &key,
            "--tls-ca-cert-file",
            &ca,
            "--tls-auth-clients",
            if auth_clients { "yes" } else { "no" },
        ];
        args.extend_from_slice(extra);
        let r = RedisServer::start_with(&args);
        (r, tls_port.parse().unwrap())
    }
}

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
