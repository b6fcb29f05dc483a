//! Stories about campaigns and cases: public pages, staff pages, the JSON API.

mod common;

use common::problem;
use reqwest::StatusCode;
use serde_json::{Value, json};
use writeathon::accounts::Role;

fn current_slug() -> String {
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    format!("w4r-{}", chrono::Datelike::year(&g))
}

story!(demo_content_is_served_in_both_languages, |app| {
    let campaigns: Value = app.get("/api/v1/campaigns").await.json().await.unwrap();
    let slugs: Vec<&str> = campaigns
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert!(
        slugs.contains(&"w4r-2017") && slugs.contains(&current_slug().as_str()),
        "{slugs:?}"
    );
    let old = campaigns
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "w4r-2017")
        .unwrap();
    assert_eq!(old["global_day"], "2017-12-10");
    assert_eq!(old["title"], "Write for Rights 2017 (demo)");
    for key in ["starts_on", "ends_on", "report_deadline"] {
        assert!(old[key].as_str().unwrap().len() == 10);
    }
    let cases: Value = app
        .get("/api/v1/campaigns/w4r-2017/cases")
        .await
        .json()
        .await
        .unwrap();
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        for key in ["slug", "name", "country", "summary", "status"] {
            assert!(case[key].is_string(), "{key} in {case}");
        }
        for key in ["name", "title", "address"] {
            assert!(case["authority"][key].is_string());
        }
    }
    let fr: Value = app
        .client
        .get(app.url("/api/v1/campaigns/w4r-2017/cases"))
        .header("accept-language", "fr-CA,fr;q=0.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fr[0]["language"], "fr");
    assert_ne!(fr[0]["summary"], cases[0]["summary"]);

    // The public pages: the home lists campaigns, the campaign home counts down and lists cases.
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("/campaigns/w4r-2017"));
    let (status, html) = app
        .get_text(&format!("/campaigns/{}", current_slug()))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("until the global day") || html.contains("Today is the global day"),
        "countdown"
    );
    let first_case = cases[0]["slug"].as_str().unwrap();
    let (status, html) = app
        .get_text(&format!("/campaigns/w4r-2017/cases/{first_case}"))
        .await;
    assert_eq!(status, 200);
    for needle in [
        "Write to",
        "Sample letter",
        "Send solidarity",
        "Fictional case",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    let r = app
        .client
        .get(app.url(&format!("/campaigns/w4r-2017/cases/{first_case}")))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"fr\">")
            && html.contains("Modèle de lettre")
            && html.contains("Cas fictif")
    );
    let french_months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    assert!(
        french_months
            .iter()
            .any(|m| html.contains(&format!(" {m} 20"))),
        "dates in French"
    );
    let (status, _) = app.get_text("/campaigns/w4r-2017/cases/nobody").await;
    assert_eq!(status, 404);
    let (status, _) = app.get_text("/campaigns/nope").await;
    assert_eq!(status, 404);
});

story!(staff_create_a_case_and_the_public_page_shows_it, |app| {
    app.sign_in_as("staff@example.org", Role::Staff).await;
    let slug = current_slug();
    let (status, html) = app
        .get_text(&format!("/staff/campaigns/{slug}/cases/new"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("<select id=\"country\" name=\"country\">"));
    let fields = [
        ("language", "en"),
        ("slug", "lena-test"),
        ("name", "Lena Test"),
        ("country", "CA"),
        (
            "summary",
            "**Fictional.** Lena <script>alert(1)</script> wrote [x](javascript:alert(1)) <img src=x onerror=alert(2)>",
        ),
        ("authority_name", "Minister Example"),
        ("authority_title", "Minister of Justice"),
        (
            "authority_address",
            "1 Example St\nOttawa ON K1A 0A1\nCanada",
        ),
        ("salutation", "Dear Minister,"),
        ("sample_letter", "Please free Lena."),
        ("solidarity", "Send cards to PO Box 1."),
    ];
    let r = app
        .post_form(&format!("/staff/campaigns/{slug}/cases"), &fields)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(page, format!("/campaigns/{slug}/cases/lena-test"));
    let public = common::browser();
    let html = public
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<strong>Fictional.</strong>")
            && html.contains("Lena Test")
            && html.contains("Ottawa ON K1A 0A1")
    );
    for bad in ["<script>alert", "javascript:", "onerror"] {
        assert!(!html.contains(bad), "{bad} survived");
    }
    // Not yet in French: the French page says so and falls back to English.
    let html = app.page_in(&public, &page, "fr").await;
    assert!(
        html.contains("pas encore disponible dans votre langue") && html.contains("lang=\"en\"")
    );
    // Staff add the French text; French visitors now read it.
    let fr = [
        ("language", "fr"),
        ("name", "Lena Test"),
        ("country", "CA"),
        ("summary", "**Fictif.** Lena a écrit."),
        ("authority_name", "Minister Example"),
        ("authority_title", "Ministre de la Justice"),
        (
            "authority_address",
            "1 Example St\nOttawa ON K1A 0A1\nCanada",
        ),
        ("salutation", "Monsieur le Ministre,"),
        ("sample_letter", "Libérez Lena."),
        ("solidarity", "Envoyez des cartes."),
    ];
    let r = app
        .post_form(
            &format!("/staff/campaigns/{slug}/cases/lena-test/edit"),
            &fr,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.page_in(&public, &page, "fr").await;
    assert!(
        html.contains("<strong>Fictif.</strong>")
            && html.contains("Libérez Lena")
            && !html.contains("pas encore disponible")
    );
    let html = public
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Please free Lena."), "English unchanged");
    // A dated update changes the status.
    let r = app
        .post_form(
            &format!("/staff/campaigns/{slug}/cases/lena-test/updates"),
            &[
                ("language", "en"),
                ("happened_on", "2026-12-01"),
                ("status", "good_news"),
                ("note", "Lena is free."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = public
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Lena is free.")
            && html.contains("1 December 2026")
            && html.contains("status-good_news")
    );
    // Bad input re-shows the form with messages and stores nothing.
    let before = app.count("cases").await;
    let r = app
        .post_form(
            &format!("/staff/campaigns/{slug}/cases"),
            &[
                ("language", "en"),
                ("slug", "Lena Test!"),
                ("country", "XX"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\"") && html.contains("Choose a country from the list.")
    );
    let r = app
        .post_form(&format!("/staff/campaigns/{slug}/cases"), &fields)
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "slug already used"
    );
    assert!(r.text().await.unwrap().contains("already used"));
    let r = app
        .post_form(
            &format!("/staff/campaigns/{slug}/cases/lena-test/updates"),
            &[("happened_on", "soon"), ("status", "freed"), ("note", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("cases").await, before);
});

story!(hosts_cannot_reach_staff_pages, |app| {
    app.sign_in_as("host@example.org", Role::Host).await;
    let (status, html) = app.get_text("/staff").await;
    assert_eq!(status, 403);
    assert!(html.contains("not allowed"));
    let r = app
        .post_form(
            &format!("/staff/campaigns/{}/cases", current_slug()),
            &[("slug", "x-case")],
        )
        .await;
    assert_eq!(r.status(), 403);
    // Anonymous visitors are asked to sign in first.
    let r = common::browser()
        .get(app.url("/staff/campaigns/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Staff for one country see the staff pages but may not set up campaigns (nor cases: see
    // tests/staff_scope).
    let staff = common::browser();
    app.add_account("ca-staff@example.org", Role::Staff, Some("CA"))
        .await;
    app.sign_in(&staff, "ca-staff@example.org").await;
    assert_eq!(
        staff.get(app.url("/staff")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        staff
            .get(app.url("/staff/campaigns/new"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
});

story!(staff_create_and_edit_a_campaign, |app| {
    app.sign_in_as("admin@example.org", Role::Admin).await;
    let fields = [
        ("language", "en"),
        ("slug", "w4r-2030"),
        ("title", "Write for Rights 2030"),
        ("intro", "Write **now**."),
        ("global_day", "2030-12-10"),
        ("starts_on", "2030-11-20"),
        ("ends_on", "2030-12-31"),
        ("report_deadline", "2031-01-31"),
        ("goal", "250000"),
    ];
    let r = app.post_form("/staff/campaigns", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get("/campaigns/w4r-2030").await.text().await.unwrap();
    assert!(
        html.contains("Write for Rights 2030")
            && html.contains("<strong>now</strong>")
            && html.contains("250,000")
    );
    let mut edited = fields.to_vec();
    edited[0] = ("language", "fr");
    edited[2] = ("title", "Écrire pour les droits 2030");
    let r = app
        .post_form("/staff/campaigns/w4r-2030/edit", &edited)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fr = app
        .client
        .get(app.url("/campaigns/w4r-2030"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fr.contains("Écrire pour les droits 2030") && fr.contains("250\u{202f}000"));
    let en = app.get("/campaigns/w4r-2030").await.text().await.unwrap();
    assert!(en.contains("Write for Rights 2030"));
    let before = app.count("campaigns").await;
    let bad = [
        ("language", "en"),
        ("slug", "w4r-2030"),
        ("title", "x"),
        ("global_day", "2030-02-30"),
        ("starts_on", ""),
        ("ends_on", "2030-12-31"),
        ("report_deadline", "2030-01-01"),
        ("goal", "-5"),
    ];
    let r = app.post_form("/staff/campaigns", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Enter a date as YYYY-MM-DD.") && html.contains("at least 3"));
    assert_eq!(app.count("campaigns").await, before);
});

story!(campaign_and_case_api, |app| {
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let api = reqwest::Client::new();
    let body = json!({"slug": "w4r-2031", "title": "Write for Rights 2031", "global_day": "2031-12-10",
        "starts_on": "2031-11-20", "ends_on": "2031-12-31", "report_deadline": "2032-01-31", "goal": 1000});
    let post = |token: &str, path: &str, body: &Value| {
        api.post(app.url(path)).bearer_auth(token).json(body).send()
    };

    let (status, _, _) = problem(
        api.post(app.url("/api/v1/campaigns"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _, _) = problem(post(&host, "/api/v1/campaigns", &body).await.unwrap()).await;
    assert_eq!(status, 403);
    let r = post(&admin, "/api/v1/campaigns", &body).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["location"], "/api/v1/campaigns/w4r-2031");
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["slug"], "w4r-2031");
    let fetched: Value = api
        .get(app.url("/api/v1/campaigns/w4r-2031"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["title"], "Write for Rights 2031");

    // Invalid values: 422 with field messages, nothing stored.
    let before = app.count("campaigns").await;
    let bad = json!({"slug": "BAD SLUG", "title": "", "global_day": "2031-12-40", "starts_on": "2031-11-20",
        "ends_on": "2031-12-31", "report_deadline": "2032-01-31", "goal": -1});
    let (status, _, p) = problem(post(&admin, "/api/v1/campaigns", &bad).await.unwrap()).await;
    assert_eq!(status, 422);
    for field in ["slug", "title", "global_day", "goal"] {
        assert!(p["errors"][field][0].is_string(), "{field}: {p}");
    }
    let (status, _, _) = problem(post(&admin, "/api/v1/campaigns", &body).await.unwrap()).await;
    assert_eq!(status, 422, "slug taken");
    // Malformed JSON, wrong types, unknown fields: 400 naming the problem.
    let raw = |text: &'static str| {
        api.post(app.url("/api/v1/campaigns"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(text)
            .send()
    };
    for text in [
        "{",
        "[]",
        "{\"slug\": 5}",
        "{\"slug\":\"a\",\"title\":\"b\",\"global_day\":\"2031-12-10\",\"starts_on\":\"x\",\"ends_on\":\"x\",\"report_deadline\":\"x\",\"goal\":1,\"extra\":true}",
    ] {
        let (status, _, p) = problem(raw(text).await.unwrap()).await;
        assert_eq!(status, 400, "{text}");
        assert!(p["detail"].is_string());
    }
    let (status, _, _) = problem(
        api.post(app.url("/api/v1/campaigns"))
            .bearer_auth(&admin)
            .body("slug=x")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    // (On a fresh connection: the server closes one whose body it refused to read.)
    let huge = json!({"slug": "x".repeat(400_000)});
    let (status, _, _) = problem(
        reqwest::Client::new()
            .post(app.url("/api/v1/campaigns"))
            .bearer_auth(&admin)
            .json(&huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(app.count("campaigns").await, before);

    // Cases: staff only; 201 + Location; unknown campaign 404; problem details in French on request.
    let case = json!({"slug": "amal-test", "name": "Amal Test", "country": "MA", "summary": "Fictional.",
        "authority": {"name": "A. Official", "title": "Prosecutor", "address": "1 Rue Test\nRabat", "salutation": "Dear Prosecutor,"},
        "sample_letter": "Please.", "solidarity": "Cards."});
    let (status, _, _) = problem(
        post(&host, "/api/v1/campaigns/w4r-2031/cases", &case)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 403);
    let r = post(&admin, "/api/v1/campaigns/w4r-2031/cases", &case)
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.headers()["location"],
        "/api/v1/campaigns/w4r-2031/cases/amal-test"
    );
    let listed: Value = api
        .get(app.url("/api/v1/campaigns/w4r-2031/cases"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["authority"]["title"], "Prosecutor");
    assert_eq!(listed[0]["status"], "active");
    let (status, _, _) = problem(
        post(&admin, "/api/v1/campaigns/nope/cases", &case)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    let mut bad_case = case.clone();
    bad_case["slug"] = json!("other");
    bad_case["country"] = json!("ZZ");
    let r = api
        .post(app.url("/api/v1/campaigns/w4r-2031/cases"))
        .bearer_auth(&admin)
        .header("accept-language", "fr")
        .json(&bad_case)
        .send()
        .await
        .unwrap();
    let (status, _, p) = problem(r).await;
    assert_eq!(status, 422);
    assert_eq!(
        p["errors"]["country"][0],
        "Choisissez un pays dans la liste."
    );
});

story!(idempotency_keys_replay_and_conflict, |app| {
    let admin = app.token_for("admin@example.org", Role::Admin).await;
    let api = reqwest::Client::new();
    let body = json!({"slug": "w4r-2032", "title": "Write for Rights 2032", "global_day": "2032-12-10",
        "starts_on": "2032-11-20", "ends_on": "2032-12-31", "report_deadline": "2033-01-31", "goal": 5});
    let send = |key: String, body: Value| {
        api.post(app.url("/api/v1/campaigns"))
            .bearer_auth(&admin)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    // Twenty concurrent retries of one request create one campaign and all get its answer.
    let answers = futures_join(20, || send("key-1".into(), body.clone())).await;
    let mut created = 0;
    for r in answers {
        let r = r.unwrap();
        match r.status().as_u16() {
            201 => {
                created += 1;
                assert_eq!(r.headers()["location"], "/api/v1/campaigns/w4r-2032");
            }
            409 => {} // still in progress when it arrived: the client retries
            other => panic!("unexpected {other}"),
        }
    }
    assert!(created >= 1);
    assert_eq!(app.count("campaigns").await, 3);
    let r = send("key-1".into(), body.clone()).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    let mut other = body.clone();
    other["goal"] = json!(6);
    let (status, _, p) = problem(send("key-1".into(), other).await.unwrap()).await;
    assert_eq!(status, 409);
    assert!(p["detail"].as_str().unwrap().contains("different request"));
    for key in [String::new(), "k".repeat(300)] {
        let (status, _, _) = problem(send(key, body.clone()).await.unwrap()).await;
        assert_eq!(status, 400);
    }
    assert_eq!(app.count("campaigns").await, 3);
});

/// Runs `n` copies of a request at once.
async fn futures_join<F, Fut, T>(n: usize, make: F) -> Vec<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    futures::future::join_all((0..n).map(|_| make())).await
}
