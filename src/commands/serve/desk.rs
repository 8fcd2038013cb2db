//! The review desk page (`/`): each manual stage's staged items in review order, the item
//! claimed for this reviewer beside its preview, and the keys that decide it.

use std::fmt::Write;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use super::auth::{Csrf, Principal, Role};
use super::html::{esc, safe_url, waited};
use super::{App, blocking};
use crate::audit::{Actor, sha256_hex};
use crate::commands::review::{self, Manual, staged};
use crate::config::Handler;
use crate::store::Store;
use crate::store::claims::Shown;

/// Items the list shows.
const LIST: usize = 50;
/// Items looked through for one the desk showed, when it moved from its position.
const FIND_BUDGET: usize = 10_000;

const CSS: &str = include_str!("assets/desk.css");
const JS: &str = include_str!("assets/desk.js");

pub async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

pub async fn ops_js() -> Response {
    asset(
        include_str!("assets/ops.js"),
        "text/javascript; charset=utf-8",
    )
}

pub async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(kind))],
        body,
    )
        .into_response()
}

/// The staged item at `pos` whose sha256 is `sha`, else the first such among the first
/// [`FIND_BUDGET`] (it moved when items before it were decided): its position and bytes.
pub fn find_item(
    store: &mut Store,
    manual: &Manual,
    pos: usize,
    sha: &str,
) -> anyhow::Result<Option<(usize, Vec<u8>)>> {
    if pos >= 1
        && let Some(item) = store.page(&manual.staged, pos - 1, 1)?.into_iter().next()
        && sha256_hex(&item).eq_ignore_ascii_case(sha)
    {
        return Ok(Some((pos, item)));
    }
    let mut offset = 0;
    while offset < FIND_BUDGET {
        let page = store.page(&manual.staged, offset, 1_000)?;
        if page.is_empty() {
            break;
        }
        let n = page.len();
        for (i, item) in page.into_iter().enumerate() {
            if sha256_hex(&item).eq_ignore_ascii_case(sha) {
                return Ok(Some((offset + i + 1, item)));
            }
        }
        offset += n;
    }
    Ok(None)
}

#[derive(serde::Deserialize, Default)]
pub struct DeskQuery {
    pub stage: Option<String>,
    pub by: Option<String>,
    /// Items passed over in this visit, by sha256, comma-separated.
    #[serde(default)]
    pub skip: String,
    /// The item the page shows (the list refresh says whether it is still staged).
    #[serde(default)]
    pub current: String,
}

/// What one page view read.
struct View {
    stages: Vec<String>,
    manual: Manual,
    by: String,
    page: staged::StagedPage,
    shown: Option<Shown>,
    now: u64,
}

fn read_view(
    app: &App,
    store: &mut Store,
    q: &DeskQuery,
    claim: bool,
    who: &Principal,
) -> anyhow::Result<View> {
    let stages = app
        .config
        .stages
        .iter()
        .filter(|s| matches!(s.handler, Handler::Manual) && s.input.is_some())
        .map(|s| s.name.clone())
        .collect();
    let stage = q.stage.as_deref().filter(|s| !s.is_empty());
    let manual = review::manual_of(&app.config, stage)?;
    // A token's person claims in their own name only; viewers claim nothing.
    let by = match &who.person {
        Some(person) => person.clone(),
        None => {
            let by = q.by.as_deref().map(str::trim).filter(|b| !b.is_empty());
            Actor::resolve(Some(by.unwrap_or(&app.default_by)), None)?.by
        }
    };
    let claim = claim && who.may(Role::Reviewer);
    let page = staged::execute(store, &manual, 0, LIST)?;
    let skip: Vec<&str> = q.skip.split(',').filter(|s| !s.is_empty()).collect();
    let passed: Vec<Vec<u8>> = page
        .items
        .iter()
        .filter(|r| skip.contains(&sha256_hex(&r.item.0).as_str()))
        .map(|r| r.item.0.clone())
        .collect();
    let now = store.server_ms()?;
    let shown = if claim {
        store.claim_next(&manual.keys, &by, manual.claim_ttl, &passed)?
    } else {
        // Who may not decide looks without claiming: the first listed item not passed over.
        page.items
            .iter()
            .find(|r| !passed.contains(&r.item.0))
            .filter(|_| !who.may(Role::Reviewer))
            .map(|r| Shown {
                pos: usize::try_from(r.pos).unwrap_or(usize::MAX),
                item: r.item.0.clone(),
                ask: None,
                ask_raw: None,
                since_ms: r.waiting_ms.map(|w| now.saturating_sub(w)),
            })
    };
    Ok(View {
        stages,
        manual,
        by,
        page,
        shown,
        now,
    })
}

pub async fn page(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    Extension(csrf): Extension<Csrf>,
    Query(q): Query<DeskQuery>,
) -> Response {
    let skip = q.skip.clone();
    let w = who.clone();
    match blocking(&app, move |app, store| read_view(app, store, &q, true, &w)).await {
        Ok(view) => Html(render(&app, &view, &skip, &who, &csrf)).into_response(),
        Err(err) => {
            let (status, doc) = err.doc();
            let body = format!(
                "<!doctype html><html><head><meta charset=utf-8><title>pipectl desk</title>\
                 <link rel=stylesheet href=/assets/desk.css></head><body><h1>pipectl desk</h1>\
                 <p class=error>{}</p><p>{}</p></body></html>",
                esc(&doc.error.message),
                esc(doc.error.hint.as_deref().unwrap_or_default())
            );
            (status, Html(body)).into_response()
        }
    }
}

/// The list alone, for the page's refresh; `X-Current-Gone: 1` when the item the page shows
/// is no longer staged (decided elsewhere).
pub async fn list(
    State(app): State<Arc<App>>,
    Extension(who): Extension<Principal>,
    Query(q): Query<DeskQuery>,
) -> Response {
    let current = q.current.clone();
    let result = blocking(&app, move |app, store| {
        let view = read_view(app, store, &q, false, &who)?;
        let gone =
            !q.current.is_empty() && find_item(store, &view.manual, 0, &q.current)?.is_none();
        Ok((view, gone))
    })
    .await;
    match result {
        Ok((view, gone)) => {
            let mut response = Html(render_list(&view, &current)).into_response();
            if gone {
                response
                    .headers_mut()
                    .insert("x-current-gone", HeaderValue::from_static("1"));
            }
            response
        }
        Err(err) => err.into_response(),
    }
}

/// The item as JSON, when it is a JSON object.
fn object(item: &[u8]) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(item) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One line about an item for the list: its name, url or first field, else its text.
fn summary(item: &[u8]) -> String {
    let text = match object(item) {
        Some(map) => ["name", "title", "url", "id"]
            .iter()
            .find_map(|k| map.get(*k))
            .or_else(|| map.values().next())
            .map(value_text)
            .unwrap_or_default(),
        None => String::from_utf8_lossy(item).into_owned(),
    };
    let mut cut: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        cut.push('…');
    }
    cut
}

fn render_list(view: &View, current: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<p class=count>{} staged in {}</p><table><thead><tr><th>#</th><th>item</th>\
         <th>waiting</th><th>claimed by</th><th>question</th></tr></thead><tbody>",
        view.page.total,
        esc(&view.page.queue)
    );
    for r in &view.page.items {
        let sha = sha256_hex(&r.item.0);
        let mine = if sha == current { " class=current" } else { "" };
        let wait = r.waiting_ms.map(waited).unwrap_or_else(|| "?".to_owned());
        let overdue = if r.overdue { " overdue" } else { "" };
        let _ = write!(
            h,
            "<tr data-sha=\"{sha}\"{mine}><td>{}</td><td>{}</td><td class=\"wait{overdue}\">{}</td>\
             <td>{}</td><td>{}</td></tr>",
            r.pos,
            esc(&summary(&r.item.0)),
            esc(&wait),
            esc(r.claimed_by.as_deref().unwrap_or("")),
            esc(r.question.as_deref().unwrap_or(""))
        );
    }
    h.push_str("</tbody></table>");
    if view.page.total > view.page.items.len() as u64 {
        let _ = write!(
            h,
            "<p class=count>… and {} more</p>",
            view.page.total - view.page.items.len() as u64
        );
    }
    let _ = view.now;
    h
}

fn render_item(app: &App, shown: &Shown, now: u64) -> String {
    let mut h = String::new();
    let waited_for = shown
        .since_ms
        .map(|s| waited(now.saturating_sub(s)))
        .unwrap_or_else(|| "?".to_owned());
    let _ = write!(
        h,
        "<h2>#{} <span class=wait>waiting {}</span></h2>",
        shown.pos,
        esc(&waited_for)
    );
    if let Some(ask) = &shown.ask {
        let _ = write!(
            h,
            "<p class=question><b>{} asks:</b> {}</p>",
            esc(&ask.stage),
            esc(&ask.question)
        );
    }
    h.push_str("<dl class=fields>");
    match object(&shown.item) {
        Some(map) => {
            for (k, v) in &map {
                let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&value_text(v)));
            }
        }
        None => {
            let _ = write!(h, "<dd>{}</dd>", esc(&String::from_utf8_lossy(&shown.item)));
        }
    }
    h.push_str("</dl>");
    let value: Value = serde_json::from_slice(&shown.item).unwrap_or(Value::Null);
    let framed = |url: &str| {
        let own = app.previews.as_ref().and_then(|p| p.url_for(url));
        own.or_else(|| safe_url(url).map(str::to_owned))
    };
    match staged::field_text(&value, &app.preview_field) {
        Some(url) => match framed(&url) {
            Some(url) => {
                let _ = write!(
                    h,
                    "<iframe id=preview sandbox=\"allow-scripts\" referrerpolicy=no-referrer \
                     src=\"{}\" title=preview></iframe>",
                    esc(&url)
                );
            }
            None => {
                let _ = write!(
                    h,
                    "<p class=error>preview not shown: {} is not an http(s) URL or a file under --preview-dir</p>",
                    esc(&app.preview_field)
                );
            }
        },
        None => {
            let _ = write!(h, "<p class=muted>no {} field</p>", esc(&app.preview_field));
        }
    }
    h
}

fn render(app: &App, view: &View, skip: &str, who: &Principal, csrf: &Csrf) -> String {
    let decides = who.may(Role::Reviewer);
    let sha = view
        .shown
        .as_ref()
        .map(|s| sha256_hex(&s.item))
        .unwrap_or_default();
    let pos = view.shown.as_ref().map_or(0, |s| s.pos);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
         <title>pipectl desk · {stage}</title><link rel=stylesheet href=/assets/desk.css>\
         <meta name=csrf-token content=\"{csrf}\"><script defer src=/assets/desk.js></script></head>\
         <body data-stage=\"{stage}\" data-by=\"{by}\" data-sha=\"{sha}\" data-pos=\"{pos}\" \
         data-skip=\"{skip}\" data-read-only=\"{ro}\"><header><h1>pipectl desk</h1><nav>",
        stage = esc(&view.manual.stage),
        by = esc(&view.by),
        skip = esc(skip),
        ro = !decides,
        csrf = esc(&csrf.0),
    );
    for s in &view.stages {
        let cls = if *s == view.manual.stage {
            " class=on"
        } else {
            ""
        };
        let _ = write!(h, "<a{cls} href=\"/?stage={0}\">{0}</a> ", esc(s));
    }
    let me = match &who.person {
        Some(person) => format!("<span id=who>{} · {}</span>", esc(person), who.role.name()),
        None => format!(
            "<label>reviewer <input id=by value=\"{}\" autocomplete=off></label>",
            esc(&view.by)
        ),
    };
    let me = format!("{me}{}", super::html::logout_button(app));
    let _ = write!(
        h,
        "<a href=/ops>ops</a></nav>{me}</header>\
         <p class=keys><kbd>j</kbd>/<kbd>s</kbd> next (skip) · <kbd>k</kbd> back · \
         <kbd>a</kbd> approve · <kbd>r</kbd> reject (reason) · <kbd>b</kbd> send back (note)</p>\
         <p id=msg role=status></p><main><section id=list>{}</section><section id=item>",
        render_list(view, &sha)
    );
    match &view.shown {
        Some(shown) => {
            h.push_str(&render_item(app, shown, view.now));
            if !decides {
                h.push_str(
                    "<p class=muted id=look>Looking only (viewer, or --read-only): \
                     <kbd>j</kbd> next, <kbd>k</kbd> back; nothing is claimed.</p>",
                );
            }
            if decides {
                h.push_str(
                    "<div class=actions><button id=approve>approve (a)</button>\
                     <button id=skip>skip (s)</button>\
                     <form id=reject-form><input id=reason placeholder=\"reason (optional)\">\
                     <button>reject (r)</button></form>",
                );
                if shown.ask.is_some() {
                    h.push_str(
                        "<form id=back-form><input id=note placeholder=\"note for the handler\" required>\
                         <button>send back (b)</button></form>",
                    );
                }
                h.push_str("</div>");
            }
        }
        None if !decides => h.push_str("<p class=muted id=none>Nothing more to look at here.</p>"),
        None => h.push_str(
            "<p class=muted id=none>Nothing to review here: nothing staged, or the rest is skipped or claimed by other reviewers.</p>",
        ),
    }
    h.push_str("</section></main></body></html>");
    h
}
