//! Stories about events: register, find, RSVP, waitlist, cancel, rights, moderation, safety mode.

mod common;

use common::{TestApp, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

/// A day inside the current campaign's window, as `YYYY-MM-DD`.
fn event_day() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    g.to_string()
}

fn body(title: &str, capacity: Option<i64>) -> Value {
    let day = event_day();
    json!({"title": title, "kind": "faith", "visibility": "public",
        "starts_at": format!("{day}T13:00:00-03:30"), "ends_at": format!("{day}T16:00:00-03:30"),
        "timezone": "America/St_Johns", "venue_name": "St. Thomas' Church hall", "address": "8 Military Rd",
        "city": "St. John's", "region": "CA-NL", "country": "CA", "latitude": 47.5675, "longitude": -52.7072,
        "capacity": capacity, "accessibility": "Step-free entrance", "step_free": true,
        "description": "Markdown **text**", "language": "en"})
}

async fn create(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn rsvp(app: &TestApp, id: i64, name: &str, email: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/rsvps")))
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap()
}

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
    let page_html = other
        .get(app.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::extract_csrf(&page_html);
    other
        .post(app.url("/signin"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "other@example.org"),
            ("password", common::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
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
    let html = staff
        .get(app.url("/staff/moderation"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("This looks like spam") && html.contains("Questionable"));
    let token = common::extract_csrf(&html);
    let r = staff
        .post(app.url(&format!("/staff/events/{id}/unpublish")))
        .form(&[("csrf", token.as_str()), ("reason", "Spam")])
        .send()
        .await
        .unwrap();
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
    let html = staff
        .get(app.url("/staff/moderation"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = common::extract_csrf(&html);
    let r = staff
        .post(app.url("/staff/safety"))
        .form(&[("csrf", token.as_str()), ("country", "CA"), ("on", "1")])
        .send()
        .await
        .unwrap();
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

story!(calendars_and_feeds, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let created: Value = create(&app, &host, &body("Advent letters", None))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let r = app.get(&format!("/events/{id}/calendar.ics")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = r.text().await.unwrap();
    assert!(
        ics.contains("BEGIN:VCALENDAR")
            && ics.contains("SUMMARY:Advent letters")
            && ics.contains("END:VEVENT")
    );
    assert!(
        !ics.contains("8 Military Rd"),
        "the public calendar has no street address"
    );
    let slug = current_slug();
    let ics = app
        .get(&format!("/campaigns/{slug}/events.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("Advent letters"));
    let atom = app
        .get(&format!("/campaigns/{slug}/events.atom"))
        .await
        .text()
        .await
        .unwrap();
    assert!(atom.contains("<feed") && atom.contains("Advent letters"));
    let places: Value = app
        .client
        .get(app.url("/api/v1/places?q=montreal"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(places[0]["name"], "Montréal");
    assert_eq!(places[0]["label"], "Montréal, Québec, Canada");
});
