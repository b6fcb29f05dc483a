//! `action.confirmed`: an online action tells the subscribers once its email confirms it — not
//! when it is made — with ids and the signer's country only.

use reqwest::StatusCode;
use serde_json::json;
use writeathon::accounts::Role;

use crate::common;
use crate::receiver::{Receiver, until};
use crate::story;
use crate::{case_slug, fast, subscribe};

story!(
    a_confirmed_action_is_told_without_the_signer,
    |s| {
        fast(s);
        s.trust_proxy = true;
        s.action_challenge = writeathon::config::ActionChallenge::Off;
    },
    |app| {
        let rx = Receiver::start().await;
        let admin = app.token_for("admin@example.org", Role::Admin).await;
        let (_, secret) = subscribe(&app, &admin, &rx.url("/hooks"), &["action.confirmed"]).await;
        let case = case_slug(&app).await;
        let slug = app.current_slug();
        let r = common::browser()
            .post(app.url(&format!("/api/v1/campaigns/{slug}/cases/{case}/actions")))
            .header("x-forwarded-for", "203.0.113.9")
            .json(
                &json!({"name": "Rosa Quintal", "email": "rosa@example.org", "country": "PT",
                "message": "Free them."}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::ACCEPTED);

        // Made, not confirmed: nothing is told.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(rx.got().is_empty(), "{:?}", rx.got());

        let link = app
            .mailed_link("rosa@example.org", "/actions/confirm/")
            .await;
        assert_eq!(app.get_text(&link).await.0, 200);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(rx.got().is_empty(), "a GET counted: {:?}", rx.got());
        assert_eq!(app.post_form(&link, &[]).await.status(), StatusCode::OK);

        until("action.confirmed", || !rx.got().is_empty()).await;
        let got = rx.got();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].kind(), "action.confirmed");
        assert!(got[0].signed_with(&secret));
        let data = &got[0].json()["data"];
        assert_eq!(data["country"], "PT");
        assert!(data["case_id"].as_i64().unwrap() > 0);
        let body = got[0].json().to_string();
        for private in [
            "Rosa",
            "Quintal",
            "rosa@example.org",
            "Free them",
            "203.0.113",
        ] {
            assert!(!body.contains(private), "{private} in {body}");
        }
    }
);
