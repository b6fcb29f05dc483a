//! `reports`: reports sent over HTTP as fast as the server acknowledges them.

use super::{ReportsArgs, case_slugs, own_cpu_seconds, percentile_ms, read_hosts, report_counts};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

/// What one acknowledged report looked like in its answer.
struct Ack {
    id: i64,
    event_id: i64,
    letters: i64,
    solidarity: i64,
    participants: i64,
}

/// What each sender brings back.
#[derive(Default)]
struct SenderStats {
    latencies_us: Vec<u64>,
    errors: BTreeMap<String, usize>,
}

pub(crate) async fn run(args: ReportsArgs) -> anyhow::Result<()> {
    let hosts = Arc::new(read_hosts(&args.hosts.tokens, &args.hosts.events)?);
    let base = args.hosts.base.trim_end_matches('/').to_string();
    let cases = Arc::new(case_slugs(&reqwest::Client::new(), &base, &args.hosts.campaign).await?);
    let prefix = args
        .key_prefix
        .clone()
        .unwrap_or_else(|| format!("load-{:016x}", rand::random::<u64>()));

    // The writer: every acknowledged report is written (and flushed) as soon as it arrives, so
    // the file is complete up to the moment the run stops, however it stops.
    let (acks, mut ack_rx) = mpsc::unbounded_channel::<Ack>();
    let mut file = tokio::io::BufWriter::new(tokio::fs::File::create(&args.out).await?);
    let writer = tokio::spawn(async move {
        while let Some(first) = ack_rx.recv().await {
            let mut next = Some(first);
            while let Some(a) = next {
                let line = format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    a.id, a.event_id, a.letters, a.solidarity, a.participants
                );
                file.write_all(line.as_bytes()).await?;
                next = ack_rx.try_recv().ok();
            }
            file.flush().await?;
        }
        file.flush().await?;
        anyhow::Ok(())
    });

    // C senders share one counter: each takes the next report number until N are sent.
    let next = Arc::new(AtomicUsize::new(0));
    let acked_so_far = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    if args.progress {
        let acked_so_far = acked_so_far.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            let mut last = 0;
            loop {
                tick.tick().await;
                let now = acked_so_far.load(Ordering::Relaxed);
                eprintln!(
                    "{:>5.1} s: {now} acknowledged (+{})",
                    started.elapsed().as_secs_f64(),
                    now - last
                );
                last = now;
            }
        });
    }
    let address = base
        .strip_prefix("http://")
        .context("--base must be http://host:port")?
        .to_string();
    let mut senders = Vec::new();
    for _ in 0..args.concurrency {
        let (hosts, cases, next, acks, acked_so_far) = (
            hosts.clone(),
            cases.clone(),
            next.clone(),
            acks.clone(),
            acked_so_far.clone(),
        );
        let (address, prefix, total) = (address.clone(), prefix.clone(), args.requests);
        senders.push(tokio::spawn(async move {
            let mut stats = SenderStats::default();
            let mut connection: Option<Connection> = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                // Report i goes to host i mod H, to one of that host's events in turn.
                let host = &hosts[i % hosts.len()];
                let event = host.events[(i / hosts.len()) % host.events.len()];
                let (participants, items) = report_counts(i, cases.len());
                let body = json!({
                    "participants": participants,
                    "items": items.iter().map(|(c, l, s)| json!({"case": cases[*c], "letters": l, "solidarity": s})).collect::<Vec<_>>(),
                    "highlights": "load test",
                });
                let request = hyper::Request::post(format!("/api/v1/events/{event}/reports"))
                    .header("host", address.as_str())
                    .header("authorization", format!("Bearer {}", host.token))
                    .header("idempotency-key", format!("{prefix}-{i}"))
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body.to_string())))
                    .expect("a well-formed request");
                let sent = Instant::now();
                let result = send(&mut connection, &address, request).await;
                let error = match result {
                    Ok((status, answer)) if status.is_success() => {
                        match serde_json::from_slice::<Value>(&answer) {
                            Ok(answer) => {
                                stats.latencies_us.push(sent.elapsed().as_micros() as u64);
                                acked_so_far.fetch_add(1, Ordering::Relaxed);
                                let ack = ack_of(&answer);
                                let expected: (i64, i64) = items
                                    .iter()
                                    .fold((0, 0), |(l, s), (_, il, is)| (l + il, s + is));
                                match ack {
                                    Some(a) if (a.letters, a.solidarity) == expected => {
                                        let _ = acks.send(a);
                                        None
                                    }
                                    Some(a) => {
                                        // Acknowledged, but not with the counts we sent: record
                                        // it anyway (it is stored) and count the mismatch.
                                        let _ = acks.send(a);
                                        Some("2xx with other counts".to_string())
                                    }
                                    None => Some("2xx without a report id".to_string()),
                                }
                            }
                            Err(e) => Some(format!("2xx unreadable: {e}")),
                        }
                    }
                    Ok((status, _)) => Some(format!("HTTP {}", status.as_u16())),
                    Err(e) => Some(e),
                };
                if let Some(e) = error {
                    *stats.errors.entry(e).or_default() += 1;
                }
            }
            stats
        }));
    }
    drop(acks);

    let mut latencies = Vec::with_capacity(args.requests);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for s in senders {
        let s = s.await?;
        latencies.extend(s.latencies_us);
        for (k, v) in s.errors {
            *errors.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    writer.await??;

    latencies.sort_unstable();
    let acked = latencies.len();
    let rate = acked as f64 / elapsed;
    let error_total: usize = errors.values().sum();
    println!(
        "sent {} reports with {} in flight in {elapsed:.2} s",
        args.requests, args.concurrency
    );
    println!("acknowledged: {acked} ({rate:.0}/s)");
    println!(
        "latency of acknowledged: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 95.0),
        percentile_ms(&latencies, 99.0),
        percentile_ms(&latencies, 100.0)
    );
    println!("errors: {error_total} {errors:?}");
    println!(
        "load generator CPU: {:.2} s ({:.0} µs per acknowledged report)",
        own_cpu_seconds(),
        own_cpu_seconds() * 1e6 / acked.max(1) as f64
    );
    println!(
        "RESULT acked={acked} seconds={elapsed:.3} acked_per_s={rate:.0} p50_ms={:.1} p95_ms={:.1} p99_ms={:.1} errors={error_total}",
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 95.0),
        percentile_ms(&latencies, 99.0)
    );
    Ok(())
}

/// One sender's keep-alive HTTP/1.1 connection. hyper's connection API, without a client's pool,
/// redirects and timers: the load generator shares the server's 2 cores, so every microsecond it
/// spends per request is one the server does not get.
type Connection = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// Sends one request on the sender's connection (opening it first if there is none, or again if
/// it broke) and reads the whole answer. A failure is returned as the error's name.
async fn send(
    connection: &mut Option<Connection>,
    address: &str,
    request: hyper::Request<Full<Bytes>>,
) -> Result<(hyper::StatusCode, Bytes), String> {
    if connection.as_ref().is_none_or(|c| c.is_closed()) {
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .map_err(|_| "connect".to_string())?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|_| "connect".to_string())?;
        tokio::spawn(conn);
        *connection = Some(sender);
    }
    let sender = connection.as_mut().expect("opened above");
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, hyper::Error>((status, body))
    })
    .await;
    match outcome {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => {
            *connection = None;
            Err("transport".to_string())
        }
        Err(_) => {
            *connection = None;
            Err("timeout".to_string())
        }
    }
}

/// Reads the report id and its sums out of a 201 answer.
fn ack_of(answer: &Value) -> Option<Ack> {
    let report = &answer["report"];
    let items = report["items"].as_array()?;
    Some(Ack {
        id: report["id"].as_i64()?,
        event_id: report["event_id"].as_i64()?,
        letters: items.iter().filter_map(|i| i["letters"].as_i64()).sum(),
        solidarity: items.iter().filter_map(|i| i["solidarity"].as_i64()).sum(),
        participants: report["participants"].as_i64()?,
    })
}
