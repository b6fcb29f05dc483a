//! The audit trail's rows: written inside the caller's transaction, read newest first.

use serde::Serialize;
use sqlx::FromRow;

use super::Entry;
use crate::db::{Db, Tx};

/// Appends `entry` at `at` (unix ms) in the caller's transaction.
pub async fn record(tx: &mut Tx, at: i64, entry: &Entry<'_>) -> Result<i64, sqlx::Error> {
    let json = |state: &Option<serde_json::Value>| state.as_ref().map(|v| v.to_string());
    sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, campaign_id, \
         country, before_state, after_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(at)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject.kind)
    .bind(entry.subject.id)
    .bind(entry.campaign_id)
    .bind(entry.country)
    .bind(json(&entry.before))
    .bind(json(&entry.after))
    .fetch_one(&mut **tx)
    .await
}

/// One entry as stored; the states are the JSON text written.
#[derive(Clone, Debug, FromRow, Serialize)]
pub struct Row {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub country: Option<String>,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
}

/// Which entries to read. `country` is the reader's scope as much as a filter: staff of one
/// country pass theirs and see nothing else.
#[derive(Clone, Debug, Default)]
pub struct Filter<'a> {
    pub campaign_id: Option<i64>,
    pub country: Option<&'a str>,
    pub actor_id: Option<i64>,
    /// `event.` matches every event action; `event.unpublish` only that one.
    pub action_prefix: Option<&'a str>,
    pub subject: Option<(&'a str, i64)>,
    /// Entries older than this id (the next page).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// A value a filter binds.
enum Param {
    Int(i64),
    Text(String),
}

/// Newest first, at most `filter.limit` (capped at 500).
pub async fn list(db: &Db, filter: &Filter<'_>) -> Result<Vec<Row>, sqlx::Error> {
    // Numbered placeholders written here, because sqlx's query builder writes `?` for the Any
    // driver, which PostgreSQL does not read.
    let mut sql = String::from(
        "SELECT id, at, actor_id, action, subject_type, subject_id, campaign_id, country, \
         before_state, after_state FROM audit_log WHERE 1 = 1",
    );
    let mut params = Vec::new();
    let mut add = |sql: &mut String, clause: &str, param: Param| {
        params.push(param);
        sql.push_str(&clause.replace('?', &format!("${}", params.len())));
    };
    if let Some(campaign_id) = filter.campaign_id {
        add(&mut sql, " AND campaign_id = ?", Param::Int(campaign_id));
    }
    if let Some(country) = filter.country {
        add(&mut sql, " AND country = ?", Param::Text(country.into()));
    }
    if let Some(actor_id) = filter.actor_id {
        add(&mut sql, " AND actor_id = ?", Param::Int(actor_id));
    }
    if let Some(prefix) = filter.action_prefix {
        // Compared as a leading substring, so no LIKE wildcard in it can widen the match.
        let length = prefix.chars().count() as i64;
        add(
            &mut sql,
            " AND substr(action, 1, CAST(? AS INTEGER))",
            Param::Int(length),
        );
        add(&mut sql, " = ?", Param::Text(prefix.into()));
    }
    if let Some((kind, id)) = filter.subject {
        add(&mut sql, " AND subject_type = ?", Param::Text(kind.into()));
        add(&mut sql, " AND subject_id = ?", Param::Int(id));
    }
    if let Some(before_id) = filter.before_id {
        add(&mut sql, " AND id < ?", Param::Int(before_id));
    }
    let limit = i64::from(filter.limit.clamp(1, 500));
    add(&mut sql, " ORDER BY id DESC LIMIT ?", Param::Int(limit));
    let mut query = sqlx::query_as(&sql);
    for param in params {
        query = match param {
            Param::Int(value) => query.bind(value),
            Param::Text(value) => query.bind(value),
        };
    }
    query.fetch_all(&db.pool).await
}
