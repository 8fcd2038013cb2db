//! The cluster checks: its state, replicas, and where each pipeline's slots live.

use anyhow::Result;

use super::{Check, Status, check, explain};
use crate::config::Config;
use crate::store::{ClusterNode, Store};

/// In a cluster: its state and replicas, then the server checks on every reachable node,
/// each check's worst answer shown once.
pub(super) fn cluster_checks(store: &mut Store, checks: &mut Vec<Check>) -> Result<()> {
    let url = crate::store::shown_url().unwrap_or_default().to_owned();
    let nodes = store.cluster_nodes()?;
    let live: Vec<&ClusterNode> = nodes.iter().filter(|n| !n.failed).collect();
    let mut per_check: Vec<(String, Vec<(String, Check)>)> = Vec::new();
    for node in &live {
        let mut found = Vec::new();
        if let Err(err) = super::server::server_checks(store, Some(&node.addr), &mut found) {
            let (message, _) = explain(&err);
            found = vec![check("redis", Status::Fail, format!("cannot reach it: {message}"))
                .fix("restart it (a master's replica takes over its slots after cluster-node-timeout); `redis-cli --cluster check HOST:PORT` shows the cluster as the nodes see it")];
        }
        for c in found {
            match per_check.iter_mut().find(|(name, _)| *name == c.name) {
                Some((_, list)) => list.push((node.address(), c)),
                None => per_check.push((c.name.clone(), vec![(node.address(), c)])),
            }
        }
    }
    for (name, list) in per_check {
        checks.push(merge(&name, list));
    }
    if let Some(redis) = checks.iter_mut().find(|c| c.name == "redis")
        && redis.status == Status::Ok
    {
        redis.message = format!(
            "{} · Redis Cluster at {url}",
            redis.message.split(" at ").next().unwrap_or_default()
        );
    }
    checks.push(cluster_state(store, &nodes)?);
    Ok(())
}

/// One line for a check run on several nodes: the worst status, with the nodes that gave it.
fn merge(name: &str, list: Vec<(String, Check)>) -> Check {
    let total = list.len();
    let worst = list
        .iter()
        .map(|(_, c)| c.status)
        .max_by_key(|s| s.rank())
        .unwrap_or(Status::Ok);
    let mut groups: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    for (addr, c) in list.into_iter().filter(|(_, c)| c.status == worst) {
        match groups.iter_mut().find(|(m, _, _)| *m == c.message) {
            Some((_, addrs, _)) => addrs.push(addr),
            None => groups.push((c.message, vec![addr], c.fix)),
        }
    }
    let fix = groups.iter().find_map(|(_, _, f)| f.clone());
    let nodes = |addrs: &[String]| {
        if addrs.len() == total && total > 1 {
            format!("all {total} nodes")
        } else {
            addrs.join(", ")
        }
    };
    let message = if worst == Status::Ok {
        // OK everywhere: one node's words (e.g. its memory use) stand for all.
        match groups.first() {
            Some((m, addrs, _)) if addrs.len() == total => format!("{m} ({})", nodes(addrs)),
            Some((m, addrs, _)) => format!(
                "{m} ({}); OK on the {} other node(s) too",
                nodes(addrs),
                total - addrs.len()
            ),
            None => String::new(),
        }
    } else {
        groups
            .iter()
            .map(|(m, addrs, _)| format!("{}: {m}", nodes(addrs)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut c = check(name, worst, message);
    c.fix = fix;
    c
}

/// cluster_state, slot coverage, and a replica behind every master.
fn cluster_state(store: &mut Store, nodes: &[ClusterNode]) -> Result<Check> {
    let info = match store.cluster_info()? {
        Ok(info) => info,
        Err(why) => {
            return Ok(check(
                "cluster",
                Status::Warn,
                format!("cannot read CLUSTER INFO: {why}"),
            )
            .fix("check the cluster with `redis-cli --cluster check HOST:PORT`"));
        }
    };
    let state = info.get("cluster_state").map_or("unknown", String::as_str);
    let slots_ok = info.get("cluster_slots_ok").map_or("?", String::as_str);
    let masters: Vec<&ClusterNode> = nodes
        .iter()
        .filter(|n| n.master && !n.slots.is_empty())
        .collect();
    let replicas = |m: &ClusterNode| {
        nodes
            .iter()
            .filter(|r| r.master_of.as_deref() == Some(m.id.as_str()) && !r.failed)
            .count()
    };
    let summary = format!(
        "cluster_state {state}: {}, {}, {slots_ok} of 16384 slots served",
        crate::output::count_of(masters.len() as u64, "master"),
        crate::output::count_of(
            nodes
                .iter()
                .filter(|n| n.master_of.is_some() && !n.failed)
                .count() as u64,
            "replica"
        )
    );
    let unreachable: Vec<String> = nodes
        .iter()
        .filter(|n| n.failed)
        .map(ClusterNode::address)
        .collect();
    if state != "ok" || slots_ok != "16384" || masters.iter().any(|m| m.failed) {
        let what = if unreachable.is_empty() {
            summary
        } else {
            format!("{summary}; unreachable: {}", unreachable.join(", "))
        };
        return Ok(check("cluster", Status::Fail, what).fix(
            "pipectl cannot work on slots nobody serves: restart the failed masters (or wait for their replicas to take over), then `redis-cli --cluster check HOST:PORT`",
        ));
    }
    if !unreachable.is_empty() {
        // The slots are served, but a node is gone: name it, or nobody restarts it.
        return Ok(check(
            "cluster",
            Status::Warn,
            format!("{summary}; unreachable: {}", unreachable.join(", ")),
        )
        .fix("restart the unreachable nodes (a master without its replica cannot fail over); `redis-cli --cluster check HOST:PORT` shows the cluster as the nodes see it"));
    }
    let alone: Vec<String> = masters
        .iter()
        .filter(|m| !m.failed && replicas(m) == 0)
        .map(|m| m.address())
        .collect();
    if !alone.is_empty() {
        return Ok(check(
            "cluster",
            Status::Warn,
            format!(
                "{summary}; no replica behind {}: if it fails, its slots and the pipelines there stop until it returns",
                alone.join(", ")
            ),
        )
        .fix("add a replica: `redis-cli --cluster add-node NEW_HOST:PORT HOST:PORT --cluster-slave`"));
    }
    Ok(check("cluster", Status::Ok, summary))
}

/// Where each pipeline's keys live: the hash slot and the master serving it; FAIL with the
/// fix when one atomic step's keys would cross slots.
pub(super) fn slot_check(store: &mut Store, config: &Config) -> Result<Check> {
    if let Err(fail) = crate::config::check_cluster_slots(config) {
        return Ok(slot_fail(fail));
    }
    let nodes = store.cluster_nodes()?;
    // Each stage's keys share one slot (checked above); group the stages by slot.
    let mut slots: Vec<(u16, Vec<&str>)> = Vec::new();
    for stage in &config.stages {
        let Some(key) = stage.input.as_ref().or(stage.output.as_ref()) else {
            continue;
        };
        let slot = crate::keys::hash_slot(key);
        match slots.iter_mut().find(|(s, _)| *s == slot) {
            Some((_, names)) => names.push(&stage.name),
            None => slots.push((slot, vec![&stage.name])),
        }
    }
    let mut parts = Vec::new();
    let mut unserved = Vec::new();
    for (slot, stages) in &slots {
        let master = nodes.iter().find(|n| n.master && n.serves(*slot));
        let owner = match master {
            Some(m) if m.failed => {
                unserved.push(*slot);
                format!("master {}, which is unreachable", m.address())
            }
            Some(m) => {
                let replicas: Vec<String> = nodes
                    .iter()
                    .filter(|r| r.master_of.as_deref() == Some(m.id.as_str()) && !r.failed)
                    .map(ClusterNode::address)
                    .collect();
                if replicas.is_empty() {
                    format!("master {}", m.address())
                } else {
                    format!("master {} (replica {})", m.address(), replicas.join(", "))
                }
            }
            None => {
                unserved.push(*slot);
                "no master".to_owned()
            }
        };
        let whose = if slots.len() == 1 {
            format!("pipeline {}", config.name)
        } else {
            format!("stages {}", stages.join(", "))
        };
        parts.push(format!("{whose}: hash slot {slot} on {owner}"));
    }
    if !unserved.is_empty() {
        return Ok(check("slots", Status::Fail, parts.join("; "))
            .fix("the cluster has lost these slots: restart their master or promote a replica (`redis-cli -p REPLICA_PORT CLUSTER FAILOVER TAKEOVER`)"));
    }
    Ok(check("slots", Status::Ok, parts.join("; ")))
}

pub(super) fn slot_fail(fail: crate::error::Fail) -> Check {
    let mut c = check("slots", Status::Fail, fail.message);
    c.fix = fail.hint;
    c
}
