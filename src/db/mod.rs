//! The storage boundary: one pool type and one set of SQL strings for SQLite and PostgreSQL.
//!
//! We use sqlx's `Any` driver so every query is written once (`$1` placeholders, `RETURNING id`,
//! times as BIGINT unix ms, flags as 0/1). The few places where the backends differ — how a write
//! transaction begins, connection pragmas, migrations — are decided here and nowhere else.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

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
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
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
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
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

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default().to_string()
}

/// Most parameters bound in one statement: below SQLite's 32,766 and PostgreSQL's 65,535.
pub const MAX_PARAMS: usize = 30_000;

/// The rows of a multi-row `VALUES`: `pattern` once per row, its `?` numbered `$1, $2, …` in order
/// (the one placeholder style both backends take). Constants may sit in the pattern.
pub fn values(pattern: &str, rows: usize) -> String {
    let mut out = String::with_capacity((pattern.len() + 8) * rows);
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        for ch in pattern.chars() {
            if ch == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(ch);
            }
        }
    }
    out
}

/// Most parameters per statement on SQLite, where more cost quadratically: SQLite finds each
/// `$N` by a linear search of the names before it, once when parsing and again for each bind
/// (sqlx asks every parameter's name). Measured with `writeathon-load breakdown`: a batch of 512 reports in
/// one statement per table took 430 µs per report, in statements of at most 256 parameters 65 µs
/// (64 to 512 parameters per statement all gave 60–110 µs).
pub const SQLITE_PARAMS: usize = 256;

impl Backend {
    /// How many rows of `params_per_row` parameters to put in one multi-row statement.
    ///
    /// A full statement always has the same text, so callers keep it prepared (`persistent`); a
    /// shorter last one is prepared, used once and dropped, so that batches of every size do not
    /// crowd the statement cache.
    pub fn rows_per_statement(self, params_per_row: usize) -> usize {
        let max = match self {
            Backend::Sqlite => SQLITE_PARAMS,
            Backend::Postgres => MAX_PARAMS,
        };
        (max / params_per_row.max(1)).max(1)
    }
}

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
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

    #[test]
    fn numbered_rows() {
        assert_eq!(values("(?, 1, ?)", 2), "($1, 1, $2), ($3, 1, $4)");
        assert_eq!(Backend::Postgres.rows_per_statement(4), 7_500);
        assert_eq!(Backend::Sqlite.rows_per_statement(1000), 1);
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_path("sqlite://data/w.db"), "data/w.db");
        assert_eq!(sqlite_path("sqlite:///abs/w.db?mode=rwc"), "/abs/w.db");
    }
}
