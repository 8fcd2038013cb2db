//! One decision about staged items (approve or reject, by a person or a policy) and the
//! script calls that carry it out, each move with its audit record.

use anyhow::Result;

use super::Manual;
use crate::audit::{Actor, Entry};
use crate::store::Store;
use crate::store::review::{Ask, Decider, Expect, Move, Moved};

/// Approve or reject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Approve,
    Reject,
}

/// What `approve` / `reject` / `review` (and a policy) do with each selected item.
pub struct Decision<'a> {
    pub kind: Kind,
    /// Where the decided items go: the stage's output (approve; an escalated item goes to
    /// its escalating stage's output instead) or the rejected list.
    pub to: &'a str,
    /// The reason stored in a rejection envelope.
    pub reason: Option<&'a str>,
    pub actor: &'a Actor,
    /// Decide items claimed by someone else too (`--force`).
    pub force: bool,
    /// A policy decides (auto-approve, max_wait): items sampled for a person stay.
    pub policy: bool,
    /// The audit action (`approve`, `reject`, `auto_approve`, `timeout_reject`, ...) and any
    /// fields of its own (`policy`).
    pub action: &'a str,
    pub extra: Vec<(&'static str, String)>,
}

impl<'a> Decision<'a> {
    pub fn new(kind: Kind, to: &'a str, actor: &'a Actor) -> Decision<'a> {
        Decision {
            kind,
            to,
            reason: None,
            actor,
            force: false,
            policy: false,
            action: match kind {
                Kind::Approve => "approve",
                Kind::Reject => "reject",
            },
            extra: Vec::new(),
        }
    }

    /// Where the decided items go by default.
    pub fn to(&self) -> &str {
        self.to
    }

    /// What lands in the destination list for `item`.
    fn payload(&self, item: &[u8], stage: &str) -> Vec<u8> {
        match self.kind {
            Kind::Approve => item.to_vec(),
            Kind::Reject => crate::envelope::Rejection {
                item,
                stage,
                reason: self.reason,
            }
            .to_bytes(),
        }
    }

    /// The audit record's shared fields for moves to `to`.
    fn entry(&self, stage: &str, to: &str) -> Entry {
        let mut entry = Entry::new(self.action, stage, self.actor).with("to", to);
        if let Some(reason) = self.reason {
            entry = entry.with("reason", reason);
        }
        for (field, value) in &self.extra {
            entry = entry.with(field, value.clone());
        }
        entry
    }
}

/// Moves one staged item, seen at position `pos`, atomically, with its audit record.
pub fn decide_one(
    store: &mut Store,
    manual: &Manual,
    item: &[u8],
    pos: usize,
    decision: &Decision<'_>,
) -> Result<Moved> {
    let moved = move_batch(store, manual, &[(pos, item)], decision)?;
    Ok(moved.into_iter().next().unwrap_or(Moved::Gone))
}

/// Moves items in script calls, one per destination: an escalated item, approved, goes on
/// to its escalating stage's output; every other one to the decision's destination.
pub(super) fn move_batch(
    store: &mut Store,
    manual: &Manual,
    selected: &[(usize, &[u8])],
    decision: &Decision<'_>,
) -> Result<Vec<Moved>> {
    let items: Vec<&[u8]> = selected.iter().map(|(_, item)| *item).collect();
    let asks = match decision.kind {
        Kind::Approve if !manual.routes.is_empty() => store.staged_asks(&manual.keys, &items)?,
        _ => Vec::new(),
    };
    let destination = |i: usize| -> &str {
        asks.get(i)
            .and_then(Option::as_deref)
            .and_then(Ask::parse)
            .and_then(|ask| manual.route(&ask.stage))
            .and_then(|route| route.output.as_deref())
            .unwrap_or(decision.to)
    };
    let payloads: Vec<Vec<u8>> = items
        .iter()
        .map(|item| decision.payload(item, &manual.stage))
        .collect();
    let mut results: Vec<Option<Moved>> = vec![None; selected.len()];
    let mut targets: Vec<&str> = (0..selected.len()).map(destination).collect();
    targets.dedup();
    let mut seen: Vec<&str> = Vec::new();
    for to in targets {
        if seen.contains(&to) {
            continue;
        }
        seen.push(to);
        let group: Vec<usize> = (0..selected.len())
            .filter(|&i| destination(i) == to)
            .collect();
        let moves: Vec<Move<'_>> = group
            .iter()
            .map(|&i| Move {
                item: items[i],
                payload: &payloads[i],
                pos: selected[i].0,
                expect_ask: match decision.kind {
                    Kind::Reject => Expect::Any,
                    Kind::Approve if manual.routes.is_empty() => Expect::Any,
                    Kind::Approve => Expect::Exactly(asks.get(i).and_then(Option::as_deref)),
                },
            })
            .collect();
        let entry = decision.entry(&manual.stage, to);
        let who = Decider {
            audit: &manual.audit,
            entry: &entry,
            by: &decision.actor.by,
            force: decision.force,
            policy: decision.policy,
            sample_entry: None,
        };
        let moved = store.move_staged(&manual.keys, to, &who, &moves)?;
        for (&i, result) in group.iter().zip(moved) {
            results[i] = Some(result);
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or(Moved::Gone))
        .collect())
}

/// A policy's decisions about items that have no question (so all go to `decision.to`): each
/// approved, or — where `samples` says so — left for a person as the policy's audit sample,
/// both in the same script call, so racing runs decide each item once.
pub(super) fn policy_batch(
    store: &mut Store,
    manual: &Manual,
    selected: &[(usize, &[u8], bool)],
    decision: &Decision<'_>,
    sample_entry: &Entry,
) -> Result<Vec<Moved>> {
    let payloads: Vec<Vec<u8>> = selected
        .iter()
        .map(|(_, item, _)| decision.payload(item, &manual.stage))
        .collect();
    let moves: Vec<Move<'_>> = selected
        .iter()
        .zip(&payloads)
        .map(|(&(pos, item, sample), payload)| Move {
            item,
            payload,
            pos,
            expect_ask: if sample {
                Expect::Sample
            } else {
                Expect::Exactly(None)
            },
        })
        .collect();
    let entry = decision.entry(&manual.stage, decision.to);
    let who = Decider {
        audit: &manual.audit,
        entry: &entry,
        by: &decision.actor.by,
        force: decision.force,
        policy: true,
        sample_entry: Some(sample_entry),
    };
    store.move_staged(&manual.keys, decision.to, &who, &moves)
}
