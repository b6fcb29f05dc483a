//! The SQL of the HTTP layer's own tables: rate-limit windows and idempotency keys.

use sqlx::AnyConnection;

use crate::db::{Backend, Db, Tx};

/// Counts one hit on the (hashed) bucket's window: one atomic upsert, no read-modify-write;
/// returns the window's hits so far.
pub async fn rate_limit_hit(
    db: &Db,
    bucket_hash: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO rate_limits AS r (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1 RETURNING hits",
    )
    .bind(bucket_hash)
    .bind(window_start)
    .fetch_one(&db.pool)
    .await
}

/// Counts `n` hits on each (hashed bucket, window start, n) in the caller's transaction, in one
/// statement; returns each window's hits so far, in the order given. The windows must be
/// distinct; callers sort them, so two transactions take their rows' locks in one order.
pub async fn rate_limit_add(
    backend: Backend,
    tx: &mut Tx,
    windows: &[(String, i64, i64)],
) -> Result<Vec<i64>, sqlx::Error> {
    if windows.is_empty() {
        return Ok(Vec::new());
    }
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    let sql = format!(
        "INSERT INTO rate_limits AS r (bucket, window_start, hits) \
         SELECT value ->> 0, CAST(value ->> 1 AS BIGINT), CAST(value ->> 2 AS BIGINT) FROM {} WHERE true \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + excluded.hits \
         RETURNING bucket, window_start, hits",
        backend.json_rows(1)
    );
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(&sql)
        .bind(crate::db::json_rows_param(windows))
        .fetch_all(&mut **tx)
        .await?;
    let hits: std::collections::HashMap<(&str, i64), i64> = rows
        .iter()
        .map(|(b, s, h)| ((b.as_str(), *s), *h))
        .collect();
    Ok(windows
        .iter()
        .map(|(bucket, start, _)| hits.get(&(bucket.as_str(), *start)).copied().unwrap_or(0))
        .collect())
}

/// The (hashed) bucket's hits in its window so far, without counting one.
pub async fn rate_limit_peek(
    db: &Db,
    bucket_hash: &str,
    window_start: i64,
) -> Result<i64, sqlx::Error> {
    let hits: Option<i64> =
        sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start = $2")
            .bind(bucket_hash)
            .bind(window_start)
            .fetch_optional(&db.pool)
            .await?;
    Ok(hits.unwrap_or(0))
}

/// Drops rate-limit windows that started before `before`.
pub async fn purge_rate_limits(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// A stored idempotency key: the request it came with and its answer (`status` 0 while the first
/// request is still being answered).
#[derive(sqlx::FromRow)]
pub struct KeyRow {
    pub account_id: i64,
    pub idem_key: String,
    pub request_hash: String,
    pub status: i32,
    pub body: String,
    pub location: Option<String>,
}

const KEY_COLUMNS: &str = "k.account_id, k.idem_key, k.request_hash, k.status, k.body, k.location";

/// The stored key, if any.
pub async fn key<'e, E>(
    executor: E,
    account_id: i64,
    key: &str,
) -> Result<Option<KeyRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_as(&format!(
        "SELECT {KEY_COLUMNS} FROM idempotency_keys k WHERE k.account_id = $1 AND k.idem_key = $2"
    ))
    .bind(account_id)
    .bind(key)
    .fetch_optional(executor)
    .await
}

/// Claims a key, answer still to come; a unique violation when it is taken (the caller replays).
pub async fn claim_key(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    key: &str,
    request_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, 0, '', $4)",
    )
    .bind(account_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored keys among many (account id, key), read in one statement.
pub async fn keys(
    backend: Backend,
    conn: &mut AnyConnection,
    wanted: &[(i64, &str)],
) -> Result<Vec<KeyRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {KEY_COLUMNS} FROM {} JOIN idempotency_keys k \
         ON k.account_id = CAST(value ->> 0 AS BIGINT) AND k.idem_key = value ->> 1",
        backend.json_rows(1)
    );
    sqlx::query_as(&sql)
        .bind(crate::db::json_rows_param(wanted))
        .fetch_all(&mut *conn)
        .await
}

/// A fresh key with its answer, for [`record_keys`].
pub type NewKey<'a> = (i64, &'a str, &'a str, u16, &'a str, Option<&'a str>, i64);

/// Writes fresh keys with their answers, (account id, key, request hash, status, body, location,
/// created at), in one statement, in the order given.
pub async fn record_keys(
    backend: Backend,
    conn: &mut AnyConnection,
    rows: &[NewKey<'_>],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, body, location, created_at) \
         SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS INTEGER), value ->> 4, \
         value ->> 5, CAST(value ->> 6 AS BIGINT) FROM {}",
        backend.json_rows(1)
    );
    sqlx::query(&sql)
        .bind(crate::db::json_rows_param(rows))
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the answer to a claimed key, in the creating transaction.
pub async fn complete_key(
    tx: &mut Tx,
    account_id: i64,
    key: &str,
    status: i32,
    body: &str,
    location: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, body = $2, location = $3 \
         WHERE account_id = $4 AND idem_key = $5",
    )
    .bind(status)
    .bind(body)
    .bind(location)
    .bind(account_id)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets idempotency keys made before `before`.
pub async fn purge_keys(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
