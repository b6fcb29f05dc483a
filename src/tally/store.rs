//! The tally's SQL: the counters reports move, and the events and cases it reads beside them.

use crate::db::Db;

/// One counter: a dimension's key and its sums.
#[derive(sqlx::FromRow)]
pub struct Counter {
    pub dimension: String,
    pub dim_key: String,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub events_reported: i64,
    pub online: i64,
}

pub async fn counters(db: &Db, campaign_id: i64) -> Result<Vec<Counter>, sqlx::Error> {
    sqlx::query_as(
        // Not the per-day counters (the staff dashboard's): the tally has no use for them.
        "SELECT dimension, dim_key, letters, solidarity, participants, events_reported, online \
         FROM tally_counters WHERE campaign_id = $1 AND dimension NOT IN ('day', 'country-day')",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await
}

/// How many published events one place has of one kind and visibility.
#[derive(sqlx::FromRow)]
pub struct Registered {
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub kind: String,
    pub visibility: String,
    pub n: i64,
}

/// Registered events: published ones, public and private.
pub async fn registered(db: &Db, campaign_id: i64) -> Result<Vec<Registered>, sqlx::Error> {
    sqlx::query_as(
        "SELECT country, region, city, kind, visibility, COUNT(*) AS n FROM events \
         WHERE campaign_id = $1 AND status = 'published' GROUP BY country, region, city, kind, visibility",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await
}

/// How many reported private or home events one place has.
#[derive(sqlx::FromRow)]
pub struct HiddenReported {
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub n: i64,
}

/// Reported private and home events, whatever their status now (their reports still count).
pub async fn hidden_reported(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<HiddenReported>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.country, e.region, e.city, COUNT(*) AS n FROM events e \
         JOIN event_totals t ON t.event_id = e.id \
         WHERE e.campaign_id = $1 AND t.reports > 0 AND (e.visibility = 'private' OR e.kind = 'home') \
         GROUP BY e.country, e.region, e.city",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await
}

/// Countries under safety mode.
pub async fn safety_countries(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT country FROM country_settings WHERE safety_mode = 1")
        .fetch_all(&db.pool)
        .await
}

#[derive(sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

pub async fn cases(db: &Db, campaign_id: i64) -> Result<Vec<Case>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name FROM cases WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await
}

/// The id of the campaign with this slug.
pub async fn campaign_id(db: &Db, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM campaigns WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await
}
