//! What every command gets: output, the (lazily loaded) config, and a way to reach Redis.

use std::path::PathBuf;

use anyhow::Result;

use crate::config::Config;
use crate::global::GlobalArgs;
use crate::output::Output;
use crate::store::{ConnectOptions, Store};

pub struct Ctx {
    pub out: Output,
    pub global: GlobalArgs,
    /// pipectl's whole command line, for `generate` (given by the crate root, which knows
    /// the command line; commands do not reach up to it).
    pub command_tree: fn() -> clap::Command,
    config: Option<Config>,
}

impl Ctx {
    pub fn new(global: GlobalArgs, command_tree: fn() -> clap::Command) -> Ctx {
        let out = Output::new(global.json, global.quiet, global.verbose, global.color);
        Ctx {
            out,
            global,
            command_tree,
            config: None,
        }
    }

    /// The effective config, loaded on first use so commands that need none never fail on it.
    pub fn config(&mut self) -> Result<&Config> {
        if self.config.is_none() {
            let config = self.load_config()?;
            if self.global.cluster {
                crate::config::check_cluster_slots(&config)?;
            }
            if let crate::config::Source::File(path) = &config.source {
                self.out.debug(format_args!("config: {}", path.display()));
            }
            self.config = Some(config);
        }
        match &self.config {
            Some(config) => Ok(config),
            None => Err(anyhow::anyhow!("the config was not loaded")),
        }
    }

    /// The config as the file (or the built-in default) says, its hash slots unchecked:
    /// for `doctor`, which reports a cross-slot layout as a check of its own.
    pub fn load_config(&self) -> Result<Config, crate::error::Fail> {
        crate::config::load(
            self.global.config.as_deref(),
            self.global.pipeline.as_deref(),
            self.global.cluster,
        )
    }

    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            url: match &self.global.sentinel_master {
                Some(master) if !self.global.sentinel.is_empty() => {
                    crate::store::sentinel::url_from_flags(
                        &self.global.sentinel,
                        master,
                        &self.global.url,
                    )
                }
                _ => self.global.url.clone(),
            },
            password_from_env: std::env::var("REDISCLI_AUTH")
                .ok()
                .filter(|p| !p.is_empty()),
            connect_timeout: self.global.connect_timeout,
            response_timeout: self.global.timeout,
            failover_timeout: self.global.failover_timeout.unwrap_or(self.global.timeout),
            cluster: self.global.cluster,
            tls: crate::store::TlsFiles {
                ca: self.global.tls_ca.clone().or_else(|| {
                    std::env::var_os("REDISCLI_CACERT")
                        .filter(|v| !v.is_empty())
                        .map(PathBuf::from)
                }),
                cert: self.global.tls_cert.clone(),
                key: self.global.tls_key.clone(),
            },
        }
    }

    pub fn store(&mut self) -> Result<Store> {
        let opts = self.connect_options();
        self.out.debug(format_args!(
            "connecting to {}",
            crate::store::redact_url(&opts.url)
        ));
        Store::connect(&opts)
    }

    pub fn config_path(&self) -> Option<PathBuf> {
        self.global.config.clone()
    }
}
