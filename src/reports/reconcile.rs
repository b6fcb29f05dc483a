//! `writeathon reconcile`: recounts the tally from the report rows, prints any drift from the
//! counters, and repairs it.

use std::collections::{BTreeMap, HashMap};

use sqlx::Row;

use super::ReportInput;
use super::store::{Delta, Deltas, Place};
use crate::db::Db;
use crate::events::store::EventTotals;

/// One counter that differed: (campaign slug, dimension, key, stored, recounted).
pub type Drift = (String, String, String, Delta, Delta);

/// Recounts every campaign (or one); repairs and returns what differed.
pub async fn reconcile(db: &Db, only: Option<&str>) -> anyhow::Result<Vec<Drift>> {
    let campaigns = sqlx::query("SELECT id, slug FROM campaigns ORDER BY id")
        .fetch_all(&db.pool)
        .await?;
    let mut drift = Vec::new();
    for c in &campaigns {
        let id: i64 = c.try_get("id")?;
        let slug: String = c.try_get("slug")?;
        if only.is_some_and(|o| o != slug) {
            continue;
        }
        let mut tx = db.begin_write().await?;
        // Recount from the rows, under the write lock so no report lands in between.
        let sql = format!(
            "SELECT {} FROM events e WHERE e.campaign_id = $1",
            db.backend.json_agg(Place::COLUMNS)
        );
        let json: String = sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let by_id: HashMap<i64, Place> = Place::decode_all(&json)?
            .into_iter()
            .map(|place| (place.event_id, place))
            .collect();
        let reports = sqlx::query(
            "SELECT id, event_id, participants FROM reports WHERE campaign_id = $1 AND voided_at IS NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let items = sqlx::query(
            "SELECT i.report_id, i.case_id, i.letters, i.solidarity FROM report_items i \
             JOIN reports r ON r.id = i.report_id WHERE r.campaign_id = $1 AND r.voided_at IS NULL",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut items_of: HashMap<i64, Vec<(i64, i64, i64)>> = HashMap::new();
        for r in &items {
            items_of.entry(r.try_get(0)?).or_default().push((
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
            ));
        }
        let mut expected = Deltas::default();
        let mut totals: BTreeMap<i64, EventTotals> = BTreeMap::new();
        for r in &reports {
            let report_id: i64 = r.try_get("id")?;
            let event_id: i64 = r.try_get("event_id")?;
            let Some(event) = by_id.get(&event_id) else {
                continue;
            };
            let input = ReportInput {
                participants: r.try_get("participants")?,
                items: items_of.remove(&report_id).unwrap_or_default(),
                highlights: String::new(),
            };
            expected.report(event, &input, 1);
            let t = totals.entry(event_id).or_default();
            if t.reports == 0 {
                expected.event_reported(event, 1);
            }
            t.reports += 1;
            t.letters += input.letters();
            t.solidarity += input.solidarity();
            t.participants += input.participants;
        }
        let stored_rows = sqlx::query(
            "SELECT dimension, dim_key, letters, solidarity, participants, events_reported FROM tally_counters WHERE campaign_id = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let mut stored: BTreeMap<(String, String), Delta> = BTreeMap::new();
        for r in &stored_rows {
            stored.insert(
                (r.try_get("dimension")?, r.try_get("dim_key")?),
                Delta {
                    letters: r.try_get("letters")?,
                    solidarity: r.try_get("solidarity")?,
                    participants: r.try_get("participants")?,
                    events_reported: r.try_get("events_reported")?,
                },
            );
        }
        let mut recounted: BTreeMap<(String, String), Delta> = BTreeMap::new();
        for ((_, dim, key), d) in &expected.0 {
            recounted.insert((dim.to_string(), key.clone()), *d);
        }
        let keys: std::collections::BTreeSet<_> =
            stored.keys().chain(recounted.keys()).cloned().collect();
        for key in keys {
            let a = stored.get(&key).copied().unwrap_or_default();
            let b = recounted.get(&key).copied().unwrap_or_default();
            if a != b {
                drift.push((slug.clone(), key.0.clone(), key.1.clone(), a, b));
            }
        }
        if drift.iter().any(|d| d.0 == slug) {
            sqlx::query("DELETE FROM tally_counters WHERE campaign_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            expected.apply(db.backend, &mut tx).await?;
        }
        // Event totals, recounted the same way.
        for event_id in by_id.keys() {
            let t = totals.get(event_id).copied().unwrap_or_default();
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
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(drift)
}
