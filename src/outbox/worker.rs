//! The delivery worker: claims due messages atomically, sends them, and records the outcome.
//!
//! Several processes may run it on one PostgreSQL database: a claim is one UPDATE whose outer WHERE
//! re-checks the condition, so under READ COMMITTED the second of two racing claimers re-evaluates
//! the row after the first commits and skips it. A claim is a lease (`claimed_until`): a process
//! that dies mid-send leaves the message to be retried after the lease, with the same Message-ID.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::store::{self, Status};
use super::transport::{SendError, Sender};
use crate::config::mail::MailSettings;
use crate::db::Db;

/// Messages claimed at once.
const BATCH: i64 = 256;
/// Messages on their way at once, each over its own pooled SMTP connection. lettre writes a
/// message's closing dot apart from its body, so each message waits for the server's delayed
/// acknowledgement (Nagle's algorithm; 40 ms on loopback, where a message is one segment):
/// about 25 a second per connection, and several connections at once make the rate
/// (BENCHMARKS.md, online actions).
pub const SENDING: usize = 32;

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
    Some(tokio::spawn(run(db, settings, Arc::new(sender))))
}

fn worker_id() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 6]>())
    )
}

async fn run(db: Db, settings: MailSettings, sender: Arc<Sender>) {
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

/// Claims and delivers one batch; returns how many were claimed. Up to `SENDING` messages are on
/// their way at once, over the transport's pooled connections; the sent ones are recorded in one
/// statement, so a burst of confirmation mail costs the database one write per batch rather than
/// one per message beside the writes of the people acting.
pub async fn once(
    db: &Db,
    settings: &MailSettings,
    sender: &Arc<Sender>,
    me: &str,
) -> Result<usize, sqlx::Error> {
    let now = db.now_ms();
    // Long enough to send the whole batch, `SENDING` at a time, each at its timeout.
    let rounds = (BATCH as usize).div_ceil(SENDING) as i64 + 1;
    let lease = settings.send_timeout.as_millis() as i64 * rounds + 5_000;
    let rows = store::claim(db, me, now, now + lease, BATCH).await?;
    let n = rows.len();
    let per_message = settings.send_timeout + Duration::from_secs(5);
    let lanes = Arc::new(Semaphore::new(SENDING));
    let mut sending = JoinSet::new();
    for row in rows {
        let (sender, lanes) = (sender.clone(), lanes.clone());
        let deadline = now + lease;
        let db = db.clone();
        sending.spawn(async move {
            let _lane = lanes
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            // Never send past the lease: by then another worker may have claimed the message.
            if db.now_ms() + per_message.as_millis() as i64 > deadline {
                return None;
            }
            let outcome = tokio::time::timeout(
                per_message,
                sender.send(&row.sender, &row.recipient, &row.message_id, &row.message),
            )
            .await
            .unwrap_or_else(|_| Err(SendError::Transient("timed out".into())));
            Some((row.id, row.kind, i64::from(row.attempts) + 1, outcome))
        });
    }
    // Sent messages are recorded as they finish, each record taking along all that finished
    // while the one before was written: a worker killed mid-batch sends again only what was on
    // its way or just arrived (with the same Message-ID), a handful, not the whole batch.
    let mut sent = Vec::new();
    while let Some(done) = sending.join_next().await {
        let mut done = Some(done);
        while let Some(one) = done {
            if let Ok(Some((id, kind, attempts, outcome))) = one {
                match outcome {
                    Ok(()) => {
                        log_sent(sender, id, &kind);
                        sent.push((id, attempts));
                    }
                    Err(err) => not_sent(db, settings, me, id, &kind, attempts, err).await?,
                }
            }
            done = sending.try_join_next();
        }
        store::mark_sent(db, me, db.now_ms(), &sent).await?;
        sent.clear();
    }
    Ok(n)
}

/// Never the address: the id and kind are enough to find it on /staff/mail.
fn log_sent(sender: &Sender, id: i64, kind: &str) {
    match sender {
        Sender::Files(_) => tracing::info!(
            outbox_id = id,
            kind,
            "mail written to the outbox folder (no SMTP server configured)"
        ),
        Sender::Smtp(_) => tracing::info!(outbox_id = id, kind, "mail sent"),
    }
}

/// Records a failed attempt: queued again after its back-off, or given up on.
async fn not_sent(
    db: &Db,
    settings: &MailSettings,
    me: &str,
    id: i64,
    kind: &str,
    attempts: i64,
    err: SendError,
) -> Result<(), sqlx::Error> {
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
    let next_attempt_at = db.now_ms() + backoff(settings.backoff_base, attempts).as_millis() as i64;
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
    Ok(())
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
