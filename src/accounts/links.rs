//! One-time links sent by mail: confirming an email address, resetting a password, signing in
//! without one. The mail holds the token; the table holds its hash, when it expires and whether
//! it was used. Redeeming is one conditional UPDATE, so a link works once even when two clicks race.

use sqlx::Row;

use super::{random_token, secret_hash};
use crate::db::{Db, Tx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
    SignIn,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
            Purpose::SignIn => "sign-in",
        }
    }

    /// Long enough to reach the inbox and be read; short where the link alone signs someone in.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::Verify => 7 * 24 * 3600 * 1000,
            Purpose::Reset => 3600 * 1000,
            Purpose::SignIn => 15 * 60 * 1000,
        }
    }

    /// The path the mail links to, token appended.
    pub fn path(self) -> &'static str {
        match self {
            Purpose::Verify => "/account/verify/",
            Purpose::Reset => "/account/reset/",
            Purpose::SignIn => "/signin/link/",
        }
    }
}

/// Creates a link in the caller's transaction (the one that queues its mail); returns the token.
pub async fn issue(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    purpose: Purpose,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO account_links (token_hash, account_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secret_hash(&token))
    .bind(account_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(now + purpose.lifetime_ms())
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

fn plausible(token: &str) -> bool {
    (20..=64).contains(&token.len())
}

/// The account a still-usable link belongs to, without using it up (to show its form).
pub async fn peek(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, sqlx::Error> {
    if !plausible(token) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT account_id FROM account_links WHERE token_hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3",
    )
    .bind(secret_hash(token))
    .bind(purpose.as_str())
    .bind(db.now_ms())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Uses the link up in the caller's transaction; `None` if it is unknown, used or expired.
/// Following any link proves the address, so it also marks the email confirmed.
pub async fn redeem(
    tx: &mut Tx,
    now: i64,
    token: &str,
    purpose: Purpose,
) -> Result<Option<i64>, sqlx::Error> {
    if !plausible(token) {
        return Ok(None);
    }
    let row = sqlx::query(
        "UPDATE account_links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 RETURNING account_id",
    )
    .bind(now)
    .bind(secret_hash(token))
    .bind(purpose.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let account_id: i64 = row.try_get(0)?;
    // One link used spends its siblings: a sign-in or reset link spends every other sign-in and
    // reset link of the account (an old one lying in a mailbox is no way in), a confirmation
    // link the other confirmation links.
    let siblings: &[Purpose] = match purpose {
        Purpose::Verify => &[Purpose::Verify],
        Purpose::Reset | Purpose::SignIn => &[Purpose::Reset, Purpose::SignIn],
    };
    for sibling in siblings {
        sqlx::query(
            "UPDATE account_links SET used_at = $1 WHERE account_id = $2 AND purpose = $3 \
             AND used_at IS NULL",
        )
        .bind(now)
        .bind(account_id)
        .bind(sibling.as_str())
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE accounts SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(Some(account_id))
}

/// Drops links that expired more than a day ago.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM account_links WHERE expires_at < $1")
        .bind(db.now_ms() - 24 * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
