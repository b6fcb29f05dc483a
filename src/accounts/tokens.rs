//! API bearer tokens: shown once, stored hashed, listed and revocable on the account page.

use sqlx::Row;

use super::{Account, random_token, secret_hash, store};
use crate::db::{Db, now_ms};

/// Every token starts with this, so a leaked one is recognisable in a scan.
const PREFIX: &str = "wa_";

pub struct TokenRow {
    pub id: i64,
    pub label: String,
    /// The first characters, to tell tokens apart without revealing them.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn issue(db: &Db, account_id: i64, label: &str) -> Result<String, sqlx::Error> {
    let token = format!("{PREFIX}{}", random_token());
    sqlx::query(
        "INSERT INTO api_tokens (account_id, label, token_hash, prefix, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(label)
    .bind(secret_hash(&token))
    .bind(&token[..10])
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(token)
}

pub async fn list(db: &Db, account_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, label, prefix, created_at, last_used_at FROM api_tokens \
         WHERE account_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenRow {
                id: r.try_get("id")?,
                label: r.try_get("label")?,
                prefix: r.try_get("prefix")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
            })
        })
        .collect()
}

/// Revokes one of the account's own tokens; false when there was no such live token.
pub async fn revoke(db: &Db, account_id: i64, token_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(token_id)
    .bind(account_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The account behind a bearer token, if the token is live.
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {}, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        store::COLUMNS
    );
    let Some(row) = sqlx::query(&sql)
        .bind(secret_hash(token))
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let token_id: i64 = row.try_get("token_id")?;
    let last_used: Option<i64> = row.try_get("last_used_at")?;
    let now = now_ms();
    // A minute's precision is plenty, and it spares a write on every API request.
    if last_used.is_none_or(|t| now - t > 60_000) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(Some(store::from_row(&row)?))
}
