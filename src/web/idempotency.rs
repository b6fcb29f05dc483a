//! `Idempotency-Key` for API creates: the same key and body get the first answer again and change
//! nothing; the same key with another body is a 409.
//!
//! The key is claimed inside the creating transaction, before anything is written, so two
//! concurrent requests with one key cannot both create: SQLite serialises writers
//! (`BEGIN IMMEDIATE`), and on PostgreSQL the second insert waits on the primary key until the
//! first commits, then fails and replays the stored answer.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use sqlx::Row;

use crate::db::{Backend, Db, Tx, is_unique_violation, now_ms};
use crate::error::Error;
use crate::web::forms::Msg;

pub struct Idempotency {
    account_id: i64,
    key: String,
    request_hash: String,
}

pub enum Claim {
    /// Nobody used this key: go ahead and create, then [`Idempotency::complete`].
    Fresh,
    /// Answer with this and stop.
    Done(Response),
}

impl Idempotency {
    /// Reads the header; `Ok(None)` without one, 400 when it is empty or longer than 255.
    pub fn from_request(
        headers: &HeaderMap,
        account_id: i64,
        route: &str,
        body: &serde_json::Value,
    ) -> Result<Option<Idempotency>, Error> {
        let Some(value) = headers.get("idempotency-key") else {
            return Ok(None);
        };
        let key = value.to_str().unwrap_or_default();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(Error::BadRequest(Msg::new("error-idempotency-key")));
        }
        // serde_json's map is ordered, so equal bodies hash equally whatever their key order.
        let hash = sha2::Sha256::digest(format!("{route}\n{body}").as_bytes());
        Ok(Some(Idempotency {
            account_id,
            key: key.to_string(),
            request_hash: hex::encode(hash),
        }))
    }

    pub async fn claim(&self, db: &Db, tx: &mut Tx) -> Result<Claim, Error> {
        if let Some(done) = self.stored(&mut **tx).await? {
            return Ok(Claim::Done(done));
        }
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, body, created_at) \
             VALUES ($1, $2, $3, 0, '', $4)",
        )
        .bind(self.account_id)
        .bind(&self.key)
        .bind(&self.request_hash)
        .bind(now_ms())
        .execute(&mut **tx)
        .await;
        match inserted {
            Ok(_) => Ok(Claim::Fresh),
            // Another request with this key committed first: answer as it did.
            Err(err) if is_unique_violation(&err) => match self.stored(&db.pool).await? {
                Some(done) => Ok(Claim::Done(done)),
                None => Err(Error::Conflict(Msg::new("error-idempotency-in-progress"))),
            },
            Err(err) => Err(err.into()),
        }
    }

    /// Claims many keys in one statement inside a transaction shared by many requests, without a
    /// failing statement (which would abort it on PostgreSQL). For each key, in order: `None` to
    /// go ahead, `Some(Ok(_))` the stored answer to replay, `Some(Err(_))` a 409.
    ///
    /// The keys must differ from one another: a key twice in one call would find its own claim.
    pub async fn claim_many(
        backend: Backend,
        tx: &mut Tx,
        keys: &[&Idempotency],
    ) -> Result<Vec<Option<Result<StoredResponse, Error>>>, sqlx::Error> {
        let mut claimed = std::collections::HashSet::new();
        let now = now_ms();
        // In key order: concurrent batches on PostgreSQL then wait on shared keys in one order.
        let mut sorted = keys.to_vec();
        sorted.sort_by(|a, b| (a.account_id, &a.key).cmp(&(b.account_id, &b.key)));
        let rows: Vec<_> = sorted
            .iter()
            .map(|k| (k.account_id, k.key.as_str(), k.request_hash.as_str(), now))
            .collect();
        if !rows.is_empty() {
            let sql = format!(
                "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, body, created_at) \
                 SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, 0, '', CAST(value ->> 3 AS BIGINT) \
                 FROM {} WHERE true ON CONFLICT (account_id, idem_key) DO NOTHING RETURNING account_id, idem_key",
                backend.json_rows(1)
            );
            let inserted = sqlx::query(&sql)
                .bind(crate::db::json_rows_param(&rows))
                .fetch_all(&mut **tx)
                .await?;
            for row in inserted {
                claimed.insert((row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?));
            }
        }
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            if claimed.contains(&(k.account_id, k.key.clone())) {
                out.push(None);
                continue;
            }
            // Used before (rare): read what was stored, one key at a time.
            let row = sqlx::query(
                "SELECT request_hash, status, body, location FROM idempotency_keys WHERE account_id = $1 AND idem_key = $2",
            )
            .bind(k.account_id)
            .bind(&k.key)
            .fetch_one(&mut **tx)
            .await?;
            let hash: String = row.try_get("request_hash")?;
            let status: i32 = row.try_get("status")?;
            out.push(Some(if hash != k.request_hash {
                Err(Error::Conflict(Msg::new("error-idempotency-reused")))
            } else if status == 0 {
                Err(Error::Conflict(Msg::new("error-idempotency-in-progress")))
            } else {
                Ok(StoredResponse {
                    status: status as u16,
                    body: row.try_get("body")?,
                    location: row.try_get("location")?,
                    replayed: true,
                })
            }));
        }
        Ok(out)
    }

    /// Stores the answers of keys claimed by [`claim_many`](Self::claim_many), in one statement.
    pub async fn complete_many(
        backend: Backend,
        tx: &mut Tx,
        done: &[(&Idempotency, &StoredResponse)],
    ) -> Result<(), sqlx::Error> {
        let now = now_ms();
        let rows: Vec<_> = done
            .iter()
            .map(|(k, r)| {
                (
                    k.account_id,
                    k.key.as_str(),
                    k.request_hash.as_str(),
                    r.status,
                    r.body.as_str(),
                    r.location.as_deref(),
                    now,
                )
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        // The claimed rows exist: this upsert only ever takes its UPDATE branch.
        let sql = format!(
            "INSERT INTO idempotency_keys AS k (account_id, idem_key, request_hash, status, body, location, created_at) \
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS INTEGER), value ->> 4, \
             value ->> 5, CAST(value ->> 6 AS BIGINT) FROM {} WHERE true \
             ON CONFLICT (account_id, idem_key) DO UPDATE SET status = excluded.status, \
             body = excluded.body, location = excluded.location",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(crate::db::json_rows_param(&rows))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// The account and key, to tell keys apart.
    pub fn id(&self) -> (i64, &str) {
        (self.account_id, &self.key)
    }

    /// Stores the answer in the creating transaction.
    pub async fn complete(&self, tx: &mut Tx, response: &StoredResponse) -> Result<(), Error> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $1, body = $2, location = $3 \
             WHERE account_id = $4 AND idem_key = $5",
        )
        .bind(response.status as i32)
        .bind(&response.body)
        .bind(&response.location)
        .bind(self.account_id)
        .bind(&self.key)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn stored<'e, E>(&self, executor: E) -> Result<Option<Response>, Error>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let row = sqlx::query(
            "SELECT request_hash, status, body, location FROM idempotency_keys \
             WHERE account_id = $1 AND idem_key = $2",
        )
        .bind(self.account_id)
        .bind(&self.key)
        .fetch_optional(executor)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let hash: String = row.try_get("request_hash")?;
        if hash != self.request_hash {
            return Err(Error::Conflict(Msg::new("error-idempotency-reused")));
        }
        let status: i32 = row.try_get("status")?;
        if status == 0 {
            return Err(Error::Conflict(Msg::new("error-idempotency-in-progress")));
        }
        let stored = StoredResponse {
            status: status as u16,
            body: row.try_get("body")?,
            location: row.try_get("location")?,
            replayed: true,
        };
        Ok(Some(stored.into_response()))
    }
}

/// A JSON answer as stored for replay.
#[derive(Clone, Debug)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    /// True when this is the stored first answer sent again.
    pub replayed: bool,
}

impl StoredResponse {
    pub fn created<T: serde::Serialize>(location: String, body: &T) -> StoredResponse {
        StoredResponse {
            status: 201,
            body: serde_json::to_string(body).unwrap_or_default(),
            location: Some(location),
            replayed: false,
        }
    }
}

impl IntoResponse for StoredResponse {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = (status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(location) = self.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            headers.insert(header::LOCATION, location);
        }
        if self.replayed {
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        response
    }
}

/// Forgets keys older than two days (the contract promises at least one).
pub async fn purge_old(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(now_ms() - 48 * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
