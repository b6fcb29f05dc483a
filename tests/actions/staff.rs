//! Online actions and staff: a cluster invalidated (the tally moves back exactly, the bots are
//! told nothing), the delivery list and petition without emails, a delivery recorded, good news
//! reaching the signers who asked.

use super::*;
use writeathon::accounts::Role;

story!(
    staff_invalidate_a_cluster_and_the_tally_moves_back,
    |s| { trusting(s) },
    |app| {
        let slug = app.current_slug();
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let t0 = tally(&app).await;
        let before = t0["totals"]["online"].as_i64().unwrap();
        let us_before = online_of(&t0["by_country"], "country", "US");
        // An honest signer, and six bots from one /24 with throwaway addresses.
        act(
            &app,
            &client,
            &case,
            signer("honest@example.org", "CA"),
            "203.0.113.200",
        )
        .await;
        confirm(&app, "honest@example.org").await;
        for i in 0..6 {
            let email = format!("bot{i}@mailinator.com");
            let r = act(
                &app,
                &client,
                &case,
                signer(&email, "US"),
                &format!("198.51.100.{i}"),
            )
            .await;
            assert_eq!(r.status(), 202);
            confirm(&app, &email).await;
        }
        tally_with_online(&app, before + 7).await;
        // Staff see the cluster and invalidate it.
        app.sign_in_as("admin@example.org", Role::Admin).await;
        let html = app
            .get_text(&format!("/staff/campaigns/{slug}/actions"))
            .await
            .1;
        assert!(
            html.contains("Same network") && html.contains("Suspicious clusters"),
            "{html}"
        );
        assert!(
            !html.contains("@mailinator.com") && !html.contains("honest@"),
            "no emails on the page"
        );
        let key: String = sqlx::query_scalar(
            "SELECT ip_net FROM online_actions WHERE email = 'bot0@mailinator.com'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let r = app
            .post_form(
                &format!("/staff/campaigns/{slug}/actions/invalidate"),
                &[("kind", "network"), ("key", &key)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let t = tally_with_online(&app, before + 1).await;
        assert_eq!(online_of(&t["by_country"], "country", "US"), us_before);
        assert_eq!(app.count_where("online_actions", "disposable", 1).await, 6);
        assert!(
            app.get_text("/staff/audit")
                .await
                .1
                .contains("actions.invalidate"),
            "the invalidation is in the audit trail"
        );
        // The bots are told nothing: the same answer, and nothing counts.
        let r = act(
            &app,
            &client,
            &case,
            signer("bot0@mailinator.com", "US"),
            "198.51.100.9",
        )
        .await;
        assert_eq!(r.text().await.unwrap(), CHECK_YOUR_EMAIL);
        let drift = writeathon::reports::reconcile::reconcile(&app.db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
        assert_eq!(tally(&app).await["totals"]["online"], before + 1);
    }
);

story!(
    staff_download_the_list_without_emails,
    |s| { trusting(s) },
    |app| {
        let slug = app.current_slug();
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        let eve = json!({"name": "Eve =1+1", "email": "eve@example.org", "country": "CA", "message": "Free them now."});
        act(&app, &client, &case, eve, "203.0.113.5").await;
        confirm(&app, "eve@example.org").await;
        let csv_url = app.url(&format!(
            "/api/v1/campaigns/{slug}/cases/{case}/actions.csv"
        ));
        let token = app.token_for("admin@example.org", Role::Admin).await;
        let r = client
            .get(&csv_url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let csv = r.text().await.unwrap();
        assert!(
            csv.starts_with("name,country,message,confirmed_at\r\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\"Eve =1+1\",\"CA\",\"Free them now.\",2026-11-20T"),
            "{csv}"
        );
        assert!(!csv.contains("@example.org"), "no emails");
        // The public and hosts may not have it.
        assert_eq!(client.get(&csv_url).send().await.unwrap().status(), 401);
        let host = app.token_for("host@example.org", Role::Host).await;
        let r = client
            .get(&csv_url)
            .bearer_auth(&host)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // The petition, typeset like the kits; and a delivery recorded.
        app.sign_in_as("staff@example.org", Role::Admin).await;
        let r = app
            .get(&format!(
                "/staff/campaigns/{slug}/cases/{case}/petition.pdf"
            ))
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
        let r = app
            .post_form(
                &format!("/staff/campaigns/{slug}/cases/{case}/deliveries"),
                &[
                    ("delivered_on", "2026-12-11"),
                    ("method", "By hand"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let html = app
            .get_text(&format!("/staff/campaigns/{slug}/actions"))
            .await
            .1;
        assert!(html.contains("2026-12-11") && html.contains("By hand"));
    }
);

story!(
    good_news_reaches_signers_who_asked,
    |s| { trusting(s) },
    |app| {
        let slug = app.current_slug();
        let case = cases(&app).await.remove(0);
        let client = common::browser();
        act(
            &app,
            &client,
            &case,
            signer("fay@example.org", "NZ"),
            "203.0.113.9",
        )
        .await;
        confirm(&app, "fay@example.org").await;
        let mut quiet = signer("gus@example.org", "NZ");
        quiet["updates"] = json!(false);
        act(&app, &client, &case, quiet, "203.0.113.9").await;
        confirm(&app, "gus@example.org").await;
        app.sign_in_as("admin@example.org", Role::Admin).await;
        let r = app
            .post_form(
                &format!("/staff/campaigns/{slug}/cases/{case}/updates"),
                &[
                    ("language", "en"),
                    ("happened_on", "2026-11-20"),
                    ("status", "good_news"),
                    ("note", "Released today."),
                    ("notify", "on"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let fay = app.outbox_for("fay@example.org").await;
        assert_eq!(fay.len(), 2, "the confirmation, then the good news");
        assert!(fay[1].contains("Released today.") && fay[1].contains("List-Unsubscribe"));
        assert_eq!(
            app.outbox_for("gus@example.org").await.len(),
            1,
            "only the confirmation"
        );
    }
);
