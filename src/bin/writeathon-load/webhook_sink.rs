//! `webhook-sink`: an HTTP receiver on loopback that answers every webhook delivery with 204 and
//! keeps none, to measure how fast the webhook worker delivers beside report ingest
//! (BENCHMARKS.md, webhooks). It counts deliveries and distinct `webhook-id`s (at-least-once
//! delivery may send one twice); every second it prints the count so far; after `--until`
//! distinct deliveries it prints the rate from the first to the last and stops.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

use super::WebhookSinkArgs;

#[derive(Default)]
struct Seen {
    deliveries: u64,
    ids: HashSet<String>,
    first: Option<Instant>,
    last: Option<Instant>,
}

pub(crate) async fn run(args: WebhookSinkArgs) -> anyhow::Result<()> {
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let app = Router::new().route(
        "/{*path}",
        post({
            let seen = seen.clone();
            move |headers: HeaderMap| async move {
                let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) else {
                    return StatusCode::BAD_REQUEST;
                };
                let mut seen = seen.lock().expect("sink lock");
                let now = Instant::now();
                seen.first.get_or_insert(now);
                seen.last = Some(now);
                seen.deliveries += 1;
                seen.ids.insert(id.to_string());
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    let mut printed = Instant::now();
    loop {
        tick.tick().await;
        let distinct = seen.lock().expect("sink lock").ids.len() as u64;
        if printed.elapsed() >= Duration::from_secs(1) {
            eprintln!("webhook-sink: {distinct} deliveries");
            printed = Instant::now();
        }
        if args.until > 0 && distinct >= args.until {
            break;
        }
    }
    server.abort();
    let seen = seen.lock().expect("sink lock");
    let secs = match (seen.first, seen.last) {
        (Some(f), Some(l)) => l.duration_since(f).as_secs_f64().max(1e-3),
        _ => 1.0,
    };
    let distinct = seen.ids.len();
    println!(
        "webhook-sink: {distinct} deliveries ({} with repeats) in {secs:.2} s from the first to the last = {:.0}/s",
        seen.deliveries,
        distinct as f64 / secs
    );
    println!(
        "RESULT webhooks={distinct} webhook_posts={} webhooks_per_s={:.0}",
        seen.deliveries,
        distinct as f64 / secs
    );
    Ok(())
}
