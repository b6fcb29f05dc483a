//! Stories about mail, against a real SMTP server on loopback (aiosmtpd, `tests/smtp_server.py`):
//! what each action sends, in whose language, and the outbox's delivery guarantees.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;
use writeathon::db::Backend;
use writeathon::mail::transport::{SmtpConfig, TlsMode};
use writeathon::mail::{MailSettings, Transport};

/// The SMTP server process; it can be stopped and started again on the same port.
struct Smtp {
    port: u16,
    dir: PathBuf,
    child: Option<std::process::Child>,
    _tmp: tempfile::TempDir,
}

fn aiosmtpd_available() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("CI").is_ok() {
            panic!("aiosmtpd is missing: .ci/run installs it (pip install aiosmtpd==1.4.6)");
        }
        eprintln!("\n!!!!!!!! mail stories SKIPPED: pip install aiosmtpd==1.4.6 !!!!!!!!\n");
    }
    ok
}

impl Smtp {
    async fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let tmp = tempfile::tempdir().unwrap();
        let mut smtp = Smtp {
            port,
            dir: tmp.path().join("mail"),
            child: None,
            _tmp: tmp,
        };
        smtp.up().await;
        smtp
    }

    async fn up(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py");
        let child = std::process::Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(&self.dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start python3 tests/smtp_server.py");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn settings(&self) -> MailSettings {
        MailSettings {
            from: "Writeathon <noreply@writeathon.test>".into(),
            transport: Some(Transport::Smtp(SmtpConfig {
                host: "127.0.0.1".into(),
                port: self.port,
                tls: TlsMode::None,
                credentials: None,
            })),
            poll: Duration::from_millis(50),
            backoff_base: Duration::from_millis(200),
            max_attempts: 8,
            send_timeout: Duration::from_secs(5),
        }
    }

    /// Every message received so far.
    fn messages(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| Mail::parse(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }

    /// Waits for the messages to `to` until there are `n` of them.
    async fn wait_for(&self, to: &str, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found: Vec<Mail> = self.messages().into_iter().filter(|m| m.to == to).collect();
            if found.len() >= n {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{n} message(s) to {to} never came; got {}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.down();
    }
}

/// A received message: envelope recipient, headers, and its decoded leaf parts.
struct Mail {
    to: String,
    headers: String,
    parts: Vec<(String, String)>,
}

fn split_head(raw: &str) -> (String, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    // Unfold continuation lines.
    (
        head.replace("\r\n ", " ").replace("\r\n\t", " "),
        body.to_string(),
    )
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn quoted_printable(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn leaves(raw: &str, out: &mut Vec<(String, String)>) {
    let (head, body) = split_head(raw);
    let ct = header(&head, "content-type")
        .unwrap_or("text/plain")
        .to_string();
    if ct.to_ascii_lowercase().starts_with("multipart/") {
        let boundary = ct
            .split("boundary=")
            .nth(1)
            .unwrap()
            .trim_matches('"')
            .split('"')
            .next()
            .unwrap()
            .to_string();
        for part in body.split(&format!("--{boundary}")).skip(1) {
            if part.starts_with("--") {
                break;
            }
            leaves(part.trim_start_matches("\r\n"), out);
        }
        return;
    }
    let decoded = match header(&head, "content-transfer-encoding").map(|s| s.to_ascii_lowercase()) {
        Some(e) if e == "base64" => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(body.split_whitespace().collect::<String>())
                .unwrap(),
        )
        .unwrap(),
        Some(e) if e == "quoted-printable" => quoted_printable(&body),
        _ => body,
    };
    out.push((ct, decoded));
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let (first, rest) = raw.split_once("\r\n").unwrap();
        let to = first.trim_start_matches("X-Rcpt-To: ").to_string();
        let (headers, _) = split_head(rest);
        let mut parts = Vec::new();
        leaves(rest, &mut parts);
        Mail { to, headers, parts }
    }

    fn part(&self, content_type: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|(ct, _)| ct.starts_with(content_type))
            .map(|(_, b)| b.as_str())
    }

    fn text(&self) -> &str {
        self.part("text/plain").expect("a text part")
    }

    fn message_id(&self) -> String {
        header(&self.headers, "message-id").unwrap().to_string()
    }
}

/// A minimal iCalendar check: folded lines, NAME[;PARAMS]:VALUE, balanced BEGIN/END.
fn parse_ics(text: &str) -> Vec<(String, String)> {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut stack = Vec::new();
    let mut props = Vec::new();
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').expect("NAME:VALUE");
        let name = name.split(';').next().unwrap().to_string();
        match name.as_str() {
            "BEGIN" => stack.push(value.to_string()),
            "END" => assert_eq!(stack.pop().as_deref(), Some(value)),
            _ => {}
        }
        props.push((name, value.replace("\\,", ",").replace("\\n", "\n")));
    }
    assert!(stack.is_empty(), "unbalanced calendar");
    assert_eq!(
        props.first().unwrap(),
        &("BEGIN".into(), "VCALENDAR".into())
    );
    props
}

/// Runs the story on SQLite and PostgreSQL with a fresh SMTP server and the app's worker on it.
macro_rules! mail_story {
    ($name:ident, |$app:ident, $smtp:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            async fn run($app: common::TestApp, mut $smtp: Smtp) $body

            async fn go(backend: Backend) {
                if !aiosmtpd_available() {
                    return;
                }
                if backend == Backend::Postgres && common::postgres_url().is_none() {
                    return;
                }
                let smtp = Smtp::start().await;
                let mail = smtp.settings();
                let app = common::TestApp::spawn_with(backend, move |s| s.mail = mail).await;
                run(app, smtp).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                go(Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                go(Backend::Postgres).await;
            }
        }
    };
}

fn current_slug() -> String {
    let (g, ..) = writeathon::campaigns::demo::current_dates(chrono::Utc::now().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

fn event_body(capacity: Option<i64>) -> Value {
    let (g, ..) = writeathon::campaigns::demo::current_dates(chrono::Utc::now().date_naive());
    json!({"title": "Letters and soup", "kind": "faith", "visibility": "public",
        "starts_at": format!("{g}T13:00:00-03:30"), "ends_at": format!("{g}T16:00:00-03:30"),
        "timezone": "America/St_Johns", "venue_name": "St. Thomas' Church hall", "address": "8 Military Rd",
        "city": "St. John's", "region": "CA-NL", "country": "CA", "latitude": 47.5675, "longitude": -52.7072,
        "capacity": capacity, "accessibility": "Step-free entrance", "step_free": true,
        "description": "Bring a pen", "language": "en"})
}

async fn create_event(app: &TestApp, token: &str, capacity: Option<i64>) -> i64 {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", current_slug())))
        .bearer_auth(token)
        .json(&event_body(capacity))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn rsvp(app: &TestApp, id: i64, name: &str, email: &str, lang: &str) -> Value {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{id}/rsvps")))
        .header("accept-language", lang)
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn outbox_status(app: &TestApp) -> Vec<(String, String, i64, Option<String>)> {
    sqlx::query("SELECT recipient, status, attempts, last_error FROM outbox ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("recipient"),
                r.get("status"),
                i64::from(r.get::<i32, _>("attempts")),
                r.get("last_error"),
            )
        })
        .collect()
}

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
    let cancel_url = ann["cancel_url"].as_str().unwrap();
    assert!(text.contains(cancel_url), "{text}");
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
    let path = cancel_url.strip_prefix(&app.base).unwrap();
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
            .any(|m| m.text().contains("cancelled this event"))
    );
    let cy_mails = smtp.wait_for("cy@example.org", 2).await;
    assert!(
        cy_mails
            .iter()
            .any(|m| m.text().contains("cancelled this event"))
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
    let db2 = writeathon::db::Db::connect(&app.url).await.unwrap();
    let second = writeathon::mail::worker::start(db2, smtp.settings()).unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    for n in 0..60 {
        writeathon::mail::queue(
            &mut tx,
            "Writeathon <noreply@writeathon.test>",
            writeathon::mail::Letter {
                kind: "test",
                dedupe_key: None,
                to_name: format!("Writer {n}"),
                to_email: format!("many{n}@example.org"),
                subject: "Hello".into(),
                body: writeathon::mail::Body {
                    greeting: "Hello".into(),
                    ..Default::default()
                },
                calendar: None,
            },
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
