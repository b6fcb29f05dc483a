//! The second factor's SQL: the TOTP secret with the last step accepted (a code is accepted
//! only for a later step, so none works twice), recovery codes, and sign-ins waiting for a code.

use crate::db::{Db, Tx};

pub async fn is_enabled(db: &Db, account_id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query(
            "SELECT 1 FROM second_factors WHERE account_id = $1 AND enabled_at IS NOT NULL",
        )
        .bind(account_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some(),
    )
}

/// The account's secret, `fresh` stored first when it has none.
pub async fn secret_or(
    db: &Db,
    account_id: i64,
    fresh: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO second_factors (account_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO NOTHING",
    )
    .bind(account_id)
    .bind(fresh)
    .bind(now)
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT secret FROM second_factors WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
}

#[derive(sqlx::FromRow)]
pub struct Factor {
    pub secret: String,
    pub enabled_at: Option<i64>,
}

pub async fn factor(tx: &mut Tx, account_id: i64) -> Result<Option<Factor>, sqlx::Error> {
    sqlx::query_as("SELECT secret, enabled_at, last_step FROM second_factors WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Records `step` as accepted (turning the factor on) only if it is later than the last one
/// accepted; false when it is not.
pub async fn accept_step(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE second_factors SET last_step = $1, enabled_at = COALESCE(enabled_at, $2) \
         WHERE account_id = $3 AND last_step < $1",
    )
    .bind(step)
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up an unused recovery code; false when there is none.
pub async fn use_recovery_code(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND account_id = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(code_hash)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_recovery_codes(tx: &mut Tx, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn insert_recovery_code(
    tx: &mut Tx,
    account_id: i64,
    code_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO recovery_codes (code_hash, account_id) VALUES ($1, $2)")
        .bind(code_hash)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn insert_pending(
    db: &Db,
    token_hash: &str,
    account_id: i64,
    next: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pending_sign_ins (token_hash, account_id, next, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(next)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An unexpired pending sign-in: (account id, where to go next).
pub async fn pending(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, next FROM pending_sign_ins WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

pub async fn delete_pending(tx: &mut Tx, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pending_sign_ins WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Drops pending sign-ins expired at `now`.
pub async fn purge_pending(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM pending_sign_ins WHERE expires_at <= $1")
            .bind(now)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
