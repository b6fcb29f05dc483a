//! Stories about report-back and the tally: exact under concurrency, idempotent, edits move the
//! tally by the difference, bad input counts nothing, the tally is cached and streamed.

mod changes;
#[path = "../common/mod.rs"]
mod common;
mod input;
mod new_reports;
mod stream;

use common::{TestApp, problem};
use futures::StreamExt;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

/// An event that started an hour ago, so it can be reported on; returns its id.
async fn started_event(app: &TestApp, token: &str, city: &str, country: &str) -> i64 {
    let now = app.now();
    let body = json!({"title": format!("Letters in {city}"), "kind": "school", "visibility": "public",
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339(),
        "timezone": "UTC", "city": city, "country": country, "address": "1 School Road", "venue_name": "School"});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn cases(app: &TestApp) -> Vec<String> {
    let v: Value = app
        .get(&format!("/api/v1/campaigns/{}/cases", current_slug()))
        .await
        .json()
        .await
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

async fn report(
    app: &TestApp,
    token: &str,
    event: i64,
    body: &Value,
    key: Option<&str>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(token)
        .json(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.send().await.unwrap()
}

async fn tally(app: &TestApp) -> Value {
    // The cached tally is rebuilt at most once a second after a change: wait for it to settle.
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    app.get(&format!("/api/v1/campaigns/{}/tally", current_slug()))
        .await
        .json()
        .await
        .unwrap()
}

/// Letters in the campaign's totals (the demo may already hold some in December).
/// A report as stored, and its history as its pages show it.
async fn history_of(
    app: &TestApp,
    id: i64,
) -> (
    writeathon::reports::store::Report,
    Vec<writeathon::reports::store::HistoryLine>,
) {
    let report = writeathon::reports::store::get(&app.db, id)
        .await
        .unwrap()
        .expect("the report is stored");
    let history = writeathon::reports::store::history(&app.db, &report)
        .await
        .unwrap();
    (report, history)
}

fn letters(tally: &Value) -> i64 {
    tally["totals"]["letters"].as_i64().unwrap()
}

async fn reconcile_drift(app: &TestApp) -> usize {
    writeathon::reports::reconcile::reconcile(&app.db, None)
        .await
        .unwrap()
        .len()
}
