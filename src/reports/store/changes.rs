//! Edits by a report's host, corrections and voids by staff: each rewrites the report's rows,
//! adds a line of history and moves the tally by exactly the difference (`counters::move_counts`,
//! as new reports do), all in one transaction.

use super::history::{self, Change, HistoryAction};
use super::{Place, Report, batch, counters, locked};
use crate::audit::{self, Entry, Subject};
use crate::db::{Db, Tx};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::events::store::EventTotals;
use crate::i18n::Msg;
use crate::reports::webhooks::ReportData;
use crate::reports::{ReportInput, plausibility};
use crate::webhooks::EventType;

/// Who changes a report: its host, or staff of the event's country, whose corrections and voids
/// go to the audit trail.
#[derive(Clone, Copy, Debug)]
pub struct By {
    pub id: i64,
    pub staff: bool,
}

/// A report's counts as the audit trail keeps them (no highlights: they are the host's words).
fn counts(input: &ReportInput) -> serde_json::Value {
    serde_json::json!({
        "participants": input.participants,
        "items": input.items.iter().map(|&(case, letters, solidarity)| {
            serde_json::json!({"case": case, "letters": letters, "solidarity": solidarity})
        }).collect::<Vec<_>>(),
    })
}

/// `report.updated` for webhooks, in the change's transaction.
async fn tell_webhooks(tx: &mut Tx, now: i64, event: &Event, data: ReportData<'_>) -> Result<()> {
    let slugs = super::case_slugs_in(tx, event.campaign_id).await?;
    let message = data.message(EventType::ReportUpdated, &slugs);
    crate::webhooks::enqueue(tx, now, &[message]).await?;
    Ok(())
}

/// The audit entry of a staff correction or void, in the change's transaction.
async fn audited(
    tx: &mut Tx,
    now: i64,
    by: By,
    action: &str,
    (report, event): (&Report, &Event),
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    if !by.staff {
        return Ok(());
    }
    let entry = Entry::new(Some(by.id), action, Subject::new("report", report.id))
        .campaign(event.campaign_id)
        .country(&event.country)
        .before(before)
        .after(after);
    audit::record(tx, now, &entry).await?;
    Ok(())
}

/// Replaces a report's counts (an edit by its host or a correction by staff), moving the tally
/// by exactly the difference. Returns the event's totals after it.
pub async fn replace(
    db: &Db,
    report: &Report,
    event: &Event,
    by: By,
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
    // New words take a featured story off the stories page: staff featured the old ones.
    sqlx::query("UPDATE reports SET participants = $1, highlights = $2, version = $3, flags = $4, updated_at = $5, \
         featured_at = CASE WHEN highlights = $2 THEN featured_at ELSE NULL END WHERE id = $6")
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
        by: by.id,
        action: HistoryAction::Edited,
        before: Some(&current.input),
        after: input,
        reason,
    };
    history::record(&mut tx, db.now_ms(), change).await?;
    let mut after = counts(input);
    after["reason"] = serde_json::json!(reason);
    let before = counts(&current.input);
    let at = (report, event);
    audited(
        &mut tx,
        db.now_ms(),
        by,
        "report.correct",
        at,
        before,
        after,
    )
    .await?;
    let place = Place::of(event);
    let moved = counters::CountChange {
        place: &place,
        created_at: report.created_at,
        before: Some(&current.input),
        after: Some(input),
    };
    let totals = counters::move_counts(db.backend, &mut tx, &[moved]).await?;
    let data = ReportData {
        id: report.id,
        event_id: event.id,
        country: &event.country,
        input,
        version,
        voided: false,
    };
    tell_webhooks(&mut tx, db.now_ms(), event, data).await?;
    tx.commit().await?;
    Ok(totals.get(&event.id).copied().unwrap_or_default())
}

/// Takes a report out of the tally (staff, with a reason); kept with its history.
pub async fn void(
    db: &Db,
    report: &Report,
    event: &Event,
    by: By,
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
        by: by.id,
        action: HistoryAction::Voided,
        before: Some(&current.input),
        after: &current.input,
        reason: Some(reason),
    };
    history::record(&mut tx, db.now_ms(), change).await?;
    let before = counts(&current.input);
    let after = serde_json::json!({"voided": true, "reason": reason});
    audited(
        &mut tx,
        db.now_ms(),
        by,
        "report.void",
        (report, event),
        before,
        after,
    )
    .await?;
    let place = Place::of(event);
    let moved = counters::CountChange {
        place: &place,
        created_at: report.created_at,
        before: Some(&current.input),
        after: None,
    };
    let totals = counters::move_counts(db.backend, &mut tx, &[moved]).await?;
    let data = ReportData {
        id: report.id,
        event_id: event.id,
        country: &event.country,
        input: &current.input,
        version,
        voided: true,
    };
    tell_webhooks(&mut tx, db.now_ms(), event, data).await?;
    tx.commit().await?;
    Ok(totals.get(&event.id).copied().unwrap_or_default())
}
