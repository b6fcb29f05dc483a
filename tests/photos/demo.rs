//! The finished demo campaign gets drawn photos, approved, through the same pipeline and store.

use crate::common;
use crate::images::assert_bare;
use crate::story;
use serde_json::Value;

story!(the_demo_campaign_gets_approved_drawn_photos, |app| {
    let store = crate::photo_store(&app);
    let added = writeathon::demo::photos::seed(&app.db, &store)
        .await
        .unwrap();
    assert!(added >= 6, "{added}");
    // Seeding again adds none.
    assert_eq!(
        writeathon::demo::photos::seed(&app.db, &store)
            .await
            .unwrap(),
        0
    );
    let gallery: Value = app
        .get("/api/v1/campaigns/w4r-2017/photos")
        .await
        .json()
        .await
        .unwrap();
    let photos = gallery["photos"].as_array().unwrap();
    assert_eq!(photos.len(), added);
    for photo in photos {
        assert!(!photo["caption"].as_str().unwrap().is_empty());
        let r = app.get(photo["urls"]["large_webp"].as_str().unwrap()).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/webp");
        assert_bare(&r.bytes().await.unwrap());
    }
    let (status, html) = app.get_text("/campaigns/w4r-2017/photos").await;
    assert_eq!(status, 200);
    assert!(html.contains("<picture>") && html.contains("loading=\"lazy\""));
});
