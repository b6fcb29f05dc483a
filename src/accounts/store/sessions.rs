//! Sessions' SQL: rows keyed by the hash of the cookie's token.

use super::{COLUMNS, from_row};
use crate::accounts::Account;
use crate::db::Db;

pub async fn insert(
    db: &Db,
    id_hash: &str,
    account_id: i64,
    now: i64,
    expires_at: i64,
    second_factor: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, expires_at, last_seen_at, second_factor) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .bind(i32::from(second_factor))
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn add_second_factor(db: &Db, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET second_factor = 1 WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A live session as stored: its account, when it was last seen, and whether its sign-in had a
/// second factor.
pub struct Live {
    pub account: Account,
    pub last_seen_at: i64,
    pub second_factor: bool,
}

/// The session if it has not expired and is not idle too long for its account's role: a host's
/// after `idle_ms` unused, a staff member's or admin's after `staff_idle_ms` unused or
/// `staff_lifetime_ms` after sign-in.
pub async fn live(
    db: &Db,
    id_hash: &str,
    now: i64,
    idle_ms: i64,
    staff_idle_ms: i64,
    staff_lifetime_ms: i64,
) -> Result<Option<Live>, sqlx::Error> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {COLUMNS}, s.last_seen_at, s.second_factor FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND CASE WHEN a.role = 'host' \
         THEN s.last_seen_at > $2 - $3 \
         ELSE s.last_seen_at > $2 - $4 AND s.created_at > $2 - $5 END"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id_hash)
        .bind(now)
        .bind(idle_ms)
        .bind(staff_idle_ms)
        .bind(staff_lifetime_ms)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Live {
        account: from_row(&row)?,
        last_seen_at: row.try_get("last_seen_at")?,
        second_factor: row.try_get::<i32, _>("second_factor")? != 0,
    }))
}

pub async fn touch(db: &Db, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes sessions expired at `now`; returns how many.
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

pub async fn count_for(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
}
