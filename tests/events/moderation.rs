//! Visitors' flags, taking an event down and putting it back, and safety mode.

use super::*;

story!(reports_moderation_and_safety_mode, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let created: Value = create(&app, &host, &body("Questionable", None))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let r = app
        .post_form(
            &format!("/events/{id}/flags"),
            &[("reason", "This looks like spam")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let staff = TestApp::browser_for(&app, "staff@example.org", Role::Staff).await;
    let html = app.page(&staff, "/staff/moderation").await;
    assert!(html.contains("This looks like spam") && html.contains("Questionable"));
    let unpublish = format!("/staff/events/{id}/unpublish");
    let r = app.submit(&staff, &unpublish, &[("reason", "Spam")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/api/v1/events/{id}")).await.status(), 404);
    assert_eq!(
        common::browser()
            .get(app.url(&format!("/events/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let owner: Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/events/{id}")))
        .bearer_auth(&host)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(owner["status"], "unpublished");
    assert_eq!(owner["moderation_reason"], "Spam");

    // Safety mode: every public point becomes the town, venue names disappear.
    let mut home = body("Kitchen table letters", None);
    home["kind"] = json!("home");
    let created: Value = create(&app, &host, &home).await.json().await.unwrap();
    let hid = created["id"].as_i64().unwrap();
    let public: Value = app
        .get(&format!("/api/v1/events/{hid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["location_approximate"], true);
    assert!(
        public.get("venue_name").is_none(),
        "home venues are never public"
    );
    let km = writeathon::geo::distance_km(
        47.5675,
        -52.7072,
        public["latitude"].as_f64().unwrap(),
        public["longitude"].as_f64().unwrap(),
    );
    assert!(km >= 1.0, "coarsened by {km} km");
    let again: Value = app
        .get(&format!("/api/v1/events/{hid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again["latitude"], public["latitude"],
        "the same point every time"
    );
    let safety = [("country", "CA"), ("on", "1")];
    let r = app.submit(&staff, "/staff/safety", &safety).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let created: Value = create(&app, &host, &body("Church letters", None))
        .await
        .json()
        .await
        .unwrap();
    let cid = created["id"].as_i64().unwrap();
    let public: Value = app
        .get(&format!("/api/v1/events/{cid}"))
        .await
        .json()
        .await
        .unwrap();
    let town = writeathon::geo::find("St. John's", "CA", Some("CA-NL")).unwrap();
    assert_eq!(
        (
            public["latitude"].as_f64().unwrap(),
            public["longitude"].as_f64().unwrap()
        ),
        (town.lat, town.lon)
    );
    assert!(public.get("venue_name").is_none());
    let html = app
        .get(&format!("/events/{cid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("St. Thomas' Church hall") && !html.contains("St. Thomas&#39; Church hall")
    );
});
