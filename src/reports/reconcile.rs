//! `writeathon reconcile`: recounts the tally from the report rows and the confirmed online
//! actions, prints any drift from the
//! counters, and repairs it.

use std::collections::{BTreeMap, BTreeSet};

use super::store::{Delta, Deltas, recount};
use crate::db::Db;
use crate::events::store::EventTotals;

/// One counter that differed: (campaign slug, dimension, key, stored, recounted).
pub type Drift = (String, String, String, Delta, Delta);

/// Recounts every campaign (or one); repairs and returns what differed.
pub async fn reconcile(db: &Db, only: Option<&str>) -> anyhow::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for (id, slug) in recount::campaigns(db).await? {
        if only.is_some_and(|o| o != slug) {
            continue;
        }
        let mut tx = db.begin_write().await?;
        // Recount from the rows, under the write lock so no report lands in between.
        let by_id = recount::places(db.backend, &mut tx, id).await?;
        let mut expected = Deltas::default();
        let mut totals: BTreeMap<i64, EventTotals> = BTreeMap::new();
        recount::each_live_report(&mut tx, id, |report| {
            let recount::LiveReport {
                event_id,
                created_at,
                input,
            } = report;
            let Some(event) = by_id.get(&event_id) else {
                return;
            };
            expected.report(event, &input, 1, created_at);
            let t = totals.entry(event_id).or_default();
            if t.reports == 0 {
                expected.event_reported(event, 1);
            }
            t.reports += 1;
            t.letters += input.letters();
            t.solidarity += input.solidarity();
            t.participants += input.participants;
        })
        .await?;
        // Online actions (`actions`): the confirmed ones staff have not invalidated.
        for (case_id, country, n) in recount::counted_actions(&mut tx, id).await? {
            expected.online(id, case_id, &country, n);
        }
        let stored = recount::counters(&mut tx, id).await?;
        let mut recounted: BTreeMap<(String, String), Delta> = BTreeMap::new();
        for ((_, dim, key), d) in &expected.0 {
            recounted.insert((dim.to_string(), key.clone()), *d);
        }
        let keys: BTreeSet<_> = stored.keys().chain(recounted.keys()).cloned().collect();
        for key in keys {
            let a = stored.get(&key).copied().unwrap_or_default();
            let b = recounted.get(&key).copied().unwrap_or_default();
            if a != b {
                drift.push((slug.clone(), key.0.clone(), key.1.clone(), a, b));
            }
        }
        if drift.iter().any(|d| d.0 == slug) {
            recount::clear_counters(&mut tx, id).await?;
            expected.apply(db.backend, &mut tx).await?;
        }
        // Event totals, recounted the same way.
        // An event never reported on has no row (and gets none): only rows already there are
        // set back to zero, so a database that was right is left exactly as it was.
        for event_id in by_id.keys() {
            match totals.get(event_id) {
                Some(t) => recount::set_event_totals(&mut tx, *event_id, *t).await?,
                None => recount::zero_event_totals(&mut tx, *event_id).await?,
            }
        }
        tx.commit().await?;
    }
    Ok(drift)
}
