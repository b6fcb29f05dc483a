//! Reminders against a real SMTP server: who gets which, in whose language, once each however
//! often and however concurrently the scheduler runs, and the unsubscribe link that stops them.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::smtp::*;
use sqlx::Row;
use writeathon::accounts::Role;
use writeathon::config::{DEFAULT_TILE_URL, Settings};
use writeathon::db::Backend;
use writeathon::mail::reminders::run_due;

fn settings(app: &common::TestApp, smtp: &Smtp) -> Settings {
    let mut s = Settings::new(&app.base, false, DEFAULT_TILE_URL);
    s.mail = smtp.settings();
    s
}

async fn event_times(app: &common::TestApp, id: i64) -> (DateTime<Utc>, DateTime<Utc>) {
    let row = sqlx::query("SELECT starts_at, ends_at FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap();
    (at(row.get("starts_at")), at(row.get("ends_at")))
}

async fn kinds(app: &common::TestApp) -> Vec<(String, String)> {
    sqlx::query("SELECT kind, recipient FROM outbox WHERE kind LIKE 'reminder%' OR kind = 'staff-digest' ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("kind"), r.get("recipient")))
        .collect()
}

/// Runs the scheduler three times at once and once more: the outbox's key lets one through.
async fn run_racing(app: &common::TestApp, s: &Settings, at: DateTime<Utc>) -> usize {
    let (a, b, c) = tokio::join!(
        run_due(&app.db, s, at),
        run_due(&app.db, s, at),
        run_due(&app.db, s, at)
    );
    let again = run_due(&app.db, s, at).await.unwrap();
    assert_eq!(again, 0, "a second run queues nothing");
    a.unwrap() + b.unwrap() + c.unwrap()
}

mail_story!(reminders_go_once_and_stop_when_asked, |app, smtp| {
    let s = settings(&app, &smtp);
    // The demo's events of this year would be owed reminders too: this story has its own.
    sqlx::query("UPDATE events SET status = 'cancelled'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let host_token = app.token_for("host@example.org", Role::Host).await;
    let id = create_event(&app, &host_token, None).await;
    let reported = create_event(&app, &host_token, None).await;
    app.add_account("staff-ca@example.org", Role::Staff, Some("CA"))
        .await;
    app.add_account("staff-fr@example.org", Role::Staff, Some("FR"))
        .await;
    rsvp(&app, id, "Ana", "ana@example.org", "en").await;
    rsvp(&app, id, "Zoé", "zoe@example.org", "fr").await;
    smtp.wait_for("zoe@example.org", 1).await;
    let (starts, ends) = event_times(&app, id).await;

    // Two days before: nothing is due.
    let n = run_racing(&app, &s, starts - Duration::hours(48)).await;
    assert_eq!(n, 0, "{:?}", kinds(&app).await);

    // The day before: each attendee once, in their language, with unsubscribe and cancel links.
    assert_eq!(run_racing(&app, &s, starts - Duration::hours(20)).await, 2);
    let ana = smtp.wait_for("ana@example.org", 2).await;
    let reminder = ana
        .iter()
        .find(|m| m.headers.contains("Tomorrow"))
        .expect("Ana's reminder");
    assert!(
        reminder.text().contains("8 Military Rd"),
        "confirmed: the address"
    );
    let unsubscribe = header(&reminder.headers, "list-unsubscribe").unwrap();
    assert!(unsubscribe.starts_with('<') && unsubscribe.contains("/unsubscribe/"));
    assert_eq!(
        header(&reminder.headers, "list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    let cancel = link_in(reminder.text(), "/rsvps/");
    let (status, html) = app.get_text(cancel.strip_prefix(&app.base).unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ana"));
    let zoe = smtp.wait_for("zoe@example.org", 2).await;
    assert!(
        zoe.iter().any(|m| m.text().contains("Un rappel")),
        "Zoé's reminder is in French"
    );

    // One-click unsubscribe, the way a mail client does it: a bare POST, no cookies, no CSRF.
    let url = unsubscribe.trim_matches(['<', '>']).to_string();
    let r = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, html) = app.get_text(url.strip_prefix(&app.base).unwrap()).await;
    assert!(html.contains("Reminders are off"), "{html}");
    let (status, _) = app.get_text("/unsubscribe/not-a-token").await;
    assert_eq!(status, 404);

    // The other event was reported (its totals moved, as a report moves them).
    sqlx::query(
        "INSERT INTO event_totals (event_id, reports, letters, solidarity, participants) \
         VALUES ($1, 1, 40, 10, 8)",
    )
    .bind(reported)
    .execute(&app.db.pool)
    .await
    .unwrap();

    // The evening after: not yet. The morning after (09:00 in St. John's): the host, once.
    let n = run_racing(&app, &s, ends + Duration::hours(2)).await;
    assert_eq!(n, 0, "{:?} {ends}", kinds(&app).await);
    let morning = ends + Duration::hours(20);
    assert_eq!(run_racing(&app, &s, morning).await, 1, "the host");
    let host = smtp.wait_for("host@example.org", 3).await;
    let after = host
        .iter()
        .find(|m| m.headers.contains("How many letters"))
        .expect("the host's reminder");
    assert!(
        after
            .text()
            .contains(&format!("{}/events/{id}/report", app.base))
    );
    assert!(
        !after.text().contains(&format!("/events/{reported}/report")),
        "no reminder for the reported event"
    );

    // Three days on, the weekly digest tells Canada's staff; France has nothing unreported.
    assert_eq!(run_racing(&app, &s, ends + Duration::days(3)).await, 1);
    let digest = smtp
        .wait_for("staff-ca@example.org", 1)
        .await
        .pop()
        .unwrap();
    assert!(digest.text().contains(&format!("/events/{id}")));
    assert!(!digest.text().contains(&format!("/events/{reported}")));
    assert!(
        digest
            .text()
            .contains(&format!("{}/campaigns/{}/tally", app.base, current_slug()))
    );
    assert!(
        smtp.messages()
            .iter()
            .all(|m| m.to != "staff-fr@example.org"),
        "no unreported event in France: no digest"
    );

    // Reminders off for the host: the deadline's last week sends Canada's staff a new weekly
    // digest, and the host nothing.
    let host_stop = header(&after.headers, "list-unsubscribe")
        .unwrap()
        .trim_matches(['<', '>'])
        .to_string();
    let r = reqwest::Client::new()
        .post(&host_stop)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (g, _, _, deadline) = writeathon::demo::current_dates(common::today().date_naive());
    assert!(g < deadline);
    let last_week = deadline.and_hms_opt(12, 0, 0).unwrap().and_utc() - Duration::days(5);
    assert_eq!(run_racing(&app, &s, last_week).await, 1);
    let all = kinds(&app).await;
    assert_eq!(
        all.iter()
            .filter(|(k, _)| k == "reminder-host-deadline")
            .count(),
        0,
        "{all:?}"
    );
    assert_eq!(
        all.iter().filter(|(k, _)| k == "staff-digest").count(),
        2,
        "{all:?}"
    );

    // Reminders back on: the deadline reminder goes out, once.
    let r = reqwest::Client::new()
        .post(&host_stop)
        .form(&[("reminders", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(run_racing(&app, &s, last_week).await, 1);
    let deadline_mail = smtp.wait_for("host@example.org", 4).await;
    assert!(
        deadline_mail
            .iter()
            .any(|m| m.headers.contains("One week left")),
        "the deadline reminder"
    );
    // After the deadline nothing more is due.
    let after_deadline = deadline.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::days(3);
    assert_eq!(run_racing(&app, &s, after_deadline).await, 0);
});
