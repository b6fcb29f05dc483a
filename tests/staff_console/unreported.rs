//! The events that ended with no report, and reminding their hosts.

#![allow(unused_imports)]
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::*;
use crate::story;

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
