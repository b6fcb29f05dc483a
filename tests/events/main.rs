//! Stories about events: register, find, RSVP, waitlist, cancel (`rsvps`), who may edit or cancel
//! (`rights`), what the API and the host form accept (`input`), moderation and safety mode
//! (`moderation`), calendars, feeds and place suggestions (`feeds`). One test binary; the helpers
//! below serve every module.

#[path = "../common/mod.rs"]
mod common;

mod feeds;
mod input;
mod moderation;
mod rights;
mod rsvps;
mod schools;

use common::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

/// A day inside the current campaign's window, as `YYYY-MM-DD`.
fn event_day() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    g.to_string()
}

fn body(title: &str, capacity: Option<i64>) -> Value {
    let day = event_day();
    json!({"title": title, "kind": "faith", "visibility": "public",
        "starts_at": format!("{day}T13:00:00-03:30"), "ends_at": format!("{day}T16:00:00-03:30"),
        "timezone": "America/St_Johns", "venue_name": "St. Thomas' Church hall", "address": "8 Military Rd",
        "city": "St. John's", "region": "CA-NL", "country": "CA", "latitude": 47.5675, "longitude": -52.7072,
        "capacity": capacity, "accessibility": "Step-free entrance", "step_free": true,
        "description": "Markdown **text**", "language": "en"})
}

async fn create(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn rsvp(app: &TestApp, id: i64, name: &str, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/rsvps")))
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap()
}
