//! Sign-in sessions, stored in the database so every server process sees the same ones.
//! The cookie holds a random token; the table holds only its hash. Over https it is named
//! `__Host-session`: browsers take such a cookie only from this host (Secure, Path=/, no Domain),
//! so another host under the same domain cannot plant a session of its choosing.

use axum::http::HeaderValue;
use axum_extra::extract::cookie::{Cookie, SameSite};

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
    store::sessions::insert(
        db,
        &secret_hash(&token),
        account_id,
        now,
        now + LIFETIME_MS,
        second_factor,
    )
    .await?;
    Ok(token)
}

/// The session's owner has just proven a second factor (enrolling one).
pub async fn add_second_factor(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    store::sessions::add_second_factor(db, &secret_hash(token)).await
}

/// The account of a live session: not expired, not idle too long for the account's role. A
/// staff member or admin whose sign-in had no second factor gets a host's rights only, and
/// `needs_second_factor` (the account page then asks them to set one up).
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
    let hash = secret_hash(token);
    let now = db.now_ms();
    let Some(live) =
        store::sessions::live(db, &hash, now, IDLE_MS, STAFF_IDLE_MS, STAFF_LIFETIME_MS).await?
    else {
        return Ok(None);
    };
    if now - live.last_seen_at > SEEN_PRECISION_MS {
        store::sessions::touch(db, &hash, now).await?;
    }
    let mut account = live.account;
    if account.is_staff() && !live.second_factor {
        account.role = super::Role::Host;
        account.staff_country = None;
        account.needs_second_factor = true;
    }
    Ok(Some(account))
}

pub async fn delete(db: &Db, token: &str) -> Result<(), sqlx::Error> {
    store::sessions::delete(db, &secret_hash(token)).await
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    store::sessions::purge_expired(db, db.now_ms()).await
}

/// How many sessions an account has (for tests and the account page).
pub async fn count_for(db: &Db, account_id: i64) -> Result<i64, sqlx::Error> {
    store::sessions::count_for(db, account_id).await
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
