//! Stories: a report's highlights stay the host's words until staff of the event's country
//! feature them; the campaign's stories page shows featured stories with their city, kind of
//! event and public photos; an edit of the words takes the feature away; every decision is in
//! the audit trail.

use crate::common::{self, TestApp, extract_csrf, problem};
use crate::images;
use crate::story;
use crate::{event, scene, upload};
use serde_json::{Value, json};
use writeathon::accounts::Role;

/// A report with `highlights` on `event` by the account behind `token`; returns its id.
async fn report(app: &TestApp, token: &str, event: i64, highlights: &str) -> i64 {
    let cases: Value = app
        .get(&format!("/api/v1/campaigns/{}/cases", app.current_slug()))
        .await
        .json()
        .await
        .unwrap();
    let case = cases[0]["slug"].as_str().unwrap();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(token)
        .json(
            &json!({"participants": 5, "items": [{"case": case, "letters": 7, "solidarity": 2}],
            "highlights": highlights}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["report"]["id"]
        .as_i64()
        .unwrap()
}

async fn feature(app: &TestApp, token: &str, report: i64) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/reports/{report}/feature")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn stories_page(app: &TestApp) -> String {
    let (status, html) = app
        .get_text(&format!("/campaigns/{}/stories", app.current_slug()))
        .await;
    assert_eq!(status, 200);
    html
}

story!(
    staff_feature_stories_and_the_public_reads_only_those,
    |app| {
        let s = scene(&app).await;
        let choir = "Our choir sang between letters; forty-two cards for the defenders.";
        let quiet = "A quiet evening, nothing to add.";
        let featured = report(&app, &s.host, s.event, choir).await;
        let other = report(&app, &s.host, s.event, quiet).await;
        let private_event = event(&app, &s.host, "CA", "private").await;
        let private = report(
            &app,
            &s.host,
            private_event,
            "Grandma wrote her first letter",
        )
        .await;
        let photo = upload(
            &app,
            &s.host,
            s.event,
            "a.jpg",
            &images::plain_jpeg(40, 30),
            "The choir",
            false,
        )
        .await;
        let photo = photo.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/photos/{photo}/approve")))
            .bearer_auth(&s.staff)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);

        // Nothing is a story before staff choose: the hosts' words are not public.
        let html = stories_page(&app).await;
        assert!(!html.contains(choir) && !html.contains(quiet));

        // The host may not feature; staff of another country are told it does not exist.
        assert_eq!(feature(&app, &s.host, featured).await.status(), 403);
        let fr = app
            .token_in("story-staff-fr@example.org", Role::Staff, Some("FR"))
            .await;
        assert_eq!(feature(&app, &fr, featured).await.status(), 404);
        assert_eq!(feature(&app, &s.staff, 987_654).await.status(), 404);
        // A private event's story stays private.
        let (status, _, body) = problem(feature(&app, &s.staff, private).await).await;
        assert_eq!(status, 422, "{body}");

        // Staff of Canada feature one (twice is once).
        let r = feature(&app, &s.staff, featured).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"id": featured, "featured": true})
        );
        assert_eq!(feature(&app, &s.staff, featured).await.status(), 200);
        let html = stories_page(&app).await;
        assert!(html.contains(choir), "the featured story is shown");
        assert!(!html.contains(quiet) && !html.contains("Grandma"));
        assert!(html.contains("Stratford"), "with its city");
        assert!(html.contains(&format!("/photos/{photo}")), "and its photos");

        // Staff see the stories they could feature next, never a private event's.
        let staff =
            TestApp::browser_in(&app, "story-page@example.org", Role::Staff, Some("CA")).await;
        let r = staff
            .get(app.url(&format!("/campaigns/{}/stories", app.current_slug())))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["cache-control"], "private, no-store");
        let html = r.text().await.unwrap();
        assert!(html.contains(quiet) && !html.contains("Grandma"));
        // …and feature one with the button.
        let r = staff
            .post(app.url(&format!("/staff/stories/{other}/feature")))
            .form(&[("csrf", extract_csrf(&html).as_str())])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success() || r.status().is_redirection());
        assert!(stories_page(&app).await.contains(quiet));

        // New words from the host take the feature away: staff chose the old ones.
        let r = reqwest::Client::new()
            .put(app.url(&format!("/api/v1/reports/{other}")))
            .bearer_auth(&s.host)
            .json(&json!({"participants": 5, "items": [], "highlights": "Something else entirely"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let html = stories_page(&app).await;
        assert!(!html.contains("Something else") && !html.contains(quiet));

        // Un-featured through the API; voided reports cannot be featured.
        let r = reqwest::Client::new()
            .delete(app.url(&format!("/api/v1/reports/{featured}/feature")))
            .bearer_auth(&s.staff)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(!stories_page(&app).await.contains(choir));
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/reports/{featured}/void")))
            .bearer_auth(&s.staff)
            .json(&json!({"reason": "counted twice"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(feature(&app, &s.staff, featured).await.status(), 422);

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE action LIKE 'story.%' ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            actions,
            ["story.feature", "story.feature", "story.unfeature"]
        );
    }
);

story!(the_finished_demo_campaign_has_featured_stories, |app| {
    // The demo's photos, as `serve --demo` adds them.
    writeathon::demo::photos::seed(&app.db, &crate::photo_store(&app))
        .await
        .unwrap();
    let (status, html) = app.get_text("/campaigns/w4r-2017/stories").await;
    assert_eq!(status, 200);
    let stories = html.matches("<blockquote").count();
    assert_eq!(stories, 6, "{html}");
    // Stories of events with photos come with them.
    assert!(html.contains("<picture>"), "{html}");
});
