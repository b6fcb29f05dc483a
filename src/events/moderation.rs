//! Staff moderation: reports from visitors ("report this event"), taking an event down with a
//! reason (and putting it back), and per-country safety mode. Staff for one country see and act
//! on that country only.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::store::moderation::{self as queries, FlagRow, FlaggedReport, Unpublished};
use super::{EventStatus, store};
use crate::accounts::Account;
use crate::accounts::auth::StaffUser;
use crate::audit::{self, Entry, Subject};
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

fn covers(me: &Account, country: &str) -> bool {
    me.is_staff_for(country)
}

#[derive(Template)]
#[template(path = "staff/moderation.html")]
struct ModerationPage {
    page: PageCtx,
    flags: Vec<FlagRow>,
    unpublished: Vec<Unpublished>,
    /// Reports that look unlikely.
    flagged_reports: Vec<FlaggedReport>,
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
    // Staff see the countries they look after only.
    let mut flags = queries::open_flags(&state.db).await?;
    flags.retain(|f| covers(me, &f.country));
    let mut unpublished = queries::unpublished(&state.db).await?;
    unpublished.retain(|u| covers(me, &u.country));
    let mut flagged_reports = queries::flagged_reports(&state.db).await?;
    flagged_reports.retain(|r| covers(me, &r.country));
    let safety_countries = queries::countries_in_safety_mode(&state.db).await?;
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
    queries::resolve_flags_of(&mut tx, state.db.now_ms(), event.id).await?;
    let entry = Entry::new(
        Some(me.id),
        "event.unpublish",
        Subject::new("event", event.id),
    )
    .campaign(event.campaign_id)
    .country(&event.country)
    .before(json!({"status": event.status.as_str()}))
    .after(json!({"status": "unpublished", "reason": reason}));
    audit::record(&mut tx, state.db.now_ms(), &entry).await?;
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
    let entry = Entry::new(
        Some(me.id),
        "event.republish",
        Subject::new("event", event.id),
    )
    .campaign(event.campaign_id)
    .country(&event.country)
    .before(json!({"status": event.status.as_str(), "reason": event.moderation_reason}))
    .after(json!({"status": "published"}));
    audit::record(&mut tx, state.db.now_ms(), &entry).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/moderation").into_response())
}

async fn dismiss(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let country = queries::flag_country(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if !covers(&me, &country) {
        return Err(Error::Forbidden);
    }
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    if let Some(event_id) = queries::resolve_flag(&mut tx, now, id).await? {
        let entry = Entry::new(
            Some(me.id),
            "event_flag.dismiss",
            Subject::new("event_flag", id),
        )
        .country(&country)
        .after(json!({"event": event_id, "resolved": true}));
        audit::record(&mut tx, now, &entry).await?;
    }
    tx.commit().await?;
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
    let was = queries::safety_mode(&state.db, &country).await?;
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    queries::set_safety_mode_in(&mut tx, now, &country, on).await?;
    let entry = Entry::new(
        Some(me.id),
        "country.safety_mode",
        Subject {
            kind: "country",
            id: None,
        },
    )
    .country(&country)
    .before(json!({"safety_mode": was}))
    .after(json!({"safety_mode": on}));
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    tracing::info!(country = %country, on, staff_id = me.id, "safety mode changed");
    // The tally shows no city of a country under safety mode: rebuild it now, not at the next
    // report.
    for campaign_id in crate::campaigns::store::ids(&state.db).await? {
        state.tally().changed(campaign_id).await;
    }
    Ok(Redirect::to("/staff/moderation").into_response())
}

/// An event as the audit trail keeps it: what staff change, never the street address or the
/// exact point (the trail outlives the event's private details).
fn audit_state(
    title: &str,
    kind: &str,
    visibility: &str,
    (starts_at, ends_at): (i64, i64),
    (city, region, country): (&str, Option<&str>, &str),
    capacity: Option<i64>,
) -> serde_json::Value {
    json!({"title": title, "kind": kind, "visibility": visibility, "starts_at": starts_at,
        "ends_at": ends_at, "city": city, "region": region, "country": country,
        "capacity": capacity})
}

/// `Some(staff id)` when `me` acts on `event` as staff rather than as its host: such edits and
/// cancellations go to the audit trail.
pub fn acting_staff(me: &Account, event: &super::Event) -> Option<i64> {
    (me.id != event.host_id && covers(me, &event.country)).then_some(me.id)
}

/// The audit entry of an edit by staff, in the edit's transaction.
pub async fn audit_edit(
    tx: &mut crate::db::Tx,
    now: i64,
    staff: i64,
    event: &super::Event,
    input: &super::checks::EventInput,
) -> Result<(), sqlx::Error> {
    let before = audit_state(
        &event.title,
        event.kind.as_str(),
        event.visibility.as_str(),
        (
            event.starts_at.timestamp_millis(),
            event.ends_at.timestamp_millis(),
        ),
        (&event.city, event.region.as_deref(), &event.country),
        event.capacity,
    );
    let after = audit_state(
        &input.title,
        input.kind.as_str(),
        input.visibility.as_str(),
        (
            input.starts_at.timestamp_millis(),
            input.ends_at.timestamp_millis(),
        ),
        (&input.city, input.region.as_deref(), &input.country),
        input.capacity,
    );
    let entry = Entry::new(Some(staff), "event.update", Subject::new("event", event.id))
        .campaign(event.campaign_id)
        .country(&input.country)
        .before(before)
        .after(after);
    audit::record(tx, now, &entry).await.map(|_| ())
}

/// The audit entry of a cancellation by staff, in its transaction.
pub async fn audit_cancel(
    tx: &mut crate::db::Tx,
    now: i64,
    staff: i64,
    event: &super::Event,
) -> Result<(), sqlx::Error> {
    let entry = Entry::new(Some(staff), "event.cancel", Subject::new("event", event.id))
        .campaign(event.campaign_id)
        .country(&event.country)
        .before(json!({"status": event.status.as_str()}))
        .after(json!({"status": "cancelled"}));
    audit::record(tx, now, &entry).await.map(|_| ())
}
