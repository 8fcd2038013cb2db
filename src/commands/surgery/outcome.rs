//! The typed results of `move`, `rm` and `unreject`: the same core (what was selected,
//! skipped, missing; who acted) and each command's own fields.

use super::select::{Span, Tally};
use crate::audit::Actor;
use crate::commands::enqueue::plural;
use crate::exit::Exit;
use crate::output::{Output, Report};

/// Skipped positions named one by one in the text; beyond that only counted.
const NAMED: usize = 10;

/// What every item surgery result says.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Outcome {
    /// True with --dry-run: nothing was changed, and `matched` is what would have been.
    pub dry_run: bool,
    /// Entries selected (by position, --where or --all, within --limit) and in the list when
    /// read.
    pub matched: u64,
    /// Selected entries another process took first: passed over, not an error.
    pub skipped: u64,
    /// The positions of those skipped entries, when selected by position; else empty.
    pub skipped_positions: Vec<u64>,
    /// Positions asked for past the end of the list, as given (`"7"`, `"9-12"`).
    pub missing: Vec<String>,
    /// Who acted, as the audit stream records it (`--by`, `$PIPECTL_REVIEWER`, the login).
    pub by: String,
    /// The note kept with each change in the audit stream; null without one.
    pub note: Option<String>,
}

impl Outcome {
    pub(super) fn new(tally: &Tally, dry_run: bool, actor: &Actor) -> Outcome {
        Outcome {
            dry_run,
            matched: tally.matched,
            skipped: tally.taken,
            skipped_positions: tally.taken_positions.iter().map(|&p| p as u64).collect(),
            missing: tally.missing.iter().map(Span::to_string).collect(),
            by: actor.by.clone(),
            note: actor.note.clone(),
        }
    }

    /// 3 when nothing was selected; else 0.
    fn exit(&self) -> Exit {
        if self.matched == 0 {
            Exit::NothingToDo
        } else {
            Exit::Ok
        }
    }

    /// The first line: what was done (or would be), with what was skipped.
    fn headline(
        &self,
        out: &mut Output,
        verb: [&str; 2],
        done: u64,
        what: &str,
    ) -> std::io::Result<()> {
        if out.quiet || self.matched == 0 {
            return Ok(());
        }
        let mut line = if self.dry_run {
            format!(
                "would {} {} item{}{what} (dry run: nothing was changed)",
                verb[0],
                self.matched,
                plural(self.matched)
            )
        } else {
            format!("{} {done} item{}{what}", verb[1], plural(done))
        };
        if self.skipped > 0 {
            line.push_str(&format!(
                "; {} skipped: already taken by someone else",
                self.skipped
            ));
        }
        out.line(line)
    }

    /// Warnings for skipped and missing positions, and a note when nothing matched.
    fn warnings(&self, out: &mut Output, list: &str) {
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
        if !self.missing.is_empty() {
            out.warn(format_args!(
                "no item at position {} ({list} is shorter)",
                self.missing.join(", ")
            ));
        }
        if self.matched == 0 {
            out.note(format_args!(
                "nothing matched in {list}; see `pipectl find {list}`"
            ));
        }
    }
}

/// `pipectl move`: entries taken from one list to another.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct MovedItems {
    /// The list the entries left.
    pub from: String,
    /// The list they went to (LPUSHed: a queue takes them after what it holds).
    pub to: String,
    /// Entries this command moved; 0 with --dry-run.
    pub moved: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl MovedItems {
    pub fn new(from: &str, to: &str, tally: &Tally, dry_run: bool, actor: &Actor) -> MovedItems {
        MovedItems {
            from: from.to_owned(),
            to: to.to_owned(),
            moved: tally.moved,
            outcome: Outcome::new(tally, dry_run, actor),
        }
    }

    pub fn exit(&self) -> Exit {
        self.outcome.exit()
    }
}

impl Report for MovedItems {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let what = format!(": {} → {}", self.from, self.to);
        self.outcome
            .headline(out, ["move", "moved"], self.moved, &what)?;
        self.outcome.warnings(out, &self.from);
        Ok(())
    }
}

/// `pipectl rm`: entries deleted from a list, each kept, exact bytes and all, in its audit
/// record.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Removed {
    /// The list the entries were deleted from.
    pub list: String,
    /// Entries this command deleted; 0 with --dry-run.
    pub removed: u64,
    /// The audit stream holding each deleted entry's exact bytes (`item`) and `sha256`: push
    /// one back by hand to undo its deletion.
    pub audit: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Removed {
    pub fn new(list: &str, audit: &str, tally: &Tally, dry_run: bool, actor: &Actor) -> Removed {
        Removed {
            list: list.to_owned(),
            removed: tally.moved,
            audit: audit.to_owned(),
            outcome: Outcome::new(tally, dry_run, actor),
        }
    }

    pub fn exit(&self) -> Exit {
        self.outcome.exit()
    }
}

impl Report for Removed {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let what = format!(" from {}", self.list);
        self.outcome
            .headline(out, ["delete", "deleted"], self.removed, &what)?;
        if self.removed > 0 {
            out.note(format_args!(
                "each is kept in the audit stream: redis-cli XREVRANGE {} + - COUNT {}",
                self.audit, self.removed
            ));
        }
        self.outcome.warnings(out, &self.list);
        Ok(())
    }
}

/// Rejected items sent back to one manual stage's staging list.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Returned {
    /// The manual stage.
    pub stage: String,
    /// Its staging list (its input).
    pub list: String,
    /// Items sent back there (with --dry-run: that would be).
    pub moved: u64,
}

/// `pipectl unreject`: rejected items back in review, each out of its envelope.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Unrejected {
    /// The pipeline's rejected list.
    pub from: String,
    /// Where they went (with --dry-run: would go): each manual stage's staging list that
    /// items went to, with how many.
    pub to: Vec<Returned>,
    /// Items this command sent back; 0 with --dry-run.
    pub moved: u64,
    /// Selected rejections that name no manual stage to go back to (hand-pushed entries,
    /// a stage since renamed) while the pipeline has several: left where they are (pass
    /// --stage NAME to send them to one). Exit 1 when there are any.
    pub unplaced: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Unrejected {
    /// 1 when some could not be placed; 3 when nothing was selected; else 0.
    pub fn exit(&self) -> Exit {
        if self.unplaced > 0 {
            Exit::Failure
        } else {
            self.outcome.exit()
        }
    }
}

impl Report for Unrejected {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        let lists: Vec<String> = self
            .to
            .iter()
            .map(|r| format!("{} ({})", r.list, r.stage))
            .collect();
        let what = if lists.is_empty() {
            format!(" from {}", self.from)
        } else {
            format!(": {} → {}", self.from, lists.join(", "))
        };
        self.outcome
            .headline(out, ["send back", "sent back"], self.moved, &what)?;
        if self.unplaced > 0 {
            out.warn(format_args!(
                "{} rejection{} name{} no manual stage to go back to: left in {} (pass --stage NAME to send them to one)",
                self.unplaced,
                plural(self.unplaced),
                if self.unplaced == 1 { "s" } else { "" },
                self.from
            ));
        }
        if self.outcome.matched > 0 || self.unplaced == 0 {
            self.outcome.warnings(out, &self.from);
        }
        Ok(())
    }
}
