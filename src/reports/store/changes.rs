//! Edits by a report's host, corrections and voids by staff: each rewrites the report's rows,
//! adds a line of history and moves the tally by exactly the difference (`counters::move_counts`,
//! as new reports do), all in one transaction.

use super::history::{self, Change, HistoryAction};
use super::{Place, Report, batch, counters, locked};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::events::store::EventTotals;
use crate::i18n::Msg;
use crate::reports::{ReportInput, plausibility};

/// Replaces a report's counts (an edit by its host or a correction by staff), moving the tally
/// by exactly the difference. Returns the event's totals after it.
pub async fn replace(
    db: &Db,
    report: &Report,
    event: &Event,
    by: i64,
    input: &ReportInput,
    reason: Option<&str>,
) -> Result<EventTotals> {
    let mut tx = db.begin_write().await?;
    // Re-read under the write lock: the version guards against a concurrent edit.
    let current = locked(&mut tx, report.id).await?;
    if current.voided {
        return Err(Error::Conflict(Msg::new("report-voided")));
    }
    let flags = plausibility(input, Some(&current.input));
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET participants = $1, highlights = $2, version = $3, flags = $4, updated_at = $5 WHERE id = $6")
        .bind(input.participants)
        .bind(&input.highlights)
        .bind(version)
        .bind(&flags)
        .bind(db.now_ms())
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM report_items WHERE report_id = $1")
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    let items: Vec<_> = input
        .items
        .iter()
        .map(|&(case, letters, solidarity)| (report.id, case, letters, solidarity))
        .collect();
    batch::insert_items(db.backend, &mut tx, &items).await?;
    let change = Change {
        report_id: report.id,
        version,
        by,
        action: HistoryAction::Edited,
        before: Some(&current.input),
        after: input,
        reason,
    };
    history::record(&mut tx, db.now_ms(), change).await?;
    let place = Place::of(event);
    let moved = counters::CountChange {
        place: &place,
        before: Some(&current.input),
        after: Some(input),
    };
    let totals = counters::move_counts(db.backend, &mut tx, &[moved]).await?;
    tx.commit().await?;
    Ok(totals.get(&event.id).copied().unwrap_or_default())
}

/// Takes a report out of the tally (staff, with a reason); kept with its history.
pub async fn void(
    db: &Db,
    report: &Report,
    event: &Event,
    by: i64,
    reason: &str,
) -> Result<EventTotals> {
    let mut tx = db.begin_write().await?;
    let current = locked(&mut tx, report.id).await?;
    if current.voided {
        return Err(Error::Conflict(Msg::new("report-voided")));
    }
    let version = current.version + 1;
    sqlx::query("UPDATE reports SET voided_at = $1, void_reason = $2, version = $3, updated_at = $1 WHERE id = $4")
        .bind(db.now_ms())
        .bind(reason)
        .bind(version)
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
    let change = Change {
        report_id: report.id,
        version,
        by,
        action: HistoryAction::Voided,
        before: Some(&current.input),
        after: &current.input,
        reason: Some(reason),
    };
    history::record(&mut tx, db.now_ms(), change).await?;
    let place = Place::of(event);
    let moved = counters::CountChange {
        place: &place,
        before: Some(&current.input),
        after: None,
    };
    let totals = counters::move_counts(db.backend, &mut tx, &[moved]).await?;
    tx.commit().await?;
    Ok(totals.get(&event.id).copied().unwrap_or_default())
}
