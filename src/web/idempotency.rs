//! `Idempotency-Key` for API creates: the same key and body get the first answer again and change
//! nothing; the same key with another body is a 409.
//!
//! The key is claimed inside the creating transaction, before anything is written, so two
//! concurrent requests with one key cannot both create: SQLite serialises writers
//! (`BEGIN IMMEDIATE`), and on PostgreSQL the second insert waits on the primary key until the
//! first commits, then fails and replays the stored answer. New reports, committed in batches,
//! look their keys up first and write the fresh ones once, with their answers
//! ([`Idempotency::stored_many`]).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::db::{Backend, Db, Tx, is_unique_violation};
use crate::error::Error;
use crate::i18n::Msg;

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
        .bind(db.now_ms())
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

    /// The stored answers of many keys, read in one statement inside a transaction shared by
    /// many requests. For each key, in order: `None` for a key never used (go ahead, then
    /// [`record_many`](Self::record_many)), `Some(Ok(_))` the stored answer to replay,
    /// `Some(Err(_))` a 409.
    ///
    /// Nothing is written here: a fresh key is written once, with its answer, at the end of the
    /// transaction. SQLite's one committer holds the write lock throughout, so nobody can take the
    /// key meanwhile; on PostgreSQL a concurrent batch that took it makes `record_many` fail, and
    /// the batch is then committed report by report, which finds the key and replays its answer.
    pub async fn stored_many(
        backend: Backend,
        conn: &mut AnyConnection,
        keys: &[&Idempotency],
    ) -> Result<Vec<Option<Result<StoredResponse, Error>>>, sqlx::Error> {
        let mut out: Vec<Option<Result<StoredResponse, Error>>> =
            keys.iter().map(|_| None).collect();
        if keys.is_empty() {
            return Ok(out);
        }
        let wanted: Vec<_> = keys
            .iter()
            .map(|k| (k.account_id, k.key.as_str()))
            .collect();
        let sql = format!(
            "SELECT k.account_id, k.idem_key, k.request_hash, k.status, k.body, k.location \
             FROM {} JOIN idempotency_keys k \
             ON k.account_id = CAST(value ->> 0 AS BIGINT) AND k.idem_key = value ->> 1",
            backend.json_rows(1)
        );
        let rows = sqlx::query(&sql)
            .bind(crate::db::json_rows_param(&wanted))
            .fetch_all(&mut *conn)
            .await?;
        // Used keys are rare (a client's retry): a search per row is fine.
        for row in rows {
            let id = (row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?);
            if let Some(i) = keys.iter().position(|k| k.id() == (id.0, id.1.as_str())) {
                out[i] = Some(keys[i].answer_from(&row));
            }
        }
        Ok(out)
    }

    /// Writes fresh keys with their answers, in one statement, in key order (so that concurrent
    /// batches on PostgreSQL meeting on a key wait in one order). See [`stored_many`](Self::stored_many).
    pub async fn record_many(
        backend: Backend,
        conn: &mut AnyConnection,
        now: i64,
        done: &[(&Idempotency, &StoredResponse)],
    ) -> Result<(), sqlx::Error> {
        if done.is_empty() {
            return Ok(());
        }
        let mut rows: Vec<_> = done
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
        rows.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let sql = format!(
            "INSERT INTO idempotency_keys (account_id, idem_key, request_hash, status, body, location, created_at) \
             SELECT CAST(value ->> 0 AS BIGINT), value ->> 1, value ->> 2, CAST(value ->> 3 AS INTEGER), value ->> 4, \
             value ->> 5, CAST(value ->> 6 AS BIGINT) FROM {}",
            backend.json_rows(1)
        );
        sqlx::query(&sql)
            .bind(crate::db::json_rows_param(&rows))
            .execute(conn)
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
        match row {
            Some(row) => Ok(Some(self.answer_from(&row)?.into_response())),
            None => Ok(None),
        }
    }

    /// What a stored key answers this request: its first answer again, or a 409 when the key
    /// came with another request or its first request is still being answered.
    fn answer_from(&self, row: &AnyRow) -> Result<StoredResponse, Error> {
        let hash: String = row.try_get("request_hash")?;
        if hash != self.request_hash {
            return Err(Error::Conflict(Msg::new("error-idempotency-reused")));
        }
        let status: i32 = row.try_get("status")?;
        if status == 0 {
            return Err(Error::Conflict(Msg::new("error-idempotency-in-progress")));
        }
        Ok(StoredResponse {
            status: status as u16,
            body: row.try_get("body")?,
            location: row.try_get("location")?,
            replayed: true,
        })
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
        .bind(db.now_ms() - 48 * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
