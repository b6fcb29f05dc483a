//! `breakdown`: where a report's time goes, measured with the server stopped.

use super::{BreakdownArgs, own_cpu_seconds, read_hosts, report_counts};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

/// The lookups `reports::api::create` makes before it submits a report to the committer (through
/// `reports::api::reportable`), in order, and the floor of any query.
#[derive(Clone, Copy)]
enum Lookup {
    Floor,
    Token,
    Event,
    Campaign,
    Cases,
}

struct LookupContext {
    db: writeathon::db::Db,
    token: String,
    event_id: i64,
    campaign_id: i64,
}

async fn lookup(cx: &LookupContext, which: Lookup) -> anyhow::Result<()> {
    use writeathon::i18n::Lang;
    match which {
        Lookup::Floor => cx.db.ping().await?,
        Lookup::Token => {
            writeathon::accounts::tokens::authenticate(&cx.db, &cx.token).await?;
        }
        Lookup::Event => {
            writeathon::events::store::get(&cx.db, cx.event_id).await?;
        }
        Lookup::Campaign => {
            writeathon::campaigns::store::by_id(&cx.db, cx.campaign_id, Lang::FALLBACK).await?;
        }
        Lookup::Cases => {
            writeathon::campaigns::store::cases(&cx.db, cx.campaign_id, Lang::FALLBACK).await?;
        }
    }
    Ok(())
}

/// One lookup `n` times: (µs per call one at a time, CPU µs per call and calls per second with
/// `concurrency` at a time). CPU counts every thread of this process, so it includes SQLite's
/// worker threads (and leaves out PostgreSQL's processes).
async fn measure(
    cx: &Arc<LookupContext>,
    which: Lookup,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, f64, f64)> {
    let started = Instant::now();
    for _ in 0..n {
        lookup(cx, which).await?;
    }
    let latency = started.elapsed().as_secs_f64() * 1e6 / n as f64;
    let (started, cpu) = (Instant::now(), own_cpu_seconds());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (cx, next) = (cx.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                lookup(&cx, which).await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok((
        latency,
        (own_cpu_seconds() - cpu) * 1e6 / n as f64,
        n as f64 / seconds,
    ))
}

pub(crate) async fn run(args: BreakdownArgs) -> anyhow::Result<()> {
    use writeathon::i18n::Lang;
    use writeathon::reports::ReportInput;
    use writeathon::reports::ingest::{NewReport, add_new};
    use writeathon::web::idempotency::Idempotency;

    let db = writeathon::db::Db::connect(&args.database_url).await?;
    let hosts = read_hosts(&args.tokens, &args.events)?;
    let (token, event_id) = (hosts[0].token.clone(), hosts[0].events[0]);
    let account = writeathon::accounts::tokens::authenticate(&db, &token)
        .await?
        .context("the first token is not live")?;
    let event = writeathon::events::store::get(&db, event_id)
        .await?
        .context("no such event")?;
    let campaign = writeathon::campaigns::store::by_id(&db, event.campaign_id, Lang::FALLBACK)
        .await?
        .context("the event has no campaign")?;
    if campaign.slug != args.campaign {
        bail!(
            "event {event_id} is in campaign {}, not {}",
            campaign.slug,
            args.campaign
        );
    }
    let cases = writeathon::campaigns::store::cases(&db, event.campaign_id, Lang::FALLBACK).await?;
    let text_bytes: usize = cases
        .iter()
        .map(|c| {
            c.text.summary.len()
                + c.text.sample_letter.len()
                + c.text.solidarity.len()
                + c.text.salutation.len()
        })
        .sum();
    let cx = Arc::new(LookupContext {
        db: db.clone(),
        token,
        event_id,
        campaign_id: event.campaign_id,
    });
    let (n, c) = (args.requests, args.concurrency);
    println!(
        "{:?}, the application's own pool and functions, {n} calls each; latency one at a time, \
         and CPU of this process per call and calls/s with {c} at a time:",
        db.backend
    );
    let cases_what = format!(
        "case lookup: {} cases, every text in every language ({} kB kept) (campaigns::store::cases)",
        cases.len(),
        text_bytes / 1024
    );
    let steps: [(Lookup, &str, &str); 5] = [
        (
            Lookup::Floor,
            "floor",
            "SELECT 1 through the pool (the floor of any query)",
        ),
        (
            Lookup::Token,
            "token",
            "bearer token lookup (accounts::tokens::authenticate)",
        ),
        (Lookup::Event, "event", "event lookup (events::store::get)"),
        (
            Lookup::Campaign,
            "campaign",
            "the event's campaign, with its texts (campaigns::store::by_id)",
        ),
        (Lookup::Cases, "cases", &cases_what),
    ];
    println!("  {:>10} {:>10} {:>9}", "latency µs", "CPU µs", "calls/s");
    let mut results = Vec::new();
    let mut total = (0.0, 0.0);
    for (which, key, what) in steps {
        let (latency, cpu, rate) = measure(&cx, which, n, c).await?;
        println!("  {latency:>10.0} {cpu:>10.0} {rate:>9.0}  {what}");
        results.push(format!("{key}_us={latency:.0} {key}_cpu_us={cpu:.0}"));
        if !matches!(which, Lookup::Floor) {
            total = (total.0 + latency, total.1 + cpu);
        }
    }
    println!(
        "  {:>10.0} {:>10.0} {:>9}  all lookups of one report before the committer",
        total.0, total.1, ""
    );
    results.push(format!(
        "lookups_us={:.0} lookups_cpu_us={:.0}",
        total.0, total.1
    ));

    // The committer's transaction at several batch sizes, with an Idempotency-Key each, like the
    // HTTP path (these reports are real: they move the counters like any other).
    let slugs: Arc<std::collections::HashMap<i64, String>> =
        Arc::new(cases.iter().map(|c| (c.id, c.slug.clone())).collect());
    let case_ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let run = format!("{:016x}", rand::random::<u64>());
    // One connection throughout, as the committer keeps its own.
    let mut conn = db.pool.acquire().await?;
    for batch in [1usize, 8, 32, 64, 128, 512] {
        let rounds = (2048 / batch).clamp(4, 200);
        let mut spent = Duration::ZERO;
        let cpu = own_cpu_seconds();
        for round in 0..rounds {
            let reports: Vec<NewReport> = (0..batch)
                .map(|k| {
                    let i = round * batch + k;
                    let (participants, items) = report_counts(i, case_ids.len());
                    let mut items: Vec<(i64, i64, i64)> = items
                        .iter()
                        .map(|(c, l, s)| (case_ids[*c], *l, *s))
                        .collect();
                    items.sort();
                    let key = format!("breakdown-{run}-{batch}-{i}");
                    let mut headers = axum::http::HeaderMap::new();
                    headers.insert("idempotency-key", key.parse().expect("ascii key"));
                    let idempotency = Idempotency::from_request(
                        &headers,
                        account.id,
                        "POST /api/v1/events/{id}/reports",
                        &json!({"i": i}),
                    )
                    .ok()
                    .flatten();
                    NewReport {
                        event_id: event.id,
                        campaign_id: event.campaign_id,
                        author_id: account.id,
                        input: ReportInput {
                            participants,
                            items,
                            highlights: "breakdown".into(),
                        },
                        flags: String::new(),
                        idempotency,
                        case_slugs: slugs.clone(),
                    }
                })
                .collect();
            let t = Instant::now();
            add_new(db.backend, &mut conn, db.now_ms(), &reports)
                .await
                .and_then(|outcomes| outcomes.into_iter().collect::<Result<Vec<_>, _>>())
                .map_err(|e| anyhow::anyhow!("add_new: {e:?}"))?;
            spent += t.elapsed();
        }
        // (CPU includes building the batch, a few µs per report.)
        let cpu_us = (own_cpu_seconds() - cpu) * 1e6 / (rounds * batch) as f64;
        let per_batch_ms = spent.as_secs_f64() * 1000.0 / rounds as f64;
        let per_report_us = per_batch_ms * 1000.0 / batch as f64;
        println!(
            "  committer transaction of {batch:>3} reports (reports::ingest::add_new): {per_batch_ms:>7.2} ms; \
             per report {per_report_us:>5.0} µs wall, {cpu_us:>5.0} µs CPU: at most {:>6.0} reports/s from one committer",
            1e6 / per_report_us
        );
        results.push(format!(
            "batch{batch}_us={per_report_us:.0} batch{batch}_cpu_us={cpu_us:.0}"
        ));
    }
    println!("RESULT {}", results.join(" "));
    Ok(())
}
