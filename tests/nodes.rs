//! Three `writeathon serve` processes on one PostgreSQL database, started at the same moment on
//! a database nobody has migrated: the migrations run once (sqlx holds PostgreSQL's advisory
//! lock while it migrates), and everything the nodes share lives in the database — a session
//! made on one node signs in on another, sign-in attempts on all of them count against one
//! limit, an idempotency key used on one node replays its answer on another, a token revoked on
//! one node is refused by the others within the token cache's five seconds, and a report made
//! on one node is in the tally of another. (Mail claims: `tests/mail.rs`; tally streams across
//! processes: `tests/fanout.rs`.)

mod common;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use common::PASSWORD;
use common::server::Server;

fn cli(args: &[&str], url: &str, stdin: &str) -> String {
    common::cli::ok(args, url, None, stdin)
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> StatusCode {
    let html = client
        .get(format!("{base}/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = common::extract_csrf(&html);
    client
        .post(format!("{base}/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

fn migrations_shipped() -> i64 {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_one_database_and_nothing_else() {
    let Some(empty) = common::template::EmptyPostgres::create("nodes").await else {
        return;
    };
    let url = empty.url.clone();
    let dir = tempfile::tempdir().unwrap();

    // All three at the same moment, on a database with no schema yet.
    let (u, d) = (url.clone(), dir.path().to_path_buf());
    let nodes: Vec<Server> = tokio::task::spawn_blocking(move || {
        let start = std::sync::Barrier::new(3);
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..3)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        Server::start_with(&u, &d, &[])
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    })
    .await
    .unwrap();
    let db = writeathon::db::Db::connect(&url).await.unwrap();
    let (applied, versions): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT version) AS BIGINT) FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (applied, versions),
        (migrations_shipped(), migrations_shipped()),
        "each migration applied once"
    );

    let (u, email) = (url.clone(), "node.host@example.org");
    let token = tokio::task::spawn_blocking(move || {
        cli(&["seed-demo"], &u, "");
        cli(
            &[
                "user",
                "add",
                "--email",
                email,
                "--name",
                "Node Host",
                "--password-stdin",
            ],
            &u,
            &format!("{PASSWORD}\n"),
        );
        cli(&["token", "issue", "--email", email], &u, "")
    })
    .await
    .unwrap();
    let [a, b, c] = [&nodes[0].base, &nodes[1].base, &nodes[2].base];
    let http = reqwest::Client::new();

    // A session made on A signs in on B and C.
    let on_a = common::browser();
    assert_eq!(
        sign_in(&on_a, a, email, PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    for other in [b, c] {
        let r = on_a.get(format!("{other}/account")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{other} knows the session made on {a}");
    }

    // Sign-in attempts for one address count against one limit, whichever node takes them.
    let victim = "nobody.here@example.org";
    for attempt in 0..10 {
        let node = [a, b, c][attempt % 3];
        let status = sign_in(&common::browser(), node, victim, "not the password at all").await;
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "attempt {attempt}");
    }
    for node in [a, b, c] {
        let status = sign_in(&common::browser(), node, victim, "not the password at all").await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "{node} knows of the other nodes' attempts"
        );
    }

    // An event to report on, made on A.
    let campaigns: Value = http
        .get(format!("{a}/api/v1/campaigns"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = campaigns[0]["slug"].as_str().unwrap().to_string();
    let cases: Value = http
        .get(format!("{a}/api/v1/campaigns/{slug}/cases"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case = cases[0]["slug"].as_str().unwrap().to_string();
    let now = common::today();
    let r = http
        .post(format!("{a}/api/v1/campaigns/{slug}/events"))
        .bearer_auth(&token)
        .json(&json!({"title": "Letters on three nodes", "kind": "cafe", "visibility": "public",
            "starts_at": (now - chrono::Duration::hours(2)).to_rfc3339(), "ends_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "1 Node Street"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let event = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let tally = |node: &str| {
        let url = format!("{node}/api/v1/campaigns/{slug}/tally");
        let http = http.clone();
        async move {
            let t: Value = http.get(url).send().await.unwrap().json().await.unwrap();
            t["totals"]["letters"].as_i64().unwrap()
        }
    };
    let before = tally(c).await;

    // One idempotency key, sent to A and then to B: one report, the same answer.
    let body = json!({"participants": 3, "items": [{"case": case, "letters": 7}]});
    let mut answers = Vec::new();
    for node in [a, b] {
        let r = http
            .post(format!("{node}/api/v1/events/{event}/reports"))
            .bearer_auth(&token)
            .header("idempotency-key", "nodes-report-1")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        answers.push(
            r.json::<Value>().await.unwrap()["report"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_eq!(answers[0], answers[1], "B replayed A's answer");
    let reports: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM reports WHERE event_id = $1")
            .bind(event)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(reports, 1);

    // The report made on A is in C's tally (C rebuilds when A's commit is announced).
    let started = Instant::now();
    while tally(c).await != before + 7 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "C's tally never moved"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A token revoked on A is refused by B and C within the token cache's five seconds.
    let export = |node: &str| {
        let (url, http, token) = (
            format!("{node}/api/v1/account/export"),
            http.clone(),
            token.clone(),
        );
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(export(b).await, 200);
    assert_eq!(export(c).await, 200);
    let html = on_a
        .get(format!("{a}/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id: String = html
        .split("/account/tokens/")
        .nth(1)
        .expect("the account page lists the token")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let csrf = common::extract_csrf(&html);
    let r = on_a
        .post(format!("{a}/account/tokens/{id}/revoke"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let revoked = Instant::now();
    assert_eq!(export(a).await, 401, "refused at once where it was revoked");
    for node in [b, c] {
        while export(node).await != 401 {
            assert!(
                revoked.elapsed() < Duration::from_secs(6),
                "{node} still takes the revoked token"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    drop(nodes);
    let u = url.clone();
    let recount = tokio::task::spawn_blocking(move || cli(&["reconcile"], &u, ""))
        .await
        .unwrap();
    assert!(!recount.contains("drift"), "{recount}");
    db.pool.close().await;
}
