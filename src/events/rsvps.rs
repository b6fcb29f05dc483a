//! RSVPs: a name and an email per attendee of a public event, a waitlist past capacity that moves
//! up when someone cancels, cancellation by a secret link, the host's attendee list.
//!
//! Every change to an event's RSVPs first bumps `events.rsvp_version` in its transaction
//! (`store::lock_rsvps`): on PostgreSQL that row lock serialises RSVPs of one event (so capacity is
//! never overshot), and on SQLite `BEGIN IMMEDIATE` already does. The statements are in
//! `store::rsvps`; the order they run in, here.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::store::rsvps as queries;
// `insert` stores a new RSVP in the caller's transaction, which chose its status and holds the
// event's lock (`store::lock_rsvps`) or created the event (the demo adds its RSVPs so).
pub use super::store::rsvps::{RsvpByToken, by_token, insert};
use super::{Event, store};
use crate::accounts::{parse_email, random_token};
use crate::config::Settings;
use crate::db::{Db, Tx};
use crate::error::{Error, Result};
use crate::i18n::FieldErrors;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::page::{PageCtx, render};
use crate::web::rate_limit::{self, Limit};

pub const RSVP_PER_IP: Limit = Limit {
    hits: 30,
    window_secs: 3600,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rsvps/{token}", get(manage_page))
        .route("/rsvps/{token}/cancel", post(cancel_form))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RsvpStatus {
    Confirmed,
    Waitlisted,
    Cancelled,
}

impl RsvpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpStatus::Confirmed => "confirmed",
            RsvpStatus::Waitlisted => "waitlisted",
            RsvpStatus::Cancelled => "cancelled",
        }
    }

    /// A stored status; an unknown one reads as cancelled.
    pub(crate) fn parse(s: &str) -> RsvpStatus {
        match s {
            "confirmed" => RsvpStatus::Confirmed,
            "waitlisted" => RsvpStatus::Waitlisted,
            _ => RsvpStatus::Cancelled,
        }
    }
}

/// What someone typed into the RSVP form or sent to the API.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RsvpFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub consent: Option<String>,
    /// "Tell me what happens": good news about the cases, by mail (off unless ticked).
    #[serde(default)]
    pub notify: Option<String>,
}

pub struct RsvpInput {
    pub name: String,
    pub email: String,
    pub consent: bool,
    pub notify: bool,
}

impl RsvpFields {
    pub fn check(&self) -> Result<RsvpInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = forms::line(&mut e, "name", &self.name, 1, 80);
        let email = parse_email(&mut e, "email", &self.email);
        e.into_result()?;
        let consent = self
            .consent
            .as_deref()
            .is_some_and(|v| matches!(v, "on" | "true" | "yes" | "1"));
        let notify = self
            .notify
            .as_deref()
            .is_some_and(|v| matches!(v, "on" | "true" | "yes" | "1"));
        Ok(RsvpInput {
            name,
            email,
            consent,
            notify,
        })
    }
}

/// What the person who sent the form is told. It is the same whatever the email's state (new,
/// attending, waitlisted, cancelled): `status` is what a new RSVP gets now, and neither the RSVP's
/// id nor its cancel link is in it (the link goes by mail to the address), so nobody can learn
/// from the answer whether a person is attending, nor take over their RSVP.
pub struct RsvpOutcome {
    pub status: RsvpStatus,
}

/// A repeat RSVP re-sends the attendee's confirmation at most once an hour.
const REPEAT_MAIL_EVERY_MS: i64 = 3_600_000;

/// Records an RSVP; the same email twice is the same RSVP. The caller checked the event is open.
/// Queues the confirmation (or waitlist notice) with the cancel link in the same transaction: the
/// raw token exists only here.
pub async fn rsvp(
    db: &Db,
    settings: &Settings,
    event: &Event,
    input: &RsvpInput,
    lang: Lang,
) -> Result<RsvpOutcome> {
    let mut tx = db.begin_write().await?;
    store::lock_rsvps(&mut tx, event.id).await?;
    let existing = queries::existing(&mut tx, event.id, &input.email).await?;
    let room = match event.capacity {
        None => true,
        Some(capacity) => queries::confirmed_count(&mut tx, event.id).await? < capacity,
    };
    let status = if room {
        RsvpStatus::Confirmed
    } else {
        RsvpStatus::Waitlisted
    };
    let token = random_token();
    let now = db.now_ms();
    match existing {
        Some(queries::Existing {
            id,
            status: current,
            name,
            lang: their_lang,
        }) if current != RsvpStatus::Cancelled => {
            // Already attending or waiting: nothing changes. The attendee is told by mail (with a
            // fresh cancel link), and the sender gets the answer a new RSVP would get.
            let token = new_cancel_link(&mut tx, now, id).await?;
            crate::events::mail::rsvp_made(
                &mut tx,
                now,
                settings,
                event,
                // Their own name and language: nothing the sender typed reaches their inbox.
                &name,
                &input.email,
                their_lang,
                current == RsvpStatus::Confirmed,
                &token,
                Some(format!("rsvp-again:{id}:{}", now / REPEAT_MAIL_EVERY_MS)),
            )
            .await?;
        }
        Some(queries::Existing { id, .. }) => {
            queries::reopen(&mut tx, now, id, input, lang, status, &token).await?;
            rsvp_made(&mut tx, now, settings, event, input, lang, status, &token).await?;
            super::webhooks::rsvp_created(&mut tx, now, event, id, status.as_str()).await?;
        }
        None => {
            let id = insert(&mut tx, now, event.id, input, lang, status, &token).await?;
            rsvp_made(&mut tx, now, settings, event, input, lang, status, &token).await?;
            super::webhooks::rsvp_created(&mut tx, now, event, id, status.as_str()).await?;
        }
    }
    tx.commit().await?;
    Ok(RsvpOutcome { status })
}

/// The confirmation (or waitlist notice) of a new or re-opened RSVP, with its cancel link.
#[allow(clippy::too_many_arguments)]
async fn rsvp_made(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    event: &Event,
    input: &RsvpInput,
    lang: Lang,
    status: RsvpStatus,
    token: &str,
) -> Result<(), sqlx::Error> {
    crate::events::mail::rsvp_made(
        tx,
        now,
        settings,
        event,
        &input.name,
        &input.email,
        lang,
        status == RsvpStatus::Confirmed,
        token,
        None,
    )
    .await
}

/// Confirms waitlisted RSVPs, oldest first, while there is room. Returns the promoted ids.
pub async fn promote_waitlist(
    tx: &mut Tx,
    now: i64,
    event_id: i64,
    capacity: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    let confirmed = queries::confirmed_count(tx, event_id).await?;
    let room = match capacity {
        None => i64::MAX,
        Some(c) => (c - confirmed).max(0),
    };
    if room == 0 {
        return Ok(Vec::new());
    }
    let waiting = queries::waitlisted(tx, event_id).await?;
    let promoted: Vec<i64> = waiting
        .into_iter()
        .take(room.min(100_000) as usize)
        .collect();
    for id in &promoted {
        queries::confirm(tx, now, *id).await?;
    }
    Ok(promoted)
}

/// Another cancel link for an RSVP, for a later message (the first one's token is not kept).
pub async fn new_cancel_link(tx: &mut Tx, now: i64, rsvp_id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    queries::add_link(tx, now, rsvp_id, &token).await?;
    Ok(token)
}

/// Cancels by the secret link (again is fine); a freed place goes to the waitlist.
/// Returns the ids promoted from the waitlist.
pub async fn cancel(db: &Db, settings: &Settings, rsvp: &RsvpByToken) -> Result<Vec<i64>> {
    let mut tx = db.begin_write().await?;
    store::lock_rsvps(&mut tx, rsvp.event_id).await?;
    let status = queries::status_in(&mut tx, rsvp.id).await?;
    queries::set_cancelled(&mut tx, db.now_ms(), rsvp.id).await?;
    let promoted = if status == RsvpStatus::Confirmed {
        let capacity = store::capacity_in(&mut tx, rsvp.event_id).await?;
        promote_waitlist(&mut tx, db.now_ms(), rsvp.event_id, capacity).await?
    } else {
        Vec::new()
    };
    crate::events::mail::promoted(&mut tx, db.now_ms(), settings, rsvp.event_id, &promoted).await?;
    tx.commit().await?;
    Ok(promoted)
}

/// The RSVP form's answer: status and, for a new RSVP, the cancel link. No address here: it
/// reaches confirmed attendees by email.
#[derive(Template)]
#[template(path = "events/rsvp_done.html")]
pub struct RsvpDone {
    pub page: PageCtx,
    pub event: Event,
    pub status: RsvpStatus,
}

/// Answers the event page's RSVP form (its fields already checked).
pub async fn rsvp_form(
    state: &AppState,
    page: PageCtx,
    ip: std::net::IpAddr,
    event: Event,
    input: &RsvpInput,
) -> Result<Response> {
    rate_limit::hit(&state.db, &format!("rsvp-ip:{ip}"), RSVP_PER_IP).await?;
    let outcome = rsvp(&state.db, &state.settings, &event, input, page.lang).await?;
    tracing::info!(
        event_id = event.id,
        status = outcome.status.as_str(),
        "rsvp"
    );
    let mut response = render(&RsvpDone {
        page,
        event,
        status: outcome.status,
    });
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "events/rsvp_manage.html")]
struct ManagePage {
    page: PageCtx,
    event: Event,
    name: String,
    status: RsvpStatus,
    token: String,
    just_cancelled: bool,
}

async fn manage_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Result<Response> {
    let rsvp = by_token(&state.db, &token).await?.ok_or(Error::NotFound)?;
    let event = store::get(&state.db, rsvp.event_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut response = render(&ManagePage {
        page,
        event,
        name: rsvp.name,
        status: rsvp.status,
        token,
        just_cancelled: false,
    });
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize)]
struct Empty {}

async fn cancel_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let rsvp = by_token(&state.db, &token).await?.ok_or(Error::NotFound)?;
    let event = store::get(&state.db, rsvp.event_id)
        .await?
        .ok_or(Error::NotFound)?;
    let promoted = cancel(&state.db, &state.settings, &rsvp).await?;
    tracing::info!(
        event_id = event.id,
        rsvp_id = rsvp.id,
        promoted = promoted.len(),
        "rsvp cancelled"
    );
    Ok(render(&ManagePage {
        page,
        event,
        name: rsvp.name,
        status: RsvpStatus::Cancelled,
        token,
        just_cancelled: true,
    }))
}
