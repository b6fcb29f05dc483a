//! What an upload keeps and what it refuses.

use crate::common::{self, TestApp, extract_csrf, problem};
use crate::images::{self, assert_bare};
use crate::story;
use crate::{event, multipart, scene, stored_keys, upload};
use serde_json::Value;
use writeathon::accounts::Role;

async fn sizes(app: &common::TestApp, id: i64) -> (i64, i64, Vec<String>) {
    let row: (i64, i64, String, String, String, String) = sqlx::query_as(
        "SELECT width, height, large_jpeg, large_webp, thumb_jpeg, thumb_webp FROM photos WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    (row.0, row.1, vec![row.2, row.3, row.4, row.5])
}

story!(every_stored_size_is_re_encoded_bare_and_upright, |app| {
    let s = scene(&app).await;
    let store = crate::photo_store(&app);
    let cases: Vec<(&str, Vec<u8>, (i64, i64))> = vec![
        // Orientation 6: the camera was turned; stored upright, width and height swapped.
        (
            "rotated.jpg",
            images::jpeg_with_metadata(64, 40, 6),
            (40, 64),
        ),
        ("tiny.jpg", images::jpeg_with_metadata(8, 8, 1), (8, 8)),
        ("chunks.png", images::png_with_metadata(48, 30), (48, 30)),
        // Larger than the large size: resized to 1600 on the long side.
        (
            "big.jpg",
            images::jpeg_with_metadata(2000, 1000, 1),
            (1600, 800),
        ),
    ];
    for (name, bytes, (w, h)) in cases {
        // ExifTool sees what the upload carries…
        let carried = images::exiftool_groups(&bytes);
        assert!(carried.iter().any(|g| g == "EXIF"), "{name}: {carried:?}");
        let r = upload(&app, &s.host, s.event, name, &bytes, "Our choir", false).await;
        assert_eq!(r.status(), 201, "{name}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["status"], "pending");
        let id = body["id"].as_i64().unwrap();
        let (width, height, keys) = sizes(&app, id).await;
        assert_eq!((width, height), (w, h), "{name}");
        for key in keys {
            let stored = store.get(&key).await.unwrap().expect("stored");
            assert_bare(&stored);
            // …and nothing of it in any stored size.
            assert_eq!(
                images::exiftool_groups(&stored),
                Vec::<String>::new(),
                "{name}: {key}"
            );
            assert_ne!(
                &stored[..],
                &bytes[..],
                "{name}: the upload itself was kept"
            );
            let decoded = image::load_from_memory(&stored).unwrap();
            if key.contains(".jpg") && name == "rotated.jpg" && decoded.width() == 40 {
                // The left half was red: turned a quarter clockwise, it is the top half.
                let rgb = decoded.to_rgb8();
                let top = rgb.get_pixel(20, 5).0;
                let bottom = rgb.get_pixel(20, 58).0;
                assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
                assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
            }
        }
    }
    // The thumbnail is 480 on the long side.
    let thumb: (i64, i64) =
        sqlx::query_as("SELECT thumb_width, thumb_height FROM photos WHERE width = 1600")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(thumb, (480, 240));
});

story!(
    bad_files_are_refused_with_a_message_and_leave_nothing,
    |s| {
        s.photos.max_bytes = 15 * 1024 * 1024;
    },
    |app| {
        let s = scene(&app).await;
        let jpeg = images::plain_jpeg(64, 48);
        let mut corrupt = jpeg[..20].to_vec();
        corrupt.extend(std::iter::repeat_n(0x55u8, 400));
        let mut sixteen_mb = jpeg.clone();
        sixteen_mb.resize(16 * 1024 * 1024, 0);
        let animated_webp =
            b"RIFF\x20\0\0\0WEBPVP8X\x0a\0\0\0\x12\0\0\0\x3f\0\0\x3f\0\0ANIM".to_vec();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty.jpg", Vec::new(), "empty"),
            (
                "truncated.jpg",
                jpeg[..jpeg.len() / 2].to_vec(),
                "could not be read",
            ),
            ("corrupt.jpg", corrupt, "could not be read"),
            ("pixel.png", images::png_header_only(1, 1), "too small"),
            (
                "bomb.png",
                images::png_header_only(60_000, 60_000),
                "too many pixels",
            ),
            ("cat.gif", b"GIF89a\x01\0\x01\0\x80\0\0".to_vec(), "GIF"),
            ("moving.webp", animated_webp, "animated"),
            (
                "logo.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
                "SVG",
            ),
            (
                "IMG_0001.HEIC",
                b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(),
                "JPEG",
            ),
            ("notes.txt", b"just some text".to_vec(), "not a JPEG"),
            ("huge.jpg", sixteen_mb, "15 MB"),
        ];
        for (name, bytes, says) in cases {
            let r = upload(&app, &s.host, s.event, name, &bytes, "A caption", false).await;
            assert_eq!(r.status(), 422, "{name}");
            let (status, _, body) = problem(r).await;
            assert_eq!(status, 422, "{name}: {body}");
            let message = body["errors"]["file"][0]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(message.contains(says), "{name}: {message}");
        }

        // No consent, a caption with markup, a caption too long, no file at all.
        let jpeg_part: &[u8] = &jpeg;
        for (parts, field) in [
            (
                vec![
                    ("caption", None, &b"hi"[..]),
                    ("file", Some("a.jpg"), jpeg_part),
                ],
                "consent",
            ),
            (
                vec![
                    ("caption", None, &b"<b>hi</b>"[..]),
                    ("consent", None, b"true"),
                    ("file", Some("a.jpg"), jpeg_part),
                ],
                "caption",
            ),
            (
                vec![
                    ("caption", None, "é".repeat(301).as_bytes()),
                    ("consent", None, b"true"),
                    ("file", Some("a.jpg"), jpeg_part),
                ],
                "caption",
            ),
            (
                vec![("caption", None, &b"hi"[..]), ("consent", None, b"true")],
                "file",
            ),
        ] {
            let (ct, body) = multipart(&parts);
            let r = reqwest::Client::new()
                .post(app.url(&format!("/api/v1/events/{}/photos", s.event)))
                .bearer_auth(&s.host)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap();
            let (status, _, body) = problem(r).await;
            assert_eq!(status, 422, "{field}: {body}");
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        // Not multipart at all.
        let r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/events/{}/photos", s.event)))
            .bearer_auth(&s.host)
            .json(&serde_json::json!({"file": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(problem(r).await.0, 400);

        assert_eq!(app.count("photos").await, 0);
        assert!(stored_keys(&app).await.is_empty());

        // The type comes from the bytes, not the name: a PNG called .jpg is a PNG, and taken.
        let png = images::png_with_metadata(32, 32);
        let r = upload(&app, &s.host, s.event, "renamed.jpg", &png, "", false).await;
        assert_eq!(r.status(), 201);
        // Below 480 pixels the thumbnail and the large size are the same bytes: one object each
        // for JPEG and WebP.
        assert_eq!(stored_keys(&app).await.len(), 2);
    }
);

story!(
    only_the_host_and_staff_of_the_country_may_upload_and_quotas_hold,
    |s| {
        s.photos.per_event = 2;
    },
    |app| {
        let s = scene(&app).await;
        let jpeg = images::plain_jpeg(40, 40);
        let stranger = app
            .token_in(
                "stranger@example.org",
                writeathon::accounts::Role::Host,
                None,
            )
            .await;
        let other_staff = app
            .token_in(
                "fr-staff@example.org",
                writeathon::accounts::Role::Staff,
                Some("FR"),
            )
            .await;
        for token in [&stranger, &other_staff] {
            let r = upload(&app, token, s.event, "a.jpg", &jpeg, "", false).await;
            assert_eq!(problem(r).await.0, 403);
        }
        let r = upload(&app, "not-a-token", s.event, "a.jpg", &jpeg, "", false).await;
        assert_eq!(r.status(), 401);
        let r = upload(&app, &s.host, 999_999, "a.jpg", &jpeg, "", false).await;
        assert_eq!(problem(r).await.0, 404);
        assert_eq!(
            upload(&app, &s.staff, s.event, "a.jpg", &jpeg, "", false)
                .await
                .status(),
            201
        );
        assert_eq!(
            upload(
                &app,
                &s.host,
                s.event,
                "b.jpg",
                &images::plain_jpeg(41, 40),
                "",
                false
            )
            .await
            .status(),
            201
        );
        let r = upload(
            &app,
            &s.host,
            s.event,
            "c.jpg",
            &images::plain_jpeg(42, 40),
            "",
            false,
        )
        .await;
        let (status, _, body) = problem(r).await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]["file"][0]
                .as_str()
                .unwrap()
                .contains("most photos"),
            "{body}"
        );
        assert_eq!(app.count("photos").await, 2);
        assert_eq!(stored_keys(&app).await.len(), 4);
    }
);

story!(a_host_sends_photos_from_the_reports_page, |app| {
    let browser = TestApp::browser_in(&app, "reporter@example.org", Role::Host, None).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind("reporter@example.org")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "photos test")
        .await
        .unwrap();
    let event = event(&app, &token, "CA", "public").await;
    // Where a host lands after reporting: the event's reports, with the upload form.
    let page = app
        .page(&browser, &format!("/events/{event}/reports?thanks=1"))
        .await;
    let action = format!("action=\"/events/{event}/photos?from=reports\"");
    assert!(page.contains(&action), "{page}");
    assert!(page.contains("type=\"file\" multiple"));
    let csrf = extract_csrf(&page);
    let (ct, body) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("choir.jpg"), &images::plain_jpeg(640, 480)),
        ("caption", None, b"The choir sang before we wrote"),
        ("consent", None, b"on"),
    ]);
    let from_reports = format!("/events/{event}/photos?from=reports");
    let send = |(ct, body): (String, Vec<u8>)| {
        browser
            .post(app.url(&from_reports))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let r = send((ct, body)).await.unwrap();
    assert_eq!(r.status(), 303);
    let back = format!("/events/{event}/reports?added=1");
    assert_eq!(r.headers()["location"], back.as_str());
    let page = app.page(&browser, &back).await;
    assert!(page.contains("One photo was sent."), "{page}");
    assert_eq!(app.count_where("photos", "event_id", event).await, 1);
    // Without consent the form comes back with its message, and nothing is kept.
    let without_consent = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("file", Some("choir.jpg"), &images::plain_jpeg(640, 480)),
    ]);
    let r = send(without_consent).await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("consent-errors"));
    assert_eq!(app.count_where("photos", "event_id", event).await, 1);
});
