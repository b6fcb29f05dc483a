//! The tally stream's two views (API-v1.md, additions): without `view` each event carries the
//! whole tally, as `GET …/tally`; with `view=summary` only the campaign, the time, the totals and
//! the case and country rows — what the site's own counters read, a few kB however many towns
//! have written. Both paths serve both views alike: a new connection's stream (answered beside
//! the HTTP server) and one on a connection that already served a request (the route).

mod common;

use std::time::Duration;

use common::{TestApp, problem};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

const SUMMARY_KEYS: [&str; 5] = ["by_case", "by_country", "campaign", "totals", "updated_at"];

/// Reads a stream until `wanted` holds for one of its `tally` events, and returns that event.
async fn tally_event(response: reqwest::Response, wanted: impl Fn(&Value) -> bool) -> Value {
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.bytes_stream();
    let mut text = String::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            while let Some(end) = text.find("\n\n") {
                let frame: String = text.drain(..end + 2).collect();
                if let Some(data) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                    let value: Value = serde_json::from_str(data).expect("the data is JSON");
                    if wanted(&value) {
                        return value;
                    }
                }
            }
            let chunk = body.next().await.expect("the stream stays open").unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the awaited tally event in time")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// A stream of `path` on a new connection, and one on a connection that served `/healthz` first.
async fn both_paths(app: &TestApp, path: &str) -> [reqwest::Response; 2] {
    let fresh = reqwest::Client::new()
        .get(app.url(path))
        .send()
        .await
        .unwrap();
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
    let used = reused.get(app.url(path)).send().await.unwrap();
    [fresh, used]
}

story!(
    the_summary_stream_carries_totals_cases_and_countries,
    |app| {
        let slug = app.current_slug();
        let tally: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/tally"))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            !tally["by_city"].as_array().unwrap().is_empty(),
            "the demo's tally names towns"
        );
        let stream = format!("/api/v1/campaigns/{slug}/tally/stream");
        for response in both_paths(&app, &format!("{stream}?view=summary")).await {
            let first = tally_event(response, |_| true).await;
            assert_eq!(keys(&first), SUMMARY_KEYS);
            for key in ["campaign", "totals", "by_case", "by_country"] {
                assert_eq!(first[key], tally[key], "{key}");
            }
        }
        // Without a view, or with `view=full`, the whole tally as before.
        for path in [stream.clone(), format!("{stream}?view=full")] {
            for response in both_paths(&app, &path).await {
                let first = tally_event(response, |_| true).await;
                assert_eq!(keys(&first), keys(&tally));
                assert_eq!(first["by_city"], tally["by_city"]);
            }
        }
        // A view that does not exist is refused, with a problem, on either path.
        for response in both_paths(&app, &format!("{stream}?view=everything")).await {
            let (status, headers, body) = problem(response).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(headers.contains_key("x-request-id"));
        }
    }
);

story!(a_report_reaches_summary_streams, |app| {
    let slug = app.current_slug();
    let host = app.token_for("host@example.org", Role::Host).await;
    let now = app.now();
    let body = json!({"title": "Letters in Halifax", "kind": "school", "visibility": "public",
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339(),
        "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "1 School Road",
        "venue_name": "School"});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
        .bearer_auth(&host)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let event = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let cases: Value = app
        .get(&format!("/api/v1/campaigns/{slug}/cases"))
        .await
        .json()
        .await
        .unwrap();
    let case = cases[0]["slug"].as_str().unwrap().to_string();

    let [fresh, used] = both_paths(
        &app,
        &format!("/api/v1/campaigns/{slug}/tally/stream?view=summary"),
    )
    .await;
    let before: Value = app
        .get(&format!("/api/v1/campaigns/{slug}/tally"))
        .await
        .json()
        .await
        .unwrap();
    let expected = before["totals"]["letters"].as_i64().unwrap() + 11;
    let case_before = before["by_case"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"] == case.as_str())
        .map_or(0, |c| c["letters"].as_i64().unwrap());
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/reports")))
        .bearer_auth(&host)
        .json(&json!({"participants": 4, "items": [{"case": case, "letters": 11}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    for response in [fresh, used] {
        let after = tally_event(response, |t| t["totals"]["letters"] == expected).await;
        assert_eq!(keys(&after), SUMMARY_KEYS);
        let row = after["by_case"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case"] == case.as_str())
            .expect("the case's row");
        assert_eq!(row["letters"], case_before + 11);
        assert!(
            after["by_country"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["country"] == "CA"),
            "{after}"
        );
    }
});

// The site's own counters ask for the summary.
story!(the_sites_counters_use_the_summary, |app| {
    let slug = app.current_slug();
    for page in [
        format!("/campaigns/{slug}"),
        format!("/campaigns/{slug}/tally"),
        format!("/embed/{slug}/counter"),
    ] {
        let (status, html) = app.get_text(&page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            html.contains(&format!(
                "data-tally-stream=\"/api/v1/campaigns/{slug}/tally/stream?view=summary\""
            )),
            "{page}"
        );
    }
});
