//! The staff console: the events that ended with no report (page, JSON, CSV) and the reminder
//! staff send from it, at most once a day; the exports; the audit trail's page and API. Each is
//! tried as staff of the event's country, of another country, of every country, a host and
//! nobody, with forged ids and filters that make no sense.

mod common;

use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use common::{TestApp, extract_csrf};

/// Someone signed in on the site, with an API token too.
struct Who {
    browser: reqwest::Client,
    token: String,
}

async fn who(app: &TestApp, email: &str, role: Role, country: Option<&str>) -> Who {
    let browser = TestApp::browser_in(app, email, role, country).await;
    let id: i64 = sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "console test")
        .await
        .unwrap();
    Who { browser, token }
}

/// An event registered through the API by `token`: it started an hour ago, ends in two.
async fn event(app: &TestApp, token: &str, title: &str, place: (&str, &str, &str)) -> i64 {
    let now = app.now();
    let body = json!({"title": title, "kind": "cafe", "visibility": "public",
        "city": place.0, "region": place.1, "country": place.2, "timezone": "UTC",
        "language": "en", "address": "1 Main Street",
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339()});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn report(app: &TestApp, token: &str, event: i64, letters: i64) -> i64 {
    let case: String = sqlx::query(
        "SELECT s.slug FROM cases s JOIN campaigns c ON c.id = s.campaign_id \
         WHERE c.slug = $1 ORDER BY s.id LIMIT 1",
    )
    .bind(app.current_slug())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(token)
        .json(&json!({"participants": 4, "items": [{"case": case, "letters": letters, "solidarity": 2}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["report"]["id"]
        .as_i64()
        .unwrap()
}

async fn get(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> (u16, String) {
    let mut request = client.get(app.url(path));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post_form(app: &TestApp, who: &reqwest::Client, path: &str) -> reqwest::Response {
    let csrf = extract_csrf(&app.page(who, "/signin").await);
    who.post(app.url(path))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
}

/// Rows as Python's `csv` module reads them (so a spreadsheet-grade reader agrees with ours).
fn python_rows(text: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
             \x20   print(json.dumps(list(csv.reader(f))))",
        )
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn reminders_for(app: &TestApp, event: i64) -> i64 {
    sqlx::query(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder-host-now' AND dedupe_key LIKE $1",
    )
    .bind(format!("reminder-host-now:{event}:%"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap()
}

story!(
    unreported_events_are_listed_in_scope_and_their_hosts_reminded_once_a_day,
    |app| {
        let slug = app.current_slug();
        let ca_host = app.token_for("host-ca@example.org", Role::Host).await;
        let fr_host = app.token_for("host-fr@example.org", Role::Host).await;
        let ca_quiet = event(
            &app,
            &ca_host,
            "Halifax quiet letters",
            ("Halifax", "CA-NS", "CA"),
        )
        .await;
        let ca_done = event(
            &app,
            &ca_host,
            "Halifax busy letters",
            ("Halifax", "CA-NS", "CA"),
        )
        .await;
        let fr_quiet = event(&app, &fr_host, "Lettres de Lyon", ("Lyon", "FR-ARA", "FR")).await;
        // Three hours on, all three have ended; one has reported.
        app.clock.advance(chrono::Duration::hours(3));
        report(&app, &ca_host, ca_done, 12).await;

        let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
        let fr = who(&app, "staff-fr@example.org", Role::Staff, Some("FR")).await;
        let all = who(&app, "staff-all@example.org", Role::Staff, None).await;
        let host = who(&app, "host-only@example.org", Role::Host, None).await;
        let page = format!("/staff/campaigns/{slug}/unreported");
        let api = format!("/api/v1/campaigns/{slug}/unreported");

        // Staff of Canada: Canada's quiet event with its host's contact; not the one that reported,
        // not France's.
        let (status, html) = get(&ca.browser, &app, &page, None).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Halifax quiet letters") && html.contains("host-ca@example.org"));
        assert!(!html.contains("Halifax busy letters"));
        assert!(!html.contains("Lettres de Lyon") && !html.contains("host-fr@example.org"));
        assert!(html.contains(&format!("/staff/events/{ca_quiet}/remind")));
        // Asking for France is asking for what is not theirs: not found. An unknown code: 422.
        assert_eq!(
            get(&ca.browser, &app, &format!("{page}?country=FR"), None)
                .await
                .0,
            404
        );
        assert_eq!(
            get(&ca.browser, &app, &format!("{page}?country=ZZ"), None)
                .await
                .0,
            422
        );
        assert_eq!(
            get(
                &ca.browser,
                &app,
                "/staff/campaigns/no-such-campaign/unreported",
                None
            )
            .await
            .0,
            404
        );
        // Staff of every country: both, and one country when asked.
        let (_, html) = get(&all.browser, &app, &page, None).await;
        assert!(html.contains("Halifax quiet letters") && html.contains("Lettres de Lyon"));
        let (_, html) = get(&all.browser, &app, &format!("{page}?country=FR"), None).await;
        assert!(!html.contains("Halifax quiet letters") && html.contains("Lettres de Lyon"));
        // A host is refused; nobody is sent to sign in.
        assert_eq!(get(&host.browser, &app, &page, None).await.0, 403);
        assert_eq!(get(&common::browser(), &app, &page, None).await.0, 303);

        // The JSON: Canada's only, with the host's contact.
        let (status, body) = get(&reqwest::Client::new(), &app, &api, Some(&ca.token)).await;
        assert_eq!(status, 200, "{body}");
        let list: Value = serde_json::from_str(&body).unwrap();
        let events = list["events"].as_array().unwrap();
        assert!(events.iter().all(|e| e["country"] == "CA"), "{body}");
        let quiet = events.iter().find(|e| e["id"] == ca_quiet).expect("listed");
        assert_eq!(quiet["host"]["email"], "host-ca@example.org");
        assert!(quiet["last_reminder_at"].is_null());
        assert!(
            !events
                .iter()
                .any(|e| e["id"] == ca_done || e["id"] == fr_quiet)
        );
        let plain = reqwest::Client::new();
        assert_eq!(get(&plain, &app, &api, Some(&host.token)).await.0, 403);
        assert_eq!(get(&plain, &app, &api, None).await.0, 401);
        assert_eq!(
            get(&plain, &app, &format!("{api}?country=FR"), Some(&ca.token))
                .await
                .0,
            404
        );
        assert_eq!(
            get(&plain, &app, &format!("{api}?colour=red"), Some(&ca.token))
                .await
                .0,
            422
        );
        let (_, body) = get(&plain, &app, &format!("{api}?country=FR"), Some(&fr.token)).await;
        assert!(
            body.contains("Lettres de Lyon") && !body.contains("Halifax"),
            "{body}"
        );

        // The CSV: the same events, read back by Python's csv module.
        let (status, text) = get(&ca.browser, &app, &format!("{page}.csv?bom=1"), None).await;
        assert_eq!(status, 200);
        assert!(text.starts_with('\u{feff}'));
        let rows = python_rows(&text);
        assert_eq!(rows[0][0], "event_id");
        assert_eq!(rows.len() - 1, events.len());
        let row = rows.iter().find(|r| r[0] == ca_quiet.to_string()).unwrap();
        assert_eq!(row[1], "Halifax quiet letters");
        assert_eq!(row[9], "host-ca@example.org");
        let (_, text) = get(&plain, &app, &format!("{api}.csv"), Some(&ca.token)).await;
        assert!(!text.contains("host-fr@example.org") && text.contains("host-ca@example.org"));

        // Send a reminder now: one message to the host, in the outbox, and an audit entry.
        let remind = format!("/staff/events/{ca_quiet}/remind");
        // Not France's staff, not a host, not for an event that does not exist.
        assert_eq!(post_form(&app, &fr.browser, &remind).await.status(), 404);
        assert_eq!(post_form(&app, &host.browser, &remind).await.status(), 403);
        assert_eq!(
            post_form(&app, &ca.browser, "/staff/events/999999/remind")
                .await
                .status(),
            404
        );
        assert_eq!(reminders_for(&app, ca_quiet).await, 0);
        let r = post_form(&app, &ca.browser, &remind).await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.ends_with("notice=sent"), "{to}");
        assert_eq!(reminders_for(&app, ca_quiet).await, 1);
        let mail = app.outbox_for("host-ca@example.org").await;
        assert!(
            mail.last()
                .unwrap()
                .contains(&format!("/events/{ca_quiet}/report"))
        );
        assert_eq!(audit_count(&app, "event.remind_host").await, 1);
        // The list says so, and the button is gone for today.
        let (_, html) = get(&ca.browser, &app, &page, None).await;
        assert!(!html.contains(&format!("action=\"{remind}\"")), "{html}");
        let (_, body) = get(&plain, &app, &api, Some(&ca.token)).await;
        assert!(body.contains("\"last_reminder_at\":\"2026-"), "{body}");
        // Twice the same day, by anyone: nothing more.
        let r = post_form(&app, &all.browser, &remind).await;
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("notice=already")
        );
        assert_eq!(reminders_for(&app, ca_quiet).await, 1);
        assert_eq!(audit_count(&app, "event.remind_host").await, 1);
        // An event that reported has nothing to be reminded of.
        let r = post_form(
            &app,
            &ca.browser,
            &format!("/staff/events/{ca_done}/remind"),
        )
        .await;
        assert_eq!(r.status(), 409);
        // The next day, again.
        app.clock.advance(chrono::Duration::days(1));
        let ca = who(&app, "staff-ca2@example.org", Role::Staff, Some("CA")).await;
        let r = post_form(&app, &ca.browser, &remind).await;
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("notice=sent")
        );
        assert_eq!(reminders_for(&app, ca_quiet).await, 2);
        assert_eq!(audit_count(&app, "event.remind_host").await, 2);
    }
);

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
    assert_eq!(
        get(
            &plain,
            &app,
            &format!("{}?bom=maybe", export("reports.csv")),
            Some(&ca.token)
        )
        .await
        .0,
        422
    );
    assert_eq!(
        get(
            &plain,
            &app,
            &format!("{}?since=yesterday", export("reports.csv")),
            Some(&ca.token)
        )
        .await
        .0,
        422
    );
    assert_eq!(
        get(
            &plain,
            &app,
            &format!("{}?country=CA&country=FR", export("reports.csv")),
            Some(&all.token)
        )
        .await
        .0,
        422
    );
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

story!(the_audit_trail_is_read_in_scope_with_filters, |app| {
    let slug = app.current_slug();
    let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
    let fr = who(&app, "staff-fr@example.org", Role::Staff, Some("FR")).await;
    let admin = who(&app, "admin@example.org", Role::Admin, None).await;
    let host = who(&app, "host-only@example.org", Role::Host, None).await;
    let plain = reqwest::Client::new();
    // Two exports, one per country: two entries.
    for (w, c) in [(&ca, "CA"), (&fr, "FR")] {
        let path = format!("/api/v1/campaigns/{slug}/exports/events.csv?country={c}");
        assert_eq!(get(&plain, &app, &path, Some(&w.token)).await.0, 200);
    }
    let (status, body) = get(&plain, &app, "/api/v1/audit", Some(&ca.token)).await;
    assert_eq!(status, 200, "{body}");
    let read: Value = serde_json::from_str(&body).unwrap();
    let entries = read["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{body}");
    assert_eq!(entries[0]["action"], "export.events");
    assert_eq!(entries[0]["after"]["country"], "CA");
    // The admin reads both, and narrows by country, action, campaign.
    let (_, body) = get(
        &plain,
        &app,
        "/api/v1/audit?action=export.",
        Some(&admin.token),
    )
    .await;
    let read: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(read["entries"].as_array().unwrap().len(), 2);
    let (_, body) = get(
        &plain,
        &app,
        &format!("/api/v1/audit?country=FR&campaign={slug}"),
        Some(&admin.token),
    )
    .await;
    let read: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(read["entries"].as_array().unwrap().len(), 1);
    assert_eq!(read["entries"][0]["country"], "FR");
    let (_, body) = get(
        &plain,
        &app,
        "/api/v1/audit?action=event.",
        Some(&admin.token),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["entries"],
        json!([])
    );
    // Paging: one at a time, newest first.
    let (_, body) = get(&plain, &app, "/api/v1/audit?limit=1", Some(&admin.token)).await;
    let first: Value = serde_json::from_str(&body).unwrap();
    let next = first["next_before"].as_i64().expect("a next page");
    let (_, body) = get(
        &plain,
        &app,
        &format!("/api/v1/audit?limit=1&before={next}"),
        Some(&admin.token),
    )
    .await;
    let second: Value = serde_json::from_str(&body).unwrap();
    assert!(
        second["entries"][0]["id"].as_i64().unwrap() < first["entries"][0]["id"].as_i64().unwrap()
    );

    // Refusals.
    assert_eq!(
        get(&plain, &app, "/api/v1/audit?country=FR", Some(&ca.token))
            .await
            .0,
        404
    );
    assert_eq!(
        get(&plain, &app, "/api/v1/audit", Some(&host.token))
            .await
            .0,
        403
    );
    assert_eq!(get(&plain, &app, "/api/v1/audit", None).await.0, 401);
    for bad in [
        "actor=abc",
        "before=-1",
        "subject_id=3",
        "campaign=nope",
        "colour=red",
        "country=ZZ",
    ] {
        let (status, body) = get(
            &plain,
            &app,
            &format!("/api/v1/audit?{bad}"),
            Some(&admin.token),
        )
        .await;
        assert_eq!(status, 422, "{bad}: {body}");
    }

    // The page: the same entries, filters as a form.
    let (status, html) = get(&ca.browser, &app, "/staff/audit", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("export.events") && html.contains("Test Person (#"));
    assert!(
        html.contains("<td>CA</td>") && !html.contains("<td>FR</td>"),
        "{html}"
    );
    let (_, html) = get(&admin.browser, &app, "/staff/audit?country=FR", None).await;
    assert!(html.contains("export.events") && html.contains("<option value=\"FR\" selected>"));
    assert_eq!(
        get(&fr.browser, &app, "/staff/audit?country=CA", None)
            .await
            .0,
        404
    );
    assert_eq!(get(&host.browser, &app, "/staff/audit", None).await.0, 403);
    // The trail itself cannot be changed.
    let changed = sqlx::query("UPDATE audit_log SET action = 'nothing'")
        .execute(&app.db.pool)
        .await;
    assert!(changed.is_err());
});
