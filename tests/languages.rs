//! Stories about languages as data: a folder under `locales/` is a language the site serves end
//! to end. Spanish is the proof: pages (campaign, event, tally) with Spanish texts, CLDR's Spanish
//! number grouping and dates, the switcher, and mail in the account's language.

mod common;

use common::smtp::{Mail, create_event, rsvp};
use reqwest::StatusCode;
use writeathon::accounts::Role;

/// A page as a browser set to Spanish asks for it.
async fn spanish(app: &common::TestApp, path: &str) -> String {
    let r = app
        .client
        .get(app.url(path))
        .header("accept-language", "es-MX,es;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-language"], "es", "{path}");
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"), "{path}");
    html
}

story!(pages_are_served_in_spanish, |app| {
    // The campaign: its Spanish texts, its global day and goal written the Spanish way.
    let html = spanish(&app, "/campaigns/w4r-2017").await;
    assert!(
        html.contains("Escribe por los Derechos 2017 (demostración)"),
        "{html}"
    );
    assert!(html.contains("10 de diciembre de 2017"), "{html}");
    assert!(html.contains("2.000.000"), "{html}");
    // A case, in Spanish, not with the notice that it is untranslated.
    let case = spanish(&app, "/campaigns/w4r-2017/cases/tomas-arreguin").await;
    assert!(case.contains("Caso ficticio"), "{case}");

    // The tally: Spanish labels and grouping (CLDR leaves four-digit numbers whole in Spanish).
    let tally = spanish(&app, "/campaigns/w4r-2017/tally").await;
    let letters = tally
        .split("data-tally=\"letters\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the letters total")
        .to_string();
    let digits: String = letters.chars().filter(char::is_ascii_digit).collect();
    let n: i64 = digits.parse().unwrap();
    assert_eq!(
        letters,
        writeathon::i18n::group_digits(n, es()),
        "{letters}"
    );
    if n >= 10_000 {
        assert!(letters.contains('.'), "{letters}");
    }

    // An event page: the event's own texts stay as written, the page around them is Spanish.
    let host = app.token_for("host@example.org", Role::Host).await;
    let id = create_event(&app, &host, Some(10)).await;
    let event = spanish(&app, &format!("/events/{id}")).await;
    assert!(event.contains("Letters and soup"));
    let tr = writeathon::i18n::Tr::new(es());
    assert!(event.contains(&tr.t("nav-campaigns")), "{event}");
    assert!(event.contains("de diciembre de"), "{event}");

    // Someone signs up for it from a Spanish browser: the confirmation is in Spanish.
    rsvp(&app, id, "Ana Gómez", "ana@example.org", "es").await;
    let outbox = app.outbox_for("ana@example.org").await;
    let mail = Mail::parse(outbox.last().expect("an RSVP confirmation"));
    let text = mail.text();
    assert!(text.contains("Hola, Ana Gómez:"), "{text}");
    assert!(text.contains(&tr.t("mail-rsvp-confirmed-body")), "{text}");
});

story!(
    the_switcher_lists_every_language_and_remembers_spanish,
    |app| {
        let html = app.get("/").await.text().await.unwrap();
        for lang in writeathon::i18n::Lang::ALL {
            if lang != writeathon::i18n::Lang::FALLBACK {
                assert!(
                    html.contains(&format!("/lang/{}?next=", lang.code())),
                    "{lang:?}"
                );
                assert!(html.contains(lang.native_name()), "{lang:?}");
            }
        }
        let client = common::browser();
        let r = client
            .get(app.url("/lang/es?next=/campaigns/w4r-2017"))
            .send()
            .await
            .unwrap();
        // The switcher keeps the choice in a cookie and goes back to the page.
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/campaigns/w4r-2017");
        let html = client
            .get(app.url("/campaigns/w4r-2017"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<html lang=\"es\">") && html.contains("Escribe por los Derechos"));
        assert_eq!(
            client
                .get(app.url("/lang/xx"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
    }
);

story!(the_api_document_lists_every_language, |app| {
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let codes: Vec<&str> = writeathon::i18n::Lang::ALL
        .iter()
        .map(|l| l.code())
        .collect();
    let listed = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        listed(&doc["components"]["headers"]["Content-Language"]["schema"]["enum"]),
        codes
    );
    assert_eq!(
        listed(&doc["components"]["schemas"]["NewCampaign"]["properties"]["language"]["enum"]),
        codes
    );
    // A campaign body in a language the site does not speak names the ones it does.
    let r = app
        .client
        .post(app.url("/api/v1/campaigns"))
        .bearer_auth(app.token_for("admin@example.org", Role::Admin).await)
        .header("accept-language", "es")
        .json(
            &serde_json::json!({"slug": "w4r-2031", "title": "x", "intro": "x",
            "global_day": "2031-12-10", "starts_on": "2031-11-01", "ends_on": "2031-12-31",
            "report_deadline": "2032-02-10", "goal": 1000, "language": "xx"}),
        )
        .send()
        .await
        .unwrap();
    let (status, _, body) = common::problem(r).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["errors"]["language"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains(&codes.join(", ")), "{body}");
});

story!(mail_goes_in_the_account_language, |app| {
    // Signing up in Spanish makes a Spanish account: its confirmation mail is in Spanish.
    let client = common::browser();
    client.get(app.url("/lang/es")).send().await.unwrap();
    let html = app.page(&client, "/signup").await;
    assert!(html.contains("<html lang=\"es\">"));
    let fields = [
        ("display_name", "Lucía Ramírez"),
        ("email", "lucia@example.org"),
        ("password", common::PASSWORD),
    ];
    let r = app.submit(&client, "/signup", &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    let outbox = app.outbox_for("lucia@example.org").await;
    let mail = Mail::parse(outbox.last().expect("a confirmation mail"));
    let tr = writeathon::i18n::Tr::new(es());
    let text = mail.text();
    assert!(text.contains("Hola, Lucía Ramírez:"), "{text}");
    assert!(text.contains(&tr.t("mail-verify-body")), "{text}");
});

fn es() -> writeathon::i18n::Lang {
    writeathon::i18n::Lang::from_code("es").expect("locales/es is a language")
}
