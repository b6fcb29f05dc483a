//! Schools: the host of a school event names the school and may list it; the public list shows
//! listed schools of public events by region with their letters, never an unlisted or private
//! one, nor one in a country under safety mode; the host's dashboard shows the class's totals.

use super::*;

/// A school event hosted by `email` (signed in on a browser, with a token); returns (browser, id).
async fn school_event(
    app: &TestApp,
    email: &str,
    title: &str,
    visibility: &str,
) -> (reqwest::Client, String, i64) {
    let browser = TestApp::browser_in(app, email, Role::Host, None).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "t")
        .await
        .unwrap();
    let mut b = body(title, None);
    b["kind"] = json!("school");
    b["visibility"] = json!(visibility);
    // Under way, so its host may report.
    let now = app.now();
    b["starts_at"] = json!((now - chrono::Duration::hours(1)).to_rfc3339());
    b["ends_at"] = json!((now + chrono::Duration::hours(2)).to_rfc3339());
    let created: Value = create(app, &token, &b).await.json().await.unwrap();
    (browser, token, created["id"].as_i64().unwrap())
}

async fn report(app: &TestApp, token: &str, event: i64, letters: i64) {
    let cases: Value = app
        .get(&format!("/api/v1/campaigns/{}/cases", current_slug()))
        .await
        .json()
        .await
        .unwrap();
    let case = cases[0]["slug"].as_str().unwrap();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(token)
        .json(&json!({"participants": 24, "items": [{"case": case, "letters": letters}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

story!(
    schools_are_named_by_their_hosts_and_listed_only_when_they_ask,
    |app| {
        let list = format!("/campaigns/{}/schools", current_slug());
        let (teacher, token, class) =
            school_event(&app, "teacher@example.org", "Class 7B writes", "public").await;
        report(&app, &token, class, 31).await;
        let (_, token2, other_class) =
            school_event(&app, "teacher2@example.org", "Class 8A", "public").await;
        report(&app, &token2, other_class, 12).await;
        let (quiet, _, unlisted) =
            school_event(&app, "quiet@example.org", "Quiet class", "public").await;
        let (private_host, _, private) =
            school_event(&app, "private@example.org", "Private class", "private").await;

        // The host's dashboard shows the class's totals.
        let dashboard = app.page(&teacher, "/host").await;
        assert!(dashboard.contains("31 letters"), "{dashboard}");
        assert!(dashboard.contains(&format!("/events/{class}/school")));

        // Naming and listing; bad input is shown again and changes nothing.
        let path = format!("/events/{class}/school");
        let r = app
            .submit(&teacher, &path, &[("name", ""), ("listed", "on")])
            .await;
        assert_eq!(r.status(), 422);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Name the school to list it.")
        );
        let long = "x".repeat(121);
        let r = app.submit(&teacher, &path, &[("name", &long)]).await;
        assert_eq!(r.status(), 422);
        assert_eq!(app.count("event_schools").await, 0);
        let r = app
            .submit(
                &teacher,
                &path,
                &[("name", "  Harbour   High School "), ("listed", "on")],
            )
            .await;
        assert_eq!(r.status(), 303);
        // Two classes of the same school add up; the name matches whatever its case and accents.
        sqlx::query("INSERT INTO event_schools (event_id, name, listed, updated_at) VALUES ($1, 'harbour high school', 1, 0)")
        .bind(other_class)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let r = app
            .submit(
                &quiet,
                &format!("/events/{unlisted}/school"),
                &[("name", "Quiet Academy")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = app
            .submit(
                &private_host,
                &format!("/events/{private}/school"),
                &[("name", "Hidden Academy"), ("listed", "on")],
            )
            .await;
        assert_eq!(r.status(), 303);
        // Someone else may not name another's school.
        let r = app.submit(&quiet, &path, &[("name", "Taken over")]).await;
        assert_eq!(r.status(), 403);
        // A non-school event has no school page.
        let (faith, faith_token, _) =
            school_event(&app, "faith@example.org", "Choir letters", "public").await;
        let faith_id = create(&app, &faith_token, &body("Choir letters", None))
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            faith
                .get(app.url(&format!("/events/{faith_id}/school")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        // The public list: one line for the school, its classes' letters added up, by region.
        let (status, html) = app.get_text(&list).await;
        assert_eq!(status, 200);
        assert!(html.contains("Harbour High School"), "{html}");
        assert!(html.contains("Newfoundland and Labrador"), "{html}");
        assert!(html.contains(">43<"), "31 + 12 letters: {html}");
        assert!(!html.contains("harbour high school"));
        assert!(!html.contains("Quiet Academy"), "not listed");
        assert!(!html.contains("Hidden Academy"), "a private event's school");
        assert!(!html.contains("8 Military Rd"), "no address");
        let (status, html) = app.get_text(&format!("{list}?country=FR")).await;
        assert_eq!(status, 200);
        assert!(!html.contains("Harbour High School"));
        assert_eq!(app.get(&format!("{list}?country=ZZ")).await.status(), 404);

        // Under safety mode the country's schools leave the list.
        sqlx::query("UPDATE country_settings SET safety_mode = 1 WHERE country = 'CA'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO country_settings (country, safety_mode, updated_at) SELECT 'CA', 1, 0 \
         WHERE NOT EXISTS (SELECT 1 FROM country_settings WHERE country = 'CA')",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let (_, html) = app.get_text(&list).await;
        assert!(!html.contains("Harbour High School"), "{html}");
    }
);
