//! Two signed-in people who must learn nothing private crawl the whole site and fetch every page,
//! feed and API answer of a home event and a private event: an impostor whose unconfirmed account
//! shares an attendee's email, and a confirmed account that is not attending. Neither may see a
//! street address, the private event, or an attendee's name. The audit can fail: the host's own
//! view, scanned the same way, shows the markers.

mod common;

use common::crawl::{self, Audit};
use common::{TestApp, browser};
use reqwest::Method;
use serde_json::{Value, json};
use writeathon::accounts::Role;

const HOME_ADDRESS: &str = "12 Zq7 Hidden Lane";
const PRIVATE_ADDRESS: &str = "9 Zq7 Secret Row";
const PRIVATE_TITLE: &str = "Zq7 letters among friends";
const ATTENDEE_NAME: &str = "Zq7 Attendee Person";
const ATTENDEE_EMAIL: &str = "attendee-zq7@example.org";

async fn event(
    app: &TestApp,
    token: &str,
    title: &str,
    kind: &str,
    visibility: &str,
    address: &str,
) -> i64 {
    let (g, ..) = writeathon::demo::current_dates(app.clock.today());
    let body = json!({"title": title, "kind": kind, "visibility": visibility,
        "starts_at": format!("{g}T13:00:00Z"), "ends_at": format!("{g}T16:00:00Z"), "timezone": "UTC",
        "address": address, "city": "Halifax", "country": "CA", "latitude": 44.6488, "longitude": -63.5752});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Every page, feed and API answer of the two events, and the crawl from "/" in both languages.
async fn audit_as(
    app: &TestApp,
    client: &reqwest::Client,
    ids: [i64; 2],
    needles: &[&str],
) -> Audit {
    let mut audit = Audit::new(needles);
    for lang in ["en", "fr"] {
        crawl::crawl(app, client, &mut audit, lang, 150, 80).await;
    }
    for id in ids {
        for path in [
            format!("/events/{id}"),
            format!("/events/{id}/calendar.ics"),
            format!("/events/{id}/attendees"),
            format!("/events/{id}/attendees.csv"),
            format!("/events/{id}/report"),
            format!("/api/v1/events/{id}"),
            format!("/api/v1/events/{id}/rsvps"),
        ] {
            crawl::visit(client, app, &mut audit, "en", Method::GET, &path).await;
        }
    }
    audit
}

story!(an_impostor_and_a_stranger_learn_nothing_private, |app| {
    let host = app.token_for("host-zq7@example.org", Role::Host).await;
    let home = event(
        &app,
        &host,
        "Letters at home",
        "home",
        "public",
        HOME_ADDRESS,
    )
    .await;
    let private = event(
        &app,
        &host,
        PRIVATE_TITLE,
        "cafe",
        "private",
        PRIVATE_ADDRESS,
    )
    .await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{home}/rsvps")))
        .json(&json!({"name": ATTENDEE_NAME, "email": ATTENDEE_EMAIL}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // The impostor signs up with the attendee's address (never confirmed) and signs in.
    let impostor = browser();
    app.sign_up_and_in(&impostor, ATTENDEE_EMAIL, "Not Them")
        .await;
    let stranger = TestApp::browser_for(&app, "stranger-zq7@example.org", Role::Host).await;

    let secrets = [HOME_ADDRESS, PRIVATE_ADDRESS, PRIVATE_TITLE, ATTENDEE_NAME];
    // (The impostor's own address is theirs to see on their account page.)
    let audit = audit_as(&app, &impostor, [home, private], &secrets).await;
    assert!(
        audit.responses > 100,
        "the crawl went far: {}",
        audit.responses
    );
    assert!(
        audit.leaks.is_empty(),
        "the impostor saw: {:#?}",
        audit.leaks
    );
    let mut with_email = secrets.to_vec();
    with_email.push(ATTENDEE_EMAIL);
    let audit = audit_as(&app, &stranger, [home, private], &with_email).await;
    assert!(
        audit.leaks.is_empty(),
        "the stranger saw: {:#?}",
        audit.leaks
    );

    // The same audit of the host's own view finds the markers: it can fail.
    let host_browser = browser();
    app.sign_in(&host_browser, "host-zq7@example.org").await;
    let mut control = Audit::new(&with_email);
    for id in [home, private] {
        crawl::visit(
            &host_browser,
            &app,
            &mut control,
            "en",
            Method::GET,
            &format!("/events/{id}"),
        )
        .await;
        crawl::visit(
            &host_browser,
            &app,
            &mut control,
            "en",
            Method::GET,
            &format!("/events/{id}/attendees.csv"),
        )
        .await;
    }
    for secret in with_email {
        assert!(
            control
                .leaks
                .iter()
                .any(|l| l.contains(&format!("{:?}", secret.to_lowercase()))),
            "the host sees {secret}: {:#?}",
            control.leaks
        );
    }
});
