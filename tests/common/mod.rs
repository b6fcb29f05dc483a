//! The test harness: boots the real application in-process on an ephemeral port with a fresh
//! database, on SQLite or PostgreSQL. Every story runs on both (see `story!`).
//!
//! PostgreSQL comes from `WRITEATHON_TEST_POSTGRES_URL` (a URL of a database we may create others
//! from, e.g. `postgres://postgres@127.0.0.1:5432/postgres`). Each test gets its own database.
//!
//! Every app runs on a clock that starts at [`TODAY`], whatever the calendar says, so what the
//! demo holds and what the stories expect never move with the date. The migrated, demo-seeded
//! database is built once per test binary and backend (`template`) and copied for each test.
#![allow(dead_code)]

pub mod cli;
pub mod crawl;
pub mod server;
pub mod smtp;
pub mod template;

use std::io::Write;
use std::net::SocketAddr;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::oneshot;
use writeathon::accounts::{NewAccount, Role};
use writeathon::clock::Clock;
use writeathon::config::Settings;
use writeathon::db::{Backend, Db};
use writeathon::state::AppState;

/// The moment every test app's clock starts at: three weeks before the current demo campaign's
/// global day, with its event window open and a few of its events already under way.
pub const TODAY: &str = "2026-11-20T10:00:00Z";

pub fn today() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(TODAY)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

pub const POSTGRES_ENV: &str = "WRITEATHON_TEST_POSTGRES_URL";

/// Generates `NAME_sqlite` and `NAME_postgres` tests that run the same story; with a second
/// closure first, on an app whose settings it adjusts (`story!(name, |s| {...}, |app| {...})`).
#[macro_export]
macro_rules! story {
    ($name:ident, |$s:ident| $configure:block, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn configure($s: &mut writeathon::config::Settings) $configure

            async fn run($app: common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    common::TestApp::spawn_with(writeathon::db::Backend::Sqlite, configure).await;
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = common::TestApp::spawn_postgres_with(configure).await else {
                    return;
                };
                run(app).await;
            }
        }
    };
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: common::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(common::TestApp::spawn(writeathon::db::Backend::Sqlite).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = common::TestApp::spawn_postgres().await else { return };
                run(app).await;
            }
        }
    };
}

/// Says loudly, past the test runner's output capture, that the PostgreSQL half did not run.
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok() {
                panic!("{POSTGRES_ENV} is not set: CI must run every story on PostgreSQL too");
            }
            let _ = writeln!(
                std::io::stderr(),
                "\n!!!!!!!! PostgreSQL half SKIPPED: set {POSTGRES_ENV}=postgres://postgres@127.0.0.1:5432/postgres !!!!!!!!\n"
            );
            None
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    /// The app's metrics listener (`--metrics-listen`), which serves `/metrics` without a token.
    pub metrics_base: String,
    pub db: Db,
    pub url: String,
    /// The app's clock (shared with every process of this app started by the test).
    pub clock: Clock,
    /// A browser-like client: keeps cookies, does not follow redirects (so tests can see them).
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn random_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn`, with the settings adjusted (e.g. an SMTP server for the mail worker).
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("test.db");
                template::copy_sqlite(&path).await;
                let url = format!("sqlite://{}", path.display());
                Self::start(url, dir, None, configure).await
            }
            Backend::Postgres => Self::spawn_postgres_with(configure)
                .await
                .expect("PostgreSQL is configured"),
        }
    }

    /// An app whose clock starts at `start`, on a database migrated and seeded with the demo at
    /// that moment (not copied from the template, which is seeded at [`TODAY`]).
    pub async fn spawn_at(
        backend: Backend,
        start: chrono::DateTime<chrono::Utc>,
    ) -> Option<TestApp> {
        let clock = Clock::starting_at(start);
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("test.db").display()),
                None,
            ),
            Backend::Postgres => {
                let admin_url = postgres_url()?;
                let name = format!("writeathon_test_{}", random_suffix());
                template::postgres_execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
                (replace_db_name(&admin_url, &name), Some((admin_url, name)))
            }
        };
        let db = writeathon::cli::prepare(&url, true, clock.clone())
            .await
            .expect("database ready");
        Some(Self::serve_db(db, url, clock, dir, pg, |_| {}).await)
    }

    pub async fn spawn_postgres() -> Option<TestApp> {
        Self::spawn_postgres_with(|_| {}).await
    }

    pub async fn spawn_postgres_with(configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let admin_url = postgres_url()?;
        let name = format!("writeathon_test_{}", random_suffix());
        template::copy_postgres(&admin_url, &name).await;
        let url = replace_db_name(&admin_url, &name);
        let dir = tempfile::tempdir().unwrap();
        Some(Self::start(url, dir, Some((admin_url, name)), configure).await)
    }

    async fn start(
        url: String,
        dir: tempfile::TempDir,
        pg: Option<(String, String)>,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let clock = Clock::starting_at(today());
        let db = Db::connect(&url)
            .await
            .expect("database ready")
            .with_clock(clock.clone());
        Self::serve_db(db, url, clock, dir, pg, configure).await
    }

    async fn serve_db(
        db: Db,
        url: String,
        clock: Clock,
        dir: tempfile::TempDir,
        pg: Option<(String, String)>,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let (addr, metrics, shutdown) =
            serve_with(db.clone(), &dir.path().join("photos"), configure).await;
        TestApp {
            base: format!("http://{addr}"),
            addr,
            metrics_base: format!("http://{metrics}"),
            db,
            url,
            clock,
            client: browser(),
            shutdown: Some(shutdown),
            _dir: dir,
            pg,
        }
    }

    /// A second server process's worth of application on the same database.
    pub async fn second_node(&self) -> (String, oneshot::Sender<()>) {
        let db = Db::connect(&self.url)
            .await
            .unwrap()
            .with_clock(self.clock.clone());
        let (addr, _, shutdown) = serve_with(db, &self.photo_dir(), |_| {}).await;
        (format!("http://{addr}"), shutdown)
    }

    /// The folder the app keeps photos in (unless the test's settings name another store).
    pub fn photo_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("photos")
    }

    /// Now, on the app's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The current demo campaign's slug on the app's clock (`w4r-2026` at [`TODAY`]).
    pub fn current_slug(&self) -> String {
        let (g, ..) = writeathon::demo::current_dates(self.clock.today());
        format!("w4r-{}", chrono::Datelike::year(&g))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        (r.status(), r.text().await.unwrap())
    }

    /// `/metrics`, as Prometheus reads it from the metrics listener.
    pub async fn metrics(&self) -> String {
        let r = reqwest::get(format!("{}/metrics", self.metrics_base))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.text().await.unwrap()
    }

    /// The CSRF token the site gave this client (fetching a page first when needed).
    pub async fn csrf(&self) -> String {
        let html = self.get("/signin").await.text().await.unwrap();
        extract_csrf(&html)
    }

    /// Posts a form the way the browser would: with the page's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.submit(&self.client, path, fields).await
    }

    /// The body of `path` as `client` is shown it.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The body of `path` as `client` is shown it by a browser asking for `language` first.
    pub async fn page_in(&self, client: &reqwest::Client, path: &str, language: &str) -> String {
        client
            .get(self.url(path))
            .header("accept-language", language)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Posts a form from `client` as its browser would: with the CSRF token the site gave it
    /// (read from the sign-in page, which every visitor may open).
    pub async fn submit(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = extract_csrf(&self.page(client, "/signin").await);
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        client.post(self.url(path)).form(&all).send().await.unwrap()
    }

    pub async fn add_account(&self, email: &str, role: Role, country: Option<&str>) -> i64 {
        let new = NewAccount::parse(email, "Test Person", PASSWORD).unwrap();
        writeathon::accounts::store::create(&self.db, &new, role, country)
            .await
            .unwrap()
    }

    /// Signs this client in as a new account with the role (staff and admins with their
    /// second factor, set up on the way).
    pub async fn sign_in_as(&self, email: &str, role: Role) {
        self.add_account(email, role, None).await;
        self.sign_in(&self.client, email).await;
    }

    /// A separate browser-like client signed in as a new account with the role.
    pub async fn browser_for(app: &TestApp, email: &str, role: Role) -> reqwest::Client {
        Self::browser_in(app, email, role, None).await
    }

    /// Like `browser_for`, for staff of one country (`Some("CA")`) or of every country (`None`).
    pub async fn browser_in(
        app: &TestApp,
        email: &str,
        role: Role,
        country: Option<&str>,
    ) -> reqwest::Client {
        app.add_account(email, role, country).await;
        let client = browser();
        app.sign_in(&client, email).await;
        client
    }

    /// Signs `client` up with the form (the address stays unconfirmed), then in with the password.
    pub async fn sign_up_and_in(&self, client: &reqwest::Client, email: &str, name: &str) {
        let html = self.page(client, "/signup").await;
        let r = client
            .post(self.url("/signup"))
            .form(&[
                ("csrf", extract_csrf(&html).as_str()),
                ("display_name", name),
                ("email", email),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "sign up as {email}");
        self.sign_in(client, email).await;
    }

    /// Signs `client` in with the password; an account whose role needs a second factor sets
    /// one up through the account page, as a person would, and its session gets the rights.
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str) {
        let fields = [("email", email), ("password", PASSWORD)];
        let r = self.submit(client, "/signin", &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in as {email}");
        let account = self.page(client, "/account").await;
        if account.contains("/account/second-factor\">Set up") {
            self.enrol_second_factor(client).await;
        }
    }

    /// Sets up the signed-in account's second factor from the enrolment page; returns the key.
    pub async fn enrol_second_factor(&self, client: &reqwest::Client) -> String {
        let html = client
            .get(self.url("/account/second-factor"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "id=\"second-factor-key\">";
        let start = html.find(marker).expect("the key is on the page") + marker.len();
        let key = html[start..].split('<').next().unwrap().to_string();
        let code = writeathon::accounts::second_factor::code_at(&key, self.db.now_ms()).unwrap();
        let r = client
            .post(self.url("/account/second-factor"))
            .form(&[
                ("csrf", extract_csrf(&html).as_str()),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "second factor set up");
        key
    }

    /// A bearer token for a new account with the role.
    pub async fn token_for(&self, email: &str, role: Role) -> String {
        self.token_in(email, role, None).await
    }

    /// Like `token_for`, for staff of one country (`Some("CA")`) or of every country (`None`).
    pub async fn token_in(&self, email: &str, role: Role, country: Option<&str>) -> String {
        let id = self.add_account(email, role, country).await;
        writeathon::accounts::tokens::issue(&self.db, id, "test")
            .await
            .unwrap()
    }

    /// Rows of `table` whose `column` equals `id` (e.g. the reports of one event).
    pub async fn count_where(&self, table: &str, column: &str, id: i64) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"))
            .bind(id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    }
}

impl TestApp {
    /// The messages queued for `email`, oldest first, as stored in the outbox (quoted-printable
    /// soft line breaks undone, so links read whole).
    pub async fn outbox_for(&self, email: &str) -> Vec<String> {
        use sqlx::Row;
        sqlx::query("SELECT message FROM outbox WHERE recipient = $1 ORDER BY id")
            .bind(email)
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                r.get::<String, _>(0)
                    .replace("=\r\n", "")
                    .replace("=\n", "")
            })
            .collect()
    }

    /// The path of the newest link under `prefix` (e.g. `/rsvps/`) mailed to `email`.
    pub async fn mailed_link(&self, email: &str, prefix: &str) -> String {
        let messages = self.outbox_for(email).await;
        let last = messages
            .last()
            .unwrap_or_else(|| panic!("no mail to {email}"));
        let start = last
            .find(&format!("{}{prefix}", self.base))
            .unwrap_or_else(|| panic!("no {prefix} link in {last}"))
            + self.base.len();
        last[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
            .collect()
    }
}

pub const PASSWORD: &str = "letters for lighthouse keepers 17";

pub fn extract_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn serve_with(
    db: Db,
    photo_dir: &std::path::Path,
    configure: impl FnOnce(&mut Settings),
) -> (SocketAddr, SocketAddr, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = metrics.local_addr().unwrap();
    let mut settings = Settings::new(
        &format!("http://{addr}"),
        false,
        writeathon::config::DEFAULT_TILE_URL,
    );
    settings.photos.store = writeathon::config::photos::StoreUrl::folder(photo_dir);
    configure(&mut settings);
    let state = AppState::new(db, settings);
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        writeathon::app::run_with_metrics(listener, Some(metrics), state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (addr, metrics_addr, tx)
}

pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some((admin_url, name)) = self.pg.take() {
            // Dropping needs async; do it on a thread of its own so Drop can wait for it.
            let pool = self.db.pool.clone();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    pool.close().await;
                    if let Ok(admin) = Db::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&admin.pool)
                                .await;
                        admin.pool.close().await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// Parses a problem+json response, checking its content type.
pub async fn problem(response: reqwest::Response) -> (StatusCode, HeaderMap, serde_json::Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(ct, "application/problem+json", "status {status}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    (status, headers, body)
}
