//! What the console's stories share: people, events and reports made through the API, requests,
//! and Python's reading of a CSV.

use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{TestApp, extract_csrf};

/// Someone signed in on the site, with an API token too.
pub struct Who {
    pub browser: reqwest::Client,
    pub token: String,
}

pub async fn who(app: &TestApp, email: &str, role: Role, country: Option<&str>) -> Who {
    let browser = TestApp::browser_in(app, email, role, country).await;
    let id: i64 = sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "console test")
        .await
        .unwrap();
    Who { browser, token }
}

/// An event registered through the API by `token`: it started an hour ago, ends in two.
pub async fn event(app: &TestApp, token: &str, title: &str, place: (&str, &str, &str)) -> i64 {
    let now = app.now();
    let body = json!({"title": title, "kind": "cafe", "visibility": "public",
        "city": place.0, "region": place.1, "country": place.2, "timezone": "UTC",
        "language": "en", "address": "1 Main Street",
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339()});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

pub async fn report(app: &TestApp, token: &str, event: i64, letters: i64) -> i64 {
    let case: String = sqlx::query(
        "SELECT s.slug FROM cases s JOIN campaigns c ON c.id = s.campaign_id \
         WHERE c.slug = $1 ORDER BY s.id LIMIT 1",
    )
    .bind(app.current_slug())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(token)
        .json(&json!({"participants": 4, "items": [{"case": case, "letters": letters, "solidarity": 2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["report"]["id"]
        .as_i64()
        .unwrap()
}

pub async fn get(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (u16, String) {
    let mut request = client.get(app.url(path));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub async fn post_form(app: &TestApp, who: &reqwest::Client, path: &str) -> reqwest::Response {
    let csrf = extract_csrf(&app.page(who, "/signin").await);
    who.post(app.url(path))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
}

/// Rows as Python's `csv` module reads them (so a spreadsheet-grade reader agrees with ours).
pub fn python_rows(text: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
             \x20   print(json.dumps(list(csv.reader(f))))",
        )
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

pub async fn reminders_for(app: &TestApp, event: i64) -> i64 {
    sqlx::query(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder-host-now' AND dedupe_key LIKE $1",
    )
    .bind(format!("reminder-host-now:{event}:%"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}
