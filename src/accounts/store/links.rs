//! One-time links' SQL: redeeming is one conditional UPDATE, so a link works once even when two
//! clicks race.

use crate::db::{Db, Tx};

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    account_id: i64,
    purpose: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_links (token_hash, account_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account of an unused, unexpired link.
pub async fn usable(
    db: &Db,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT account_id FROM account_links WHERE token_hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Uses up an unused, unexpired link; its account, or `None`.
pub async fn use_up(
    tx: &mut Tx,
    now: i64,
    token_hash: &str,
    purpose: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE account_links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 RETURNING account_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await
}

/// Uses up every other link of the account for this purpose.
pub async fn use_up_all(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE account_links SET used_at = $1 WHERE account_id = $2 AND purpose = $3 \
         AND used_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .bind(purpose)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks the account's address confirmed, if it was not.
pub async fn confirm_email(tx: &mut Tx, now: i64, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops links that expired before `before`.
pub async fn purge_expired(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
