//! `/api/…`: the CLI's typed results as JSON, from the same execute functions.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use super::auth::Principal;
use super::{ApiError, App, blocking, typed};
use crate::audit::Actor;
use crate::commands::review::approve::{self, Kind, Verdict};
use crate::commands::review::{self, Selection, StageArg, send_back, staged};
use crate::commands::surgery::select::parse_span;
use crate::exit::Exit;
use crate::input::parse_condition;
use crate::output::Output;

/// Most staged items one page answers.
const MAX_PAGE: usize = 1_000;

/// The header naming the reviewer, when the body does not (`by`).
pub const REVIEWER: &str = "x-pipectl-reviewer";

/// Who acts: the token's person; without per-person tokens the body's `by`, else the
/// `X-Pipectl-Reviewer` header, else the server's default; with the note, checked as
/// `--by`/`--note` are.
pub(super) fn actor(
    app: &App,
    who: &Principal,
    headers: &HeaderMap,
    by: Option<&str>,
    note: Option<&str>,
) -> Result<Actor, ApiError> {
    let header = headers.get(REVIEWER).and_then(|v| v.to_str().ok());
    let asked = by.map(str::trim).filter(|b| !b.is_empty()).or(header);
    let by = who.decider(asked)?;
    let by = by.as_deref().unwrap_or(&app.default_by);
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    Ok(Actor::resolve(Some(by), note)?)
}

/// No progress bars: a server has no terminal.
fn quiet() -> Output {
    Output::new(true, true, 0, crate::output::ColorChoice::Never)
}

pub async fn status(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let status = blocking(&app, |app, store| {
        crate::commands::status::execute(&app.config, store)
    })
    .await?;
    Ok(typed(&status, Exit::Ok))
}

/// `/metrics`: `pipectl metrics` of one scrape (one round trip to Redis).
pub async fn metrics(State(app): State<Arc<App>>) -> Result<Response, ApiError> {
    let text = blocking(&app, |app, store| {
        let scrape = crate::commands::metrics::scrape(&app.config, store)?;
        Ok(crate::commands::metrics::render(&scrape))
    })
    .await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    pub stage: Option<String>,
    #[serde(default)]
    pub offset: usize,
    pub limit: Option<usize>,
}

/// One page of `GET /api/staged`: the records `pipectl staged --json` prints.
#[derive(serde::Serialize)]
pub struct StagedList {
    pub stage: String,
    pub queue: String,
    pub total: u64,
    pub offset: usize,
    pub items: Vec<staged::StagedRecord>,
}

pub async fn staged(
    State(app): State<Arc<App>>,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(50).min(MAX_PAGE);
    let page = blocking(&app, move |app, store| {
        let manual = review::manual_of(&app.config, q.stage.as_deref())?;
        let page = staged::execute(store, &manual, q.offset, limit)?;
        Ok(StagedList {
            stage: manual.stage,
            queue: page.queue,
            total: page.total,
            offset: page.offset,
            items: page.items,
        })
    })
    .await?;
    Ok(typed(&page, Exit::Ok))
}

/// What approve / reject / send-back take: the CLI's selection and actor, as JSON.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Choose {
    pub stage: Option<String>,
    #[serde(default)]
    pub positions: Vec<String>,
    #[serde(default, rename = "where")]
    pub filters: Vec<String>,
    #[serde(default)]
    pub all: bool,
    pub limit: Option<u64>,
    #[serde(default)]
    pub force: bool,
    pub by: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

impl Choose {
    fn selection(&self, verb: &str) -> Result<Selection, ApiError> {
        let usage = |m: String| ApiError::from(crate::error::Fail::usage(m));
        let positions = self
            .positions
            .iter()
            .map(|p| parse_span(p).map_err(|e| usage(format!("position '{p}': {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let filters = self
            .filters
            .iter()
            .map(|w| parse_condition(w).map_err(|e| usage(format!("where '{w}': {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        if self.all && !positions.is_empty() {
            return Err(usage("give positions or all, not both".to_owned()));
        }
        if self.limit == Some(0) {
            return Err(usage("limit must be at least 1".to_owned()));
        }
        let sel = Selection {
            positions,
            filters,
            all: self.all,
            limit: self.limit,
            stage: StageArg {
                stage: self.stage.clone(),
            },
        };
        sel.check(verb)?;
        Ok(sel)
    }
}

async fn choose(
    app: Arc<App>,
    who: Principal,
    headers: HeaderMap,
    body: Choose,
    kind: Kind,
) -> Result<Response, ApiError> {
    let sel = body.selection(match kind {
        Kind::Approve => "approve",
        Kind::Reject => "reject",
    })?;
    let actor = actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    let decided = blocking(&app, move |app, store| {
        let manual = review::manual_of(&app.config, body.stage.as_deref())?;
        let verdict = Verdict {
            actor: &actor,
            force: body.force,
            reason: body
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
        };
        match kind {
            Kind::Approve => approve::execute(store, &manual, &sel, &verdict, &quiet()),
            Kind::Reject => review::reject::execute(store, &manual, &sel, &verdict, &quiet()),
        }
    })
    .await?;
    Ok(typed(&decided, decided.exit()))
}

pub async fn approve(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<Choose>,
) -> Result<Response, ApiError> {
    choose(app, who, headers, body, Kind::Approve).await
}

pub async fn reject(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<Choose>,
) -> Result<Response, ApiError> {
    choose(app, who, headers, body, Kind::Reject).await
}

pub async fn send_back(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<Choose>,
) -> Result<Response, ApiError> {
    let sel = body.selection("send back")?;
    let by = actor(&app, &who, &headers, body.by.as_deref(), None)?.by;
    let actor = send_back::note_actor(Some(&by), body.note.as_deref().unwrap_or_default())?;
    let sent = blocking(&app, move |app, store| {
        let manual = review::manual_of(&app.config, body.stage.as_deref())?;
        send_back::execute(store, &manual, &sel, &actor, body.force, &quiet())
    })
    .await?;
    Ok(typed(&sent, sent.exit()))
}

/// The desk's decision about the one item it shows: named by position and sha256, so an
/// item that moved meanwhile is never mistaken for another.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct One {
    pub stage: Option<String>,
    pub action: String,
    pub pos: usize,
    pub sha256: String,
    pub by: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

pub async fn decide(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<One>,
) -> Result<Response, ApiError> {
    let actor = actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    let sender = match body.action.as_str() {
        "send-back" => Some(send_back::note_actor(
            Some(&actor.by),
            body.note.as_deref().unwrap_or_default(),
        )?),
        "approve" | "reject" | "skip" => None,
        other => {
            return Err(crate::error::Fail::usage(format!(
                "action '{other}': say approve, reject, send-back or skip"
            ))
            .into());
        }
    };
    blocking(&app, move |app, store| {
        let manual = review::manual_of(&app.config, body.stage.as_deref())?;
        let found = super::desk::find_item(store, &manual, body.pos, &body.sha256)?;
        let Some((pos, item)) = found else {
            return Err(crate::error::Fail::new(
                Exit::NothingToDo,
                "that item is no longer staged: someone decided it meanwhile",
            )
            .into());
        };
        Ok(match body.action.as_str() {
            "approve" | "reject" => {
                let kind = if body.action == "approve" {
                    Kind::Approve
                } else {
                    Kind::Reject
                };
                let verdict = Verdict {
                    actor: &actor,
                    force: false,
                    reason: body
                        .reason
                        .as_deref()
                        .map(str::trim)
                        .filter(|r| !r.is_empty()),
                };
                let d = approve::decide_item(store, &manual, &item, pos, kind, &verdict)?;
                typed(&d, d.exit())
            }
            "send-back" => {
                let sender = sender.unwrap_or(actor);
                let s = send_back::send_item(store, &manual, &sender, &item, pos)?;
                typed(&s, s.exit())
            }
            _ => {
                let released = store.release_claims(&manual.keys, &actor.by, &[&item])?;
                typed(&serde_json::json!({"released": released}), Exit::Ok)
            }
        })
    })
    .await
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageChange {
    pub stage: String,
    pub reason: Option<String>,
    pub by: Option<String>,
    pub note: Option<String>,
}

pub async fn pause(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<StageChange>,
) -> Result<Response, ApiError> {
    let actor = actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    let paused = blocking(&app, move |app, store| {
        let reason = body
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        crate::commands::pause::pause(store, &app.config, &body.stage, reason, &actor)
    })
    .await?;
    Ok(typed(&paused, Exit::Ok))
}

pub async fn resume(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
    Json(body): Json<StageChange>,
) -> Result<Response, ApiError> {
    let actor = actor(
        &app,
        &who,
        &headers,
        body.by.as_deref(),
        body.note.as_deref(),
    )?;
    let resumed = blocking(&app, move |app, store| {
        crate::commands::pause::unpause(store, &app.config, &body.stage, &actor)
    })
    .await?;
    let exit = if resumed.was_paused {
        Exit::Ok
    } else {
        Exit::Failure
    };
    Ok(typed(&resumed, exit))
}
