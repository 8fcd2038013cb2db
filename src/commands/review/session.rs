use std::io::{BufRead, IsTerminal};

use anyhow::{Context, Result};
use serde_json::Value;

use super::select::{self, Decision, Kind};
use super::{Manual, StageArg};
use crate::audit::Actor;
use crate::commands::actor::ActorArgs;
use crate::commands::enqueue::plural;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::input::lookup;
use crate::output::{Output, Report, display_width, one_line, terminal_width};
use crate::store::claims::Shown;
use crate::store::review::Moved;

/// Review staged items one at a time at a terminal: approve, reject or skip each
///
/// Shows the next staged item's fields, the preview link highlighted, and asks what to do;
/// type a letter and Enter: a approve (to the stage's output queue; an item a handler
/// escalated goes on after that handler's stage), r reject (asks for an optional reason; the
/// item is kept on the rejected list), b send an escalated item back to its stage with a note
/// for its handler, s skip (it stays staged), q quit (Ctrl-D too). The item shown is claimed
/// (claim_ttl) so other reviewers are shown others; the claim ends with the decision. A running tally follows each decision and a summary ends the session.
/// Each decision is one atomic move, as with `pipectl approve` / `pipectl reject`: an item
/// another reviewer took meanwhile is reported and passed over.
///
/// Needs a terminal on stdin and stdout. Scripts use `pipectl staged --json` with
/// `pipectl approve` / `pipectl reject` instead. With --json the summary is one document:
/// {"stage","queue","approved","rejected","skipped","taken","sent_back","remaining","by"}.
///
/// Examples:
///   pipectl review
///   pipectl review --preview-field site.preview
///
/// Exit codes: 0 reviewed, 1 Redis refused a move, 2 not a terminal, 3 nothing staged, 65 a key
/// holds another type, 69 Redis unavailable, 77 not permitted, 78 no manual stage or bad
/// configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The field holding the preview link, shown highlighted (a dotted path)
    #[arg(long, default_value = "preview_url", value_name = "FIELD")]
    pub preview_field: String,

    #[command(flatten)]
    pub stage: StageArg,

    #[command(flatten)]
    pub actor: ActorArgs,
}

#[derive(Default)]
struct Tally {
    approved: u64,
    rejected: u64,
    skipped: u64,
    /// Taken by someone else between showing and deciding.
    taken: u64,
    /// Escalated items sent back to the stage that asked.
    sent_back: u64,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "approved {} · rejected {} · skipped {}",
            self.approved, self.rejected, self.skipped
        )?;
        if self.sent_back > 0 {
            write!(f, " · sent back {}", self.sent_back)?;
        }
        if self.taken > 0 {
            write!(f, " · taken by others {}", self.taken)?;
        }
        Ok(())
    }
}

enum Choice {
    Approve,
    Reject,
    Skip,
    SendBack,
    Quit,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    if !(std::io::stdin().is_terminal() && ctx.out.stdout_tty) {
        return Err(Fail::usage(
            "`pipectl review` is interactive and needs a terminal on stdin and stdout",
        )
        .hint(
            "in scripts, list with `pipectl staged --json` and decide with \
                     `pipectl approve 1 3` / `pipectl reject 2 --reason TEXT`",
        )
        .into());
    }
    let actor = args.actor.actor()?;
    let manual = super::manual_stage(ctx, &args.stage)?;
    let ready = manual.ready()?.to_owned();
    let mut store = ctx.store()?;
    let staged_list = std::slice::from_ref(&manual.staged);
    if store.lens(staged_list)?[0] == 0 {
        let result = Reviewed::new(&manual, &actor, &Tally::default(), 0, true);
        ctx.out.print(&result)?;
        return Ok(Exit::NothingToDo);
    }

    let mut stdin = std::io::stdin().lock();
    let mut tally = Tally::default();
    // Items skipped in this session: not shown again, though they stay staged.
    let mut passed: Vec<Vec<u8>> = Vec::new();
    loop {
        let total = store.lens(staged_list)?[0] as usize;
        let Some(shown) = store.claim_next(&manual.keys, &actor.by, manual.claim_ttl, &passed)?
        else {
            ctx.out.line(if total > passed.len() {
                "No more staged items you can take: the rest are skipped or claimed by other reviewers."
            } else {
                "No more staged items."
            })?;
            break;
        };
        let now = store.server_ms()?;
        show(ctx, &manual, &shown, total, now, &args.preview_field)?;
        let item = shown.item.clone();
        let outcome = match ask(ctx, &mut stdin, shown.ask.is_some())? {
            Choice::Quit => {
                store.release_claims(&manual.keys, &actor.by, &[&item])?;
                break;
            }
            Choice::Skip => {
                store.release_claims(&manual.keys, &actor.by, &[&item])?;
                tally.skipped += 1;
                passed.push(item);
                "skipped: it stays staged".to_owned()
            }
            Choice::Approve => {
                let decision = Decision::new(Kind::Approve, &ready, &actor);
                let moved = select::decide_one(&mut store, &manual, &item, shown.pos, &decision)?;
                // An escalated item goes on after the stage that asked.
                let to = shown
                    .ask
                    .as_ref()
                    .and_then(|ask| manual.route(&ask.stage))
                    .and_then(|route| route.output.as_deref())
                    .unwrap_or(&ready);
                tally.outcome(moved, Kind::Approve, to, &manual.rejected)
            }
            Choice::SendBack => {
                ctx.out.prompt("Note for the handler (Enter to cancel): ")?;
                let note = read_line(&mut stdin)?.unwrap_or_default();
                match (note.trim(), shown.ask_raw.as_deref()) {
                    ("", _) | (_, None) => {
                        store.release_claims(&manual.keys, &actor.by, &[&item])?;
                        tally.skipped += 1;
                        passed.push(item);
                        "not sent back: it stays staged".to_owned()
                    }
                    (note, Some(ask)) => {
                        let sender = super::send_back::note_actor(Some(&actor.by), note)?;
                        let (moved, to) = super::send_back::send_one(
                            &mut store, &manual, &sender, &item, shown.pos, ask,
                        )?;
                        if moved == Moved::Moved {
                            tally.sent_back += 1;
                            format!("↩ sent back to {} with your note", to.unwrap_or_default())
                        } else {
                            tally.outcome(moved, Kind::Approve, &ready, &manual.rejected)
                        }
                    }
                }
            }
            Choice::Reject => {
                ctx.out.prompt("Reason (optional, Enter for none): ")?;
                let reason = read_line(&mut stdin)?.unwrap_or_default();
                let reason = reason.trim();
                let mut decision = Decision::new(Kind::Reject, &manual.rejected, &actor);
                decision.reason = (!reason.is_empty()).then_some(reason);
                let moved = select::decide_one(&mut store, &manual, &item, shown.pos, &decision)?;
                tally.outcome(moved, Kind::Reject, &ready, &manual.rejected)
            }
        };
        ctx.out.line(format_args!("{outcome}   [{tally}]"))?;
    }

    let remaining = store.lens(staged_list)?[0];
    ctx.out
        .print(&Reviewed::new(&manual, &actor, &tally, remaining, false))?;
    Ok(Exit::Ok)
}

impl Tally {
    /// Counts one decision's outcome and says it in words.
    fn outcome(&mut self, moved: Moved, kind: Kind, ready: &str, rejected: &str) -> String {
        match (moved, kind) {
            (Moved::Moved, Kind::Approve) => {
                self.approved += 1;
                format!("✓ approved: moved to {ready}")
            }
            (Moved::Moved, Kind::Reject) => {
                self.rejected += 1;
                format!("✗ rejected: kept on {rejected}")
            }
            (Moved::Claimed(holder), _) => {
                self.taken += 1;
                format!("your claim ran out and {holder} holds it now: left as it is")
            }
            (Moved::Gone | Moved::Changed | Moved::Sampled, _) => {
                self.taken += 1;
                "already taken by someone else: left as it is".to_owned()
            }
        }
    }
}

/// `pipectl review`: what the session decided.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Reviewed {
    /// The manual stage reviewed.
    pub stage: String,
    /// Its staging list.
    pub queue: String,
    /// Items approved: moved to the stage's output queue.
    pub approved: u64,
    /// Items rejected: kept with their reason on the rejected list.
    pub rejected: u64,
    /// Items passed over: still staged.
    pub skipped: u64,
    /// Items another reviewer moved between being shown and decided on.
    pub taken: u64,
    /// Escalated items sent back to the stage that asked, with a note.
    pub sent_back: u64,
    /// Items still staged when the session ended.
    pub remaining: u64,
    /// Who reviewed, as the audit stream records it.
    pub by: String,
    /// Nothing was staged when the session began (the text says so instead of a summary).
    #[serde(skip)]
    nothing_staged: bool,
}

impl Reviewed {
    fn new(
        manual: &Manual,
        actor: &Actor,
        tally: &Tally,
        remaining: u64,
        nothing_staged: bool,
    ) -> Reviewed {
        Reviewed {
            stage: manual.stage.clone(),
            queue: manual.staged.clone(),
            approved: tally.approved,
            rejected: tally.rejected,
            skipped: tally.skipped,
            taken: tally.taken,
            sent_back: tally.sent_back,
            remaining,
            by: actor.by.clone(),
            nothing_staged,
        }
    }
}

impl Report for Reviewed {
    fn text(&self, out: &mut Output) -> std::io::Result<()> {
        if self.nothing_staged {
            return out.line(format_args!("nothing staged in {}", self.queue));
        }
        let tally = Tally {
            approved: self.approved,
            rejected: self.rejected,
            skipped: self.skipped,
            taken: self.taken,
            sent_back: self.sent_back,
        };
        out.line(format_args!(
            "\nReview done: {tally}. {} item{} still staged in {}.",
            self.remaining,
            plural(self.remaining),
            self.queue
        ))
    }
}

/// Asks until the answer is one of a / r / s / q (and b for an escalated item). End of
/// input counts as quit.
fn ask(ctx: &mut Ctx, stdin: &mut impl BufRead, escalated: bool) -> Result<Choice> {
    loop {
        ctx.out.prompt(if escalated {
            "[a]pprove  [r]eject  [b]ack to its stage  [s]kip  [q]uit > "
        } else {
            "[a]pprove  [r]eject  [s]kip  [q]uit > "
        })?;
        let Some(answer) = read_line(stdin)? else {
            ctx.out.line("")?;
            return Ok(Choice::Quit);
        };
        match answer.trim().to_lowercase().as_str() {
            "a" | "approve" => return Ok(Choice::Approve),
            "r" | "reject" => return Ok(Choice::Reject),
            "s" | "skip" => return Ok(Choice::Skip),
            "q" | "quit" => return Ok(Choice::Quit),
            "b" | "back" if escalated => return Ok(Choice::SendBack),
            _ => ctx.out.line("Type a, r, s or q, then Enter.")?,
        }
    }
}

/// One line from the terminal, or None at end of input.
fn read_line(stdin: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    let n = stdin
        .read_line(&mut line)
        .context("cannot read from the terminal")?;
    Ok((n > 0).then_some(line))
}

/// Prints one staged item: a heading, then its fields, the preview link highlighted.
fn show(
    ctx: &mut Ctx,
    manual: &Manual,
    shown: &Shown,
    total: usize,
    now_ms: u64,
    preview_field: &str,
) -> Result<()> {
    let (pos, item) = (shown.pos, shown.item.as_slice());
    let width = terminal_width().max(40);
    let color = ctx.out.color;
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let heading = format!("── {pos} of {total} staged in {} ", manual.staged);
    let rule = "─".repeat(width.saturating_sub(display_width(&heading)));
    ctx.out.line("")?;
    ctx.out.line(paint("1", &format!("{heading}{rule}")))?;
    if let Some(since) = shown.since_ms {
        let waited = std::time::Duration::from_millis(now_ms.saturating_sub(since));
        ctx.out.line(format_args!(
            "  waiting {}",
            crate::duration::format(waited)
        ))?;
    }
    if let Some(ask) = &shown.ask {
        ctx.out.line(paint(
            "1;33",
            &format!(
                "? {} asks: {}",
                ask.stage,
                one_line(&ask.question, width * 3)
            ),
        ))?;
    }

    let parsed = serde_json::from_slice::<Value>(item).ok();
    let Some(Value::Object(fields)) = &parsed else {
        let text = crate::item::display(item);
        ctx.out
            .line(format_args!("  {}", one_line(&text, width * 3)))?;
        return Ok(());
    };
    let preview = parsed
        .as_ref()
        .and_then(|v| lookup(v, preview_field))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    let key_width = fields
        .keys()
        .map(|k| display_width(k))
        .chain(preview.iter().map(|_| display_width(preview_field)))
        .max()
        .unwrap_or(0)
        .min(24);
    let value_room = width.saturating_sub(key_width + 4).max(20) * 3;
    let padded = |key: &str| {
        let key = one_line(key, key_width);
        let pad = key_width.saturating_sub(display_width(&key));
        format!("{key}{}", " ".repeat(pad))
    };
    // The link is never cut: it is there to be opened.
    let link_line = |link: &str| {
        format!(
            "{} {}  {}",
            paint("1;36", "▶"),
            padded(preview_field),
            paint("1;4;36", &one_line(link, usize::MAX)),
        )
    };
    let nested = !fields.contains_key(preview_field);
    if let (Some(link), true) = (&preview, nested) {
        ctx.out.line(link_line(link))?;
    }
    for (key, value) in fields {
        if key == preview_field
            && let Some(link) = &preview
        {
            ctx.out.line(link_line(link))?;
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        ctx.out.line(format_args!(
            "  {}  {}",
            padded(key),
            one_line(&text, value_room)
        ))?;
    }
    Ok(())
}
