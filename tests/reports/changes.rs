//! Edits, corrections and voids: the tally moves by the difference and the history is kept.

use super::*;

story!(
    edits_move_the_tally_by_the_difference_and_keep_history,
    |app| {
        let cases = cases(&app).await;
        let host = app.token_for("host@example.org", Role::Host).await;
        let event = started_event(&app, &host, "Halifax", "CA").await;
        let base = tally(&app).await;
        let first: Value = report(&app, &host, event, &json!({"participants": 20, "items": [{"case": cases[0], "letters": 30, "solidarity": 5}]}), None).await.json().await.unwrap();
        let second: Value = report(
            &app,
            &host,
            event,
            &json!({"participants": 5, "items": [{"case": cases[1], "letters": 10}]}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(
            second["event_totals"]["letters"], 40,
            "several reports add up"
        );
        assert_eq!(second["event_totals"]["reports"], 2);
        let id = first["report"]["id"].as_i64().unwrap();
        let put = |token: &str, body: Value| {
            reqwest::Client::new()
                .put(app.url(&format!("/api/v1/reports/{id}")))
                .bearer_auth(token)
                .json(&body)
                .send()
        };
        let r = put(&host, json!({"participants": 20, "items": [{"case": cases[0], "letters": 25, "solidarity": 5}, {"case": cases[2], "letters": 4}]})).await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["report"]["version"], 2);
        assert_eq!(v["event_totals"]["letters"], 39);
        let t = tally(&app).await;
        assert_eq!(letters(&t) - letters(&base), 39);
        let case0 = t["by_case"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case"] == cases[0].as_str())
            .unwrap();
        assert_eq!(case0["letters"], 25);
        // Someone else may not; staff may correct with a reason, and void.
        let other = app.token_for("other@example.org", Role::Host).await;
        let (status, _, _) = problem(
            put(&other, json!({"participants": 1, "items": []}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 404);
        let staff = app.token_for("staff@example.org", Role::Staff).await;
        let r = put(&staff, json!({"participants": 20, "items": [{"case": cases[0], "letters": 400}], "reason": "typo fixed"})).await.unwrap();
        assert_eq!(r.status(), 200);
        let flags: String = {
            use sqlx::Row;
            sqlx::query("SELECT flags FROM reports WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
                .try_get(0)
                .unwrap()
        };
        assert!(
            flags.contains("edit-jump"),
            "a tenfold jump is flagged: {flags}"
        );
        let moderator = TestApp::browser_for(&app, "moderator@example.org", Role::Staff).await;
        let html = moderator
            .get(app.url("/staff/moderation"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("a change by ten times or more")
                && html.contains(&format!("/reports/{id}/edit")),
            "staff see the flag"
        );
        let v: Value = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/reports/{id}/void")))
            .bearer_auth(&staff)
            .json(&json!({"reason": "duplicate of another report"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["report"]["voided"], true);
        assert_eq!(v["event_totals"]["letters"], 10);
        let t = tally(&app).await;
        assert_eq!(letters(&t) - letters(&base), 10);
        assert_eq!(
            t["totals"]["events_reported"].as_i64().unwrap()
                - base["totals"]["events_reported"].as_i64().unwrap(),
            1
        );
        let (voided, history) = history_of(&app, id).await;
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["created", "edited", "edited", "voided"]);
        // The first line is the report as sent, by its host, not the counts it has now.
        assert_eq!(history[0].after.letters(), 30);
        assert_eq!(history[0].after.participants, 20);
        assert_eq!(history[0].changed_at, voided.created_at);
        assert_eq!(history[0].changed_by, history[1].changed_by);
        let (_, unchanged) = history_of(&app, second["report"]["id"].as_i64().unwrap()).await;
        assert_eq!(unchanged.len(), 1);
        assert_eq!(
            (unchanged[0].action.as_str(), unchanged[0].after.letters()),
            ("created", 10)
        );
        assert_eq!(history[2].reason.as_deref(), Some("typo fixed"));
        assert_eq!(history[1].before.as_ref().unwrap().letters(), 30);
        let (status, _, _) = problem(
            put(&host, json!({"participants": 1, "items": []}))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 409, "a voided report no longer changes");
        assert_eq!(reconcile_drift(&app).await, 0);
    }
);
