//! What the API and the host form accept: bad input is refused and changes nothing; the form
//! places a town without JavaScript.

use super::*;

story!(bad_event_input_is_refused_and_changes_nothing, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let before = app.count("events").await;
    let mutations: Vec<(&str, Value, &str)> = vec![
        ("kind", json!("rave"), "kind"),
        ("visibility", json!("secret"), "visibility"),
        ("country", json!("ZZ"), "country"),
        ("region", json!("US-NY"), "region"),
        (
            "ends_at",
            json!(format!("{}T12:00:00-03:30", event_day())),
            "ends_at",
        ),
        ("starts_at", json!("2031-06-01T10:00:00Z"), "starts_at"),
        ("capacity", json!(0), "capacity"),
        ("capacity", json!(1_000_000_000), "capacity"),
        ("latitude", json!(91.0), "latitude"),
        ("longitude", json!(-181.0), "longitude"),
        ("timezone", json!("Mars/Olympus"), "timezone"),
        ("description", json!("x".repeat(10_001)), "description"),
        ("title", json!(""), "title"),
    ];
    for (field, value, error_field) in mutations {
        let mut b = body("Bad", None);
        b[field] = value;
        let (status, _, p) = problem(create(&app, &host, &b).await).await;
        assert_eq!(status, 422, "{field}");
        assert!(p["errors"][error_field][0].is_string(), "{field}: {p}");
    }
    // Wrong types and unknown fields: 400; a megabyte: 413.
    let mut b = body("Bad", None);
    b["capacity"] = json!("forty");
    assert_eq!(problem(create(&app, &host, &b).await).await.0, 400);
    let mut b = body("Bad", None);
    b["secret"] = json!(true);
    assert_eq!(problem(create(&app, &host, &b).await).await.0, 400);
    let mut b = body("Bad", None);
    b["description"] = json!("x".repeat(1024 * 1024));
    assert_eq!(problem(create(&app, &host, &b).await).await.0, 413);
    assert_eq!(app.count("events").await, before);
    // Hostile Markdown is stored as written and shown defused.
    let mut b = body("Careful", None);
    b["description"] = json!(
        "<script>alert(1)</script><iframe src=x></iframe>[x](javascript:alert(1)) <b onclick=alert(1)>hi</b>"
    );
    let created: Value = create(&app, &host, &b).await.json().await.unwrap();
    let html = app
        .get(&format!("/events/{}", created["id"]))
        .await
        .text()
        .await
        .unwrap();
    for bad in ["<script>alert", "<iframe", "href=\"javascript:", "onclick"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // Finder parameters.
    let slug = current_slug();
    for query in [
        "near=abc",
        "near=91,0",
        "radius_km=1000000",
        "kind=rave",
        "limit=1000",
        "cursor=zzz",
        "from=tomorrow",
    ] {
        let (status, _, _) = problem(
            app.get(&format!("/api/v1/campaigns/{slug}/events?{query}"))
                .await,
        )
        .await;
        assert_eq!(status, 422, "{query}");
    }
    let (status, html) = app
        .get_text(&format!("/campaigns/{slug}/events?place=Qwxzzy"))
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("We do not know this town"));
    // RSVP input.
    let created: Value = create(&app, &host, &body("Open", None))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    for (name, email) in [
        ("", "a@example.org"),
        ("Ann", "not-an-email"),
        ("Ann\nBcc: x", "a@example.org"),
    ] {
        let (status, _, _) = problem(rsvp(&app, id, name, email).await).await;
        assert_eq!(status, 422);
    }
    assert_eq!(app.count_where("rsvps", "event_id", id).await, 0);
});

story!(the_host_form_places_a_town_without_javascript, |app| {
    app.sign_in_as("teacher@example.org", Role::Host).await;
    let slug = current_slug();
    let (status, html) = app.get_text(&format!("/campaigns/{slug}/events/new")).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"place\""));
    let form = [
        ("title", "Class 7B writes for rights"),
        ("kind", "school"),
        ("visibility", "public"),
        ("date", &event_day()),
        ("start_time", "09:00"),
        ("end_time", "11:30"),
        ("place", "St. John's"),
        ("country", "CA"),
        ("venue_name", "Holy Heart High"),
        ("address", "55 Bonaventure Ave"),
        ("capacity", "30"),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, *v)).collect();
    let r = app
        .post_form(&format!("/campaigns/{slug}/events"), &form)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = r.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = page.trim_start_matches("/events/").parse().unwrap();
    let view: Value = app
        .get(&format!("/api/v1/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["region"], "CA-NL");
    assert_eq!(view["timezone"], "America/St_Johns");
    assert!((view["latitude"].as_f64().unwrap() - 47.56).abs() < 0.1);
    assert_eq!(view["starts_at"], format!("{}T09:00:00-03:30", event_day()));
    // The host sees the address on the page; the dashboard lists the event.
    let html = app.get(&page).await.text().await.unwrap();
    assert!(html.contains("55 Bonaventure Ave") && html.contains("Attendees"));
    let html = app.get("/host").await.text().await.unwrap();
    assert!(html.contains("Class 7B writes for rights"));
    // Bad input re-shows the form in the visitor's language, keeping what was typed.
    let bad = [
        ("title", "x"),
        ("kind", "school"),
        ("visibility", "public"),
        ("date", "2099-01-01"),
        ("start_time", "25:00"),
        ("end_time", "10:00"),
        ("place", ""),
        ("country", "CA"),
    ];
    let r = app
        .client
        .post(app.url(&format!("/campaigns/{slug}/events")))
        .header("accept-language", "fr")
        .form(&[&[("csrf", app.csrf().await.as_str())][..], &bad[..]].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Saisissez une heure")
            && html.contains("Ce champ est obligatoire")
            && html.contains("value=\"x\"")
    );
    // Someone else cannot open the edit form of a public event.
    let other = common::browser();
    app.add_account("other@example.org", Role::Host, None).await;
    app.sign_in(&other, "other@example.org").await;
    assert_eq!(
        other
            .get(app.url(&format!("/events/{id}/edit")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
});
