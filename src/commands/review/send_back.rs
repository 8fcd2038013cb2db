//! `pipectl send-back`: escalated staged items go back to the input of the stage whose
//! handler asked, with the reviewer's note, which that handler sees when it takes the item
//! again (`PIPECTL_NOTE`, the `Pipectl-Note` header).

use anyhow::Result;

use super::select::{Selection, Span, matches_all};
pub use super::sent_back::SentBack;
use super::{Manual, Route};
use crate::audit::{Actor, Entry};
use crate::commands::surgery::select::merge;
use crate::context::Ctx;
use crate::error::Fail;
use crate::exit::Exit;
use crate::handler::MAX_NOTE;
use crate::output::{Output, count_of};
use crate::store::Store;
use crate::store::escalate::{Back, SendBack};
use crate::store::review::{Ask, Moved};

/// Items read per LRANGE when selecting over the whole list: memory stays flat however long.
const PAGE: usize = 1_000;
/// Items moved per script call: bounds how long one call holds the server.
const MOVE_CHUNK: usize = 500;
/// List elements one script call may scan to find the items it moves.
const SCAN_BUDGET: usize = 200_000;

/// Send escalated items back to the stage that asked, with a note for its handler
///
/// An item a handler escalated (its `review` control) waits in the manual stage with the
/// handler's question. send-back returns it to the input queue of the stage that asked,
/// with --note: when that stage's handler takes the item again it sees the note (exec: env
/// PIPECTL_NOTE; http: the Pipectl-Note header, percent-encoded; the body stays the item's
/// exact bytes). Each item moves in one atomic step with its audit record (action
/// send_back). Selection works as for `pipectl approve`: positions from `pipectl staged`
/// (ranges like 2-5), --where, or --all, and --limit N. An item that was not escalated
/// cannot be sent back: picked by position it is refused (exit 1); --where and --all pass
/// over such items. With --json: {"stage","from","to","moved","skipped","skipped_positions",
/// "missing","not_escalated","not_escalated_positions","claimed","by","note"}.
///
/// Examples:
///   pipectl send-back 1 --note 'acme-auto.com is another business: build it'
///   pipectl send-back --all --stage review --note 'rerun with the new template' --by ann
///
/// Exit codes: 0 items sent back (or taken by someone else), 1 a selected item is claimed by
/// another reviewer or was not escalated, or Redis refused a move part-way (what moved is
/// said), 2 bad selectors or note, 3 nothing matched, 65 a key holds another type, 69 Redis
/// unavailable, 77 not permitted, 78 no manual stage, none escalating to it, or bad
/// configuration.
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub select: Selection,

    /// What the handler is told when it takes the item again (also kept in the audit
    /// record); up to 4096 bytes, line breaks allowed
    #[arg(long, value_name = "TEXT", required = true)]
    pub note: String,

    /// Who sends back, as the audit stream records it [default: $PIPECTL_REVIEWER, else the
    /// login name]
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,

    /// Send back items another reviewer holds a claim on, too (the audit record says so)
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, ctx: &mut Ctx) -> Result<Exit> {
    args.select.check("send back")?;
    let actor = note_actor(args.by.as_deref(), &args.note)?;
    let manual = super::manual_stage(ctx, &args.select.stage)?;
    routes(&manual)?;
    let mut store = ctx.store()?;
    let result = execute(
        &mut store,
        &manual,
        &args.select,
        &actor,
        args.force,
        &ctx.out,
    )?;
    ctx.out.print(&result)?;
    Ok(result.exit())
}

/// Who sends back, with the note: required, not blank, at most [`MAX_NOTE`] bytes, no
/// control characters but line breaks and tabs.
pub fn note_actor(by: Option<&str>, note: &str) -> Result<Actor, Fail> {
    let actor = Actor::resolve(by, Some(note))?;
    let Some(note) = actor.note.as_deref() else {
        return Err(
            Fail::usage("--note is blank: say what the handler should do differently")
                .hint("e.g. --note 'acme-auto.com is another business: build it'"),
        );
    };
    if note.len() > MAX_NOTE {
        return Err(Fail::usage(format!(
            "--note is {} bytes, over the limit of {MAX_NOTE}",
            note.len()
        )));
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Fail::usage(
            "--note holds a control character: give text (line breaks and tabs are fine)",
        ));
    }
    Ok(actor)
}

/// The stages escalating to this one, or a configuration error saying how to add one.
fn routes(manual: &Manual) -> Result<(), Fail> {
    if manual.routes.is_empty() {
        return Err(Fail::config(format!(
            "no stage escalates to manual stage '{}', so nothing staged there can be sent back",
            manual.stage
        ))
        .hint(format!(
            "give the stage whose handler asks for review `escalate_to = \"{}\"` in pipectl.toml",
            manual.stage
        )));
    }
    if let Some(r) = manual.routes.iter().find(|r| r.input == manual.staged) {
        return Err(Fail::config(format!(
            "stage '{}' takes its input from '{}', the staging list it escalates to",
            r.stage, manual.staged
        )));
    }
    Ok(())
}

/// Who sends back, and how.
struct Plan<'a> {
    manual: &'a Manual,
    actor: &'a Actor,
    force: bool,
    by_position: bool,
}

/// Sends the selected escalated items back (`out` only draws the progress bar).
pub fn execute(
    store: &mut Store,
    manual: &Manual,
    sel: &Selection,
    actor: &Actor,
    force: bool,
    out: &Output,
) -> Result<SentBack> {
    routes(manual)?;
    let mut result = SentBack {
        stage: manual.stage.clone(),
        from: manual.staged.clone(),
        by: actor.by.clone(),
        note: actor.note.clone().unwrap_or_default(),
        ..SentBack::default()
    };
    let limit = sel.limit.map_or(usize::MAX, |l| l as usize);
    let plan = Plan {
        manual,
        actor,
        force,
        by_position: !sel.positions.is_empty(),
    };
    let len = store.lens(std::slice::from_ref(&manual.staged))?[0] as usize;
    if plan.by_position {
        let runs = merge(&sel.positions);
        let pairs: Vec<(usize, usize)> = runs.iter().map(|s| (s.first, s.last)).collect();
        let pages = store.staged_at(&manual.staged, &pairs)?;
        let mut selected: Vec<(usize, &[u8])> = Vec::new();
        for (run, page) in runs.iter().zip(&pages) {
            for (i, item) in page.iter().enumerate() {
                if matches_all(item, &sel.filters) {
                    selected.push((run.first + i, item));
                }
            }
            if run.first + page.len() <= run.last {
                result.missing.push(
                    Span {
                        first: run.first + page.len(),
                        last: run.last,
                    }
                    .to_string(),
                );
            }
        }
        let (chosen, _) = escalated(store, &plan, &selected, limit, &mut result)?;
        send(store, &plan, &chosen, len, &mut result)?;
    } else {
        let bar = out.progress(len as u64, "looked at");
        let (mut offset, mut examined) = (0usize, 0usize);
        while examined < len && (result.moved as usize) < limit {
            let page = store.page(&manual.staged, offset, PAGE.min(len - examined))?;
            if page.is_empty() {
                break;
            }
            let want = limit - result.moved as usize;
            let matching: Vec<(usize, &[u8])> = page
                .iter()
                .enumerate()
                .filter(|(_, item)| matches_all(item, &sel.filters))
                .map(|(i, item)| (offset + i + 1, item.as_slice()))
                .collect();
            let (chosen, stop) = escalated(store, &plan, &matching, want, &mut result)?;
            // Everything up to the last item chosen was looked at (all of the page when
            // fewer than wanted were found); what did not go stays where it was.
            let looked = stop.map_or(page.len(), |pos| pos - offset);
            examined += looked;
            bar.inc(looked as u64);
            let stayed = send(
                store,
                &plan,
                &chosen,
                len.max(offset + page.len()),
                &mut result,
            )?;
            offset += looked - (chosen.len() - stayed);
        }
        bar.finish_and_clear();
    }
    result.to.sort();
    result.to.dedup();
    Ok(result)
}

/// Sends one escalated item (as `pipectl review` shows it: its bytes, position and asks
/// entry as read) back to the stage that asked, with the actor's note.
pub fn send_one(
    store: &mut Store,
    manual: &Manual,
    actor: &Actor,
    item: &[u8],
    pos: usize,
    ask: &[u8],
) -> Result<(Moved, Option<String>)> {
    routes(manual)?;
    let Some(route) = Ask::parse(ask).and_then(|a| manual.route(&a.stage)) else {
        return Ok((Moved::Changed, None));
    };
    let entry = Entry::new("send_back", &manual.stage, actor).with("to", route.input.as_str());
    let back = SendBack {
        staged: &manual.keys,
        to: &route.input,
        note: actor.note.as_deref().unwrap_or_default(),
        audit: &manual.audit,
        entry: &entry,
        by: &actor.by,
        force: false,
    };
    let moved = store.send_back(&back, &[Back { item, pos, ask }])?;
    Ok((
        moved.into_iter().next().unwrap_or(Moved::Gone),
        Some(route.input.clone()),
    ))
}

/// Sends back one staged item the web desk showed (bytes seen at `pos`), reading its asks
/// entry first: the result `send-back` answers.
pub fn send_item(
    store: &mut Store,
    manual: &Manual,
    actor: &Actor,
    item: &[u8],
    pos: usize,
) -> Result<SentBack> {
    routes(manual)?;
    let mut result = SentBack {
        stage: manual.stage.clone(),
        from: manual.staged.clone(),
        by: actor.by.clone(),
        note: actor.note.clone().unwrap_or_default(),
        ..SentBack::default()
    };
    let ask = store
        .staged_asks(&manual.keys, &[item])?
        .into_iter()
        .next()
        .flatten();
    let Some(ask) = ask.filter(|a| Ask::parse(a).is_some_and(|a| manual.route(&a.stage).is_some()))
    else {
        result.not_escalated = 1;
        result.not_escalated_positions.push(pos as u64);
        return Ok(result);
    };
    let (moved, to) = send_one(store, manual, actor, item, pos, &ask)?;
    result.to.extend(to);
    result.count(&[(pos, item)], vec![moved], true);
    Ok(result)
}

/// One escalated item chosen: its position, bytes, asks entry, and where it goes back to.
struct Chosen<'a> {
    pos: usize,
    item: &'a [u8],
    ask: Vec<u8>,
    route: &'a Route,
}

/// Reads the asks entries of `candidates` (one HMGET) and keeps the first `want` escalated
/// by a stage that escalates here; the others are counted as not escalated. Returns the
/// chosen and, when `want` were found, the position of the last one.
fn escalated<'a>(
    store: &mut Store,
    plan: &Plan<'a>,
    candidates: &[(usize, &'a [u8])],
    want: usize,
    result: &mut SentBack,
) -> Result<(Vec<Chosen<'a>>, Option<usize>)> {
    let items: Vec<&[u8]> = candidates.iter().map(|(_, item)| *item).collect();
    let asks = store.staged_asks(&plan.manual.keys, &items)?;
    let mut chosen: Vec<Chosen<'a>> = Vec::new();
    for (&(pos, item), ask) in candidates.iter().zip(asks) {
        if chosen.len() == want {
            break;
        }
        let manual: &'a Manual = plan.manual;
        let route = ask
            .as_deref()
            .and_then(Ask::parse)
            .and_then(|a| manual.route(&a.stage));
        match (route, ask) {
            (Some(route), Some(ask)) => chosen.push(Chosen {
                pos,
                item,
                ask,
                route,
            }),
            _ => {
                result.not_escalated += 1;
                if plan.by_position {
                    result.not_escalated_positions.push(pos as u64);
                }
            }
        }
    }
    let stop = (chosen.len() == want).then(|| chosen.last().map_or(0, |c| c.pos));
    Ok((chosen, stop))
}

/// Sends the chosen items back in script calls, one per destination and bounded chunk.
/// Returns how many of them stayed staged (claimed, or their entry changed).
fn send(
    store: &mut Store,
    plan: &Plan<'_>,
    chosen: &[Chosen<'_>],
    len: usize,
    result: &mut SentBack,
) -> Result<usize> {
    let mut stayed = 0;
    let mut inputs: Vec<&str> = chosen.iter().map(|c| c.route.input.as_str()).collect();
    inputs.sort();
    inputs.dedup();
    for to in inputs {
        let group: Vec<&Chosen<'_>> = chosen.iter().filter(|c| c.route.input == to).collect();
        let entry = Entry::new("send_back", &plan.manual.stage, plan.actor).with("to", to);
        let back = SendBack {
            staged: &plan.manual.keys,
            to,
            note: plan.actor.note.as_deref().unwrap_or_default(),
            audit: &plan.manual.audit,
            entry: &entry,
            by: &plan.actor.by,
            force: plan.force,
        };
        for chunk in chunks(&group, len) {
            let backs: Vec<Back<'_>> = chunk
                .iter()
                .map(|c| Back {
                    item: c.item,
                    pos: c.pos,
                    ask: &c.ask,
                })
                .collect();
            let moved = store
                .send_back(&back, &backs)
                .map_err(|e| cut_short(e, result, plan.by_position))?;
            if moved.contains(&Moved::Moved) {
                result.to.push(to.to_owned());
            }
            let selected: Vec<(usize, &[u8])> = chunk.iter().map(|c| (c.pos, c.item)).collect();
            stayed += result.count(&selected, moved, plan.by_position);
        }
    }
    Ok(stayed)
}

/// A refusal part-way through, saying exactly what was done: each script call is all or
/// nothing against a refusal, so the moves counted so far happened and none after them.
fn cut_short(err: anyhow::Error, done: &SentBack, by_position: bool) -> anyhow::Error {
    if done.moved == 0 && done.skipped == 0 {
        return err;
    }
    let again = if by_position {
        "positions have shifted: look at `pipectl staged` before selecting the rest"
    } else {
        "the same command again goes on with the rest"
    };
    let lost = err
        .chain()
        .filter_map(|c| c.downcast_ref::<redis::RedisError>())
        .any(crate::store::is_transient);
    let moved = count_of(done.moved, "item");
    if lost {
        return err.context(format!(
            "sent back {moved}, then the connection to Redis was lost: the move in flight may or may not have happened, every other item not moved is still staged ({again})"
        ));
    }
    err.context(format!(
        "sent back {moved} before Redis refused the next move; every item not moved is still staged ({again})"
    ))
}

/// Splits moves into script calls bounded in items and in how many list elements the
/// script may scan to find them (an item at `p` of a list of `len` costs about the distance
/// to the nearer end).
fn chunks<'c, 'a>(moves: &'c [&'c Chosen<'a>], len: usize) -> Vec<&'c [&'c Chosen<'a>]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < moves.len() {
        let (mut end, mut cost) = (start, 0usize);
        while end < moves.len() && end - start < MOVE_CHUNK {
            let pos = moves[end].pos;
            let item_cost = pos.min(len.saturating_sub(pos)).saturating_add(1);
            if end > start && cost.saturating_add(item_cost) > SCAN_BUDGET {
                break;
            }
            cost = cost.saturating_add(item_cost);
            end += 1;
        }
        out.push(&moves[start..end]);
        start = end;
    }
    out
}
