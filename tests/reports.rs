//! Stories about report-back and the tally: exact under concurrency, idempotent, edits move the
//! tally by the difference, bad input counts nothing, the tally is cached and streamed.

mod common;

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

story!(concurrent_reports_add_up_exactly, |app| {
    let cases = cases(&app).await;
    let mut hosts = Vec::new();
    for i in 0..50 {
        let token = app
            .token_for(&format!("host{i}@example.org"), Role::Host)
            .await;
        let (city, country) = [
            ("Halifax", "CA"),
            ("Montréal", "CA"),
            ("Lyon", "FR"),
            ("Nairobi", "KE"),
            ("Toronto", "CA"),
        ][i % 5];
        let event = started_event(&app, &token, city, country).await;
        hosts.push((token, event));
    }
    let before = tally(&app).await;
    let answers = futures::stream::iter(0..1000)
        .map(|i| {
            let (token, event) = hosts[i % 50].clone();
            let case = cases[i % cases.len()].clone();
            let app = &app;
            async move {
                let body = json!({"participants": 1 + i % 7, "items": [{"case": case, "letters": 1 + i % 13, "solidarity": i % 3}]});
                let r = report(app, &token, event, &body, Some(&format!("r-{i}"))).await;
                (r.status().as_u16(), 1 + i % 13, i % 3, 1 + i % 7)
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    let (mut letters, mut solidarity, mut participants) = (0i64, 0i64, 0i64);
    for (status, l, s, p) in &answers {
        assert_eq!(*status, 201);
        letters += *l as i64;
        solidarity += *s as i64;
        participants += *p as i64;
    }
    let after = tally(&app).await;
    let grew =
        |k: &str| after["totals"][k].as_i64().unwrap() - before["totals"][k].as_i64().unwrap();
    assert_eq!(grew("letters"), letters);
    assert_eq!(grew("solidarity"), solidarity);
    assert_eq!(grew("participants"), participants);
    assert_eq!(grew("events_reported"), 50);
    // Every report went through a group commit, and /metrics says how they were grouped.
    let metrics = app.metrics().await;
    let sample = |name: &str| -> f64 {
        let line = metrics.lines().find(|l| l.starts_with(name));
        line.and_then(|l| l.split(' ').nth(1)?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    assert_eq!(sample("writeathon_report_batch_size_sum"), 1000.0);
    let batches = sample("writeathon_report_batch_size_count");
    assert!((1.0..=1000.0).contains(&batches), "{batches} batches");
    assert_eq!(sample("writeathon_report_commit_seconds_count"), batches);
    let by_case: i64 = after["by_case"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["letters"].as_i64().unwrap())
        .sum();
    assert_eq!(by_case, after["totals"]["letters"].as_i64().unwrap());
    let ca = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "CA")
        .unwrap();
    let fr = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "FR")
        .unwrap();
    let ke = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "KE")
        .unwrap();
    assert_eq!(
        ca["letters"].as_i64().unwrap()
            + fr["letters"].as_i64().unwrap()
            + ke["letters"].as_i64().unwrap(),
        letters
    );
    assert_eq!(
        reconcile_drift(&app).await,
        0,
        "the counters equal a recount from the rows"
    );
    // A counter knocked off by hand is found and repaired by reconcile.
    sqlx::query(
        "UPDATE tally_counters SET letters = letters + 5 WHERE dimension = 'world' \
         AND campaign_id = (SELECT id FROM campaigns WHERE slug = $1)",
    )
    .bind(current_slug())
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(reconcile_drift(&app).await, 1);
    assert_eq!(reconcile_drift(&app).await, 0);
});

story!(one_failing_report_does_not_fail_its_batch, |app| {
    use writeathon::reports::ReportInput;
    use writeathon::reports::committer::Committer;
    use writeathon::reports::ingest::NewReport;

    let host = app.token_for("host@example.org", Role::Host).await;
    let event_id = started_event(&app, &host, "Halifax", "CA").await;
    // This committer tells its own hub, not the app's: read the counters themselves.
    let world_letters = || async {
        use sqlx::Row;
        sqlx::query("SELECT COALESCE(CAST(SUM(letters) AS BIGINT), 0) FROM tally_counters WHERE dimension = 'world'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    };
    let base = world_letters().await;
    let author = writeathon::accounts::tokens::authenticate(&app.db, &host)
        .await
        .unwrap()
        .unwrap();
    let event = writeathon::events::store::get(&app.db, event_id)
        .await
        .unwrap()
        .unwrap();
    let case_ids: Vec<i64> = writeathon::campaigns::store::case_ids(&app.db, event.campaign_id)
        .await
        .unwrap()
        .into_values()
        .collect();
    // Submitted together, so they share batches; report 5 names a case that does not exist,
    // which fails its insert (a foreign key) and with it the whole batch's transaction.
    let committer = Committer::start(
        app.db.clone(),
        writeathon::tally::TallyHub::start(app.db.clone()),
        std::sync::Arc::default(),
    );
    let bad = 5;
    let reports = (0..12).map(|i| NewReport {
        event_id: event.id,
        campaign_id: event.campaign_id,
        author_id: author.id,
        input: ReportInput {
            participants: 3,
            items: vec![(if i == bad { 999_999 } else { case_ids[0] }, 10, 1)],
            highlights: String::new(),
        },
        flags: String::new(),
        idempotency: None,
        case_slugs: Default::default(),
    });
    let outcomes = futures::future::join_all(reports.map(|r| committer.submit(r))).await;
    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(outcome.is_ok(), i != bad, "report {i}: {outcome:?}");
    }
    assert_eq!(app.count_where("reports", "event_id", event_id).await, 11);
    assert_eq!(
        world_letters().await - base,
        110,
        "the eleven good reports count, once each"
    );
    assert_eq!(reconcile_drift(&app).await, 0);
});

story!(one_idempotency_key_counts_once, |app| {
    let cases = cases(&app).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let event = started_event(&app, &host, "Halifax", "CA").await;
    let base = letters(&tally(&app).await);
    let body =
        json!({"participants": 10, "items": [{"case": cases[0], "letters": 7, "solidarity": 2}]});
    let answers = futures::future::join_all(
        (0..20).map(|_| report(&app, &host, event, &body, Some("same-key"))),
    )
    .await;
    let mut ids = std::collections::HashSet::new();
    for r in answers {
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        ids.insert(v["report"]["id"].as_i64().unwrap());
    }
    assert_eq!(ids.len(), 1, "every retry got the first answer");
    let t = tally(&app).await;
    assert_eq!(letters(&t) - base, 7);
    let mut other = body.clone();
    other["participants"] = json!(11);
    let (status, _, _) = problem(report(&app, &host, event, &other, Some("same-key")).await).await;
    assert_eq!(status, 409);
    for key in ["", &"k".repeat(300)] {
        let (status, _, _) = problem(report(&app, &host, event, &body, Some(key)).await).await;
        assert_eq!(status, 400);
    }
    assert_eq!(app.count_where("reports", "event_id", event).await, 1);
});

story!(
    edits_move_the_tally_by_the_difference_and_keep_history,
    |app| {
        let cases = cases(&app).await;
        let host = app.token_for("host@example.org", Role::Host).await;
        let event = started_event(&app, &host, "Halifax", "CA").await;
        let base = tally(&app).await;
        let first: Value = report(&app, &host, event, &json!({"participants": 20, "items": [{"case": cases[0], "letters": 30, "solidarity": 5}]}), None).await.json().await.unwrap();
        let second: Value = report(
            &app,
            &host,
            event,
            &json!({"participants": 5, "items": [{"case": cases[1], "letters": 10}]}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(
            second["event_totals"]["letters"], 40,
            "several reports add up"
        );
        assert_eq!(second["event_totals"]["reports"], 2);
        let id = first["report"]["id"].as_i64().unwrap();
        let put = |token: &str, body: Value| {
            reqwest::Client::new()
                .put(app.url(&format!("/api/v1/reports/{id}")))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let r = put(&host, json!({"participants": 20, "items": [{"case": cases[0], "letters": 25, "solidarity": 5}, {"case": cases[2], "letters": 4}]})).await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["report"]["version"], 2);
        assert_eq!(v["event_totals"]["letters"], 39);
        let t = tally(&app).await;
        assert_eq!(letters(&t) - letters(&base), 39);
        let case0 = t["by_case"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case"] == cases[0].as_str())
            .unwrap();
        assert_eq!(case0["letters"], 25);
        // Someone else may not; staff may correct with a reason, and void.
        let other = app.token_for("other@example.org", Role::Host).await;
        let (status, _, _) = problem(
            put(&other, json!({"participants": 1, "items": []}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404);
        let staff = app.token_for("staff@example.org", Role::Staff).await;
        let r = put(&staff, json!({"participants": 20, "items": [{"case": cases[0], "letters": 400}], "reason": "typo fixed"})).await.unwrap();
        assert_eq!(r.status(), 200);
        let flags: String = {
            use sqlx::Row;
            sqlx::query("SELECT flags FROM reports WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
                .try_get(0)
                .unwrap()
        };
        assert!(
            flags.contains("edit-jump"),
            "a tenfold jump is flagged: {flags}"
        );
        let moderator = TestApp::browser_for(&app, "moderator@example.org", Role::Staff).await;
        let html = moderator
            .get(app.url("/staff/moderation"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("a change by ten times or more")
                && html.contains(&format!("/reports/{id}/edit")),
            "staff see the flag"
        );
        let v: Value = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/reports/{id}/void")))
            .bearer_auth(&staff)
            .json(&json!({"reason": "duplicate of another report"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["report"]["voided"], true);
        assert_eq!(v["event_totals"]["letters"], 10);
        let t = tally(&app).await;
        assert_eq!(letters(&t) - letters(&base), 10);
        assert_eq!(
            t["totals"]["events_reported"].as_i64().unwrap()
                - base["totals"]["events_reported"].as_i64().unwrap(),
            1
        );
        let (voided, history) = history_of(&app, id).await;
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["created", "edited", "edited", "voided"]);
        // The first line is the report as sent, by its host, not the counts it has now.
        assert_eq!(history[0].after.letters(), 30);
        assert_eq!(history[0].after.participants, 20);
        assert_eq!(history[0].changed_at, voided.created_at);
        assert_eq!(history[0].changed_by, history[1].changed_by);
        let (_, unchanged) = history_of(&app, second["report"]["id"].as_i64().unwrap()).await;
        assert_eq!(unchanged.len(), 1);
        assert_eq!(
            (unchanged[0].action.as_str(), unchanged[0].after.letters()),
            ("created", 10)
        );
        assert_eq!(history[2].reason.as_deref(), Some("typo fixed"));
        assert_eq!(history[1].before.as_ref().unwrap().letters(), 30);
        let (status, _, _) = problem(
            put(&host, json!({"participants": 1, "items": []}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 409, "a voided report no longer changes");
        assert_eq!(reconcile_drift(&app).await, 0);
    }
);

story!(bad_reports_count_nothing, |app| {
    let cases = cases(&app).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let event = started_event(&app, &host, "Halifax", "CA").await;
    let base_letters = letters(&tally(&app).await);
    let item = |letters: Value| json!({"participants": 5, "items": [{"case": cases[0], "letters": letters}]});
    for (body, field) in [
        (item(json!(-1)), "items[0].letters"),
        (item(json!(1.5)), "items[0].letters"),
        (item(json!(100_001)), "items[0].letters"),
        (item(json!("many")), "items[0].letters"),
        (json!({"participants": -3, "items": []}), "participants"),
        (
            json!({"participants": 3, "items": [{"case": "nobody-at-all", "letters": 1}]}),
            "items[0].case",
        ),
    ] {
        let (status, _, p) = problem(report(&app, &host, event, &body, None).await).await;
        assert_eq!(status, 422, "{body}");
        assert!(p["errors"][field][0].is_string(), "{field}: {p}");
    }
    let (_, _, p) = problem(
        report(
            &app,
            &host,
            event,
            &json!({"participants": 3, "items": [{"case": "nobody-at-all", "letters": 1}]}),
            None,
        )
        .await,
    )
    .await;
    assert!(
        p["errors"]["items[0].case"][0]
            .as_str()
            .unwrap()
            .contains("nobody-at-all"),
        "names the unknown case"
    );
    // A case of another campaign is unknown here.
    let other_case: Value = app
        .get("/api/v1/campaigns/w4r-2017/cases")
        .await
        .json()
        .await
        .unwrap();
    let foreign = other_case[0]["slug"].as_str().unwrap();
    let (status, _, _) = problem(
        report(
            &app,
            &host,
            event,
            &json!({"participants": 3, "items": [{"case": foreign, "letters": 1}]}),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    // Malformed JSON and unknown fields: 400.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(&host)
        .header("content-type", "application/json")
        .body("{\"participants\":")
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 400);
    assert_eq!(
        problem(
            report(
                &app,
                &host,
                event,
                &json!({"participants": 1, "items": [], "bonus": 1}),
                None
            )
            .await
        )
        .await
        .0,
        400
    );
    // Someone else's event, a cancelled one, one not started yet, no token.
    let other = app.token_for("other@example.org", Role::Host).await;
    assert_eq!(
        problem(report(&app, &other, event, &item(json!(1)), None).await)
            .await
            .0,
        403
    );
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .json(&item(json!(1)))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 401);
    let now = app.now();
    let (g, ..) = writeathon::demo::current_dates(now.date_naive());
    let later = json!({"title": "Later", "kind": "school", "visibility": "public",
        "starts_at": format!("{g}T10:00:00Z"), "ends_at": format!("{g}T12:00:00Z"), "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "x"});
    let future: Value = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(&host)
        .json(&later)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let future_id = future["id"].as_i64().unwrap();
    if app.now() < chrono::DateTime::parse_from_rfc3339(&format!("{g}T10:00:00Z")).unwrap() {
        assert_eq!(
            problem(report(&app, &host, future_id, &item(json!(1)), None).await)
                .await
                .0,
            422,
            "not started yet"
        );
    }
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/cancel")))
        .bearer_auth(&host)
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem(report(&app, &host, event, &item(json!(1)), None).await)
            .await
            .0,
        422,
        "cancelled"
    );
    assert_eq!(app.count_where("reports", "event_id", event).await, 0);
    assert_eq!(app.count_where("reports", "event_id", future_id).await, 0);
    let t = tally(&app).await;
    assert_eq!(letters(&t), base_letters, "nothing counted");
});

story!(the_tally_is_cached_and_streamed, |app| {
    let cases = cases(&app).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let event = started_event(&app, &host, "Halifax", "CA").await;
    let slug = current_slug();
    let base = tally(&app).await;
    let expected = letters(&base) + 9;
    let expected_sum = expected + base["totals"]["solidarity"].as_i64().unwrap();
    let r = app.get(&format!("/api/v1/campaigns/{slug}/tally")).await;
    assert_eq!(r.headers()["cache-control"], "public, max-age=1");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // A stream sees the report arrive.
    let stream = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally/stream")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // (A new connection's stream is answered beside the HTTP server: same headers.)
    assert_eq!(stream.headers()["x-content-type-options"], "nosniff");
    assert!(stream.headers().contains_key("content-security-policy"));
    assert!(stream.headers().contains_key("x-request-id"));
    let mut body = stream.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));
    // On a connection that has served another request, the HTTP route answers, alike.
    let reused = reqwest::Client::new();
    assert_eq!(
        reused
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let other = reused
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally/stream")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.headers()["content-type"], "text/event-stream");
    assert_eq!(other.headers()["x-content-type-options"], "nosniff");
    let mut other = other.bytes_stream();
    let first = other.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));
    let (status, _, _) = problem(
        reqwest::Client::new()
            .get(app.url("/api/v1/campaigns/no-such-campaign/tally/stream"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    report(
        &app,
        &host,
        event,
        &json!({"participants": 3, "items": [{"case": cases[0], "letters": 9}]}),
        None,
    )
    .await;
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut text = String::new();
        while let Some(chunk) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if text.contains(&format!("\"totals\":{{\"letters\":{expected},")) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(seen, "the stream carried the new tally");
    let r = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "a new tally has a new ETag");
    // The pages show it too, and the embeddable counter sets no cookie and may be framed.
    let html = app
        .get(&format!("/campaigns/{slug}/tally"))
        .await
        .text()
        .await
        .unwrap();
    let shown = writeathon::i18n::group_digits(expected, writeathon::i18n::Lang::FALLBACK);
    assert!(html.contains(&format!("data-tally=\"letters\">{shown}<")) && html.contains("<svg"));
    let r = common::browser()
        .get(app.url(&format!("/embed/{slug}/counter")))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors *")
    );
    assert!(r.headers().get("x-frame-options").is_none());
    let sum = writeathon::i18n::group_digits(expected_sum, writeathon::i18n::Lang::FALLBACK);
    assert!(r.text().await.unwrap().contains(&format!(">{sum}<")));
});

story!(the_html_report_form_counts_a_double_submit_once, |app| {
    app.sign_in_as("teacher@example.org", Role::Host).await;
    let teacher = writeathon::accounts::store::find_by_email(&app.db, "teacher@example.org")
        .await
        .unwrap()
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, teacher.id, "t")
        .await
        .unwrap();
    let event = started_event(&app, &token, "Halifax", "CA").await;
    let (status, html) = app.get_text(&format!("/events/{event}/report")).await;
    assert_eq!(status, 200);
    let marker = "name=\"form_token\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let form_token: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let case_id: i64 = {
        let m = "name=\"letters_";
        let s = html.find(m).unwrap() + m.len();
        html[s..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap()
    };
    let letters = format!("letters_{case_id}");
    let fields = [
        ("form_token", form_token.as_str()),
        (letters.as_str(), "12"),
        ("participants", "6"),
        ("highlights", "A good day"),
    ];
    for _ in 0..2 {
        let r = app
            .post_form(&format!("/events/{event}/report"), &fields)
            .await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(app.count_where("reports", "event_id", event).await, 1);
    let html = app
        .get(&format!("/events/{event}/reports"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("A good day"));
    // Bad numbers re-show the form with a message and count nothing.
    let bad = [(letters.as_str(), "-5"), ("participants", "x")];
    let r = app
        .post_form(&format!("/events/{event}/report"), &bad)
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Enter a whole number from 0 to 100,000.") && html.contains("value=\"-5\"")
    );
    assert_eq!(app.count_where("reports", "event_id", event).await, 1);
});
