//! `sse`: how long every open tally stream takes to hear of a new report.

use super::{SseArgs, case_slugs, percentile_ms, read_hosts};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::json;
use tokio::sync::mpsc;

/// The server's resident memory now and at its peak (kB), from /proc.
/// The server's resident memory, its peak, and the part of it that is the process's own (not pages
/// of the database file mapped by SQLite's `mmap_size`, which the kernel may drop at will).
fn memory_kb(pid: Option<u32>) -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?, field("RssAnon:")?))
}

fn mb(kb: Option<(u64, u64, u64)>, peak: bool) -> String {
    kb.map(|(rss, hwm, _)| format!("{}", if peak { hwm } else { rss } / 1024))
        .unwrap_or_else(|| "?".into())
}

fn anon_mb(kb: Option<(u64, u64, u64)>) -> String {
    kb.map(|(_, _, anon)| format!("{}", anon / 1024))
        .unwrap_or_else(|| "?".into())
}

/// Counts the complete `tally` events in what a stream sent so far, consuming them from `buf`.
fn tally_events(buf: &mut Vec<u8>) -> usize {
    let mut n = 0;
    while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
        if buf[..end].starts_with(b"event: tally")
            || buf[..end].windows(13).any(|w| w == b"\nevent: tally")
        {
            n += 1;
        }
        buf.drain(..end + 2);
    }
    n
}

pub(crate) async fn run(args: SseArgs) -> anyhow::Result<()> {
    let hosts = read_hosts(&args.hosts.tokens, &args.hosts.events)?;
    let base = args.hosts.base.trim_end_matches('/').to_string();
    let url = match args.view.as_str() {
        "full" => format!(
            "{base}/api/v1/campaigns/{}/tally/stream",
            args.hosts.campaign
        ),
        view => format!(
            "{base}/api/v1/campaigns/{}/tally/stream?view={view}",
            args.hosts.campaign
        ),
    };
    // No overall timeout: a stream's body never ends.
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()?;
    let before = memory_kb(args.pid);

    // Each stream: connect, read the first tally (the current snapshot), say it is ready, then
    // wait for the next tally and report when it arrived.
    let ready = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(args.connect_concurrency));
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<Instant>();
    let (failed_tx, mut failed) = mpsc::unbounded_channel::<String>();
    let opening = Instant::now();
    for _ in 0..args.streams {
        let (client, url, ready, gate) = (client.clone(), url.clone(), ready.clone(), gate.clone());
        let (arrived_tx, failed_tx) = (arrived_tx.clone(), failed_tx.clone());
        tokio::spawn(async move {
            // At most `connect_concurrency` streams are being set up at once; a stream gives its
            // place to the next one when its first tally has arrived.
            let mut permit = gate.acquire_owned().await.ok();
            let mut response = match client.get(&url).send().await {
                Ok(r) if r.status().is_success() => r,
                Ok(r) => {
                    let _ = failed_tx.send(format!("HTTP {}", r.status().as_u16()));
                    return;
                }
                Err(e) if e.is_connect() => {
                    let _ = failed_tx.send("connect".into());
                    return;
                }
                Err(e) => {
                    let _ = failed_tx.send(format!("request: {e}"));
                    return;
                }
            };
            let mut buf = Vec::new();
            let mut seen = 0;
            loop {
                match response.chunk().await {
                    Ok(Some(bytes)) => {
                        buf.extend_from_slice(&bytes);
                        let first = seen == 0;
                        seen += tally_events(&mut buf);
                        if first && seen > 0 {
                            ready.fetch_add(1, Ordering::Relaxed);
                            permit.take();
                        }
                        if seen >= 2 {
                            let _ = arrived_tx.send(Instant::now());
                            // Keep the connection open until the run ends.
                            std::future::pending::<()>().await;
                        }
                    }
                    Ok(None) => {
                        let _ = failed_tx.send("stream ended".into());
                        return;
                    }
                    Err(e) => {
                        let _ = failed_tx.send(format!("read: {e}"));
                        return;
                    }
                }
            }
        });
    }
    drop(arrived_tx);
    drop(failed_tx);

    // Wait until every stream has its first tally (or has failed).
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs.max(60));
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    loop {
        while let Ok(f) = failed.try_recv() {
            *failures.entry(f).or_default() += 1;
        }
        let done = ready.load(Ordering::Relaxed) + failures.values().sum::<usize>();
        if done >= args.streams || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let open = ready.load(Ordering::Relaxed);
    println!(
        "{open} of {} streams open in {:.1} s; failures {failures:?}",
        args.streams,
        opening.elapsed().as_secs_f64()
    );
    // Let the server settle, then read its memory with every stream open.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_streams = memory_kb(args.pid);

    // One report changes the tally.
    let host = &hosts[0];
    let post_client = reqwest::Client::new();
    let cases = case_slugs(&post_client, &base, &args.hosts.campaign).await?;
    let t0 = Instant::now();
    let r = post_client
        .post(format!("{base}/api/v1/events/{}/reports", host.events[0]))
        .bearer_auth(&host.token)
        .header(
            "Idempotency-Key",
            format!("sse-{:016x}", rand::random::<u64>()),
        )
        .json(&json!({"participants": 5, "items": [{"case": cases[0], "letters": 7, "solidarity": 3}], "highlights": "fan-out"}))
        .send()
        .await?;
    let acked_after = t0.elapsed();
    if !r.status().is_success() {
        bail!("the report was refused: {} {}", r.status(), r.text().await?);
    }
    let mut delays_us = Vec::with_capacity(open);
    let wait_until = tokio::time::Instant::now() + Duration::from_secs(args.timeout_secs);
    while delays_us.len() < open {
        match tokio::time::timeout_at(wait_until, arrived.recv()).await {
            Ok(Some(at)) => delays_us.push(at.saturating_duration_since(t0).as_micros() as u64),
            _ => break,
        }
    }
    let after = memory_kb(args.pid);
    delays_us.sort_unstable();
    let received = delays_us.len();
    println!(
        "report acknowledged after {:.1} ms; {received} of {open} streams received the new tally",
        acked_after.as_secs_f64() * 1000.0
    );
    println!(
        "time from posting to receipt: p50 {:.0} ms, p99 {:.0} ms, all {:.0} ms",
        percentile_ms(&delays_us, 50.0),
        percentile_ms(&delays_us, 99.0),
        percentile_ms(&delays_us, 100.0)
    );
    println!(
        "server RSS: {} MB before, {} MB with the streams open, {} MB after the fan-out (peak {} MB)",
        mb(before, false),
        mb(with_streams, false),
        mb(after, false),
        mb(after, true)
    );
    println!(
        "of which the process's own (RssAnon, without mapped database pages): {} MB before, {} MB with the streams open, {} MB after",
        anon_mb(before),
        anon_mb(with_streams),
        anon_mb(after)
    );
    println!(
        "RESULT streams={open} received={received} p50_ms={:.0} p99_ms={:.0} all_ms={:.0} rss_before_mb={} rss_open_mb={} rss_after_mb={} rss_peak_mb={}",
        percentile_ms(&delays_us, 50.0),
        percentile_ms(&delays_us, 99.0),
        percentile_ms(&delays_us, 100.0),
        mb(before, false),
        mb(with_streams, false),
        mb(after, false),
        mb(after, true)
    );
    Ok(())
}
