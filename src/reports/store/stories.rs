//! Stories: the SQL of a report's highlights as a story. Staff of the event's country feature
//! the best; the public reads only featured stories of reports still counted, of public events
//! (the same events whose photos may be public).

use sqlx::FromRow;

use super::Report;
use crate::audit::{self, Entry, Subject};
use crate::db::Db;
use crate::error::Result;
use crate::events::Event;

/// What the public may read (alias `r` for reports, `e` for events).
const PUBLIC: &str = "r.featured_at IS NOT NULL AND r.voided_at IS NULL AND r.highlights <> '' \
                      AND e.visibility = 'public' AND e.status <> 'unpublished'";

/// What staff may feature: a counted report with words, of a public event, not yet featured.
const CANDIDATE: &str = "r.featured_at IS NULL AND r.voided_at IS NULL AND r.highlights <> '' \
                         AND e.visibility = 'public' AND e.status <> 'unpublished'";

const COLUMNS: &str = "r.id AS report_id, r.event_id, r.highlights, r.featured_at, r.created_at, \
                       e.title, e.city, e.region, e.country, e.kind";

/// One story with the facts of its event that the stories page shows.
#[derive(Clone, Debug, FromRow)]
pub struct StoryRow {
    pub report_id: i64,
    pub event_id: i64,
    pub highlights: String,
    pub featured_at: Option<i64>,
    pub created_at: i64,
    pub title: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub kind: String,
}

/// A campaign's featured stories, the most recently featured first.
pub async fn featured(db: &Db, campaign_id: i64, limit: i64) -> Result<Vec<StoryRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reports r JOIN events e ON e.id = r.event_id \
         WHERE r.campaign_id = $1 AND {PUBLIC} ORDER BY r.featured_at DESC, r.id DESC LIMIT $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?)
}

/// Stories staff could feature, newest first: of one country, or of all (`None`).
pub async fn candidates(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
    limit: i64,
) -> Result<Vec<StoryRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM reports r JOIN events e ON e.id = r.event_id \
         WHERE r.campaign_id = $1 AND {CANDIDATE} AND ($2 = '' OR e.country = $2) \
         ORDER BY r.id DESC LIMIT $3"
    );
    Ok(sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(country.unwrap_or(""))
        .bind(limit)
        .fetch_all(&db.pool)
        .await?)
}

/// Features a report's story (`featured`) or takes the feature away, by staff member `by`, with
/// its entry in the audit trail. Returns whether anything changed (featuring twice is once).
pub async fn set_featured(
    db: &Db,
    report: &Report,
    event: &Event,
    by: i64,
    featured: bool,
) -> Result<bool> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let done = if featured {
        sqlx::query(
            "UPDATE reports SET featured_at = $1 WHERE id = $2 AND featured_at IS NULL \
             AND voided_at IS NULL",
        )
        .bind(now)
        .bind(report.id)
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE reports SET featured_at = NULL WHERE id = $1 AND featured_at IS NOT NULL",
        )
        .bind(report.id)
        .execute(&mut *tx)
        .await?
    };
    let changed = done.rows_affected() > 0;
    if changed {
        let entry = Entry::new(
            Some(by),
            if featured {
                "story.feature"
            } else {
                "story.unfeature"
            },
            Subject::new("report", report.id),
        )
        .campaign(event.campaign_id)
        .country(&event.country)
        .before(serde_json::json!({ "featured": !featured }))
        .after(serde_json::json!({ "featured": featured }));
        audit::record(&mut tx, now, &entry).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Features stories without a staff member (the demo seeder): no audit entry, as no one acted.
pub async fn feature_unattended(db: &Db, report_ids: &[i64]) -> Result<()> {
    for id in report_ids {
        sqlx::query("UPDATE reports SET featured_at = $1 WHERE id = $2 AND featured_at IS NULL")
            .bind(db.now_ms())
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
