//! A hostile visitor's tries at accounts and RSVPs: an unconfirmed address is nobody, an RSVP
//! answer or a sign-up tells nothing about a person, a reset shuts every door the old password
//! opened, a used link spends its siblings, idle sessions end, unsubscribe tokens are stored
//! hashed.

mod common;

use chrono::Duration;
use common::{PASSWORD, TestApp, browser, extract_csrf};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

/// A home event on the current campaign's global day, hosted by a new account; returns its id.
async fn home_event(app: &TestApp, host: &str) -> i64 {
    let token = app.token_for(host, Role::Host).await;
    let (g, ..) = writeathon::demo::current_dates(app.clock.today());
    let body = json!({"title": "Letters at home", "kind": "home", "visibility": "public",
        "starts_at": format!("{g}T13:00:00Z"), "ends_at": format!("{g}T16:00:00Z"), "timezone": "UTC",
        "address": "12 Hidden Lane", "city": "Halifax", "country": "CA"});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn rsvp(app: &TestApp, event: i64, name: &str, email: &str) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/events/{event}/rsvps")))
        .json(&json!({"name": name, "email": email}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

/// A client that signed up with the form (so its address is unconfirmed) and signed in.
async fn signed_up(app: &TestApp, email: &str) -> reqwest::Client {
    let client = browser();
    app.sign_up_and_in(&client, email, "Someone").await;
    client
}

// Finding 1: an RSVP made with someone's email, then an account signed up with that email,
// showed the account the home's street address. (Fails before the fix: the address is shown.)
story!(an_unconfirmed_address_is_not_an_attendee, |app| {
    let id = home_event(&app, "host@example.org").await;
    assert_eq!(rsvp(&app, id, "Victim", "victim@example.org").await.0, 201);
    let impostor = signed_up(&app, "victim@example.org").await;
    let html = app.page(&impostor, &format!("/events/{id}")).await;
    assert!(html.contains("Letters at home"), "the public page is shown");
    assert!(
        !html.contains("12 Hidden Lane"),
        "no street address for an unconfirmed account"
    );

    // The real owner follows the link mailed to the address: now the address proves who they are.
    let link = app
        .mailed_link("victim@example.org", "/account/verify/")
        .await;
    assert_eq!(
        impostor.get(app.url(&link)).send().await.unwrap().status(),
        200
    );
    let html = app.page(&impostor, &format!("/events/{id}")).await;
    assert!(
        html.contains("12 Hidden Lane"),
        "a confirmed attendee sees it"
    );
});

// Finding 2: a second RSVP with an attending email answered differently (no cancel link).
// (Fails before the fix: the bodies differ.)
story!(an_rsvp_answer_says_nothing_about_the_email, |app| {
    let id = home_event(&app, "host@example.org").await;
    let fresh = rsvp(&app, id, "Ann", "ann@example.org").await;
    let repeat = rsvp(&app, id, "Probe", "ann@example.org").await;
    let other = rsvp(&app, id, "Bea", "bea@example.org").await;
    assert_eq!(fresh.0, 201);
    assert_eq!(repeat, fresh, "repeat and first answers are identical");
    assert_eq!(other, fresh, "and so is anyone else's");
    assert!(
        !fresh.1.contains("cancel") && !fresh.1.contains("\"id\""),
        "{}",
        fresh.1
    );
    // The HTML form too: the page after a repeat reads exactly as after a new RSVP.
    let form = |name: &'static str, email: &'static str| {
        let app = &app;
        async move {
            let client = browser();
            let html = app.page(&client, &format!("/events/{id}")).await;
            let csrf = extract_csrf(&html);
            client
                .post(app.url(&format!("/events/{id}/rsvps")))
                .form(&[("csrf", csrf.as_str()), ("name", name), ("email", email)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .replace(&csrf, "")
        }
    };
    let new_page = form("Cy", "cy@example.org").await;
    let repeat_page = form("Probe", "cy@example.org").await;
    assert_eq!(new_page, repeat_page);
});

// Finding 3: sign-up said "email taken". (Fails before the fix: 422 with that message, and a
// session for the new account only.)
story!(sign_up_answers_the_same_for_a_taken_address, |app| {
    app.add_account("taken@example.org", Role::Host, None).await;
    let try_sign_up = |email: &'static str| {
        let app = &app;
        async move {
            let client = browser();
            let csrf = extract_csrf(&app.page(&client, "/signup").await);
            let r = client
                .post(app.url("/signup"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("display_name", "Eve"),
                    ("email", email),
                    ("password", PASSWORD),
                ])
                .send()
                .await
                .unwrap();
            let status = r.status();
            let cookies: Vec<String> = r
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().split('=').next().unwrap().to_string())
                .collect();
            (
                status,
                cookies,
                r.text()
                    .await
                    .unwrap()
                    .replace(&csrf, "")
                    .replace(email, "EMAIL"),
            )
        }
    };
    let taken = try_sign_up("taken@example.org").await;
    let fresh = try_sign_up("fresh@example.org").await;
    assert_eq!(taken, fresh, "same status, cookies and page");
    assert_eq!(taken.0, 200);
    assert!(
        !taken.1.iter().any(|c| c.contains("session")),
        "nobody is signed in by sign-up"
    );
    // The owner hears of it; the new address gets its confirmation link.
    let to_owner = app.outbox_for("taken@example.org").await;
    assert_eq!(to_owner.len(), 1);
    assert!(to_owner[0].contains("Someone tried to sign up with your address"));
    assert_eq!(app.outbox_for("fresh@example.org").await.len(), 1);
    // Link requests do the same work either way: one message queued, to the address asked for.
    for path in ["/account/reset", "/signin/link"] {
        for email in ["taken@example.org", "nobody@example.org"] {
            let before = app.outbox_for(email).await.len();
            let r = app.post_form(path, &[("email", email)]).await;
            assert_eq!(r.status(), 200);
            assert!(app.outbox_for(email).await.len() <= before + 1);
        }
    }
    let none = app.outbox_for("nobody@example.org").await;
    assert_eq!(
        none.len(),
        1,
        "once a day at most to an address with no account"
    );
    assert!(none[0].contains("no Writeathon account uses it"));
});

// Finding 5: a reset left API tokens alive; unconfirmed accounts could issue tokens.
// (Fails before the fix: the old token still answers 200.)
story!(a_password_reset_ends_every_session_and_token, |app| {
    let token = app.token_for("ana@example.org", Role::Host).await;
    let event_as = |t: String| {
        let app = &app;
        async move {
            let (g, ..) = writeathon::demo::current_dates(app.clock.today());
            let body = json!({"title": "Letters", "kind": "cafe", "visibility": "public",
                "starts_at": format!("{g}T13:00:00Z"), "ends_at": format!("{g}T16:00:00Z"),
                "timezone": "UTC", "address": "1 Main St", "city": "Halifax", "country": "CA"});
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/campaigns/{}/events", app.current_slug())))
                .bearer_auth(t)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(event_as(token.clone()).await, 201, "the token works");
    let elsewhere = browser();
    let csrf = extract_csrf(&app.page(&elsewhere, "/signin").await);
    let r = elsewhere
        .post(app.url("/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "ana@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form("/account/reset", &[("email", "ana@example.org")])
        .await;
    assert_eq!(r.status(), 200);
    let link = app.mailed_link("ana@example.org", "/account/reset/").await;
    let r = app
        .post_form(&link, &[("password", "a brand new passphrase for ana")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        event_as(token).await,
        401,
        "the token died with the old password"
    );
    let r = elsewhere.get(app.url("/account")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the other session ended");

    // An unconfirmed account gets no token from the account page.
    let unconfirmed = signed_up(&app, "new@example.org").await;
    let html = app.page(&unconfirmed, "/account").await;
    let csrf = extract_csrf(&html);
    let r = unconfirmed
        .post(app.url("/account/tokens"))
        .form(&[("csrf", csrf.as_str()), ("label", "script")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let id: i64 = sqlx::query("SELECT id FROM accounts WHERE email = 'new@example.org'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(app.count_where("api_tokens", "account_id", id).await, 0);
});

// Finding 9: using one sign-in or reset link left the others valid. (Fails before the fix: the
// older link still signs in.)
story!(a_used_link_spends_the_others, |app| {
    app.add_account("ana@example.org", Role::Host, None).await;
    for _ in 0..2 {
        let r = app
            .post_form("/signin/link", &[("email", "ana@example.org")])
            .await;
        assert_eq!(r.status(), 200);
    }
    let r = app
        .post_form("/account/reset", &[("email", "ana@example.org")])
        .await;
    assert_eq!(r.status(), 200);
    let messages = app.outbox_for("ana@example.org").await;
    assert_eq!(messages.len(), 3);
    let reset = app.mailed_link("ana@example.org", "/account/reset/").await;
    // The second sign-in link, taken out of the second message.
    let second = &messages[1];
    let start = second.find("/signin/link/").unwrap();
    let second: String = second[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
        .collect();
    let r = app.post_form(&second, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the link signs in");
    let (status, _) = app.get_text(&reset).await;
    assert_eq!(status, StatusCode::GONE, "the reset link is spent too");
});

// Finding 9: sessions lasted 30 days with no idle timeout.
story!(idle_sessions_end_sooner_for_staff, |app| {
    let host = TestApp::browser_for(&app, "host@example.org", Role::Host).await;
    let staff = TestApp::browser_for(&app, "staff@example.org", Role::Staff).await;
    let signed_in = |client: reqwest::Client| {
        let app = &app;
        async move {
            client
                .get(app.url("/account"))
                .send()
                .await
                .unwrap()
                .status()
                == 200
        }
    };
    app.clock.advance(Duration::minutes(90));
    assert!(signed_in(host.clone()).await && signed_in(staff.clone()).await);
    app.clock.advance(Duration::minutes(150));
    assert!(!signed_in(staff.clone()).await, "staff: two hours unused");
    assert!(signed_in(host.clone()).await, "a host stays");
    app.clock.advance(Duration::days(6));
    assert!(signed_in(host.clone()).await, "six days after its last use");
    app.clock.advance(Duration::days(8));
    assert!(!signed_in(host).await, "a week unused");
});

// Finding 9: unsubscribe tokens were stored in clear. Old clear ones are hashed on migration and
// keep working.
story!(unsubscribe_tokens_are_stored_hashed, |app| {
    let mut tx = app.db.begin_write().await.unwrap();
    let settings =
        writeathon::config::Settings::new(&app.base, false, writeathon::config::DEFAULT_TILE_URL);
    let url = writeathon::outbox::unsubscribe::link(
        &mut tx,
        app.db.now_ms(),
        &settings,
        "ann@example.org",
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    let token = url.rsplit('/').next().unwrap().to_string();
    let stored: Vec<String> = sqlx::query(
        "SELECT unsubscribe_token FROM mail_recipients UNION ALL SELECT token_hash FROM unsubscribe_links",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert!(
        !stored.iter().any(|s| s == &token),
        "the token is not stored"
    );
    let (status, _) = app.get_text(&format!("/unsubscribe/{token}")).await;
    assert_eq!(status, 200);

    // A token stored in clear by an older version: hashed at the next start, and still works.
    sqlx::query("INSERT INTO mail_recipients (email, unsubscribe_token, token_hashed, created_at) VALUES ('old@example.org', 'an-old-clear-token-of-thirty-chars', 0, 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.db.migrate().await.unwrap();
    let left: i64 = sqlx::query("SELECT COUNT(*) FROM mail_recipients WHERE unsubscribe_token = 'an-old-clear-token-of-thirty-chars'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    let r = app
        .client
        .post(app.url("/unsubscribe/an-old-clear-token-of-thirty-chars"))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let off: Option<i64> =
        sqlx::query("SELECT reminders_off_at FROM mail_recipients WHERE email = 'old@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get(0);
    assert!(off.is_some(), "the old link still turned reminders off");
});
