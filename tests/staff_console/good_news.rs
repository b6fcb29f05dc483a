//! Good news: mailed once to the hosts who wrote for the case and the attendees who asked.

#![allow(unused_imports)]
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::*;
use crate::story;

async fn rsvp(app: &TestApp, event: i64, email: &str, notify: bool) {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/rsvps")))
        .json(&json!({"name": "Attendee", "email": email, "notify": notify}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

async fn good_news_to(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT message FROM outbox WHERE kind = 'good-news' AND recipient = $1")
        .bind(email)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

story!(
    good_news_is_mailed_once_to_those_who_wrote_and_those_who_asked,
    |app| {
        let slug = app.current_slug();
        let cases: Vec<String> = sqlx::query_scalar(
            "SELECT s.slug FROM cases s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = $1 \
         ORDER BY s.id LIMIT 2",
        )
        .bind(&slug)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let (case, other) = (&cases[0], &cases[1]);
        let wrote = app.token_for("host-wrote@example.org", Role::Host).await;
        let ecrit = app.token_for("hote-ecrit@example.org", Role::Host).await;
        sqlx::query("UPDATE accounts SET language = 'fr' WHERE email = 'hote-ecrit@example.org'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let elsewhere = app
            .token_for("host-other-case@example.org", Role::Host)
            .await;
        let a = event(
            &app,
            &wrote,
            "Letters for the case",
            ("Halifax", "CA-NS", "CA"),
        )
        .await;
        let b = event(
            &app,
            &ecrit,
            "Lettres pour le cas",
            ("Lyon", "FR-ARA", "FR"),
        )
        .await;
        let c = event(
            &app,
            &elsewhere,
            "Letters for another",
            ("Halifax", "CA-NS", "CA"),
        )
        .await;
        rsvp(&app, a, "asked@example.org", true).await;
        rsvp(&app, a, "did-not-ask@example.org", false).await;
        rsvp(&app, c, "asked-elsewhere@example.org", true).await;
        let plain = reqwest::Client::new();
        for (token, event, case, letters) in [
            (&wrote, a, case, 12),
            (&ecrit, b, case, 3),
            (&elsewhere, c, other, 9),
        ] {
            let r = plain
                .post(app.url(&format!("/api/v1/events/{event}/reports")))
                .bearer_auth(token)
                .json(&json!({"participants": 3, "items": [{"case": case, "letters": letters}]}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        }

        let admin = who(&app, "admin@example.org", Role::Admin, None).await;
        let path = format!("/staff/campaigns/{slug}/cases/{case}/updates");
        // Good news without the box ticked: recorded, mailed to nobody.
        let quiet = [
            ("language", "en"),
            ("happened_on", "2026-11-18"),
            ("status", "good_news"),
            ("note", "A first hearing went well."),
        ];
        assert_eq!(
            app.submit(&admin.browser, &path, &quiet).await.status(),
            303
        );
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'good-news'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 0);
        // With it: the hosts who wrote for the case and the attendee who asked, once each.
        let told = [
            ("language", "en"),
            ("happened_on", "2026-11-19"),
            ("status", "good_news"),
            ("note", "She was released today."),
            ("notify", "on"),
        ];
        assert_eq!(app.submit(&admin.browser, &path, &told).await.status(), 303);
        let to_host = good_news_to(&app, "host-wrote@example.org").await;
        assert_eq!(to_host.len(), 1);
        assert!(to_host[0].contains("She was released today."));
        assert!(to_host[0].contains("Subject: Good news"));
        assert!(to_host[0].contains("List-Unsubscribe"));
        let to_hote = good_news_to(&app, "hote-ecrit@example.org").await;
        assert_eq!(to_hote.len(), 1);
        assert!(
            to_hote[0].contains("Subject: =?utf-8?")
                || to_hote[0].contains("Subject: Bonne nouvelle"),
            "{}",
            to_hote[0]
        );
        assert!(to_hote[0].contains("Bonne nouvelle") || to_hote[0].contains("bonne nouvelle"));
        assert_eq!(good_news_to(&app, "asked@example.org").await.len(), 1);
        // Not those who did not ask, nor those whose letters went to another case.
        assert!(
            good_news_to(&app, "did-not-ask@example.org")
                .await
                .is_empty()
        );
        assert!(
            good_news_to(&app, "asked-elsewhere@example.org")
                .await
                .is_empty()
        );
        assert!(
            good_news_to(&app, "host-other-case@example.org")
                .await
                .is_empty()
        );
        let audit: String = sqlx::query_scalar(
        "SELECT after_state FROM audit_log WHERE action = 'case.add_update' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
        // The two hosts and the attendee who asked, and the demo's online signers of the case
        // who asked to hear what happens.
        let signers: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT o.email) FROM online_actions o JOIN cases s ON s.id = o.case_id \
             JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = $1 AND s.slug = $2 \
             AND o.updates = 1 AND o.confirmed_at IS NOT NULL AND o.invalidated_at IS NULL",
        )
        .bind(&slug)
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(signers > 0, "the demo has signers who asked");
        assert_eq!(
            serde_json::from_str::<Value>(&audit).unwrap()["mailed"],
            3 + signers
        );
        // A status that is not good news is never mailed, even asked.
        let closed = [
            ("language", "en"),
            ("happened_on", "2026-11-20"),
            ("status", "closed"),
            ("note", "Closed."),
            ("notify", "on"),
        ];
        assert_eq!(
            app.submit(&admin.browser, &path, &closed).await.status(),
            303
        );
        assert_eq!(good_news_to(&app, "host-wrote@example.org").await.len(), 1);

        // The campaign's home tells the latest good news; the case page its dated updates.
        let home = app
            .page(&common::browser(), &format!("/campaigns/{slug}"))
            .await;
        assert!(home.contains("She was released today."), "{home}");
        let case_page = app
            .page(
                &common::browser(),
                &format!("/campaigns/{slug}/cases/{case}"),
            )
            .await;
        assert!(
            case_page.contains("A first hearing went well.")
                && case_page.contains("She was released today.")
        );
    }
);
