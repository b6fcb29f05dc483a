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
    let window = Window::at(bucket, limit, now);
    let hits = store::rate_limit_hit(db, &window.bucket, window.start).await?;
    if window.exceeded_by(hits) {
        return Err(Error::RateLimited {
            retry_after_secs: window.retry_after_secs(now),
        });
    }
    Ok(hits)
}

/// A bucket's window under its limit at one moment, to count hits on in a caller's transaction
/// (`store::rate_limit_add`): a group commit counts a whole batch's hits in one statement.
#[derive(Clone, Debug)]
pub struct Window {
    /// The bucket, hashed.
    pub bucket: String,
    pub start: i64,
    pub limit: Limit,
}

impl Window {
    pub fn at(bucket: &str, limit: Limit, now: i64) -> Window {
        let window_ms = limit.window_secs * 1000;
        Window {
            bucket: secret_hash(bucket),
            start: now - now.rem_euclid(window_ms),
            limit,
        }
    }

    /// Whether the `n`th hit is past the window's allowance.
    pub fn exceeded_by(&self, n: i64) -> bool {
        n > self.limit.hits
    }

    /// Seconds until the window ends, at least one.
    pub fn retry_after_secs(&self, now: i64) -> u64 {
        ((self.start + self.limit.window_secs * 1000 - now) / 1000).max(1) as u64
    }
}

/// Drops windows that ended more than a day ago.
pub async fn purge_old(db: &Db) -> Result<u64, sqlx::Error> {
    store::purge_rate_limits(db, db.now_ms() - 24 * 3600 * 1000).await
}
