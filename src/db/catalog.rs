//! What the database says about itself — its tables, their columns, keys and references, its
//! schema version — and the few whole-database operations a backup and a restore need. Each
//! backend answers from its own catalog; callers see one shape.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use sqlx::migrate::Migrator;
use sqlx::{Executor, Row};

use super::{Backend, Db, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// How a column's values are written and read: the four storage classes both backends share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Integer,
    Real,
    Text,
    Blob,
}

impl ColumnKind {
    fn from_declared(declared: &str) -> ColumnKind {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            ColumnKind::Integer
        } else if t.contains("REAL") || t.contains("DOUB") || t.contains("FLOA") {
            ColumnKind::Real
        } else if t.contains("BLOB") || t.contains("BYTEA") {
            ColumnKind::Blob
        } else {
            ColumnKind::Text
        }
    }
}

/// One table: its columns (by name, sorted, so both backends list them alike), the columns of its
/// primary key in key order, and the tables it references.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, ColumnKind)>,
    pub primary_key: Vec<String>,
    pub references: BTreeSet<String>,
}

impl Table {
    pub fn kind_of(&self, column: &str) -> Option<ColumnKind> {
        self.columns
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, kind)| *kind)
    }
}

fn migrations(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// The newest schema version this binary knows (its last migration's number).
pub fn latest_version(backend: Backend) -> i64 {
    migrations(backend)
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The newest migration applied, read through `executor` (a backup reads it in its snapshot).
pub async fn applied_version<'c, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success = TRUE")
        .fetch_one(executor)
        .await?
        .try_get("v")
}

impl Db {
    /// The schema version the database is at: its newest applied migration; 0 when it has none.
    pub async fn schema_version(&self) -> Result<i64, sqlx::Error> {
        let table = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
            }
        };
        let n: i64 = sqlx::query(table)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        if n == 0 {
            return Ok(0);
        }
        applied_version(&self.pool).await
    }

    /// Migrates up to and including `version`, not beyond (a restore loads an archive into the
    /// schema it was taken from, then migrates the rest of the way with its rows in place).
    pub async fn migrate_to(&self, version: i64) -> anyhow::Result<()> {
        let all = migrations(self.backend);
        let partial = Migrator {
            migrations: Cow::Owned(
                all.iter()
                    .filter(|m| m.version <= version)
                    .cloned()
                    .collect(),
            ),
            ignore_missing: all.ignore_missing,
            locking: all.locking,
            no_tx: all.no_tx,
        };
        partial.run(&self.pool).await?;
        Ok(())
    }

    /// The application's tables (not the migrations' own), each referenced table before the
    /// tables that reference it, so rows can go in table by table with foreign keys on.
    pub async fn tables(&self) -> Result<Vec<Table>, sqlx::Error> {
        let names: Vec<String> = match self.backend {
            Backend::Sqlite => sqlx::query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
            ),
            Backend::Postgres => sqlx::query(
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY name",
            ),
        }
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<Result<_, _>>()?;
        let mut tables = BTreeMap::new();
        for name in names {
            let table = self.describe(&name).await?;
            tables.insert(name, table);
        }
        Ok(dependency_order(tables))
    }

    async fn describe(&self, table: &str) -> Result<Table, sqlx::Error> {
        let (columns, references) = match self.backend {
            Backend::Sqlite => (
                "SELECT name, type AS declared, pk FROM pragma_table_info($1)",
                "SELECT DISTINCT \"table\" AS target FROM pragma_foreign_key_list($1)",
            ),
            Backend::Postgres => (
                "SELECT CAST(c.column_name AS TEXT) AS name, CAST(c.data_type AS TEXT) AS declared, \
                 CAST(COALESCE(k.ordinal_position, 0) AS BIGINT) AS pk \
                 FROM information_schema.columns c \
                 LEFT JOIN information_schema.table_constraints t \
                   ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                  AND t.constraint_type = 'PRIMARY KEY' \
                 LEFT JOIN information_schema.key_column_usage k \
                   ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema \
                  AND k.table_name = c.table_name AND k.column_name = c.column_name \
                 WHERE c.table_schema = current_schema() AND c.table_name = $1",
                "SELECT DISTINCT CAST(u.table_name AS TEXT) AS target \
                 FROM information_schema.table_constraints t \
                 JOIN information_schema.constraint_column_usage u \
                   ON u.constraint_name = t.constraint_name AND u.constraint_schema = t.constraint_schema \
                 WHERE t.constraint_type = 'FOREIGN KEY' AND t.table_schema = current_schema() \
                   AND t.table_name = $1",
            ),
        };
        let mut cols = Vec::new();
        let mut key = Vec::new();
        for row in sqlx::query(columns)
            .bind(table)
            .fetch_all(&self.pool)
            .await?
        {
            let name: String = row.try_get("name")?;
            let declared: String = row.try_get("declared")?;
            let pk: i64 = row.try_get("pk")?;
            if pk > 0 {
                key.push((pk, name.clone()));
            }
            cols.push((name, ColumnKind::from_declared(&declared)));
        }
        cols.sort_by(|a, b| a.0.cmp(&b.0));
        key.sort();
        let mut refs = BTreeSet::new();
        for row in sqlx::query(references)
            .bind(table)
            .fetch_all(&self.pool)
            .await?
        {
            let target: String = row.try_get("target")?;
            if target != table {
                refs.insert(target);
            }
        }
        Ok(Table {
            name: table.to_string(),
            columns: cols,
            primary_key: key.into_iter().map(|(_, name)| name).collect(),
            references: refs,
        })
    }

    /// After rows went in with their ids: PostgreSQL's identity sequences continue after the
    /// highest id of each table (SQLite's rowids and AUTOINCREMENT already do).
    pub async fn continue_ids(&self) -> Result<(), sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let identities = sqlx::query(
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&self.pool)
        .await?;
        for row in identities {
            let (table, column): (String, String) = (row.try_get("t")?, row.try_get("c")?);
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table}"
            );
            self.pool.execute(sql.as_str()).await?;
        }
        Ok(())
    }

    /// Removes every table (and on PostgreSQL everything else in the schema): `restore --force`.
    pub async fn erase_everything(&self) -> Result<(), sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let names: Vec<String> = sqlx::query(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| r.try_get("name"))
                .collect::<Result<_, _>>()?;
                for name in names {
                    conn.execute(format!("DROP TABLE IF EXISTS \"{name}\"").as_str())
                        .await?;
                }
                conn.execute("PRAGMA foreign_keys = ON").await?;
            }
            Backend::Postgres => {
                let schema: String = sqlx::query("SELECT CAST(current_schema() AS TEXT) AS s")
                    .fetch_one(&self.pool)
                    .await?
                    .try_get("s")?;
                let sql = format!("DROP SCHEMA \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\"");
                self.pool.execute(sql.as_str()).await?;
            }
        }
        Ok(())
    }
}

/// Tables sorted so that each comes after every table it references (names break ties; a cycle,
/// which the schema does not have, would leave its tables in name order at the end).
fn dependency_order(mut pending: BTreeMap<String, Table>) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready: Vec<String> = pending
            .values()
            .filter(|t| {
                t.references
                    .iter()
                    .all(|r| !pending.contains_key(r) || r == &t.name)
            })
            .map(|t| t.name.clone())
            .collect();
        if ready.is_empty() {
            out.extend(std::mem::take(&mut pending).into_values());
            break;
        }
        for name in ready {
            out.extend(pending.remove(&name));
        }
    }
    out
}
