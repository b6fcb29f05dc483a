//! Staff act within their scope. Staff of one country (here France) may not see or change another
//! country's events, reports, attendees or mail, nor move an event they look after into another
//! country, nor change campaigns and cases (shared by every country). One table walks every staff
//! route and every API endpoint that grants staff powers: each row is tried first by someone
//! outside the scope (403 or 404, and nothing in the database changes), then by someone inside it
//! (staff of Canada, staff of every country), who must succeed, so refusing everyone fails.
//! The `/staff…` routes of the routers in `src/` are read from the source, so a new one without a
//! row here fails the test too.

#[path = "../common/mod.rs"]
mod common;
mod harness;

use harness::*;
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

story!(staff_act_only_within_their_scope, |app| {
    let slug = app.current_slug();
    let fr = person(&app, "staff-fr@example.org", Role::Staff, Some("FR")).await;
    let ca = person(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
    let all = person(&app, "staff-all@example.org", Role::Staff, None).await;
    let who = |w: Staff| match w {
        Staff::Fr => &fr,
        Staff::Ca => &ca,
        Staff::All => &all,
    };

    // Canada: a public event with an attendee, a report and a visitor's flag; a private one.
    let ca_host = app.token_for("host-ca@example.org", Role::Host).await;
    let mut body = place("Halifax", "CA-NS", "CA");
    body["title"] = json!("Halifax letters");
    body["kind"] = json!("school");
    body["visibility"] = json!("public");
    body["address"] = json!("1 Public Road");
    let ca_pub = event(&app, &ca_host, body.clone()).await;
    body["title"] = json!("Kitchen letters");
    body["visibility"] = json!("private");
    body["address"] = json!("CA-PRIVATE-ADDRESS 7 Hidden Lane");
    let ca_priv = event(&app, &ca_host, body).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{ca_pub}/rsvps")))
        .json(&json!({"name": "Attendee Of Halifax", "email": "attendee-ca@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let case: String = sqlx::query(
        "SELECT s.slug FROM cases s JOIN campaigns c ON c.id = s.campaign_id \
         WHERE c.slug = $1 ORDER BY s.id LIMIT 1",
    )
    .bind(&slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let case_id: i64 = sqlx::query("SELECT id FROM cases WHERE slug = $1")
        .bind(&case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    // Two reports: one voided through the API, the other on the site.
    let mut reports = Vec::new();
    for participants in [8, 5] {
        let items = json!([{"case": case, "letters": 12, "solidarity": 3}]);
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{ca_pub}/reports")))
            .bearer_auth(&ca_host)
            .json(&json!({"participants": participants, "items": items}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let id = r.json::<Value>().await.unwrap()["report"]["id"].as_i64();
        reports.push(id.expect("the report's id"));
    }
    let (report, report2) = (reports[0], reports[1]);
    // A third with highlights, for staff to feature as a story.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{ca_pub}/reports")))
        .bearer_auth(&ca_host)
        .json(
            &json!({"participants": 4, "highlights": "The choir sang between letters.",
            "items": [{"case": case, "letters": 2}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let story = r.json::<Value>().await.unwrap()["report"]["id"]
        .as_i64()
        .expect("the report's id");
    let r = app
        .post_form(
            &format!("/events/{ca_pub}/flags"),
            &[("reason", "CA-FLAG-REASON this looks wrong")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let flag: i64 = sqlx::query("SELECT id FROM event_flags WHERE event_id = $1")
        .bind(ca_pub)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();

    // Canada: an event that ended yesterday with no report, for staff to chase.
    let mut body = place("Halifax", "CA-NS", "CA");
    body["title"] = json!("Halifax past letters");
    body["kind"] = json!("cafe");
    body["visibility"] = json!("public");
    let ca_past = event(&app, &ca_host, body).await;
    let yesterday = app.db.now_ms() - 24 * 3600 * 1000;
    sqlx::query("UPDATE events SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(yesterday - 3 * 3600 * 1000)
        .bind(yesterday)
        .bind(ca_past)
        .execute(&app.db.pool)
        .await
        .unwrap();

    // France: two events its staff look after.
    let fr_host = app.token_for("host-fr@example.org", Role::Host).await;
    let mut body = place("Paris", "FR-IDF", "FR");
    body["title"] = json!("Lettres à Paris");
    body["kind"] = json!("library");
    body["visibility"] = json!("public");
    let fr_api = event(&app, &fr_host, body.clone()).await;
    let fr_form = event(&app, &fr_host, body).await;

    // A failed message of each country (the hosts' welcome mail).
    let mut failed = std::collections::HashMap::new();
    for id in [ca_priv, fr_api] {
        let outbox: i64 = sqlx::query(
            "UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'mailbox full' \
             WHERE dedupe_key = $1 RETURNING id",
        )
        .bind(format!("host-registered:{id}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
        failed.insert(id, outbox);
    }

    let photos = [
        photo(&app, &ca_host, ca_pub, 1).await,
        photo(&app, &ca_host, ca_pub, 2).await,
        photo(&app, &ca_host, ca_pub, 3).await,
        photo(&app, &ca_host, ca_pub, 4).await,
        photo(&app, &ca_host, ca_pub, 5).await,
    ];
    let ticked = photos[2].to_string();

    let campaign: Value = app
        .get(&format!("/api/v1/campaigns/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    let text = |field: &str| campaign[field].as_str().unwrap().to_string();
    let (intro, day, starts, ends) = (
        text("intro"),
        text("global_day"),
        text("starts_on"),
        text("ends_on"),
    );
    let (deadline, goal) = (text("report_deadline"), campaign["goal"].to_string());
    let campaign_form = |title: &str| {
        form(&[
            ("language", "en"),
            ("slug", "ignored"),
            ("title", title),
            ("intro", &intro),
            ("global_day", &day),
            ("starts_on", &starts),
            ("ends_on", &ends),
            ("report_deadline", &deadline),
            ("goal", &goal),
        ])
    };
    let new_campaign = |slug: &str| {
        form(&[
            ("language", "en"),
            ("slug", slug),
            ("title", "Write for Rights 2031"),
            ("global_day", "2031-12-10"),
            ("starts_on", "2031-11-20"),
            ("ends_on", "2031-12-31"),
            ("report_deadline", "2032-01-31"),
            ("goal", "1000"),
        ])
    };
    let case_form = |address: &str| {
        form(&[
            ("language", "en"),
            ("slug", "scope-test"),
            ("name", "Scope Test"),
            ("country", "CA"),
            ("summary", "A case for the test."),
            ("authority_name", "Minister Example"),
            ("authority_title", "Minister"),
            ("authority_address", address),
            ("salutation", "Dear Minister,"),
            ("sample_letter", "Please act."),
            ("solidarity", "Cards to PO Box 1."),
        ])
    };
    let case_json = |slug: &str| {
        json!({"slug": slug, "name": "Scope Api", "country": "CA", "summary": "A case.",
            "authority": {"name": "Minister", "title": "", "address": "1 Rue", "salutation": "Dear Minister,"}})
    };
    let campaign_json = |slug: &str| {
        json!({"slug": slug, "title": "W4R 2032", "global_day": "2032-12-10", "starts_on": "2032-11-20",
            "ends_on": "2032-12-31", "report_deadline": "2033-01-31", "goal": 10})
    };
    let letters_field: &'static str = Box::leak(format!("letters_{case_id}").into_boxed_str());
    let post = |v: Value| Send::Json(Method::POST, v);
    let patch = |v: Value| Send::Json(Method::PATCH, v);
    let put = |v: Value| Send::Json(Method::PUT, v);
    use Expect::{Change, Listed, Read};
    let c = &slug;
    let l = letters_field;
    let update = [
        ("language", "en"),
        ("happened_on", "2026-11-19"),
        ("status", "good_news"),
        ("note", "Released."),
    ];
    let one = |n: i64| json!({"participants": 2, "items": [{"case": case, "letters": n}]});
    let to_halifax = json!({"city": "Halifax", "region": "CA-NS", "country": "CA"});
    let attendee = || Read("attendee-ca@example.org".into());
    // (A table reads best one row a line.)
    // Campaigns and cases: staff of every country only.
    #[rustfmt::skip]
    let global = vec![
        ("GET /staff", 0, Send::Get, Listed(format!("/staff/campaigns/{c}/cases/new"))),
        ("GET /staff/campaigns/new", 0, Send::Get, Read("action=\"/staff/campaigns\"".into())),
        ("POST /staff/campaigns", 0, new_campaign("w4r-2031"), Change(303)),
        ("GET /staff/campaigns/{campaign}/edit", 0, Send::Get, Read(format!("{c}/edit\""))),
        ("POST /staff/campaigns/{campaign}/edit", 0, campaign_form("Edited"), Change(303)),
        ("GET /staff/campaigns/{campaign}/cases/new", 0, Send::Get, Read(format!("{c}/cases\""))),
        ("POST /staff/campaigns/{campaign}/cases", 0, case_form("1 Example St"), Change(303)),
        ("GET /staff/campaigns/{campaign}/cases/{case}/edit", 0, Send::Get, Read("1 Example St".into())),
        ("POST /staff/campaigns/{campaign}/cases/{case}/edit", 0, case_form("2 Other Ave"), Change(303)),
        ("POST /staff/campaigns/{campaign}/cases/{case}/updates", 0, form(&update), Change(303)),
        ("POST /api/v1/campaigns", 0, post(campaign_json("w4r-2032")), Change(201)),
        ("POST /api/v1/campaigns/{campaign}/cases", 0, post(case_json("scope-api")), Change(201)),
        ("POST /staff/campaigns/{campaign}/actions/invalidate", 0, form(&[("kind", "network"), ("key", "demo-0")]), Change(303)),
        ("GET /staff/campaigns/{campaign}/recap", 0, Send::Get, Read(format!("{c}/recap/publish\""))),
        ("POST /staff/campaigns/{campaign}/recap", 0, form(&[("language", "en"), ("introduction", "Scope"), ("map_country", "CA")]), Change(303)),
        ("POST /staff/campaigns/{campaign}/recap/publish", 0, form(&[("publish", "1")]), Change(303)),
    ];
    // Canada's flags, events, mail, attendees and reports: staff of Canada.
    #[rustfmt::skip]
    let canada = vec![
        ("GET /staff/moderation", 0, Send::Get, Listed("CA-FLAG-REASON".into())),
        ("POST /staff/flags/{id}/dismiss", flag, form(&[]), Change(303)),
        ("POST /staff/events/{id}/unpublish", ca_pub, form(&[("reason", "Spam")]), Change(303)),
        ("POST /staff/events/{id}/republish", ca_pub, form(&[]), Change(303)),
        ("GET /staff/mail", 0, Send::Get, Listed("host-ca@example.org".into())),
        ("POST /staff/mail/{id}/resend", failed[&ca_priv], form(&[]), Change(303)),
        ("GET /events/{id}", ca_priv, Send::Get, Read("CA-PRIVATE-ADDRESS".into())),
        ("GET /events/{id}/edit", ca_priv, Send::Get, Read("CA-PRIVATE-ADDRESS".into())),
        ("POST /events/{id}/edit", ca_priv, edit_form("Edited", "private", HALIFAX, &app), Change(303)),
        ("GET /events/{id}/attendees", ca_pub, Send::Get, attendee()),
        ("GET /events/{id}/attendees.csv", ca_pub, Send::Get, attendee()),
        ("GET /events/{id}/report", ca_priv, Send::Get, Read(format!("name=\"{l}\""))),
        ("POST /events/{id}/report", ca_priv, form(&[("participants", "4"), (l, "9")]), Change(303)),
        ("GET /events/{id}/reports", ca_pub, Send::Get, Read(format!("/reports/{report}/edit"))),
        ("GET /reports/{id}/edit", report, Send::Get, Read(format!("/reports/{report}/void"))),
        ("POST /reports/{id}/edit", report, form(&[("participants", "9"), (l, "14")]), Change(303)),
        ("GET /api/v1/events/{id}", ca_priv, Send::Get, Read("9 Edited Street".into())),
        ("PATCH /api/v1/events/{id}", ca_priv, patch(json!({"title": "Patched"})), Change(200)),
        ("GET /api/v1/events/{id}/rsvps", ca_pub, Send::Get, attendee()),
        ("GET /api/v1/events/{id}/reports", ca_pub, Send::Get, Read("\"participants\":9".into())),
        ("POST /api/v1/events/{id}/reports", ca_pub, post(one(1)), Change(201)),
        ("PUT /api/v1/reports/{id}", report, put(one(15)), Change(200)),
        ("POST /api/v1/reports/{id}/void", report, post(json!({"reason": "Twice"})), Change(200)),
        ("POST /reports/{id}/void", report2, form(&[("void_reason", "Twice")]), Change(303)),
        ("POST /staff/stories/{id}/feature", story, form(&[]), Change(303)),
        ("POST /staff/stories/{id}/unfeature", story, form(&[]), Change(303)),
        ("POST /api/v1/reports/{id}/feature", story, post(json!({})), Change(200)),
        ("DELETE /api/v1/reports/{id}/feature", story, Send::Json(Method::DELETE, json!({})), Change(200)),
        ("GET /staff/campaigns/{campaign}/unreported", 0, Send::Get, Listed("Halifax past letters".into())),
        ("GET /staff/campaigns/{campaign}/unreported.csv", 0, Send::Get, Listed("Halifax past letters".into())),
        ("GET /api/v1/campaigns/{campaign}/unreported", 0, Send::Get, Listed("Halifax past letters".into())),
        ("GET /api/v1/campaigns/{campaign}/unreported.csv", 0, Send::Get, Listed("Halifax past letters".into())),
        ("POST /staff/events/{id}/remind", ca_past, form(&[]), Change(303)),
        ("GET /staff/audit", 0, Send::Get, Listed("event.remind_host".into())),
        ("GET /staff/campaigns/{campaign}/actions", 0, Send::Get, Listed("Scope Test".into())),
        ("GET /staff/campaigns/{campaign}/cases/{case}/actions.csv", 0, Send::Get, Read("name,country,message,confirmed_at".into())),
        ("GET /api/v1/campaigns/{campaign}/cases/{case}/actions.csv", 0, Send::Get, Read("name,country,message,confirmed_at".into())),
        ("GET /staff/campaigns/{campaign}/cases/{case}/petition.pdf", 0, Send::Get, Read("%PDF".into())),
        ("POST /staff/campaigns/{campaign}/cases/{case}/deliveries", 0, form(&[("delivered_on", "2026-12-11"), ("method", "By hand")]), Change(303)),
        ("GET /staff/campaigns/{campaign}/dashboard", 0, Send::Get, Listed("Nova Scotia".into())),
        ("GET /api/v1/audit", 0, Send::Get, Listed("event.remind_host".into())),
        ("GET /staff/campaigns/{campaign}/exports/{file}", 0, Send::Get, Listed("host-ca@example.org".into())),
        ("GET /api/v1/campaigns/{campaign}/exports/{file}", 0, Send::Get, Listed("host-ca@example.org".into())),
        ("GET /staff/photos", 0, Send::Get, Listed(format!("value=\"{}\"", photos[0]))),
        ("POST /staff/photos/{id}/approve", photos[0], form(&[]), Change(303)),
        ("POST /staff/photos/{id}/reject", photos[1], form(&[("reason", "Blurry photo")]), Change(303)),
        ("POST /staff/photos/{id}/take-down", photos[0], form(&[("reason", "Asked to")]), Change(303)),
        ("POST /staff/photos/{id}/alt", photos[0], form(&[("alt", "A choir singing")]), Change(303)),
        ("POST /staff/photos/approve", 0, form(&[("photo", &ticked)]), Change(303)),
        ("POST /api/v1/photos/{id}/approve", photos[3], post(json!({})), Change(200)),
        ("POST /api/v1/photos/{id}/reject", photos[4], post(json!({"reason": "Blurry"})), Change(200)),
        ("POST /api/v1/photos/{id}/take-down", photos[3], post(json!({"reason": "Asked"})), Change(200)),
    ];
    // Moving an event France's staff look after into Canada: staff of every country only.
    #[rustfmt::skip]
    let moves = vec![
        ("PATCH /api/v1/events/{id}", fr_api, patch(to_halifax), Change(200)),
        ("POST /events/{id}/edit", fr_form, edit_form("Lettres", "public", HALIFAX, &app), Change(303)),
    ];
    // Safety mode, then cancelling: last, they change what the rows above rely on.
    #[rustfmt::skip]
    let last = vec![
        ("POST /staff/safety", 0, form(&[("country", "CA"), ("on", "1")]), Change(303)),
        ("POST /api/v1/events/{id}/cancel", ca_priv, post(json!({})), Change(200)),
        ("POST /events/{id}/cancel", ca_pub, form(&[]), Change(303)),
    ];
    let mut steps = rows(c, Staff::All, global);
    steps.extend(rows(c, Staff::Ca, canada));
    steps.extend(rows(c, Staff::All, moves));
    steps.extend(rows(c, Staff::Ca, last));

    // Every staff route of the routers, and every route with staff powers, has a row.
    let covered: std::collections::HashSet<&str> = steps.iter().map(|s| s.route).collect();
    for route in staff_routes_in_source()
        .iter()
        .map(String::as_str)
        .chain(STAFF_POWERS.iter().copied())
    {
        assert!(covered.contains(route), "no row in the table for {route}");
    }

    for s in &steps {
        let name = format!("{} ({})", s.route, s.path);
        let before = state_of(&app).await;
        let (status, body) = send(&app, who(s.outside), s).await;
        match &s.expect {
            Expect::Listed(text) => {
                assert_eq!(status, 200, "{name} for {:?}", s.outside);
                assert!(
                    !body.contains(text.as_str()),
                    "{name}: {:?} sees {text:?}",
                    s.outside
                );
            }
            _ => {
                assert!(
                    status == 403 || status == 404,
                    "{name}: {:?} was answered {status}: {body}",
                    s.outside
                );
                assert!(
                    !body.contains("This form has expired"),
                    "{name}: refused for its CSRF token"
                );
            }
        }
        if let Expect::Read(text) = &s.expect {
            assert!(
                !body.contains(text.as_str()),
                "{name}: the refusal shows {text:?}"
            );
        }
        assert!(
            state_of(&app).await == before,
            "{name}: {:?} changed something",
            s.outside
        );

        let (status, body) = send(&app, who(s.inside), s).await;
        match &s.expect {
            Expect::Change(expected) => {
                assert_eq!(status, *expected, "{name} for {:?}: {body}", s.inside);
                assert!(
                    state_of(&app).await != before,
                    "{name}: {:?} changed nothing",
                    s.inside
                );
            }
            Expect::Read(text) | Expect::Listed(text) => {
                assert_eq!(status, 200, "{name} for {:?}", s.inside);
                assert!(
                    body.contains(text.as_str()),
                    "{name}: {:?} does not see {text:?}",
                    s.inside
                );
            }
        }
    }

    // The moved events are in Canada now, moved by staff of every country.
    for id in [fr_api, fr_form] {
        let e = writeathon::events::store::get(&app.db, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((e.country.as_str(), e.city.as_str()), ("CA", "Halifax"));
    }
    // Staff of France still act on France: they see its mail and keep its events in France.
    let fr_mail = fr
        .browser
        .get(app.url("/staff/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fr_mail.contains("host-fr@example.org"), "{fr_mail}");
    let fr_event = event(&app, &fr_host, {
        let mut b = place("Lyon", "FR-ARA", "FR");
        b["title"] = json!("Lettres à Lyon");
        b["kind"] = json!("library");
        b["visibility"] = json!("public");
        b
    })
    .await;
    let r = fr
        .browser
        .patch(app.url(&format!("/api/v1/events/{fr_event}")))
        .bearer_auth(&fr.token)
        .json(&json!({"title": "Lettres à Lyon, salle 2", "city": "Villeurbanne"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
});

story!(
    mail_queued_before_countries_takes_its_country_from_its_key,
    |app| {
        // Rows as the outbox held them before it had a country: the migration's backfill fills
        // those whose dedupe key names an event, an RSVP or a staff member.
        let host = app.token_for("host@example.org", Role::Host).await;
        let mut body = place("Halifax", "CA-NS", "CA");
        body["title"] = json!("Letters");
        body["kind"] = json!("school");
        body["visibility"] = json!("public");
        let event = event(&app, &host, body).await;
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{event}/rsvps")))
            .json(&json!({"name": "Ana", "email": "ana@example.org"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        // (The answer carries no id: it reads the same whoever's email it was.)
        let rsvp: i64 = sqlx::query("SELECT id FROM rsvps WHERE email = 'ana@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        let staff = app
            .add_account("staff-be@example.org", Role::Staff, Some("BE"))
            .await;
        sqlx::query("UPDATE outbox SET country = NULL")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let keys = [
            (format!("reminder-host-after:{event}"), Some("CA")),
            (format!("reminder-host-deadline:{event}"), Some("CA")),
            (
                format!("event-cancelled:{event}:ana@example.org"),
                Some("CA"),
            ),
            (format!("reminder-attendee:{rsvp}"), Some("CA")),
            (format!("staff-digest:{staff}:2026-W47"), Some("BE")),
            ("something-else:1".to_string(), None),
        ];
        for (n, (key, _)) in keys.iter().enumerate() {
            sqlx::query(
            "INSERT INTO outbox (kind, dedupe_key, sender, recipient, message_id, message, status, \
             attempts, next_attempt_at, created_at) VALUES ('old', $1, 'a@b.co', 'c@d.co', $2, 'x', \
             'failed', 8, 0, 0)",
        )
        .bind(key)
        .bind(format!("<old-{n}@example.org>"))
        .execute(&app.db.pool)
        .await
        .unwrap();
        }
        let migration = match app.db.backend {
            writeathon::db::Backend::Sqlite => {
                include_str!("../../migrations/sqlite/0012_outbox_country.sql")
            }
            writeathon::db::Backend::Postgres => {
                include_str!("../../migrations/postgres/0012_outbox_country.sql")
            }
        };
        let updates: Vec<String> = migration
            .split(';')
            .map(|s| {
                s.lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .filter(|s| s.trim_start().starts_with("UPDATE"))
            .collect();
        assert_eq!(updates.len(), 3, "{migration}");
        for sql in &updates {
            sqlx::query(sql).execute(&app.db.pool).await.unwrap();
        }
        let country = |key: String| {
            let db = app.db.clone();
            async move {
                sqlx::query("SELECT country FROM outbox WHERE dedupe_key = $1")
                    .bind(key)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
                    .try_get::<Option<String>, _>(0)
                    .unwrap()
            }
        };
        assert_eq!(
            country(format!("host-registered:{event}")).await.as_deref(),
            Some("CA")
        );
        for (key, expected) in keys {
            assert_eq!(country(key.clone()).await.as_deref(), expected, "{key}");
        }
    }
);
