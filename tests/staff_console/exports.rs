//! Exports: scoped, formula-safe, audited.

#![allow(unused_imports)]
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::*;
use crate::story;

story!(exports_are_scoped_formula_safe_and_audited, |app| {
    let slug = app.current_slug();
    let ca_host = app.token_for("host-ca@example.org", Role::Host).await;
    let fr_host = app.token_for("host-fr@example.org", Role::Host).await;
    let title = "=HYPERLINK(\"http://evil.example\",\"click\")";
    let ca_event = event(&app, &ca_host, title, ("Halifax", "CA-NS", "CA")).await;
    let fr_event = event(
        &app,
        &fr_host,
        "＝1+1 à Lyon, \"salle\" 2",
        ("Lyon", "FR-ARA", "FR"),
    )
    .await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{ca_event}/rsvps")))
        .json(&json!({"name": "@Ana \"A\", -2", "email": "ana@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let ca_report = report(&app, &ca_host, ca_event, 17).await;
    report(&app, &fr_host, fr_event, 5).await;

    let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
    let all = who(&app, "staff-all@example.org", Role::Admin, None).await;
    let host = who(&app, "host-only@example.org", Role::Host, None).await;
    let plain = reqwest::Client::new();
    let export = |file: &str| format!("/api/v1/campaigns/{slug}/exports/{file}");

    // Events: Canada's staff get Canada's, the formula defused, read back whole by Python.
    let (status, text) = get(&plain, &app, &export("events.csv"), Some(&ca.token)).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.starts_with('\u{feff}'));
    let rows = python_rows(&text);
    assert_eq!(rows[0][..3], ["id", "title", "kind"]);
    assert!(rows[1..].iter().all(|r| r[12] == "CA"), "only Canada");
    let row = rows
        .iter()
        .find(|r| r[0] == ca_event.to_string())
        .expect("the event");
    assert_eq!(row[1], format!("'{title}"));
    assert_eq!(row[16], "host-ca@example.org");
    assert_eq!(row[19], "17");
    assert!(!rows.iter().any(|r| r[0] == fr_event.to_string()));
    // No cell of any export starts a formula.
    let formula = |cell: &str| {
        cell.trim_start_matches([' ', '\u{3000}'])
            .starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
    };
    // Every country's, with a byte order mark: France's full-width formula defused too.
    let (status, text) = get(
        &plain,
        &app,
        &format!("{}?bom=1", export("events.csv")),
        Some(&all.token),
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.starts_with('\u{feff}'));
    let rows = python_rows(&text);
    let row = rows
        .iter()
        .find(|r| r[0] == fr_event.to_string())
        .expect("France's event");
    assert_eq!(row[1], "'＝1+1 à Lyon, \"salle\" 2");
    for r in &rows {
        assert!(r.iter().all(|c| !formula(c)), "{r:?}");
    }
    // RSVPs: the name as given, defused.
    let (_, text) = get(&plain, &app, &export("rsvps.csv"), Some(&ca.token)).await;
    let rows = python_rows(&text);
    let row = rows
        .iter()
        .find(|r| r[5] == "ana@example.org")
        .expect("the RSVP");
    assert_eq!(row[4], "'@Ana \"A\", -2");
    assert_eq!(row[1], ca_event.to_string());
    // Reports: one row per item.
    let (_, text) = get(
        &plain,
        &app,
        &format!("{}?country=CA", export("reports.csv")),
        Some(&all.token),
    )
    .await;
    let rows = python_rows(&text);
    let row = rows
        .iter()
        .find(|r| r[0] == ca_report.to_string())
        .expect("the report");
    assert_eq!(
        (row[8].as_str(), row[9].as_str(), row[12].as_str()),
        ("17", "2", "current")
    );
    assert!(rows[1..].iter().all(|r| r[6] == "CA"));
    // The site's own link, for staff signed in.
    let (status, text) = get(
        &ca.browser,
        &app,
        &format!("/staff/campaigns/{slug}/exports/reports.csv"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(text.contains(&format!("{ca_report},{ca_event},")));

    // Refusals: another country (404), a host (403), nobody (401), filters that make no sense
    // (422), an export that does not exist (404); none of them is recorded as an export.
    let before = audit_count(&app, "export.reports").await;
    assert_eq!(
        get(
            &plain,
            &app,
            &format!("{}?country=FR", export("reports.csv")),
            Some(&ca.token)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get(&plain, &app, &export("reports.csv"), Some(&host.token))
            .await
            .0,
        403
    );
    assert_eq!(get(&plain, &app, &export("reports.csv"), None).await.0, 401);
    // Filters that make no sense: 422, each.
    for (query, who) in [
        ("bom=maybe", &ca),
        ("since=yesterday", &ca),
        ("country=CA&country=FR", &all),
    ] {
        let path = format!("{}?{query}", export("reports.csv"));
        let (status, _) = get(&plain, &app, &path, Some(&who.token)).await;
        assert_eq!(status, 422, "{query}");
    }
    assert_eq!(
        get(&plain, &app, &export("passwords.csv"), Some(&ca.token))
            .await
            .0,
        404
    );
    assert_eq!(
        get(
            &plain,
            &app,
            "/api/v1/campaigns/nope/exports/events.csv",
            Some(&ca.token)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get(
            &host.browser,
            &app,
            &format!("/staff/campaigns/{slug}/exports/events.csv"),
            None
        )
        .await
        .0,
        403
    );
    assert_eq!(audit_count(&app, "export.reports").await, before);

    // Each export is in the audit trail: who, what, with which filters.
    assert_eq!(audit_count(&app, "export.events").await, 2);
    assert_eq!(audit_count(&app, "export.rsvps").await, 1);
    assert_eq!(audit_count(&app, "export.reports").await, 2);
    let row = sqlx::query(
        "SELECT a.email, l.country, l.after_state FROM audit_log l JOIN accounts a ON a.id = l.actor_id \
         WHERE l.action = 'export.events' ORDER BY l.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>(0), "staff-ca@example.org");
    assert_eq!(row.get::<Option<String>, _>(1).as_deref(), Some("CA"));
    let after: Value = serde_json::from_str(&row.get::<String, _>(2)).unwrap();
    assert_eq!(
        after,
        json!({"export": "events", "country": "CA", "bom": false})
    );
});
