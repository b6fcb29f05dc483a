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
const HOUR_MS: i64 = 3600 * 1000;
/// A session ends this long after sign-in, used or not.
const LIFETIME_MS: i64 = 30 * 24 * HOUR_MS;
/// A host's session ends after a week unused; a staff member's or admin's, who can see and
/// change far more, after two hours unused and twelve after sign-in.
pub const IDLE_MS: i64 = 7 * 24 * HOUR_MS;
pub const STAFF_IDLE_MS: i64 = 2 * HOUR_MS;
pub const STAFF_LIFETIME_MS: i64 = 12 * HOUR_MS;
/// How stale `last_seen_at` may get before a request writes it again (spares a write per page).
const SEEN_PRECISION_MS: i64 = 60_000;

/// A new session; `second_factor` when its sign-in included one (staff rights need it).
pub async fn create(db: &Db, account_id: i64, second_factor: bool) -> Result<String, sqlx::Error> {
    let token = random_token();
    let now = db.now_ms();
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, expires_at, last_seen_at, second_factor) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(secret_hash(&token))
    .bind(account_id)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .bind(i32::from(second_factor))
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// The session's owner has just proven a second factor (enrolling one).
pub async fn add_second_factor(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET second_factor = 1 WHERE id_hash = $1")
        .bind(secret_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The account of a live session: not expired, not idle too long for the account's role. A
/// staff member or admin whose sign-in had no second factor gets a host's rights only, and
/// `needs_second_factor` (the account page then asks them to set one up).
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!(
        "SELECT {}, s.last_seen_at, s.second_factor FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND CASE WHEN a.role = 'host' \
         THEN s.last_seen_at > $2 - $3 \
         ELSE s.last_seen_at > $2 - $4 AND s.created_at > $2 - $5 END",
        store::COLUMNS
    );
    let hash = secret_hash(token);
    let now = db.now_ms();
    let Some(row) = sqlx::query(&sql)
        .bind(&hash)
        .bind(now)
        .bind(IDLE_MS)
        .bind(STAFF_IDLE_MS)
        .bind(STAFF_LIFETIME_MS)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let seen: i64 = row.try_get("last_seen_at")?;
    if now - seen > SEEN_PRECISION_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&db.pool)
            .await?;
    }
    let mut account = store::from_row(&row)?;
    if account.is_staff() && row.try_get::<i32, _>("second_factor")? == 0 {
        account.role = super::Role::Host;
        account.staff_country = None;
        account.needs_second_factor = true;
    }
    Ok(Some(account))
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
