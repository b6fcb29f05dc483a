//! Rate limits whose counters live in the database, so every server process shares them.
//!
//! A fixed window per bucket: one atomic upsert per hit, no read-modify-write in the application.
//! Buckets are hashed before they are stored, so no email or IP address sits in the table.

use crate::db::Db;
use crate::error::Error;
use crate::secret::secret_hash;
use crate::web::store;

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub hits: i64,
    pub window_secs: i64,
}

/// Sign-in attempts: per address and per account email.
pub const SIGN_IN_PER_IP: Limit = Limit {
    hits: 20,
    window_secs: 300,
};
pub const SIGN_IN_PER_EMAIL: Limit = Limit {
    hits: 10,
    window_secs: 900,
};
/// New accounts per address.
pub const SIGN_UP_PER_IP: Limit = Limit {
    hits: 10,
    window_secs: 3600,
};

/// Counts one hit on `bucket`; `Err(RateLimited)` once the window's allowance is used up.
pub async fn hit(db: &Db, bucket: &str, limit: Limit) -> Result<(), Error> {
    hits(db, bucket, limit).await.map(|_| ())
}

/// Like [`hit`], and returns how many hits the window has had, this one included.
pub async fn hits(db: &Db, bucket: &str, limit: Limit) -> Result<i64, Error> {
    let now = db.now_ms();
    let window_ms = limit.window_secs * 1000;
    let window_start = now - now.rem_euclid(window_ms);
    let hits = store::rate_limit_hit(db, &secret_hash(bucket), window_start).await?;
    if hits > limit.hits {
        let retry_after_secs = ((window_start + window_ms - now) / 1000).max(1) as u64;
        return Err(Error::RateLimited { retry_after_secs });
    }
    Ok(hits)
}

/// Drops windows that ended more than a day ago.
pub async fn purge_old(db: &Db) -> Result<u64, sqlx::Error> {
    store::purge_rate_limits(db, db.now_ms() - 24 * 3600 * 1000).await
}
