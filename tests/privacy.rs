//! Nothing private leaks to the public. Hosts register a private event, a public home event, a
//! public café and a public event in a country under safety mode, each carrying unique marker
//! strings (street addresses, hidden venue names, host names and emails, attendee names and
//! emails, exact coordinates). Then an anonymous visitor crawls the whole site in English and
//! French and fetches every public page and API of the events feature, and no marker may appear
//! in any response body or header. Positive controls prove the markers are really stored and the
//! crawl really reached the event pages.

mod common;

use common::crawl::{self, Audit, Seen, anonymous, send};
use common::{PASSWORD, TestApp, extract_csrf};
use reqwest::Method;
use serde_json::{Value, json};
use writeathon::accounts::{NewAccount, Role};

/// In every private value and in nothing public: any response holding it leaks.
const TAG: &str = "zq7k2x";
/// In the public values (titles, the café's venue name), to find them in positive controls.
const PUBLIC_TAG: &str = "pubv5r";

/// Exact coordinates that must never be shown publicly (private, home, safety-mode events).
const PRIV_POINT: (f64, f64) = (44.64881, -63.57523);
const HOME_POINT: (f64, f64) = (44.64917, -63.57611);
const SAFE_POINT: (f64, f64) = (53.90127, 27.55893);
/// The public café's exact point, which the public does see.
const CAFE_POINT: (f64, f64) = (44.64853, -63.57389);

/// Substrings of the hidden coordinates (signs dropped, so "-63.57523" and "63.57523" both hit).
const SECRET_COORDINATES: [&str; 6] = [
    "44.64881", "63.57523", "44.64917", "63.57611", "53.90127", "27.55893",
];

const MAX_PAGES: usize = 400;
const QUERY_LINKS_UNTIL: usize = 300;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

/// One event of the story and who hosts it.
struct Planned {
    key: &'static str,
    kind: &'static str,
    visibility: &'static str,
    title: String,
    venue: String,
    city: &'static str,
    country: &'static str,
    point: (f64, f64),
    description: String,
}

fn marker(what: &str, key: &str) -> String {
    format!("{what}-{}-{TAG}", key.to_uppercase())
}

fn host_email(key: &str) -> String {
    format!("host-{key}-{TAG}@example.org")
}

fn attendee(key: &str, n: u8) -> (String, String) {
    (
        format!("ATTENDEE-{}{n}-{TAG}", key.to_uppercase()),
        format!("attendee-{key}{n}-{TAG}@example.org"),
    )
}

fn plan() -> Vec<Planned> {
    vec![
        Planned {
            key: "priv",
            kind: "cafe",
            visibility: "private",
            title: marker("TITLE", "priv"),
            venue: marker("VENUE", "priv"),
            city: "Halifax",
            country: "CA",
            point: PRIV_POINT,
            description: marker("DESC", "priv"),
        },
        Planned {
            key: "home",
            kind: "home",
            visibility: "public",
            title: format!("Letters in a living room {PUBLIC_TAG}"),
            venue: marker("VENUE", "home"),
            city: "Halifax",
            country: "CA",
            point: HOME_POINT,
            description: "Bring a pen.".into(),
        },
        Planned {
            key: "cafe",
            kind: "cafe",
            visibility: "public",
            title: format!("Letters over coffee {PUBLIC_TAG}"),
            venue: format!("VENUE-CAFE-{PUBLIC_TAG}"),
            city: "Halifax",
            country: "CA",
            point: CAFE_POINT,
            description: "Coffee and letters.".into(),
        },
        Planned {
            key: "safe",
            kind: "library",
            visibility: "public",
            title: format!("Letters at the library {PUBLIC_TAG}"),
            venue: marker("VENUE", "safe"),
            city: "Minsk",
            country: "BY",
            point: SAFE_POINT,
            description: "Quiet letters.".into(),
        },
    ]
}

/// A host account with a marked display name and email, and a bearer token for it.
async fn marked_host(app: &TestApp, key: &str) -> String {
    let new = NewAccount::parse(&host_email(key), &marker("HOSTNAME", key), PASSWORD).unwrap();
    let id = writeathon::accounts::store::create(&app.db, &new, Role::Host, None)
        .await
        .unwrap();
    writeathon::accounts::tokens::issue(&app.db, id, "privacy test")
        .await
        .unwrap()
}

/// An audit for this story's markers: the tag and the hidden coordinates.
fn new_audit() -> Audit {
    let mut needles = vec![TAG];
    needles.extend(SECRET_COORDINATES);
    Audit::new(&needles)
}

/// Fetches as an anonymous visitor in the language and audits the answer.
async fn visit(app: &TestApp, audit: &mut Audit, lang: &str, method: Method, path: &str) -> Seen {
    crawl::visit(&anonymous(), app, audit, lang, method, path).await
}

/// What a 404 says, without what changes from one request to the next.
fn not_found_shape(seen: &Seen) -> String {
    if seen.content_type().contains("json") {
        let mut v: Value = serde_json::from_str(&seen.body).unwrap_or(Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.remove("instance");
        }
        v.to_string()
    } else {
        let between = |open: &str, close: &str| {
            seen.body
                .split(open)
                .nth(1)
                .and_then(|s| s.split(close).next())
                .unwrap_or_default()
                .to_string()
        };
        format!(
            "{} | {}",
            between("<title>", "</title>"),
            between("<h1", "</h1>")
        )
    }
}

story!(nothing_private_reaches_the_public, |app| {
    let started = std::time::Instant::now();
    let slug = current_slug();
    let campaign: Value = app
        .get(&format!("/api/v1/campaigns/{slug}"))
        .await
        .json()
        .await
        .unwrap();
    let starts_on: chrono::NaiveDate = campaign["starts_on"].as_str().unwrap().parse().unwrap();
    let ends_on: chrono::NaiveDate = campaign["ends_on"].as_str().unwrap().parse().unwrap();
    let today = app.clock.today();
    // Inside the window and in the future (so RSVPs are open): the last day of the window.
    let day = ends_on;
    assert!(starts_on <= day && day > today, "{starts_on}..{ends_on}");

    writeathon::events::store::set_safety_mode(&app.db, "BY", true)
        .await
        .unwrap();

    // 1. The hosts register their events through the API.
    let api = reqwest::Client::new();
    let plan = plan();
    let mut ids = std::collections::HashMap::new();
    let mut tokens = std::collections::HashMap::new();
    for p in &plan {
        let token = marked_host(&app, p.key).await;
        let body = json!({
            "title": p.title, "kind": p.kind, "visibility": p.visibility,
            "starts_at": format!("{day}T12:00:00Z"), "ends_at": format!("{day}T15:00:00Z"),
            "venue_name": p.venue, "address": marker("ADDR", p.key),
            "city": p.city, "country": p.country,
            "latitude": p.point.0, "longitude": p.point.1,
            "capacity": 30, "accessibility": "", "step_free": false,
            "description": p.description, "language": "en",
        });
        let r = api
            .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", p.key);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["address"], marker("ADDR", p.key));
        ids.insert(p.key, created["id"].as_i64().unwrap());
        tokens.insert(p.key, token);
    }
    let id = |key: &str| ids[key];

    // Attendees RSVP to the public events.
    for key in ["home", "cafe", "safe"] {
        for n in 1..=2 {
            let (name, email) = attendee(key, n);
            let r = api
                .post(app.url(&format!("/api/v1/events/{}/rsvps", id(key))))
                .json(&json!({"name": name, "email": email, "consent": true}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "RSVP to {key}");
        }
    }

    // 2. An anonymous visitor crawls the site in both languages.
    let mut audit = new_audit();
    for lang in ["en", "fr"] {
        let visited = crawl::crawl(
            &app,
            &anonymous(),
            &mut audit,
            lang,
            MAX_PAGES,
            QUERY_LINKS_UNTIL,
        )
        .await;
        audit
            .visited
            .extend(visited.iter().map(|p| format!("{lang} {p}")));
    }

    // …and fetches every public page and API of the events feature explicitly.
    let mut explicit: Vec<String> = vec![
        "/".into(),
        format!("/campaigns/{slug}"),
        format!("/campaigns/{slug}/events"),
        format!("/campaigns/{slug}/events?place=Halifax"),
        format!("/campaigns/{slug}/events?place=Minsk&radius_km=50"),
        format!("/campaigns/{slug}/events?near=44.6488,-63.5752&radius_km=50"),
        format!("/campaigns/{slug}/events?lat=44.6488&lon=-63.5752&radius_km=5"),
        format!("/campaigns/{slug}/events?kind=home"),
        format!("/campaigns/{slug}/events?sort=date&limit=1"),
        format!("/campaigns/{slug}/events?country=BY"),
        format!("/campaigns/{slug}/events/new"),
        format!("/api/v1/campaigns/{slug}/events"),
        format!("/api/v1/campaigns/{slug}/events?near=44.6488,-63.5752&radius_km=50"),
        format!("/api/v1/campaigns/{slug}/events?near=53.9,27.5667&radius_km=50"),
        format!("/api/v1/campaigns/{slug}/events?place=Halifax"),
        format!("/api/v1/campaigns/{slug}/events?sort=date&limit=1"),
        format!("/api/v1/campaigns/{slug}/events?kind=home"),
        format!("/campaigns/{slug}/events.ics"),
        format!("/campaigns/{slug}/events.atom"),
        "/api/v1/places?q=Halifax".into(),
        "/api/v1/places?q=Minsk".into(),
        "/api/v1/campaigns".into(),
        format!("/api/v1/campaigns/{slug}"),
        format!("/api/v1/campaigns/{slug}/cases"),
        "/api/openapi.json".into(),
        "/healthz".into(),
        "/readyz".into(),
        "/metrics".into(),
        "/robots.txt".into(),
        "/sitemap.xml".into(),
        "/host".into(),
        "/account".into(),
        "/staff".into(),
        "/no-such-page".into(),
        "/events/999999999".into(),
        "/api/v1/events/999999999".into(),
    ];
    for p in &plan {
        let i = id(p.key);
        explicit.extend([
            format!("/events/{i}"),
            format!("/events/{i}/calendar.ics"),
            format!("/events/{i}/edit"),
            format!("/events/{i}/attendees"),
            format!("/events/{i}/attendees.csv"),
            format!("/api/v1/events/{i}"),
            format!("/api/v1/events/{i}/rsvps"),
        ]);
    }
    let mut explicit_count = 0;
    for lang in ["en", "fr"] {
        for path in &explicit {
            let seen = visit(&app, &mut audit, lang, Method::GET, path).await;
            assert!(seen.status < 500, "GET {path}: {}", seen.status);
            explicit_count += 1;
        }
    }

    // The private event is indistinguishable from one that does not exist, on every channel.
    let private = id("priv");
    for (real, none) in [
        (
            format!("/api/v1/events/{private}"),
            "/api/v1/events/999999999",
        ),
        (format!("/events/{private}"), "/events/999999999"),
        (
            format!("/events/{private}/calendar.ics"),
            "/events/999999999/calendar.ics",
        ),
    ] {
        let a = visit(&app, &mut audit, "en", Method::GET, &real).await;
        let b = visit(&app, &mut audit, "en", Method::GET, none).await;
        assert_eq!(a.status, 404, "{real}");
        assert_eq!(not_found_shape(&a), not_found_shape(&b), "{real}");
    }
    let rsvp_to = |event: i64, name: &str, email: &str| {
        anonymous()
            .post(app.url(&format!("/api/v1/events/{event}/rsvps")))
            .json(&json!({"name": name, "email": email}))
    };
    let a = send(rsvp_to(private, "Curious", "curious@example.org")).await;
    audit.check(&format!("POST /api/v1/events/{private}/rsvps"), &a);
    let b = send(rsvp_to(999_999_999, "Curious", "curious@example.org")).await;
    assert_eq!(a.status, 404, "an RSVP to a private event: {}", a.body);
    assert_eq!(not_found_shape(&a), not_found_shape(&b));

    // The same forms through a browser: RSVP and report, with a valid CSRF token.
    let browser = common::browser();
    let cafe_page = browser
        .get(app.url(&format!("/events/{}", id("cafe"))))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&cafe_page);
    for path in [
        format!("/events/{private}/rsvps"),
        format!("/events/{private}/flags"),
    ] {
        let seen = send(browser.post(app.url(&path)).form(&[
            ("csrf", csrf.as_str()),
            ("name", "Curious"),
            ("email", "curious@example.org"),
            ("reason", "Just looking"),
        ]))
        .await;
        audit.check(&format!("POST {path} (form)"), &seen);
        assert_eq!(seen.status, 404, "POST {path}");
    }

    // Someone who knows an attendee's email learns nothing more by RSVPing with it.
    let (_, known_email) = attendee("cafe", 1);
    let seen = send(rsvp_to(id("cafe"), "Impostor", &known_email)).await;
    assert_eq!(seen.status, 201);
    audit.scan(
        &format!("POST /api/v1/events/{}/rsvps (known email)", id("cafe")),
        "body",
        &seen.body.replace(&known_email, "[the email we sent]"),
    );
    assert!(!seen.body.contains("cancel_url"), "{}", seen.body);
    let (_, known_email) = attendee("home", 1);
    let path = format!("/events/{}/rsvps", id("home"));
    let seen = send(browser.post(app.url(&path)).form(&[
        ("csrf", csrf.as_str()),
        ("name", "Impostor"),
        ("email", known_email.as_str()),
    ]))
    .await;
    assert_eq!(seen.status, 200, "POST {path}: {}", seen.body);
    audit.scan(
        &format!("POST {path} (form, known email)"),
        "body",
        &seen.body.replace(&known_email, "[the email we sent]"),
    );

    // The finder's text search must not find an event by a venue name the public may not see.
    for key in ["home", "safe", "priv"] {
        let venue = marker("VENUE", key);
        let api_found: Value = anonymous()
            .get(app.url(&format!("/api/v1/campaigns/{slug}/events?q={venue}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let hits: Vec<i64> = api_found["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["id"].as_i64())
            .collect();
        if !hits.is_empty() {
            audit.leaks.push(format!(
                "GET /api/v1/campaigns/{slug}/events?q={venue}: searching the hidden venue name \
                 of the {key} event finds events {hits:?} (an oracle for the venue name)"
            ));
        }
        let html = anonymous()
            .get(app.url(&format!("/campaigns/{slug}/events?q={venue}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let link = format!("href=\"/events/{}\"", id(key));
        if html.contains(&link) {
            audit.leaks.push(format!(
                "GET /campaigns/{slug}/events?q={venue}: searching the hidden venue name of the \
                 {key} event lists it ({link})"
            ));
        }
    }

    // 3. Positive controls: the public sees what it should, so the scan can fail.
    let cafe: Value = serde_json::from_str(
        &visit(
            &app,
            &mut audit,
            "en",
            Method::GET,
            &format!("/api/v1/events/{}", id("cafe")),
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(cafe["latitude"].as_f64(), Some(CAFE_POINT.0), "{cafe}");
    assert_eq!(cafe["longitude"].as_f64(), Some(CAFE_POINT.1), "{cafe}");
    assert_eq!(cafe["venue_name"], format!("VENUE-CAFE-{PUBLIC_TAG}"));
    assert_eq!(cafe["rsvps"]["confirmed"], 2, "the RSVPs are counted");
    assert!(cafe.get("address").is_none());
    let home: Value = app
        .get(&format!("/api/v1/events/{}", id("home")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(home["location_approximate"], true, "{home}");
    let (lat, lon) = (
        home["latitude"].as_f64().expect("an approximate point"),
        home["longitude"].as_f64().expect("an approximate point"),
    );
    let km = writeathon::geo::distance_km(lat, lon, HOME_POINT.0, HOME_POINT.1);
    assert!(
        km >= 1.0,
        "the home event's public point is {km} km from the house"
    );
    let safe: Value = app
        .get(&format!("/api/v1/events/{}", id("safe")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (safe["latitude"].as_f64(), safe["longitude"].as_f64()),
        (Some(53.9), Some(27.5667)),
        "the town only: {safe}"
    );
    let (_, cafe_html) = app.get_text(&format!("/events/{}", id("cafe"))).await;
    assert!(cafe_html.contains(&format!("VENUE-CAFE-{PUBLIC_TAG}")));
    let event_pages: Vec<&String> = audit
        .visited
        .iter()
        .filter(|p| p.contains("/events/"))
        .collect();
    for key in ["home", "cafe", "safe"] {
        for lang in ["en", "fr"] {
            let page = format!("{lang} /events/{}", id(key));
            assert!(
                audit.visited.contains(&page),
                "the crawl reached {page}: {event_pages:?}"
            );
        }
    }
    for feed in ["events.ics", "events.atom"] {
        let page = format!("en /campaigns/{slug}/{feed}");
        assert!(audit.visited.contains(&page), "the crawl reached {page}");
    }

    // 4. The hosts do see their addresses and exact points (token and signed-in browser).
    for p in &plan {
        let mine: Value = api
            .get(app.url(&format!("/api/v1/events/{}", id(p.key))))
            .bearer_auth(&tokens[p.key])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(mine["address"], marker("ADDR", p.key), "{mine}");
        assert_eq!(mine["venue_name"], p.venue);
        assert_eq!(mine["latitude"].as_f64(), Some(p.point.0));
        assert_eq!(mine["longitude"].as_f64(), Some(p.point.1));
    }
    let attendees: Value = api
        .get(app.url(&format!("/api/v1/events/{}/rsvps", id("home"))))
        .bearer_auth(&tokens["home"])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(attendees.to_string().contains(&attendee("home", 1).0));
    let r = app
        .post_form(
            "/signin",
            &[("email", &host_email("home")), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (status, html) = app.get_text(&format!("/events/{}", id("home"))).await;
    assert_eq!(status, 200);
    assert!(html.contains(&marker("ADDR", "home")) && html.contains(&marker("VENUE", "home")));
    // The scan itself can fail: it flags the host's own views.
    let mut probe = new_audit();
    probe.scan("the host's event page", "body", &html);
    let owner_view: Value = api
        .get(app.url(&format!("/api/v1/events/{}", id("priv"))))
        .bearer_auth(&tokens["priv"])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    probe.scan("the owner's API view", "body", &owner_view.to_string());
    assert!(
        probe.leaks.iter().any(|l| l.contains("ADDR-HOME"))
            && probe.leaks.iter().any(|l| l.contains("\"44.64881\""))
            && probe.leaks.iter().any(|l| l.contains("TITLE-PRIV")),
        "{:?}",
        probe.leaks
    );

    let per_language: Vec<usize> = ["en ", "fr "]
        .iter()
        .map(|l| audit.visited.iter().filter(|p| p.starts_with(l)).count())
        .collect();
    eprintln!(
        "privacy crawl: {} crawled pages ({per_language:?} en/fr), {} of them under /events/, \
         {explicit_count} explicit fetches, {} responses audited in {:?}",
        audit.visited.len(),
        event_pages.len(),
        audit.responses,
        started.elapsed()
    );
    if std::env::var("PRIVACY_LIST_VISITED").is_ok() {
        eprintln!("{}", audit.visited.join("\n"));
    }
    let mut leaks = std::mem::take(&mut audit.leaks);
    leaks.sort();
    leaks.dedup();
    assert!(
        leaks.is_empty(),
        "{} leak(s):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
});
