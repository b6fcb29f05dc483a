//! Who may edit or cancel an event: its host and staff of its country, no one else.

use super::*;

story!(only_owners_and_staff_edit_or_cancel, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let other = app.token_for("other@example.org", Role::Host).await;
    let staff_ca = {
        let id = app
            .add_account("staff-ca@example.org", Role::Staff, Some("CA"))
            .await;
        writeathon::accounts::tokens::issue(&app.db, id, "t")
            .await
            .unwrap()
    };
    let staff_fr = {
        let id = app
            .add_account("staff-fr@example.org", Role::Staff, Some("FR"))
            .await;
        writeathon::accounts::tokens::issue(&app.db, id, "t")
            .await
            .unwrap()
    };
    let created: Value = create(&app, &host, &body("Rights reading", None))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let patch = |token: &str, v: Value| {
        reqwest::Client::new()
            .patch(app.url(&format!("/api/v1/events/{id}")))
            .bearer_auth(token)
            .json(&v)
            .send()
    };
    let (status, _, _) = problem(patch(&other, json!({"title": "Hijacked"})).await.unwrap()).await;
    assert_eq!(status, 403);
    let (status, _, _) = problem(
        patch(&staff_fr, json!({"title": "Hijacked"}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 403);
    let r = patch(&staff_ca, json!({"title": "Rights reading (moved)"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cancel = |token: &str| {
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{id}/cancel")))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(cancel(&other).await.unwrap().status(), 403);
    let r = cancel(&host).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "cancelled");
    // Cancelled: kept in history, gone from the finder, no more RSVPs.
    let found: Value = app
        .get(&format!(
            "/api/v1/campaigns/{}/events?near=47.56,-52.71",
            current_slug()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        found["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != id)
    );
    assert_eq!(
        rsvp(&app, id, "Late", "late@example.org").await.status(),
        404
    );
    let (status, html) = app.get_text(&format!("/events/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("This event has been cancelled.") && !html.contains("Sign me up"));
    // Private events are the host's alone.
    let mut private = body("Family letters", None);
    private["visibility"] = json!("private");
    private["kind"] = json!("home");
    let created: Value = create(&app, &host, &private).await.json().await.unwrap();
    let pid = created["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/events/{pid}")).await.status(),
        404
    );
    assert_eq!(rsvp(&app, pid, "X", "x@example.org").await.status(), 404);
    let (status, _, _) = problem(patch(&other, json!({"title": "x"})).await.unwrap()).await;
    assert_eq!(status, 403, "the public event's edit is refused");
    let r = reqwest::Client::new()
        .patch(app.url(&format!("/api/v1/events/{pid}")))
        .bearer_auth(&other)
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        404,
        "the private event's existence is not revealed"
    );
    assert_eq!(
        rsvp(&app, 999_999, "X", "x@example.org").await.status(),
        404
    );
});
