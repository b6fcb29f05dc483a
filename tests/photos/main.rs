//! Stories about photos: what an upload keeps (re-encoded sizes only, no metadata, the rotation
//! applied), what it refuses (and that nothing is left behind), who decides what the public
//! sees, and the same story against a real S3 server on loopback; stories (`stories`): which
//! reports' highlights staff feature and the public reads.

#[path = "../common/mod.rs"]
mod common;
mod demo;
mod images;
mod moderation;
mod privacy;
mod s3;
mod stories;
mod upload;

use common::TestApp;
use serde_json::{Value, json};
use writeathon::accounts::Role;

/// A `multipart/form-data` body: `(name, file name, bytes)` in order; returns its content type.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("----writeathon{:016x}", rand::random::<u64>());
    let mut body = Vec::new();
    for (name, file, data) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A public event in `country` hosted by the account behind `token`; returns its id.
pub async fn event(app: &TestApp, token: &str, country: &str, visibility: &str) -> i64 {
    let now = app.now();
    let body = json!({"title": format!("Letters in {country}"), "kind": "school", "visibility": visibility,
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339(),
        "timezone": "UTC", "city": "Stratford", "country": country, "address": "1 School Road", "venue_name": "School"});
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

/// Uploads one file through the API with consent given.
pub async fn upload(
    app: &TestApp,
    token: &str,
    event: i64,
    name: &str,
    bytes: &[u8],
    caption: &str,
    minors: bool,
) -> reqwest::Response {
    let minors = if minors { "true" } else { "false" };
    let (ct, body) = multipart(&[
        ("caption", None, caption.as_bytes()),
        ("consent", None, b"true"),
        ("minors", None, minors.as_bytes()),
        ("file", Some(name), bytes),
    ]);
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/photos")))
        .bearer_auth(token)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A host with an event in Canada, and a staff member for Canada.
pub struct Scene {
    pub host: String,
    pub staff: String,
    pub event: i64,
}

pub async fn scene(app: &TestApp) -> Scene {
    let host = app
        .token_in("photo-host@example.org", Role::Host, None)
        .await;
    let staff = app
        .token_in("photo-staff@example.org", Role::Staff, Some("CA"))
        .await;
    let event = event(app, &host, "CA", "public").await;
    Scene { host, staff, event }
}

/// Every key in the app's object store.
pub async fn stored_keys(app: &TestApp) -> Vec<String> {
    let mut keys = photo_store(app).keys().await.unwrap();
    keys.sort();
    keys
}

/// The store the app writes to (the test's settings name it; the same URL opens it again).
pub fn photo_store(app: &TestApp) -> writeathon::photos::PhotoStore {
    let dir = app.photo_dir();
    writeathon::photos::PhotoStore::open(&writeathon::config::photos::StoreUrl::folder(&dir))
        .unwrap()
}
