//! Moderation queries: visitors' flags, events taken down, reports that look unlikely, and each
//! country's settings (safety mode).

use std::collections::HashSet;

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::{COLUMNS, input_of, set_public_point};
use crate::db::{Db, Tx};
use crate::events::{Event, EventStatus};

/// A visitor's flag ("report this event") not yet resolved.
pub struct FlagRow {
    pub id: i64,
    pub event_id: i64,
    pub event_title: String,
    pub country: String,
    pub status: EventStatus,
    pub reason: String,
    pub created_at: i64,
}

impl<'r> FromRow<'r, AnyRow> for FlagRow {
    fn from_row(row: &'r AnyRow) -> Result<FlagRow, sqlx::Error> {
        Ok(FlagRow {
            id: row.try_get("id")?,
            event_id: row.try_get("event_id")?,
            event_title: row.try_get("title")?,
            country: row.try_get("country")?,
            status: EventStatus::parse(&row.try_get::<String, _>("status")?),
            reason: row.try_get("reason")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

/// An event staff took down, with their reason.
#[derive(FromRow)]
pub struct Unpublished {
    pub id: i64,
    pub title: String,
    pub country: String,
    #[sqlx(rename = "moderation_reason")]
    pub reason: Option<String>,
}

/// A report that looks unlikely, with what it says was written (letters + solidarity).
#[derive(FromRow)]
pub struct FlaggedReport {
    pub id: i64,
    pub event_id: i64,
    pub flags: String,
    pub title: String,
    pub country: String,
    pub written: i64,
}

/// The newest open flags, every country (at most 500).
pub async fn open_flags(db: &Db) -> Result<Vec<FlagRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.event_id, f.reason, f.created_at, e.title, e.country, e.status FROM event_flags f \
         JOIN events e ON e.id = f.event_id WHERE f.resolved_at IS NULL ORDER BY f.created_at DESC LIMIT 500",
    )
    .fetch_all(&db.pool)
    .await
}

/// The events taken down most recently, every country (at most 200).
pub async fn unpublished(db: &Db) -> Result<Vec<Unpublished>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, country, moderation_reason FROM events WHERE status = 'unpublished' ORDER BY updated_at DESC LIMIT 200",
    )
    .fetch_all(&db.pool)
    .await
}

/// The reports with plausibility flags changed most recently, every country (at most 200).
pub async fn flagged_reports(db: &Db) -> Result<Vec<FlaggedReport>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.event_id, r.flags, e.title, e.country, \
         CAST(COALESCE((SELECT SUM(i.letters + i.solidarity) FROM report_items i WHERE i.report_id = r.id), 0) AS BIGINT) AS written \
         FROM reports r JOIN events e ON e.id = r.event_id WHERE r.flags <> '' AND r.voided_at IS NULL \
         ORDER BY r.updated_at DESC LIMIT 200",
    )
    .fetch_all(&db.pool)
    .await
}

/// A visitor's flag on an event.
pub async fn add_flag(db: &Db, now: i64, event_id: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_flags (event_id, reason, created_at) VALUES ($1, $2, $3)")
        .bind(event_id)
        .bind(reason)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The country of the event a flag is about.
pub async fn flag_country(db: &Db, flag_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT e.country FROM event_flags f JOIN events e ON e.id = f.event_id WHERE f.id = $1",
    )
    .bind(flag_id)
    .fetch_optional(&db.pool)
    .await
}

/// Resolves one flag in the caller's transaction; returns the event it was about.
pub async fn resolve_flag(tx: &mut Tx, now: i64, flag_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("UPDATE event_flags SET resolved_at = $1 WHERE id = $2 RETURNING event_id")
        .bind(now)
        .bind(flag_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Resolves every open flag of an event, in the caller's transaction.
pub async fn resolve_flags_of(tx: &mut Tx, now: i64, event_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE event_flags SET resolved_at = $1 WHERE event_id = $2 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a country is under safety mode.
pub async fn safety_mode(db: &Db, country: &str) -> Result<bool, sqlx::Error> {
    let on: Option<i32> =
        sqlx::query_scalar("SELECT safety_mode FROM country_settings WHERE country = $1")
            .bind(country)
            .fetch_optional(&db.pool)
            .await?;
    Ok(on.is_some_and(|v| v != 0))
}

/// Turns safety mode on or off for a country and recomputes every public point there.
pub async fn set_safety_mode(db: &Db, country: &str, on: bool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    set_safety_mode_in(&mut tx, db.now_ms(), country, on).await?;
    tx.commit().await
}

/// `set_safety_mode` in the caller's transaction (with its audit entry, for staff).
pub async fn set_safety_mode_in(
    tx: &mut Tx,
    now: i64,
    country: &str,
    on: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO country_settings AS s (country, safety_mode, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (country) DO UPDATE SET safety_mode = excluded.safety_mode, updated_at = excluded.updated_at",
    )
    .bind(country)
    .bind(i32::from(on))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.country = $1");
    let events: Vec<Event> = sqlx::query_as(&sql)
        .bind(country)
        .fetch_all(&mut **tx)
        .await?;
    for event in &events {
        set_public_point(tx, event.id, &input_of(event), on).await?;
    }
    Ok(())
}

/// The countries under safety mode (their events' public points are the town), for many
/// `insert`s in one transaction.
pub async fn safety_countries(tx: &mut Tx) -> Result<HashSet<String>, sqlx::Error> {
    let countries: Vec<String> =
        sqlx::query_scalar("SELECT country FROM country_settings WHERE safety_mode = 1")
            .fetch_all(&mut **tx)
            .await?;
    Ok(countries.into_iter().collect())
}

/// The countries under safety mode, in order, for the moderation page.
pub async fn countries_in_safety_mode(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT country FROM country_settings WHERE safety_mode = 1 ORDER BY country",
    )
    .fetch_all(&db.pool)
    .await
}
