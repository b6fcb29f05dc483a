//! The tally's share card: a 1200×630 PNG with the live count, named by the tally page's Open
//! Graph and Twitter card tags, made at most once a minute per campaign and language.

use super::*;

/// The PNG's size as ImageMagick's `identify` reads it (from the outside, not our decoder).
fn identify(png: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("card.png");
    std::fs::write(&path, png).unwrap();
    let out = Command::new("identify")
        .args(["-format", "%m %wx%h"])
        .arg(&path)
        .output()
        .expect("identify (Debian imagemagick) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn card(app: &TestApp, path: &str) -> Vec<u8> {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    r.bytes().await.unwrap().to_vec()
}

story!(the_tally_page_shares_a_card_with_the_live_count, |app| {
    let slug = current_slug();
    let (status, html) = app.get_text(&format!("/campaigns/{slug}/tally")).await;
    assert_eq!(status, 200);
    let image = format!("/campaigns/{slug}/tally/share.png?lang=en");
    assert!(
        html.contains(&format!(
            "<meta property=\"og:image\" content=\"{}",
            app.url("")
        )),
        "{html}"
    );
    assert!(html.contains(&image.replace('&', "&amp;")));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));

    let first = card(&app, &image).await;
    assert_eq!(identify(&first), "PNG 1200x630");
    // The campaign's yellow, in the corner.
    let decoded = image::load_from_memory(&first).unwrap().to_rgb8();
    assert_eq!(decoded.get_pixel(5, 5).0, [0xff, 0xdd, 0x00]);
    // In another language, another card; an unknown one is a clear 400, an unknown campaign 404.
    let french = card(&app, &format!("/campaigns/{slug}/tally/share.png?lang=fr")).await;
    assert_ne!(first, french);
    assert_eq!(
        app.get(&format!("/campaigns/{slug}/tally/share.png?lang=xx"))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.get("/campaigns/nope/tally/share.png").await.status(),
        404
    );

    // A report moves the count: the card follows within the minute it is kept.
    let host = app
        .token_in("share-host@example.org", Role::Host, None)
        .await;
    let now = app.now();
    let event: Value = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
        .bearer_auth(&host)
        .json(
            &json!({"title": "Share night", "kind": "cafe", "visibility": "public",
            "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "ends_at": (now + chrono::Duration::hours(1)).to_rfc3339(), "timezone": "UTC",
            "city": "Stratford", "country": "CA", "address": "1 Road", "venue_name": "Café"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case = first_case(&app, "en").await["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{}/reports", event["id"])))
        .bearer_auth(&host)
        .json(&json!({"participants": 3, "items": [{"case": case, "letters": 12345}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    assert_eq!(card(&app, &image).await, first, "kept for the minute");
    app.clock.advance(chrono::Duration::seconds(61));
    assert_ne!(card(&app, &image).await, first, "made again after it");
});
