//! The operator's side: `/api/dead`, `/api/audit`, dead-letter retry and purge, and the
//! `/ops` dashboard (the status table, pause/resume, dead letters, the audit stream).

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};

use super::html::{esc, waited};
use super::{ApiError, App, blocking, typed};
use crate::commands::dead::{self, letter};
use crate::commands::status::Status;
use crate::exit::Exit;
use crate::output::{ColorChoice, Output};
use crate::store::{Reading, Store};

/// Most records one page answers.
const MAX_PAGE: usize = 1_000;
/// Rows the dashboard shows of the dead letters and of the audit stream.
const ROWS: usize = 20;
/// Days the charts show.
const DAYS: u32 = 14;

#[derive(serde::Deserialize, Default)]
pub struct Limit {
    pub limit: Option<usize>,
    /// Records to pass over, newest first (`/api/dead`).
    #[serde(default)]
    pub offset: usize,
}

fn audit(
    store: &mut Store,
    key: &str,
    limit: usize,
) -> anyhow::Result<Vec<crate::commands::audit::Record>> {
    Ok(store
        .audit_page(key, None, None, limit)?
        .into_iter()
        .map(crate::commands::audit::Record::new)
        .collect())
}

/// `GET /api/dead?offset=&limit=`: one page of the dead letters, newest first, as
/// `dead ls --json` records (positions count from 1 = the newest); one LRANGE, however
/// long the list.
pub async fn dead_list(
    State(app): State<Arc<App>>,
    Query(q): Query<Limit>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let records = blocking(&app, move |app, store| {
        let list = &app.config.dead_letters;
        Ok(store
            .range(list, q.offset, limit)?
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                letter::Record::new(list, q.offset + i + 1, &letter::Letter::parse(raw))
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(typed(&records, Exit::Ok))
}

/// `GET /api/audit?limit=`: the newest audit records, `audit --json` records.
pub async fn audit_list(
    State(app): State<Arc<App>>,
    Query(q): Query<Limit>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(50).min(MAX_PAGE);
    let records = blocking(&app, move |app, store| {
        audit(store, &app.config.audit.key, limit)
    })
    .await?;
    Ok(typed(&records, Exit::Ok))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    #[serde(default)]
    pub positions: Vec<usize>,
    #[serde(default)]
    pub all: bool,
    pub to: Option<String>,
    pub by: Option<String>,
    pub note: Option<String>,
}

fn quiet() -> Output {
    Output::new(true, true, 0, ColorChoice::Never)
}

/// `POST /api/dead/retry`: `dead retry --json`.
pub async fn retry(
    State(app): State<Arc<App>>,
    Extension(who): Extension<super::Principal>,
    headers: HeaderMap,
    Json(body): Json<Retry>,
) -> Result<Response, ApiError> {
    let actor = super::api::actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    if body.positions.is_empty() != body.all {
        return Err(
            crate::error::Fail::usage("give positions (1 = newest) or all, one of them").into(),
        );
    }
    if body.positions.contains(&0) {
        return Err(crate::error::Fail::usage(
            "positions count from 1 (1 = the newest dead letter)",
        )
        .into());
    }
    let retried = blocking(&app, move |app, store| {
        let args = dead::retry::Args {
            positions: body.positions,
            all: body.all,
            select: letter::Select {
                stage: None,
                since: None,
                conditions: Vec::new(),
            },
            to: body.to,
            actor: Default::default(),
        };
        dead::retry::execute(store, &app.config, args, &actor, &quiet())
    })
    .await?;
    let exit = retried.exit();
    Ok(typed(&retried, exit))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purge {
    /// A duration (`30d`); or `all: true`.
    pub older_than: Option<String>,
    #[serde(default)]
    pub all: bool,
    /// Must be true: the API's `--yes`.
    #[serde(default)]
    pub confirm: bool,
    pub by: Option<String>,
    pub note: Option<String>,
}

/// `POST /api/dead/purge`: `dead purge --yes --json`; refused without `"confirm": true`.
pub async fn purge(
    State(app): State<Arc<App>>,
    Extension(who): Extension<super::Principal>,
    headers: HeaderMap,
    Json(body): Json<Purge>,
) -> Result<Response, ApiError> {
    let actor = super::api::actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    let usage = |m: &str| ApiError::from(crate::error::Fail::usage(m.to_owned()));
    if !body.confirm {
        return Err(usage("not purging: say \"confirm\": true"));
    }
    let older = match (&body.older_than, body.all) {
        (Some(d), false) => {
            Some(crate::duration::arg(d).map_err(|e| usage(&format!("older_than: {e}")))?)
        }
        (None, true) => None,
        _ => {
            return Err(usage(
                "give older_than (e.g. \"30d\") or all: true, one of them",
            ));
        }
    };
    let purged = blocking(&app, move |app, store| {
        dead::purge::execute(store, &app.config, older, &actor, &quiet())
    })
    .await?;
    let exit = if purged.purged == 0 {
        Exit::NothingToDo
    } else {
        Exit::Ok
    };
    Ok(typed(&purged, exit))
}

/// What the dashboard shows, read per refresh in ONE round trip whatever the number of
/// stages: the status snapshot (guards included) with every chart's counters, the newest
/// dead letters and the newest audit records in the same pipeline.
struct Board {
    status: Status,
    /// The days of the charts, oldest first.
    days: Vec<String>,
    /// Processed per day, per stage with a handler (None: unreadable).
    daily: Vec<(String, Vec<Option<i64>>)>,
    /// Per day: enqueues with dedup, new and already seen.
    saturation: Vec<(String, i64, i64)>,
    /// The newest dead letters, or why they could not be read.
    dead: Reading<Vec<letter::Record>>,
    /// The newest audit records, or why they could not be read.
    audit: Reading<Vec<crate::commands::audit::Record>>,
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| v.to_string())
}

/// Most characters of a dead letter's item the dashboard shows (`/api/dead` has it whole).
const SHOWN: usize = 4_000;

/// A dead letter's item as text for the dashboard's "show", cut at [`SHOWN`] characters.
fn shown_item(item: &[u8]) -> String {
    let text = crate::item::display(item);
    match text.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}… ({} bytes in all)", &text[..at], item.len()),
        None => text,
    }
}

/// A page's rows, or none and why.
fn rows<T>(page: &Reading<Vec<T>>) -> (&[T], Option<&str>) {
    match page {
        Ok(rows) => (rows, None),
        Err(e) => (&[], Some(e)),
    }
}

fn render_board(b: &Board, who: &super::Principal) -> String {
    let operates = who.may(super::Role::Operator);
    let mut h = String::new();
    let _ = write!(
        h,
        "<p class=count>read {} from {}</p><table id=status><thead><tr><th>stage</th><th>kind</th>\
         <th>queued</th><th>leased</th><th>delayed</th><th>paused</th><th>rate limit left</th>\
         <th>oldest staged</th><th>today ok/failed/dead</th><th></th></tr></thead><tbody>",
        esc(&b.status.read_at),
        esc(&b.status.server)
    );
    for s in &b.status.stages {
        let paused = s.paused.unwrap_or(false);
        let _ = write!(
            h,
            "<tr data-stage=\"{name}\"><td>{name}</td><td>{kind}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"{pc}\">{}</td><td>{}</td><td>{}</td><td>{}/{}/{}</td><td>",
            opt(s.queued),
            opt(s.leased),
            opt(s.delayed),
            if paused {
                esc(s.paused_reason.as_deref().unwrap_or("paused"))
            } else {
                "no".into()
            },
            opt(s.rate_limit.as_ref().and_then(|r| r.remaining)),
            s.oldest_staged_ms.map(waited).unwrap_or_else(|| "–".into()),
            opt(s.today.succeeded),
            opt(s.today.failed),
            opt(s.today.dead),
            name = esc(&s.name),
            kind = esc(&format!("{:?}", s.kind).to_lowercase()),
            pc = if paused { "overdue" } else { "" },
        );
        if operates {
            let (verb, cls) = if paused {
                ("resume", "resume")
            } else {
                ("pause", "pause")
            };
            let _ = write!(
                h,
                "<button class={cls} data-stage=\"{}\">{verb}</button>",
                esc(&s.name)
            );
        }
        h.push_str("</td></tr>");
    }
    let _ = write!(
        h,
        "</tbody></table><h2>Dead letters: {} in {}</h2>",
        opt(b.status.dead_letters.count),
        esc(&b.status.dead_letters.queue)
    );
    h.push_str("<table><thead><tr><th>#</th><th>stage</th><th>error</th><th>attempts</th><th></th></tr></thead><tbody>");
    let (dead, dead_error) = rows(&b.dead);
    if let Some(e) = dead_error {
        let _ = write!(
            h,
            "<tr><td colspan=5 class=overdue>cannot read: {}</td></tr>",
            esc(e)
        );
    }
    for d in dead {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}<details><summary>show</summary><pre>{}</pre>\
             <p>failed {} · from {}</p></details></td><td>{}</td><td>",
            d.pos,
            esc(d.stage.as_deref().unwrap_or("")),
            esc(d.error.as_deref().unwrap_or("")),
            esc(&shown_item(&d.item.0)),
            esc(d.failed_at.as_deref().unwrap_or("–")),
            esc(d.source_queue.as_deref().unwrap_or("–")),
            opt(d.attempts)
        );
        if operates {
            let _ = write!(
                h,
                "<button class=retry data-pos=\"{}\">retry</button>",
                d.pos
            );
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table>");
    if operates && b.status.dead_letters.count.unwrap_or(0) > 0 {
        h.push_str("<button id=purge>purge all dead letters…</button>");
    }
    h.push_str("<h2>Processed per day</h2><div class=charts>");
    for (name, values) in &b.daily {
        h.push_str(&super::svg::bars(name, &b.days, values));
    }
    h.push_str("</div><h2>Saturation</h2>");
    h.push_str(&super::svg::saturation(&b.saturation));
    h.push_str("<h2>Audit stream</h2><table><thead><tr><th>time</th><th>action</th><th>stage</th><th>by</th><th>note</th></tr></thead><tbody>");
    let (audit, audit_error) = rows(&b.audit);
    if let Some(e) = audit_error {
        let _ = write!(
            h,
            "<tr><td colspan=5 class=overdue>cannot read: {}</td></tr>",
            esc(e)
        );
    }
    for r in audit {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(r.time.as_deref().unwrap_or("")),
            esc(r.action.as_deref().unwrap_or("")),
            esc(r.stage.as_deref().unwrap_or("")),
            esc(r.by.as_deref().unwrap_or("")),
            esc(r.note.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</tbody></table>");
    h
}

async fn board(app: &Arc<App>) -> Result<Board, ApiError> {
    blocking(app, |app, store| {
        use crate::keys;
        let name = &app.config.name;
        let days = crate::date::last_days(DAYS);
        let names: Vec<String> = app
            .config
            .stages
            .iter()
            .filter(|s| !matches!(s.handler, crate::config::Handler::Manual))
            .map(|s| keys::stage_counter(name, &s.name, "processed"))
            .collect();
        let mut counters: Vec<String> = names
            .iter()
            .flat_map(|n| days.iter().map(move |d| keys::counter(n, d)))
            .collect();
        for series in [keys::counter_new(name), keys::counter_dup(name)] {
            counters.extend(days.iter().map(|d| keys::counter(&series, d)));
        }
        let extra = crate::store::Probe {
            strings: counters,
            ranges: vec![(app.config.dead_letters.clone(), 0, ROWS)],
            streams: vec![(app.config.audit.key.clone(), ROWS)],
            ..Default::default()
        };
        let (status, mut read) = crate::commands::status::execute_with(&app.config, store, extra)?;
        let values: Vec<Option<i64>> = read
            .strings
            .iter()
            .map(|r| match r {
                Ok(None) => Some(0),
                Ok(Some(text)) => text.trim().parse().ok(),
                Err(_) => None,
            })
            .collect();
        let per = days.len().max(1);
        let mut chunks = values.chunks(per);
        let daily = names
            .iter()
            .map(|n| (n.clone(), chunks.next().unwrap_or_default().to_vec()))
            .collect();
        let (new, seen) = (
            chunks.next().unwrap_or_default(),
            chunks.next().unwrap_or_default(),
        );
        let at = |v: &[Option<i64>], i: usize| v.get(i).copied().flatten().unwrap_or(0);
        let saturation = days
            .iter()
            .enumerate()
            .map(|(i, d)| (d.clone(), at(new, i), at(seen, i)))
            .collect();
        let list = &app.config.dead_letters;
        let dead = read.ranges.pop().unwrap_or_else(|| Err("no reply".into()));
        let dead = dead.map(|page| {
            let records = page.into_iter().enumerate();
            records
                .map(|(i, raw)| letter::Record::new(list, i + 1, &letter::Letter::parse(raw)))
                .collect()
        });
        let audit = read.streams.pop().unwrap_or_else(|| Err("no reply".into()));
        let audit = audit.map(|page| {
            let records = page.into_iter();
            records.map(crate::commands::audit::Record::new).collect()
        });
        Ok(Board {
            status,
            days,
            daily,
            saturation,
            dead,
            audit,
        })
    })
    .await
}

/// `/ops`: the dashboard, refreshed every 2 s from `/ops/board`.
pub async fn page(
    State(app): State<Arc<App>>,
    Extension(who): Extension<super::Principal>,
    Extension(csrf): Extension<super::auth::Csrf>,
) -> Response {
    let me = match &who.person {
        Some(p) => format!("<span id=who>{} · {}</span>", esc(p), who.role.name()),
        None => "<label>operator <input id=by autocomplete=off></label>".to_owned(),
    };
    let me = format!("{me}{}", super::html::logout_button(&app));
    match board(&app).await {
        Ok(b) => Html(format!(
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>pipectl ops · {name}</title>\
             <link rel=stylesheet href=/assets/desk.css><meta name=csrf-token content=\"{csrf}\">\
             <script defer src=/assets/ops.js></script></head>\
             <body data-read-only=\"{ro}\"><header><h1>pipectl ops · {name}</h1><nav><a href=/>desk</a></nav>\
             <label>reason <input id=reason placeholder=\"pause reason\"></label>\
             {me}</header><p id=msg role=status></p>\
             <section id=board>{board}</section></body></html>",
            name = esc(&b.status.pipeline),
            ro = !who.may(super::Role::Operator),
            csrf = esc(&csrf.0),
            board = render_board(&b, &who)
        ))
        .into_response(),
        Err(err) => err.into_response(),
    }
}

pub async fn fragment(
    State(app): State<Arc<App>>,
    Extension(who): Extension<super::Principal>,
) -> Response {
    match board(&app).await {
        Ok(b) => Html(render_board(&b, &who)).into_response(),
        Err(err) => err.into_response(),
    }
}
