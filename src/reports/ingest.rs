//! New reports, many in one transaction: what the committer (`committer.rs`) runs for each batch.
//!
//! A batch is a few multi-row statements whatever its size (`store::batch`): the events' places
//! re-read under the write lock, the idempotency keys looked up, the reports with their items,
//! the event totals and the summed counter deltas (`store::move_counts`, the path edits and
//! voids take too), the fresh keys with their answers. No history line: a report's "created"
//! line is the report row itself (`store::history`).

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::AnyConnection;

use super::ReportInput;
use super::store::{CountChange, ReportJson, batch, move_counts};
use crate::db::Backend;
use crate::error::Result;
use crate::events::EventStatus;
use crate::events::store::EventTotals;
use crate::web::idempotency::{Idempotency, StoredResponse};
use crate::webhooks::EventType;

pub use super::store::{count_in_campaign, set_sent_at};

/// A new report waiting to be committed, already checked.
pub struct NewReport {
    pub event_id: i64,
    pub campaign_id: i64,
    pub author_id: i64,
    pub input: ReportInput,
    pub flags: String,
    pub idempotency: Option<Idempotency>,
    /// Case id → slug, to write the answer.
    pub case_slugs: Arc<HashMap<i64, String>>,
}

/// What became of one report of a batch.
pub type Outcome = Result<StoredResponse>;

/// The answer to a new report (`201`, and what its idempotency key replays).
#[derive(serde::Serialize)]
struct CreatedAnswer {
    report: ReportJson,
    event_totals: EventTotals,
}

/// Adds new reports in one transaction on `conn`.
///
/// Returns each report's outcome, in order: its answer, a replayed answer, or its own refusal (a
/// reused key, an event no longer open) that leaves the others alone. `Err` means nothing was
/// committed: the transaction failed as a whole.
pub async fn add_new(
    backend: Backend,
    conn: &mut AnyConnection,
    now: i64,
    new: &[NewReport],
) -> Result<Vec<Outcome>> {
    let mut tx = backend.begin_write(conn).await?;
    let mut outcomes: Vec<Option<Outcome>> = (0..new.len()).map(|_| None).collect();

    // The events as they are now: a host's edit or a cancellation may have come after the
    // handler read them, and the counters must go to the event's current place and kind.
    let places = batch::current_places(backend, &mut tx, new).await?;
    let mut live: Vec<usize> = Vec::with_capacity(new.len());
    for (i, report) in new.iter().enumerate() {
        match places.get(&report.event_id) {
            Some(p)
                if p.status == EventStatus::Published && p.campaign_id == report.campaign_id =>
            {
                live.push(i)
            }
            _ => outcomes[i] = Some(Err(super::closed())),
        }
    }

    // Idempotency keys: replays and reused keys are answered without writing.
    let keyed: Vec<usize> = live
        .iter()
        .copied()
        .filter(|&i| new[i].idempotency.is_some())
        .collect();
    let keys: Vec<_> = keyed
        .iter()
        .filter_map(|&i| new[i].idempotency.as_ref())
        .collect();
    let stored = Idempotency::stored_many(backend, &mut tx, &keys).await?;
    for (&i, answer) in keyed.iter().zip(stored) {
        if let Some(answer) = answer {
            outcomes[i] = Some(answer);
        }
    }
    let fresh: Vec<usize> = live
        .into_iter()
        .filter(|&i| outcomes[i].is_none())
        .collect();

    let ids = batch::insert_reports(backend, &mut tx, new, &fresh, now).await?;
    let items: Vec<(i64, i64, i64, i64)> = fresh
        .iter()
        .zip(&ids)
        .flat_map(|(&i, &id)| {
            new[i]
                .input
                .items
                .iter()
                .map(move |&(case, letters, solidarity)| (id, case, letters, solidarity))
        })
        .collect();
    batch::insert_items(backend, &mut tx, &items).await?;

    // Totals and counters, summed over the batch: one row per event and per counter key.
    let changes: Vec<CountChange> = fresh
        .iter()
        .map(|&i| CountChange {
            place: &places[&new[i].event_id],
            created_at: now,
            before: None,
            after: Some(&new[i].input),
        })
        .collect();
    let totals_after = move_counts(backend, &mut tx, &changes).await?;

    // Webhooks: `report.created` for each, in this transaction (one statement for the batch).
    let messages: Vec<_> = fresh
        .iter()
        .zip(&ids)
        .map(|(&i, &id)| {
            let report = &new[i];
            let data = super::webhooks::ReportData {
                id,
                event_id: report.event_id,
                country: &places[&report.event_id].country,
                input: &report.input,
                version: 1,
                voided: false,
            };
            data.message(EventType::ReportCreated, &report.case_slugs)
        })
        .collect();
    crate::webhooks::enqueue(&mut tx, now, &messages).await?;

    let mut done = Vec::with_capacity(fresh.len());
    for (&i, &id) in fresh.iter().zip(&ids) {
        let report = &new[i];
        let body = CreatedAnswer {
            report: ReportJson::new(
                id,
                report.event_id,
                &report.input,
                1,
                false,
                &report.case_slugs,
            ),
            event_totals: totals_after
                .get(&report.event_id)
                .copied()
                .unwrap_or_default(),
        };
        done.push((
            i,
            StoredResponse::created(format!("/api/v1/reports/{id}"), &body),
        ));
    }
    let answers: Vec<_> = done
        .iter()
        .filter_map(|(i, stored)| new[*i].idempotency.as_ref().map(|k| (k, stored)))
        .collect();
    Idempotency::record_many(backend, &mut tx, now, &answers).await?;
    tx.commit().await?;
    for (i, stored) in done {
        outcomes[i] = Some(Ok(stored));
    }
    Ok(outcomes
        .into_iter()
        .map(|o| o.expect("every report has an outcome"))
        .collect())
}
