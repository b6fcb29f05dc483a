//! Who may manage webhooks (administrators only: staff of every country, staff of one country
//! and hosts get 403, nobody 401 or the sign-in page), and which URLs are refused: anything but
//! http(s), credentials in the URL, and, unless the operator allows them, loopback, private and
//! link-local addresses. Refusals change nothing.

use reqwest::Method;
use serde_json::json;
use writeathon::accounts::Role;

use crate::common::{self, TestApp, extract_csrf};
use crate::story;
use crate::{api, fast, subscribe};

story!(
    only_administrators_manage_webhooks,
    |s| { fast(s) },
    |app| {
        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let (hook, _) = subscribe(&app, &admin, "http://127.0.0.1:9/x", &["report.created"]).await;
        let tokens = [
            (
                "staff of every country",
                app.token_in("all@example.org", Role::Staff, None).await,
            ),
            (
                "staff of Canada",
                app.token_in("ca@example.org", Role::Staff, Some("CA"))
                    .await,
            ),
            (
                "staff of France",
                app.token_in("fr@example.org", Role::Staff, Some("FR"))
                    .await,
            ),
            (
                "a host",
                app.token_for("host@example.org", Role::Host).await,
            ),
        ];
        let routes: Vec<(Method, String, Option<serde_json::Value>)> = vec![
            (Method::GET, "/api/v1/webhooks".into(), None),
            (
                Method::POST,
                "/api/v1/webhooks".into(),
                Some(json!({"url": "http://127.0.0.1:9/y", "events": ["event.created"]})),
            ),
            (Method::GET, format!("/api/v1/webhooks/{hook}"), None),
            (
                Method::PATCH,
                format!("/api/v1/webhooks/{hook}"),
                Some(json!({"active": false})),
            ),
            (
                Method::GET,
                format!("/api/v1/webhooks/{hook}/deliveries"),
                None,
            ),
            (Method::POST, format!("/api/v1/webhooks/{hook}/test"), None),
            (
                Method::POST,
                format!("/api/v1/webhooks/{hook}/rotate-secret"),
                None,
            ),
            (
                Method::POST,
                format!("/api/v1/webhooks/{hook}/deliveries/1/retry"),
                None,
            ),
            (Method::DELETE, format!("/api/v1/webhooks/{hook}"), None),
        ];
        let before = (
            app.count("webhooks").await,
            app.count("webhook_deliveries").await,
            app.count("audit_log").await,
        );
        for (method, path, body) in &routes {
            for (who, token) in &tokens {
                let (status, answer) = api(&app, method.clone(), path, token, body.clone()).await;
                assert_eq!(status, 403, "{who}: {method} {path}: {answer}");
            }
            let mut r = reqwest::Client::new().request(method.clone(), app.url(path));
            if let Some(b) = body {
                r = r.json(b);
            }
            assert_eq!(
                r.send().await.unwrap().status(),
                401,
                "nobody: {method} {path}"
            );
        }
        let after = (
            app.count("webhooks").await,
            app.count("webhook_deliveries").await,
            app.count("audit_log").await,
        );
        assert_eq!(before, after, "refusals change nothing");

        // The pages: the same people are refused; the administrator is served.
        let pages = [
            "/admin/webhooks".to_string(),
            format!("/admin/webhooks/{hook}"),
        ];
        for (email, role, country) in [
            ("all-page@example.org", Role::Staff, None),
            ("ca-page@example.org", Role::Staff, Some("CA")),
            ("host-page@example.org", Role::Host, None),
        ] {
            let browser = TestApp::browser_in(&app, email, role, country).await;
            for page in &pages {
                let r = browser.get(app.url(page)).send().await.unwrap();
                assert_eq!(r.status(), 403, "{email}: {page}");
            }
            let csrf = extract_csrf(&app.page(&browser, "/signin").await);
            let r = browser
                .post(app.url(&format!("/admin/webhooks/{hook}/delete")))
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "{email}: delete");
        }
        let nobody = crate::common::browser();
        for page in &pages {
            let r = nobody.get(app.url(page)).send().await.unwrap();
            assert!(
                r.status().is_redirection() || r.status() == 401,
                "nobody: {page}: {}",
                r.status()
            );
        }
        assert_eq!(app.count("webhooks").await, 1);

        // Everything works for the administrator, through the pages too: the secret is shown once.
        let admin_browser = TestApp::browser_for(&app, "admin-page@example.org", Role::Admin).await;
        let console = app.page(&admin_browser, "/staff").await;
        assert!(console.contains("href=\"/admin/webhooks\""), "{console}");
        let staff_browser =
            TestApp::browser_in(&app, "all-console@example.org", Role::Staff, None).await;
        let console = app.page(&staff_browser, "/staff").await;
        assert!(!console.contains("/admin/webhooks"), "{console}");
        let html = app.page(&admin_browser, "/admin/webhooks").await;
        assert!(html.contains("http://127.0.0.1:9/x"), "{html}");
        let csrf = extract_csrf(&html);
        let r = admin_browser
            .post(app.url("/admin/webhooks"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("url", "http://127.0.0.1:9/z"),
                ("description", "Chat"),
                ("events", "rsvp.created"),
                ("events", "event.created"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("whsec_"), "the new secret is shown: {html}");
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM webhooks")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let again = app
            .page(&admin_browser, &format!("/admin/webhooks/{id}"))
            .await;
        assert!(!again.contains("whsec_"), "and only once");
        let r = admin_browser
            .post(app.url("/admin/webhooks"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("url", "gopher://example.org/"),
                ("events", "rsvp.created"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Only http and https addresses are allowed."),
            "{html}"
        );
        for (method, path, body) in &routes {
            let (status, answer) = api(&app, method.clone(), path, &admin, body.clone()).await;
            let expected: &[u16] = match path.as_str() {
                p if p.ends_with("/retry") => &[404, 409],
                _ => &[200, 201, 202, 204],
            };
            assert!(
                expected.contains(&status),
                "admin: {method} {path}: {status} {answer}"
            );
        }
    }
);

story!(webhook_urls_must_be_public_http, |app| {
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    for (url, field) in [
        ("ftp://example.org/hook", "url"),
        ("file:///etc/passwd", "url"),
        ("http://127.0.0.1:8080/hook", "url"),
        ("http://localhost/hook", "url"),
        ("http://10.0.0.5/hook", "url"),
        ("http://169.254.169.254/latest/meta-data/", "url"),
        ("http://[::1]/hook", "url"),
        ("https://user:secret@example.org/hook", "url"),
    ] {
        let (status, body) = api(
            &app,
            Method::POST,
            "/api/v1/webhooks",
            &admin,
            Some(json!({"url": url, "events": ["event.created"]})),
        )
        .await;
        assert_eq!(status, 422, "{url}: {body}");
        assert!(body["errors"][field].is_array(), "{url}: {body}");
        assert!(!body.to_string().contains("secret@"), "{body}");
    }
    for (events, why) in [
        (json!([]), "nothing"),
        (json!(["event.exploded"]), "unknown"),
    ] {
        let (status, body) = api(
            &app,
            Method::POST,
            "/api/v1/webhooks",
            &admin,
            Some(json!({"url": "https://crm.example.org/hook", "events": events})),
        )
        .await;
        assert_eq!(status, 422, "{why}: {body}");
        assert!(body["errors"]["events"].is_array(), "{body}");
    }
    let (status, _) = api(
        &app,
        Method::POST,
        "/api/v1/webhooks",
        &admin,
        Some(json!({"url": 7})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(app.count("webhooks").await, 0);
    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/webhooks",
        &admin,
        Some(json!({"url": "https://crm.example.org/hook", "events": ["action.confirmed"]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["events"], json!(["action.confirmed"]));
});
