//! Calendars (.ics), the campaign's iCalendar and Atom feeds, and place suggestions.

use super::*;

story!(calendars_and_feeds, |app| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let created: Value = create(&app, &host, &body("Advent letters", None))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let r = app.get(&format!("/events/{id}/calendar.ics")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = r.text().await.unwrap();
    assert!(
        ics.contains("BEGIN:VCALENDAR")
            && ics.contains("SUMMARY:Advent letters")
            && ics.contains("END:VEVENT")
    );
    assert!(
        !ics.contains("8 Military Rd"),
        "the public calendar has no street address"
    );
    let slug = current_slug();
    let ics = app
        .get(&format!("/campaigns/{slug}/events.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("Advent letters"));
    let atom = app
        .get(&format!("/campaigns/{slug}/events.atom"))
        .await
        .text()
        .await
        .unwrap();
    assert!(atom.contains("<feed") && atom.contains("Advent letters"));
    let places: Value = app
        .client
        .get(app.url("/api/v1/places?q=montreal"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(places[0]["name"], "Montréal");
    assert_eq!(places[0]["label"], "Montréal, Québec, Canada");
});
