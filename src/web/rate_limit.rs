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

/// Counts one hit on each bucket under its limit, in one write; `Err(RateLimited)` (with the
/// longest wait) if any window's allowance is used up, else each window's hits, in order.
pub async fn hits_many(db: &Db, buckets: &[(&str, Limit)]) -> Result<Vec<i64>, Error> {
    let now = db.now_ms();
    let windows: Vec<(String, i64)> = buckets
        .iter()
        .map(|(bucket, limit)| {
            let window_ms = limit.window_secs * 1000;
            (secret_hash(bucket), now - now.rem_euclid(window_ms))
        })
        .collect();
    let hits = store::rate_limit_hits(db, &windows).await?;
    let mut wait = None;
    for (((_, limit), (_, start)), n) in buckets.iter().zip(&windows).zip(&hits) {
        if *n > limit.hits {
            let secs = ((start + limit.window_secs * 1000 - now) / 1000).max(1) as u64;
            wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
        }
    }
    match wait {
        Some(retry_after_secs) => Err(Error::RateLimited { retry_after_secs }),
        None => Ok(hits),
    }
}

/// Drops windows that ended more than a day ago.
pub async fn purge_old(db: &Db) -> Result<u64, sqlx::Error> {
    store::purge_rate_limits(db, db.now_ms() - 24 * 3600 * 1000).await
}
