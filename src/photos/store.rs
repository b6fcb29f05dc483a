//! All the SQL of photos: the rows, what an upload checks (the event it goes to, the quotas),
//! the moderation queue and decisions, and what the public may see.

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::Status;
use crate::db::{Db, Tx};

/// What the public may see: approved, no minors pictured, of a public event not taken down.
/// Every public query of this module includes it (the alias `p` for photos, `e` for events).
const PUBLIC: &str = "p.status = 'approved' AND p.minors = 0 AND e.visibility = 'public' \
                      AND e.status <> 'unpublished'";

const COLUMNS: &str = "p.id, p.event_id, p.campaign_id, p.uploader_id, p.caption, p.alt, p.minors, \
    p.status, p.reason, p.width, p.height, p.thumb_width, p.thumb_height, p.large_jpeg, p.large_webp, \
    p.thumb_jpeg, p.thumb_webp, p.created_at, e.title, e.city, e.region, e.country, e.kind, \
    e.visibility, e.status AS event_status, e.host_id";

/// What an upload needs to know of its event.
#[derive(Clone, Debug, FromRow)]
pub struct EventFacts {
    pub id: i64,
    pub campaign_id: i64,
    pub host_id: i64,
    pub title: String,
    pub city: String,
    pub country: String,
    pub visibility: String,
    pub status: String,
}

/// One photo with the facts of its event that pages and rules need.
#[derive(Clone, Debug)]
pub struct PhotoRow {
    pub id: i64,
    pub event_id: i64,
    pub campaign_id: i64,
    pub uploader_id: i64,
    pub caption: String,
    pub alt: String,
    pub minors: bool,
    pub status: Status,
    pub reason: Option<String>,
    pub width: i64,
    pub height: i64,
    pub thumb_width: i64,
    pub thumb_height: i64,
    pub large_jpeg: String,
    pub large_webp: String,
    pub thumb_jpeg: String,
    pub thumb_webp: String,
    pub created_at: i64,
    pub event_title: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub kind: String,
    pub event_public: bool,
    pub host_id: i64,
}

impl PhotoRow {
    /// Whether anyone may see it: the same rule as [`PUBLIC`].
    pub fn is_public(&self) -> bool {
        self.status == Status::Approved && !self.minors && self.event_public
    }

    /// Every object stored for it.
    pub fn keys(&self) -> Vec<String> {
        vec![
            self.large_jpeg.clone(),
            self.large_webp.clone(),
            self.thumb_jpeg.clone(),
            self.thumb_webp.clone(),
        ]
    }
}

impl<'r> FromRow<'r, AnyRow> for PhotoRow {
    fn from_row(row: &'r AnyRow) -> Result<PhotoRow, sqlx::Error> {
        let visibility: String = row.try_get("visibility")?;
        let event_status: String = row.try_get("event_status")?;
        Ok(PhotoRow {
            id: row.try_get("id")?,
            event_id: row.try_get("event_id")?,
            campaign_id: row.try_get("campaign_id")?,
            uploader_id: row.try_get("uploader_id")?,
            caption: row.try_get("caption")?,
            alt: row.try_get("alt")?,
            minors: row.try_get::<i32, _>("minors")? != 0,
            status: Status::parse(&row.try_get::<String, _>("status")?),
            reason: row.try_get("reason")?,
            width: row.try_get("width")?,
            height: row.try_get("height")?,
            thumb_width: row.try_get("thumb_width")?,
            thumb_height: row.try_get("thumb_height")?,
            large_jpeg: row.try_get("large_jpeg")?,
            large_webp: row.try_get("large_webp")?,
            thumb_jpeg: row.try_get("thumb_jpeg")?,
            thumb_webp: row.try_get("thumb_webp")?,
            created_at: row.try_get("created_at")?,
            event_title: row.try_get("title")?,
            city: row.try_get("city")?,
            region: row.try_get("region")?,
            country: row.try_get("country")?,
            kind: row.try_get("kind")?,
            event_public: visibility == "public" && event_status != "unpublished",
            host_id: row.try_get("host_id")?,
        })
    }
}

/// A photo about to be written: its text, flags and the keys of its stored sizes.
pub struct NewPhoto<'a> {
    pub event: &'a EventFacts,
    pub uploader_id: i64,
    pub caption: &'a str,
    pub minors: bool,
    pub width: i64,
    pub height: i64,
    pub thumb_width: i64,
    pub thumb_height: i64,
    pub large_jpeg: &'a str,
    pub large_webp: &'a str,
    pub thumb_jpeg: &'a str,
    pub thumb_webp: &'a str,
}

pub async fn event_facts(db: &Db, event_id: i64) -> Result<Option<EventFacts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, campaign_id, host_id, title, city, country, visibility, status FROM events WHERE id = $1",
    )
    .bind(event_id)
    .fetch_optional(&db.pool)
    .await
}

/// Photos an event holds and photos an account uploaded to the campaign, not counting those
/// rejected or taken down.
pub async fn counts(
    tx: &mut Tx,
    event_id: i64,
    uploader_id: i64,
    campaign_id: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let row: (i64, i64) = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM photos WHERE event_id = $1 AND status IN ('pending', 'approved')), \
           (SELECT COUNT(*) FROM photos WHERE uploader_id = $2 AND campaign_id = $3 \
              AND status IN ('pending', 'approved'))",
    )
    .bind(event_id)
    .bind(uploader_id)
    .bind(campaign_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row)
}

pub async fn insert(tx: &mut Tx, at: i64, photo: &NewPhoto<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO photos (event_id, campaign_id, uploader_id, caption, alt, minors, width, height, \
           thumb_width, thumb_height, large_jpeg, large_webp, thumb_jpeg, thumb_webp, created_at) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(photo.event.id)
    .bind(photo.event.campaign_id)
    .bind(photo.uploader_id)
    .bind(photo.caption)
    .bind(i32::from(photo.minors))
    .bind(photo.width)
    .bind(photo.height)
    .bind(photo.thumb_width)
    .bind(photo.thumb_height)
    .bind(photo.large_jpeg)
    .bind(photo.large_webp)
    .bind(photo.thumb_jpeg)
    .bind(photo.thumb_webp)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id WHERE p.id = $1"
    );
    sqlx::query_as(&sql).bind(id).fetch_optional(&db.pool).await
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id WHERE p.id = $1"
    );
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Every photo of an event, newest first (for those who manage it).
pub async fn of_event(db: &Db, event_id: i64) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.event_id = $1 ORDER BY p.id DESC LIMIT 500"
    );
    sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(&db.pool)
        .await
}

/// An event's photos the public may see, newest first.
pub async fn public_of_event(db: &Db, event_id: i64) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.event_id = $1 AND {PUBLIC} ORDER BY p.id DESC LIMIT 200"
    );
    sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(&db.pool)
        .await
}

/// What narrows a campaign's gallery; empty strings mean "any".
#[derive(Clone, Debug, Default)]
pub struct GalleryFilter {
    pub country: String,
    pub region: String,
    pub kind: String,
    /// Only photos with a smaller id (the next page).
    pub before: Option<i64>,
}

/// A campaign's public photos, newest first, at most `limit`.
pub async fn gallery(
    db: &Db,
    campaign_id: i64,
    filter: &GalleryFilter,
    limit: i64,
) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.campaign_id = $1 AND {PUBLIC} \
           AND ($2 = '' OR e.country = $2) AND ($3 = '' OR e.region = $3) AND ($4 = '' OR e.kind = $4) \
           AND p.id < $5 \
         ORDER BY p.id DESC LIMIT $6"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(&filter.country)
        .bind(&filter.region)
        .bind(&filter.kind)
        .bind(filter.before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// The countries and kinds of event a campaign's public photos come from (the gallery's filters).
pub async fn gallery_facets(
    db: &Db,
    campaign_id: i64,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let mut out = (Vec::new(), Vec::new());
    for (column, list) in [("e.country", &mut out.0), ("e.kind", &mut out.1)] {
        let sql = format!(
            "SELECT DISTINCT {column} FROM photos p JOIN events e ON e.id = p.event_id \
             WHERE p.campaign_id = $1 AND {PUBLIC} ORDER BY 1"
        );
        *list = sqlx::query_scalar(&sql)
            .bind(campaign_id)
            .fetch_all(&db.pool)
            .await?;
    }
    Ok(out)
}

/// Photos waiting for a decision, oldest first; `country` narrows to one country's events.
pub async fn queue(db: &Db, country: Option<&str>) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.status = 'pending' AND ($1 = '' OR e.country = $1) ORDER BY p.id LIMIT 200"
    );
    sqlx::query_as(&sql)
        .bind(country.unwrap_or(""))
        .fetch_all(&db.pool)
        .await
}

/// Approved photos, newest first, for staff to take one down; `country` as in [`queue`].
pub async fn approved(db: &Db, country: Option<&str>) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.status = 'approved' AND ($1 = '' OR e.country = $1) ORDER BY p.id DESC LIMIT 200"
    );
    sqlx::query_as(&sql)
        .bind(country.unwrap_or(""))
        .fetch_all(&db.pool)
        .await
}

/// Records a decision on a photo.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    status: Status,
    reason: Option<&str>,
    by: Option<i64>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE photos SET status = $2, reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_alt(tx: &mut Tx, id: i64, alt: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE photos SET alt = $2 WHERE id = $1")
        .bind(id)
        .bind(alt)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM photos WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The photos an account uploaded or that were taken at events it hosts (erasure).
pub async fn of_account(db: &Db, account_id: i64) -> Result<Vec<PhotoRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM photos p JOIN events e ON e.id = p.event_id \
         WHERE p.uploader_id = $1 OR e.host_id = $1"
    );
    sqlx::query_as(&sql)
        .bind(account_id)
        .fetch_all(&db.pool)
        .await
}

/// Deletes the rows of [`of_account`].
pub async fn delete_of_account(tx: &mut Tx, account_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM photos WHERE uploader_id = $1 \
         OR event_id IN (SELECT id FROM events WHERE host_id = $1)",
    )
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Whether a photo other than `except` uses this object (the same bytes uploaded twice share a key).
pub async fn key_in_use(db: &Db, key: &str, except: i64) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM photos WHERE id <> $2 \
         AND (large_jpeg = $1 OR large_webp = $1 OR thumb_jpeg = $1 OR thumb_webp = $1)",
    )
    .bind(key)
    .bind(except)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// The photos that use an object.
pub async fn key_users(db: &Db, key: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM photos WHERE large_jpeg = $1 OR large_webp = $1 OR thumb_jpeg = $1 OR thumb_webp = $1",
    )
    .bind(key)
    .fetch_all(&db.pool)
    .await
}
