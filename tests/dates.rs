//! The stories whose answers depend on the date, told at fixed dates: before, on and after the
//! global day and the report deadline. Every app runs on its own clock, so these hold on any day
//! the suite runs.

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{TestApp, problem};
use serde_json::{Value, json};
use writeathon::accounts::Role;
use writeathon::db::Backend;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The demo seeded on a given day: its current campaign is the one of the next 10 December, it is
/// listed and open, and the tally it starts with is exactly what its reports say.
async fn demo_on(backend: Backend, day: &str, expect_current: &str) {
    let Some(app) = TestApp::spawn_at(backend, at(day)).await else {
        return;
    };
    assert_eq!(app.current_slug(), expect_current, "{day}");
    let campaigns: Value = app.get("/api/v1/campaigns").await.json().await.unwrap();
    let current = campaigns
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == expect_current)
        .unwrap_or_else(|| panic!("{day}: {expect_current} listed in {campaigns}"));
    let today = app.clock.today();
    let starts_on: NaiveDate = current["starts_on"].as_str().unwrap().parse().unwrap();
    let ends_on: NaiveDate = current["ends_on"].as_str().unwrap().parse().unwrap();
    assert!(starts_on <= today && today <= ends_on, "{day}: events open");
    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(&format!("/campaigns/{expect_current}")),
        "{day}"
    );
    // Demo reports only for events that had begun, and the counters equal a recount.
    let begun_unreported: i64 = {
        use sqlx::Row;
        sqlx::query(
            "SELECT COUNT(*) FROM reports r JOIN events e ON e.id = r.event_id \
             WHERE e.starts_at > $1",
        )
        .bind(app.db.now_ms())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0)
    };
    assert_eq!(begun_unreported, 0, "{day}: no report before its event");
    let drift = writeathon::reports::reconcile::reconcile(&app.db, None)
        .await
        .unwrap();
    assert!(drift.is_empty(), "{day}: {drift:?}");
}

macro_rules! demo_on {
    ($name:ident, $day:expr, $current:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                demo_on(Backend::Sqlite, $day, $current).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                demo_on(Backend::Postgres, $day, $current).await;
            }
        }
    };
}

demo_on!(demo_in_january, "2026-01-15T09:00:00Z", "w4r-2026");
demo_on!(demo_three_weeks_before, "2026-11-20T10:00:00Z", "w4r-2026");
demo_on!(demo_on_the_global_day, "2026-12-10T18:00:00Z", "w4r-2026");
demo_on!(demo_the_day_after, "2026-12-11T08:00:00Z", "w4r-2027");
demo_on!(demo_after_the_deadline, "2027-02-20T12:00:00Z", "w4r-2027");

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

// One campaign of the story's own, and one event on its global day, walked through time:
// RSVPs until the event ends, reports from its start until the deadline (staff after it too),
// and the campaign page counting down to the global day.
story!(reporting_and_rsvps_follow_the_calendar, |app| {
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let today = app.clock.today();
    let global_day = today + Duration::days(20);
    let deadline = global_day + Duration::days(30);
    let campaign = json!({"slug": "calendar", "title": "Calendar campaign",
        "global_day": global_day.to_string(), "starts_on": (today - Duration::days(1)).to_string(),
        "ends_on": (global_day + Duration::days(5)).to_string(),
        "report_deadline": deadline.to_string(), "goal": 100});
    assert_eq!(
        post(&app, &admin, "/api/v1/campaigns", &campaign)
            .await
            .status(),
        201
    );
    let case = json!({"slug": "calendar-case", "name": "A. Person", "country": "MA", "summary": "Fictional.",
        "authority": {"name": "A. Official", "title": "Prosecutor", "address": "1 Rue Test\nRabat", "salutation": "Dear Prosecutor,"},
        "sample_letter": "Please.", "solidarity": "Cards."});
    let r = post(&app, &admin, "/api/v1/campaigns/calendar/cases", &case).await;
    assert_eq!(r.status(), 201);
    let event = json!({"title": "Letters on the day", "kind": "school", "visibility": "public",
        "starts_at": format!("{global_day}T10:00:00Z"), "ends_at": format!("{global_day}T12:00:00Z"),
        "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "1 School Road", "venue_name": "School"});
    let r = post(&app, &host, "/api/v1/campaigns/calendar/events", &event).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let report_path = format!("/api/v1/events/{id}/reports");
    let report =
        |n: i64| json!({"participants": n, "items": [{"case": "calendar-case", "letters": n}]});
    let rsvp =
        |n: u32| json!({"name": format!("Guest {n}"), "email": format!("guest{n}@example.org")});
    let rsvp_path = format!("/api/v1/events/{id}/rsvps");

    // Three weeks before: RSVPs open, reports not yet, the page counts down.
    assert_eq!(post(&app, "", &rsvp_path, &rsvp(1)).await.status(), 201);
    let (status, _, body) = problem(post(&app, &host, &report_path, &report(3)).await).await;
    assert_eq!(status, 422, "not started: {body}");
    let (_, page) = app.get_text("/campaigns/calendar").await;
    assert!(
        page.contains("20 days until the global day"),
        "the countdown"
    );

    // On the global day, during the event: RSVPs and reports both open.
    app.clock
        .advance(Duration::days(20) + Duration::hours(11) - Duration::hours(10));
    let now = app.now();
    assert!(now >= at(&format!("{global_day}T10:00:00Z")), "{now}");
    assert!(now < at(&format!("{global_day}T12:00:00Z")), "{now}");
    assert_eq!(post(&app, "", &rsvp_path, &rsvp(2)).await.status(), 201);
    let r = post(&app, &host, &report_path, &report(3)).await;
    assert_eq!(r.status(), 201, "started: {}", r.text().await.unwrap());
    let report_id = r.json::<Value>().await.unwrap()["report"]["id"]
        .as_i64()
        .unwrap();

    // After the event: no more RSVPs; the report may still be edited until the deadline.
    app.clock.advance(Duration::days(3));
    let (status, _, _) = problem(post(&app, "", &rsvp_path, &rsvp(3)).await).await;
    assert!(
        status.is_client_error(),
        "RSVPs close when the event ends: {status}"
    );
    let (_, page) = app.get_text(&format!("/events/{id}")).await;
    assert!(
        !page.contains("name=\"email\""),
        "no RSVP form after the event"
    );
    let edit = |token: &str, n: i64| {
        reqwest::Client::new()
            .put(app.url(&format!("/api/v1/reports/{report_id}")))
            .bearer_auth(token.to_string())
            .json(&report(n))
            .send()
    };
    assert_eq!(edit(&host, 4).await.unwrap().status(), 200);

    // Past the deadline (and its grace, the end of the day anywhere on Earth): hosts can no
    // longer report or edit; staff still correct.
    let after = at(&format!("{deadline}T23:59:59Z")) + Duration::hours(15);
    app.clock.advance(after - app.now());
    let (status, _, _) = problem(edit(&host, 5).await.unwrap()).await;
    assert_eq!(status, 422, "the deadline has passed");
    let correction = json!({"participants": 5, "items": [{"case": "calendar-case", "letters": 5}],
        "reason": "late count from the host"});
    let r = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/reports/{report_id}")))
        .bearer_auth(&admin)
        .json(&correction)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "staff correct after the deadline");
    let (_, page) = app.get_text("/campaigns/calendar").await;
    assert!(page.contains("The global day was"), "the page looks back");
});
