//! A real SMTP server on loopback for the mail stories — Stalwart's `smtp-proto` parsing each
//! command, behind a session loop of our own, so `cargo test` needs nothing installed — and
//! helpers to read what it received.
//!
//! It speaks EHLO, MAIL (with SMTPUTF8 and 8BITMIME, so internationalised addresses go through as
//! they would to a real relay), RCPT, DATA, RSET, NOOP and QUIT. Each accepted message is written
//! to `dir/<n>.eml` with an `X-Rcpt-To:` line first. Recipients whose local part starts with
//! "reject" are refused with a 550, as a real server refuses an unknown mailbox. The server runs on
//! a thread of its own, so `down` can stop it at once (the port refuses connections when it
//! returns) and `up` can start it again on the same port.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use smtp_proto::Request;
use sqlx::Row;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use writeathon::config::mail::{MailSettings, SmtpConfig, TlsMode, Transport};

use super::TestApp;

/// The SMTP server; it can be stopped and started again on the same port.
pub struct Smtp {
    pub port: u16,
    pub dir: PathBuf,
    running: Option<(tokio::sync::oneshot::Sender<()>, JoinHandle<()>)>,
    _tmp: tempfile::TempDir,
}

/// Names received messages in the order they were accepted.
static RECEIVED: AtomicU64 = AtomicU64::new(0);

const EHLO: &str = "250-smtp.writeathon.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n\
                    250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n";

/// Writes a message as received: the envelope's recipients, then the data. Written aside and
/// renamed, so a reader never sees half a message.
fn save(dir: &std::path::Path, recipients: &[String], data: &[u8]) -> std::io::Result<()> {
    let name = format!("{:08}", RECEIVED.fetch_add(1, Ordering::SeqCst));
    let tmp = dir.join(format!(".{name}"));
    let mut file = format!("X-Rcpt-To: {}\r\n", recipients.join(",")).into_bytes();
    file.extend_from_slice(data);
    std::fs::write(&tmp, &file)?;
    std::fs::rename(&tmp, dir.join(format!("{name}.eml")))
}

async fn session(stream: TcpStream, dir: PathBuf) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write
        .write_all(b"220 smtp.writeathon.test ESMTP\r\n")
        .await?;
    let (mut sender, mut recipients) = (None::<String>, Vec::<String>::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let reply: std::borrow::Cow<str> = match Request::parse(&mut line.iter()) {
            Ok(Request::Ehlo { .. }) => EHLO.into(),
            Ok(Request::Helo { .. } | Request::Noop { .. }) => "250 2.0.0 OK\r\n".into(),
            Ok(Request::Rset) => {
                (sender, recipients) = (None, Vec::new());
                "250 2.0.0 OK\r\n".into()
            }
            Ok(Request::Mail { from }) => {
                (sender, recipients) = (Some(from.address.into_owned()), Vec::new());
                "250 2.1.0 OK\r\n".into()
            }
            Ok(Request::Rcpt { .. }) if sender.is_none() => "503 5.5.1 MAIL first\r\n".into(),
            Ok(Request::Rcpt { to }) => {
                let local = to.address.split('@').next().unwrap_or_default();
                if local.starts_with("reject") {
                    "550 5.1.1 Recipient address rejected: no such mailbox\r\n".into()
                } else {
                    recipients.push(to.address.into_owned());
                    "250 2.1.5 OK\r\n".into()
                }
            }
            Ok(Request::Data) if recipients.is_empty() => {
                "554 5.5.1 No valid recipients\r\n".into()
            }
            Ok(Request::Data) => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if read.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    match line.as_slice() {
                        b".\r\n" => break,
                        [b'.', rest @ ..] => data.extend_from_slice(rest),
                        whole => data.extend_from_slice(whole),
                    }
                }
                let saved = save(&dir, &recipients, &data);
                (sender, recipients) = (None, Vec::new());
                match saved {
                    Ok(()) => "250 2.0.0 Message accepted\r\n".into(),
                    Err(_) => "451 4.3.0 Local error in processing\r\n".into(),
                }
            }
            Ok(Request::Quit) => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            Ok(_) => "502 5.5.1 Command not implemented\r\n".into(),
            Err(_) => "500 5.5.2 Syntax error\r\n".into(),
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

impl Smtp {
    pub async fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mail");
        std::fs::create_dir_all(&dir).unwrap();
        let mut smtp = Smtp {
            port,
            dir,
            running: None,
            _tmp: tmp,
        };
        smtp.up().await;
        smtp
    }

    /// Starts the server on its port; returns once it accepts connections.
    pub async fn up(&mut self) {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, is_ready) = std::sync::mpsc::channel();
        let (port, dir) = (self.port, self.dir.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = match TcpListener::bind(("127.0.0.1", port)).await {
                    Ok(listener) => listener,
                    Err(_) => {
                        let _ = ready.send(false);
                        return;
                    }
                };
                let _ = ready.send(true);
                // Dropped on the way out: every open session ends with the server.
                let mut sessions = tokio::task::JoinSet::new();
                let accept = async {
                    while let Ok((stream, _)) = listener.accept().await {
                        sessions.spawn(session(stream, dir.clone()));
                    }
                };
                tokio::select! {
                    _ = stopped => {}
                    _ = accept => {}
                }
            });
        });
        let bound = tokio::task::spawn_blocking(move || is_ready.recv().unwrap_or(false))
            .await
            .unwrap();
        assert!(
            bound,
            "the SMTP server could not listen on port {}",
            self.port
        );
        self.running = Some((stop, thread));
    }

    /// Stops the server; connections to its port are refused when this returns.
    pub fn down(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
    }

    pub fn settings(&self) -> MailSettings {
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
            // Stories run the scheduler themselves, at the moments they choose.
            reminders_every: None,
        }
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Mail> {
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
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Mail> {
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
pub struct Mail {
    pub to: String,
    pub headers: String,
    pub parts: Vec<(String, String)>,
}

pub fn split_head(raw: &str) -> (String, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    // Unfold continuation lines.
    (
        head.replace("\r\n ", " ").replace("\r\n\t", " "),
        body.to_string(),
    )
}

pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

pub fn quoted_printable(s: &str) -> String {
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

pub fn leaves(raw: &str, out: &mut Vec<(String, String)>) {
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
    pub fn parse(raw: &str) -> Mail {
        let (first, rest) = raw.split_once("\r\n").unwrap();
        let to = first.trim_start_matches("X-Rcpt-To: ").to_string();
        let (headers, _) = split_head(rest);
        let mut parts = Vec::new();
        leaves(rest, &mut parts);
        Mail { to, headers, parts }
    }

    pub fn part(&self, content_type: &str) -> Option<&str> {
        self.parts
            .iter()
            .find(|(ct, _)| ct.starts_with(content_type))
            .map(|(_, b)| b.as_str())
    }

    pub fn text(&self) -> &str {
        self.part("text/plain").expect("a text part")
    }

    pub fn message_id(&self) -> String {
        header(&self.headers, "message-id").unwrap().to_string()
    }
}

/// A minimal iCalendar check: folded lines, NAME[;PARAMS]:VALUE, balanced BEGIN/END.
pub fn parse_ics(text: &str) -> Vec<(String, String)> {
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
#[macro_export]
macro_rules! mail_story {
    ($name:ident, |$app:ident, $smtp:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            async fn run($app: common::TestApp, mut $smtp: Smtp) $body

            async fn go(backend: Backend) {
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

pub fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(super::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

pub fn event_body(capacity: Option<i64>) -> Value {
    let (g, ..) = writeathon::demo::current_dates(super::today().date_naive());
    json!({"title": "Letters and soup", "kind": "faith", "visibility": "public",
        "starts_at": format!("{g}T13:00:00-03:30"), "ends_at": format!("{g}T16:00:00-03:30"),
        "timezone": "America/St_Johns", "venue_name": "St. Thomas' Church hall", "address": "8 Military Rd",
        "city": "St. John's", "region": "CA-NL", "country": "CA", "latitude": 47.5675, "longitude": -52.7072,
        "capacity": capacity, "accessibility": "Step-free entrance", "step_free": true,
        "description": "Bring a pen", "language": "en"})
}

pub async fn create_event(app: &TestApp, token: &str, capacity: Option<i64>) -> i64 {
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

pub async fn rsvp(app: &TestApp, id: i64, name: &str, email: &str, lang: &str) -> Value {
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

pub async fn outbox_status(app: &TestApp) -> Vec<(String, String, i64, Option<String>)> {
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

/// The first URL in `text` whose path contains `fragment`.
pub fn link_in(text: &str, fragment: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(fragment))
        .unwrap_or_else(|| panic!("no link with {fragment} in:\n{text}"))
        .to_string()
}

/// A plain test message to `email`.
pub fn test_letter(n: usize, email: String) -> writeathon::outbox::Letter {
    writeathon::outbox::Letter {
        kind: "test",
        dedupe_key: None,
        to_name: format!("Writer {n}"),
        to_email: email,
        subject: "Hello".into(),
        body: writeathon::outbox::Body {
            greeting: "Hello".into(),
            ..Default::default()
        },
        calendar: None,
        unsubscribe: None,
        country: None,
    }
}
