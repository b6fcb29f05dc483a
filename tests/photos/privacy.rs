//! The privacy crawler over photos: an anonymous visitor crawls the site and fetches every photo
//! page, gallery and API, and no caption, file name or Open Graph tag of a photo that is pending,
//! rejected, of minors or of a private event appears anywhere.

use crate::common;
use crate::common::crawl::{self, Audit, anonymous};
use crate::story;
use crate::{event, images, scene, upload};
use reqwest::Method;
use serde_json::Value;

/// In the captions of the photos the public may not see.
const TAG: &str = "hidphoto4q";

story!(no_photo_the_public_may_not_see_reaches_it, |app| {
    let s = scene(&app).await;
    let private_event = event(&app, &s.host, "CA", "private").await;
    let mut hidden = Vec::new();
    let add = async |event: i64, n: u32, caption: &str, minors: bool| -> i64 {
        let r = upload(
            &app,
            &s.host,
            event,
            "p.jpg",
            &images::plain_jpeg(40 + n, 30),
            caption,
            minors,
        )
        .await;
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    };
    let shown = add(s.event, 0, "Public choir pubphoto7", false).await;
    let pending = add(s.event, 1, &format!("Pending {TAG}"), false).await;
    let rejected = add(s.event, 2, &format!("Rejected {TAG}"), false).await;
    let minors = add(s.event, 3, &format!("Minors {TAG}"), true).await;
    let private = add(private_event, 4, &format!("Private {TAG}"), false).await;
    let approve = |id: i64, what: &'static str, body: serde_json::Value| {
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/photos/{id}/{what}")))
            .bearer_auth(&s.staff)
            .json(&body)
            .send()
    };
    for id in [shown, minors, private] {
        assert_eq!(
            approve(id, "approve", serde_json::json!({}))
                .await
                .unwrap()
                .status(),
            200
        );
    }
    let r = approve(rejected, "reject", serde_json::json!({"reason": "Blurry"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // The file names (content hashes) of the hidden photos are needles too.
    for id in [pending, rejected, minors, private] {
        let keys: (String, String, String, String) = sqlx::query_as(
            "SELECT large_jpeg, large_webp, thumb_jpeg, thumb_webp FROM photos WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        for key in [keys.0, keys.1, keys.2, keys.3] {
            let name = key
                .rsplit('/')
                .next()
                .unwrap()
                .split('.')
                .next()
                .unwrap()
                .to_string();
            hidden.push(name);
        }
    }
    let mut needles: Vec<&str> = hidden.iter().map(String::as_str).collect();
    needles.push(TAG);
    let mut audit = Audit::new(&needles);
    let slug = app.current_slug();
    for lang in ["en", "fr"] {
        crawl::crawl(&app, &anonymous(), &mut audit, lang, 250, 150).await;
        let mut explicit = vec![
            format!("/campaigns/{slug}/photos"),
            format!("/api/v1/campaigns/{slug}/photos"),
            format!("/campaigns/{slug}/photos?country=CA&kind=school"),
            format!("/api/v1/campaigns/{slug}/photos?country=CA"),
            format!("/events/{}", s.event),
            format!("/events/{private_event}"),
            format!("/events/{}/photos", s.event),
            format!("/campaigns/{slug}/events.atom"),
        ];
        for id in [shown, pending, rejected, minors, private] {
            explicit.push(format!("/photos/{id}"));
        }
        for path in explicit {
            let seen = crawl::visit(&anonymous(), &app, &mut audit, lang, Method::GET, &path).await;
            assert!(seen.status < 500, "{path}");
        }
    }
    assert!(audit.leaks.is_empty(), "{:#?}", audit.leaks);
    // Positive control: the public photo is reached, by the crawl's links too.
    let (_, gallery) = app.get_text(&format!("/campaigns/{slug}/photos")).await;
    assert!(gallery.contains("pubphoto7") && gallery.contains(&format!("/photos/{shown}")));
    let (_, campaign) = app.get_text(&format!("/campaigns/{slug}")).await;
    assert!(campaign.contains(&format!("/campaigns/{slug}/photos")));
});

story!(
    deleting_an_account_deletes_its_photos_and_their_files,
    |app| {
        let s = scene(&app).await;
        let other = app
            .token_in(
                "other-host@example.org",
                writeathon::accounts::Role::Host,
                None,
            )
            .await;
        let other_event = event(&app, &other, "CA", "public").await;
        let shared = images::plain_jpeg(50, 40);
        for (token, event, bytes) in [
            (&s.host, s.event, images::plain_jpeg(60, 40)),
            (&s.staff, s.event, images::plain_jpeg(61, 40)),
            (&s.host, s.event, shared.clone()),
            (&other, other_event, shared),
        ] {
            assert_eq!(
                upload(&app, token, event, "p.jpg", &bytes, "", false)
                    .await
                    .status(),
                201
            );
        }
        assert_eq!(crate::stored_keys(&app).await.len(), 6);
        let r = reqwest::Client::new()
            .delete(app.url("/api/v1/account"))
            .bearer_auth(&s.host)
            .json(&serde_json::json!({"confirm": "photo-host@example.org"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        // Its photos and those of its event are gone; the other host's, with the same bytes, stays.
        assert_eq!(app.count("photos").await, 1);
        assert_eq!(crate::stored_keys(&app).await.len(), 2);
    }
);
