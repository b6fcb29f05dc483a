//! The storage boundary: one pool type and one set of SQL strings for SQLite and PostgreSQL.
//!
//! We use sqlx's `Any` driver so every query is written once (`$1` placeholders, `RETURNING id`,
//! times as BIGINT unix ms, flags as 0/1). The few places where the backends differ — how a write
//! transaction begins, connection pragmas, migrations — are decided here and nowhere else.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::clock::Clock;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};

pub mod catalog;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Chooses the backend from the URL scheme; anything else is refused with the accepted schemes.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => anyhow::bail!(
                "unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            ),
        }
    }
}

/// A handle on the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// For the few things that need their own connection (PostgreSQL LISTEN).
    pub url: std::sync::Arc<str>,
    /// The process's one clock; every store function that stamps a row or compares with "now"
    /// reads it here, so tests and rehearsals can run on another day.
    pub clock: Clock,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    /// Connects, creating the SQLite file (and its folder) when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let original = url.to_string();
        let url = match backend {
            Backend::Sqlite => {
                sqlite_without_memory_statistics();
                let path = sqlite_path(url);
                if let Some(parent) = Path::new(&path).parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)?;
                }
                // `mode=rwc` creates the file; the other settings are pragmas (Any accepts no others in the URL).
                format!("sqlite://{path}?mode=rwc")
            }
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle that cannot go stale, so the ping sqlx sends
            // before lending each one out is a wasted round trip to its worker thread. A
            // PostgreSQL connection can die with its server; keep the check there.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; FULL makes every commit durable
                        // (a 2xx must survive kill -9 and power loss); foreign keys are off by default.
                        // Checkpoints are `Db::checkpoints`' work; a commit does one itself only
                        // when the log has grown past 10,000 pages (40 MB) without them. Reads
                        // of the file go through the memory map; SQLite's own page cache stays
                        // at its default 2 MB, because a bigger one made each commit slower
                        // (BENCHMARKS.md, report ingest).
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA mmap_size = 268435456; PRAGMA wal_autocheckpoint = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            url: original.into(),
            clock: Clock::system(),
        })
    }

    /// The same database on another clock (tests, `--clock-start`).
    pub fn with_clock(mut self, clock: Clock) -> Db {
        self.clock = clock;
        self
    }

    /// Milliseconds since the Unix epoch on this database's clock: how every timestamp is stored.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.hash_unsubscribe_tokens().await?;
        Ok(())
    }

    /// Migration 0009's other half, which SQL cannot do on SQLite: unsubscribe tokens stored in
    /// clear before it are replaced by their hashes (the links already mailed keep working).
    /// Row by row, each its own statement, so it can stop and start again anywhere.
    async fn hash_unsubscribe_tokens(&self) -> Result<(), sqlx::Error> {
        use sqlx::Row;
        loop {
            let rows = sqlx::query(
                "SELECT email, unsubscribe_token FROM mail_recipients WHERE token_hashed = 0 LIMIT 500",
            )
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(());
            }
            for row in rows {
                let token: String = row.try_get("unsubscribe_token")?;
                sqlx::query(
                    "UPDATE mail_recipients SET unsubscribe_token = $1, token_hashed = 1 \
                     WHERE email = $2 AND token_hashed = 0",
                )
                .bind(crate::secret::secret_hash(&token))
                .bind(row.try_get::<String, _>("email")?)
                .execute(&self.pool)
                .await?;
            }
        }
    }

    /// Begins a transaction that may read and then write.
    ///
    /// SQLite's plain `BEGIN` would fail at once with "database is locked" when two such
    /// transactions meet; `BEGIN IMMEDIATE` queues for the write lock instead. PostgreSQL has no
    /// such statement and needs none.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// SQLite: copies the write-ahead log into the database file every tenth of a second, on a
    /// connection of the pool, until dropped. By default the commit that takes the log past 1,000
    /// pages does this itself, before it returns: the report committer's whole batch then waits
    /// for the copy and its fsync, and every writer queues behind it. Here the copy runs beside
    /// the writers (`PASSIVE` waits for nobody), and a tenth of a second of commits shares the
    /// pages they touch, so each is written to the file once (BENCHMARKS.md, report ingest).
    /// PostgreSQL checkpoints by itself: this returns at once.
    pub async fn checkpoints(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await
            {
                // Busy (another checkpoint is running) is harmless; the next tick tries again.
                tracing::debug!(error = %err, "checkpoint skipped");
            }
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// Turns off SQLite's memory statistics, which nothing here reads: with them on, every allocation
/// and free in SQLite takes one process-wide mutex, which the committer's thread (freeing the rows
/// it was sent) and the connections' threads then queue for (BENCHMARKS.md, report ingest).
/// SQLite accepts this only before its first connection; later calls change nothing.
fn sqlite_without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called with an option that takes one int, before SQLite is
        // initialised or, if it already is, it returns SQLITE_MISUSE and does nothing.
        unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            );
        }
    });
}

fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default().to_string()
}

impl Backend {
    /// Begins a write transaction on a connection its user holds (the report committer keeps its
    /// own); see [`Db::begin_write`].
    pub async fn begin_write(
        self,
        conn: &mut AnyConnection,
    ) -> Result<Transaction<'_, Any>, sqlx::Error> {
        match self {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => conn.begin().await,
        }
    }

    /// An aggregate that returns the selected rows as one JSON array of arrays (text; `[]` for
    /// none), each row the given comma-separated expressions; decode it with serde_json into
    /// tuples. The way out for many rows, as [`json_rows`](Self::json_rows) is the way in: on
    /// SQLite every row of a result is handed from the connection's thread to its reader on its
    /// own, a thread wake-up each, which costs more than the row (BENCHMARKS.md, report ingest).
    pub fn json_agg(self, fields: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_group_array(json_array({fields}))"),
            Backend::Postgres => {
                format!("COALESCE(CAST(json_agg(json_build_array({fields})) AS TEXT), '[]')")
            }
        }
    }

    /// A table of the rows of the JSON array bound to parameter `$n`, one row per element and in
    /// its order, each element in a column `value`; read field `i` of a row with
    /// `value ->> i` (text, or SQL NULL for JSON null), cast as needed: `CAST(value ->> 0 AS BIGINT)`.
    ///
    /// Batches write many rows in one statement this way, whatever their number: the statement's
    /// text never changes, so it is parsed once and stays prepared, and it binds one parameter. A
    /// multi-row `VALUES` changed its text with every batch size (parsed again each time) and
    /// bound a parameter per field, which SQLite resolves by a linear search of the names before
    /// it (quadratic in the rows; BENCHMARKS.md, report ingest).
    ///
    /// PostgreSQL reads the parameter as `jsonb`: parsed once, where `json` would be parsed again
    /// by every `->>` (ingest 2,968 → 3,151 reports/s in two runs of `bench/ingest.sh`).
    pub fn json_rows(self, n: usize) -> String {
        match self {
            Backend::Sqlite => format!("json_each(${n})"),
            Backend::Postgres => format!("jsonb_array_elements(${n}::jsonb)"),
        }
    }

    /// A condition on an integer column: among the first fields of the rows of the JSON array
    /// bound to `$n`, as [`json_rows`](Self::json_rows) reads them. On PostgreSQL it is
    /// `= ANY(ARRAY(…))`, which its planner answers through the column's index whatever it
    /// knows of the table; an `IN (SELECT …)` of the rows, estimated at a hundred, was joined
    /// by a scan of every row of a table without statistics yet (a new one, in a first burst).
    pub fn in_ids(self, n: usize) -> String {
        match self {
            Backend::Sqlite => {
                format!("IN (SELECT CAST(value ->> 0 AS BIGINT) FROM json_each(${n}))")
            }
            Backend::Postgres => format!(
                "= ANY(ARRAY(SELECT CAST(value ->> 0 AS BIGINT) FROM jsonb_array_elements(${n}::jsonb)))"
            ),
        }
    }
}

/// Rows for [`Backend::json_rows`]: each row serialises as a JSON array (a tuple does).
pub fn json_rows_param<T: serde::Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).expect("rows of numbers and strings serialise")
}

/// PostgreSQL: calls `heard` with the payload of every notification on `channel` sent by any
/// process (this one included), reconnecting after a lost connection; returns at once on SQLite
/// (one process). How changes made in one server process reach the others' caches.
pub async fn listen(db: Db, channel: &'static str, heard: impl Fn(&str) + Send + 'static) {
    if db.backend != Backend::Postgres {
        return;
    }
    loop {
        match sqlx::postgres::PgListener::connect(&db.url).await {
            Ok(mut listener) => match listener.listen(channel).await {
                Ok(()) => loop {
                    match listener.recv().await {
                        Ok(note) => heard(note.payload()),
                        Err(err) => {
                            tracing::warn!(channel, error = %err, "listener lost its connection");
                            break;
                        }
                    }
                },
                Err(err) => tracing::warn!(channel, error = %err, "LISTEN failed"),
            },
            Err(err) => tracing::warn!(channel, error = %err, "listener could not connect"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

impl Db {
    /// Tells every process listening on `channel` (PostgreSQL); nothing to tell on SQLite.
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(payload)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

/// True when a sqlx error is a unique-key violation (both backends report SQLSTATE-like codes).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_scheme() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        let err = Backend::from_url("mysql://h/db").unwrap_err().to_string();
        assert!(
            err.contains("sqlite://") && err.contains("postgres://"),
            "{err}"
        );
    }

    /// What is committed reaches the database file itself soon after, not only the log, while
    /// the pool stays open: the log alone would keep it until 10,000 pages.
    #[tokio::test]
    async fn checkpoints_copy_commits_into_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.db");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE notes (text TEXT NOT NULL)")
            .execute(&db.pool)
            .await
            .unwrap();
        let marker = "a marker only this test writes";
        sqlx::query("INSERT INTO notes (text) VALUES ($1)")
            .bind(marker)
            .execute(&db.pool)
            .await
            .unwrap();
        let in_file = || {
            let bytes = std::fs::read(&file).unwrap();
            bytes.windows(marker.len()).any(|w| w == marker.as_bytes())
        };
        let checkpoints = tokio::spawn({
            let db = db.clone();
            async move { db.checkpoints().await }
        });
        let mut waited = 0;
        while !in_file() && waited < 3000 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            waited += 50;
        }
        checkpoints.abort();
        assert!(in_file(), "not in the database file after {waited} ms");
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_path("sqlite://data/w.db"), "data/w.db");
        assert_eq!(sqlite_path("sqlite:///abs/w.db?mode=rwc"), "/abs/w.db");
    }
}
