//! Event queries.

use std::collections::{HashMap, HashSet};

use chrono::DateTime;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::checks::EventInput;
use super::{Event, EventStatus, RsvpCounts, Visibility, privacy};
use crate::db::{Db, Tx};
use crate::geo;

pub(crate) const COLUMNS: &str = "e.id, e.campaign_id, e.host_id, e.title, e.kind, e.visibility, e.status, \
    e.moderation_reason, e.starts_at, e.ends_at, e.timezone, e.venue_name, e.address, e.city, e.region, \
    e.country, e.latitude, e.longitude, e.public_latitude, e.public_longitude, e.location_approximate, \
    e.capacity, e.accessibility, e.step_free, e.description, e.language";

pub(crate) fn from_row(row: &AnyRow) -> Result<Event, sqlx::Error> {
    let ms = |col: &str| -> Result<_, sqlx::Error> {
        let v: i64 = row.try_get(col)?;
        Ok(DateTime::from_timestamp_millis(v).unwrap_or_default())
    };
    let tz: String = row.try_get("timezone")?;
    let visibility: String = row.try_get("visibility")?;
    let status: String = row.try_get("status")?;
    Ok(Event {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        host_id: row.try_get("host_id")?,
        title: row.try_get("title")?,
        kind: row.try_get("kind")?,
        visibility: Visibility::parse(&visibility).unwrap_or(Visibility::Private),
        status: EventStatus::parse(&status),
        moderation_reason: row.try_get("moderation_reason")?,
        starts_at: ms("starts_at")?,
        ends_at: ms("ends_at")?,
        timezone: tz.parse().unwrap_or(chrono_tz::Tz::UTC),
        venue_name: row.try_get("venue_name")?,
        address: row.try_get("address")?,
        city: row.try_get("city")?,
        region: row.try_get("region")?,
        country: row.try_get("country")?,
        latitude: row.try_get("latitude")?,
        longitude: row.try_get("longitude")?,
        public_latitude: row.try_get("public_latitude")?,
        public_longitude: row.try_get("public_longitude")?,
        location_approximate: row.try_get::<i32, _>("location_approximate")? != 0,
        capacity: row.try_get("capacity")?,
        accessibility: row.try_get("accessibility")?,
        step_free: row.try_get::<i32, _>("step_free")? != 0,
        description: row.try_get("description")?,
        language: row.try_get("language")?,
    })
}

/// What the finder's text search matches: never a venue name the public may not see.
fn search_text(input: &EventInput, safety: bool) -> String {
    if hides(input) || safety {
        geo::fold(&format!("{} {}", input.title, input.city))
    } else {
        geo::fold(&format!(
            "{} {} {}",
            input.title, input.venue_name, input.city
        ))
    }
}

fn hides(input: &EventInput) -> bool {
    input.kind == "home" || input.visibility == "private"
}

/// Stores a new event and its public point; returns its id.
pub async fn insert(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    host_id: i64,
    input: &EventInput,
    safety: bool,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO events (campaign_id, host_id, title, kind, visibility, starts_at, ends_at, timezone, \
         venue_name, address, city, region, country, latitude, longitude, capacity, accessibility, step_free, \
         description, language, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) \
         RETURNING id",
    )
    .bind(campaign_id)
    .bind(host_id)
    .bind(&input.title)
    .bind(&input.kind)
    .bind(&input.visibility)
    .bind(input.starts_at.timestamp_millis())
    .bind(input.ends_at.timestamp_millis())
    .bind(&input.timezone)
    .bind(&input.venue_name)
    .bind(&input.address)
    .bind(&input.city)
    .bind(&input.region)
    .bind(&input.country)
    .bind(input.latitude)
    .bind(input.longitude)
    .bind(input.capacity)
    .bind(&input.accessibility)
    .bind(i32::from(input.step_free))
    .bind(&input.description)
    .bind(&input.language)
    .bind(search_text(input, safety))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    set_public_point(tx, id, input, safety).await?;
    Ok(id)
}

async fn set_public_point(
    tx: &mut Tx,
    id: i64,
    input: &EventInput,
    safety: bool,
) -> Result<(), sqlx::Error> {
    let salt = privacy::location_salt(tx).await?;
    let (lat, lon, approximate) = privacy::public_point(
        id,
        &salt,
        hides(input),
        safety,
        (&input.city, &input.country, input.region.as_deref()),
        (input.latitude, input.longitude),
    );
    sqlx::query(
        "UPDATE events SET public_latitude = $1, public_longitude = $2, location_approximate = $3, search_text = $4 \
         WHERE id = $5",
    )
    .bind(lat)
    .bind(lon)
    .bind(i32::from(approximate))
    .bind(search_text(input, safety))
    .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the host-editable fields.
pub async fn update(
    tx: &mut Tx,
    now: i64,
    id: i64,
    input: &EventInput,
    safety: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE events SET title = $1, kind = $2, visibility = $3, starts_at = $4, ends_at = $5, timezone = $6, \
         venue_name = $7, address = $8, city = $9, region = $10, country = $11, latitude = $12, longitude = $13, \
         capacity = $14, accessibility = $15, step_free = $16, description = $17, language = $18, \
         search_text = $19, updated_at = $20 WHERE id = $21",
    )
    .bind(&input.title)
    .bind(&input.kind)
    .bind(&input.visibility)
    .bind(input.starts_at.timestamp_millis())
    .bind(input.ends_at.timestamp_millis())
    .bind(&input.timezone)
    .bind(&input.venue_name)
    .bind(&input.address)
    .bind(&input.city)
    .bind(&input.region)
    .bind(&input.country)
    .bind(input.latitude)
    .bind(input.longitude)
    .bind(input.capacity)
    .bind(&input.accessibility)
    .bind(i32::from(input.step_free))
    .bind(&input.description)
    .bind(&input.language)
    .bind(search_text(input, safety))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    set_public_point(tx, id, input, safety).await
}

/// The fields of a stored event, as an input to edit.
pub fn input_of(event: &Event) -> EventInput {
    EventInput {
        title: event.title.clone(),
        kind: event.kind.clone(),
        visibility: event.visibility.as_str().to_string(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        timezone: event.timezone.name().to_string(),
        venue_name: event.venue_name.clone(),
        address: event.address.clone(),
        city: event.city.clone(),
        region: event.region.clone(),
        country: event.country.clone(),
        latitude: event.latitude,
        longitude: event.longitude,
        capacity: event.capacity,
        accessibility: event.accessibility.clone(),
        step_free: event.step_free,
        description: event.description.clone(),
        language: event.language.clone(),
    }
}

pub async fn set_status(
    tx: &mut Tx,
    now: i64,
    id: i64,
    status: EventStatus,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE events SET status = $1, moderation_reason = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Event>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&db.pool).await?;
    row.as_ref().map(from_row).transpose()
}

/// The campaign slug of an event (for links and views).
pub async fn campaign_slug(db: &Db, campaign_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT slug FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)
}

/// A host's events, soonest first, with their campaign slugs.
pub async fn of_host(db: &Db, host_id: i64) -> Result<Vec<(Event, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, c.slug AS campaign_slug FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE e.host_id = $1 ORDER BY e.starts_at DESC, e.id"
    );
    let rows = sqlx::query(&sql).bind(host_id).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, r.try_get("campaign_slug")?)))
        .collect()
}

pub async fn counts(db: &Db, event_id: i64) -> Result<RsvpCounts, sqlx::Error> {
    Ok(counts_for(db, &[event_id])
        .await?
        .remove(&event_id)
        .unwrap_or_default())
}

/// RSVP numbers for many events in one query.
pub async fn counts_for(db: &Db, ids: &[i64]) -> Result<HashMap<i64, RsvpCounts>, sqlx::Error> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    // Ids are integers we produced, so listing them inline is safe and keeps one statement.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT event_id, status, COUNT(*) AS n FROM rsvps WHERE event_id IN ({list}) \
         AND status IN ('confirmed', 'waitlisted') GROUP BY event_id, status"
    );
    for row in sqlx::query(&sql).fetch_all(&db.pool).await? {
        let id: i64 = row.try_get("event_id")?;
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        let entry: &mut RsvpCounts = out.entry(id).or_default();
        if status == "confirmed" {
            entry.confirmed = n;
        } else {
            entry.waitlisted = n;
        }
    }
    Ok(out)
}

/// Turns safety mode on or off for a country and recomputes every public point there.
pub async fn set_safety_mode(db: &Db, country: &str, on: bool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO country_settings AS s (country, safety_mode, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (country) DO UPDATE SET safety_mode = excluded.safety_mode, updated_at = excluded.updated_at",
    )
    .bind(country)
    .bind(i32::from(on))
    .bind(db.now_ms())
    .execute(&mut *tx)
    .await?;
    let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.country = $1");
    let rows = sqlx::query(&sql).bind(country).fetch_all(&mut *tx).await?;
    for row in &rows {
        let event = from_row(row)?;
        set_public_point(&mut tx, event.id, &input_of(&event), on).await?;
    }
    tx.commit().await
}

/// The campaign slug of an event, inside a transaction.
pub async fn campaign_slug_in(tx: &mut Tx, campaign_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT slug FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// How many events a campaign has, whatever their status, in the caller's transaction.
pub async fn count_in_campaign(tx: &mut Tx, campaign_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM events WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// The countries under safety mode (their events' public points are the town), for many
/// [`insert`]s in one transaction.
pub async fn safety_countries(tx: &mut Tx) -> Result<HashSet<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT country FROM country_settings WHERE safety_mode = 1")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// A campaign's published events that have begun by `now`, in the order they were added.
pub async fn started_in_campaign(
    db: &Db,
    campaign_id: i64,
    now: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' \
         AND e.starts_at <= $2 ORDER BY e.id"
    );
    let rows = sqlx::query(&sql)
        .bind(campaign_id)
        .bind(now)
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(from_row).collect()
}

/// An event's running totals.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct EventTotals {
    pub reports: i64,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
}

/// An event's running totals, as its reports moved them (`reports::store`).
pub async fn event_totals(db: &Db, event_id: i64) -> Result<EventTotals, sqlx::Error> {
    let row = sqlx::query(
        "SELECT reports, letters, solidarity, participants FROM event_totals WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some(r) => Ok(EventTotals {
            reports: r.try_get("reports")?,
            letters: r.try_get("letters")?,
            solidarity: r.try_get("solidarity")?,
            participants: r.try_get("participants")?,
        }),
        None => Ok(EventTotals::default()),
    }
}
