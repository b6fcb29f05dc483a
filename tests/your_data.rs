//! People take their data away and delete their account; what nobody asked to keep is erased on
//! schedule (PRIVACY.md).

mod common;

use chrono::Duration;
use common::{TestApp, extract_csrf};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

/// An event of the current campaign: `hours_from_now` until it starts, three hours long.
async fn event(
    app: &TestApp,
    token: &str,
    title: &str,
    hours_from_now: i64,
    capacity: Option<i64>,
) -> i64 {
    let start = app.now() + Duration::hours(hours_from_now);
    let body = json!({"title": title, "kind": "home", "visibility": "public",
        "starts_at": start.to_rfc3339(), "ends_at": (start + Duration::hours(3)).to_rfc3339(),
        "timezone": "UTC", "address": format!("{title} street 9"), "city": "Halifax", "country": "CA",
        "capacity": capacity});
    let r = api(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/campaigns/{}/events", app.current_slug()),
        token,
        Some(body),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn rsvp(app: &TestApp, id: i64, name: &str, email: &str) {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/rsvps")))
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

async fn a_case(app: &TestApp) -> String {
    let cases: Value = app
        .get(&format!("/api/v1/campaigns/{}/cases", app.current_slug()))
        .await
        .json()
        .await
        .unwrap();
    cases[0]["slug"].as_str().unwrap().to_string()
}

/// Letters in the current campaign's world counter.
async fn letters(app: &TestApp) -> i64 {
    sqlx::query(
        "SELECT t.letters FROM tally_counters t JOIN campaigns c ON c.id = t.campaign_id \
         WHERE c.slug = $1 AND t.dimension = 'world'",
    )
    .bind(app.current_slug())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .get(0)
}

story!(download_my_data_holds_mine_and_nobody_elses, |app| {
    let ana = app.token_for("ana@example.org", Role::Host).await;
    let other = app.token_for("other@example.org", Role::Host).await;
    let mine = event(&app, &ana, "Ana's kitchen", -1, None).await;
    let theirs = event(&app, &other, "Other's kitchen", 24, None).await;
    rsvp(&app, theirs, "Ana Guest", "ana@example.org").await;
    rsvp(&app, theirs, "Someone Else", "else@example.org").await;
    let case = a_case(&app).await;
    let r = api(&app, reqwest::Method::POST, &format!("/api/v1/events/{mine}/reports"), &ana,
        Some(json!({"participants": 4, "highlights": "We sang.", "items": [{"case": case, "letters": 12}]}))).await;
    assert_eq!(r.status(), 201);

    let r = api(
        &app,
        reqwest::Method::GET,
        "/api/v1/account/export",
        &ana,
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let data: Value = r.json().await.unwrap();
    assert_eq!(data["account"]["email"], "ana@example.org");
    assert_eq!(
        data["events_hosted"][0]["address"],
        "Ana's kitchen street 9"
    );
    assert_eq!(data["reports"][0]["letters"], 12);
    assert_eq!(data["reports"][0]["highlights"], "We sang.");
    assert_eq!(data["rsvps"].as_array().unwrap().len(), 1);
    assert_eq!(data["rsvps"][0]["name"], "Ana Guest");
    assert_eq!(data["api_tokens"][0]["label"], "test");
    let text = data.to_string();
    for foreign in [
        "Other's kitchen street",
        "else@example.org",
        "Someone Else",
        "argon2",
        "other@example.org",
    ] {
        assert!(!text.contains(foreign), "{foreign} in {text}");
    }
    assert_eq!(
        api(
            &app,
            reqwest::Method::GET,
            "/api/v1/account/export",
            "wa_nonsense",
            None
        )
        .await
        .status(),
        401
    );

    // The page's download is the same document, as an attachment.
    let browser = TestApp::browser_for(&app, "bo@example.org", Role::Host).await;
    let r = browser
        .get(app.url("/account/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let data: Value = r.json().await.unwrap();
    assert_eq!(data["account"]["email"], "bo@example.org");
    let (status, page) = app.get_text("/privacy").await;
    assert_eq!(status, 200);
    assert!(page.contains("What is stored, and why"));
});

story!(
    an_unconfirmed_account_exports_no_rsvps_made_with_its_address,
    |app| {
        let host = app.token_for("host@example.org", Role::Host).await;
        let id = event(&app, &host, "Hosted", 24, None).await;
        rsvp(&app, id, "Victim", "victim@example.org").await;
        // Signed up by someone else with the victim's address, never confirmed.
        let r = app
            .post_form(
                "/signup",
                &[
                    ("display_name", "Eve"),
                    ("email", "victim@example.org"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = app
            .post_form(
                "/signin",
                &[
                    ("email", "victim@example.org"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let data: Value = app.get("/account/export").await.json().await.unwrap();
        assert_eq!(data["rsvps"], json!([]));
        assert!(!data.to_string().contains("Victim"));
        // Nor does deleting that account touch the victim's RSVP.
        let csrf = extract_csrf(&app.get("/account/delete").await.text().await.unwrap());
        let r = app
            .client
            .post(app.url("/account/delete"))
            .form(&[("csrf", csrf.as_str()), ("confirm", "victim@example.org")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(app.count_where("rsvps", "event_id", id).await, 1);
    }
);

story!(delete_my_account_erases_me_and_keeps_the_letters, |app| {
    let staff = app.token_for("staff@example.org", Role::Admin).await;
    let ana_token = app.token_for("ana@example.org", Role::Host).await;
    let past = event(&app, &ana_token, "Past", -2, None).await;
    let future = event(&app, &ana_token, "Future", 48, None).await;
    rsvp(&app, future, "Guest", "guest@example.org").await;
    // Ana is coming to someone else's full event; Cy waits.
    let full = event(&app, &staff, "Full", 24, Some(1)).await;
    rsvp(&app, full, "Ana", "ana@example.org").await;
    rsvp(&app, full, "Cy", "cy@example.org").await;
    let case = a_case(&app).await;
    let r = api(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/events/{past}/reports"),
        &ana_token,
        Some(json!({"participants": 3, "items": [{"case": case, "letters": 7}]})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let before = letters(&app).await;

    let browser = common::browser();
    app.sign_in(&browser, "ana@example.org").await;
    let page = browser
        .get(app.url("/account/delete"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&page);
    // A wrong address changes nothing.
    let r = browser
        .post(app.url("/account/delete"))
        .form(&[("csrf", csrf.as_str()), ("confirm", "someone@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("not the address of your account")
    );
    assert_eq!(
        api(
            &app,
            reqwest::Method::GET,
            "/api/v1/account/export",
            &ana_token,
            None
        )
        .await
        .status(),
        200
    );

    let r = browser
        .post(app.url("/account/delete"))
        .form(&[("csrf", csrf.as_str()), ("confirm", "Ana@Example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Your account is deleted"));
    // Signed out everywhere; the token is dead; the password opens nothing.
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        api(
            &app,
            reqwest::Method::GET,
            "/api/v1/account/export",
            &ana_token,
            None
        )
        .await
        .status(),
        401
    );
    let r = app
        .post_form(
            "/signin",
            &[("email", "ana@example.org"), ("password", common::PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 422);
    let people: i64 = sqlx::query("SELECT COUNT(*) FROM accounts WHERE email = 'ana@example.org' OR display_name = 'Test Person' AND deleted_at IS NOT NULL")
        .fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(people, 0, "no trace of her name or address");
    let rsvps: i64 = sqlx::query("SELECT COUNT(*) FROM rsvps WHERE email = 'ana@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(rsvps, 0);
    let outbox: i64 =
        sqlx::query("SELECT COUNT(*) FROM outbox WHERE recipient = 'ana@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(outbox, 0);
    // Cy moved up and was told; the future event is cancelled and its guest told; the past
    // event's street address is gone, its letters still count.
    let cy: String = sqlx::query("SELECT status FROM rsvps WHERE email = 'cy@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(cy, "confirmed");
    assert!(app.outbox_for("cy@example.org").await.len() >= 2);
    let status: String = sqlx::query("SELECT status FROM events WHERE id = $1")
        .bind(future)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "cancelled");
    assert!(
        app.outbox_for("guest@example.org").await.len() >= 2,
        "the guest heard of it"
    );
    let address: String = sqlx::query("SELECT address FROM events WHERE id = $1")
        .bind(past)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(address, "");
    assert_eq!(letters(&app).await, before);
    assert_eq!(app.count_where("reports", "event_id", past).await, 1);
});

story!(delete_through_the_api, |app| {
    let token = app.token_for("ana@example.org", Role::Host).await;
    let del = |body: Value| {
        api(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/account",
            &token,
            Some(body),
        )
    };
    let (status, _, _) = common::problem(del(json!({"confirm": "nope@example.org"})).await).await;
    assert_eq!(status, 422);
    let (status, _, _) =
        common::problem(del(json!({"confirm": "ana@example.org", "extra": 1})).await).await;
    assert_eq!(status, 400);
    assert_eq!(
        del(json!({"confirm": "ana@example.org"})).await.status(),
        204
    );
    assert_eq!(
        del(json!({"confirm": "ana@example.org"})).await.status(),
        401
    );
});

story!(rsvps_and_mail_are_erased_on_schedule, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let id = event(&app, &host, "Soon", 24, None).await;
    rsvp(&app, id, "Dana Guest", "dana@example.org").await;
    sqlx::query("UPDATE outbox SET status = 'sent', sent_at = created_at")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Counted now: the app's own housekeeping may purge as soon as the clock moves on.
    assert!(app.count("outbox").await > 0);
    let deadline: String = sqlx::query("SELECT report_deadline FROM campaigns WHERE slug = $1")
        .bind(app.current_slug())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    let deadline: chrono::NaiveDate = deadline.parse().unwrap();
    use writeathon::privacy::retention;
    // 89 days after the deadline: kept. 91: erased, the RSVP still counted.
    let until =
        |days: i64| deadline.and_hms_opt(12, 0, 0).unwrap().and_utc() + Duration::days(days);
    app.clock.advance(until(89) - app.now());
    assert_eq!(retention::erase_old_rsvps(&app.db, 90).await.unwrap(), 0);
    let names = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) FROM rsvps WHERE name = 'Dana Guest' OR email = 'dana@example.org'")
                .fetch_one(&pool).await.unwrap().get::<i64, _>(0)
        }
    };
    assert_eq!(names(&app).await, 1);
    app.clock.advance(Duration::days(2));
    let total = app.count("rsvps").await;
    // Erased by this call, or already by the app's housekeeping, which sees the same clock.
    retention::erase_old_rsvps(&app.db, 90).await.unwrap();
    assert_eq!(names(&app).await, 0);
    assert_eq!(app.count("rsvps").await, total, "the RSVPs still count");
    assert_eq!(app.count_where("rsvps", "event_id", id).await, 1);
    // Sent mail older than 30 days is gone (the clock is months on by now).
    retention::purge_old_mail(&app.db).await.unwrap();
    assert_eq!(app.count("outbox").await, 0);
    // .eml files too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.eml"), "x").unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    assert_eq!(
        retention::purge_old_mail_files(dir.path(), now).unwrap(),
        0,
        "a new file stays"
    );
    assert_eq!(
        retention::purge_old_mail_files(dir.path(), now + 31 * 86_400_000).unwrap(),
        1
    );
    assert!(dir.path().join("keep.txt").exists() && !dir.path().join("old.eml").exists());
});
