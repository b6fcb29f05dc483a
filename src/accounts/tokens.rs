//! API bearer tokens: shown once, stored hashed, listed and revocable on the account page.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::sync::mpsc;

use super::{Account, random_token, secret_hash, store};
use crate::db::Db;
use crate::web::cache::{TtlCache, ttl_cache};

/// Every token starts with this, so a leaked one is recognisable in a scan.
const PREFIX: &str = "wa_";

pub use super::store::tokens::TokenRow;

pub async fn issue(db: &Db, account_id: i64, label: &str) -> Result<String, sqlx::Error> {
    let token = format!("{PREFIX}{}", random_token());
    store::tokens::insert(
        db,
        account_id,
        label,
        &secret_hash(&token),
        &token[..10],
        db.now_ms(),
    )
    .await?;
    Ok(token)
}

pub async fn list(db: &Db, account_id: i64) -> Result<Vec<TokenRow>, sqlx::Error> {
    store::tokens::live_of(db, account_id).await
}

/// Revokes one of the account's own tokens; false when there was no such live token.
pub async fn revoke(db: &Db, account_id: i64, token_id: i64) -> Result<bool, sqlx::Error> {
    store::tokens::revoke(db, db.now_ms(), account_id, token_id).await
}

/// The account behind a bearer token, if the token is live (uncached; the server uses
/// [`TokenCache::authenticate`]).
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
    let Some((account, token_id, last_used)) = lookup(db, token).await? else {
        return Ok(None);
    };
    let now = db.now_ms();
    // A minute's precision is plenty, and it spares a write on every API request.
    if last_used.is_none_or(|t| now - t > LAST_USED_PRECISION_MS) {
        store::tokens::set_last_used(db, token_id, now).await?;
    }
    Ok(Some(account))
}

const LAST_USED_PRECISION_MS: i64 = 60_000;

/// The live token's account, the token's id and when it was last recorded as used.
async fn lookup(db: &Db, token: &str) -> Result<Option<(Account, i64, Option<i64>)>, sqlx::Error> {
    if !token.starts_with(PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    store::tokens::live(db, &secret_hash(token)).await
}

/// Live tokens seen in the last few seconds, and their `last_used_at` written in the background.
///
/// An API client sends a report every few milliseconds on the global day: looking its token up
/// and writing `last_used_at` on each request would cost a query (and on SQLite a write queued
/// behind the report committer) per report. A token revoked here is forgotten at once; revoked
/// through another process, it stops working within [`TOKEN_TTL`].
pub struct TokenCache {
    live: TtlCache<String, (Account, i64)>,
    /// Token id → (last_used_at as written or queued, waiting to be written).
    used: Mutex<HashMap<i64, (i64, bool)>>,
    /// Wakes the writer; when the cache is dropped, the writer stops.
    wake: mpsc::Sender<()>,
    clock: crate::clock::Clock,
    db: Db,
}

impl crate::state::AppState {
    /// This process's live API tokens.
    pub fn tokens(&self) -> &TokenCache {
        self.service::<Arc<TokenCache>>()
    }
}

/// Where token revocations are announced to every server process.
const REVOKED_CHANNEL: &str = "writeathon_tokens_revoked";

pub const TOKEN_TTL: Duration = Duration::from_secs(5);

impl TokenCache {
    /// The cache, with its writer of `last_used_at` running. Needs a Tokio runtime.
    pub fn start(db: Db) -> Arc<TokenCache> {
        let (wake, woken) = mpsc::channel(1);
        let cache = Arc::new(TokenCache {
            live: ttl_cache(TOKEN_TTL, 100_000),
            used: Mutex::default(),
            wake,
            clock: db.clock.clone(),
            db: db.clone(),
        });
        let weak = Arc::downgrade(&cache);
        tokio::spawn(crate::db::listen(db.clone(), REVOKED_CHANNEL, move |_| {
            if let Some(cache) = weak.upgrade() {
                cache.forget_all();
            }
        }));
        tokio::spawn(write_last_used(db, Arc::downgrade(&cache), woken));
        cache
    }

    pub async fn authenticate(&self, db: &Db, token: &str) -> Result<Option<Account>, sqlx::Error> {
        let hash = secret_hash(token);
        if let Some((account, token_id)) = self.live.get(&hash) {
            self.touch(token_id, None);
            return Ok(Some(account));
        }
        let Some((account, token_id, last_used)) = lookup(db, token).await? else {
            return Ok(None);
        };
        self.live.insert(hash, (account.clone(), token_id));
        self.touch(token_id, Some(last_used.unwrap_or(0)));
        Ok(Some(account))
    }

    /// A token was revoked: forget every cached one, here and in every other server process
    /// (revocations are rare). Call it after the revocation commits.
    pub async fn revoked(&self) {
        self.forget_all();
        if let Err(err) = self.db.notify(REVOKED_CHANNEL, "").await {
            // Other processes then refuse the token within `TOKEN_TTL`.
            tracing::warn!(error = %err, "could not tell other processes of a revoked token");
        }
    }

    fn forget_all(&self) {
        self.live.invalidate_all();
    }

    fn touch(&self, token_id: i64, stored: Option<i64>) {
        let now = self.clock.now_ms();
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let entry = used.entry(token_id).or_insert((stored.unwrap_or(0), false));
        if let Some(stored) = stored
            && !entry.1
        {
            entry.0 = entry.0.max(stored);
        }
        if !entry.1 && now - entry.0 > LAST_USED_PRECISION_MS {
            *entry = (now, true);
            // Full means the writer is already due to run.
            let _ = self.wake.try_send(());
        }
    }

    fn take_pending(&self) -> Vec<i64> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.len() > 100_000 {
            used.retain(|_, (_, pending)| *pending);
        }
        used.iter_mut()
            .filter(|(_, (_, pending))| *pending)
            .map(|(id, (_, pending))| {
                *pending = false;
                *id
            })
            .collect()
    }
}

/// Writes queued `last_used_at`s, all in one statement, at most once a second.
async fn write_last_used(db: Db, cache: Weak<TokenCache>, mut woken: mpsc::Receiver<()>) {
    while woken.recv().await.is_some() {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Some(c) = cache.upgrade() else { return };
        let ids = c.take_pending();
        drop(c);
        if ids.is_empty() {
            continue;
        }
        let written = store::tokens::set_last_used_many(&db, &ids, db.now_ms()).await;
        if let Err(err) = written {
            tracing::warn!(error = %err, "could not record when tokens were last used");
        }
    }
}
