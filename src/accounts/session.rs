//! Sign-in sessions, stored in the database so every server process sees the same ones.
//! The cookie holds a random token; the table holds only its hash. Over https it is named
//! `__Host-session`: browsers take such a cookie only from this host (Secure, Path=/, no Domain),
//! so another host under the same domain cannot plant a session of its choosing.

use axum::http::HeaderValue;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sqlx::Row;

use super::{Account, random_token, secret_hash, store};
use crate::db::Db;

/// The cookie's name: `secure` when the site is reached over https.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-session" } else { "session" }
}
const LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;

pub async fn create(db: &Db, account_id: i64) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = db.now_ms();
    sqlx::query("INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(secret_hash(&token))
        .bind(account_id)
        .bind(now)
        .bind(now + LIFETIME_MS)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

pub async fn lookup(db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!(
        "SELECT {} FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
        store::COLUMNS
    );
    let row = sqlx::query(&sql)
        .bind(secret_hash(token))
        .bind(db.now_ms())
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(store::from_row).transpose()
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(secret_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(db.now_ms())
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// How many sessions an account has (for tests and the account page).
pub async fn count_for(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)
}

pub fn cookie(token: String, secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::milliseconds(LIFETIME_MS))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie is ASCII")
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
    let cookie = Cookie::build((cookie_name(secure), ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie is ASCII")
}
