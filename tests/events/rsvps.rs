//! Registering an event, finding it, RSVPs with a waitlist that moves up, cancelling by link, and
//! capacity held under concurrent RSVPs.

use super::*;

story!(register_find_rsvp_waitlist_cancel_and_promotion, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let r = create(
        &app,
        &host,
        &body("Letters and soup at St. Thomas", Some(2)),
    )
    .await;
    assert_eq!(r.status(), 201);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/events/{id}"));
    assert_eq!(
        created["address"], "8 Military Rd",
        "the owner view has the address"
    );
    assert_eq!(
        created["starts_at"],
        format!("{}T13:00:00-03:30", event_day())
    );

    // Found near St. John's, by the API and the finder page, with the public view only.
    let slug = current_slug();
    let found: Value = app
        .get(&format!(
            "/api/v1/campaigns/{slug}/events?near=47.56,-52.71&radius_km=10"
        ))
        .await
        .json()
        .await
        .unwrap();
    let hit = found["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .expect("listed");
    assert!(hit.get("address").is_none());
    assert!(hit["distance_km"].as_f64().unwrap() < 2.0);
    let far: Value = app
        .get(&format!(
            "/api/v1/campaigns/{slug}/events?near=45.50,-73.57&radius_km=25"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        far["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != id),
        "not in Montréal"
    );
    let (status, html) = app
        .get_text(&format!("/campaigns/{slug}/events?place=st+johns"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Letters and soup at St. Thomas") && !html.contains("8 Military Rd"));

    // Capacity 2: two confirmed, then the waitlist; the same email twice is the same RSVP.
    let a: Value = rsvp(&app, id, "Ann", "ann@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a["status"], "confirmed");
    assert_eq!(a, json!({"status": "confirmed"}), "no id, no cancel link");
    let again = rsvp(&app, id, "Someone Else", "ANN@example.org").await;
    assert_eq!(again.status(), 201);
    assert!(again.headers().get("location").is_none());
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, a, "a repeat answers exactly as a new RSVP");
    // Ann, not the sender, hears of it: her confirmation again, in her own name.
    let to_ann = app.outbox_for("ann@example.org").await;
    assert_eq!(to_ann.len(), 2, "the confirmation, then the repeat's");
    assert!(to_ann[1].contains("Hello Ann") && !to_ann[1].contains("Someone Else"));
    rsvp(&app, id, "Again", "ann@example.org").await;
    assert_eq!(
        app.outbox_for("ann@example.org").await.len(),
        2,
        "once an hour at most"
    );
    let b: Value = rsvp(&app, id, "Bo", "bo@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["status"], "confirmed");
    let c: Value = rsvp(&app, id, "Cy", "cy@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["status"], "waitlisted");
    let view: Value = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["rsvps"]["confirmed"], 2);
    assert_eq!(view["rsvps"]["waitlisted"], 1);
    assert_eq!(view["rsvps"]["spaces_left"], 0);
    // Full: an attending email is answered "waitlisted" like anyone new, and nothing moves.
    let probe: Value = rsvp(&app, id, "Probe", "ann@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        probe,
        json!({"status": "waitlisted"}),
        "no attendance oracle"
    );
    let after: Value = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["rsvps"], view["rsvps"]);

    // Ann cancels by her secret link; Cy moves up.
    let path = app.mailed_link("ann@example.org", "/rsvps/").await;
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cancel my sign-up"));
    let r = app.post_form(&format!("{path}/cancel"), &[]).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Your sign-up is cancelled.")
    );
    let list: Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/events/{id}/rsvps")))
        .bearer_auth(&host)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status_of = |email: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["email"] == email)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("ann@example.org"), "cancelled");
    assert_eq!(status_of("cy@example.org"), "confirmed");
    // Raising the capacity is a PATCH; nobody is left waiting, so nothing else changes.
    let r = reqwest::Client::new()
        .patch(app.url(&format!("/api/v1/events/{id}")))
        .bearer_auth(&host)
        .json(&json!({"capacity": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let d: Value = rsvp(&app, id, "Di", "di@example.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d["status"], "confirmed");

    // The host's attendee list as CSV, for the host only.
    app.sign_in_as("someone@example.org", Role::Host).await;
    let (status, _) = app.get_text(&format!("/events/{id}/attendees.csv")).await;
    assert_eq!(status, 404);
});

story!(rsvps_never_overshoot_capacity_under_concurrency, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let created: Value = create(&app, &host, &body("Busy evening", Some(5)))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let answers = futures::future::join_all((0..20).map(|i| {
        let app = &app;
        async move {
            rsvp(
                app,
                id,
                &format!("Person {i}"),
                &format!("p{i}@example.org"),
            )
            .await
        }
    }))
    .await;
    let mut confirmed = 0;
    let mut waitlisted = 0;
    for r in answers {
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        match v["status"].as_str().unwrap() {
            "confirmed" => confirmed += 1,
            "waitlisted" => waitlisted += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!((confirmed, waitlisted), (5, 15));
    let view: Value = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["rsvps"]["confirmed"], 5);
});
