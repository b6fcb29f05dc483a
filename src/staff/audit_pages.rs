//! The audit trail as staff read it: `/staff/audit` and `GET /api/v1/audit`, newest first, by
//! campaign, country, actor, action and subject. Staff of one country read their country's
//! entries only (asking for another's is "not found"); entries about no country (campaigns, roles,
//! webhooks) are for admins and staff of every country.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::{Params, country_scope, only_known, param, require_staff, sees_all};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, StaffUser};
use crate::audit::{self, Filter, Row};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/audit", get(page))
        .route("/api/v1/audit", get(api))
}

const FILTERS: [&str; 8] = [
    "campaign",
    "country",
    "actor",
    "action",
    "subject_type",
    "subject_id",
    "before",
    "limit",
];

/// The filters as asked, checked, for the page's form and its "older" link.
#[derive(Default)]
struct Asked {
    campaign: String,
    country: String,
    actor: String,
    action: String,
    subject_type: String,
    subject_id: String,
}

struct Read {
    asked: Asked,
    rows: Vec<Row>,
    /// The id to ask `before` for the next page, when there may be one.
    next: Option<i64>,
}

fn number(errors: &mut FieldErrors, name: &str, value: Option<&str>) -> Option<i64> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.add(name, Msg::new("staff-error-number"));
            None
        }
    }
}

fn text<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>> {
    Ok(param(params, name)?
        .map(str::trim)
        .filter(|v| !v.is_empty()))
}

async fn read(state: &AppState, me: &Account, params: &Params, page_size: u32) -> Result<Read> {
    require_staff(me)?;
    only_known(params, &FILTERS)?;
    let country = country_scope(me, param(params, "country")?)?;
    let mut errors = FieldErrors::default();
    let actor = number(&mut errors, "actor", param(params, "actor")?);
    let subject_id = number(&mut errors, "subject_id", param(params, "subject_id")?);
    let before = number(&mut errors, "before", param(params, "before")?);
    let limit = number(&mut errors, "limit", param(params, "limit")?);
    let action = text(params, "action")?;
    let subject_type = text(params, "subject_type")?;
    if action.is_some_and(|a| a.len() > 100) {
        errors.add("action", Msg::new("staff-error-too-long"));
    }
    if subject_id.is_some() != subject_type.is_some() {
        errors.add("subject_id", Msg::new("staff-error-subject"));
    }
    let mut campaign_id = None;
    let slug = text(params, "campaign")?;
    if let Some(slug) = slug {
        match crate::campaigns::store::by_slug(&state.db, slug, Lang::FALLBACK).await? {
            Some(c) => campaign_id = Some(c.id),
            None => errors.add("campaign", Msg::new("staff-error-campaign")),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let limit = limit.map_or(page_size, |l| l.clamp(1, 500) as u32);
    let filter = Filter {
        campaign_id,
        country: country.as_deref(),
        actor_id: actor,
        action_prefix: action,
        subject: subject_type.zip(subject_id),
        before_id: before,
        limit,
    };
    let rows = audit::list(&state.db, &filter).await?;
    let next = (rows.len() as u32 == limit)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let show = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    Ok(Read {
        asked: Asked {
            campaign: slug.unwrap_or_default().to_string(),
            country: if sees_all(me) {
                country.unwrap_or_default()
            } else {
                String::new()
            },
            actor: show(actor),
            action: action.unwrap_or_default().to_string(),
            subject_type: subject_type.unwrap_or_default().to_string(),
            subject_id: show(subject_id),
        },
        rows,
        next,
    })
}

/// One entry as the page shows it.
struct Shown {
    row: Row,
    actor: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    page: PageCtx,
    asked: Asked,
    sees_all: bool,
    entries: Vec<Shown>,
    next_href: Option<String>,
}

impl AuditPage {
    fn when(&self, ms: &i64) -> String {
        chrono::DateTime::from_timestamp_millis(*ms)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default()
    }
}

async fn page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Query(params): Query<Params>,
) -> Result<Response> {
    let read = read(&state, &me, &params, 100).await?;
    let mut ids: Vec<i64> = read.rows.iter().filter_map(|r| r.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = super::store::account_names(&state.db, &ids).await?;
    let app = page.tr.t("staff-audit-actor-app");
    let entries = read
        .rows
        .into_iter()
        .map(|row| {
            let actor = match row.actor_id {
                Some(id) => names
                    .iter()
                    .find(|(n, _)| *n == id)
                    .map(|(_, name)| format!("{name} (#{id})"))
                    .unwrap_or_else(|| format!("#{id}")),
                None => app.clone(),
            };
            Shown { row, actor }
        })
        .collect();
    let next_href = read.next.map(|before| {
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "before")
            .cloned()
            .collect();
        pairs.push(("before".into(), before.to_string()));
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    crate::web::percent_encode(k),
                    crate::web::percent_encode(v)
                )
            })
            .collect();
        format!("/staff/audit?{}", query.join("&"))
    });
    let mut response = render(&AuditPage {
        page,
        asked: read.asked,
        sees_all: sees_all(&me),
        entries,
        next_href,
    });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

fn state_json(text: &Option<String>) -> Value {
    text.as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

async fn api(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Query(params): Query<Params>,
) -> Result<Response> {
    let read = read(&state, &me, &params, 100).await?;
    let entries: Vec<Value> = read
        .rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "at": chrono::DateTime::from_timestamp_millis(r.at)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
                "actor_id": r.actor_id,
                "action": r.action,
                "subject": {"type": r.subject_type, "id": r.subject_id},
                "campaign_id": r.campaign_id,
                "country": r.country,
                "before": state_json(&r.before_state),
                "after": state_json(&r.after_state),
            })
        })
        .collect();
    let mut response = Json(json!({"entries": entries, "next_before": read.next})).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
