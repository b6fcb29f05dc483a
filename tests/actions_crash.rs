//! Crash safety of online actions, with the real binary: actions and confirmations are sent
//! concurrently, the server is killed with SIGKILL in the middle, and after a restart on the same
//! database every action answered 202 is stored, every confirmation answered 200 is counted, the
//! tally equals the confirmed (email, case) pairs, and `writeathon reconcile` finds no drift.
//! Runs on SQLite, and on PostgreSQL when `WRITEATHON_TEST_POSTGRES_URL` is set.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::Server;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_writeathon");
const SENDERS: usize = 32;
const LOAD_BEFORE_KILL: Duration = Duration::from_millis(1500);
const ARGS: [&str; 4] = ["--demo", "--trust-proxy", "--action-challenge", "off"];

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_actions_survive_kill_9_on_sqlite() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_story(&url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_actions_survive_kill_9_on_postgres() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(db) = common::template::EmptyPostgres::create("acrash").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crash_story(&db.url, dir.path()).await;
}

fn action_url(base: &str, slug: &str, case: &str) -> String {
    format!("{base}/api/v1/campaigns/{slug}/cases/{case}/actions")
}

async fn crash_story(url: &str, dir: &Path) {
    let mut server = Server::start_with(url, dir, &ARGS);
    let client = reqwest::Client::new();
    let campaigns: Vec<Value> = client
        .get(format!("{}/api/v1/campaigns", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = campaigns
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .find(|s| s != "w4r-2017")
        .unwrap();
    let cases: Vec<String> = client
        .get(format!("{}/api/v1/campaigns/{slug}/cases", server.base))
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect();
    // A first wave, all acknowledged, whose links the second wave confirms.
    for i in 0..200 {
        let r = client
            .post(action_url(&server.base, &slug, &cases[i % cases.len()]))
            .header("x-forwarded-for", format!("10.9.{}.{}", i / 200, i % 200))
            .json(&json!({"name": "First", "email": format!("first{i}@example.org"), "country": "CA"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
    }
    let db = writeathon::db::Db::connect(url).await.unwrap();
    let links = mailed_links(&db).await;
    assert_eq!(links.len(), 200);

    // The second wave: new actions and confirmations at once; the kill comes in the middle.
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let confirmed: Arc<Mutex<Vec<String>>> = Arc::default();
    let links = Arc::new(Mutex::new(links));
    let start = Instant::now();
    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let (client, base, slug, cases) = (
            client.clone(),
            server.base.clone(),
            slug.clone(),
            cases.clone(),
        );
        let (acked, confirmed, links) = (acked.clone(), confirmed.clone(), links.clone());
        senders.push(tokio::spawn(async move {
            let mut n = 0;
            while start.elapsed() < Duration::from_secs(20) {
                n += 1;
                if s % 2 == 0 {
                    let Some((email, link)) = links.lock().unwrap().pop() else {
                        continue;
                    };
                    let r = confirm_by_form(&base, &link).await;
                    match r {
                        Some(200) => confirmed.lock().unwrap().push(email),
                        Some(_) => {}
                        None => return,
                    }
                } else {
                    let email = format!("s{s}n{n}@example.org");
                    let r = client
                        .post(action_url(&base, &slug, &cases[n % cases.len()]))
                        .header(
                            "x-forwarded-for",
                            format!("10.{}.{}.{}", s, n / 250 % 250, n % 250),
                        )
                        .json(&json!({"name": "Second", "email": email, "country": "FR"}))
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status() == 202 => acked.lock().unwrap().push(email),
                        Ok(_) => {}
                        Err(_) => return,
                    }
                }
            }
        }));
    }
    tokio::time::sleep(LOAD_BEFORE_KILL).await;
    server.kill_9();
    for s in senders {
        s.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let confirmed = confirmed.lock().unwrap().clone();
    assert!(
        !acked.is_empty() && !confirmed.is_empty(),
        "load reached the server"
    );

    // Restart on the same database: everything acknowledged is there.
    let server = Server::start_with(url, dir, &ARGS);
    for email in &acked {
        assert_eq!(rows(&db, email, false).await, 1, "{email} was acknowledged");
    }
    for email in &confirmed {
        assert_eq!(
            rows(&db, email, true).await,
            1,
            "{email}'s confirmation was acknowledged"
        );
    }
    // The tally equals the confirmed pairs, and reconcile agrees.
    let pairs: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM online_actions WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let online: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(online), 0) AS BIGINT) FROM tally_counters WHERE dimension = 'world'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(online, pairs);
    drop(server);
    let out = std::process::Command::new(BIN)
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .args(["reconcile"])
        .env("WRITEATHON_DATABASE_URL", url)
        .env("WRITEATHON_DATA_DIR", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Confirms by a link as a browser would: the page first (for its CSRF cookie and token), then
/// the button. `None` once the server is gone.
async fn confirm_by_form(base: &str, link: &str) -> Option<u16> {
    let browser = common::browser();
    let page = browser
        .get(format!("{base}{link}"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let token = common::extract_csrf(&page);
    let r = browser
        .post(format!("{base}{link}"))
        .form(&[("csrf", token)])
        .send()
        .await
        .ok()?;
    Some(r.status().as_u16())
}

/// (email, link path) of every confirmation mail queued.
async fn mailed_links(db: &writeathon::db::Db) -> Vec<(String, String)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT recipient, message FROM outbox WHERE kind = 'action-confirm'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(email, message)| {
            let message = message.replace("=\r\n", "");
            let start = message.find("/actions/confirm/").unwrap();
            let link: String = message[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
                .collect();
            (email, link)
        })
        .collect()
}

async fn rows(db: &writeathon::db::Db, email: &str, confirmed: bool) -> i64 {
    let sql = if confirmed {
        "SELECT COUNT(*) FROM online_actions WHERE email = $1 AND confirmed_at IS NOT NULL"
    } else {
        "SELECT COUNT(*) FROM online_actions WHERE email = $1"
    };
    sqlx::query_scalar(sql)
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}
