//! Online actions in crowds: many at once counted exactly, a burst from one network slowed, the
//! proof-of-work challenge past normal rates.

use super::*;

story!(many_at_once_count_exactly, |s| { trusting(s) }, |app| {
    let cases = cases(&app).await;
    let client = common::browser();
    let t0 = tally(&app).await;
    let before = t0["totals"]["online"].as_i64().unwrap();
    let rows = app.count("online_actions").await;
    // 1,000 emails, each acting twice on its case: 2,000 requests at once.
    let mut tasks = Vec::new();
    for round in 0..2 {
        for i in 0..1000 {
            let client = client.clone();
            let url = app.url(&format!(
                "/api/v1/campaigns/{}/cases/{}/actions",
                app.current_slug(),
                cases[i % cases.len()]
            ));
            tasks.push(tokio::spawn(async move {
                let ip = format!("10.{}.{}.{}", round, i / 250, i % 250);
                let country = ["CA", "FR", "BR", "KE"][i % 4];
                client
                    .post(url)
                    .header("x-forwarded-for", ip)
                    .json(&signer(&format!("p{i}@example.org"), country))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }));
        }
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::ACCEPTED);
    }
    assert_eq!(app.count("online_actions").await, rows + 1000);
    // Confirm half of them, concurrently.
    let mut links = Vec::new();
    for i in (0..1000).step_by(2) {
        links.push(
            app.mailed_link(&format!("p{i}@example.org"), "/actions/confirm/")
                .await,
        );
    }
    let token = common::extract_csrf(&app.page(&client, "/signin").await);
    let mut tasks = Vec::new();
    for link in links {
        let client = client.clone();
        let url = app.url(&link);
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("csrf", token)])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    // Exactly the confirmed distinct (email, case) pairs, per case and in all.
    let t = tally_with_online(&app, before + 500).await;
    let mut per_case = std::collections::HashMap::new();
    for i in (0..1000).step_by(2) {
        *per_case.entry(cases[i % cases.len()].clone()).or_insert(0) += 1;
    }
    for (case, n) in per_case {
        assert_eq!(
            online_of(&t["by_case"], "case", &case),
            online_of(&t0["by_case"], "case", &case) + n,
            "{case}"
        );
    }
    let drift = writeathon::reports::reconcile::reconcile(&app.db, None)
        .await
        .unwrap();
    assert!(drift.is_empty(), "{drift:?}");
});

story!(
    a_burst_from_one_network_is_slowed,
    |s| { trusting(s) },
    |app| {
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        // Different addresses of one /64 count as one sender; sent at once, they share group
        // commits, which count each its own hit.
        let burst = (0..40).map(|i| {
            let (app, client, case) = (&app, &client, &case);
            async move {
                let ip = format!("2001:db8:1:2::{i:x}");
                let email = format!("b{i}@example.org");
                act(app, client, case, signer(&email, "DE"), &ip).await
            }
        });
        let mut limited = 0;
        for r in futures::future::join_all(burst).await {
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                assert!(r.headers().contains_key("retry-after"));
                limited += 1;
            } else {
                assert_eq!(r.status(), StatusCode::ACCEPTED);
            }
        }
        assert_eq!(limited, 40 - writeathon::actions::abuse::PER_IP.hits);
        // Another network is not slowed.
        let r = act(
            &app,
            &client,
            &case,
            signer("other@example.org", "DE"),
            "2001:db8:9::1",
        )
        .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
);

story!(
    past_normal_rates_a_challenge_is_asked,
    |s| {
        s.trust_proxy = true;
    },
    |app| {
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let ip = "192.0.2.77";
        for i in 0..writeathon::actions::abuse::FREE_PER_IP {
            let email = format!("c{i}@example.org");
            let r = act(&app, &client, &case, signer(&email, "IE"), ip).await;
            assert_eq!(r.status(), StatusCode::ACCEPTED);
        }
        let r = act(&app, &client, &case, signer("late@example.org", "IE"), ip).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // Solve the challenge the way the browser's script does.
        let challenge: altcha::Challenge = app
            .get("/api/v1/actions/challenge")
            .await
            .json()
            .await
            .unwrap();
        let solution = altcha::solve_challenge(altcha::SolveChallengeOptions::new(&challenge))
            .unwrap()
            .unwrap();
        let payload = altcha::Payload {
            challenge,
            solution,
        };
        use base64::Engine;
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).unwrap());
        let mut body = signer("late@example.org", "IE");
        body["altcha"] = Value::String(encoded);
        let r = act(&app, &client, &case, body.clone(), ip).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        // A solution counts once.
        body["email"] = json!("later@example.org");
        let r = act(&app, &client, &case, body, ip).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        // The form carries a challenge for this sender now.
        let html = client
            .get(app.url(&format!("/campaigns/{}/act", app.current_slug())))
            .header("x-forwarded-for", ip)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-challenge=") && html.contains("act.js"));
    }
);
