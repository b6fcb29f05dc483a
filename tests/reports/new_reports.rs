//! New reports: exact under concurrency, one bad report does not fail its batch, one key counts once.

use super::*;

story!(concurrent_reports_add_up_exactly, |app| {
    let cases = cases(&app).await;
    let mut hosts = Vec::new();
    for i in 0..50 {
        let token = app
            .token_for(&format!("host{i}@example.org"), Role::Host)
            .await;
        let (city, country) = [
            ("Halifax", "CA"),
            ("Montréal", "CA"),
            ("Lyon", "FR"),
            ("Nairobi", "KE"),
            ("Toronto", "CA"),
        ][i % 5];
        let event = started_event(&app, &token, city, country).await;
        hosts.push((token, event));
    }
    let before = tally(&app).await;
    let answers = futures::stream::iter(0..1000)
        .map(|i| {
            let (token, event) = hosts[i % 50].clone();
            let case = cases[i % cases.len()].clone();
            let app = &app;
            async move {
                let body = json!({"participants": 1 + i % 7, "items": [{"case": case, "letters": 1 + i % 13, "solidarity": i % 3}]});
                let r = report(app, &token, event, &body, Some(&format!("r-{i}"))).await;
                (r.status().as_u16(), 1 + i % 13, i % 3, 1 + i % 7)
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    let (mut letters, mut solidarity, mut participants) = (0i64, 0i64, 0i64);
    for (status, l, s, p) in &answers {
        assert_eq!(*status, 201);
        letters += *l as i64;
        solidarity += *s as i64;
        participants += *p as i64;
    }
    let after = tally(&app).await;
    let grew =
        |k: &str| after["totals"][k].as_i64().unwrap() - before["totals"][k].as_i64().unwrap();
    assert_eq!(grew("letters"), letters);
    assert_eq!(grew("solidarity"), solidarity);
    assert_eq!(grew("participants"), participants);
    assert_eq!(grew("events_reported"), 50);
    // Every report went through a group commit, and /metrics says how they were grouped.
    let metrics = app.metrics().await;
    let sample = |name: &str| -> f64 {
        let line = metrics.lines().find(|l| l.starts_with(name));
        line.and_then(|l| l.split(' ').nth(1)?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {metrics}"))
    };
    assert_eq!(sample("writeathon_report_batch_size_sum"), 1000.0);
    let batches = sample("writeathon_report_batch_size_count");
    assert!((1.0..=1000.0).contains(&batches), "{batches} batches");
    assert_eq!(sample("writeathon_report_commit_seconds_count"), batches);
    let by_case: i64 = after["by_case"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["letters"].as_i64().unwrap())
        .sum();
    assert_eq!(by_case, after["totals"]["letters"].as_i64().unwrap());
    let ca = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "CA")
        .unwrap();
    let fr = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "FR")
        .unwrap();
    let ke = after["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "KE")
        .unwrap();
    assert_eq!(
        ca["letters"].as_i64().unwrap()
            + fr["letters"].as_i64().unwrap()
            + ke["letters"].as_i64().unwrap(),
        letters
    );
    assert_eq!(
        reconcile_drift(&app).await,
        0,
        "the counters equal a recount from the rows"
    );
    // A counter knocked off by hand is found and repaired by reconcile.
    sqlx::query(
        "UPDATE tally_counters SET letters = letters + 5 WHERE dimension = 'world' \
         AND campaign_id = (SELECT id FROM campaigns WHERE slug = $1)",
    )
    .bind(current_slug())
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(reconcile_drift(&app).await, 1);
    assert_eq!(reconcile_drift(&app).await, 0);
});

story!(one_failing_report_does_not_fail_its_batch, |app| {
    use writeathon::reports::ReportInput;
    use writeathon::reports::committer::Committer;
    use writeathon::reports::ingest::NewReport;

    let host = app.token_for("host@example.org", Role::Host).await;
    let event_id = started_event(&app, &host, "Halifax", "CA").await;
    // This committer tells its own hub, not the app's: read the counters themselves.
    let world_letters = || async {
        use sqlx::Row;
        sqlx::query("SELECT COALESCE(CAST(SUM(letters) AS BIGINT), 0) FROM tally_counters WHERE dimension = 'world'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    };
    let base = world_letters().await;
    let author = writeathon::accounts::tokens::authenticate(&app.db, &host)
        .await
        .unwrap()
        .unwrap();
    let event = writeathon::events::store::get(&app.db, event_id)
        .await
        .unwrap()
        .unwrap();
    let case_ids: Vec<i64> = writeathon::campaigns::store::case_ids(&app.db, event.campaign_id)
        .await
        .unwrap()
        .into_values()
        .collect();
    // Submitted together, so they share batches; report 5 names a case that does not exist,
    // which fails its insert (a foreign key) and with it the whole batch's transaction.
    let committer = Committer::start(
        app.db.clone(),
        writeathon::tally::TallyHub::start(app.db.clone()),
        std::sync::Arc::default(),
    );
    let bad = 5;
    let reports = (0..12).map(|i| NewReport {
        event_id: event.id,
        campaign_id: event.campaign_id,
        author_id: author.id,
        input: ReportInput {
            participants: 3,
            items: vec![(if i == bad { 999_999 } else { case_ids[0] }, 10, 1)],
            highlights: String::new(),
        },
        flags: String::new(),
        idempotency: None,
        case_slugs: Default::default(),
    });
    let outcomes = futures::future::join_all(reports.map(|r| committer.submit(r))).await;
    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(outcome.is_ok(), i != bad, "report {i}: {outcome:?}");
    }
    assert_eq!(app.count_where("reports", "event_id", event_id).await, 11);
    assert_eq!(
        world_letters().await - base,
        110,
        "the eleven good reports count, once each"
    );
    assert_eq!(reconcile_drift(&app).await, 0);
});

story!(one_idempotency_key_counts_once, |app| {
    let cases = cases(&app).await;
    let host = app.token_for("host@example.org", Role::Host).await;
    let event = started_event(&app, &host, "Halifax", "CA").await;
    let base = letters(&tally(&app).await);
    let body =
        json!({"participants": 10, "items": [{"case": cases[0], "letters": 7, "solidarity": 2}]});
    let answers = futures::future::join_all(
        (0..20).map(|_| report(&app, &host, event, &body, Some("same-key"))),
    )
    .await;
    let mut ids = std::collections::HashSet::new();
    for r in answers {
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        ids.insert(v["report"]["id"].as_i64().unwrap());
    }
    assert_eq!(ids.len(), 1, "every retry got the first answer");
    let t = tally(&app).await;
    assert_eq!(letters(&t) - base, 7);
    let mut other = body.clone();
    other["participants"] = json!(11);
    let (status, _, _) = problem(report(&app, &host, event, &other, Some("same-key")).await).await;
    assert_eq!(status, 409);
    for key in ["", &"k".repeat(300)] {
        let (status, _, _) = problem(report(&app, &host, event, &body, Some(key)).await).await;
        assert_eq!(status, 400);
    }
    assert_eq!(app.count_where("reports", "event_id", event).await, 1);
});
