//! Webhooks: an administrator subscribes a receiver the test starts; changes reach it signed
//! (checked with the Standard Webhooks reference library), through a receiver that goes down
//! and comes back, with retries on the schedule, failures kept with the receiver's answer, a
//! test message, a rotated secret, and claims left by a dead worker taken over. Who may manage
//! webhooks, and which URLs are refused, is in `rights.rs`.

mod actions;
#[path = "../common/mod.rs"]
mod common;
mod crash;
mod receiver;
mod rights;

use std::collections::HashSet;

use receiver::{Mode, Receiver, until};
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use common::TestApp;

/// Tests let webhooks reach the loopback receiver, and look for due deliveries often.
pub fn fast(s: &mut writeathon::config::Settings) {
    s.webhooks.allow_private = true;
    s.webhooks.poll = std::time::Duration::from_millis(50);
    s.webhooks.timeout = std::time::Duration::from_secs(2);
}

/// A POST without a body, as `token`.
pub async fn post(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    api(app, reqwest::Method::POST, path, token, None).await
}

/// A GET, as `token`.
pub async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    api(app, reqwest::Method::GET, path, token, None).await
}

pub async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn subscribe(app: &TestApp, admin: &str, url: &str, events: &[&str]) -> (i64, String) {
    let (status, body) = api(
        app,
        reqwest::Method::POST,
        "/api/v1/webhooks",
        admin,
        Some(json!({"url": url, "events": events, "description": "CRM"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let secret = body["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (body["id"].as_i64().unwrap(), secret)
}

/// An event under way: a private one at home (`public` false) or a public one at the library.
pub async fn event(app: &TestApp, token: &str, title: &str) -> i64 {
    event_as(app, token, title, false).await
}

pub async fn event_as(app: &TestApp, token: &str, title: &str, public: bool) -> i64 {
    let now = app.now();
    let (kind, visibility) = if public {
        ("library", "public")
    } else {
        ("home", "private")
    };
    let body = json!({"title": title, "kind": kind, "visibility": visibility,
        "city": "Halifax", "region": "CA-NS", "country": "CA", "timezone": "UTC",
        "language": "en", "address": "12 Secret Lane", "capacity": 10,
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339()});
    let path = format!("/api/v1/campaigns/{}/events", app.current_slug());
    let (status, answer) = api(app, reqwest::Method::POST, &path, token, Some(body)).await;
    assert_eq!(status, 201, "{answer}");
    answer["id"].as_i64().unwrap()
}

pub async fn case_slug(app: &TestApp) -> String {
    sqlx::query(
        "SELECT s.slug FROM cases s JOIN campaigns c ON c.id = s.campaign_id \
         WHERE c.slug = $1 ORDER BY s.id LIMIT 1",
    )
    .bind(app.current_slug())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

/// (status, attempts, last_status, last_response, last_error) of every delivery, by id.
async fn deliveries(
    app: &TestApp,
) -> Vec<(String, i64, Option<i64>, Option<String>, Option<String>)> {
    sqlx::query(
        "SELECT status, attempts, last_status, last_response, last_error FROM webhook_deliveries ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| {
        (
            r.try_get(0).unwrap(),
            i64::from(r.try_get::<i32, _>(1).unwrap()),
            r.try_get::<Option<i32>, _>(2).unwrap().map(i64::from),
            r.try_get(3).unwrap(),
            r.try_get(4).unwrap(),
        )
    })
    .collect()
}

async fn wait_for_db<
    F: Fn(&[(String, i64, Option<i64>, Option<String>, Option<String>)]) -> bool,
>(
    app: &TestApp,
    what: &str,
    check: F,
) {
    for _ in 0..200 {
        if check(&deliveries(app).await) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}: {:?}", deliveries(app).await);
}

/// For the stories that run the worker themselves: the app's own looks once an hour.
fn by_hand(s: &mut writeathon::config::Settings) {
    fast(s);
    s.webhooks.poll = std::time::Duration::from_secs(3600);
}

/// A receiver subscribed to `event.created`, and `n` events registered, their deliveries queued.
async fn events_queued(app: &TestApp, n: usize) -> Receiver {
    let rx = Receiver::start().await;
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    subscribe(app, &admin, &rx.url("/x"), &["event.created"]).await;
    for i in 0..n {
        event(app, &host, &format!("Letters {i}")).await;
    }
    rx
}

story!(
    changes_reach_the_receiver_signed_through_an_outage,
    |s| { fast(s) },
    |app| {
        let mut rx = Receiver::start().await;
        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let host = app.token_for("host@example.org", Role::Host).await;
        let all = [
            "event.created",
            "event.cancelled",
            "rsvp.created",
            "report.created",
            "report.updated",
        ];
        let (hook, secret) = subscribe(&app, &admin, &rx.url("/hooks/crm"), &all).await;

        // An event: told at once, signed, and without the private event's street address.
        let ev = event(&app, &host, "Kitchen table letters").await;
        until("event.created", || !rx.got().is_empty()).await;
        let first = rx.got()[0].clone();
        assert_eq!(first.kind(), "event.created");
        assert_eq!(first.path, "/hooks/crm");
        assert!(first.signed_with(&secret), "{first:?}");
        assert!(!first.signed_with(&writeathon::webhooks::new_secret()));
        assert_eq!(first.json()["data"]["id"], json!(ev));
        assert!(!first.body.contains("Secret Lane"), "{}", first.body);
        assert!(!first.body.contains("host@example.org"), "{}", first.body);

        // The receiver goes down; an RSVP and a report are queued and their attempts fail.
        rx.down().await;
        let public = event_as(&app, &host, "Letters at the library", true).await;
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{public}/rsvps")))
            .json(&json!({"name": "Ana Attendee", "email": "ana@example.org"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let case = case_slug(&app).await;
        let (status, report) = api(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/events/{ev}/reports"),
            &host,
            Some(json!({"participants": 5, "items": [{"case": case, "letters": 12, "solidarity": 3}]})),
        )
        .await;
        assert_eq!(status, 201, "{report}");
        let report_id = report["report"]["id"].as_i64().unwrap();
        wait_for_db(&app, "failed attempts while down", |d| {
            d.len() == 4
                && d[1..]
                    .iter()
                    .all(|r| r.1 >= 1 && r.4.is_some() && r.0 == "queued")
        })
        .await;
        // A minute of outage on the schedule (5 s, 30 s, 1 min…): more attempts, nothing lost.
        for _ in 0..3 {
            app.clock.advance(chrono::Duration::seconds(61));
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        wait_for_db(&app, "retries while down", |d| {
            d[1..].iter().all(|r| r.1 >= 2 && r.0 == "queued")
        })
        .await;

        // Back up: everything arrives, each message once per webhook-id, all signed.
        rx.up().await;
        app.clock.advance(chrono::Duration::minutes(6));
        until("every message after the outage", || {
            let kinds: HashSet<String> = rx.got().iter().map(|r| r.kind()).collect();
            ["event.created", "rsvp.created", "report.created"]
                .iter()
                .all(|k| kinds.contains(*k))
                && rx.got().len() >= 4
        })
        .await;
        wait_for_db(&app, "all delivered", |d| d.iter().all(|r| r.0 == "sent")).await;
        let got = rx.got();
        let ids: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 4, "four messages, four webhook-ids: {got:?}");
        assert!(got.iter().all(|r| r.signed_with(&secret)));
        let rsvp = got.iter().find(|r| r.kind() == "rsvp.created").unwrap();
        assert!(
            !rsvp.body.contains("Ana") && !rsvp.body.contains("ana@"),
            "{}",
            rsvp.body
        );
        let created = got
            .iter()
            .find(|r| r.kind() == "report.created")
            .unwrap()
            .json();
        assert_eq!(created["data"]["id"], json!(report_id));
        assert_eq!(created["data"]["items"][0]["letters"], json!(12));
        assert_eq!(created["data"]["items"][0]["case"], json!(case));

        // A correction is `report.updated`; a cancellation `event.cancelled`.
        let (status, _) = api(
            &app,
            reqwest::Method::PUT,
            &format!("/api/v1/reports/{report_id}"),
            &host,
            Some(json!({"participants": 5, "items": [{"case": case, "letters": 20, "solidarity": 3}]})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = post(&app, &format!("/api/v1/events/{public}/cancel"), &host).await;
        assert_eq!(status, 200);
        until("report.updated and event.cancelled", || rx.got().len() >= 6).await;
        let kinds: Vec<String> = rx.got().iter().map(|r| r.kind()).collect();
        assert!(kinds.contains(&"report.updated".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"event.cancelled".to_string()), "{kinds:?}");
        let updated = rx
            .got()
            .into_iter()
            .find(|r| r.kind() == "report.updated")
            .unwrap()
            .json();
        assert_eq!(updated["data"]["items"][0]["letters"], json!(20));
        assert_eq!(updated["data"]["version"], json!(2));

        // A new secret: for a day both sign, so the receiver can switch without a gap.
        let (status, rotated) = post(
            &app,
            &format!("/api/v1/webhooks/{hook}/rotate-secret"),
            &admin,
        )
        .await;
        assert_eq!(status, 200, "{rotated}");
        let new_secret = rotated["secret"].as_str().unwrap().to_string();
        assert_ne!(new_secret, secret);
        let (status, test) = post(&app, &format!("/api/v1/webhooks/{hook}/test"), &admin).await;
        assert_eq!(status, 202, "{test}");
        until("the test message", || {
            rx.got().iter().any(|r| r.kind() == "webhook.test")
        })
        .await;
        let t = rx
            .got()
            .into_iter()
            .find(|r| r.kind() == "webhook.test")
            .unwrap();
        assert_eq!(t.id, test["webhook_id"].as_str().unwrap());
        assert!(
            t.signed_with(&new_secret) && t.signed_with(&secret),
            "{t:?}"
        );
        app.clock.advance(chrono::Duration::hours(25));
        let (_, test2) = post(&app, &format!("/api/v1/webhooks/{hook}/test"), &admin).await;
        let id2 = test2["webhook_id"].as_str().unwrap().to_string();
        until("the second test", || rx.got().iter().any(|r| r.id == id2)).await;
        let t2 = rx.got().into_iter().find(|r| r.id == id2).unwrap();
        assert!(
            t2.signed_with(&new_secret) && !t2.signed_with(&secret),
            "{t2:?}"
        );

        // Every change was audited, and the trail holds no secret.
        let trail: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT action, after_state FROM audit_log WHERE action LIKE 'webhook.%' ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let actions: Vec<&str> = trail.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            actions,
            [
                "webhook.create",
                "webhook.rotate_secret",
                "webhook.test",
                "webhook.test"
            ]
        );
        assert!(
            trail
                .iter()
                .all(|t| !t.1.clone().unwrap_or_default().contains("whsec_"))
        );
    }
);

story!(
    a_receiver_that_keeps_failing_is_given_up_after_a_day_with_its_answer_kept,
    |s| { fast(s) },
    |app| {
        let rx = Receiver::start().await;
        rx.set(Mode::Fail);
        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let host = app.token_for("host@example.org", Role::Host).await;
        let (hook, _) = subscribe(&app, &admin, &rx.url("/x"), &["event.created"]).await;
        event(&app, &host, "Letters that nobody hears of").await;
        let mut seen = 0;
        loop {
            wait_for_db(&app, "an attempt", |d| d[0].1 > seen || d[0].0 == "failed").await;
            let d = deliveries(&app).await;
            assert_eq!(d[0].2, Some(500));
            assert_eq!(d[0].3.as_deref(), Some("receiver says no"));
            if d[0].0 == "failed" {
                break;
            }
            seen = d[0].1;
            assert!(seen < 20, "never given up: {d:?}");
            // Straight to the next attempt on the schedule.
            let delay = writeathon::webhooks::retry_delay(seen).as_secs() as i64;
            app.clock.advance(chrono::Duration::seconds(delay + 1));
        }
        let d = deliveries(&app).await;
        // 0, 5 s, 35 s, 1.6 min, 6.6 min, 36.6 min, 2.6 h, then every 5 h while within the day.
        assert_eq!(d[0].1, 11, "{d:?}");
        assert_eq!(rx.got().len(), 11);
        let ids: HashSet<String> = rx.got().iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), 1, "one message, tried again with its webhook-id");
        // Every failed attempt is counted for the operator's dashboard.
        let metrics = app.metrics().await;
        assert!(
            metrics.contains("writeathon_webhook_deliveries_failed_total 11\n"),
            "{metrics}"
        );

        // The administrator sees it failed, with the answer, and may try it again.
        let (status, list) = get(
            &app,
            &format!("/api/v1/webhooks/{hook}/deliveries?status=failed"),
            &admin,
        )
        .await;
        assert_eq!(status, 200);
        let failed = &list["deliveries"][0];
        assert_eq!(failed["response"]["status"], json!(500));
        assert_eq!(failed["response"]["body"], json!("receiver says no"));
        let page = app
            .page(
                &TestApp::browser_for(&app, "admin-page@example.org", Role::Admin).await,
                &format!("/admin/webhooks/{hook}"),
            )
            .await;
        assert!(
            page.contains("receiver says no") && page.contains("HTTP 500"),
            "{page}"
        );
        rx.set(Mode::Ok);
        let delivery = failed["id"].as_i64().unwrap();
        let (status, _) = post(
            &app,
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/retry"),
            &admin,
        )
        .await;
        assert_eq!(status, 202);
        wait_for_db(&app, "the retried delivery", |d| d[0].0 == "sent").await;
        let (status, _) = post(
            &app,
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/retry"),
            &admin,
        )
        .await;
        assert_eq!(status, 409, "only a failed delivery is tried again");
    }
);

story!(
    a_claim_left_by_a_dead_worker_is_delivered_after_its_lease_with_the_same_id,
    |s| { by_hand(s) },
    |app| {
        let rx = events_queued(&app, 1).await;
        // A worker (of another process) claims it and dies before sending.
        let now = app.clock.now_ms();
        let dead = writeathon::webhooks::store::claim(&app.db, "dead-node", now, now + 60_000, 10)
            .await
            .unwrap();
        assert_eq!(dead.len(), 1);
        let courier = writeathon::webhooks::worker::Courier::new(
            &writeathon::config::webhooks::WebhookSettings {
                allow_private: true,
                ..Default::default()
            },
        )
        .unwrap();
        // While the lease holds, no one else sends it.
        assert_eq!(
            writeathon::webhooks::worker::once(&app.db, &courier, "live-node", &Default::default())
                .await
                .unwrap(),
            0
        );
        assert!(rx.got().is_empty());
        app.clock.advance(chrono::Duration::seconds(61));
        assert_eq!(
            writeathon::webhooks::worker::once(&app.db, &courier, "live-node", &Default::default())
                .await
                .unwrap(),
            1
        );
        assert_eq!(rx.got().len(), 1);
        assert_eq!(rx.got()[0].id, dead[0].msg_id);
        // The dead worker's late word changes nothing: it no longer holds the claim.
        writeathon::webhooks::store::record(
            &app.db,
            "dead-node",
            now,
            &[writeathon::webhooks::store::Attempt {
                id: dead[0].id,
                status: "queued",
                attempts: 1,
                next_attempt_at: now,
                http_status: None,
                response: None,
                error: Some("late".into()),
            }],
        )
        .await
        .unwrap();
        let d = deliveries(&app).await;
        assert_eq!((d[0].0.as_str(), d[0].1), ("sent", 1), "{d:?}");
    }
);

story!(
    two_nodes_never_send_one_delivery_twice,
    |s| { by_hand(s) },
    |app| {
        let rx = events_queued(&app, 30).await;
        let settings = writeathon::config::webhooks::WebhookSettings {
            allow_private: true,
            ..Default::default()
        };
        let courier = writeathon::webhooks::worker::Courier::new(&settings).unwrap();
        let failures = Default::default();
        let (a, b) = tokio::join!(
            writeathon::webhooks::worker::once(&app.db, &courier, "node-a", &failures),
            writeathon::webhooks::worker::once(&app.db, &courier, "node-b", &failures),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a + b, 30, "{a} + {b}");
        let got = rx.got();
        let ids: HashSet<&str> = got.iter().map(|r| r.id.as_str()).collect();
        assert_eq!((got.len(), ids.len()), (30, 30));
    }
);
