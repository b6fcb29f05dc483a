//! The campaign's kit and an event's kit: pages, cache and ETag, QR codes, who may have them.

use super::*;

story!(
    the_demo_campaign_kit_has_every_case_and_is_made_once,
    |app| {
        let slug = current_slug();
        let path = format!("/campaigns/{slug}/kit.pdf?lang=en&paper=a4");
        let r = app.get(&path).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        let kit = r.bytes().await.unwrap().to_vec();
        assert!(kit.len() <= 1_500_000, "{} bytes", kit.len());
        // Seven cases: a sheet, a one-page letter and a card each.
        let n = pages(&kit);
        assert_eq!(n, 21, "{n} pages");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(render(&kit, dir.path(), 20, None).len(), n);
        assert_fonts_embedded_and_subset(&kit);
        let text = text(&kit);
        let cases: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/cases"))
            .await
            .json()
            .await
            .unwrap();
        for case in cases.as_array().unwrap() {
            assert!(
                text.contains(case["name"].as_str().unwrap()),
                "{}",
                case["name"]
            );
        }
        // The same kit again: the same bytes; with its ETag: 304 and no body.
        let again = app.get(&path).await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert_eq!(again.bytes().await.unwrap().to_vec(), kit);
        let r = app
            .client
            .get(app.url(&path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        assert!(r.bytes().await.unwrap().is_empty());
        // Another language or paper is another kit.
        let fr = app
            .get(&format!("/campaigns/{slug}/kit.pdf?lang=fr&paper=a4"))
            .await;
        assert_ne!(fr.headers()["etag"].to_str().unwrap(), etag);
        // A case changes: a new kit, and the old ETag no longer matches.
        sqlx::query("UPDATE cases SET authority_name = 'Mx Newly Appointed' WHERE id = (SELECT MIN(id) FROM cases WHERE campaign_id = (SELECT id FROM campaigns WHERE slug = $1))")
        .bind(&slug)
        .execute(&app.db.pool)
        .await
        .unwrap();
        // Written behind the app's back, as another node would: the kit's remembered ETag
        // lives one second.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let r = app
            .client
            .get(app.url(&path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
        let changed = r.bytes().await.unwrap();
        assert!(super::text(&changed).contains("Mx Newly Appointed"));
    }
);

story!(
    an_event_kit_adds_a_sign_in_sheet_and_a_poster_with_working_qr_codes,
    |app| {
        let (id, host) = hosted_event(
            &app,
            "kits-host@example.org",
            &event_body("Lettres à Lyon", "library", "public"),
        )
        .await;
        let kit = pdf_with(&app, &host, &format!("/events/{id}/kit.pdf")).await;
        // In the event's language, on the paper of its country.
        let info = tool(&kit, "pdfinfo", &[]);
        assert!(info.contains("595.") && info.contains("841."), "{info}");
        let sign_in = text_of_page(&kit, 1);
        assert!(
            sign_in.contains("Feuille de présence") && sign_in.contains("Lettres à Lyon"),
            "{sign_in}"
        );
        assert!(
            sign_in.contains("E-mail (facultatif)") && sign_in.contains("facultative"),
            "{sign_in}"
        );
        assert_eq!(
            qr_codes(&kit, 1),
            vec![app.url(&format!("/events/{id}/report"))]
        );
        let poster = text_of_page(&kit, 2);
        assert!(
            poster.contains("Lettres à Lyon") && poster.contains("12 rue des Lilas"),
            "{poster}"
        );
        assert_eq!(qr_codes(&kit, 2), vec![app.url(&format!("/events/{id}"))]);
        assert_eq!(pages(&kit), 2 + 21);
        assert_fonts_embedded_and_subset(&kit);
        // Built once: the ETag answers 304 until the event changes.
        let r = host
            .get(app.url(&format!("/events/{id}/kit.pdf")))
            .send()
            .await
            .unwrap();
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(r.headers()["cache-control"], "private, no-cache");
        let r = host
            .get(app.url(&format!("/events/{id}/kit.pdf")))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
        sqlx::query("UPDATE events SET title = 'Lettres à Lyon, 2e édition' WHERE id = $1")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let r = host
            .get(app.url(&format!("/events/{id}/kit.pdf")))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let kit = r.bytes().await.unwrap();
        assert!(text_of_page(&kit, 2).contains("2e édition"));
        // Asked in English.
        let en = pdf_with(&app, &host, &format!("/events/{id}/kit.pdf?lang=en")).await;
        assert!(text_of_page(&en, 1).contains("Sign-in sheet"));
    }
);

story!(a_home_events_poster_shows_no_street_address, |app| {
    let mut body = event_body("Letters in my living room", "home", "public");
    body["venue_name"] = json!("Chez Camille");
    body["address"] = json!("7 impasse des Secrets");
    let (id, host) = hosted_event(&app, "kits-home@example.org", &body).await;
    let kit = pdf_with(&app, &host, &format!("/events/{id}/kit.pdf?lang=en")).await;
    let all = text(&kit);
    assert!(
        !all.contains("impasse des Secrets") && !all.contains("Chez Camille"),
        "{all}"
    );
    let poster = text_of_page(&kit, 2);
    assert!(
        poster.contains("Lyon") && poster.contains("given to the people who sign up"),
        "{poster}"
    );
    assert_eq!(qr_codes(&kit, 2), vec![app.url(&format!("/events/{id}"))]);
});

story!(only_the_host_and_staff_get_an_event_kit, |app| {
    let (public, _) = hosted_event(
        &app,
        "kits-owner@example.org",
        &event_body("Public letters", "library", "public"),
    )
    .await;
    let (private, _) = hosted_event(
        &app,
        "kits-owner2@example.org",
        &event_body("Private letters", "library", "private"),
    )
    .await;
    let stranger = TestApp::browser_for(&app, "kits-stranger@example.org", Role::Host).await;
    let anonymous = reqwest::Client::new();
    for client in [&stranger, &anonymous] {
        let r = client
            .get(app.url(&format!("/events/{public}/kit.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = client
            .get(app.url(&format!("/events/{private}/kit.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // Staff of the event's country may; staff of another country see what a stranger sees.
    let staff =
        TestApp::browser_in(&app, "kits-staff-fr@example.org", Role::Staff, Some("FR")).await;
    pdf_with(&app, &staff, &format!("/events/{private}/kit.pdf")).await;
    let other =
        TestApp::browser_in(&app, "kits-staff-ca@example.org", Role::Staff, Some("CA")).await;
    let r = other
        .get(app.url(&format!("/events/{private}/kit.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
});

story!(an_event_kit_can_have_its_poster_on_a3, |app| {
    let (id, host) = hosted_event(
        &app,
        "kits-a3@example.org",
        &event_body("Big letters", "library", "public"),
    )
    .await;
    let kit = pdf_with(&app, &host, &format!("/events/{id}/kit.pdf?poster=a3")).await;
    // The sign-in sheet stays on the kit's paper; the poster alone is A3, its QR code intact.
    let sizes = tool(&kit, "pdfinfo", &["-f", "1", "-l", "2"]);
    assert!(sizes.contains("Page    1 size:  595."), "{sizes}");
    assert!(
        sizes.contains("Page    2 size:  841.89 x 1190.") && sizes.contains("(A3)"),
        "{sizes}"
    );
    assert!(text_of_page(&kit, 2).contains("Big letters"));
    assert_eq!(qr_codes(&kit, 2), vec![app.url(&format!("/events/{id}"))]);
    assert_eq!(pages(&kit), 2 + 21);

    let r = host
        .get(app.url(&format!("/events/{id}/kit.pdf?poster=a5")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("poster=a3"));
});
