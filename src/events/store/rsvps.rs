//! RSVP queries. The functions that change an event's RSVPs run in the caller's transaction,
//! which holds the event's RSVP lock (`super::lock_rsvps`) or created the event: that is what keeps
//! the capacity from being overshot (see `events::rsvps`).

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{Contact, lang};
use crate::accounts::secret_hash;
use crate::db::{Db, Tx};
use crate::events::rsvps::{RsvpInput, RsvpStatus};
use crate::i18n::Lang;

fn status(row: &AnyRow) -> Result<RsvpStatus, sqlx::Error> {
    Ok(RsvpStatus::parse(&row.try_get::<String, _>("status")?))
}

/// An RSVP made with an email, as its owner left it.
pub struct Existing {
    pub id: i64,
    pub status: RsvpStatus,
    pub name: String,
    pub lang: Lang,
}

impl<'r> FromRow<'r, AnyRow> for Existing {
    fn from_row(row: &'r AnyRow) -> Result<Existing, sqlx::Error> {
        Ok(Existing {
            id: row.try_get("id")?,
            status: status(row)?,
            name: row.try_get("name")?,
            lang: lang(row, "language")?,
        })
    }
}

/// An RSVP found by its cancel link.
pub struct RsvpByToken {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub status: RsvpStatus,
}

impl<'r> FromRow<'r, AnyRow> for RsvpByToken {
    fn from_row(row: &'r AnyRow) -> Result<RsvpByToken, sqlx::Error> {
        Ok(RsvpByToken {
            id: row.try_get("id")?,
            event_id: row.try_get("event_id")?,
            name: row.try_get("name")?,
            status: status(row)?,
        })
    }
}

/// Someone who RSVP'd, to write to.
pub struct Recipient {
    pub contact: Contact,
    pub status: RsvpStatus,
}

impl<'r> FromRow<'r, AnyRow> for Recipient {
    fn from_row(row: &'r AnyRow) -> Result<Recipient, sqlx::Error> {
        Ok(Recipient {
            contact: Contact {
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                lang: lang(row, "language")?,
            },
            status: status(row)?,
        })
    }
}

pub async fn confirmed_count(tx: &mut Tx, event_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND status = 'confirmed'")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// The RSVP an email already has for the event, whatever its status.
pub async fn existing(
    tx: &mut Tx,
    event_id: i64,
    email: &str,
) -> Result<Option<Existing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status, name, language FROM rsvps WHERE event_id = $1 AND email = $2",
    )
    .bind(event_id)
    .bind(email)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores a new RSVP, with the hash of its cancel link's `token`. Returns its id.
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
         created_at, updated_at, notify_outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
    )
    .bind(event_id)
    .bind(&input.name)
    .bind(&input.email)
    .bind(i32::from(input.consent))
    .bind(lang.code())
    .bind(status.as_str())
    .bind(secret_hash(token))
    .bind(now)
    .bind(i32::from(input.notify))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

/// Opens a cancelled RSVP again with what was sent now and a new cancel link's `token`.
#[allow(clippy::too_many_arguments)]
pub async fn reopen(
    tx: &mut Tx,
    now: i64,
    id: i64,
    input: &RsvpInput,
    lang: Lang,
    status: RsvpStatus,
    token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE rsvps SET name = $1, consent_contact = $2, language = $3, status = $4, \
         cancel_token_hash = $5, updated_at = $6, notify_outcome = $8 WHERE id = $7",
    )
    .bind(&input.name)
    .bind(i32::from(input.consent))
    .bind(lang.code())
    .bind(status.as_str())
    .bind(secret_hash(token))
    .bind(now)
    .bind(id)
    .bind(i32::from(input.notify))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The event's waitlisted RSVPs, oldest first.
pub async fn waitlisted(tx: &mut Tx, event_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn confirm(tx: &mut Tx, now: i64, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rsvps SET status = 'confirmed', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The RSVP's status as the caller's transaction sees it.
pub async fn status_in(tx: &mut Tx, id: i64) -> Result<RsvpStatus, sqlx::Error> {
    let row = sqlx::query("SELECT status FROM rsvps WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    status(&row)
}

pub async fn set_cancelled(tx: &mut Tx, now: i64, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rsvps SET status = 'cancelled', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The RSVP whose cancel link is `token` (the first one, kept on the RSVP, or a later one).
pub async fn by_token(db: &Db, token: &str) -> Result<Option<RsvpByToken>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(None);
    }
    // The first link lives on the RSVP; later messages each carry one from `rsvp_links`.
    sqlx::query_as(
        "SELECT id, event_id, name, status FROM rsvps WHERE cancel_token_hash = $1 \
         UNION ALL SELECT r.id, r.event_id, r.name, r.status FROM rsvp_links l \
         JOIN rsvps r ON r.id = l.rsvp_id WHERE l.token_hash = $1 LIMIT 1",
    )
    .bind(secret_hash(token))
    .fetch_optional(&db.pool)
    .await
}

/// Stores another cancel link's `token` for an RSVP.
pub async fn add_link(tx: &mut Tx, now: i64, rsvp_id: i64, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO rsvp_links (token_hash, rsvp_id, created_at) VALUES ($1, $2, $3)")
        .bind(secret_hash(token))
        .bind(rsvp_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who made an RSVP, to write to.
pub async fn recipient(tx: &mut Tx, id: i64) -> Result<Option<Recipient>, sqlx::Error> {
    sqlx::query_as("SELECT name, email, language, status FROM rsvps WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Everyone attending or waiting for an event, in the order they came, but those whose name and
/// address retention has erased (nobody to write to).
pub async fn recipients_of(tx: &mut Tx, event_id: i64) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, email, language, status FROM rsvps WHERE event_id = $1 \
         AND status IN ('confirmed', 'waitlisted') AND email NOT LIKE 'erased-%' ORDER BY id",
    )
    .bind(event_id)
    .fetch_all(&mut **tx)
    .await
}
