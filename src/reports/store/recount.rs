//! `writeathon reconcile`'s statements: the report rows read back to recount the tally, the
//! counters as stored, and the repairs.

use std::collections::{BTreeMap, HashMap};

use tokio_stream::StreamExt;

use super::{Delta, Place};
use crate::db::{Backend, Db, Tx};
use crate::events::store::EventTotals;
use crate::reports::ReportInput;

/// Every campaign: (id, slug), oldest first.
pub async fn campaigns(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug FROM campaigns ORDER BY id")
        .fetch_all(&db.pool)
        .await
}

/// Where each of the campaign's events counts, by event id.
pub async fn places(
    backend: Backend,
    tx: &mut Tx,
    campaign_id: i64,
) -> Result<HashMap<i64, Place>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM events e WHERE e.campaign_id = $1",
        backend.json_agg(Place::COLUMNS)
    );
    let json: String = sqlx::query_scalar(&sql)
        .bind(campaign_id)
        .fetch_one(&mut **tx)
        .await?;
    Place::decode_all(&json)
}

/// A report that counts, as the recount reads it.
pub struct LiveReport {
    pub event_id: i64,
    /// When it came in: the day it counts on.
    pub created_at: i64,
    /// Its counts (no highlights: the tally does not count them).
    pub input: ReportInput,
}

/// Hands each of the campaign's reports that count (not voided) to `visit`, in id order, as the
/// database streams them: a campaign of millions of reports is recounted in the memory of one.
pub async fn each_live_report(
    tx: &mut Tx,
    campaign_id: i64,
    mut visit: impl FnMut(LiveReport),
) -> Result<(), sqlx::Error> {
    type Line = (i64, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);
    let mut lines = sqlx::query_as::<_, Line>(
        "SELECT r.id, r.event_id, r.participants, r.created_at, i.case_id, i.letters, i.solidarity \
         FROM reports r LEFT JOIN report_items i ON i.report_id = r.id \
         WHERE r.campaign_id = $1 AND r.voided_at IS NULL ORDER BY r.id",
    )
    .bind(campaign_id)
    .fetch(&mut **tx);
    let mut current: Option<(i64, LiveReport)> = None;
    while let Some(line) = lines.next().await {
        let (id, event_id, participants, created_at, case_id, letters, solidarity) = line?;
        if current.as_ref().is_none_or(|(at, _)| *at != id) {
            if let Some((_, done)) = current.take() {
                visit(done);
            }
            let report = LiveReport {
                event_id,
                created_at,
                input: ReportInput {
                    participants,
                    items: Vec::new(),
                    highlights: String::new(),
                },
            };
            current = Some((id, report));
        }
        if let (Some((_, report)), Some(case_id)) = (current.as_mut(), case_id) {
            let item = (case_id, letters.unwrap_or(0), solidarity.unwrap_or(0));
            report.input.items.push(item);
        }
    }
    if let Some((_, done)) = current {
        visit(done);
    }
    Ok(())
}

/// The campaign's online actions that count (confirmed, not invalidated), summed per case and
/// signer's country: (case id, country, how many).
pub async fn counted_actions(
    tx: &mut Tx,
    campaign_id: i64,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT case_id, country, CAST(COUNT(*) AS BIGINT) FROM online_actions \
         WHERE campaign_id = $1 AND confirmed_at IS NOT NULL AND invalidated_at IS NULL \
         GROUP BY case_id, country ORDER BY case_id, country",
    )
    .bind(campaign_id)
    .fetch_all(&mut **tx)
    .await
}

/// A `tally_counters` row as read.
#[derive(sqlx::FromRow)]
struct CounterRow {
    dimension: String,
    dim_key: String,
    #[sqlx(flatten)]
    counts: Delta,
}

/// The campaign's counters as stored, by (dimension, key).
pub async fn counters(
    tx: &mut Tx,
    campaign_id: i64,
) -> Result<BTreeMap<(String, String), Delta>, sqlx::Error> {
    let rows: Vec<CounterRow> = sqlx::query_as(
        "SELECT dimension, dim_key, letters, solidarity, participants, events_reported, online, reports \
         FROM tally_counters WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.dimension, r.dim_key), r.counts))
        .collect())
}

/// Forgets the campaign's counters, before the recount is written in their place.
pub async fn clear_counters(tx: &mut Tx, campaign_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tally_counters WHERE campaign_id = $1")
        .bind(campaign_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets an event's totals to the recount.
pub async fn set_event_totals(
    tx: &mut Tx,
    event_id: i64,
    t: EventTotals,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO event_totals AS t (event_id, reports, letters, solidarity, participants) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (event_id) DO UPDATE SET reports = excluded.reports, letters = excluded.letters, \
         solidarity = excluded.solidarity, participants = excluded.participants",
    )
    .bind(event_id)
    .bind(t.reports)
    .bind(t.letters)
    .bind(t.solidarity)
    .bind(t.participants)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets an event's totals to zero where it has a row (an event whose reports were all voided).
pub async fn zero_event_totals(tx: &mut Tx, event_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE event_totals SET reports = 0, letters = 0, solidarity = 0, participants = 0 \
         WHERE event_id = $1",
    )
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
