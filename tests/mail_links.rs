//! Links sent by mail, followed the way a person does: confirming the address after sign-up,
//! resetting a forgotten password, signing in without one. Real SMTP on loopback.

mod common;

use common::smtp::*;
use common::{browser, extract_csrf};
use reqwest::StatusCode;
use writeathon::accounts::Role;
use writeathon::db::Backend;

/// The page at `path` as `client` sees it.
async fn page(app: &common::TestApp, client: &reqwest::Client, path: &str) -> String {
    let r = client.get(app.url(path)).send().await.unwrap();
    r.text().await.unwrap()
}

/// Fetches `path` in `client` and posts `fields` as its form would: with the page's CSRF token and
/// its hidden `next`.
async fn submit(
    app: &common::TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let html = page(app, client, path).await;
    let csrf = extract_csrf(&html);
    let next = html
        .split("name=\"next\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .replace("&#x2f;", "/");
    let mut all = vec![("csrf", csrf.as_str()), ("next", next.as_str())];
    all.extend_from_slice(fields);
    client.post(app.url(path)).form(&all).send().await.unwrap()
}

fn path_of(app: &common::TestApp, url: &str) -> String {
    url.strip_prefix(&app.base).unwrap().to_string()
}

async fn signs_in(app: &common::TestApp, email: &str, password: &str) -> bool {
    let r = submit(
        app,
        &browser(),
        "/signin",
        &[("email", email), ("password", password)],
    )
    .await;
    r.status() == StatusCode::SEE_OTHER
}

mail_story!(
    sign_up_confirms_the_address_in_the_visitors_language,
    |app, smtp| {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [(
                    reqwest::header::ACCEPT_LANGUAGE,
                    "fr-CA,fr;q=0.9".parse().unwrap(),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let r = submit(
            &app,
            &client,
            "/signup",
            &[
                ("email", "Élise@Example.org"),
                ("display_name", "Élise\r\nBcc: eve@example.org"),
                ("password", "lettres pour les droits"),
            ],
        )
        .await;
        assert_eq!(r.status(), 422, "a name on two lines is refused");
        let r = submit(
            &app,
            &client,
            "/signup",
            &[
                ("email", "Élise@Example.org"),
                ("display_name", "Élise Tremblay"),
                ("password", "lettres pour les droits"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = submit(
            &app,
            &client,
            "/signin",
            &[
                ("email", "élise@example.org"),
                ("password", "lettres pour les droits"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let html = page(&app, &client, "/account").await;
        assert!(html.contains("Pas encore confirmée"), "{html}");

        let mail = smtp.wait_for("élise@example.org", 1).await.pop().unwrap();
        assert_eq!(
            header(&mail.headers, "subject"),
            Some("Confirmez votre adresse pour Writeathon")
        );
        assert!(mail.text().contains("Bonjour Élise Tremblay"));
        assert!(mail.part("text/html").unwrap().contains("lang=\"fr\""));
        let link = link_in(mail.text(), "/account/verify/");
        // Anyone holding the link confirms it, signed in or not; a second time says it is used.
        let (status, html) = app.get_text(&path_of(&app, &link)).await;
        assert_eq!(status, 200, "{html}");
        let (status, _) = app.get_text(&path_of(&app, &link)).await;
        assert_eq!(status, StatusCode::GONE);
        let html = page(&app, &client, "/account").await;
        assert!(!html.contains("Pas encore confirmée"));
        let (status, _) = app
            .get_text("/account/verify/forged-token-forged-token")
            .await;
        assert_eq!(status, StatusCode::GONE);
    }
);

mail_story!(password_reset_by_link_once, |app, smtp| {
    app.add_account("ana@example.org", Role::Host, None).await;
    let visitor = browser();
    // An address without an account gets the same answer, and no mail.
    let r = submit(
        &app,
        &visitor,
        "/account/reset",
        &[("email", "nobody@example.org")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let unknown = r.text().await.unwrap();
    let r = submit(
        &app,
        &visitor,
        "/account/reset",
        &[("email", "ANA@example.org")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let known = r.text().await.unwrap();
    assert!(unknown.contains("a link is on its way") && known.contains("a link is on its way"));
    let r = submit(
        &app,
        &visitor,
        "/account/reset",
        &[("email", "not an email")],
    )
    .await;
    assert_eq!(r.status(), 422);

    let mail = smtp.wait_for("ana@example.org", 1).await.pop().unwrap();
    let link = path_of(&app, &link_in(mail.text(), "/account/reset/"));
    // A weak password is refused and the link still works.
    let r = submit(&app, &visitor, &link, &[("password", "password")]).await;
    assert_eq!(r.status(), 422);
    let r = submit(&app, &visitor, &link, &[("password", "a new long secret")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/account");
    assert!(signs_in(&app, "ana@example.org", "a new long secret").await);
    assert!(!signs_in(&app, "ana@example.org", common::PASSWORD).await);
    // Used once: the link is spent.
    let r = visitor.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::GONE);
    // The address without an account is told so, with no link that does anything.
    let none = smtp.wait_for("nobody@example.org", 1).await.pop().unwrap();
    assert!(
        none.text().contains("no Writeathon account uses it"),
        "{}",
        none.text()
    );
    assert!(!none.text().contains("/account/reset/") && !none.text().contains("/signin/link/"));
});

mail_story!(sign_in_link_signs_in_once_and_expires, |app, smtp| {
    app.add_account("bo@example.org", Role::Host, None).await;
    let visitor = browser();
    // Asked for on the way to the host's page: the link leads back there.
    let r = submit(
        &app,
        &visitor,
        "/signin/link?next=/host",
        &[("email", "bo@example.org")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let mail = smtp.wait_for("bo@example.org", 1).await.pop().unwrap();
    let link = path_of(&app, &link_in(mail.text(), "/signin/link/"));

    // Opening the link (as a mail scanner would) does not use it up; the button signs in.
    let phone = browser();
    for _ in 0..2 {
        let r = phone.get(app.url(&link)).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = submit(&app, &phone, &link, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/host");
    let html = page(&app, &phone, "/account").await;
    assert!(html.contains("bo@example.org"), "signed in");
    let r = phone.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::GONE, "single use");

    // A link past its time does not sign in.
    let r = submit(
        &app,
        &visitor,
        "/signin/link",
        &[("email", "bo@example.org")],
    )
    .await;
    assert_eq!(r.status(), 200);
    let second = smtp.wait_for("bo@example.org", 2).await;
    let fresh = second
        .iter()
        .map(|m| path_of(&app, &link_in(m.text(), "/signin/link/")))
        .find(|l| *l != link)
        .unwrap();
    sqlx::query("UPDATE account_links SET expires_at = $1")
        .bind(app.db.now_ms() - 1)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late = browser();
    let r = late.get(app.url(&fresh)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::GONE);
    let html = r.text().await.unwrap();
    assert!(html.contains("/signin/link"), "offers a new link");
});
