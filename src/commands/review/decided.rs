//! The one result `approve` and `reject` answer: the same fields for both, whatever happened.

use super::Manual;
use super::select::{Decision, Kind, Span, Tally};
use crate::commands::enqueue::plural;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// Skipped positions named one by one in the text; beyond that only counted.
const NAMED: usize = 10;

/// What was decided about the selected items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Moved on, as they are, to the manual stage's output queue.
    Approved,
    /// Kept, each in an envelope with the reason, on the pipeline's rejected list.
    Rejected,
}

/// `pipectl approve` / `pipectl reject`: the selected items moved from the staging list.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Decided {
    /// The manual stage decided on.
    pub stage: String,
    /// `approved` or `rejected`.
    pub decision: Verdict,
    /// The staging list the items left.
    pub from: String,
    /// Where they went: the stage's output queue (approve) or the rejected list (reject).
    pub to: String,
    /// Items this command moved.
    pub moved: u64,
    /// Selected items another reviewer moved first: passed over, not an error.
    pub skipped: u64,
    /// The positions of those skipped items, when selected by position; else empty.
    pub skipped_positions: Vec<u64>,
    /// Positions asked for past the end of the staging list, as given (`"7"`, `"9-12"`).
    pub missing: Vec<String>,
    /// The reason stored with each rejected item (`reject --reason`); null without one, and
    /// always for approve.
    pub reason: Option<String>,
    /// Who decided, as the audit stream records it (`--by`, `$PIPECTL_REVIEWER`, the login).
    pub by: String,
    /// The note kept with each decision in the audit stream; null without one.
    pub note: Option<String>,
    /// Selected items another reviewer holds a claim on: not moved (pass --force to decide
    /// them anyway). Exit 1 when there are any.
    pub claimed: Vec<Claimed>,
}

/// A selected item left alone because another reviewer holds a claim on it.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Claimed {
    /// Its position, when selected by position; else null.
    pub pos: Option<u64>,
    /// Who holds the claim.
    pub by: String,
}

impl Decided {
    pub fn new(manual: &Manual, decision: &Decision<'_>, tally: Tally) -> Decided {
        let (verdict, reason) = match decision.kind {
            Kind::Approve => (Verdict::Approved, None),
            Kind::Reject => (Verdict::Rejected, decision.reason.map(str::to_owned)),
        };
        Decided {
            stage: manual.stage.clone(),
            decision: verdict,
            from: manual.staged.clone(),
            to: decision.to().to_owned(),
            moved: tally.moved,
            skipped: tally.taken,
            skipped_positions: tally.taken_positions.iter().map(|&p| p as u64).collect(),
            missing: tally.missing.iter().map(Span::to_string).collect(),
            reason,
            by: decision.actor.by.clone(),
            note: decision.actor.note.clone(),
            claimed: tally
                .claimed
                .into_iter()
                .map(|(pos, by)| Claimed {
                    pos: pos.map(|p| p as u64),
                    by,
                })
                .collect(),
        }
    }

    /// 1 when a claimed item was refused; 3 when nothing was selected (nothing moved and
    /// nothing taken by others); else 0.
    pub fn exit(&self) -> Exit {
        if !self.claimed.is_empty() {
            Exit::Failure
        } else if self.moved + self.skipped == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }
}

impl Report for Decided {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let verb = match self.decision {
            Verdict::Approved => "approved",
            Verdict::Rejected => "rejected",
        };
        let selected = self.moved + self.skipped + self.claimed.len() as u64;
        if !out.quiet && selected > 0 {
            let mut line = format!(
                "{verb} {} item{}: {} → {}",
                self.moved,
                plural(self.moved),
                self.from,
                self.to
            );
            if self.skipped > 0 {
                line.push_str(&format!(
                    "; {} skipped: already taken by someone else",
                    self.skipped
                ));
            }
            out.line(line)?;
        }
        for pos in self.skipped_positions.iter().take(NAMED) {
            out.warn(format_args!(
                "position {pos} was already taken by someone else (skipped)"
            ));
        }
        if self.skipped_positions.len() > NAMED {
            out.warn(format_args!(
                "and {} more positions taken by someone else",
                self.skipped_positions.len() - NAMED
            ));
        }
        warn_claimed(out, &self.claimed, "decide it");
        if !self.missing.is_empty() {
            out.warn(format_args!(
                "no staged item at position {} ({} is shorter)",
                self.missing.join(", "),
                self.from
            ));
        }
        if selected == 0 {
            out.note(format_args!(
                "nothing matched in {}; see `pipectl staged`",
                self.from
            ));
        }
        Ok(())
    }
}

/// Warns about selected items other reviewers hold, the first few by name.
pub fn warn_claimed(out: &mut Output, claimed: &[Claimed], verb: &str) {
    for claim in claimed.iter().take(NAMED) {
        let which = claim
            .pos
            .map_or_else(|| "an item".to_owned(), |p| format!("position {p}"));
        out.warn(format_args!(
            "{which} is claimed by {}: left staged (pass --force to {verb} anyway)",
            claim.by
        ));
    }
    if claimed.len() > NAMED {
        out.warn(format_args!(
            "and {} more items claimed by other reviewers",
            claimed.len() - NAMED
        ));
    }
}
