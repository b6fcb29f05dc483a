//! What the server writes to its log: never passwords, tokens, session ids, emails or street
//! addresses; unexpected errors logged with the request id and shown without internals.
//! One test per binary, because it installs the process-wide log subscriber.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{PASSWORD, TestApp};
use writeathon::accounts::Role;
use writeathon::db::Backend;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_secrets_and_errors_hold_no_internals() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        // The test's own HTTP client logs its cookies; only the server is under test here.
        .with_env_filter("debug,cookie_store=off,reqwest=off,hyper_util::client=off")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let app = TestApp::spawn(Backend::Sqlite).await;
    let email = "secret.person@example.org";
    let r = app
        .post_form(
            "/signup",
            &[
                ("display_name", "Secret Person"),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    // Confirmed by the mailed link (only a confirmed address gets API tokens), then signed in.
    let link = app.mailed_link(email, "/account/verify/").await;
    assert_eq!(app.get(&link).await.status(), 200);
    let r = app
        .post_form("/signin", &[("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("session="))
        .unwrap();
    let session = session
        .trim_start_matches("session=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = app
        .post_form("/account/tokens", &[("label", "laptop")])
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("wa_").unwrap();
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    app.post_form(
        "/signin",
        &[("email", email), ("password", "a wrong password here")],
    )
    .await;
    let other = common::browser();
    let fields = [("email", email), ("password", PASSWORD)];
    app.submit(&other, "/signin", &fields).await;
    reqwest::Client::new()
        .get(app.url("/api/v1/campaigns"))
        .bearer_auth(&token)
        // Only our own request ids reach the log.
        .header("x-request-id", "forged-request-id-4711")
        .send()
        .await
        .unwrap();
    app.sign_in_as("staff.member@example.org", Role::Staff)
        .await;
    let address = "77 Hidden Lane";
    app.post_form(
        "/staff/campaigns/w4r-2017/cases",
        &[
            ("slug", "addr-case"),
            ("name", "A"),
            ("country", "CA"),
            ("summary", "s"),
            ("authority_name", "n"),
            ("authority_address", address),
            ("salutation", "Dear,"),
        ],
    )
    .await;

    // An unexpected failure: the page shows a reference, never the cause.
    sqlx::query("DROP TABLE case_updates")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = app.get("/campaigns/w4r-2017/cases/addr-case").await;
    assert_eq!(r.status(), 500);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("Reference: {request_id}")), "{html}");
    assert!(
        !html.contains("case_updates") && !html.to_lowercase().contains("sql"),
        "no internals: {html}"
    );

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("unexpected error") && logs.contains(&request_id),
        "error logged with its request id"
    );
    assert!(
        logs.contains("case_updates"),
        "the cause is in the log for operators"
    );
    for secret in [
        email,
        "staff.member@example.org",
        PASSWORD,
        token.as_str(),
        session.as_str(),
        address,
        "Secret Person",
        "forged-request-id-4711",
    ] {
        if let Some(at) = logs.find(secret) {
            panic!(
                "{secret:?} leaked into the logs: {}",
                &logs[at.saturating_sub(300)..(at + 100).min(logs.len())]
            );
        }
    }
    assert!(
        logs.contains("route=\"/signin\""),
        "requests are logged by route: {}",
        &logs[..logs.len().min(2000)]
    );
}
