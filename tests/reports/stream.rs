//! The tally is cached and streamed.

use super::*;

story!(the_tally_is_cached_and_streamed, |app| {
    let cases = cases(&app).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let event = started_event(&app, &host, "Halifax", "CA").await;
    let slug = current_slug();
    let base = tally(&app).await;
    let expected = letters(&base) + 9;
    let expected_sum = expected + base["totals"]["solidarity"].as_i64().unwrap();
    let r = app.get(&format!("/api/v1/campaigns/{slug}/tally")).await;
    assert_eq!(r.headers()["cache-control"], "public, max-age=1");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // A stream sees the report arrive.
    let stream = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally/stream")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // (A new connection's stream is answered beside the HTTP server: same headers.)
    assert_eq!(stream.headers()["x-content-type-options"], "nosniff");
    assert!(stream.headers().contains_key("content-security-policy"));
    assert!(stream.headers().contains_key("x-request-id"));
    let mut body = stream.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));
    // On a connection that has served another request, the HTTP route answers, alike.
    let reused = reqwest::Client::new();
    assert_eq!(
        reused
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let other = reused
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally/stream")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.headers()["content-type"], "text/event-stream");
    assert_eq!(other.headers()["x-content-type-options"], "nosniff");
    let mut other = other.bytes_stream();
    let first = other.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));
    let (status, _, _) = problem(
        reqwest::Client::new()
            .get(app.url("/api/v1/campaigns/no-such-campaign/tally/stream"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    report(
        &app,
        &host,
        event,
        &json!({"participants": 3, "items": [{"case": cases[0], "letters": 9}]}),
        None,
    )
    .await;
    let seen = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut text = String::new();
        while let Some(chunk) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if text.contains(&format!("\"totals\":{{\"letters\":{expected},")) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(seen, "the stream carried the new tally");
    let r = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{slug}/tally")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "a new tally has a new ETag");
    // The pages show it too, and the embeddable counter sets no cookie and may be framed.
    let html = app
        .get(&format!("/campaigns/{slug}/tally"))
        .await
        .text()
        .await
        .unwrap();
    let shown = writeathon::i18n::group_digits(expected, writeathon::i18n::Lang::FALLBACK);
    assert!(html.contains(&format!("data-tally=\"letters\">{shown}<")) && html.contains("<svg"));
    let r = common::browser()
        .get(app.url(&format!("/embed/{slug}/counter")))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    assert!(
        r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors *")
    );
    assert!(r.headers().get("x-frame-options").is_none());
    let sum = writeathon::i18n::group_digits(expected_sum, writeathon::i18n::Lang::FALLBACK);
    assert!(r.text().await.unwrap().contains(&format!(">{sum}<")));
});
