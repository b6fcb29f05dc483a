//! `POST /api/v1/events/{id}/reports`, `PUT /api/v1/reports/{id}`, `POST /api/v1/reports/{id}/void`,
//! `GET /api/v1/events/{id}/reports`.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};

use super::access::{Read, event_access, report_access};
use super::ingest::NewReport;
use super::store::{self, ReportJson};
use super::{ReportBody, closed, plausibility};
use crate::accounts::auth::ApiCaller;
use crate::campaigns::store as campaigns;
use crate::error::{Error, Result};
use crate::events::store as events;
use crate::i18n::FieldErrors;
use crate::state::AppState;
use crate::web::api::ApiJson;
use crate::web::forms;
use crate::web::idempotency::Idempotency;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events/{id}/reports", get(list).post(create))
        .route("/api/v1/reports/{id}", put(replace))
        .route("/api/v1/reports/{id}/void", post(void))
}

pub fn slugs(cases: &HashMap<String, i64>) -> HashMap<i64, String> {
    cases.iter().map(|(s, id)| (*id, s.clone())).collect()
}

async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReportBody>,
) -> Result<Response> {
    let access = event_access(&state, &caller, id, Read::Kept).await?;
    let event = &access.event;
    if !access.open || event.status != crate::events::EventStatus::Published {
        return Err(closed());
    }
    let lookups = state.report_lookups();
    let mut cases = lookups.cases(&state.db, access.campaign.id, false).await?;
    let input = match body.check(&cases.ids) {
        Ok(input) => input,
        Err(_) => {
            // Perhaps a case added since the cases were cached: look again before refusing.
            cases = lookups.cases(&state.db, access.campaign.id, true).await?;
            body.check(&cases.ids).map_err(Error::Invalid)?
        }
    };
    let route = format!("POST /api/v1/events/{id}/reports");
    let idempotency = Idempotency::from_request(
        &headers,
        caller.id,
        &route,
        &serde_json::to_value(&body).unwrap_or_default(),
    )?;
    let flags = plausibility(&input, None);
    let stored = state
        .reports()
        .submit(NewReport {
            event_id: event.id,
            campaign_id: event.campaign_id,
            author_id: caller.id,
            input,
            flags,
            idempotency,
            case_slugs: cases.slugs.clone(),
        })
        .await?;
    Ok(stored.into_response())
}

#[derive(Serialize)]
struct ReportList {
    reports: Vec<ReportJson>,
    event_totals: events::EventTotals,
}

async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    let access = event_access(&state, &caller, id, Read::Now).await?;
    let slugs = slugs(&campaigns::case_ids(&state.db, access.campaign.id).await?);
    let reports = store::of_event(&state.db, access.event.id)
        .await?
        .iter()
        .map(|r| ReportJson::of(r, &slugs))
        .collect();
    let event_totals = events::event_totals(&state.db, access.event.id).await?;
    Ok(axum::Json(ReportList {
        reports,
        event_totals,
    })
    .into_response())
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ReplaceBody {
    participants: serde_json::Value,
    items: Vec<super::ItemBody>,
    #[serde(default)]
    highlights: Option<String>,
    /// Staff say why they correct someone else's report.
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Serialize)]
struct Replaced {
    report: ReportJson,
    event_totals: events::EventTotals,
}

async fn replace(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReplaceBody>,
) -> Result<Response> {
    let (report, access) = report_access(&state, &caller, id).await?;
    let cases = campaigns::case_ids(&state.db, access.campaign.id).await?;
    if !access.open {
        return Err(closed());
    }
    let parsed = ReportBody {
        participants: body.participants,
        items: body.items,
        highlights: body.highlights,
    };
    let input = parsed.check(&cases).map_err(Error::Invalid)?;
    let reason = body
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let event = &access.event;
    let by = store::By {
        id: caller.id,
        staff: access.staff,
    };
    let totals = store::replace(&state.db, &report, event, by, &input, reason).await?;
    state.tally().changed(event.campaign_id).await;
    let updated = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok(axum::Json(Replaced {
        report: ReportJson::of(&updated, &slugs(&cases)),
        event_totals: totals,
    })
    .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidBody {
    reason: String,
}

async fn void(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<VoidBody>,
) -> Result<Response> {
    let (report, access) = report_access(&state, &caller, id).await?;
    let cases = campaigns::case_ids(&state.db, access.campaign.id).await?;
    // Voiding is for staff of the event's country, not for a host who happens to be staff.
    if !access.staff {
        return Err(Error::Forbidden);
    }
    let mut e = FieldErrors::default();
    let reason = forms::text(&mut e, "reason", &body.reason, 3, 500);
    e.into_result().map_err(Error::Invalid)?;
    let event = &access.event;
    let by = store::By {
        id: caller.id,
        staff: true,
    };
    let totals = store::void(&state.db, &report, event, by, &reason).await?;
    state.tally().changed(event.campaign_id).await;
    let updated = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok(axum::Json(Replaced {
        report: ReportJson::of(&updated, &slugs(&cases)),
        event_totals: totals,
    })
    .into_response())
}
