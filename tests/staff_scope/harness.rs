//! The table's parts: who asks, what is sent and expected, the database's state as text, and the
//! `/staff…` routes read from the routers' source.

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{TestApp, extract_csrf, problem};

/// Routes that give staff powers outside `/staff…` (method and route template), all in the table.
pub const STAFF_POWERS: &[&str] = &[
    "POST /api/v1/photos/{id}/approve",
    "POST /api/v1/photos/{id}/reject",
    "POST /api/v1/photos/{id}/take-down",
    "GET /events/{id}",
    "GET /events/{id}/edit",
    "POST /events/{id}/edit",
    "POST /events/{id}/cancel",
    "GET /events/{id}/attendees",
    "GET /events/{id}/attendees.csv",
    "GET /events/{id}/report",
    "POST /events/{id}/report",
    "GET /events/{id}/reports",
    "GET /reports/{id}/edit",
    "POST /reports/{id}/edit",
    "POST /reports/{id}/void",
    "POST /api/v1/campaigns",
    "POST /api/v1/campaigns/{campaign}/cases",
    "GET /api/v1/events/{id}",
    "PATCH /api/v1/events/{id}",
    "POST /api/v1/events/{id}/cancel",
    "GET /api/v1/events/{id}/rsvps",
    "GET /api/v1/events/{id}/reports",
    "POST /api/v1/events/{id}/reports",
    "PUT /api/v1/reports/{id}",
    "POST /api/v1/reports/{id}/void",
    "GET /api/v1/campaigns/{campaign}/unreported",
    "GET /api/v1/campaigns/{campaign}/unreported.csv",
    "GET /api/v1/campaigns/{campaign}/exports/{file}",
    "GET /api/v1/audit",
    "GET /api/v1/campaigns/{campaign}/cases/{case}/actions.csv",
];

/// Every `/staff…` route the routers in `src/` declare, as "METHOD /template".
pub fn staff_routes_in_source() -> Vec<String> {
    let mut found = Vec::new();
    let mut files = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices(".route(") {
            // The call's own text, up to its closing parenthesis.
            let rest = &text[at + ".route".len()..];
            let mut depth = 0;
            let mut end = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let call = &rest[..end];
            let Some(template) = call.split('"').nth(1) else {
                continue;
            };
            if !template.starts_with("/staff") {
                continue;
            }
            for method in ["get", "post", "put", "patch", "delete"] {
                let here = call.match_indices(&format!("{method}(")).any(|(i, _)| {
                    !call[..i]
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if here {
                    found.push(format!("{} {template}", method.to_uppercase()));
                }
            }
        }
    }
    found.sort();
    found
}

/// Staff makes a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Staff {
    /// Staff of France: outside the scope of everything Canadian and of campaigns and cases.
    Fr,
    Ca,
    /// Staff of every country.
    All,
}

pub enum Send {
    Get,
    Form(Vec<(&'static str, String)>),
    Json(Method, Value),
}

pub enum Expect {
    /// A change: outside the scope 403/404 and no change; inside, this status and a change.
    Change(u16),
    /// A read: outside the scope 403/404; inside 200 with this text in the body.
    Read(String),
    /// A list: 200 for both, the text only for the one inside the scope.
    Listed(String),
}

pub struct Step {
    /// Method and route template; `{campaign}`, `{case}` and `{id}` are filled in for the path.
    pub route: &'static str,
    pub path: String,
    pub send: Send,
    pub outside: Staff,
    pub inside: Staff,
    pub expect: Expect,
}

/// Rows tried by staff of France first, then by `inside`.
pub fn rows(slug: &str, inside: Staff, rows: Vec<(&'static str, i64, Send, Expect)>) -> Vec<Step> {
    rows.into_iter()
        .map(|(route, id, send, expect)| {
            let template = route.split_once(' ').unwrap().1;
            let path = template
                .replace("{campaign}", slug)
                .replace("{case}", "scope-test")
                .replace("{id}", &id.to_string())
                .replace("{file}", "events.csv");
            Step {
                route,
                path,
                send,
                outside: Staff::Fr,
                inside,
                expect,
            }
        })
        .collect()
}

pub fn form(fields: &[(&'static str, &str)]) -> Send {
    Send::Form(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// A signed-in browser and a bearer token for one person.
pub struct Person {
    pub browser: reqwest::Client,
    pub csrf: String,
    pub token: String,
}

pub async fn person(app: &TestApp, email: &str, role: Role, country: Option<&str>) -> Person {
    let browser = TestApp::browser_in(app, email, role, country).await;
    let home = browser.get(app.url("/")).send().await.unwrap();
    let csrf = extract_csrf(&home.text().await.unwrap());
    let id: i64 = sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "scope test")
        .await
        .unwrap();
    Person {
        browser,
        csrf,
        token,
    }
}

/// Everything a staff action could change, as text.
pub async fn state_of(app: &TestApp) -> String {
    const TABLES: &[(&str, &str)] = &[
        (
            "campaigns",
            "slug, goal, global_day, starts_on, ends_on, report_deadline",
        ),
        ("campaign_texts", "campaign_id, language, title, intro"),
        (
            "cases",
            "id, slug, name, country, status, authority_name, authority_title, authority_address",
        ),
        (
            "case_texts",
            "case_id, language, summary, salutation, sample_letter, solidarity",
        ),
        ("case_updates", "id, case_id, status, note"),
        ("country_settings", "country, safety_mode"),
        (
            "events",
            "id, title, kind, visibility, status, moderation_reason, venue_name, address, city, region, \
             country, starts_at, ends_at, capacity",
        ),
        ("event_flags", "id, event_id, resolved_at"),
        ("rsvps", "id, event_id, status"),
        (
            "reports",
            "id, event_id, version, participants, voided_at, featured_at",
        ),
        ("report_items", "report_id, case_id, letters, solidarity"),
        ("outbox", "id, status, attempts, country"),
        ("photos", "id, status, reason, alt"),
        (
            "tally_counters",
            "campaign_id, dimension, dim_key, letters, solidarity, participants, events_reported, online",
        ),
        ("online_actions", "id, confirmed_at, invalidated_at"),
        ("action_deliveries", "id, case_id, delivered_on, method"),
        (
            "recaps",
            "campaign_id, map_country, photo_ids, published_at",
        ),
        ("recap_texts", "campaign_id, language, introduction"),
    ];
    let mut out = String::new();
    for (table, columns) in TABLES {
        let cast: Vec<String> = columns
            .split(',')
            .map(|c| format!("COALESCE(CAST({} AS TEXT), '-')", c.trim()))
            .collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY {}",
            cast.join(", "),
            columns
        );
        for row in sqlx::query(&sql).fetch_all(&app.db.pool).await.unwrap() {
            out.push_str(table);
            for i in 0..cast.len() {
                out.push('|');
                out.push_str(&row.try_get::<String, _>(i).unwrap());
            }
            out.push('\n');
        }
    }
    out
}

pub async fn send(app: &TestApp, who: &Person, step: &Step) -> (u16, String) {
    let url = app.url(&step.path);
    let api = step.path.starts_with("/api/");
    let request = match &step.send {
        Send::Get if api => who.browser.get(url).bearer_auth(&who.token),
        Send::Get => who.browser.get(url),
        Send::Form(fields) => {
            let mut all = vec![("csrf", who.csrf.clone())];
            all.extend(fields.iter().cloned());
            who.browser.post(url).form(&all)
        }
        Send::Json(method, body) => who
            .browser
            .request(method.clone(), url)
            .bearer_auth(&who.token)
            .json(body),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    if api && status >= 400 {
        let (_, _, body) = problem(response).await;
        return (status, body.to_string());
    }
    (status, response.text().await.unwrap())
}

/// An event registered through the API by `token`; it started an hour ago.
pub async fn event(app: &TestApp, token: &str, body: Value) -> i64 {
    let now = app.now();
    let mut body = body;
    body["starts_at"] = json!((now - chrono::Duration::hours(1)).to_rfc3339());
    body["ends_at"] = json!((now + chrono::Duration::hours(2)).to_rfc3339());
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

pub const HALIFAX: (&str, &str, &str) = ("Halifax", "CA-NS", "CA");

pub fn place(city: &str, region: &str, country: &str) -> Value {
    json!({"city": city, "region": region, "country": country, "timezone": "UTC", "language": "en",
        "address": "1 Main Street"})
}

/// The HTML edit form of an event, filled in for `place` (city, region, country).
pub fn edit_form(title: &str, visibility: &str, place: (&str, &str, &str), app: &TestApp) -> Send {
    let start = app.now() - chrono::Duration::hours(1);
    Send::Form(vec![
        ("title", title.to_string()),
        ("kind", "cafe".into()),
        ("visibility", visibility.into()),
        ("date", start.format("%Y-%m-%d").to_string()),
        ("start_time", start.format("%H:%M").to_string()),
        (
            "end_time",
            (start + chrono::Duration::hours(3))
                .format("%H:%M")
                .to_string(),
        ),
        ("timezone", "UTC".into()),
        ("place", place.0.into()),
        ("city", place.0.into()),
        ("region", place.1.into()),
        ("country", place.2.into()),
        ("venue_name", "Back room".into()),
        ("address", "9 Edited Street".into()),
        ("language", "en".into()),
    ])
}

/// A photo of `event` uploaded through the API by its host (a small JPEG whose bytes differ with
/// `n`); returns its id.
pub async fn photo(app: &TestApp, token: &str, event: i64, n: u16) -> i64 {
    let (w, h) = (32 + n, 24);
    let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h) * 3)
        .map(|i| (i % 251) as u8)
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    let boundary = "scope-photo-boundary";
    let mut body = Vec::new();
    for (name, value) in [("consent", "true"), ("caption", "Scope photo")] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(&jpeg);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/photos")))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}
