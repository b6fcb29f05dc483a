//! Every query of the events feature, and only here: events and their running totals (this
//! file), RSVPs (`rsvps`), attendee lists (`attendees`), flags, take-downs and country settings
//! (`moderation`), the finder's indexed search (`finder`), the campaign feeds (`feeds`).
//!
//! Rows are mapped once per type (`FromRow`); closed sets (kind, visibility, status) are parsed in
//! that mapping and bound by their `as_str`.

pub mod attendees;
pub mod feeds;
pub mod finder;
pub mod moderation;
pub mod rsvps;
pub mod schools;

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::DateTime;
use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, FromRow, Row};

use super::checks::EventInput;
use super::{Event, EventKind, EventStatus, RsvpCounts, Visibility, privacy};
use crate::db::{Db, Tx};
use crate::geo;
use crate::i18n::Lang;

pub use moderation::{safety_countries, set_safety_mode};

/// A query with its parameters bound so far.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

/// The columns of `events e` that make an [`Event`] (its [`FromRow`]).
pub(crate) const COLUMNS: &str = "e.id, e.campaign_id, e.host_id, e.title, e.kind, e.visibility, e.status, \
    e.moderation_reason, e.starts_at, e.ends_at, e.timezone, e.venue_name, e.address, e.city, e.region, \
    e.country, e.latitude, e.longitude, e.public_latitude, e.public_longitude, e.location_approximate, \
    e.capacity, e.accessibility, e.step_free, e.description, e.language";

/// Milliseconds since the epoch, as stored.
fn instant(row: &AnyRow, col: &str) -> Result<DateTime<chrono::Utc>, sqlx::Error> {
    let ms: i64 = row.try_get(col)?;
    Ok(DateTime::from_timestamp_millis(ms).unwrap_or_default())
}

/// A 0/1 flag, as stored.
fn flag(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i32, _>(col)? != 0)
}

/// A language code, as stored; an unknown one reads as the default language.
fn lang(row: &AnyRow, col: &str) -> Result<Lang, sqlx::Error> {
    Ok(Lang::from_code(&row.try_get::<String, _>(col)?).unwrap_or_default())
}

fn decode_error(col: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: format!("unknown value {value:?}").into(),
    }
}

/// The one mapping of [`COLUMNS`] to an [`Event`]. A kind this code never writes is an error; an
/// unknown visibility reads as private, an unknown status as published.
impl<'r> FromRow<'r, AnyRow> for Event {
    fn from_row(row: &'r AnyRow) -> Result<Event, sqlx::Error> {
        let kind: String = row.try_get("kind")?;
        let tz: String = row.try_get("timezone")?;
        Ok(Event {
            id: row.try_get("id")?,
            campaign_id: row.try_get("campaign_id")?,
            host_id: row.try_get("host_id")?,
            title: row.try_get("title")?,
            kind: EventKind::parse(&kind).ok_or_else(|| decode_error("kind", &kind))?,
            visibility: Visibility::parse(&row.try_get::<String, _>("visibility")?)
                .unwrap_or(Visibility::Private),
            status: EventStatus::parse(&row.try_get::<String, _>("status")?),
            moderation_reason: row.try_get("moderation_reason")?,
            starts_at: instant(row, "starts_at")?,
            ends_at: instant(row, "ends_at")?,
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
            location_approximate: flag(row, "location_approximate")?,
            capacity: row.try_get("capacity")?,
            accessibility: row.try_get("accessibility")?,
            step_free: flag(row, "step_free")?,
            description: row.try_get("description")?,
            language: row.try_get("language")?,
        })
    }
}

/// An event and its campaign's slug (`COLUMNS, c.slug AS campaign_slug`).
#[derive(FromRow)]
struct EventWithSlug {
    #[sqlx(flatten)]
    event: Event,
    campaign_slug: String,
}

/// The host-editable columns (and the finder's `search_text`), in the order [`bind_input`] binds
/// them: `$1` to `$19` in both [`insert`] and [`update`].
const INPUT_COLUMNS: [&str; 19] = [
    "title",
    "kind",
    "visibility",
    "starts_at",
    "ends_at",
    "timezone",
    "venue_name",
    "address",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "capacity",
    "accessibility",
    "step_free",
    "description",
    "language",
    "search_text",
];

/// Binds an event's input fields as [`INPUT_COLUMNS`] lists them.
fn bind_input<'q>(query: AnyQuery<'q>, input: &'q EventInput, safety: bool) -> AnyQuery<'q> {
    query
        .bind(&input.title)
        .bind(input.kind.as_str())
        .bind(input.visibility.as_str())
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
}

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let n = INPUT_COLUMNS.len();
    let params: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO events ({}, campaign_id, host_id, created_at, updated_at) \
         VALUES ({}, ${}, ${}, ${}, ${}) RETURNING id",
        INPUT_COLUMNS.join(", "),
        params.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 3,
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let n = INPUT_COLUMNS.len();
    let set: Vec<String> = INPUT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{col} = ${}", i + 1))
        .collect();
    format!(
        "UPDATE events SET {}, updated_at = ${} WHERE id = ${}",
        set.join(", "),
        n + 1,
        n + 2
    )
});

/// What the finder's text search matches: never a venue name the public may not see.
fn search_text(input: &EventInput, safety: bool) -> String {
    if input.hides_location() || safety {
        geo::fold(&format!("{} {}", input.title, input.city))
    } else {
        geo::fold(&format!(
            "{} {} {}",
            input.title, input.venue_name, input.city
        ))
    }
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
    let id: i64 = bind_input(sqlx::query(&INSERT), input, safety)
        .bind(campaign_id)
        .bind(host_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    set_public_point(tx, id, input, safety).await?;
    Ok(id)
}

/// Replaces the host-editable fields.
pub async fn update(
    tx: &mut Tx,
    now: i64,
    id: i64,
    input: &EventInput,
    safety: bool,
) -> Result<(), sqlx::Error> {
    bind_input(sqlx::query(&UPDATE), input, safety)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    set_public_point(tx, id, input, safety).await
}

/// The per-installation secret behind the offsets of `privacy::coarsen`; made once, shared by
/// every server process.
async fn location_salt(tx: &mut Tx) -> Result<String, sqlx::Error> {
    let fresh = crate::accounts::random_token();
    sqlx::query("INSERT INTO settings (name, value) VALUES ('location_salt', $1) ON CONFLICT (name) DO NOTHING")
        .bind(&fresh)
        .execute(&mut **tx)
        .await?;
    sqlx::query("SELECT value FROM settings WHERE name = 'location_salt'")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// Stores where the public sees the event (see `privacy::public_point`).
async fn set_public_point(
    tx: &mut Tx,
    id: i64,
    input: &EventInput,
    safety: bool,
) -> Result<(), sqlx::Error> {
    let salt = location_salt(tx).await?;
    let (lat, lon, approximate) = privacy::public_point(
        id,
        &salt,
        input.hides_location(),
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

/// The fields of a stored event, as an input to edit.
pub fn input_of(event: &Event) -> EventInput {
    EventInput {
        title: event.title.clone(),
        kind: event.kind,
        visibility: event.visibility,
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

/// Takes the event's RSVP lock in the caller's transaction: bumps `events.rsvp_version`, which on
/// PostgreSQL holds the row lock until commit (SQLite's `BEGIN IMMEDIATE` already serialises).
/// Every change to an event's RSVPs or capacity does this first (see `rsvps`).
pub async fn lock_rsvps(tx: &mut Tx, event_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET rsvp_version = rsvp_version + 1 WHERE id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Event>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(&db.pool).await
}

/// The event as the caller's transaction sees it.
pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Event, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM events e WHERE e.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_one(&mut **tx).await
}

/// The campaign slug of an event (for links and views).
pub async fn campaign_slug(db: &Db, campaign_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT slug FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)
}

/// The campaign slug of an event, inside a transaction.
pub async fn campaign_slug_in(tx: &mut Tx, campaign_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query("SELECT slug FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// A host's events, soonest first, with their campaign slugs.
pub async fn of_host(db: &Db, host_id: i64) -> Result<Vec<(Event, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, c.slug AS campaign_slug FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE e.host_id = $1 ORDER BY e.starts_at DESC, e.id"
    );
    let rows: Vec<EventWithSlug> = sqlx::query_as(&sql)
        .bind(host_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.event, r.campaign_slug))
        .collect())
}

/// Someone to write to, in their language.
pub struct Contact {
    pub name: String,
    pub email: String,
    pub lang: Lang,
}

/// Who hosts an event, to write to.
pub async fn host_contact(tx: &mut Tx, host_id: i64) -> Result<Contact, sqlx::Error> {
    let row = sqlx::query("SELECT email, display_name, language FROM accounts WHERE id = $1")
        .bind(host_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Contact {
        name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        lang: lang(&row, "language")?,
    })
}

/// An event's capacity, in the caller's transaction (which holds its RSVP lock).
pub async fn capacity_in(tx: &mut Tx, event_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT capacity FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
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
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(&sql).fetch_all(&db.pool).await?;
    for (id, status, n) in rows {
        let entry: &mut RsvpCounts = out.entry(id).or_default();
        if status == super::rsvps::RsvpStatus::Confirmed.as_str() {
            entry.confirmed = n;
        } else {
            entry.waitlisted = n;
        }
    }
    Ok(out)
}

/// How many events a campaign has, whatever their status, in the caller's transaction.
pub async fn count_in_campaign(tx: &mut Tx, campaign_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM events WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
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
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(now)
        .fetch_all(&db.pool)
        .await
}

/// An event's running totals.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, FromRow)]
pub struct EventTotals {
    pub reports: i64,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
}

/// The running totals of these events (the host's dashboard), by event id.
pub async fn totals_for(db: &Db, ids: &[i64]) -> Result<HashMap<i64, EventTotals>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Ids are integers we produced, so listing them inline is safe and keeps one statement.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT event_id, reports, letters, solidarity, participants FROM event_totals \
         WHERE event_id IN ({list})"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, reports, letters, solidarity, participants)| {
            let totals = EventTotals {
                reports,
                letters,
                solidarity,
                participants,
            };
            (id, totals)
        })
        .collect())
}

/// An event's running totals, as its reports moved them (`reports::store`).
pub async fn event_totals(db: &Db, event_id: i64) -> Result<EventTotals, sqlx::Error> {
    let totals = sqlx::query_as(
        "SELECT reports, letters, solidarity, participants FROM event_totals WHERE event_id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(totals.unwrap_or_default())
}
