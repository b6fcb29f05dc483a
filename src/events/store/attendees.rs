//! Who is coming: the attendee list, and whether an address is a confirmed attendee's.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{flag, instant};
use crate::db::Db;
use crate::events::rsvps::RsvpStatus;

/// An attendee, for the host and staff only.
#[derive(Serialize)]
pub struct Attendee {
    pub name: String,
    pub email: String,
    pub status: RsvpStatus,
    pub consent_contact: bool,
    pub language: String,
    /// RFC 3339.
    pub created_at: String,
}

impl<'r> FromRow<'r, AnyRow> for Attendee {
    fn from_row(row: &'r AnyRow) -> Result<Attendee, sqlx::Error> {
        Ok(Attendee {
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            status: RsvpStatus::parse(&row.try_get::<String, _>("status")?),
            consent_contact: flag(row, "consent_contact")?,
            language: row.try_get("language")?,
            created_at: instant(row, "created_at")?.to_rfc3339(),
        })
    }
}

/// An event's RSVPs: confirmed, then waitlisted, then cancelled, each in the order they came.
pub async fn of_event(db: &Db, event_id: i64) -> Result<Vec<Attendee>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, email, status, consent_contact, language, created_at FROM rsvps WHERE event_id = $1 \
         ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, id",
    )
    .bind(event_id)
    .fetch_all(&db.pool)
    .await
}

/// Whether an RSVP with this email is confirmed for the event.
pub async fn is_confirmed(db: &Db, event_id: i64, email: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND email = $2 AND status = 'confirmed'",
    )
    .bind(event_id)
    .bind(email)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}
