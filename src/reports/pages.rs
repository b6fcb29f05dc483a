//! The host's report-back pages: the form (one row per case, two numbers each, then participants
//! and a short story), the list of an event's reports with its totals, editing with history, and
//! staff voiding. A double click or a browser retry counts once: the form carries a one-time token
//! used as its idempotency key.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::access::{Access, Read, event_access, report_access};
use super::api::slugs;
use super::ingest::NewReport;
use super::store::{self, Report};
use super::{ItemBody, ReportBody, ReportInput, plausibility};
use crate::accounts::auth::SignedIn;
use crate::accounts::random_token;
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::events::store::{EventTotals, event_totals};
use crate::i18n::FieldErrors;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::idempotency::Idempotency;
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/report", get(new_page).post(create))
        .route("/events/{id}/reports", get(list_page))
        .route("/reports/{id}/edit", get(edit_page).post(edit))
        .route("/reports/{id}/void", post(void))
}

/// One row of the form: a case and what was typed for it.
pub struct Row {
    pub case: Case,
    pub letters: String,
    pub solidarity: String,
    pub index: usize,
}

#[derive(Template)]
#[template(path = "reports/form.html")]
struct FormPage {
    page: PageCtx,
    event: Event,
    rows: Vec<Row>,
    participants: String,
    highlights: String,
    token: String,
    errors: FieldErrors,
    /// Editing this report, or a new one.
    report: Option<Report>,
    history: Vec<store::HistoryLine>,
    open: bool,
}

impl FormPage {
    fn item_errors(&self, index: &usize, field: &str) -> Vec<String> {
        self.page
            .field_errors(&self.errors, &format!("items[{index}].{field}"))
    }
}

fn rows_of(
    cases: Vec<Case>,
    typed: &HashMap<String, String>,
    current: Option<&ReportInput>,
) -> Vec<Row> {
    cases
        .into_iter()
        .enumerate()
        .map(|(index, case)| {
            let stored = current.and_then(|c| c.items.iter().find(|i| i.0 == case.id));
            let pick = |field: &str, n: Option<i64>| {
                typed
                    .get(&format!("{field}_{}", case.id))
                    .cloned()
                    .unwrap_or_else(|| n.map(|v| v.to_string()).unwrap_or_default())
            };
            Row {
                letters: pick("letters", stored.map(|s| s.1)),
                solidarity: pick("solidarity", stored.map(|s| s.2)),
                case,
                index,
            }
        })
        .collect()
}

/// The typed form as the API's report body, in case order (so `items[i]` is row `i`).
fn body_of(cases: &[Case], form: &HashMap<String, String>) -> ReportBody {
    let value = |k: String| Value::String(form.get(&k).cloned().unwrap_or_default());
    ReportBody {
        participants: value("participants".into()),
        items: cases
            .iter()
            .map(|c| ItemBody {
                case: c.slug.clone(),
                letters: value(format!("letters_{}", c.id)),
                solidarity: value(format!("solidarity_{}", c.id)),
            })
            .collect(),
        highlights: form.get("highlights").cloned(),
    }
}

/// The event, its campaign and cases in the page's language, and whether the form is open.
struct Context {
    event: Event,
    campaign: Campaign,
    cases: Vec<Case>,
    open: bool,
    /// Staff of the event's country: their changes are corrections, in the audit trail.
    staff: bool,
}

async fn context(state: &AppState, access: Access, page: &PageCtx) -> Result<Context> {
    let cases = campaigns::cases(&state.db, access.campaign.id, page.lang).await?;
    Ok(Context {
        staff: access.staff,
        event: std::sync::Arc::unwrap_or_clone(access.event),
        campaign: std::sync::Arc::unwrap_or_clone(access.campaign),
        cases,
        open: access.open,
    })
}

async fn event_context(
    state: &AppState,
    me: &crate::accounts::Account,
    event_id: i64,
    page: &PageCtx,
) -> Result<Context> {
    let access = event_access(state, me, event_id, Read::Now).await?;
    context(state, access, page).await
}

async fn report_context(
    state: &AppState,
    me: &crate::accounts::Account,
    id: i64,
    page: &PageCtx,
) -> Result<(Report, Context)> {
    let (report, access) = report_access(state, me, id).await?;
    Ok((report, context(state, access, page).await?))
}

async fn new_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let Context {
        event, cases, open, ..
    } = event_context(&state, &me, id, &page).await?;
    let rows = rows_of(cases, &HashMap::new(), None);
    Ok(render(&FormPage {
        page,
        event,
        rows,
        participants: String::new(),
        highlights: String::new(),
        token: random_token(),
        errors: FieldErrors::default(),
        report: None,
        history: Vec::new(),
        open,
    }))
}

async fn create(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response> {
    let Context {
        event, cases, open, ..
    } = event_context(&state, &me, id, &page).await?;
    if !open || event.status != crate::events::EventStatus::Published {
        return Err(Error::Forbidden);
    }
    let body = body_of(&cases, &form);
    let by_slug: HashMap<String, i64> = cases.iter().map(|c| (c.slug.clone(), c.id)).collect();
    let mut input = match body.check(&by_slug) {
        Ok(input) => input,
        Err(errors) => {
            let token = form.get("form_token").cloned().unwrap_or_else(random_token);
            let participants = form.get("participants").cloned().unwrap_or_default();
            let highlights = form.get("highlights").cloned().unwrap_or_default();
            let rows = rows_of(cases, &form, None);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    page,
                    event,
                    rows,
                    participants,
                    highlights,
                    token,
                    errors,
                    report: None,
                    history: Vec::new(),
                    open,
                },
            ));
        }
    };
    // Rows left empty are not part of the report.
    input.items.retain(|i| i.1 > 0 || i.2 > 0);
    let token = form
        .get("form_token")
        .map(String::as_str)
        .unwrap_or_default();
    let idempotency = if token.is_empty() {
        None
    } else {
        let headers = {
            let mut h = axum::http::HeaderMap::new();
            if let Ok(v) = axum::http::HeaderValue::from_str(&format!(
                "form:{}",
                token.chars().take(64).collect::<String>()
            )) {
                h.insert("idempotency-key", v);
            }
            h
        };
        Idempotency::from_request(
            &headers,
            me.id,
            &format!("form /events/{id}/report"),
            &serde_json::to_value(&input).unwrap_or_default(),
        )?
    };
    let flags = plausibility(&input, None);
    state
        .reports()
        .submit(NewReport {
            event_id: event.id,
            campaign_id: event.campaign_id,
            author_id: me.id,
            input,
            flags,
            idempotency,
            case_slugs: std::sync::Arc::new(slugs(&by_slug)),
        })
        .await?;
    Ok(Redirect::to(&format!("/events/{}/reports?thanks=1", event.id)).into_response())
}

#[derive(Template)]
#[template(path = "reports/list.html")]
struct ListPage {
    page: PageCtx,
    event: Event,
    campaign: Campaign,
    reports: Vec<Report>,
    totals: EventTotals,
    thanks: bool,
    open: bool,
    /// Photos just sent from this page's upload form.
    added: Option<i64>,
    errors: FieldErrors,
    max_mb: i64,
}

impl ListPage {
    /// The photo upload form on this page comes back here.
    fn upload_action(&self) -> String {
        format!("/events/{}/photos?from=reports", self.event.id)
    }

    fn upload_done(&self) -> String {
        format!("/events/{}/reports", self.event.id)
    }
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    thanks: Option<String>,
    added: Option<i64>,
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Result<Response> {
    let Context {
        event,
        campaign,
        open,
        ..
    } = event_context(&state, &me, id, &page).await?;
    let reports = store::of_event(&state.db, event.id).await?;
    let totals = event_totals(&state.db, event.id).await?;
    Ok(render(&ListPage {
        page,
        event,
        campaign,
        reports,
        totals,
        thanks: q.thanks.is_some(),
        open,
        added: q.added,
        errors: FieldErrors::default(),
        max_mb: (state.photos().settings.max_bytes / (1024 * 1024)) as i64,
    }))
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (report, cx) = report_context(&state, &me, id, &page).await?;
    let (event, cases) = (cx.event, cx.cases);
    let open = !report.voided && cx.open;
    let rows = rows_of(cases, &HashMap::new(), Some(&report.input));
    let history = store::history(&state.db, &report).await?;
    Ok(render(&FormPage {
        page,
        event,
        rows,
        participants: report.input.participants.to_string(),
        highlights: report.input.highlights.clone(),
        token: String::new(),
        errors: FieldErrors::default(),
        report: Some(report),
        history,
        open,
    }))
}

async fn edit(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response> {
    let (report, cx) = report_context(&state, &me, id, &page).await?;
    let (event, cases) = (cx.event, cx.cases);
    let open = !report.voided && cx.open;
    if !open {
        return Err(Error::Forbidden);
    }
    let body = body_of(&cases, &form);
    let by_slug: HashMap<String, i64> = cases.iter().map(|c| (c.slug.clone(), c.id)).collect();
    match body.check(&by_slug) {
        Ok(mut input) => {
            input.items.retain(|i| i.1 > 0 || i.2 > 0);
            let reason = form
                .get("reason")
                .map(|r| r.trim())
                .filter(|r| !r.is_empty());
            let by = store::By {
                id: me.id,
                staff: cx.staff,
            };
            store::replace(&state.db, &report, &event, by, &input, reason).await?;
            state.tally().changed(event.campaign_id).await;
            Ok(Redirect::to(&format!("/events/{}/reports", event.id)).into_response())
        }
        Err(errors) => {
            let participants = form.get("participants").cloned().unwrap_or_default();
            let highlights = form.get("highlights").cloned().unwrap_or_default();
            let rows = rows_of(cases, &form, Some(&report.input));
            let history = store::history(&state.db, &report).await?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    page,
                    event,
                    rows,
                    participants,
                    highlights,
                    token: String::new(),
                    errors,
                    report: Some(report),
                    history,
                    open,
                },
            ))
        }
    }
}

async fn void(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    _page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response> {
    let (report, access) = report_access(&state, &me, id).await?;
    let event = &access.event;
    // Voiding is for staff of the event's country, not for a host who happens to be staff.
    if !access.staff {
        return Err(Error::Forbidden);
    }
    let mut e = FieldErrors::default();
    let reason = forms::text(
        &mut e,
        "void_reason",
        form.get("void_reason").map(String::as_str).unwrap_or(""),
        3,
        500,
    );
    e.into_result().map_err(Error::Invalid)?;
    let by = store::By {
        id: me.id,
        staff: true,
    };
    store::void(&state.db, &report, event, by, &reason).await?;
    state.tally().changed(event.campaign_id).await;
    Ok(Redirect::to(&format!("/events/{}/reports", event.id)).into_response())
}
