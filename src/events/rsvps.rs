//! RSVPs: a name and an email per attendee of a public event, a waitlist past capacity that moves
//! up when someone cancels, cancellation by a secret link, the host's attendee list.
//!
//! Every change to an event's RSVPs first bumps `events.rsvp_version` in its transaction: on
//! PostgreSQL that row lock serialises RSVPs of one event (so capacity is never overshot), and on
//! SQLite `BEGIN IMMEDIATE` already does.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{Event, store};
use crate::accounts::{parse_email, random_token, secret_hash};
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

    fn parse(s: &str) -> RsvpStatus {
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
}

pub struct RsvpInput {
    pub name: String,
    pub email: String,
    pub consent: bool,
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
        Ok(RsvpInput {
            name,
            email,
            consent,
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

async fn lock_event(tx: &mut Tx, event_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET rsvp_version = rsvp_version + 1 WHERE id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn confirmed_count(tx: &mut Tx, event_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND status = 'confirmed'")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

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
    lock_event(&mut tx, event.id).await?;
    let existing = sqlx::query(
        "SELECT id, status, name, language FROM rsvps WHERE event_id = $1 AND email = $2",
    )
    .bind(event.id)
    .bind(&input.email)
    .fetch_optional(&mut *tx)
    .await?;
    let room = match event.capacity {
        None => true,
        Some(capacity) => confirmed_count(&mut tx, event.id).await? < capacity,
    };
    let status = if room {
        RsvpStatus::Confirmed
    } else {
        RsvpStatus::Waitlisted
    };
    let token = random_token();
    let now = db.now_ms();
    let existing = match existing {
        Some(row) => Some((
            row.try_get::<i64, _>("id")?,
            RsvpStatus::parse(&row.try_get::<String, _>("status")?),
            row.try_get::<String, _>("name")?,
            Lang::from_code(&row.try_get::<String, _>("language")?).unwrap_or_default(),
        )),
        None => None,
    };
    match existing {
        Some((id, current, name, their_lang)) if current != RsvpStatus::Cancelled => {
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
        Some((id, ..)) => {
            sqlx::query(
                "UPDATE rsvps SET name = $1, consent_contact = $2, language = $3, status = $4, \
                 cancel_token_hash = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(&input.name)
            .bind(i32::from(input.consent))
            .bind(lang.code())
            .bind(status.as_str())
            .bind(secret_hash(&token))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            rsvp_made(&mut tx, now, settings, event, input, lang, status, &token).await?;
        }
        None => {
            insert(&mut tx, now, event.id, input, lang, status, &token).await?;
            rsvp_made(&mut tx, now, settings, event, input, lang, status, &token).await?;
        }
    }
    tx.commit().await?;
    Ok(RsvpOutcome { status })
}

/// Stores a new RSVP, with the hash of its cancel link's `token`, in the caller's transaction,
/// which chose `status` and holds the event's lock (`lock_event`) or created the event. Returns
/// its id.
pub async fn insert(
    tx: &mut Tx,
    now: i64,
    event_id: i64,
    input: &RsvpInput,
    lang: Lang,
    status: RsvpStatus,
    token: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO rsvps (event_id, name, email, consent_contact, language, status, cancel_token_hash, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(event_id)
    .bind(&input.name)
    .bind(&input.email)
    .bind(i32::from(input.consent))
    .bind(lang.code())
    .bind(status.as_str())
    .bind(secret_hash(token))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
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
    let confirmed = confirmed_count(tx, event_id).await?;
    let room = match capacity {
        None => i64::MAX,
        Some(c) => (c - confirmed).max(0),
    };
    if room == 0 {
        return Ok(Vec::new());
    }
    let waiting: Vec<i64> = sqlx::query(
        "SELECT id FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<_, _>>()?;
    let promoted: Vec<i64> = waiting
        .into_iter()
        .take(room.min(100_000) as usize)
        .collect();
    for id in &promoted {
        sqlx::query("UPDATE rsvps SET status = 'confirmed', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(promoted)
}

/// An RSVP found by its cancel link.
pub struct RsvpByToken {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub status: RsvpStatus,
}

pub async fn by_token(db: &Db, token: &str) -> Result<Option<RsvpByToken>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(None);
    }
    // The first link lives on the RSVP; later messages each carry one from `rsvp_links`.
    let row = sqlx::query(
        "SELECT id, event_id, name, status FROM rsvps WHERE cancel_token_hash = $1 \
         UNION ALL SELECT r.id, r.event_id, r.name, r.status FROM rsvp_links l \
         JOIN rsvps r ON r.id = l.rsvp_id WHERE l.token_hash = $1 LIMIT 1",
    )
    .bind(secret_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(RsvpByToken {
            id: r.try_get("id")?,
            event_id: r.try_get("event_id")?,
            name: r.try_get("name")?,
            status: RsvpStatus::parse(&r.try_get::<String, _>("status")?),
        })
    })
    .transpose()
}

/// Another cancel link for an RSVP, for a later message (the first one's token is not kept).
pub async fn new_cancel_link(tx: &mut Tx, now: i64, rsvp_id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query("INSERT INTO rsvp_links (token_hash, rsvp_id, created_at) VALUES ($1, $2, $3)")
        .bind(secret_hash(&token))
        .bind(rsvp_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// Cancels by the secret link (again is fine); a freed place goes to the waitlist.
/// Returns the ids promoted from the waitlist.
pub async fn cancel(db: &Db, settings: &Settings, rsvp: &RsvpByToken) -> Result<Vec<i64>> {
    let mut tx = db.begin_write().await?;
    lock_event(&mut tx, rsvp.event_id).await?;
    let status: String = sqlx::query("SELECT status FROM rsvps WHERE id = $1")
        .bind(rsvp.id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    sqlx::query("UPDATE rsvps SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(db.now_ms())
        .bind(rsvp.id)
        .execute(&mut *tx)
        .await?;
    let promoted = if status == "confirmed" {
        let capacity: Option<i64> = sqlx::query("SELECT capacity FROM events WHERE id = $1")
            .bind(rsvp.event_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
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
