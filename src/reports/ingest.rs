//! New reports, many in one transaction: what the committer (`committer.rs`) runs for each batch.
//!
//! A batch is a few multi-row statements whatever its size (rows bound as one JSON parameter,
//! `Backend::json_rows`): the events' places re-read under the write lock, the idempotency keys
//! looked up, the reports with their items, the event totals and the summed counter deltas, the
//! fresh keys with their answers. No history line: a report's "created" line is the report row
//! itself (`store::history`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sqlx::{AnyConnection, Row};

use super::ReportInput;
use super::store::{Deltas, Place, ReportJson};
use crate::db::{Backend, json_rows_param};
use crate::error::{Error, Result};
use crate::events::EventStatus;
use crate::events::store::EventTotals;
use crate::web::idempotency::{Idempotency, StoredResponse};

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
    batch: &[NewReport],
) -> Result<Vec<Outcome>> {
    let mut tx = backend.begin_write(conn).await?;
    let mut outcomes: Vec<Option<Outcome>> = (0..batch.len()).map(|_| None).collect();

    // The events as they are now: a host's edit or a cancellation may have come after the
    // handler read them, and the counters must go to the event's current place and kind.
    let places = current_places(backend, &mut tx, batch).await?;
    let mut live: Vec<usize> = Vec::with_capacity(batch.len());
    for (i, new) in batch.iter().enumerate() {
        match places.get(&new.event_id) {
            Some(p) if p.status == EventStatus::Published && p.campaign_id == new.campaign_id => {
                live.push(i)
            }
            _ => outcomes[i] = Some(Err(super::closed())),
        }
    }

    // Idempotency keys: replays and reused keys are answered without writing.
    let keyed: Vec<usize> = live
        .iter()
        .copied()
        .filter(|&i| batch[i].idempotency.is_some())
        .collect();
    let keys: Vec<_> = keyed
        .iter()
        .filter_map(|&i| batch[i].idempotency.as_ref())
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

    let ids = insert_reports(backend, &mut tx, batch, &fresh, now).await?;
    insert_items(backend, &mut tx, batch, &fresh, &ids).await?;

    // Totals and counters, summed over the batch: one row per event and per counter key.
    let mut deltas = Deltas::default();
    let mut per_event: BTreeMap<i64, EventTotals> = BTreeMap::new();
    for &i in &fresh {
        let new = &batch[i];
        deltas.report(&places[&new.event_id], &new.input, 1);
        let t = per_event.entry(new.event_id).or_default();
        t.reports += 1;
        t.letters += new.input.letters();
        t.solidarity += new.input.solidarity();
        t.participants += new.input.participants;
    }
    let totals_after = move_many_event_totals(backend, &mut tx, &per_event).await?;
    for (event_id, d) in &per_event {
        if totals_after
            .get(event_id)
            .is_some_and(|a| a.reports == d.reports)
        {
            // Its first reports: the event now counts as reported.
            deltas.event_reported(&places[event_id], 1);
        }
    }
    deltas.apply(backend, &mut tx).await?;

    let mut done = Vec::with_capacity(fresh.len());
    for (&i, &id) in fresh.iter().zip(&ids) {
        let new = &batch[i];
        let body = CreatedAnswer {
            report: ReportJson::new(id, new.event_id, &new.input, 1, false, &new.case_slugs),
            event_totals: totals_after.get(&new.event_id).copied().unwrap_or_default(),
        };
        done.push((
            i,
            StoredResponse::created(format!("/api/v1/reports/{id}"), &body),
        ));
    }
    let answers: Vec<_> = done
        .iter()
        .filter_map(|(i, stored)| batch[*i].idempotency.as_ref().map(|k| (k, stored)))
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

/// Where the batch's events count, read inside its transaction: only the columns the tally needs.
async fn current_places(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[NewReport],
) -> Result<HashMap<i64, Place>> {
    let ids: std::collections::BTreeSet<i64> = batch.iter().map(|n| n.event_id).collect();
    let ids: Vec<(i64,)> = ids.into_iter().map(|id| (id,)).collect();
    let sql = format!(
        "SELECT {} FROM events e WHERE e.id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {})",
        backend.json_agg(Place::COLUMNS),
        backend.json_rows(1)
    );
    let json: String = sqlx::query_scalar(&sql)
        .bind(json_rows_param(&ids))
        .fetch_one(conn)
        .await?;
    Ok(Place::decode_all(&json)?
        .into_iter()
        .map(|place| (place.event_id, place))
        .collect())
}

/// Inserts the reports at `which` (indexes into `batch`); returns their ids in that order.
async fn insert_reports(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[NewReport],
    which: &[usize],
    now: i64,
) -> Result<Vec<i64>> {
    if which.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = which
        .iter()
        .map(|&i| {
            let new = &batch[i];
            (
                new.event_id,
                new.campaign_id,
                new.author_id,
                new.input.participants,
                new.input.highlights.as_str(),
                new.flags.as_str(),
                now,
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT), value ->> 4, value ->> 5, CAST(value ->> 6 AS BIGINT), CAST(value ->> 6 AS BIGINT) \
         FROM {} RETURNING id, event_id, author_id, participants",
        backend.json_rows(1)
    );
    let mut returned: Vec<(i64, i64, i64, i64)> = sqlx::query(&sql)
        .bind(json_rows_param(&rows))
        .fetch_all(conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect::<Result<_, sqlx::Error>>()?;
    // Neither backend promises RETURNING's order, but both insert the selected rows in order
    // and hand out rising ids: sorted ids line up with the rows. Checked, so a surprise fails the
    // batch (and its reports are then committed one by one) instead of mixing answers up.
    returned.sort_unstable();
    let lined_up = returned.len() == which.len()
        && returned.iter().zip(which).all(|(r, &i)| {
            let new = &batch[i];
            (r.1, r.2, r.3) == (new.event_id, new.author_id, new.input.participants)
        });
    if !lined_up {
        return Err(Error::Internal(anyhow::anyhow!(
            "the ids of a multi-row insert did not line up with its rows"
        )));
    }
    Ok(returned.iter().map(|r| r.0).collect())
}

/// The items of the reports at `which`, whose ids are `ids`.
async fn insert_items(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[NewReport],
    which: &[usize],
    ids: &[i64],
) -> Result<(), sqlx::Error> {
    let items: Vec<(i64, i64, i64, i64)> = which
        .iter()
        .zip(ids)
        .flat_map(|(&i, &id)| {
            batch[i]
                .input
                .items
                .iter()
                .map(move |&(case, letters, solidarity)| (id, case, letters, solidarity))
        })
        .collect();
    if items.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO report_items (report_id, case_id, letters, solidarity) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT) FROM {}",
        backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(json_rows_param(&items))
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds to many events' totals in one statement; returns each event's totals after.
async fn move_many_event_totals(
    backend: Backend,
    conn: &mut AnyConnection,
    deltas: &BTreeMap<i64, EventTotals>,
) -> Result<HashMap<i64, EventTotals>, sqlx::Error> {
    let mut out = HashMap::with_capacity(deltas.len());
    if deltas.is_empty() {
        return Ok(out);
    }
    // In event order (the map's): concurrent batches on PostgreSQL lock rows in one order.
    let rows: Vec<_> = deltas
        .iter()
        .map(|(id, d)| (id, d.reports, d.letters, d.solidarity, d.participants))
        .collect();
    let sql = format!(
        "INSERT INTO event_totals AS t (event_id, reports, letters, solidarity, participants) \
         SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT), \
         CAST(value ->> 3 AS BIGINT), CAST(value ->> 4 AS BIGINT) FROM {} WHERE true \
         ON CONFLICT (event_id) DO UPDATE SET reports = t.reports + excluded.reports, letters = t.letters + excluded.letters, \
         solidarity = t.solidarity + excluded.solidarity, participants = t.participants + excluded.participants",
        backend.json_rows(1)
    );
    let rows = json_rows_param(&rows);
    sqlx::query(&sql).bind(&rows).execute(&mut *conn).await?;
    // Read back as one row, not one per event (`Backend::json_agg`).
    let sql = format!(
        "SELECT {} FROM event_totals WHERE event_id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {})",
        backend.json_agg("event_id, reports, letters, solidarity, participants"),
        backend.json_rows(1)
    );
    let json: String = sqlx::query_scalar(&sql).bind(&rows).fetch_one(conn).await?;
    let after: Vec<(i64, i64, i64, i64, i64)> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
    for (event_id, reports, letters, solidarity, participants) in after {
        let totals = EventTotals {
            reports,
            letters,
            solidarity,
            participants,
        };
        out.insert(event_id, totals);
    }
    Ok(out)
}

/// How many reports a campaign has.
pub async fn count_in_campaign(db: &crate::db::Db, campaign_id: i64) -> Result<i64> {
    Ok(
        sqlx::query("SELECT COUNT(*) FROM reports WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(&db.pool)
            .await?
            .try_get(0)?,
    )
}

/// Dates reports added by [`add_new`] when they were sent, not when they were stored (reports
/// brought in afterwards: the demo's finished campaign). Counters and totals are untouched.
pub async fn set_sent_at(tx: &mut crate::db::Tx, sent: &[(i64, i64)]) -> Result<()> {
    for &(report_id, at) in sent {
        sqlx::query("UPDATE reports SET created_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(report_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
