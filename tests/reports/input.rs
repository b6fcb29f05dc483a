//! Bad input counts nothing; the HTML form counts a double submit once.

use super::*;

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
