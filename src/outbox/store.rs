//! The outbox's SQL: queueing messages, the worker's claims, and the reminder preferences behind
//! the unsubscribe links.

use std::collections::HashSet;

use crate::db::{Backend, Db, Tx, json_rows_param};

/// Where a message is in its life: a closed set, stored as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Queued,
    Sent,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sent => "sent",
            Status::Failed => "failed",
        }
    }

    /// The stored text read back; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "queued" => Some(Status::Queued),
            "sent" => Some(Status::Sent),
            "failed" => Some(Status::Failed),
            _ => None,
        }
    }
}

/// A formatted message to store (`outbox::compose`).
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub kind: &'static str,
    pub dedupe_key: Option<String>,
    pub sender: String,
    pub recipient: String,
    pub message_id: String,
    pub message: String,
    pub country: Option<String>,
}

/// Stores a queued message in the caller's transaction; false when its dedupe key was used.
pub async fn insert(tx: &mut Tx, now: i64, m: &NewMessage) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, dedupe_key, sender, recipient, message_id, message, status, attempts, \
         next_attempt_at, created_at, country) VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $7, $8) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(m.kind)
    .bind(m.dedupe_key.as_deref())
    .bind(&m.sender)
    .bind(&m.recipient)
    .bind(&m.message_id)
    .bind(&m.message)
    .bind(now)
    .bind(m.country.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Stores many queued messages in one statement (rows bound as one JSON parameter, as the
/// report batches are); returns the Message-IDs of those stored, the others' dedupe keys having
/// been used.
pub async fn insert_many(
    backend: Backend,
    tx: &mut Tx,
    now: i64,
    messages: &[&NewMessage],
) -> Result<HashSet<String>, sqlx::Error> {
    if messages.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<_> = messages
        .iter()
        .map(|m| {
            (
                m.kind,
                &m.dedupe_key,
                &m.sender,
                &m.recipient,
                &m.message_id,
                &m.message,
                &m.country,
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO outbox (kind, dedupe_key, sender, recipient, message_id, message, status, attempts, \
         next_attempt_at, created_at, country) \
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, 'queued', 0, $2, $2, \
         value ->> 6 FROM {} WHERE true ON CONFLICT (dedupe_key) DO NOTHING RETURNING message_id",
        backend.json_rows(1)
    );
    let stored: Vec<String> = sqlx::query_scalar(&sql)
        .bind(json_rows_param(&rows))
        .bind(now)
        .fetch_all(&mut **tx)
        .await?;
    Ok(stored.into_iter().collect())
}

/// A message claimed for delivery.
#[derive(sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub sender: String,
    pub recipient: String,
    pub message_id: String,
    pub message: String,
    pub attempts: i32,
}

/// Claims up to `batch` due messages for `me` until `until`, in id order. One UPDATE whose outer
/// WHERE re-checks the condition: under READ COMMITTED the second of two racing claimers
/// re-evaluates the row after the first commits and skips it.
pub async fn claim(
    db: &Db,
    me: &str,
    now: i64,
    until: i64,
    batch: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let mut rows: Vec<Claimed> = sqlx::query_as(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $3 \
           AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4) \
         AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < $3) \
         RETURNING id, kind, sender, recipient, message_id, message, attempts",
    )
    .bind(me)
    .bind(until)
    .bind(now)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// What the outbox holds for the metrics: messages queued, when the oldest of them was queued,
/// and messages given up on. Two counts on the `(status, …)` index, not a scan of sent mail.
pub async fn depth(db: &Db) -> Result<(i64, Option<i64>, i64), sqlx::Error> {
    let (queued, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), MIN(created_at) FROM outbox WHERE status = 'queued'",
    )
    .fetch_one(&db.pool)
    .await?;
    let (failed,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE status = 'failed'")
            .fetch_one(&db.pool)
            .await?;
    Ok((queued, oldest, failed))
}

/// Records messages sent, (id, attempts) each, those `me` still holds the claim of: one statement.
pub async fn mark_sent(
    db: &Db,
    me: &str,
    now: i64,
    sent: &[(i64, i64)],
) -> Result<(), sqlx::Error> {
    if sent.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET status = 'sent', sent_at = $1, \
         attempts = CAST((SELECT value ->> 1 FROM {rows} WHERE CAST(value ->> 0 AS BIGINT) = outbox.id) AS INTEGER), \
         last_error = NULL, claimed_by = NULL, claimed_until = NULL \
         WHERE id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {rows}) AND claimed_by = $3",
        rows = db.backend.json_rows(2)
    );
    sqlx::query(&sql)
        .bind(now)
        .bind(json_rows_param(sent))
        .bind(me)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Records a failed attempt, if `me` still holds the claim: queued again for `next_attempt_at`,
/// or given up on (`Status::Failed`).
pub async fn mark_not_sent(
    db: &Db,
    id: i64,
    me: &str,
    status: Status,
    attempts: i32,
    next_attempt_at: i64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, \
         claimed_by = NULL, claimed_until = NULL WHERE id = $5 AND claimed_by = $6",
    )
    .bind(status.as_str())
    .bind(attempts)
    .bind(next_attempt_at)
    .bind(reason)
    .bind(id)
    .bind(me)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Makes sure the address has a row of reminder preferences; whether reminders are off for it.
/// `unsubscribe_token` (unique, not null) held the one clear token of older messages; a new
/// address gets `placeholder_hash`, the hash of a token nobody is sent, which matches nothing.
pub async fn recipient_reminders_off(
    tx: &mut Tx,
    now: i64,
    email: &str,
    placeholder_hash: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_recipients (email, unsubscribe_token, token_hashed, created_at) \
         VALUES ($1, $2, 1, $3) ON CONFLICT (email) DO NOTHING",
    )
    .bind(email)
    .bind(placeholder_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let off: Option<i64> =
        sqlx::query_scalar("SELECT reminders_off_at FROM mail_recipients WHERE email = $1")
            .bind(email)
            .fetch_one(&mut **tx)
            .await?;
    Ok(off.is_some())
}

/// Stores an unsubscribe link's token hash for the address.
pub async fn insert_link(
    tx: &mut Tx,
    now: i64,
    token_hash: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO unsubscribe_links (token_hash, email, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(email)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The address behind a link's token hash, and when its reminders were turned off.
#[derive(sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub reminders_off_at: Option<i64>,
}

pub async fn recipient_by_token(
    db: &Db,
    token_hash: &str,
) -> Result<Option<Recipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email, reminders_off_at FROM mail_recipients WHERE unsubscribe_token = $1 \
         UNION ALL SELECT m.email, m.reminders_off_at FROM unsubscribe_links l \
         JOIN mail_recipients m ON m.email = l.email WHERE l.token_hash = $1 LIMIT 1",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await
}

/// Turns the address's reminders off (`Some(when)`) or on again (`None`).
pub async fn set_reminders_off(
    db: &Db,
    email: &str,
    off_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_recipients SET reminders_off_at = $1 WHERE email = $2")
        .bind(off_at)
        .bind(email)
        .execute(&db.pool)
        .await?;
    Ok(())
}
