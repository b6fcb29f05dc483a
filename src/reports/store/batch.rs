//! The committer's statements for a batch of new reports: a few multi-row statements whatever
//! its size, rows bound as one JSON parameter (`Backend::json_rows`).

use std::collections::{BTreeSet, HashMap};

use sqlx::AnyConnection;

use super::{Delta, Deltas, Place};
use crate::db::{Backend, Db, Tx, json_rows_param};
use crate::error::{Error, Result};
use crate::reports::ingest::NewReport;

/// Where the batch's events count, read inside its transaction: only the columns the tally needs.
pub async fn current_places(
    backend: Backend,
    conn: &mut AnyConnection,
    batch: &[NewReport],
) -> Result<HashMap<i64, Place>> {
    let ids: BTreeSet<i64> = batch.iter().map(|n| n.event_id).collect();
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
    Ok(Place::decode_all(&json)?)
}

/// Inserts the reports at `which` (indexes into `batch`); returns their ids in that order.
pub async fn insert_reports(
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
    let mut returned: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&sql)
        .bind(json_rows_param(&rows))
        .fetch_all(conn)
        .await?;
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

/// Report items as (report id, case id, letters, solidarity), in one statement: a batch's new
/// reports, or an edited report's new counts.
pub async fn insert_items(
    backend: Backend,
    conn: &mut AnyConnection,
    items: &[(i64, i64, i64, i64)],
) -> Result<(), sqlx::Error> {
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
        .bind(json_rows_param(items))
        .execute(conn)
        .await?;
    Ok(())
}

/// How many reports a campaign has.
pub async fn count_in_campaign(db: &Db, campaign_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(&db.pool)
            .await?,
    )
}

/// Dates reports added by `ingest::add_new` when they were sent, not when they were stored
/// (reports brought in afterwards: the demo's finished campaign). Their counts move to that
/// day in the per-day counters; the other counters and the totals are untouched.
pub async fn set_sent_at(backend: Backend, tx: &mut Tx, sent: &[(i64, i64)]) -> Result<()> {
    if sent.is_empty() {
        return Ok(());
    }
    let ids: Vec<(i64,)> = sent.iter().map(|&(id, _)| (id,)).collect();
    let sql = format!(
        "SELECT r.id, r.campaign_id, e.country, r.created_at, r.participants, \
         CAST(COALESCE(SUM(i.letters), 0) AS BIGINT), CAST(COALESCE(SUM(i.solidarity), 0) AS BIGINT) \
         FROM reports r JOIN events e ON e.id = r.event_id \
         LEFT JOIN report_items i ON i.report_id = r.id \
         WHERE r.id {} AND r.voided_at IS NULL \
         GROUP BY r.id, r.campaign_id, e.country, r.created_at, r.participants",
        backend.in_ids(1)
    );
    type Counted = (i64, i64, String, i64, i64, i64, i64);
    let counted: HashMap<i64, Counted> = sqlx::query_as::<_, Counted>(&sql)
        .bind(json_rows_param(&ids))
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|row| (row.0, row))
        .collect();
    let mut deltas = Deltas::default();
    for &(report_id, at) in sent {
        if let Some((_, campaign_id, country, stored_at, participants, letters, solidarity)) =
            counted.get(&report_id)
        {
            let d = |sign: i64| Delta {
                letters: sign * letters,
                solidarity: sign * solidarity,
                participants: sign * participants,
                reports: sign,
                ..Default::default()
            };
            deltas.on_day(*campaign_id, country, *stored_at, d(-1));
            deltas.on_day(*campaign_id, country, at, d(1));
        }
        sqlx::query("UPDATE reports SET created_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(report_id)
            .execute(&mut **tx)
            .await?;
    }
    deltas.apply(backend, tx).await?;
    Ok(())
}
