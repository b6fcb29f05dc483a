//! The campaign feeds' queries: a campaign's public, published events.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{COLUMNS, instant};
use crate::db::Db;
use crate::events::Event;

/// An event and when it last changed, for the Atom feed.
pub struct Updated {
    pub event: Event,
    pub updated_at: DateTime<Utc>,
}

impl<'r> FromRow<'r, sqlx::any::AnyRow> for Updated {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Updated, sqlx::Error> {
        Ok(Updated {
            event: Event::from_row(row)?,
            updated_at: instant(row, "updated_at")?,
        })
    }
}

/// The campaign's public, published events, soonest first (at most 2,000).
pub async fn public_events(db: &Db, campaign_id: i64) -> Result<Vec<Event>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' AND e.visibility = 'public' \
         ORDER BY e.starts_at, e.id LIMIT 2000"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await
}

/// The campaign's public, published events changed most recently (at most 100).
pub async fn recently_updated(db: &Db, campaign_id: i64) -> Result<Vec<Updated>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, e.updated_at FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' \
         AND e.visibility = 'public' ORDER BY e.updated_at DESC, e.id DESC LIMIT 100"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await
}
