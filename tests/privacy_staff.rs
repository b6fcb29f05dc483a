//! Nothing private of one country reaches staff of another. Hosts in Canada register a private
//! event, a home event and a café with attendees (and Belarus, under safety mode, a library), each
//! carrying marker strings (street addresses, hidden venue names, host and attendee names and
//! emails, report highlights, visitors' flags); their mail fails, so it waits on `/staff/mail`.
//! Then staff of France, signed in, crawl the whole site in English and French and fetch every
//! staff page, event page and API of those events, and no marker may appear anywhere. Positive
//! controls: staff of Canada are shown the markers on the same pages (so the scan can fail), and
//! staff of France still see the private event of France.

mod common;

use common::crawl::{self, Audit, send};
use common::{PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};
use writeathon::accounts::{NewAccount, Role};

/// In every private value of Canada and Belarus: any response to staff of France holding it leaks.
const TAG: &str = "xk4q9w";
/// The private event of France, which its staff do see.
const FR_MARK: &str = "FR-OWN-ADDRESS-p3m8";
const MAX_PAGES: usize = 250;
const QUERY_LINKS_UNTIL: usize = 150;

fn marker(what: &str, key: &str) -> String {
    format!("{what}-{}-{TAG}", key.to_uppercase())
}

struct Planned {
    key: &'static str,
    kind: &'static str,
    visibility: &'static str,
    city: &'static str,
    country: &'static str,
}

fn plan() -> Vec<Planned> {
    let p = |key, kind, visibility, city, country| Planned {
        key,
        kind,
        visibility,
        city,
        country,
    };
    vec![
        p("priv", "cafe", "private", "Halifax", "CA"),
        p("home", "home", "public", "Halifax", "CA"),
        p("cafe", "cafe", "public", "Halifax", "CA"),
        p("safe", "library", "public", "Minsk", "BY"),
    ]
}

/// A signed-in browser, its CSRF token and a bearer token for a new account.
async fn signed_in(
    app: &TestApp,
    email: &str,
    name: &str,
    role: Role,
    country: Option<&str>,
) -> (reqwest::Client, String) {
    let new = NewAccount::parse(email, name, PASSWORD).unwrap();
    let id = writeathon::accounts::store::create(&app.db, &new, role, country)
        .await
        .unwrap();
    let token = writeathon::accounts::tokens::issue(&app.db, id, "privacy test")
        .await
        .unwrap();
    let browser = common::browser();
    // With the second factor a staff role needs, set up on the way.
    app.sign_in(&browser, email).await;
    (browser, token)
}

/// Fetches `path` as someone (the browser, and for the API its bearer token) and audits it.
async fn fetch(
    app: &TestApp,
    audit: &mut Audit,
    who: &(reqwest::Client, String),
    lang: &str,
    path: &str,
) -> crawl::Seen {
    if path.starts_with("/api/") {
        let req = who
            .0
            .get(app.url(path))
            .bearer_auth(&who.1)
            .header("accept-language", lang);
        let seen = send(req).await;
        audit.check(&format!("GET {path} ({lang}, bearer)"), &seen);
        seen
    } else {
        crawl::visit(&who.0, app, audit, lang, Method::GET, path).await
    }
}

story!(nothing_private_reaches_staff_of_another_country, |app| {
    let slug = app.current_slug();
    writeathon::events::store::set_safety_mode(&app.db, "BY", true)
        .await
        .unwrap();
    let api = reqwest::Client::new();
    let now = app.now();
    // Under way, so they take RSVPs and reports.
    let when = |b: &mut Value| {
        b["starts_at"] = json!((now - chrono::Duration::hours(1)).to_rfc3339());
        b["ends_at"] = json!((now + chrono::Duration::hours(3)).to_rfc3339());
    };

    // 1. Hosts register their events; attendees come; hosts report; visitors flag.
    let mut ids = std::collections::HashMap::new();
    let mut reports = Vec::new();
    for p in plan() {
        let (_, token) = signed_in(
            &app,
            &format!("host-{}-{TAG}@example.org", p.key),
            &marker("HOSTNAME", p.key),
            Role::Host,
            None,
        )
        .await;
        // The café's venue name is public; the others' are not.
        let venue = match p.key {
            "cafe" => "The Corner Café".to_string(),
            key => marker("VENUE", key),
        };
        let mut body = json!({
            "title": format!("Letters {}", p.key), "kind": p.kind, "visibility": p.visibility,
            "timezone": "UTC", "venue_name": venue, "address": marker("ADDR", p.key),
            "city": p.city, "country": p.country, "capacity": 30, "description": "Letters.",
            "language": "en",
        });
        when(&mut body);
        let r = api
            .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        ids.insert(p.key, id);
        if p.visibility == "public" {
            for n in 1..=2 {
                let r = api
                    .post(app.url(&format!("/api/v1/events/{id}/rsvps")))
                    .json(&json!({"name": marker(&format!("ATTENDEE{n}"), p.key),
                        "email": format!("attendee{n}-{}-{TAG}@example.org", p.key)}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "RSVP to {}", p.key);
            }
            let r = app
                .post_form(
                    &format!("/events/{id}/flags"),
                    &[("reason", &marker("FLAG", p.key))],
                )
                .await;
            assert_eq!(r.status(), 303);
        }
        let cases: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/cases"))
            .await
            .json()
            .await
            .unwrap();
        let r = api
            .post(app.url(&format!("/api/v1/events/{id}/reports")))
            .bearer_auth(&token)
            .json(
                &json!({"participants": 4, "highlights": marker("STORY", p.key),
                "items": [{"case": cases[0]["slug"], "letters": 5}]}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        reports.push(
            r.json::<Value>().await.unwrap()["report"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // Every message failed: it waits on /staff/mail with its recipient.
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = 'mailbox full'")
        .execute(&app.db.pool)
        .await
        .unwrap();

    // France has a private event of its own.
    let (_, fr_host) = signed_in(&app, "host-fr@example.org", "Hôte", Role::Host, None).await;
    let mut body = json!({"title": "Lettres chez nous", "kind": "cafe", "visibility": "private",
        "timezone": "UTC", "address": FR_MARK, "city": "Paris", "country": "FR", "language": "fr"});
    when(&mut body);
    let r = api
        .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
        .bearer_auth(&fr_host)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let fr_event = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // 2. Staff of France crawl the site in both languages, then fetch every page of those events.
    let fr = signed_in(
        &app,
        "staff-fr@example.org",
        "Staff FR",
        Role::Staff,
        Some("FR"),
    )
    .await;
    let mut audit = Audit::new(&[TAG]);
    for lang in ["en", "fr"] {
        let visited =
            crawl::crawl(&app, &fr.0, &mut audit, lang, MAX_PAGES, QUERY_LINKS_UNTIL).await;
        audit
            .visited
            .extend(visited.iter().map(|p| format!("{lang} {p}")));
    }
    let mut explicit: Vec<String> = vec![
        "/staff".into(),
        "/staff/moderation".into(),
        "/staff/mail".into(),
        "/host".into(),
        "/account".into(),
        format!("/campaigns/{slug}/events"),
        format!("/campaigns/{slug}/events.ics"),
        format!("/api/v1/campaigns/{slug}/events"),
        format!("/campaigns/{slug}/tally"),
        format!("/api/v1/campaigns/{slug}/tally"),
    ];
    for id in ids.values() {
        for page in [
            "",
            "/calendar.ics",
            "/edit",
            "/attendees",
            "/attendees.csv",
            "/report",
            "/reports",
        ] {
            explicit.push(format!("/events/{id}{page}"));
        }
        for page in ["", "/rsvps", "/reports"] {
            explicit.push(format!("/api/v1/events/{id}{page}"));
        }
    }
    for id in &reports {
        explicit.push(format!("/reports/{id}/edit"));
    }
    for lang in ["en", "fr"] {
        for path in &explicit {
            let seen = fetch(&app, &mut audit, &fr, lang, path).await;
            assert!(seen.status < 500, "GET {path}: {}", seen.status);
        }
    }
    for page in ["en /staff/moderation", "fr /staff"] {
        assert!(
            audit.visited.iter().any(|v| v == page),
            "the crawl reached {page}"
        );
    }
    let cafe = format!("en /events/{}", ids["cafe"]);
    assert!(audit.visited.contains(&cafe), "the crawl reached {cafe}");

    // 3. Positive controls: staff of Canada are shown the markers on the same pages…
    let ca = signed_in(
        &app,
        "staff-ca@example.org",
        "Staff CA",
        Role::Staff,
        Some("CA"),
    )
    .await;
    let mut probe = Audit::new(&[TAG]);
    for path in &explicit {
        fetch(&app, &mut probe, &ca, "en", path).await;
    }
    for (what, page) in [
        (marker("ADDR", "priv"), format!("/events/{}", ids["priv"])),
        (
            marker("ADDR", "home"),
            format!("/api/v1/events/{}", ids["home"]),
        ),
        (
            marker("attendee1", "cafe").to_lowercase(),
            format!("/events/{}/attendees", ids["cafe"]),
        ),
        ("attendee2-cafe".into(), "/staff/mail".into()),
        (
            marker("STORY", "priv"),
            format!("/reports/{}/edit", reports[0]),
        ),
        (marker("FLAG", "cafe"), "/staff/moderation".into()),
    ] {
        let what = what.to_lowercase();
        assert!(
            probe
                .leaks
                .iter()
                .any(|l| l.contains(&page) && l.to_lowercase().contains(&what)),
            "staff of Canada see {what} on {page}: {:#?}",
            probe.leaks
        );
    }
    // …but not those of Belarus, under safety mode, whose staff are not them.
    assert!(
        !probe
            .leaks
            .iter()
            .any(|l| l.contains(&marker("ADDR", "safe"))),
        "staff of Canada see an address in Belarus"
    );
    // …and staff of France see their own country's private event.
    let seen = fetch(
        &app,
        &mut Audit::new(&[]),
        &fr,
        "en",
        &format!("/events/{fr_event}"),
    )
    .await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.body.contains(FR_MARK),
        "staff of France see France's private event"
    );

    eprintln!(
        "staff privacy crawl: {} pages crawled, {} explicit fetches, {} responses audited",
        audit.visited.len(),
        explicit.len() * 2,
        audit.responses
    );
    let mut leaks = std::mem::take(&mut audit.leaks);
    leaks.sort();
    leaks.dedup();
    assert!(
        leaks.is_empty(),
        "{} leak(s) to staff of France:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
});
