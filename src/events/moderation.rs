//! Staff moderation: reports from visitors ("report this event"), taking an event down with a
//! reason (and putting it back), and per-country safety mode. Staff for one country see and act
//! on that country only.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sqlx::Row;

use super::{EventStatus, store};
use crate::accounts::Account;
use crate::accounts::auth::StaffUser;
use crate::state::AppState;

use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::page::PageCtx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/moderation", get(moderation_page))
        .route("/staff/events/{id}/unpublish", post(unpublish))
        .route("/staff/events/{id}/republish", post(republish))
        .route("/staff/flags/{id}/dismiss", post(dismiss))
        .route("/staff/safety", post(safety))
}

pub struct FlagRow {
    pub id: i64,
    pub event_id: i64,
    pub event_title: String,
    pub country: String,
    pub status: String,
    pub reason: String,
    pub created_at: i64,
}

fn covers(me: &Account, country: &str) -> bool {
    me.is_staff_for(country)
}

#[derive(Template)]
#[template(path = "staff/moderation.html")]
struct ModerationPage {
    page: PageCtx,
    flags: Vec<FlagRow>,
    unpublished: Vec<(i64, String, String)>,
    /// Reports that look unlikely: (report id, event id, event title, flags, letters + solidarity).
    flagged_reports: Vec<(i64, i64, String, String, i64)>,
    safety_countries: Vec<String>,
    errors: FieldErrors,
}

async fn moderation_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    show(&state, &me, page, FieldErrors::default()).await
}

async fn show(
    state: &AppState,
    me: &Account,
    page: PageCtx,
    errors: FieldErrors,
) -> Result<Response> {
    let rows = sqlx::query(
        "SELECT f.id, f.event_id, f.reason, f.created_at, e.title, e.country, e.status FROM event_flags f \
         JOIN events e ON e.id = f.event_id WHERE f.resolved_at IS NULL ORDER BY f.created_at DESC LIMIT 500",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut flags = Vec::new();
    for r in &rows {
        let country: String = r.try_get("country")?;
        if covers(me, &country) {
            flags.push(FlagRow {
                id: r.try_get("id")?,
                event_id: r.try_get("event_id")?,
                event_title: r.try_get("title")?,
                country,
                status: r.try_get("status")?,
                reason: r.try_get("reason")?,
                created_at: r.try_get("created_at")?,
            });
        }
    }
    let rows = sqlx::query(
        "SELECT id, title, country, moderation_reason FROM events WHERE status = 'unpublished' ORDER BY updated_at DESC LIMIT 200",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut unpublished = Vec::new();
    for r in &rows {
        let country: String = r.try_get("country")?;
        if covers(me, &country) {
            let reason: Option<String> = r.try_get("moderation_reason")?;
            unpublished.push((
                r.try_get("id")?,
                r.try_get("title")?,
                reason.unwrap_or_default(),
            ));
        }
    }
    let rows = sqlx::query(
        "SELECT r.id, r.event_id, r.flags, e.title, e.country, \
         CAST(COALESCE((SELECT SUM(i.letters + i.solidarity) FROM report_items i WHERE i.report_id = r.id), 0) AS BIGINT) AS written \
         FROM reports r JOIN events e ON e.id = r.event_id WHERE r.flags <> '' AND r.voided_at IS NULL \
         ORDER BY r.updated_at DESC LIMIT 200",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut flagged_reports = Vec::new();
    for r in &rows {
        let country: String = r.try_get("country")?;
        if covers(me, &country) {
            flagged_reports.push((
                r.try_get("id")?,
                r.try_get("event_id")?,
                r.try_get("title")?,
                r.try_get("flags")?,
                r.try_get("written")?,
            ));
        }
    }
    let safety_countries =
        sqlx::query("SELECT country FROM country_settings WHERE safety_mode = 1 ORDER BY country")
            .fetch_all(&state.db.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<Vec<String>, _>>()?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::web::page::render_status(
        status,
        &ModerationPage {
            page,
            flags,
            unpublished,
            flagged_reports,
            safety_countries,
            errors,
        },
    ))
}

async fn staff_event(state: &AppState, me: &Account, id: i64) -> Result<super::Event> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if covers(me, &event.country) {
        Ok(event)
    } else {
        Err(Error::Forbidden)
    }
}

#[derive(Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn unpublish(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response> {
    let event = staff_event(&state, &me, id).await?;
    let mut errors = FieldErrors::default();
    let reason = forms::text(&mut errors, "reason", &form.reason, 3, 500);
    if !errors.is_empty() {
        return show(&state, &me, page, errors).await;
    }
    let mut tx = state.db.begin_write().await?;
    store::set_status(
        &mut tx,
        state.db.now_ms(),
        event.id,
        EventStatus::Unpublished,
        Some(&reason),
    )
    .await?;
    sqlx::query(
        "UPDATE event_flags SET resolved_at = $1 WHERE event_id = $2 AND resolved_at IS NULL",
    )
    .bind(state.db.now_ms())
    .bind(event.id)
    .execute(&mut *tx)
    .await?;
    // For the people coming, a taken-down event is a cancelled one (at most one such mail each).
    crate::events::mail::event_changed(&mut tx, state.db.now_ms(), &state.settings, event.id, true)
        .await?;
    tx.commit().await?;
    tracing::info!(event_id = event.id, staff_id = me.id, "event unpublished");
    Ok(Redirect::to("/staff/moderation").into_response())
}

#[derive(Deserialize)]
struct Empty {}

async fn republish(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let event = staff_event(&state, &me, id).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_status(
        &mut tx,
        state.db.now_ms(),
        event.id,
        EventStatus::Published,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/moderation").into_response())
}

async fn dismiss(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let row = sqlx::query(
        "SELECT e.country FROM event_flags f JOIN events e ON e.id = f.event_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let country: String = row.try_get(0)?;
    if !covers(&me, &country) {
        return Err(Error::Forbidden);
    }
    sqlx::query("UPDATE event_flags SET resolved_at = $1 WHERE id = $2")
        .bind(state.db.now_ms())
        .bind(id)
        .execute(&state.db.pool)
        .await?;
    Ok(Redirect::to("/staff/moderation").into_response())
}

#[derive(Deserialize)]
struct SafetyForm {
    #[serde(default)]
    country: String,
    #[serde(default)]
    on: String,
}

async fn safety(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    CsrfForm(form): CsrfForm<SafetyForm>,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let country = forms::country(&mut errors, "country", &form.country);
    let on = match form.on.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            errors.add("on", Msg::new("field-choice"));
            false
        }
    };
    if !errors.is_empty() {
        return show(&state, &me, page, errors).await;
    }
    if !covers(&me, &country) {
        return Err(Error::Forbidden);
    }
    store::set_safety_mode(&state.db, &country, on).await?;
    tracing::info!(country = %country, on, staff_id = me.id, "safety mode changed");
    // The tally shows no city of a country under safety mode: rebuild it now, not at the next
    // report.
    for campaign_id in crate::campaigns::store::ids(&state.db).await? {
        state.tally().changed(campaign_id).await;
    }
    Ok(Redirect::to("/staff/moderation").into_response())
}
