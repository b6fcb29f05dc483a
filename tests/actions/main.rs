//! Online actions: act, confirm, count once; the same answer whatever the email's state; bad
//! input; the form without JavaScript. `crowd`: many at once, a /64's burst, the challenge;
//! `staff`: invalidating a cluster, the delivery list, good news reaching the signers who asked.
//! Every story on both databases.

#[path = "../common/mod.rs"]
mod common;
mod crowd;
mod staff;

use reqwest::StatusCode;
use serde_json::{Value, json};

const CHECK_YOUR_EMAIL: &str = r#"{"status":"check_your_email"}"#;

/// The current campaign's case slugs.
async fn cases(app: &common::TestApp) -> Vec<String> {
    let slug = app.current_slug();
    let cases: Vec<Value> = app
        .get(&format!("/api/v1/campaigns/{slug}/cases"))
        .await
        .json()
        .await
        .unwrap();
    cases
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

/// Sends an action from address `ip` (the app trusts `X-Forwarded-For` in these stories).
async fn act(
    app: &common::TestApp,
    client: &reqwest::Client,
    case: &str,
    body: Value,
    ip: &str,
) -> reqwest::Response {
    let slug = app.current_slug();
    client
        .post(app.url(&format!("/api/v1/campaigns/{slug}/cases/{case}/actions")))
        .header("x-forwarded-for", ip)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn signer(email: &str, country: &str) -> Value {
    json!({"name": "Ana Lima", "email": email, "country": country, "message": "Free them.", "updates": true})
}

async fn tally(app: &common::TestApp) -> Value {
    let slug = app.current_slug();
    app.get(&format!("/api/v1/campaigns/{slug}/tally"))
        .await
        .json()
        .await
        .unwrap()
}

/// The tally once its online total is `want` (rebuilt at most once a second).
async fn tally_with_online(app: &common::TestApp, want: i64) -> Value {
    for _ in 0..50 {
        let t = tally(app).await;
        if t["totals"]["online"] == want {
            return t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the tally never showed {want} online actions: {}",
        tally(app).await["totals"]
    );
}

fn online_of(rows: &Value, key: &str, value: &str) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .map_or(0, |r| r["online"].as_i64().unwrap())
}

/// Confirms by the newest link mailed to `email`: GET shows a button and counts nothing, POST
/// counts. Returns the POST's page.
async fn confirm(app: &common::TestApp, email: &str) -> (StatusCode, String) {
    let link = app.mailed_link(email, "/actions/confirm/").await;
    let (status, page) = app.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm my action"), "{page}");
    let r = app.post_form(&link, &[]).await;
    (r.status(), r.text().await.unwrap())
}

fn trusting(s: &mut writeathon::config::Settings) {
    s.trust_proxy = true;
    s.action_challenge = writeathon::config::ActionChallenge::Off;
}

story!(
    an_action_counts_once_confirmed,
    |s| { trusting(s) },
    |app| {
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let t0 = tally(&app).await;
        let before = t0["totals"]["online"].as_i64().unwrap();
        let (case_before, br_before) = (
            online_of(&t0["by_case"], "case", &case),
            online_of(&t0["by_country"], "country", "BR"),
        );
        let r = act(
            &app,
            &client,
            &case,
            signer("Ana@Example.org", "BR"),
            "203.0.113.7",
        )
        .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        assert_eq!(r.text().await.unwrap(), CHECK_YOUR_EMAIL);
        // Not counted before the confirmation; the mail carries the link.
        assert_eq!(app.outbox_for("ana@example.org").await.len(), 1);
        assert_eq!(tally(&app).await["totals"]["online"], before);
        // A mail scanner's GET counts nothing.
        let link = app
            .mailed_link("ana@example.org", "/actions/confirm/")
            .await;
        app.get_text(&link).await;
        assert_eq!(tally(&app).await["totals"]["online"], before);
        let (status, page) = confirm(&app, "ana@example.org").await;
        assert_eq!(status, 200);
        assert!(page.contains("your action is counted"), "{page}");
        let t = tally_with_online(&app, before + 1).await;
        assert_eq!(online_of(&t["by_case"], "case", &case), case_before + 1);
        assert_eq!(online_of(&t["by_country"], "country", "BR"), br_before + 1);
        assert_eq!(
            t["totals"]["actions"].as_i64().unwrap(),
            t["totals"]["letters"].as_i64().unwrap()
                + t["totals"]["solidarity"].as_i64().unwrap()
                + before
                + 1
        );
        // The link used again, a second action on the same case: counted once.
        let r = app.post_form(&link, &[]).await;
        assert!(r.text().await.unwrap().contains("was used already"));
        let r = act(
            &app,
            &client,
            &case,
            signer("ana@example.org", "BR"),
            "203.0.113.7",
        )
        .await;
        assert_eq!(r.text().await.unwrap(), CHECK_YOUR_EMAIL);
        assert_eq!(
            app.outbox_for("ana@example.org").await.len(),
            1,
            "no mail: nothing to confirm"
        );
        // A forged link.
        let (status, page) = app.get_text("/actions/confirm/forged-token").await;
        assert_eq!(status, 404);
        assert!(page.contains("not valid"));
        let r = app.post_form("/actions/confirm/forged-token", &[]).await;
        assert_eq!(r.status(), 404);
        // Reconcile recounts the same.
        let drift = writeathon::reports::reconcile::reconcile(&app.db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
        assert_eq!(tally(&app).await["totals"]["online"], before + 1);
    }
);

story!(
    the_answer_never_tells_an_email_state,
    |s| { trusting(s) },
    |app| {
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let mut answers = Vec::new();
        let mut times = Vec::new();
        // New; then pending; then confirmed.
        for step in 0..3 {
            if step == 2 {
                confirm(&app, "bea@example.org").await;
            }
            let started = std::time::Instant::now();
            let r = act(
                &app,
                &client,
                &case,
                signer("bea@example.org", "FR"),
                "198.51.100.1",
            )
            .await;
            times.push(started.elapsed());
            let status = r.status();
            let mut headers: Vec<(String, String)> = r
                .headers()
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "date" | "x-request-id" | "set-cookie"))
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
                .collect();
            headers.sort();
            answers.push((status, headers, r.bytes().await.unwrap()));
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(answers[1], answers[2]);
        assert_eq!(answers[0].0, StatusCode::ACCEPTED);
        // Each answered after a commit, none in a way that stands out.
        let slowest = times.iter().max().unwrap();
        assert!(*slowest < std::time::Duration::from_secs(2), "{times:?}");
    }
);

story!(
    bad_input_is_refused_and_nothing_stored,
    |s| { trusting(s) },
    |app| {
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let ip = "192.0.2.10";
        let (actions, links) = (
            app.count("online_actions").await,
            app.count("action_links").await,
        );
        for (body, field) in [
            (
                json!({"name": "A", "email": "not an email", "country": "CA"}),
                "email",
            ),
            (
                json!({"name": "A", "email": "a@example.org", "country": "XX"}),
                "country",
            ),
            (
                json!({"name": "", "email": "a@example.org", "country": "CA"}),
                "name",
            ),
            (
                json!({"name": "A", "email": "a@example.org", "country": "CA", "message": "m".repeat(1001)}),
                "message",
            ),
        ] {
            let (status, _, problem) =
                common::problem(act(&app, &client, &case, body, ip).await).await;
            assert_eq!(status, 422);
            assert!(problem["errors"][field].is_array(), "{problem}");
        }
        let huge = json!({"name": "A", "email": "a@example.org", "country": "CA", "message": "m".repeat(1 << 20)});
        let refused = act(&app, &client, &case, huge, ip).await;
        assert_eq!(refused.status(), 413);
        // The rest of the refused body is never read: the next request must not use this socket.
        assert_eq!(refused.headers()["connection"], "close");
        let unknown = act(
            &app,
            &client,
            "no-such-case",
            signer("a@example.org", "CA"),
            ip,
        )
        .await;
        assert_eq!(common::problem(unknown).await.0, 404);
        // The finished campaign takes no more actions.
        let old: Vec<Value> = app
            .get("/api/v1/campaigns/w4r-2017/cases")
            .await
            .json()
            .await
            .unwrap();
        let old_case = old[0]["slug"].as_str().unwrap();
        let r = client
            .post(app.url(&format!(
                "/api/v1/campaigns/w4r-2017/cases/{old_case}/actions"
            )))
            .header("x-forwarded-for", ip)
            .json(&signer("a@example.org", "CA"))
            .send()
            .await
            .unwrap();
        assert_eq!(common::problem(r).await.0, 409);
        let html = app.page(&client, "/campaigns/w4r-2017/act").await;
        assert!(html.contains("no longer takes online actions"));
        assert_eq!(app.count("online_actions").await, actions);
        assert_eq!(app.count("action_links").await, links);
        // Markup is kept as text, and escaped in the mail's HTML.
        let markup = json!({"name": "<b>Bo</b>", "email": "bo@example.org", "country": "CA", "message": "<script>x</script>"});
        assert_eq!(act(&app, &client, &case, markup, ip).await.status(), 202);
        let mail = app.outbox_for("bo@example.org").await.remove(0);
        let html = &mail[mail.find("text/html").unwrap()..];
        assert!(
            !html.contains("<b>Bo</b>"),
            "the name is escaped in the HTML part"
        );
    }
);

story!(
    the_form_works_without_javascript,
    |s| { trusting(s) },
    |app| {
        let slug = app.current_slug();
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let page = client
            .get(app.url(&format!("/campaigns/{slug}/cases/{case}")))
            .header("accept-language", "fr-CA,fr;q=0.9")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<option value="CA" selected>"#),
            "the country from the browser's region"
        );
        let act_path = format!("/campaigns/{slug}/act");
        let fields = [
            ("case", case.as_str()),
            ("name", "Chloé"),
            ("email", "chloe@example.org"),
            ("country", "CA"),
        ];
        let r = app.submit(&client, &act_path, &fields).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("Check your email"));
        // Errors come back on the form, in the visitor's words.
        let fields = [
            ("case", case.as_str()),
            ("name", "Chloé"),
            ("email", "nope"),
            ("country", "CA"),
        ];
        let r = app.submit(&client, &act_path, &fields).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("aria-invalid=\"true\"") && html.contains("value=\"Chloé\""));
        // Several cases in one go: one mail, one link for all.
        let all = cases(&app).await;
        let mut fields = vec![
            ("name", "Dee"),
            ("email", "dee@example.org"),
            ("country", "GB"),
        ];
        for c in &all {
            fields.push(("case", c.as_str()));
        }
        let r = app.submit(&client, &act_path, &fields).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.outbox_for("dee@example.org").await.len(), 1);
        let before = tally(&app).await["totals"]["online"].as_i64().unwrap();
        confirm(&app, "dee@example.org").await;
        tally_with_online(&app, before + all.len() as i64).await;
    }
);
