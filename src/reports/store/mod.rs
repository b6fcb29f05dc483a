//! Every SQL statement of report-back, by sub-topic: reports and their items (here), history
//! (`history`), the counters and event totals every change moves (`counters`), edits and voids
//! (`changes`), the committer's batches of new reports (`batch`), and `writeathon reconcile`'s
//! recount (`recount`), stories and which are featured (`stories`).

pub mod batch;
pub mod changes;
pub mod counters;
pub mod history;
pub mod recount;
pub mod stories;

use std::collections::HashMap;

use serde::Serialize;

use super::ReportInput;
use crate::db::{Db, Tx};
use crate::error::{Error, Result};

pub use batch::{count_in_campaign, set_sent_at};
pub use changes::{By, replace, void};
pub use counters::{CountChange, DAY_MS, Delta, Deltas, Place, move_counts};
pub use history::{HistoryAction, HistoryLine, history};

/// A stored report.
#[derive(Clone, Debug)]
pub struct Report {
    pub id: i64,
    pub event_id: i64,
    pub campaign_id: i64,
    pub author_id: i64,
    pub input: ReportInput,
    pub version: i64,
    pub voided: bool,
    pub void_reason: Option<String>,
    pub flags: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A `reports` row as read, before its items join it.
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    event_id: i64,
    campaign_id: i64,
    author_id: i64,
    participants: i64,
    highlights: String,
    version: i64,
    voided_at: Option<i64>,
    void_reason: Option<String>,
    flags: String,
    created_at: i64,
    updated_at: i64,
}

const REPORT_COLUMNS: &str = "id, event_id, campaign_id, author_id, participants, highlights, version, voided_at, void_reason, flags, created_at, updated_at";

impl ReportRow {
    fn with_items(self, items: Vec<(i64, i64, i64)>) -> Report {
        Report {
            id: self.id,
            event_id: self.event_id,
            campaign_id: self.campaign_id,
            author_id: self.author_id,
            input: ReportInput {
                participants: self.participants,
                items,
                highlights: self.highlights,
            },
            version: self.version,
            voided: self.voided_at.is_some(),
            void_reason: self.void_reason,
            flags: self.flags,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A report's items: (case id, letters, solidarity), in case order.
async fn items_of<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    report_id: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT case_id, letters, solidarity FROM report_items WHERE report_id = $1 ORDER BY case_id")
        .bind(report_id)
        .fetch_all(ex)
        .await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Report>, sqlx::Error> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
    let Some(row) = sqlx::query_as::<_, ReportRow>(&sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let items = items_of(&db.pool, id).await?;
    Ok(Some(row.with_items(items)))
}

pub async fn of_event(db: &Db, event_id: i64) -> Result<Vec<Report>, sqlx::Error> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE event_id = $1 ORDER BY id");
    let rows: Vec<ReportRow> = sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let items = items_of(&db.pool, row.id).await?;
        out.push(row.with_items(items));
    }
    Ok(out)
}

/// The report as it is inside a write transaction (bumping nothing yet).
/// The campaign's cases, id → slug, read in the caller's transaction.
pub async fn case_slugs_in(tx: &mut Tx, campaign_id: i64) -> Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, slug FROM cases WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().collect())
}

async fn locked(tx: &mut Tx, id: i64) -> Result<Report> {
    // A no-op write takes the row lock on PostgreSQL before we read.
    sqlx::query("UPDATE reports SET version = version WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = $1");
    let row: ReportRow = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Error::NotFound)?;
    let items = items_of(&mut **tx, id).await?;
    Ok(row.with_items(items))
}

#[derive(Serialize)]
pub struct ItemJson {
    pub case: String,
    pub letters: i64,
    pub solidarity: i64,
}

#[derive(Serialize)]
pub struct ReportJson {
    pub id: i64,
    pub event_id: i64,
    pub participants: i64,
    pub items: Vec<ItemJson>,
    pub highlights: String,
    pub version: i64,
    pub voided: bool,
}

impl ReportJson {
    pub fn new(
        id: i64,
        event_id: i64,
        input: &ReportInput,
        version: i64,
        voided: bool,
        slugs: &HashMap<i64, String>,
    ) -> ReportJson {
        ReportJson {
            id,
            event_id,
            participants: input.participants,
            items: input
                .items
                .iter()
                .map(|(case, letters, solidarity)| ItemJson {
                    case: slugs.get(case).cloned().unwrap_or_else(|| case.to_string()),
                    letters: *letters,
                    solidarity: *solidarity,
                })
                .collect(),
            highlights: input.highlights.clone(),
            version,
            voided,
        }
    }

    pub fn of(report: &Report, slugs: &HashMap<i64, String>) -> ReportJson {
        ReportJson::new(
            report.id,
            report.event_id,
            &report.input,
            report.version,
            report.voided,
            slugs,
        )
    }
}
