//! The tally never publishes a cell that points at a private or home event: a town with fewer
//! than three events, one of them private or at home, is counted in a row for the rest of its
//! region (`"city": null`), or of its country when the region is as thin (and that region leaves
//! `by_region`); a country under safety mode shows no town at all. Every number still adds up,
//! in the JSON tally, on the tally page and in the stream's first frame, and `reconcile` agrees.

mod common;

use common::TestApp;
use futures::StreamExt;
use serde_json::{Value, json};
use writeathon::accounts::Role;

const SLUG: &str = "cells-2026";

/// One event of the story: where, what, and the letters its report counts (none: unreported).
struct Planned {
    city: &'static str,
    region: &'static str,
    country: &'static str,
    point: (f64, f64),
    kind: &'static str,
    visibility: &'static str,
    letters: i64,
}

const fn ev(
    city: &'static str,
    region: &'static str,
    country: &'static str,
    point: (f64, f64),
    kind: &'static str,
    visibility: &'static str,
    letters: i64,
) -> Planned {
    Planned {
        city,
        region,
        country,
        point,
        kind,
        visibility,
        letters,
    }
}

const HALIFAX: (f64, f64) = (44.6488, -63.5752);
const MINSK: (f64, f64) = (53.9, 27.5667);

fn plan() -> Vec<Planned> {
    vec![
        // Halifax: three public events, shown as a town.
        ev("Halifax", "CA-NS", "CA", HALIFAX, "school", "public", 100),
        ev("Halifax", "CA-NS", "CA", HALIFAX, "cafe", "public", 20),
        ev("Halifax", "CA-NS", "CA", HALIFAX, "library", "public", 3),
        // Sydney: one public event, shown as a town (nothing private in it).
        ev(
            "Sydney",
            "CA-NS",
            "CA",
            (46.1368, -60.1942),
            "school",
            "public",
            7,
        ),
        // Three towns of Nova Scotia with one private or home event each: "the rest of Nova
        // Scotia", three events, shown as such.
        ev(
            "Dartmouth",
            "CA-NS",
            "CA",
            (44.6713, -63.5772),
            "cafe",
            "private",
            11,
        ),
        ev(
            "Wolfville",
            "CA-NS",
            "CA",
            (45.0917, -64.3598),
            "school",
            "private",
            13,
        ),
        ev(
            "Truro",
            "CA-NS",
            "CA",
            (45.3650, -63.2800),
            "home",
            "public",
            17,
        ),
        // Registered, not reported, private: not a town of its own either.
        ev(
            "Antigonish",
            "CA-NS",
            "CA",
            (45.6169, -61.9986),
            "faith",
            "private",
            0,
        ),
        // One private event in Prince Edward Island, a public and a private one in New Brunswick:
        // each province as thin as its town, so "the rest of Canada".
        ev(
            "Charlottetown",
            "CA-PE",
            "CA",
            (46.2382, -63.1311),
            "cafe",
            "private",
            19,
        ),
        ev(
            "Moncton",
            "CA-NB",
            "CA",
            (46.0878, -64.7782),
            "school",
            "public",
            23,
        ),
        ev(
            "Moncton",
            "CA-NB",
            "CA",
            (46.0878, -64.7782),
            "home",
            "private",
            29,
        ),
        // Belarus, under safety mode: three public events in Minsk, and no town shown.
        ev("Minsk", "BY-HM", "BY", MINSK, "library", "public", 31),
        ev("Minsk", "BY-HM", "BY", MINSK, "school", "public", 37),
        ev("Minsk", "BY-HM", "BY", MINSK, "cafe", "public", 41),
    ]
}

/// Towns that must not appear in `by_city`, and regions that must not appear in `by_region`.
const HIDDEN_TOWNS: [&str; 7] = [
    "Dartmouth",
    "Wolfville",
    "Truro",
    "Antigonish",
    "Charlottetown",
    "Moncton",
    "Minsk",
];
const HIDDEN_REGIONS: [(&str, &str); 2] = [
    ("CA-PE", "Prince Edward Island"),
    ("CA-NB", "New Brunswick"),
];

fn sum(rows: &Value, field: &str) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_i64().unwrap())
        .sum()
}

fn row(rows: &Value, f: impl Fn(&Value) -> bool) -> Option<&Value> {
    rows.as_array().unwrap().iter().find(|r| f(r))
}

/// Everything the published cells say (the same wherever the tally is read).
fn check(tally: &Value, where_: &str) {
    let letters = tally["totals"]["letters"].as_i64().unwrap();
    let expected: i64 = plan().iter().map(|p| p.letters).sum();
    assert_eq!(letters, expected, "{where_}: totals");
    assert_eq!(tally["totals"]["events_registered"], 14, "{where_}");
    assert_eq!(tally["totals"]["events_reported"], 13, "{where_}");
    // World = the countries = the town rows, the hidden ones included.
    assert_eq!(sum(&tally["by_country"], "letters"), letters, "{where_}");
    assert_eq!(sum(&tally["by_city"], "letters"), letters, "{where_}");
    assert_eq!(sum(&tally["by_city"], "events"), 14, "{where_}");
    let cities = &tally["by_city"];
    for town in HIDDEN_TOWNS {
        assert!(
            row(cities, |r| r["city"] == town).is_none(),
            "{where_}: {town} is shown: {cities}"
        );
    }
    let town = |name: &str| row(cities, |r| r["city"] == name).map(|r| r["letters"].clone());
    assert_eq!(town("Halifax"), Some(json!(123)), "{where_}: {cities}");
    assert_eq!(
        town("Sydney"),
        Some(json!(7)),
        "{where_}: a lone public event is shown"
    );
    let rest = |country: &str, region: Value| {
        row(cities, |r| {
            r["country"] == country && r["region"] == region && r["city"].is_null()
        })
        .unwrap_or_else(|| panic!("{where_}: no row for the rest of {country} {region}: {cities}"))
        .clone()
    };
    let ns = rest("CA", json!("CA-NS"));
    assert_eq!(
        (ns["letters"].clone(), ns["events"].clone()),
        (json!(41), json!(4)),
        "{where_}"
    );
    let ca = rest("CA", Value::Null);
    assert_eq!(
        (ca["letters"].clone(), ca["events"].clone()),
        (json!(71), json!(3)),
        "{where_}"
    );
    let by = rest("BY", json!("BY-HM"));
    assert_eq!(
        by["letters"], 109,
        "{where_}: Minsk's numbers, without its name"
    );
    assert!(
        !cities
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["country"] == "BY" && !r["city"].is_null()),
        "{where_}: a town of a country under safety mode: {cities}"
    );
    let regions = &tally["by_region"];
    for (code, _) in HIDDEN_REGIONS {
        assert!(
            row(regions, |r| r["region"] == code).is_none(),
            "{where_}: {code} is shown: {regions}"
        );
    }
    let ns = row(regions, |r| r["region"] == "CA-NS").expect("Nova Scotia is shown");
    assert_eq!(ns["letters"], 171, "{where_}");
    let ca = row(&tally["by_country"], |r| r["country"] == "CA").unwrap();
    assert_eq!(
        ca["letters"], 242,
        "{where_}: Canada still counts every event"
    );
}

story!(tally_cells_never_point_at_a_private_event, |app| {
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    let api = reqwest::Client::new();
    let r = api
        .post(app.url("/api/v1/campaigns"))
        .bearer_auth(&admin)
        .json(&json!({"slug": SLUG, "title": "Cells", "global_day": "2026-12-10",
            "starts_on": "2026-11-15", "ends_on": "2026-12-31", "report_deadline": "2027-01-31", "goal": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = api
        .post(app.url(&format!("/api/v1/campaigns/{SLUG}/cases")))
        .bearer_auth(&admin)
        .json(&json!({"slug": "ana", "name": "Ana", "country": "CA", "summary": "A case.",
            "authority": {"name": "Minister", "title": "", "address": "1 Rue", "salutation": "Dear Minister,"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    writeathon::events::store::set_safety_mode(&app.db, "BY", true)
        .await
        .unwrap();

    let host = app.token_for("host@example.org", Role::Host).await;
    let now = app.now();
    let mut ids = Vec::new();
    for (n, p) in plan().iter().enumerate() {
        let r = api
            .post(app.url(&format!("/api/v1/campaigns/{SLUG}/events")))
            .bearer_auth(&host)
            .json(&json!({"title": format!("Letters {n}"), "kind": p.kind, "visibility": p.visibility,
                "starts_at": (now - chrono::Duration::hours(2)).to_rfc3339(),
                "ends_at": (now - chrono::Duration::hours(1)).to_rfc3339(), "timezone": "UTC",
                "address": "1 Main Street", "city": p.city, "region": p.region, "country": p.country,
                "latitude": p.point.0, "longitude": p.point.1, "language": "en"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        ids.push(id);
        if p.letters > 0 {
            let r = api
                .post(app.url(&format!("/api/v1/events/{id}/reports")))
                .bearer_auth(&host)
                .json(&json!({"participants": 5, "items": [{"case": "ana", "letters": p.letters}]}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        }
    }

    // The JSON tally (rebuilt at most once a second after a change).
    let expected: i64 = plan().iter().map(|p| p.letters).sum();
    let mut tally = Value::Null;
    for _ in 0..50 {
        tally = app
            .get(&format!("/api/v1/campaigns/{SLUG}/tally"))
            .await
            .json()
            .await
            .unwrap();
        if tally["totals"]["letters"] == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    check(&tally, "the JSON tally");

    // The stream's first frame.
    let stream = api
        .get(app.url(&format!("/api/v1/campaigns/{SLUG}/tally/stream")))
        .send()
        .await
        .unwrap();
    let mut body = stream.bytes_stream();
    let mut text = String::new();
    while !text.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), body.next())
            .await
            .expect("a frame in time")
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    check(
        &serde_json::from_str(data).unwrap(),
        "the stream's first frame",
    );

    // The tally page names no hidden region, in either language.
    for (lang, names) in [
        ("en", [HIDDEN_REGIONS[0].1, HIDDEN_REGIONS[1].1]),
        ("fr", ["Île-du-Prince-Édouard", "Nouveau-Brunswick"]),
    ] {
        let html = app
            .client
            .get(app.url(&format!("/campaigns/{SLUG}/tally")))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let shown = if lang == "en" {
            "Nova Scotia"
        } else {
            "Nouvelle-Écosse"
        };
        assert!(html.contains(shown), "{lang}: the page shows regions");
        // (Minsk's region, "Horad Minsk", is shown: safety mode hides towns, not regions.)
        for name in names.iter().chain(HIDDEN_TOWNS[..6].iter()) {
            assert!(!html.contains(name), "{lang}: the tally page shows {name}");
        }
    }

    // Reconcile recounts the same counters: nothing to repair, the same cells.
    let drift = writeathon::reports::reconcile::reconcile(&app.db, Some(SLUG))
        .await
        .unwrap();
    assert!(drift.is_empty(), "{drift:?}");
    let campaign_id: i64 = sqlx::query_scalar("SELECT id FROM campaigns WHERE slug = $1")
        .bind(SLUG)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let rebuilt = writeathon::tally::build::build(
        &app.db,
        campaign_id,
        SLUG,
        writeathon::i18n::Lang::FALLBACK,
    )
    .await
    .unwrap();
    check(
        &serde_json::to_value(&rebuilt).unwrap(),
        "a rebuild after reconcile",
    );

    // Safety mode off: Minsk is a town again (three public events), and the cache knows at once.
    let staff = TestApp::browser_for(&app, "staff@example.org", Role::Staff).await;
    let safety = [("country", "BY"), ("on", "0")];
    let r = app.submit(&staff, "/staff/safety", &safety).await;
    assert_eq!(r.status(), 303);
    let mut minsk = None;
    for _ in 0..50 {
        let t: Value = app
            .get(&format!("/api/v1/campaigns/{SLUG}/tally"))
            .await
            .json()
            .await
            .unwrap();
        minsk = row(&t["by_city"], |r| r["city"] == "Minsk").cloned();
        if minsk.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(minsk.expect("Minsk is shown")["letters"], 109);

    // Sydney's one event turns private: Sydney leaves the tally at once, not at the next report.
    let sydney = ids[plan().iter().position(|p| p.city == "Sydney").unwrap()];
    let r = api
        .patch(app.url(&format!("/api/v1/events/{sydney}")))
        .bearer_auth(&host)
        .json(&json!({"visibility": "private"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let mut rest = Value::Null;
    for _ in 0..50 {
        let t: Value = app
            .get(&format!("/api/v1/campaigns/{SLUG}/tally"))
            .await
            .json()
            .await
            .unwrap();
        if row(&t["by_city"], |r| r["city"] == "Sydney").is_none() {
            rest = row(&t["by_city"], |r| {
                r["region"] == "CA-NS" && r["city"].is_null()
            })
            .cloned()
            .unwrap_or_default();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        rest["letters"], 48,
        "Sydney joins the rest of Nova Scotia: {rest}"
    );
});
