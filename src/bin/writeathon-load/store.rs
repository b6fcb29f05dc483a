//! The SQL of `raw`, which writes report rows straight into the database, bypassing the
//! application: the durability it runs at, the campaign's events and cases, and one report.

use sqlx::Row;
use writeathon::db::{Backend, Db, Tx};

/// The setting `raw` must run at to compare with the server (SQLite `synchronous = FULL`,
/// PostgreSQL `synchronous_commit = on`); an error names the setting found instead.
pub(crate) async fn durability(db: &Db) -> anyhow::Result<&'static str> {
    match db.backend {
        Backend::Sqlite => {
            let n: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&db.pool)
                .await?
                .try_get(0)?;
            if n != 2 {
                anyhow::bail!("SQLite synchronous is {n}, not FULL (2)");
            }
            Ok("sqlite synchronous=FULL")
        }
        Backend::Postgres => {
            let v: String = sqlx::query("SHOW synchronous_commit")
                .fetch_one(&db.pool)
                .await?
                .try_get(0)?;
            if v != "on" {
                anyhow::bail!("PostgreSQL synchronous_commit is {v}, not on");
            }
            Ok("postgres synchronous_commit=on")
        }
    }
}

/// An event to report on: its id, its campaign's and its host's.
#[derive(sqlx::FromRow, Clone, Copy)]
pub(crate) struct EventRow {
    pub id: i64,
    pub campaign_id: i64,
    pub host_id: i64,
}

/// The first 200 events of the campaign with this slug.
pub(crate) async fn events(db: &Db, campaign: &str) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.campaign_id, e.host_id FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE c.slug = $1 ORDER BY e.id LIMIT 200",
    )
    .bind(campaign)
    .fetch_all(&db.pool)
    .await
}

/// The campaign's case ids.
pub(crate) async fn cases(db: &Db, campaign_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM cases WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await
}

/// One report: its row, then one single-row INSERT per case, (case id, letters, solidarity).
pub(crate) async fn insert_report(
    tx: &mut Tx,
    now: i64,
    event: EventRow,
    participants: i64,
    items: &[(i64, i64, i64)],
) -> Result<(), sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $6) RETURNING id",
    )
    .bind(event.id)
    .bind(event.campaign_id)
    .bind(event.host_id)
    .bind(participants)
    .bind("load test")
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for &(case_id, letters, solidarity) in items {
        sqlx::query(
            "INSERT INTO report_items (report_id, case_id, letters, solidarity) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(case_id)
        .bind(letters)
        .bind(solidarity)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
