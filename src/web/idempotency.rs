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
use sqlx::AnyConnection;

use crate::db::{Backend, Db, Tx, is_unique_violation};
use crate::error::Error;
use crate::i18n::Msg;
use crate::web::store::{self, KeyRow};

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
        let inserted = store::claim_key(
            tx,
            db.now_ms(),
            self.account_id,
            &self.key,
            &self.request_hash,
        )
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
        let rows = store::keys(backend, conn, &wanted).await?;
        // Used keys are rare (a client's retry): a search per row is fine.
        for row in rows {
            let id = (row.account_id, row.idem_key.as_str());
            if let Some(i) = keys.iter().position(|k| k.id() == id) {
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
        let mut rows: Vec<store::NewKey> = done
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
        store::record_keys(backend, conn, &rows).await
    }

    /// The account and key, to tell keys apart.
    pub fn id(&self) -> (i64, &str) {
        (self.account_id, &self.key)
    }

    /// Stores the answer in the creating transaction.
    pub async fn complete(&self, tx: &mut Tx, response: &StoredResponse) -> Result<(), Error> {
        store::complete_key(
            tx,
            self.account_id,
            &self.key,
            response.status as i32,
            &response.body,
            response.location.as_deref(),
        )
        .await?;
        Ok(())
    }

    async fn stored<'e, E>(&self, executor: E) -> Result<Option<Response>, Error>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let row = store::key(executor, self.account_id, &self.key).await?;
        match row {
            Some(row) => Ok(Some(self.answer_from(&row)?.into_response())),
            None => Ok(None),
        }
    }

    /// What a stored key answers this request: its first answer again, or a 409 when the key
    /// came with another request or its first request is still being answered.
    fn answer_from(&self, row: &KeyRow) -> Result<StoredResponse, Error> {
        if row.request_hash != self.request_hash {
            return Err(Error::Conflict(Msg::new("error-idempotency-reused")));
        }
        if row.status == 0 {
            return Err(Error::Conflict(Msg::new("error-idempotency-in-progress")));
        }
        Ok(StoredResponse {
            status: row.status as u16,
            body: row.body.clone(),
            location: row.location.clone(),
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
    store::purge_keys(db, db.now_ms() - 48 * 3600 * 1000).await
}
