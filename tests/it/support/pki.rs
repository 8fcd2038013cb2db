//! A throwaway PKI made by openssl for the TLS tests (single servers and a TLS cluster).

use std::path::PathBuf;
use std::process::Command;

use super::{RedisServer, free_port, stderr, write_file};

/// A throwaway PKI: a CA, server certificates (one for 127.0.0.1/localhost, one for another
/// name), a client certificate, and an unrelated CA.
pub struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn arg(&self, name: &str) -> String {
        self.path(name).to_str().unwrap().to_owned()
    }

    pub fn new() -> Pki {
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
    pub fn server(&self, cert: &str, auth_clients: bool, extra: &[&str]) -> (RedisServer, u16) {
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
