//! Stories about accounts: sign up, sign in, sessions, CSRF, rate limits, API tokens.

mod common;

use common::PASSWORD;
use reqwest::StatusCode;
use writeathon::accounts::Role;

story!(sign_up_then_sign_out_and_in, |app| {
    let (status, html) = app.get_text("/signup").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("autocomplete=\"new-password\""),
        "password managers can fill it"
    );
    let r = app
        .post_form(
            "/signup",
            &[
                ("display_name", "Ana Host"),
                ("email", "Ana@Example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    // Sign-up signs nobody in: it answers "check your email" (as it would for a taken address).
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("session="))
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Check your email") && html.contains("ana@example.org"),
        "{html}"
    );
    assert_eq!(app.count("sessions").await, 0);
    let r = app
        .post_form(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/account");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (status, html) = app.get_text("/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("ana@example.org") && html.contains("Ana Host"));
    assert_eq!(app.count("sessions").await, 1);

    let r = app.post_form("/signout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("sessions").await, 0);
    let r = app.get("/account").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/signin?next=%2Faccount");

    let r = app
        .post_form(
            "/signin",
            &[
                ("email", "ana@example.org"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("do not match an account"));
    let r = app
        .post_form(
            "/signin",
            &[
                ("email", "ANA@example.org"),
                ("password", PASSWORD),
                ("next", "/campaigns/w4r-2017"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/campaigns/w4r-2017");
    // `next` never leads off the site.
    let other = common::browser();
    let fields = [
        ("email", "ana@example.org"),
        ("password", PASSWORD),
        ("next", "//evil.example/"),
    ];
    let r = app.submit(&other, "/signin", &fields).await;
    assert_eq!(r.headers()["location"], "/account");
});

story!(sign_up_refuses_bad_input_and_stores_nothing, |app| {
    app.add_account("taken@example.org", Role::Host, None).await;
    let before = app.count("accounts").await;
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            vec![
                ("display_name", "".into()),
                ("email", "".into()),
                ("password", "".into()),
            ],
            "This field is required",
        ),
        (
            vec![
                ("display_name", "A".into()),
                ("email", "not-an-email".into()),
                ("password", PASSWORD.into()),
            ],
            "Enter an email address",
        ),
        (
            vec![
                ("display_name", "A".into()),
                ("email", "a@example.org".into()),
                ("password", "password123".into()),
            ],
            "too common",
        ),
        (
            vec![
                ("display_name", "A".into()),
                ("email", "a@example.org".into()),
                ("password", "short".into()),
            ],
            "between 8 and 128",
        ),
        (
            vec![
                ("display_name", "A".into()),
                ("email", "a@example.org".into()),
                ("password", "x".repeat(129)),
            ],
            "between 8 and 128",
        ),
        (
            vec![
                ("display_name", "x".repeat(81)),
                ("email", "a@example.org".into()),
                ("password", PASSWORD.into()),
            ],
            "at most 80",
        ),
        (
            vec![
                ("display_name", "A\r\nBcc: x".into()),
                ("email", "a@example.org".into()),
                ("password", PASSWORD.into()),
            ],
            "one line",
        ),
    ];
    for (fields, message) in cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.post_form("/signup", &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(message),
            "{message} not in page for {fields:?}"
        );
        assert!(!html.contains(PASSWORD), "the password is never sent back");
    }
    // A 1 MB field is refused before it is read.
    // (On its own connection: the server closes a connection whose body it refused to read.)
    let huge = "x".repeat(1024 * 1024);
    let token = app.csrf().await;
    let r = reqwest::Client::new()
        .post(app.url("/signup"))
        .header("cookie", format!("csrf={token}"))
        .form(&[
            ("csrf", token.as_str()),
            ("display_name", huge.as_str()),
            ("email", "b@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("too large"));
    // Script in a name is kept as text and shown escaped.
    let r = app
        .post_form(
            "/signup",
            &[
                ("display_name", "<script>alert(1)</script>"),
                ("email", "c@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post_form(
            "/signin",
            &[("email", "c@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get("/account").await.text().await.unwrap();
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert_eq!(app.count("accounts").await, before + 1);
});

story!(forms_need_the_csrf_token, |app| {
    let before = app.count("accounts").await;
    app.get("/signup").await; // the visitor has a CSRF cookie
    let fields = [
        ("display_name", "A"),
        ("email", "csrf@example.org"),
        ("password", PASSWORD),
    ];
    let r = app
        .client
        .post(app.url("/signup"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("This form has expired"));
    let mut wrong = vec![("csrf", "A".repeat(43))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = app
        .client
        .post(app.url("/signup"))
        .form(&wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A token lifted from the page but sent without the cookie (another site's form) is refused.
    let token = app.csrf().await;
    let mut forged = vec![("csrf", token.clone())];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = common::browser()
        .post(app.url("/signup"))
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A cross-site submission is refused even with both.
    let r = app
        .client
        .post(app.url("/signup"))
        .header("sec-fetch-site", "cross-site")
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Malformed bodies are a clear 400.
    let r = app
        .client
        .post(app.url("/signup"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .client
        .post(app.url("/signup"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf=%ZZ&&=")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    assert_eq!(app.count("accounts").await, before);
    // French visitors read the message in French.
    let r = app
        .client
        .post(app.url("/signup"))
        .header("accept-language", "fr")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Ce formulaire a expiré"));
});

story!(sign_in_is_rate_limited, |app| {
    app.add_account("target@example.org", Role::Host, None)
        .await;
    let mut limited = None;
    for _ in 0..12 {
        let r = app
            .post_form(
                "/signin",
                &[
                    ("email", "target@example.org"),
                    ("password", "wrong guess 1234"),
                ],
            )
            .await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = limited.expect("the 11th attempt on one email is refused");
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry));
    assert!(r.text().await.unwrap().contains("Too many attempts"));
    // Even the right password waits until the window passes.
    let r = app
        .post_form(
            "/signin",
            &[("email", "target@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
});

story!(sessions_are_shared_by_server_processes_and_expire, |app| {
    app.sign_in_as("shared@example.org", Role::Host).await;
    let (other, _stop) = app.second_node().await;
    // The cookie jar is per host:port, so the session cookie is carried to node two by hand.
    // Sign in on node one, use the session on node two.
    let c = common::browser();
    let fields = [("email", "shared@example.org"), ("password", PASSWORD)];
    let r = app.submit(&c, "/signin", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session_cookie = set
        .iter()
        .find(|c| c.starts_with("session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{other}/account"))
        .header("cookie", &session_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "node two knows node one's session");
    // Once expired, the session no longer signs anyone in.
    sqlx::query("UPDATE sessions SET expires_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{other}/account"))
        .header("cookie", &session_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A form posted with an expired session goes to sign in and changes nothing.
    let before = app.count("api_tokens").await;
    let r = app
        .post_form("/account/tokens", &[("label", "laptop")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin")
    );
    assert_eq!(app.count("api_tokens").await, before);
});

story!(api_tokens_are_listed_and_revocable, |app| {
    app.sign_in_as("tokens@example.org", Role::Admin).await;
    let r = app.post_form("/account/tokens", &[("label", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form("/account/tokens", &[("label", "CRM sync")])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let start = html.find("wa_").unwrap();
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    assert_eq!(token.len(), 46);
    // Stored only as a hash.
    use sqlx::Row;
    let stored: String = sqlx::query("SELECT token_hash FROM api_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_ne!(stored, token);
    let api = reqwest::Client::new();
    let body = serde_json::json!({"slug": "t-2031", "title": "Tokens 2031", "global_day": "2031-12-10",
        "starts_on": "2031-11-20", "ends_on": "2031-12-31", "report_deadline": "2032-01-31", "goal": 10});
    let r = api
        .post(app.url("/api/v1/campaigns"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // The account page lists it (by its first characters only) and can revoke it.
    let html = app.get("/account").await.text().await.unwrap();
    assert!(html.contains("CRM sync") && html.contains(&token[..10]) && !html.contains(&token));
    let id: i64 = sqlx::query("SELECT id FROM api_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let r = app
        .post_form(&format!("/account/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = api
        .post(app.url("/api/v1/campaigns"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Someone else's token cannot be revoked.
    let other = app.token_for("other@example.org", Role::Host).await;
    let other_id: i64 = sqlx::query("SELECT id FROM api_tokens WHERE revoked_at IS NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let r = app
        .post_form(&format!("/account/tokens/{other_id}/revoke"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = api
        .get(app.url("/api/v1/campaigns"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
});
