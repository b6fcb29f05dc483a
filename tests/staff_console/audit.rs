//! The audit trail: read in scope, and written by every staff action.

#![allow(unused_imports)]
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::*;
use crate::story;

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

/// The entries of one action, as (actor email, country, before, after).
async fn entries(app: &TestApp, action: &str) -> Vec<(String, Option<String>, Value, Value)> {
    let rows = sqlx::query(
        "SELECT a.email, l.country, l.before_state, l.after_state FROM audit_log l \
         JOIN accounts a ON a.id = l.actor_id WHERE l.action = $1 ORDER BY l.id",
    )
    .bind(action)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let parse = |t: Option<String>| {
        t.map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(Value::Null)
    };
    rows.into_iter()
        .map(|r| (r.get(0), r.get(1), parse(r.get(2)), parse(r.get(3))))
        .collect()
}

story!(every_staff_action_is_in_the_trail_with_its_change, |app| {
    let slug = app.current_slug();
    let ca_host = app.token_for("host-ca@example.org", Role::Host).await;
    let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
    let admin = who(&app, "admin@example.org", Role::Admin, None).await;
    let plain = reqwest::Client::new();
    let halifax = ("Halifax", "CA-NS", "CA");
    let first = event(&app, &ca_host, "Halifax letters", halifax).await;

    // The host's own edit is not a staff action: no entry.
    let r = plain
        .patch(app.url(&format!("/api/v1/events/{first}")))
        .bearer_auth(&ca_host)
        .json(&json!({"title": "Halifax letters, room 2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(entries(&app, "event.update").await.is_empty());
    // Staff's edit is, without the street address.
    let r = plain
        .patch(app.url(&format!("/api/v1/events/{first}")))
        .bearer_auth(&ca.token)
        .json(&json!({"title": "Halifax letters, room 3", "address": "77 Secret Lane"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let edits = entries(&app, "event.update").await;
    assert_eq!(edits.len(), 1);
    let (actor, country, before, after) = &edits[0];
    assert_eq!(
        (actor.as_str(), country.as_deref()),
        ("staff-ca@example.org", Some("CA"))
    );
    assert_eq!(before["title"], "Halifax letters, room 2");
    assert_eq!(after["title"], "Halifax letters, room 3");
    let leaks: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE after_state LIKE '%Secret Lane%' \
         OR before_state LIKE '%Secret Lane%' OR before_state LIKE '%Main Street%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(leaks, 0, "the trail keeps no street address");

    // Moderation: a visitor's flag dismissed, the event taken down and put back.
    let r = app
        .post_form(
            &format!("/events/{first}/flags"),
            &[("reason", "Looks like spam")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let flag: i64 = sqlx::query_scalar("SELECT id FROM event_flags WHERE event_id = $1")
        .bind(first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let r = app
        .submit(&ca.browser, &format!("/staff/flags/{flag}/dismiss"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .submit(
            &ca.browser,
            &format!("/staff/events/{first}/unpublish"),
            &[("reason", "Spam")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .submit(
            &ca.browser,
            &format!("/staff/events/{first}/republish"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(entries(&app, "event_flag.dismiss").await.len(), 1);
    let down = entries(&app, "event.unpublish").await;
    assert_eq!(down[0].2["status"], "published");
    assert_eq!(
        down[0].3,
        json!({"status": "unpublished", "reason": "Spam"})
    );
    let up = entries(&app, "event.republish").await;
    assert_eq!(up[0].2["reason"], "Spam");
    // A take-down without a reason changes nothing and records nothing.
    let r = app
        .submit(
            &ca.browser,
            &format!("/staff/events/{first}/unpublish"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(entries(&app, "event.unpublish").await.len(), 1);

    // Safety mode, on.
    let r = app
        .submit(
            &ca.browser,
            "/staff/safety",
            &[("country", "CA"), ("on", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let safety = entries(&app, "country.safety_mode").await;
    assert_eq!(
        (safety[0].2.clone(), safety[0].3.clone()),
        (json!({"safety_mode": false}), json!({"safety_mode": true}))
    );

    // Reports: the host's edit is not audited; staff's correction and void are.
    let id = report(&app, &ca_host, first, 10).await;
    let case: i64 = sqlx::query_scalar("SELECT case_id FROM report_items WHERE report_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let case_slug: String = sqlx::query_scalar("SELECT slug FROM cases WHERE id = $1")
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let body = |n: i64| json!({"participants": 4, "items": [{"case": case_slug, "letters": n}]});
    for (token, n) in [(&ca_host, 11), (&ca.token, 9)] {
        let r = plain
            .put(app.url(&format!("/api/v1/reports/{id}")))
            .bearer_auth(token)
            .json(&body(n))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let corrections = entries(&app, "report.correct").await;
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].2["items"][0]["letters"], 11);
    assert_eq!(corrections[0].3["items"][0]["letters"], 9);
    let r = plain
        .post(app.url(&format!("/api/v1/reports/{id}/void")))
        .bearer_auth(&ca.token)
        .json(&json!({"reason": "Counted twice"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let voids = entries(&app, "report.void").await;
    assert_eq!(
        voids[0].3,
        json!({"voided": true, "reason": "Counted twice"})
    );

    // Cancelling, by staff.
    let r = plain
        .post(app.url(&format!("/api/v1/events/{first}/cancel")))
        .bearer_auth(&ca.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        entries(&app, "event.cancel").await[0].3["status"],
        "cancelled"
    );

    // Campaigns and cases, by an admin: on the site and through the API.
    let r = plain
        .post(app.url("/api/v1/campaigns"))
        .bearer_auth(&admin.token)
        .json(
            &json!({"slug": "w4r-2032", "title": "W4R 2032", "global_day": "2032-12-10",
            "starts_on": "2032-11-20", "ends_on": "2032-12-31", "report_deadline": "2033-01-31",
            "goal": 10}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        entries(&app, "campaign.create").await[0].3["slug"],
        "w4r-2032"
    );
    let r = plain
        .post(app.url("/api/v1/campaigns/w4r-2032/cases"))
        .bearer_auth(&admin.token)
        .json(&json!({"slug": "audit-case", "name": "Audit Case", "country": "CA", "summary": "A case.",
            "authority": {"name": "Minister", "title": "", "address": "1 Rue", "salutation": "Dear Minister,"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        entries(&app, "case.create").await[0].3["name"],
        "Audit Case"
    );
    let update = [
        ("language", "en"),
        ("happened_on", "2026-11-19"),
        ("status", "good_news"),
        ("note", "Released."),
    ];
    let path = format!("/staff/campaigns/{slug}/cases/{case_slug}/updates");
    let r = app.submit(&admin.browser, &path, &update).await;
    assert_eq!(r.status(), 303);
    let added = entries(&app, "case.add_update").await;
    assert_eq!(added[0].3["status"], "good_news");

    // All of it readable by the admin, Canada's part by Canada's staff.
    let (_, body) = get(&plain, &app, "/api/v1/audit?limit=500", Some(&admin.token)).await;
    let all: Value = serde_json::from_str(&body).unwrap();
    assert!(all["entries"].as_array().unwrap().len() >= 11, "{body}");
    let (_, body) = get(&plain, &app, "/api/v1/audit?limit=500", Some(&ca.token)).await;
    let theirs: Value = serde_json::from_str(&body).unwrap();
    let theirs = theirs["entries"].as_array().unwrap();
    assert!(theirs.iter().all(|e| e["country"] == "CA"));
    assert!(!theirs.iter().any(|e| e["action"] == "campaign.create"));
});
