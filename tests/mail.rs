//! Stories about mail, against a real SMTP server on loopback (`common::smtp`):
//! what each action sends, in whose language, and the outbox's delivery guarantees.

mod common;

use std::time::{Duration, Instant};

use common::smtp::*;
use reqwest::StatusCode;
use sqlx::Row;
use writeathon::accounts::Role;
use writeathon::db::Backend;
mail_story!(rsvp_confirmation_promotion_and_cancellation, |app, smtp| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let id = create_event(&app, &host, Some(1)).await;

    // The host hears what next, with links to the cases and the report form.
    let welcome = smtp.wait_for("host@example.org", 1).await;
    let text = welcome[0].text();
    assert!(
        text.contains(&format!("{}/events/{id}/report", app.base)),
        "{text}"
    );
    assert!(text.contains(&format!("{}/campaigns/{}", app.base, current_slug())));

    // A French RSVP: confirmed, in French, with the address, the cancel link and the .ics.
    let ann = rsvp(
        &app,
        id,
        "Anne Écrivaine",
        "anne@example.org",
        "fr-CA,fr;q=0.9",
    )
    .await;
    assert_eq!(ann["status"], "confirmed");
    let mails = smtp.wait_for("anne@example.org", 1).await;
    let mail = &mails[0];
    let text = mail.text();
    assert!(text.contains("Bonjour Anne Écrivaine"), "{text}");
    assert!(text.contains("8 Military Rd"), "{text}");
    assert!(mail.part("text/html").unwrap().contains("8 Military Rd"));
    let cancel_url = app.mailed_link("anne@example.org", "/rsvps/").await;
    assert!(text.contains(&cancel_url), "{text}");
    let ics = parse_ics(mail.part("text/calendar").expect("an .ics attachment"));
    assert!(
        ics.iter()
            .any(|(k, v)| k == "LOCATION" && v.contains("8 Military Rd"))
    );
    assert!(
        ics.iter()
            .any(|(k, v)| k == "SUMMARY" && v == "Letters and soup")
    );
    assert!(mail.message_id().ends_with("@writeathon.test>"));
    // The link works: the cancel page.
    let path = cancel_url.as_str();
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("action=\"{path}/cancel\"")),
        "{html}"
    );

    // Full: Bo is waitlisted and told so, without the address.
    let bo = rsvp(&app, id, "Bo", "bo@example.org", "en").await;
    assert_eq!(bo["status"], "waitlisted");
    let waiting = smtp.wait_for("bo@example.org", 1).await;
    assert!(waiting[0].text().contains("waiting list"));
    assert!(!waiting[0].text().contains("8 Military Rd"));
    assert!(waiting[0].part("text/calendar").is_none());

    // Anne cancels by her link: Bo moves up and gets the promotion, with the address.
    let r = app.post_form(&format!("{path}/cancel"), &[]).await;
    assert_eq!(r.status(), 200);
    let bo_mails = smtp.wait_for("bo@example.org", 2).await;
    let promo = bo_mails
        .iter()
        .find(|m| m.text().contains("now confirmed"))
        .expect("a promotion");
    assert!(promo.text().contains("8 Military Rd"));
    assert!(promo.part("text/calendar").is_some());
    // The promotion carries its own cancel link, and it works.
    let bo_link = link_in(promo.text(), "/rsvps/");
    assert!(!bo_link.ends_with(path));
    let (status, html) = app.get_text(bo_link.strip_prefix(&app.base).unwrap()).await;
    assert_eq!(status, 200);
    assert!(html.contains("Bo") && html.contains("/cancel"), "{html}");

    // Cy joins the waitlist; the host cancels: everyone who RSVP'd and still holds a place hears.
    rsvp(&app, id, "Cy", "cy@example.org", "en").await;
    smtp.wait_for("cy@example.org", 1).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/cancel")))
        .bearer_auth(&host)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let bo_mails = smtp.wait_for("bo@example.org", 3).await;
    assert!(
        bo_mails
            .iter()
            .any(|m| m.text().contains("will not take place"))
    );
    let cy_mails = smtp.wait_for("cy@example.org", 2).await;
    assert!(
        cy_mails
            .iter()
            .any(|m| m.text().contains("will not take place"))
    );
    // Anne had cancelled: no cancellation notice for her. Cancelling again sends nothing more.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/cancel")))
        .bearer_auth(&host)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.to == "anne@example.org")
            .count(),
        1
    );
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.to == "bo@example.org")
            .count(),
        3
    );
    assert!(
        outbox_status(&app)
            .await
            .iter()
            .all(|(_, s, n, _)| s == "sent" && *n == 1)
    );
});

mail_story!(smtp_down_then_back_loses_nothing, |app, smtp| {
    let host = app.token_for("host@example.org", Role::Host).await;
    let id = create_event(&app, &host, None).await;
    smtp.wait_for("host@example.org", 1).await;
    smtp.down();
    for n in 0..3 {
        rsvp(&app, id, "Writer", &format!("w{n}@example.org"), "en").await;
    }
    // At least one attempt failed while the server was away, and the messages are still queued.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = outbox_status(&app).await;
        let waiting: Vec<_> = rows.iter().filter(|(r, ..)| r.starts_with('w')).collect();
        if waiting.len() == 3
            && waiting
                .iter()
                .all(|(_, s, n, e)| s == "queued" && *n >= 1 && e.is_some())
        {
            break;
        }
        assert!(Instant::now() < deadline, "{rows:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    smtp.up().await;
    for n in 0..3 {
        smtp.wait_for(&format!("w{n}@example.org"), 1).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 4, "each message exactly once");
    assert!(
        outbox_status(&app)
            .await
            .iter()
            .all(|(_, s, ..)| s == "sent")
    );
});

mail_story!(
    rejected_recipient_fails_with_reason_and_staff_can_resend,
    |app, smtp| {
        let host = app.token_for("host@example.org", Role::Host).await;
        let id = create_event(&app, &host, None).await;
        rsvp(&app, id, "Ann", "ann@example.org", "en").await;
        rsvp(&app, id, "Nobody", "reject-me@example.org", "en").await;
        rsvp(&app, id, "Bo", "bo@example.org", "en").await;
        smtp.wait_for("ann@example.org", 1).await;
        smtp.wait_for("bo@example.org", 1).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        let failed = loop {
            let rows = outbox_status(&app).await;
            if let Some(row) = rows
                .iter()
                .find(|(r, s, ..)| r == "reject-me@example.org" && s == "failed")
            {
                break row.clone();
            }
            assert!(Instant::now() < deadline, "{rows:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(failed.2, 1, "a permanent refusal is not retried");
        assert!(failed.3.as_deref().unwrap().contains("550"), "{failed:?}");

        // Staff see it with its reason and recipient; others may not look.
        let (status, _) = app.get_text("/staff/mail").await;
        assert!(
            status == StatusCode::SEE_OTHER
                || status == StatusCode::UNAUTHORIZED
                || status == StatusCode::FORBIDDEN,
            "{status}"
        );
        app.sign_in_as("staff@example.org", Role::Staff).await;
        let (status, html) = app.get_text("/staff/mail").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("reject-me@example.org") && html.contains("550"),
            "{html}"
        );
        assert!(html.contains("id=\"mail-failed\">1<"), "{html}");
        let outbox_id: i64 = sqlx::query("SELECT id FROM outbox WHERE status = 'failed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get(0);
        let r = app
            .post_form(&format!("/staff/mail/{outbox_id}/resend"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // Refused again: failed again, with attempts starting over; nothing else was sent twice.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let rows = outbox_status(&app).await;
            let row = rows
                .iter()
                .find(|(r, ..)| r == "reject-me@example.org")
                .unwrap();
            if row.1 == "failed" && row.2 == 1 {
                break;
            }
            assert!(Instant::now() < deadline, "{rows:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(smtp.messages().len(), 3);
    }
);

mail_story!(two_workers_never_send_one_message_twice, |app, smtp| {
    // A second process's worth of workers on the same database.
    let db2 = writeathon::db::Db::connect(&app.url)
        .await
        .unwrap()
        .with_clock(app.clock.clone());
    let second = writeathon::outbox::worker::start(db2, smtp.settings()).unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    for n in 0..60 {
        writeathon::outbox::queue(
            &mut tx,
            app.db.now_ms(),
            "Writeathon <noreply@writeathon.test>",
            test_letter(n, format!("many{n}@example.org")),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.messages().len() < 60 {
        assert!(
            Instant::now() < deadline,
            "only {} sent",
            smtp.messages().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    second.abort();
    let messages = smtp.messages();
    assert_eq!(messages.len(), 60, "no message twice");
    let ids: std::collections::BTreeSet<String> = messages.iter().map(Mail::message_id).collect();
    assert_eq!(ids.len(), 60);
    let claimed_by: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(claimed_by, 60);
});

/// The `writeathon worker` process is killed with SIGKILL halfway through a queue and started
/// again: every message arrives; the only ones that may arrive twice are those it was sending at
/// the kill (a few at once), and those carry the same Message-ID both times.
async fn worker_killed_mid_queue(backend: Backend) {
    if backend == Backend::Postgres && common::postgres_url().is_none() {
        return;
    }
    const MESSAGES: usize = 200;
    let smtp = Smtp::start().await;
    let app = common::TestApp::spawn(backend).await; // no transport: only the worker process sends
    let mut tx = app.db.begin_write().await.unwrap();
    for n in 0..MESSAGES {
        let letter = test_letter(n, format!("queue{n}@example.org"));
        assert!(
            writeathon::outbox::queue(
                &mut tx,
                app.db.now_ms(),
                writeathon::config::mail::DEFAULT_FROM,
                letter
            )
            .await
            .unwrap()
        );
    }
    tx.commit().await.unwrap();
    let worker = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_writeathon"))
            .env("WRITEATHON_CLOCK_START", app.now().to_rfc3339())
            .args(["worker", "--database-url", &app.url, "--smtp-timeout", "1"])
            .args([
                "--smtp-url",
                &format!("smtp://127.0.0.1:{}?tls=none", smtp.port),
            ])
            .env_remove("WRITEATHON_DATA_DIR")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = worker();
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.messages().len() < MESSAGES / 4 {
        assert!(Instant::now() < deadline, "the worker delivered nothing");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let at_kill = smtp.messages().len();
    assert!(at_kill < MESSAGES, "killed mid-queue ({at_kill} sent)");

    let mut second = worker();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let unsent: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get(0);
        if unsent == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{unsent} messages never sent after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();

    let mut seen: std::collections::HashMap<String, (String, usize)> = Default::default();
    for m in smtp.messages() {
        let entry = seen.entry(m.to.clone()).or_insert((m.message_id(), 0));
        assert_eq!(entry.0, m.message_id(), "a resend keeps its Message-ID");
        entry.1 += 1;
    }
    assert_eq!(seen.len(), MESSAGES, "every message arrived");
    // The worker sends several at once and records them as they finish: those on their way at
    // the kill, and those that arrived while the last record was being written, arrive again.
    let twice = seen.values().filter(|(_, n)| *n > 1).count();
    let at_most = 2 * writeathon::outbox::worker::SENDING;
    assert!(
        twice <= at_most,
        "only the messages being sent at the kill may arrive twice ({twice} did, at most {at_most})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_killed_mid_queue_sqlite() {
    worker_killed_mid_queue(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_killed_mid_queue_postgres() {
    worker_killed_mid_queue(Backend::Postgres).await;
}
