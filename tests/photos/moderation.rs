//! Nothing is public until staff of the event's country approve it; minors and private events
//! never are; every decision is in the audit trail; the host reads the reason.

use crate::common::{self, extract_csrf, problem};
use crate::images;
use crate::story;
use crate::{event, multipart, scene, stored_keys, upload};
use serde_json::{Value, json};

async fn id_of(r: reqwest::Response) -> i64 {
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn decide(
    app: &common::TestApp,
    token: &str,
    id: i64,
    what: &str,
    reason: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/photos/{id}/{what}")))
        .bearer_auth(token)
        .json(&json!({ "reason": reason }))
        .send()
        .await
        .unwrap()
}

story!(
    only_approved_photos_of_public_events_without_minors_are_public,
    |app| {
        let s = scene(&app).await;
        let private_event = event(&app, &s.host, "CA", "private").await;
        let shown = id_of(
            upload(
                &app,
                &s.host,
                s.event,
                "a.jpg",
                &images::plain_jpeg(40, 30),
                "Choir singing",
                false,
            )
            .await,
        )
        .await;
        let minors = id_of(
            upload(
                &app,
                &s.host,
                s.event,
                "b.jpg",
                &images::plain_jpeg(41, 30),
                "School hall",
                true,
            )
            .await,
        )
        .await;
        let rejected = id_of(
            upload(
                &app,
                &s.host,
                s.event,
                "c.jpg",
                &images::plain_jpeg(42, 30),
                "Blurry",
                false,
            )
            .await,
        )
        .await;
        let private = id_of(
            upload(
                &app,
                &s.host,
                private_event,
                "d.jpg",
                &images::plain_jpeg(43, 30),
                "At home",
                false,
            )
            .await,
        )
        .await;
        let pending = id_of(
            upload(
                &app,
                &s.host,
                s.event,
                "e.jpg",
                &images::plain_jpeg(44, 30),
                "Waiting",
                false,
            )
            .await,
        )
        .await;

        // Only staff of Canada decide.
        let fr = app
            .token_in(
                "fr-staff@example.org",
                writeathon::accounts::Role::Staff,
                Some("FR"),
            )
            .await;
        assert_eq!(
            problem(decide(&app, &fr, shown, "approve", "").await)
                .await
                .0,
            403
        );
        assert_eq!(
            problem(decide(&app, &s.host, shown, "approve", "").await)
                .await
                .0,
            404
        );
        for id in [shown, minors, private] {
            assert_eq!(
                decide(&app, &s.staff, id, "approve", "").await.status(),
                200
            );
        }
        let (status, _, body) = problem(decide(&app, &s.staff, rejected, "reject", "").await).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            decide(&app, &s.staff, rejected, "reject", "Out of focus")
                .await
                .status(),
            200
        );
        assert_eq!(
            problem(decide(&app, &s.staff, rejected, "reject", "Again").await)
                .await
                .0,
            409
        );

        // The API's gallery, the pages and the files show the approved public one only.
        let slug = app.current_slug();
        let gallery: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/photos"))
            .await
            .json()
            .await
            .unwrap();
        let ids: Vec<i64> = gallery["photos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [shown]);
        let thumb = gallery["photos"][0]["urls"]["thumb"]
            .as_str()
            .unwrap()
            .to_string();
        let r = app.get(&thumb).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let (status, page) = app.get_text(&format!("/photos/{shown}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("property=\"og:image\""), "{page}");
        assert!(page.contains("Choir singing"));
        let (_, gallery_page) = app.get_text(&format!("/campaigns/{slug}/photos")).await;
        let (_, event_page) = app.get_text(&format!("/events/{}", s.event)).await;
        for html in [&gallery_page, &event_page] {
            assert!(html.contains(&format!("/photos/{shown}")), "{html}");
            assert!(html.contains("srcset="));
            for hidden in [minors, rejected, private, pending] {
                assert!(
                    !html.contains(&format!("/photos/{hidden}")),
                    "{hidden} shown"
                );
            }
        }
        assert!(event_page.contains("og:image"));
        for hidden in [minors, rejected, private, pending] {
            assert_eq!(app.get(&format!("/photos/{hidden}")).await.status(), 404);
            let key: String = sqlx::query_scalar("SELECT thumb_jpeg FROM photos WHERE id = $1")
                .bind(hidden)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            let name = key.rsplit('/').next().unwrap();
            assert_eq!(
                app.get(&format!("/photos/{hidden}/{name}")).await.status(),
                404
            );
        }

        // Taking down hides it again.
        assert_eq!(
            decide(&app, &s.staff, shown, "take-down", "Asked by the school")
                .await
                .status(),
            200
        );
        assert_eq!(app.get(&format!("/photos/{shown}")).await.status(), 404);
        let gallery: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/photos"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(gallery["photos"], json!([]));

        // Every decision is in the audit trail.
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE subject_type = 'photo' ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "photo.approve",
                "photo.approve",
                "photo.approve",
                "photo.reject",
                "photo.take_down"
            ]
        );

        // The host reads the reasons on the event's photo page.
        let host = common::browser();
        app.sign_in(&host, "photo-host@example.org").await;
        let html = app
            .page(&host, &format!("/events/{}/photos", s.event))
            .await;
        assert!(
            html.contains("Out of focus") && html.contains("Asked by the school"),
            "{html}"
        );

        // Deleting a photo deletes its stored sizes.
        let before = stored_keys(&app).await.len();
        let r = reqwest::Client::new()
            .delete(app.url(&format!("/api/v1/photos/{rejected}")))
            .bearer_auth(&s.host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(stored_keys(&app).await.len(), before - 2);
        assert_eq!(app.count_where("photos", "id", rejected).await, 0);
    }
);

story!(
    a_host_uploads_several_photos_with_the_form_and_staff_approve_in_bulk,
    |app| {
        let s = scene(&app).await;
        let host = common::browser();
        app.sign_in(&host, "photo-host@example.org").await;
        let html = app
            .page(&host, &format!("/events/{}/photos", s.event))
            .await;
        assert!(html.contains("multiple") && html.contains("enctype=\"multipart/form-data\""));
        let csrf = extract_csrf(&html);
        let (a, b) = (
            images::plain_jpeg(60, 40),
            images::png_with_metadata(30, 60),
        );
        let send = |parts: Vec<(&'static str, Option<&'static str>, Vec<u8>)>| {
            let borrowed: Vec<(&str, Option<&str>, &[u8])> = parts
                .iter()
                .map(|(n, f, d)| (*n, *f, d.as_slice()))
                .collect();
            let (ct, body) = multipart(&borrowed);
            host.post(app.url(&format!("/events/{}/photos", s.event)))
                .header("content-type", ct)
                .body(body)
                .send()
        };
        // Without consent: the form again, with the message, and nothing kept.
        let r = send(vec![
            ("csrf", None, csrf.clone().into_bytes()),
            ("file", Some("a.jpg"), a.clone()),
            ("caption", None, b"Kick-off".to_vec()),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("agreed to be shown"), "{page}");
        assert!(page.contains("Kick-off"));
        assert_eq!(app.count("photos").await, 0);
        // A forged post (no token first) is refused before a file is read.
        let r = send(vec![
            ("file", Some("a.jpg"), a.clone()),
            ("consent", None, b"on".to_vec()),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), 403);
        let r = send(vec![
            ("csrf", None, csrf.into_bytes()),
            ("file", Some("a.jpg"), a),
            ("file", Some("b.png"), b),
            ("caption", None, b"Kick-off in the caf\xc3\xa9".to_vec()),
            ("consent", None, b"on".to_vec()),
        ])
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        let html = app
            .page(&host, r.headers()["location"].to_str().unwrap())
            .await;
        assert!(html.contains("2 photos were sent"), "{html}");
        assert_eq!(html.matches("Waiting for staff").count(), 2);

        let staff = common::TestApp::browser_in(
            &app,
            "ca-photo-staff@example.org",
            writeathon::accounts::Role::Staff,
            Some("CA"),
        )
        .await;
        let queue = app.page(&staff, "/staff/photos").await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM photos ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        for id in &ids {
            assert!(queue.contains(&format!("value=\"{id}\"")), "{queue}");
        }
        let fields: Vec<(&str, String)> = ids.iter().map(|id| ("photo", id.to_string())).collect();
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.submit(&staff, "/staff/photos/approve", &borrowed).await;
        assert_eq!(r.status(), 303);
        let gallery: Value = app
            .get(&format!("/api/v1/campaigns/{}/photos", app.current_slug()))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(gallery["photos"].as_array().unwrap().len(), 2);
        // Staff of another country see none of them in their queue.
        let fr = common::TestApp::browser_in(
            &app,
            "fr-photo-staff@example.org",
            writeathon::accounts::Role::Staff,
            Some("FR"),
        )
        .await;
        let other = app.page(&fr, "/staff/photos").await;
        assert!(!other.contains(&format!("/photos/{}", ids[0])));
    }
);
