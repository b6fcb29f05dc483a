//! Staff and admins sign in with a second factor (TOTP): set up from the account page, asked
//! for after the password, each code good once, recovery codes for a lost phone.

mod common;

use chrono::Duration;
use common::{PASSWORD, TestApp, browser, extract_csrf};
use reqwest::StatusCode;
use writeathon::accounts::Role;
use writeathon::accounts::second_factor::code_at;

async fn text(client: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form_page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = text(client, app, form_page).await;
    let csrf = extract_csrf(&html);
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(app.url(path)).form(&all).send().await.unwrap()
}

async fn password_sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
) -> reqwest::Response {
    post(
        client,
        app,
        "/signin",
        "/signin",
        &[("email", email), ("password", PASSWORD)],
    )
    .await
}

story!(staff_rights_wait_for_a_second_factor, |app| {
    app.add_account("staff@example.org", Role::Staff, None)
        .await;
    let client = browser();
    assert_eq!(
        password_sign_in(&app, &client, "staff@example.org")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // Signed in, with a host's rights only, and asked to set the factor up.
    let (status, _) = text(&client, &app, "/staff/mail").await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
    let (_, account) = text(&client, &app, "/account").await;
    assert!(account.contains("Your staff role needs two-step sign-in"));

    let (status, page) = text(&client, &app, "/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("data:image/svg+xml;base64,"), "a QR code");
    assert!(
        page.contains("otpauth://totp/Writeathon:staff%40example.org?"),
        "a link for the phone"
    );
    let start = page.find("id=\"second-factor-key\">").unwrap() + "id=\"second-factor-key\">".len();
    let key = page[start..].split('<').next().unwrap().to_string();
    assert!(key.len() >= 32, "the key as text: {key}");
    let r = post(
        &client,
        &app,
        "/account/second-factor",
        "/account/second-factor",
        &[("code", "000000")],
    )
    .await;
    assert_eq!(r.status(), 422, "a wrong code turns nothing on");
    let code = code_at(&key, app.db.now_ms()).unwrap();
    let r = post(
        &client,
        &app,
        "/account/second-factor",
        "/account/second-factor",
        &[("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let shown = r.text().await.unwrap();
    let recovery: Vec<String> = shown
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(recovery.len(), 10, "ten recovery codes, shown once");
    let (status, _) = text(&client, &app, "/staff/mail").await;
    assert_eq!(status, 200, "staff rights now");

    // Next sign-in: the password alone gives no session, the code does; each code once.
    let client = browser();
    let r = password_sign_in(&app, &client, "staff@example.org").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/signin/second-factor");
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("session="))
    );
    assert_eq!(
        client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let r = post(
        &client,
        &app,
        "/signin/second-factor",
        "/signin/second-factor",
        &[("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 422, "the enrolment's code was used");
    app.clock.advance(Duration::seconds(31));
    let fresh = code_at(&key, app.db.now_ms()).unwrap();
    let r = post(
        &client,
        &app,
        "/signin/second-factor",
        "/signin/second-factor",
        &[("code", &fresh)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/account");
    assert_eq!(text(&client, &app, "/staff/mail").await.0, 200);

    // A recovery code stands in for the phone, once (in a fresh rate-limit window: six codes
    // were tried above).
    app.clock.advance(Duration::minutes(16));
    for (attempt, want) in [
        (1, StatusCode::SEE_OTHER),
        (2, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let client = browser();
        password_sign_in(&app, &client, "staff@example.org").await;
        let r = post(
            &client,
            &app,
            "/signin/second-factor",
            "/signin/second-factor",
            &[("code", &recovery[0])],
        )
        .await;
        assert_eq!(r.status(), want, "recovery code, attempt {attempt}");
    }
});

story!(
    codes_are_rate_limited_and_a_pending_sign_in_expires,
    |app| {
        app.add_account("admin@example.org", Role::Admin, None)
            .await;
        let client = browser();
        app.sign_in(&client, "admin@example.org").await;
        // A fresh rate-limit window (setting the factor up took a try).
        app.clock.advance(Duration::minutes(16));
        let client = browser();
        password_sign_in(&app, &client, "admin@example.org").await;
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let r = post(
                &client,
                &app,
                "/signin/second-factor",
                "/signin/second-factor",
                &[("code", "123456")],
            )
            .await;
            statuses.push(r.status().as_u16());
        }
        assert_eq!(
            statuses,
            [422, 422, 422, 422, 422, 429],
            "five tries a quarter of an hour"
        );
        // A pending sign-in lasts five minutes.
        let client = browser();
        app.clock.advance(Duration::minutes(16));
        password_sign_in(&app, &client, "admin@example.org").await;
        app.clock.advance(Duration::minutes(6));
        let r = client
            .get(app.url("/signin/second-factor"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/signin");
    }
);
