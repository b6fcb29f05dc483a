//! `raw`: the baseline for `reports`, the same rows inserted straight into the database.

use super::store::{self, EventRow};
use super::{RawArgs, percentile_ms, report_counts};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::bail;

pub(crate) async fn run(args: RawArgs) -> anyhow::Result<()> {
    // The application's own connection setup: the same pool and the same pragmas (WAL,
    // synchronous = FULL on SQLite).
    let db = writeathon::db::Db::connect(&args.database_url).await?;
    let durability = store::durability(&db).await?;
    let events = store::events(&db, &args.campaign).await?;
    let Some(&EventRow { campaign_id, .. }) = events.first() else {
        bail!("campaign {} has no events", args.campaign);
    };
    let cases = store::cases(&db, campaign_id).await?;
    if cases.is_empty() {
        bail!("campaign {} has no cases", args.campaign);
    }
    let (events, cases) = (Arc::new(events), Arc::new(cases));

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (db, events, cases, next, total) = (
            db.clone(),
            events.clone(),
            cases.clone(),
            next.clone(),
            args.requests,
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let event = events[i % events.len()];
                let (participants, items) = report_counts(i, cases.len());
                let items: Vec<_> = items
                    .into_iter()
                    .map(|(case, letters, solidarity)| (cases[case], letters, solidarity))
                    .collect();
                let t = Instant::now();
                // One transaction per report.
                let mut tx = db.begin_write().await?;
                store::insert_report(&mut tx, db.now_ms(), event, participants, &items).await?;
                tx.commit().await?;
                latencies.push(t.elapsed().as_micros() as u64);
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let rate = latencies.len() as f64 / elapsed;
    println!(
        "raw inserts ({durability}): {} reports, {} at once, in {elapsed:.2} s: {rate:.0}/s; \
         p50 {:.2} ms, p99 {:.2} ms",
        latencies.len(),
        args.concurrency,
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    );
    println!(
        "RESULT committed={} seconds={elapsed:.3} per_s={rate:.0} p50_ms={:.2} p99_ms={:.2}",
        latencies.len(),
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    );
    Ok(())
}
