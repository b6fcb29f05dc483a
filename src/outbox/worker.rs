//! The delivery worker: claims due messages atomically, sends them, and records the outcome.
//!
//! Several processes may run it on one PostgreSQL database: a claim is one UPDATE whose outer WHERE
//! re-checks the condition, so under READ COMMITTED the second of two racing claimers re-evaluates
//! the row after the first commits and skips it. A claim is a lease (`claimed_until`): a process
//! that dies mid-send leaves the message to be retried after the lease, with the same Message-ID.

use std::time::Duration;

use super::store::{self, Status};
use super::transport::{SendError, Sender};
use crate::config::mail::MailSettings;
use crate::db::Db;

const BATCH: i64 = 20;

/// Starts the worker on the current runtime, when a transport is configured.
pub fn start(db: Db, settings: MailSettings) -> Option<tokio::task::JoinHandle<()>> {
    let transport = settings.transport.clone()?;
    let sender = match Sender::new(&transport, settings.send_timeout) {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(error = %err, "mail worker not started: bad transport settings");
            return None;
        }
    };
    Some(tokio::spawn(run(db, settings, sender)))
}

fn worker_id() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 6]>())
    )
}

async fn run(db: Db, settings: MailSettings, sender: Sender) {
    let me = worker_id();
    tracing::info!(worker = %me, "mail worker started");
    loop {
        match once(&db, &settings, &sender, &me).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "mail worker: database error"),
        }
        tokio::time::sleep(settings.poll).await;
    }
}

/// Delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most six hours.
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let factor = 1u32 << (attempts.clamp(1, 20) - 1) as u32;
    base.saturating_mul(factor)
        .min(Duration::from_secs(6 * 3600))
}

/// Claims and delivers one batch; returns how many were claimed.
pub async fn once(
    db: &Db,
    settings: &MailSettings,
    sender: &Sender,
    me: &str,
) -> Result<usize, sqlx::Error> {
    let now = db.now_ms();
    // Long enough to send the whole batch one by one, each at its timeout.
    let lease = settings.send_timeout.as_millis() as i64 * (BATCH + 1) + 5_000;
    let rows = store::claim(db, me, now, now + lease, BATCH).await?;
    let n = rows.len();
    let per_message = settings.send_timeout + Duration::from_secs(5);
    for row in rows {
        // Never send past the lease: by then another worker may have claimed the message.
        if db.now_ms() + per_message.as_millis() as i64 > now + lease {
            break;
        }
        let id = row.id;
        let kind = row.kind;
        let attempts = i64::from(row.attempts);
        let (from, to, message_id, message) =
            (row.sender, row.recipient, row.message_id, row.message);
        let outcome =
            tokio::time::timeout(per_message, sender.send(&from, &to, &message_id, &message))
                .await
                .unwrap_or_else(|_| Err(SendError::Transient("timed out".into())));
        let attempts = attempts + 1;
        match outcome {
            Ok(()) => {
                store::mark_sent(db, id, me, attempts as i32, db.now_ms()).await?;
                // Never the address: the id and kind are enough to find it on /staff/mail.
                match sender {
                    Sender::Files(_) => tracing::info!(
                        outbox_id = id,
                        kind,
                        "mail written to the outbox folder (no SMTP server configured)"
                    ),
                    Sender::Smtp(_) => tracing::info!(outbox_id = id, kind, "mail sent"),
                }
            }
            Err(err) => {
                let (reason, permanent) = match err {
                    SendError::Permanent(r) => (r, true),
                    SendError::Transient(r) => (r, false),
                };
                let failed = permanent || attempts >= settings.max_attempts;
                let reason: String = reason.chars().take(500).collect();
                let status = if failed {
                    Status::Failed
                } else {
                    Status::Queued
                };
                let next_attempt_at =
                    db.now_ms() + backoff(settings.backoff_base, attempts).as_millis() as i64;
                store::mark_not_sent(
                    db,
                    id,
                    me,
                    status,
                    attempts as i32,
                    next_attempt_at,
                    &reason,
                )
                .await?;
                // The reason may quote the address; it goes to the database for staff, not the log.
                tracing::warn!(
                    outbox_id = id,
                    kind,
                    attempts,
                    permanent,
                    failed,
                    "mail not delivered"
                );
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let b = Duration::from_secs(30);
        assert_eq!(backoff(b, 1), Duration::from_secs(30));
        assert_eq!(backoff(b, 2), Duration::from_secs(60));
        assert_eq!(backoff(b, 4), Duration::from_secs(240));
        assert_eq!(backoff(b, 40), Duration::from_secs(6 * 3600));
    }
}
