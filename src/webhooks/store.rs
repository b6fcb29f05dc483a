//! The webhooks' SQL: subscriptions, the deliveries queued in a change's transaction, and the
//! worker's claims.

use sqlx::{Any, AnyConnection, Transaction};

use crate::db::{Backend, Db, json_rows_param};

/// Where a delivery is in its life: a closed set, stored as text.
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
}

/// A subscription, without its secrets.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub active: i32,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The subscribed event types, space-separated as read (see `event_types`).
    pub events: String,
}

impl Webhook {
    pub fn event_types(&self) -> Vec<String> {
        let mut types: Vec<String> = self.events.split(' ').map(str::to_string).collect();
        types.retain(|t| !t.is_empty());
        types.sort();
        types
    }

    pub fn is_active(&self) -> bool {
        self.active != 0
    }
}

const COLUMNS: &str =
    "w.id, w.url, w.description, w.active, w.created_by, w.created_at, w.updated_at";

fn select(backend: Backend) -> String {
    let events = match backend {
        Backend::Sqlite => {
            "COALESCE((SELECT group_concat(event_type, ' ') FROM webhook_events s WHERE s.webhook_id = w.id), '')"
        }
        Backend::Postgres => {
            "COALESCE((SELECT string_agg(event_type, ' ') FROM webhook_events s WHERE s.webhook_id = w.id), '')"
        }
    };
    format!("SELECT {COLUMNS}, {events} AS events FROM webhooks w")
}

pub async fn all(db: &Db) -> Result<Vec<Webhook>, sqlx::Error> {
    sqlx::query_as(&format!("{} ORDER BY w.id", select(db.backend)))
        .fetch_all(&db.pool)
        .await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Webhook>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE w.id = $1", select(db.backend)))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// The subscription as it is inside `tx` (for the audit trail's "before").
pub async fn get_in(
    backend: Backend,
    tx: &mut Transaction<'_, Any>,
    id: i64,
) -> Result<Option<Webhook>, sqlx::Error> {
    sqlx::query_as(&format!("{} WHERE w.id = $1", select(backend)))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Stores a subscription and its event types; returns its id.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    url: &str,
    description: &str,
    events: &[&str],
    secret: &str,
    by: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks (url, description, secret, active, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $5) RETURNING id",
    )
    .bind(url)
    .bind(description)
    .bind(secret)
    .bind(by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_events(tx, id, events).await?;
    Ok(id)
}

async fn set_events(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    events: &[&str],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM webhook_events WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for event in events {
        sqlx::query("INSERT INTO webhook_events (webhook_id, event_type) VALUES ($1, $2)")
            .bind(id)
            .bind(*event)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Replaces a subscription's URL, description, event types and whether it is active.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    hook: &Webhook,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE webhooks SET url = $1, description = $2, active = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&hook.url)
    .bind(&hook.description)
    .bind(hook.active)
    .bind(now)
    .bind(hook.id)
    .execute(&mut **tx)
    .await?;
    let types = hook.event_types();
    let types: Vec<&str> = types.iter().map(String::as_str).collect();
    set_events(tx, hook.id, &types).await
}

/// Gives a subscription a new secret; the old one keeps signing (as a second signature) until
/// `old_until`, so a receiver can switch without losing a message.
pub async fn rotate(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    id: i64,
    secret: &str,
    old_until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE webhooks SET previous_secret = secret, previous_secret_until = $1, secret = $2, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(old_until)
    .bind(secret)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes a subscription with its deliveries.
pub async fn delete(tx: &mut Transaction<'_, Any>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM webhook_events WHERE webhook_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Queues rows of (webhook-id, event type, payload) for every active webhook subscribed to
/// their type: one statement, a row per message and subscriber.
pub async fn insert_for_subscribers(
    conn: &mut AnyConnection,
    now: i64,
    rows: &[(String, &str, String)],
) -> Result<(), sqlx::Error> {
    // The caller's connection says which dialect it speaks: features call this with only their
    // transaction at hand.
    let backend = match conn.backend_name() {
        "PostgreSQL" => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let sql = format!(
        "INSERT INTO webhook_deliveries (webhook_id, msg_id, event_type, payload, status, attempts, \
         next_attempt_at, created_at) \
         SELECT s.webhook_id, m.value ->> 0, m.value ->> 1, m.value ->> 2, 'queued', 0, $2, $2 \
         FROM {} m JOIN webhook_events s ON s.event_type = m.value ->> 1 \
         JOIN webhooks w ON w.id = s.webhook_id AND w.active = 1",
        backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(json_rows_param(rows))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Queues one message for one webhook ("send test"), whether or not it is active.
pub async fn insert_one(
    tx: &mut Transaction<'_, Any>,
    now: i64,
    webhook_id: i64,
    msg_id: &str,
    event_type: &str,
    payload: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO webhook_deliveries (webhook_id, msg_id, event_type, payload, status, attempts, \
         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5) RETURNING id",
    )
    .bind(webhook_id)
    .bind(msg_id)
    .bind(event_type)
    .bind(payload)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// A delivery as the administrator sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub msg_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i32>,
    pub last_response: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// A webhook's deliveries, newest first; `status` narrows them.
pub async fn deliveries(
    db: &Db,
    webhook_id: i64,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<Delivery>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, webhook_id, msg_id, event_type, payload, status, attempts, next_attempt_at, \
         last_attempt_at, last_status, last_response, last_error, created_at, delivered_at \
         FROM webhook_deliveries WHERE webhook_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(webhook_id)
    .bind(status)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// A delivery claimed by a worker, with what it needs to sign and send it.
#[derive(sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub msg_id: String,
    pub payload: String,
    pub attempts: i32,
    pub created_at: i64,
    pub url: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
}

/// Claims up to `batch` due deliveries of active webhooks for `me` until `until`. One UPDATE
/// whose outer WHERE re-checks the condition: under READ COMMITTED the second of two racing
/// claimers re-evaluates the row after the first commits and skips it (as the mail outbox).
/// A test message goes to an inactive webhook too (its administrator asked for it).
pub async fn claim(
    db: &Db,
    me: &str,
    now: i64,
    until: i64,
    batch: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "UPDATE webhook_deliveries SET claimed_by = $1, claimed_until = $2 \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
           WHERE d.status = 'queued' AND d.next_attempt_at <= $3 \
           AND (d.claimed_until IS NULL OR d.claimed_until < $3) \
           AND (w.active = 1 OR d.event_type = 'webhook.test') ORDER BY d.id LIMIT $4) \
         AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < $3) RETURNING id",
    )
    .bind(me)
    .bind(until)
    .bind(now)
    .bind(batch)
    .fetch_all(&db.pool)
    .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT d.id, d.msg_id, d.payload, d.attempts, d.created_at, w.url, w.secret, \
         w.previous_secret, w.previous_secret_until \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {}) AND d.claimed_by = $2 ORDER BY d.id",
        db.backend.json_rows(1)
    );
    sqlx::query_as(&sql)
        .bind(json_rows_param(&ids))
        .bind(me)
        .fetch_all(&db.pool)
        .await
}

/// What one attempt came to.
#[derive(serde::Serialize)]
pub struct Attempt {
    pub id: i64,
    pub status: &'static str,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub http_status: Option<i64>,
    pub response: Option<String>,
    pub error: Option<String>,
}

/// Records a batch's attempts in one statement, each only if `me` still holds its claim.
pub async fn record(db: &Db, me: &str, now: i64, attempts: &[Attempt]) -> Result<(), sqlx::Error> {
    if attempts.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = attempts
        .iter()
        .map(|a| {
            (
                a.id,
                a.status,
                a.attempts,
                a.next_attempt_at,
                a.http_status,
                &a.response,
                &a.error,
            )
        })
        .collect();
    let sql = format!(
        "UPDATE webhook_deliveries SET status = r.status, attempts = r.attempts, \
         next_attempt_at = r.next_at, last_attempt_at = $2, last_status = r.http_status, \
         last_response = r.response, last_error = r.error, claimed_by = NULL, claimed_until = NULL, \
         delivered_at = CASE WHEN r.status = 'sent' THEN $2 ELSE NULL END \
         FROM (SELECT CAST(value ->> 0 AS BIGINT) AS id, value ->> 1 AS status, \
           CAST(value ->> 2 AS INTEGER) AS attempts, CAST(value ->> 3 AS BIGINT) AS next_at, \
           CAST(value ->> 4 AS INTEGER) AS http_status, value ->> 5 AS response, value ->> 6 AS error \
           FROM {}) r \
         WHERE webhook_deliveries.id = r.id AND webhook_deliveries.claimed_by = $3",
        db.backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(json_rows_param(&rows))
        .bind(now)
        .bind(me)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Counts of a webhook's deliveries by status: (queued, sent, failed).
pub async fn counts(db: &Db, webhook_id: i64) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM webhook_deliveries WHERE webhook_id = $1",
    )
    .bind(webhook_id)
    .fetch_one(&db.pool)
    .await
}

/// Queues a failed delivery again, now, with the same `webhook-id`.
pub async fn retry(db: &Db, webhook_id: i64, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = $1, created_at = $1 \
         WHERE id = $2 AND webhook_id = $3 AND status = 'failed'",
    )
    .bind(now)
    .bind(id)
    .bind(webhook_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets deliveries done (sent or failed) more than `days` days ago; returns how many.
pub async fn purge_done(db: &Db, now: i64, days: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM webhook_deliveries WHERE status IN ('sent', 'failed') AND created_at < $1",
    )
    .bind(now - days * 24 * 3600 * 1000)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}
