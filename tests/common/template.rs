//! One migrated, demo-seeded database per test binary and backend, copied for every test: a file
//! copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. Seeding the demo takes seconds;
//! a copy takes milliseconds.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use writeathon::clock::Clock;
use writeathon::db::Db;

/// Runs `work` to completion on a runtime of its own, on a thread of its own: the template
/// outlives the test (and the runtime) that first asked for it.
fn on_own_runtime<T: Send + 'static>(
    work: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T>>> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(work())
    })
    .join()
    .expect("template seeding")
}

async fn seed(url: &str) {
    // A minute before the apps' clocks start, so the rows the demo writes are in their past.
    let seeded_at = super::today() - chrono::Duration::minutes(1);
    let db = writeathon::cli::prepare(url, true, Clock::starting_at(seeded_at))
        .await
        .expect("template database ready");
    if db.backend == writeathon::db::Backend::Sqlite {
        // Everything into the main file, so that copying the file copies the database.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db.pool)
            .await
            .unwrap();
    }
    db.pool.close().await;
}

fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("template.db");
            let url = format!("sqlite://{}", path.display());
            on_own_runtime(move || Box::pin(async move { seed(&url).await }));
            (dir, path)
        })
        .1
}

/// Copies the SQLite template to `to`.
pub async fn copy_sqlite(to: &Path) {
    let to = to.to_path_buf();
    tokio::task::spawn_blocking(move || {
        std::fs::copy(sqlite_template(), &to).expect("copy the template database");
    })
    .await
    .unwrap();
}

/// Runs one statement on the PostgreSQL server as the admin URL's user.
pub async fn postgres_execute(admin_url: &str, sql: &str) {
    let admin = Db::connect(admin_url).await.expect("connect to PostgreSQL");
    sqlx::query(sql).execute(&admin.pool).await.unwrap();
    admin.pool.close().await;
}

fn postgres_template(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let admin_url = admin_url.to_string();
        on_own_runtime(move || {
            Box::pin(async move {
                drop_stale_templates(&admin_url).await;
                let name = format!("writeathon_tpl_{}", std::process::id());
                postgres_execute(&admin_url, &format!("DROP DATABASE IF EXISTS {name}")).await;
                postgres_execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
                seed(&super::replace_db_name(&admin_url, &name)).await;
                name
            })
        })
    })
}

/// Templates left by test processes that have ended (a template lives as long as its process).
async fn drop_stale_templates(admin_url: &str) {
    use sqlx::Row;
    let admin = Db::connect(admin_url).await.expect("connect to PostgreSQL");
    let names: Vec<String> =
        sqlx::query("SELECT datname::text FROM pg_database WHERE datname LIKE 'writeathon_tpl_%'")
            .fetch_all(&admin.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
    for name in names {
        let pid = name.trim_start_matches("writeathon_tpl_");
        if !Path::new("/proc").join(pid).exists() {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await;
        }
    }
    admin.pool.close().await;
}

/// Creates database `name` as a copy of the PostgreSQL template.
pub async fn copy_postgres(admin_url: &str, name: &str) {
    let owned = admin_url.to_string();
    let template = tokio::task::spawn_blocking(move || postgres_template(&owned))
        .await
        .unwrap();
    postgres_execute(
        admin_url,
        &format!("CREATE DATABASE {name} TEMPLATE {template}"),
    )
    .await;
}

/// A PostgreSQL database of its own with no schema (for what starts from nothing: migrations run
/// by several nodes at once, restores, the command line), dropped when this goes out of scope,
/// also when the test fails. `None` without `WRITEATHON_TEST_POSTGRES_URL`.
pub struct EmptyPostgres {
    pub url: String,
    admin_url: String,
    name: String,
}

impl EmptyPostgres {
    pub async fn create(purpose: &str) -> Option<EmptyPostgres> {
        let admin_url = super::postgres_url()?;
        let name = format!("writeathon_{purpose}_{:016x}", rand::random::<u64>());
        postgres_execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
        Some(EmptyPostgres {
            url: super::replace_db_name(&admin_url, &name),
            admin_url,
            name,
        })
    }
}

impl Drop for EmptyPostgres {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Dropping needs async; do it on a thread of its own so Drop can wait for it. FORCE ends
        // the connections a test left open.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                postgres_execute(&admin_url, &sql).await;
            });
        })
        .join()
        .ok();
    }
}
