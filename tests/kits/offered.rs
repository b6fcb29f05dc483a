//! Where the kits are offered: the case page, the campaign page, the host's dashboard, the
//! event's page for its host, and the mail a new host gets.

use super::*;

story!(the_pages_offer_the_kits_to_who_may_have_them, |app| {
    let slug = current_slug();
    let case = first_case(&app, "en").await;
    let case_slug = case["slug"].as_str().unwrap();
    let page = app
        .page(&app.client, &format!("/campaigns/{slug}/cases/{case_slug}"))
        .await;
    for link in [
        format!("/campaigns/{slug}/cases/{case_slug}/letter.pdf?lang=en"),
        format!("/campaigns/{slug}/cases/{case_slug}/sheet.pdf?lang=en"),
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
        pdf(&app, &link).await;
    }
    assert!(page.contains("print.css") && page.contains("media=\"print\""));
    let css = app.get("/static/print.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.text().await.unwrap().contains(".site-header"));
    let page = app.page(&app.client, &format!("/campaigns/{slug}")).await;
    assert!(page.contains(&format!("href=\"/campaigns/{slug}/kit.pdf?lang=en\"")));

    let (id, host) = hosted_event(
        &app,
        "kits-offered@example.org",
        &event_body("Kit corner", "library", "public"),
    )
    .await;
    let link = format!("href=\"/events/{id}/kit.pdf\"");
    assert!(app.page(&host, "/host").await.contains(&link));
    assert!(
        app.page(&host, &format!("/events/{id}"))
            .await
            .contains(&link)
    );
    // Not offered to visitors of the event page.
    assert!(
        !app.page(&app.client, &format!("/events/{id}"))
            .await
            .contains(&link)
    );
    // The welcome mail links the kit.
    let mail = app.outbox_for("kits-offered@example.org").await;
    assert!(
        mail.iter()
            .any(|m| m.contains(&app.url(&format!("/events/{id}/kit.pdf")))),
        "{mail:?}"
    );
});
