//! The delivery worker: claims due deliveries atomically, posts them at once (a batch goes out
//! concurrently over pooled connections), and records every outcome in one statement.
//!
//! Several processes may run it on one PostgreSQL database: a claim is a lease
//! (`claimed_until`), taken by one UPDATE that re-checks its condition, so two workers never hold
//! one delivery. A process killed mid-delivery leaves its claims to expire; the deliveries are
//! then sent again with the same `webhook-id` (at least once, never lost).

use std::time::Duration;

use prometheus_client::metrics::counter::Counter;

use super::address::PublicOnly;
use super::store::{self, Attempt, Claimed, Status};
use crate::config::webhooks::WebhookSettings;
use crate::db::Db;

/// Deliveries claimed at once; all of them are in flight together.
const BATCH: i64 = 100;
/// The start of a receiver's answer that is kept for the administrator to read.
const RESPONSE_KEPT: usize = 1024;

/// Sends deliveries: an HTTP client that follows no redirect, uses no proxy, and resolves names
/// to public addresses only (unless private ones are allowed).
#[derive(Clone)]
pub struct Courier {
    client: reqwest::Client,
    timeout: Duration,
}

impl Courier {
    pub fn new(settings: &WebhookSettings) -> anyhow::Result<Courier> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(std::sync::Arc::new(PublicOnly {
                allow_private: settings.allow_private,
            }))
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent(concat!("Writeathon-Webhooks/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(BATCH as usize)
            .build()?;
        Ok(Courier {
            client,
            timeout: settings.timeout,
        })
    }
}

/// Starts the worker on the current runtime; `failures` counts the attempts that failed (the
/// operator's `writeathon_webhook_deliveries_failed_total`).
pub fn start(
    db: Db,
    settings: WebhookSettings,
    failures: Counter,
) -> Option<tokio::task::JoinHandle<()>> {
    let courier = match Courier::new(&settings) {
        Ok(c) => c,
        Err(err) => {
            tracing::error!(error = %err, "webhook worker not started: no HTTP client");
            return None;
        }
    };
    Some(tokio::spawn(run(db, settings.poll, courier, failures)))
}

fn worker_id() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 6]>())
    )
}

async fn run(db: Db, poll: Duration, courier: Courier, failures: Counter) {
    let me = worker_id();
    tracing::info!(worker = %me, "webhook worker started");
    loop {
        match once(&db, &courier, &me, &failures).await {
            // A full batch: there may be more waiting.
            Ok(n) if n as i64 >= BATCH => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "webhook worker: database error"),
        }
        tokio::time::sleep(poll).await;
    }
}

/// What a receiver answered, or why it did not.
enum Answer {
    Status(u16, String),
    NoAnswer(String),
}

/// Claims and delivers one batch; returns how many were claimed.
pub async fn once(
    db: &Db,
    courier: &Courier,
    me: &str,
    failures: &Counter,
) -> Result<usize, sqlx::Error> {
    let now = db.now_ms();
    // Every delivery of the batch is in flight at once, each within the timeout.
    let lease = courier.timeout.as_millis() as i64 * 2 + 5_000;
    let claimed = store::claim(db, me, now, now + lease, BATCH).await?;
    let n = claimed.len();
    if n == 0 {
        return Ok(0);
    }
    let mut flights = tokio::task::JoinSet::new();
    for delivery in claimed {
        let courier = courier.clone();
        let timestamp = db.now_ms() / 1000;
        flights.spawn(async move {
            let answer = send(&courier, &delivery, timestamp).await;
            (delivery, answer)
        });
    }
    let mut attempts = Vec::with_capacity(n);
    while let Some(done) = flights.join_next().await {
        let Ok((delivery, answer)) = done else {
            continue; // a panicked send: its claim expires and it is tried again
        };
        attempts.push(outcome(db.now_ms(), &delivery, answer));
    }
    store::record(db, me, db.now_ms(), &attempts).await?;
    for a in &attempts {
        // By id: the URL may carry a token, the payload is the receiver's business.
        if a.status == Status::Sent.as_str() {
            // Debug, not info: thousands a second may go out, and the deliveries page already
            // shows each; failures stay at warn.
            tracing::debug!(
                delivery_id = a.id,
                attempts = a.attempts,
                "webhook delivered"
            );
        } else {
            failures.inc();
            tracing::warn!(
                delivery_id = a.id,
                attempts = a.attempts,
                status = a.status,
                http_status = a.http_status,
                "webhook not delivered"
            );
        }
    }
    Ok(n)
}

/// The signature header: the current secret's, and during a rotation's overlap the previous
/// one's too (Standard Webhooks: several space-separated signatures, any one may match).
fn signatures(d: &Claimed, timestamp: i64, now_ms: i64) -> String {
    let mut header = super::sign(&d.secret, &d.msg_id, timestamp, &d.payload);
    if let (Some(old), Some(until)) = (&d.previous_secret, d.previous_secret_until)
        && until > now_ms
    {
        header.push(' ');
        header.push_str(&super::sign(old, &d.msg_id, timestamp, &d.payload));
    }
    header
}

async fn send(courier: &Courier, d: &Claimed, timestamp: i64) -> Answer {
    let signature = signatures(d, timestamp, timestamp * 1000);
    let request = courier
        .client
        .post(&d.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &d.msg_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone());
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(err) => return Answer::NoAnswer(describe(err)),
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while body.len() < RESPONSE_KEPT {
        match tokio::time::timeout(courier.timeout, response.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(RESPONSE_KEPT);
    Answer::Status(status, String::from_utf8_lossy(&body).into_owned())
}

/// An HTTP client error in words, without the URL (it may carry a token).
fn describe(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.chars().take(500).collect()
}

fn outcome(now: i64, d: &Claimed, answer: Answer) -> Attempt {
    let attempts = i64::from(d.attempts) + 1;
    let (http_status, response, error) = match answer {
        Answer::Status(code, body) => (Some(i64::from(code)), Some(body), None),
        Answer::NoAnswer(why) => (None, None, Some(why)),
    };
    let delivered = http_status.is_some_and(|c| (200..300).contains(&c));
    let next_attempt_at = now + super::retry_delay(attempts).as_millis() as i64;
    let status = if delivered {
        Status::Sent
    } else if next_attempt_at > d.created_at + super::GIVE_UP_AFTER_MS {
        Status::Failed
    } else {
        Status::Queued
    };
    Attempt {
        id: d.id,
        status: status.as_str(),
        attempts,
        next_attempt_at,
        http_status,
        response,
        error,
    }
}
