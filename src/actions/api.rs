//! The API of online actions: `POST /api/v1/campaigns/{campaign}/cases/{case}/actions` (anyone;
//! 202 and always the same body), `GET /api/v1/actions/challenge` (a proof-of-work challenge
//! for clients that are asked for one), and the delivery list as CSV for staff.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{ActionFields, store};
use crate::accounts::Account;
use crate::accounts::auth::ApiCaller;
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::staff::csv;
use crate::state::AppState;
use crate::web::api::ApiJson;
use crate::web::client_ip::ClientIp;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/campaigns/{campaign}/cases/{case}/actions",
            post(create),
        )
        .route(
            "/api/v1/campaigns/{campaign}/cases/{case}/actions.csv",
            get(delivery_csv),
        )
        .route("/api/v1/actions/challenge", get(challenge))
}

/// The body of an action: the fields, and a solved challenge when one was asked for.
#[derive(Deserialize, serde::Serialize)]
struct ActionBody {
    #[serde(flatten)]
    fields: ActionFields,
    #[serde(default)]
    altcha: Option<String>,
}

/// The one answer to every accepted action.
const CHECK_YOUR_EMAIL: &str = r#"{"status":"check_your_email"}"#;

pub async fn campaign_and_case(
    state: &AppState,
    slug: &str,
    case_slug: &str,
    lang: Lang,
) -> Result<(Campaign, Case)> {
    let campaign = campaigns::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let case = campaigns::case_by_slug(&state.db, campaign.id, case_slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((campaign, case))
}

/// [`campaign_and_case`] in the API's language, kept a couple of seconds: a case closed or
/// renamed meanwhile takes actions for that long at most.
async fn kept_campaign_and_case(
    state: &AppState,
    slug: &str,
    case_slug: &str,
) -> Result<Arc<(Campaign, Case)>> {
    let kept = &state.actions().cases;
    let key = (slug.to_string(), case_slug.to_string());
    if let Some(found) = kept.get(&key) {
        return Ok(found);
    }
    let found = Arc::new(campaign_and_case(state, slug, case_slug, Lang::FALLBACK).await?);
    kept.insert(key, found.clone());
    Ok(found)
}

async fn create(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((slug, case_slug)): Path<(String, String)>,
    ApiJson(body): ApiJson<ActionBody>,
) -> Result<Response> {
    let found = kept_campaign_and_case(&state, &slug, &case_slug).await?;
    let (campaign, case) = found.as_ref();
    super::take(
        &state,
        campaign,
        std::slice::from_ref(case),
        &body.fields,
        body.altcha.as_deref(),
        Lang::FALLBACK,
        ip,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        CHECK_YOUR_EMAIL,
    )
        .into_response())
}

async fn challenge(State(state): State<AppState>) -> Result<Response> {
    let json = super::abuse::challenge(&state).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        json,
    )
        .into_response())
}

/// Who may download a case's list for its authority: admins and staff of every country, and
/// staff of the case's country (the section that delivers it).
pub fn may_deliver(me: &Account, case: &Case) -> Result<()> {
    if me.can_manage_campaigns() || me.is_staff_for(&case.country) {
        Ok(())
    } else if me.is_staff() {
        Err(Error::NotFound)
    } else {
        Err(Error::Forbidden)
    }
}

/// The case's counted actions as CSV: name, country, message, confirmed_at (no emails).
pub async fn csv_body(state: &AppState, case: &Case) -> Result<String> {
    let mut out = String::new();
    csv::header_row(&mut out, &["name", "country", "message", "confirmed_at"]);
    for s in store::signatures(&state.db, case.id).await? {
        csv::Line::new(&mut out)
            .text(&s.name)
            .text(&s.country)
            .text(&s.message)
            .time(Some(s.confirmed_at))
            .end();
    }
    Ok(out)
}

async fn delivery_csv(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    let (campaign, case) = campaign_and_case(&state, &slug, &case_slug, Lang::FALLBACK).await?;
    may_deliver(&me, &case)?;
    let body = csv_body(&state, &case).await?;
    super::staff::audit_download(&state, &me, &campaign, &case, "csv").await?;
    Ok(csv_response(
        &format!("{}-{}-actions.csv", campaign.slug, case.slug),
        body,
    ))
}

pub fn csv_response(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(body),
    )
        .into_response()
}
