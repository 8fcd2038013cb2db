//! `pipectl run <manual stage>`: the stage's own rules applied to what is staged, each
//! decision one atomic move with its audit record — the auto-approve policy (with a random
//! share left for a person as its audit sample) and the waiting limit (`max_wait`,
//! `on_timeout`). Items pipectl has no arrival for (pushed by hand) get one now.

use std::time::Duration;

use anyhow::Result;

use super::Manual;
use super::decide::{Decision, Kind, move_batch, policy_batch};
use super::select::matches_all;
use crate::audit::{Actor, Entry};
use crate::config::OnTimeout;
use crate::error::Fail;
use crate::exit::Exit;
use crate::output::{Output, Report, count_of};
use crate::store::Store;
use crate::store::review::Moved;

/// Items read per round trip: memory stays flat however long the staging list.
const PAGE: usize = 500;

/// `pipectl run <manual stage>`: what the stage's rules did.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Applied {
    /// The manual stage.
    pub stage: String,
    /// Its staging list.
    pub queue: String,
    /// The auto-approve policy as text (`where score>=0.8; sample 0.1`); null without one.
    pub policy: Option<String>,
    /// `max_wait` in ms; null without one.
    pub max_wait_ms: Option<u64>,
    /// `flag`, `reject` or `approve`: what happens to an item past max_wait.
    pub on_timeout: String,
    /// Staged items looked at.
    pub looked_at: u64,
    /// Approved by the policy (audit `by`: `policy:<stage>`).
    pub auto_approved: u64,
    /// Matching items left for a person as the policy's audit sample, newly marked.
    pub sampled: u64,
    /// Items left for a person: not matching, escalated with a question, claimed, sampled.
    pub left: u64,
    /// Items past max_wait, newly flagged (doctor warns, status shows them).
    pub timed_out_flagged: u64,
    /// Items past max_wait rejected (on_timeout = "reject").
    pub timed_out_rejected: u64,
    /// Items past max_wait approved (on_timeout = "approve").
    pub timed_out_approved: u64,
    /// Items that had no arrival time (pushed by hand): their wait starts now.
    pub arrivals_recorded: u64,
    /// Items another reviewer or run moved first.
    pub taken: u64,
    /// The stage is paused: nothing was decided.
    pub paused: bool,
    /// Why it is paused; null when not.
    pub paused_reason: Option<String>,
    /// `--dry-run`: the counts say what would have been done; nothing changed (the sample
    /// is drawn at random, so a real run's split differs a little).
    pub dry_run: bool,
}

impl Applied {
    pub fn exit(&self) -> Exit {
        if self.paused {
            Exit::Paused
        } else if self.looked_at == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }
}

impl Report for Applied {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if self.paused {
            return out.line(format_args!(
                "stage '{}' is paused ({}): nothing decided",
                self.stage,
                self.paused_reason.as_deref().unwrap_or("no reason given")
            ));
        }
        if self.looked_at == 0 {
            return out.line(format_args!("nothing staged in {}", self.queue));
        }
        if out.quiet {
            return Ok(());
        }
        let mut parts = vec![format!("looked at {}", count_of(self.looked_at, "item"))];
        if self.policy.is_some() {
            parts.push(format!(
                "{} auto-approved, {} sampled for a person",
                self.auto_approved, self.sampled
            ));
        }
        let timed_out = self.timed_out_flagged + self.timed_out_rejected + self.timed_out_approved;
        if timed_out > 0 {
            parts.push(format!(
                "{timed_out} past max_wait ({} flagged, {} rejected, {} approved)",
                self.timed_out_flagged, self.timed_out_rejected, self.timed_out_approved
            ));
        }
        parts.push(format!("{} left for review", self.left));
        if self.taken > 0 {
            parts.push(format!("{} taken by someone else", self.taken));
        }
        out.line(format_args!("{}: {}", self.stage, parts.join(", ")))?;
        if self.arrivals_recorded > 0 {
            out.note(format_args!(
                "{} had no arrival time (pushed by hand): their wait counts from now",
                count_of(self.arrivals_recorded, "item")
            ));
        }
        Ok(())
    }
}

/// `pipectl run <manual stage>`: applies its rules and prints what they did.
pub fn run(
    ctx: &mut crate::context::Ctx,
    name: &str,
    max: Option<u64>,
    dry_run: bool,
) -> Result<Exit> {
    let manual = super::manual_stage(
        ctx,
        &super::StageArg {
            stage: Some(name.to_owned()),
        },
    )?;
    check(&manual)?;
    let pause_key = crate::keys::paused(&ctx.config()?.name, &manual.stage);
    let mut store = ctx.store()?;
    let paused = store.paused(&pause_key)?;
    let applied = execute(
        &mut store,
        &manual,
        paused,
        max.unwrap_or(u64::MAX),
        dry_run,
    )?;
    ctx.out.print(&applied)?;
    Ok(applied.exit())
}

/// Refuses a manual stage without rules: there is nothing for `run` to do (exit 2).
pub fn check(manual: &Manual) -> Result<(), Fail> {
    if manual.rules.auto_approve.is_none() && manual.rules.max_wait.is_none() {
        return Err(Fail::usage(format!(
            "stage '{}' is a manual stage without rules: it has no handler to run",
            manual.stage
        ))
        .hint(format!(
            "review its items with `pipectl review`, or `pipectl approve` / `pipectl reject`; \
             or give [stages.{}] an auto_approve policy or a max_wait for `run` to apply",
            manual.stage
        )));
    }
    Ok(())
}

/// A random number in [0, 1).
fn chance() -> Result<f64> {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("cannot read random bytes: {e}"))?;
    Ok((u64::from_le_bytes(buf) >> 11) as f64 / (1u64 << 53) as f64)
}

/// What one page's items get.
#[derive(Default)]
struct Plan<'p> {
    /// Items the policy decides: (position, item, sampled for a person instead).
    decide: Vec<(usize, &'p [u8], bool)>,
    flag: Vec<(&'p [u8], u64)>,
    timeout: Vec<(usize, &'p [u8])>,
    stay: u64,
}

/// Applies the stage's rules to at most `budget` staged items (those staged when it began).
pub fn execute(
    store: &mut Store,
    manual: &Manual,
    paused: Option<String>,
    budget: u64,
    dry_run: bool,
) -> Result<Applied> {
    let rules = &manual.rules;
    let policy_text = rules.auto_approve.as_ref().map(|p| p.text());
    let mut applied = Applied {
        stage: manual.stage.clone(),
        queue: manual.staged.clone(),
        policy: policy_text.clone(),
        max_wait_ms: rules.max_wait.map(|d| d.as_millis() as u64),
        on_timeout: rules.on_timeout.as_str().to_owned(),
        paused: paused.is_some(),
        paused_reason: paused,
        dry_run,
        ..Applied::default()
    };
    if applied.paused {
        return Ok(applied);
    }
    let robot = Actor::named(format!("policy:{}", manual.stage));
    let total = store.lens(std::slice::from_ref(&manual.staged))?[0].min(budget);
    let (mut offset, mut examined) = (0usize, 0u64);
    while examined < total {
        let want = PAGE.min((total - examined) as usize);
        let page = store.page(&manual.staged, offset, want)?;
        if page.is_empty() {
            break;
        }
        examined += page.len() as u64;
        applied.looked_at += page.len() as u64;
        let refs: Vec<&[u8]> = page.iter().map(Vec::as_slice).collect();
        let (meta, now) = store.staged_meta(&manual.keys, &refs)?;
        let unknown: Vec<&[u8]> = refs
            .iter()
            .zip(&meta)
            .filter(|(_, m)| m.since_ms.is_none())
            .map(|(item, _)| *item)
            .collect();
        if !unknown.is_empty() {
            if !dry_run {
                store.mark_arrived(&manual.keys, &unknown)?;
            }
            applied.arrivals_recorded += unknown.len() as u64;
        }
        let mut plan = Plan::default();
        for (i, (item, m)) in refs.iter().zip(&meta).enumerate() {
            let pos = offset + i + 1;
            let since = m.since_ms.unwrap_or(now);
            let overdue = rules
                .max_wait
                .is_some_and(|max| Duration::from_millis(now.saturating_sub(since)) > max);
            let free = m.ask.is_none() && m.claim.is_none();
            if overdue && free {
                match rules.on_timeout {
                    OnTimeout::Flag => {
                        plan.flag.push((item, since));
                        plan.stay += 1;
                    }
                    OnTimeout::Reject | OnTimeout::Approve => plan.timeout.push((pos, item)),
                }
                continue;
            }
            if overdue {
                // Claimed or escalated: a person has it; still on record as overdue.
                plan.flag.push((item, since));
            }
            match &rules.auto_approve {
                Some(p) if free && !m.sampled && !overdue && matches_all(item, &p.filters) => {
                    plan.decide.push((pos, item, chance()? < p.sample));
                }
                _ => {
                    plan.stay += 1;
                    applied.left += 1;
                }
            }
        }
        if dry_run {
            let sampled = plan.decide.iter().filter(|d| d.2).count() as u64;
            applied.auto_approved += plan.decide.len() as u64 - sampled;
            applied.sampled += sampled;
            applied.left += sampled;
            applied.timed_out_flagged += plan.flag.len() as u64;
            match rules.on_timeout {
                OnTimeout::Approve => applied.timed_out_approved += plan.timeout.len() as u64,
                _ => applied.timed_out_rejected += plan.timeout.len() as u64,
            }
            offset += page.len();
            continue;
        }
        let stay = carry_out(
            store,
            manual,
            &robot,
            policy_text.as_deref(),
            &plan,
            &mut applied,
        )?;
        offset += stay as usize;
    }
    Ok(applied)
}

/// Carries out one page's plan. Returns how many of the page's items are still staged
/// where they were (so the next page starts after them).
fn carry_out(
    store: &mut Store,
    manual: &Manual,
    robot: &Actor,
    policy: Option<&str>,
    plan: &Plan<'_>,
    applied: &mut Applied,
) -> Result<u64> {
    let mut stay = plan.stay;
    if !plan.flag.is_empty() {
        let entry =
            Entry::new("timeout_flag", &manual.stage, robot).with("max_wait", wait_text(manual));
        let marked = store.flag_staged(&manual.keys, &manual.audit, &entry, &plan.flag)?;
        applied.timed_out_flagged += marked.iter().filter(|m| **m).count() as u64;
    }
    let ready = manual.output.as_deref();
    if let (false, Some(to)) = (plan.decide.is_empty(), ready) {
        let mut decision = Decision::new(Kind::Approve, to, robot);
        decision.action = "auto_approve";
        decision.extra = vec![("policy", policy.unwrap_or_default().to_owned())];
        let sample_entry =
            Entry::new("sample", &manual.stage, robot).with("policy", policy.unwrap_or_default());
        let moved = policy_batch(store, manual, &plan.decide, &decision, &sample_entry)?;
        let mut done = 0;
        stay += tally(&moved, &mut done, applied);
        applied.auto_approved += done;
    }
    if !plan.timeout.is_empty() {
        let reason = format!("waited longer than max_wait ({})", wait_text(manual));
        let (kind, to, action) = match manual.rules.on_timeout {
            OnTimeout::Approve => (
                Kind::Approve,
                ready.unwrap_or(&manual.rejected),
                "timeout_approve",
            ),
            _ => (Kind::Reject, manual.rejected.as_str(), "timeout_reject"),
        };
        let mut decision = Decision::new(kind, to, robot);
        decision.action = action;
        decision.policy = true;
        decision.reason = (kind == Kind::Reject).then_some(reason.as_str());
        decision.extra = vec![("max_wait", wait_text(manual))];
        let moved = move_batch(store, manual, &plan.timeout, &decision)?;
        let mut done = 0;
        stay += tally(&moved, &mut done, applied);
        match kind {
            Kind::Approve => applied.timed_out_approved += done,
            Kind::Reject => applied.timed_out_rejected += done,
        }
    }
    Ok(stay)
}

/// Counts moves into `done` and the rest into `applied`; returns how many stayed staged.
fn tally(moved: &[Moved], done: &mut u64, applied: &mut Applied) -> u64 {
    let mut stay = 0;
    for m in moved {
        match m {
            Moved::Moved => *done += 1,
            Moved::Gone => applied.taken += 1,
            Moved::Sampled => {
                stay += 1;
                applied.sampled += 1;
                applied.left += 1;
            }
            Moved::Claimed(_) | Moved::Changed => {
                stay += 1;
                applied.left += 1;
            }
        }
    }
    stay
}

fn wait_text(manual: &Manual) -> String {
    manual
        .rules
        .max_wait
        .map(crate::duration::exact)
        .unwrap_or_default()
}
