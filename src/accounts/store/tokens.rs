//! API tokens' SQL: rows keyed by the token's hash.

use super::{COLUMNS, from_row};
use crate::accounts::Account;
use crate::db::Db;

pub async fn insert(
    db: &Db,
    account_id: i64,
    label: &str,
    token_hash: &str,
    prefix: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_tokens (account_id, label, token_hash, prefix, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(label)
    .bind(token_hash)
    .bind(prefix)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A live token as the account page lists it.
#[derive(sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    /// The first characters, to tell tokens apart without revealing them.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn live_of(db: &Db, account_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, label, prefix, created_at, last_used_at FROM api_tokens \
         WHERE account_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await
}

/// Revokes one of the account's live tokens; false when there was none.
pub async fn revoke(
    db: &Db,
    now: i64,
    account_id: i64,
    token_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(token_id)
    .bind(account_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_last_used(db: &Db, token_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(token_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Many tokens' `last_used_at`, in one statement.
pub async fn set_last_used_many(db: &Db, token_ids: &[i64], now: i64) -> Result<(), sqlx::Error> {
    let ids: Vec<(i64,)> = token_ids.iter().map(|&id| (id,)).collect();
    let sql = format!(
        "UPDATE api_tokens SET last_used_at = $1 \
         WHERE id IN (SELECT CAST(value ->> 0 AS BIGINT) FROM {})",
        db.backend.json_rows(2)
    );
    sqlx::query(&sql)
        .bind(now)
        .bind(crate::db::json_rows_param(&ids))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The live token's account, the token's id and when it was last recorded as used.
pub async fn live(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(Account, i64, Option<i64>)>, sqlx::Error> {
    use sqlx::Row;
    let sql = format!(
        "SELECT {COLUMNS}, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(token_hash)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some((
        from_row(&row)?,
        row.try_get("token_id")?,
        row.try_get("last_used_at")?,
    )))
}
