//! The backup's SQL: rows as archive lines and back — the one reading of a table that `backup`
//! writes and `restore` checks against, and the batched inserts of a restore.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Row, ValueRef};
use tokio_stream::StreamExt;

use crate::db::catalog::{ColumnKind, Table};
use crate::db::{Backend, Db, Tx};

/// A read transaction that sees one moment of the database however long it is read: SQLite's
/// read transaction (WAL keeps its snapshot while writers go on); PostgreSQL's REPEATABLE READ.
pub async fn snapshot(db: &Db) -> Result<Tx, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    if db.backend == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The order-free checksum of a table's rows: the sum (mod 2^128) of the first 16 bytes of each
/// line's SHA-256, so the same rows in any order, from either backend, give the same value.
#[derive(Default)]
pub struct ContentHash(u128);

impl ContentHash {
    pub fn add(&mut self, line: &[u8]) {
        let digest = Sha256::digest(line);
        let mut head = [0u8; 16];
        head.copy_from_slice(&digest[..16]);
        self.0 = self.0.wrapping_add(u128::from_be_bytes(head));
    }

    pub fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Reads every row of `table` in the transaction, hands each to `visit` as its archive line (a
/// JSON array, no newline), and returns the row count and the content checksum.
pub async fn each(
    tx: &mut Tx,
    table: &Table,
    mut visit: impl FnMut(&[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<(u64, String)> {
    let columns: Vec<String> = table.columns.iter().map(|(c, _)| quoted(c)).collect();
    let order = if table.primary_key.is_empty() {
        columns.join(", ")
    } else {
        let key: Vec<String> = table.primary_key.iter().map(|c| quoted(c)).collect();
        key.join(", ")
    };
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {order}",
        columns.join(", "),
        quoted(&table.name)
    );
    let mut stream = sqlx::query(&sql).fetch(&mut **tx);
    let (mut count, mut content) = (0u64, ContentHash::default());
    let mut line = Vec::with_capacity(256);
    while let Some(row) = stream.next().await {
        let row = row?;
        line.clear();
        serde_json::to_writer(&mut line, &encode(&row, table)?)?;
        content.add(&line);
        visit(&line)?;
        count += 1;
    }
    Ok((count, content.hex()))
}

fn encode(row: &AnyRow, table: &Table) -> anyhow::Result<Value> {
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, (name, kind)) in table.columns.iter().enumerate() {
        if row.try_get_raw(i)?.is_null() {
            values.push(Value::Null);
            continue;
        }
        let value = match kind {
            ColumnKind::Integer => Value::from(row.try_get::<i64, _>(i)?),
            ColumnKind::Real => serde_json::Number::from_f64(row.try_get::<f64, _>(i)?)
                .map(Value::Number)
                .ok_or_else(|| {
                    anyhow::anyhow!("{}.{name}: a value that is not a number", table.name)
                })?,
            ColumnKind::Text => Value::from(row.try_get::<String, _>(i)?),
            ColumnKind::Blob => Value::from(BASE64.encode(row.try_get::<Vec<u8>, _>(i)?)),
        };
        values.push(value);
    }
    Ok(Value::Array(values))
}

/// Binds one archive value for a column of `kind`; `what` names the value in an error.
pub fn bind<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    kind: ColumnKind,
    value: &Value,
    what: &dyn Fn() -> String,
) -> anyhow::Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>> {
    let wrong = || anyhow::anyhow!("{}: not a valid {kind:?} value", what());
    Ok(match (kind, value) {
        (ColumnKind::Integer, Value::Null) => query.bind(None::<i64>),
        (ColumnKind::Real, Value::Null) => query.bind(None::<f64>),
        (ColumnKind::Text, Value::Null) => query.bind(None::<String>),
        (ColumnKind::Blob, Value::Null) => query.bind(None::<Vec<u8>>),
        (ColumnKind::Integer, v) => query.bind(v.as_i64().ok_or_else(wrong)?),
        (ColumnKind::Real, v) => query.bind(v.as_f64().ok_or_else(wrong)?),
        (ColumnKind::Text, Value::String(s)) => query.bind(s.clone()),
        (ColumnKind::Blob, Value::String(s)) => query.bind(BASE64.decode(s).map_err(|_| wrong())?),
        _ => return Err(wrong()),
    })
}

/// The first table of the target that holds a row, if any: a restore goes only into an empty
/// database.
pub async fn first_with_rows(db: &Db) -> anyhow::Result<Option<String>> {
    for table in db.tables().await? {
        let sql = format!("SELECT 1 AS one FROM {} LIMIT 1", quoted(&table.name));
        if sqlx::query(&sql).fetch_optional(&db.pool).await?.is_some() {
            return Ok(Some(table.name));
        }
    }
    Ok(None)
}

/// Inserts a batch of archive rows in one statement and empties the batch.
pub async fn insert(
    tx: &mut Tx,
    table: &str,
    names: &[String],
    kinds: &[ColumnKind],
    batch: &mut Vec<Vec<Value>>,
) -> anyhow::Result<u64> {
    if batch.is_empty() {
        return Ok(0);
    }
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        quoted(table),
        names.join(", ")
    );
    let mut n = 0;
    for (r, _) in batch.iter().enumerate() {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..names.len() {
            n += 1;
            sql.push_str(&format!("{}${n}", if c == 0 { "" } else { ", " }));
        }
        sql.push(')');
    }
    let mut query = sqlx::query(&sql);
    for values in batch.iter() {
        for ((value, kind), name) in values.iter().zip(kinds).zip(names) {
            query = bind(query, *kind, value, &|| format!("{table}.{name}"))?;
        }
    }
    let done = query.execute(&mut **tx).await?.rows_affected();
    batch.clear();
    Ok(done)
}
