//! pipectl's integration tests, in one binary: each module tests one area against real
//! `redis-server` processes (tests/it/support starts them) and the real binary.

mod support;

mod acl;
mod audit;
mod chaos;
mod cluster;
mod completions;
mod dead;
mod delayed;
mod deploy;
mod desk;
mod enqueue_partial;
mod errors;
mod escalate;
mod faults;
mod generated;
mod help;
mod hostile;
mod hostile_configs;
mod hostile_handlers;
mod house;
mod http;
mod layout;
mod lossless;
mod mcp;
mod mcp_clients;
mod metrics;
mod netfaults;
mod operator;
mod properties;
mod queue;
mod refusals;
mod review;
mod run;
mod schemas;
mod scripts;
mod security;
mod security_tls;
mod sentinel;
mod serve;
mod supervision;
mod surgery;
mod typed_ops;
mod typed_queue;
mod typed_review;
