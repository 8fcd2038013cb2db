//! What `pipectl send-back` answers: the same fields whatever happened.

use super::decided::Claimed;
use crate::commands::enqueue::plural;
use crate::exit::Exit;
use crate::output::{Output, Report, count_of};
use crate::store::review::Moved;

/// Positions named one by one in the text; beyond that only counted.
const NAMED: usize = 10;

/// `pipectl send-back`: escalated items returned to the stages that asked.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct SentBack {
    /// The manual stage the items left.
    pub stage: String,
    /// Its staging list.
    pub from: String,
    /// The input queues items went back to (of the stages that escalated them), sorted.
    pub to: Vec<String>,
    /// Items this command sent back.
    pub moved: u64,
    /// Selected items someone else moved (or whose question changed) first: passed over.
    pub skipped: u64,
    /// The positions of those skipped items, when selected by position; else empty.
    pub skipped_positions: Vec<u64>,
    /// Positions asked for past the end of the staging list, as given (`"7"`, `"9-12"`).
    pub missing: Vec<String>,
    /// Selected items that were not escalated by a stage escalating here (approve or
    /// reject those instead): left staged.
    pub not_escalated: u64,
    /// The positions of those, when selected by position (exit 1); else empty.
    pub not_escalated_positions: Vec<u64>,
    /// Selected items another reviewer holds a claim on: not moved (pass --force). Exit 1.
    pub claimed: Vec<Claimed>,
    /// Who sent them back, as the audit stream records it.
    pub by: String,
    /// The note each item's handler is given.
    pub note: String,
}

impl SentBack {
    /// 1 when a selected item was refused (claimed, or not escalated by position); 3 when
    /// nothing was selected; else 0.
    pub fn exit(&self) -> Exit {
        if !self.claimed.is_empty() || !self.not_escalated_positions.is_empty() {
            Exit::Failure
        } else if self.moved + self.skipped == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }

    pub(super) fn count(
        &mut self,
        selected: &[(usize, &[u8])],
        moved: Vec<Moved>,
        by_position: bool,
    ) -> usize {
        let mut stayed = 0;
        for ((pos, _), result) in selected.iter().zip(moved) {
            match result {
                Moved::Moved => self.moved += 1,
                // (Sampled is a policy's answer: send-back never gets it.)
                Moved::Gone | Moved::Changed | Moved::Sampled => {
                    // A changed entry may leave the item where it was: look at it again
                    // rather than step over another one.
                    stayed += usize::from(!matches!(result, Moved::Gone));
                    self.skipped += 1;
                    if by_position {
                        self.skipped_positions.push(*pos as u64);
                    }
                }
                Moved::Claimed(by) => {
                    stayed += 1;
                    self.claimed.push(Claimed {
                        pos: by_position.then_some(*pos as u64),
                        by,
                    });
                }
            }
        }
        stayed
    }
}

impl Report for SentBack {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let selected = self.moved + self.skipped + self.claimed.len() as u64 + self.not_escalated;
        if !out.quiet && self.moved + self.skipped > 0 {
            let mut line = format!(
                "sent back {} item{}: {} → {}",
                self.moved,
                plural(self.moved),
                self.from,
                if self.to.is_empty() {
                    "-".to_owned()
                } else {
                    self.to.join(", ")
                }
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
        for pos in self.not_escalated_positions.iter().take(NAMED) {
            out.warn(format_args!(
                "position {pos} was not escalated by a stage that escalates to {}: it cannot be sent back (approve or reject it)",
                self.stage
            ));
        }
        if self.not_escalated_positions.len() > NAMED {
            out.warn(format_args!(
                "and {} more positions not escalated",
                self.not_escalated_positions.len() - NAMED
            ));
        } else if self.not_escalated > 0 && self.not_escalated_positions.is_empty() {
            out.note(format_args!(
                "{} not escalated: left staged",
                count_of(self.not_escalated, "item")
            ));
        }
        super::decided::warn_claimed(out, &self.claimed, "send it back");
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
