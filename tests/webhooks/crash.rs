//! The real binary killed with SIGKILL while a webhook is in flight: after a restart on the same
//! database the delivery is made again, with the same `webhook-id`, and marked sent.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{self, server::Server};
use crate::receiver::{Mode, Receiver, until};

fn cli(args: &[&str], url: &str, dir: &Path, stdin: &str) -> String {
    common::cli::ok(args, url, Some(dir), stdin)
}

fn token(url: &str, dir: &Path, email: &str, role: &str) -> String {
    let password = format!("{}\n", common::PASSWORD);
    cli(
        &[
            "user",
            "add",
            "--email",
            email,
            "--name",
            "N",
            "--role",
            role,
            "--password-stdin",
        ],
        url,
        dir,
        &password,
    );
    cli(&["token", "issue", "--email", email], url, dir, "")
}

async fn send(base: &str, path: &str, token: &str, body: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_in_flight_at_kill_9_is_made_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hooks.db").display());
    let args = [
        "--demo",
        "--webhook-allow-private",
        "--webhook-timeout",
        "1",
    ];
    let mut server = Server::start_with(&url, dir.path(), &args);
    let admin = token(&url, dir.path(), "admin@example.org", "admin");
    let host = token(&url, dir.path(), "host@example.org", "host");
    let rx = Receiver::start().await;
    rx.set(Mode::Hang);
    send(
        &server.base,
        "/api/v1/webhooks",
        &admin,
        json!({"url": rx.url("/hooks"), "events": ["event.created"]}),
    )
    .await;
    let campaigns: Value = reqwest::get(format!("{}/api/v1/campaigns", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = campaigns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .find(|s| s != "w4r-2017")
        .unwrap();
    let now = common::today();
    send(&server.base, &format!("/api/v1/campaigns/{slug}/events"), &host,
        json!({"title": "Letters before the crash", "kind": "cafe", "visibility": "public",
            "city": "Halifax", "region": "CA-NS", "country": "CA", "timezone": "UTC",
            "address": "1 Harbour St", "starts_at": (now + chrono::Duration::days(2)).to_rfc3339(),
            "ends_at": (now + chrono::Duration::days(2) + chrono::Duration::hours(2)).to_rfc3339()}),
    ).await;
    until("the delivery in flight", || rx.got().len() == 1).await;
    server.kill_9();

    rx.set(Mode::Ok);
    // The test clock starts again at each start: the restart comes a minute later, as it would
    // on the wall clock, past the dead process's lease.
    let later = (now + chrono::Duration::minutes(1)).to_rfc3339();
    let mut again = args.to_vec();
    again.extend(["--clock-start", later.as_str()]);
    let server = Server::start_with(&url, dir.path(), &again);
    for _ in 0..400 {
        if rx.got().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let got = rx.got();
    assert!(got.len() >= 2, "delivered after the restart: {got:?}");
    assert!(
        got.iter().all(|r| r.id == got[0].id),
        "the same webhook-id: {got:?}"
    );
    let db = writeathon::db::Db::connect(&url).await.unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM webhook_deliveries")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(status, "sent");
    server.stop();
}
