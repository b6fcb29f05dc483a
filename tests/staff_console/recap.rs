//! The recap: a draft only staff see until staff who manage campaigns publish it; its numbers
//! are the tally's; the world map has one shape per country with letters and the host country's
//! map one per region with letters; its print version is a PDF with the same numbers. Staff of
//! one country, hosts and nobody may not change it; bad input changes nothing.

use std::collections::HashMap;

use serde_json::Value;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::{audit_count, who};
use crate::story;

const FINISHED: &str = "w4r-2017";

async fn status(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let r = app.submit(client, path, fields).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The numbers of the recap's headline, by name (`data-total`), digits only.
fn totals(html: &str) -> HashMap<String, i64> {
    html.split("data-total=\"")
        .skip(1)
        .map(|rest| {
            let (name, rest) = rest.split_once('"').unwrap();
            let value = rest[1..rest.find('<').unwrap()]
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>();
            (name.to_string(), value.parse().unwrap())
        })
        .collect()
}

/// The SVG map whose title has this id, and the codes of its shapes with a value.
fn drawn(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("aria-labelledby=\"{id}-title"))
        .unwrap_or_else(|| panic!("no map {id}"));
    let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
    svg.split("data-code=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recap.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is needed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

async fn recap_rows(app: &TestApp) -> (i64, i64) {
    (app.count("recaps").await, app.count("recap_texts").await)
}

story!(staff_publish_a_recap_told_from_the_data, |app| {
    let path = format!("/campaigns/{FINISHED}/recap");
    let edit = format!("/staff/campaigns/{FINISHED}/recap");
    let publish = format!("{edit}/publish");
    let anyone = common::browser();
    let host = TestApp::browser_in(&app, "host@example.org", Role::Host, None).await;
    let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
    let all = who(&app, "staff-all@example.org", Role::Staff, None).await;

    // The finished campaign's drawn photos, approved, as the demo has them.
    let store = writeathon::photos::PhotoStore::open(
        &writeathon::config::photos::StoreUrl::folder(&app.photo_dir()),
    )
    .unwrap();
    writeathon::demo::photos::seed(&app.db, &store)
        .await
        .unwrap();

    // A draft: nobody outside the staff knows it is there; staff of a country read it.
    assert_eq!(status(&anyone, &app, &path).await, 404);
    assert_eq!(status(&anyone, &app, &format!("{path}.pdf")).await, 404);
    assert_eq!(status(&host, &app, &path).await, 404);
    let draft = app.page(&ca.browser, &path).await;
    assert!(draft.contains("id=\"recap-draft\""), "{draft}");

    // Only staff who manage campaigns set it up and publish it.
    let fields = [
        ("language", "en"),
        ("introduction", "**Thank you**, everyone!"),
        ("map_country", "CA"),
    ];
    // (Nobody signed in is sent to sign in; the rows show nothing changed either way.)
    let refusals: [(&reqwest::Client, &[u16]); 3] = [
        (&anyone, &[303, 401, 403]),
        (&host, &[403, 404]),
        (&ca.browser, &[403]),
    ];
    for (client, codes) in refusals {
        let (code, _) = submit(&app, client, &edit, &fields).await;
        assert!(codes.contains(&code), "{code}");
        let (code, _) = submit(&app, client, &publish, &[("publish", "1")]).await;
        assert!(codes.contains(&code), "{code}");
        assert_eq!(recap_rows(&app).await, (0, 0));
        assert_eq!(status(&anyone, &app, &path).await, 404);
    }
    assert_eq!(status(&ca.browser, &app, &edit).await, 403);

    // Bad input is shown again with its message and changes nothing.
    let form = app.page(&all.browser, &edit).await;
    let photo: i64 = form
        .split("name=\"photo\" value=\"")
        .nth(1)
        .and_then(|rest| rest[..rest.find('"')?].parse().ok())
        .expect("an approved photo of the finished campaign to choose");
    for bad in [
        vec![("language", "en"), ("map_country", "ZZ")],
        vec![("language", "en"), ("photo", "999999")],
        vec![("language", "en"), ("photo", "not-a-number")],
    ] {
        let (code, html) = submit(&app, &all.browser, &edit, &bad).await;
        assert_eq!(code, 422, "{bad:?}");
        assert!(html.contains("class=\"error\""), "{html}");
        assert_eq!(recap_rows(&app).await, (0, 0));
    }
    let (code, html) = submit(&app, &all.browser, &publish, &[("publish", "maybe")]).await;
    assert_eq!(code, 400, "{html}");

    let photo_field = photo.to_string();
    let mut chosen = fields.to_vec();
    chosen.push(("photo", &photo_field));
    let (code, _) = submit(&app, &all.browser, &edit, &chosen).await;
    assert_eq!(code, 303);
    assert_eq!(recap_rows(&app).await, (1, 1));
    assert_eq!(
        status(&anyone, &app, &path).await,
        404,
        "saved, still a draft"
    );
    let (code, _) = submit(&app, &all.browser, &publish, &[("publish", "1")]).await;
    assert_eq!(code, 303);
    assert_eq!(audit_count(&app, "recap.update").await, 1);
    assert_eq!(audit_count(&app, "recap.publish").await, 1);

    // Published: anyone reads it, with the tally's numbers.
    let r = anyone.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(!html.contains("recap-draft"));
    assert!(
        html.contains("<strong>Thank you</strong>, everyone!"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/photos/{photo}\"")));
    let tally: Value = app
        .get(&format!("/api/v1/campaigns/{FINISHED}/tally"))
        .await
        .json()
        .await
        .unwrap();
    let t = &tally["totals"];
    let shown = totals(&html);
    assert_eq!(shown["letters"], t["letters"].as_i64().unwrap());
    assert!(shown["letters"] > 0);
    assert_eq!(shown["solidarity"], t["solidarity"].as_i64().unwrap());
    assert_eq!(shown["participants"], t["participants"].as_i64().unwrap());
    assert_eq!(shown["events"], t["events_registered"].as_i64().unwrap());
    assert_eq!(shown["countries"], t["countries"].as_i64().unwrap());
    // One shape per country with letters, and per Canadian region with letters.
    let mut with_letters: Vec<String> = tally["by_country"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["letters"].as_i64().unwrap() > 0)
        .map(|c| c["country"].as_str().unwrap().to_string())
        .collect();
    with_letters.sort();
    let mut world = drawn(&html, "recap-world");
    world.sort();
    assert!(with_letters.len() > 1);
    assert_eq!(world, with_letters);
    let mut regions: Vec<String> = tally["by_region"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["region"].as_str().unwrap().starts_with("CA-") && r["letters"].as_i64().unwrap() > 0
        })
        .map(|r| r["region"].as_str().unwrap().to_string())
        .collect();
    regions.sort();
    let mut canada = drawn(&html, "recap-regions");
    canada.sort();
    assert!(!regions.is_empty());
    assert_eq!(canada, regions);
    let thirteen = html.contains("of the 13 regions of Canada");
    assert!(
        thirteen,
        "the line counts Canada's 13 provinces and territories"
    );

    // In French, the same numbers in French.
    let fr = app.page_in(&anyone, &path, "fr").await;
    assert!(fr.contains("Bilan"), "{fr}");
    assert_eq!(totals(&fr)["letters"], shown["letters"]);

    // On paper: the same numbers, and its ETag answers 304.
    let r = anyone
        .get(app.url(&format!("{path}.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    assert!(text.contains("Letters by country"), "{text}");
    let letters = html
        .split("data-total=\"letters\">")
        .nth(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_string())
        .unwrap();
    assert!(text.contains(&letters), "{letters} in {text}");
    let again = anyone
        .get(app.url(&format!("{path}.pdf")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Taken back to a draft, it is gone for the public again.
    let (code, _) = submit(&app, &all.browser, &publish, &[("publish", "0")]).await;
    assert_eq!(code, 303);
    assert_eq!(audit_count(&app, "recap.unpublish").await, 1);
    assert_eq!(status(&anyone, &app, &path).await, 404);
});

story!(
    before_the_deadline_the_recap_says_how_many_have_not_reported,
    |app| {
        let slug = app.current_slug();
        let all = who(&app, "staff-all@example.org", Role::Staff, None).await;
        let (code, _) = submit(
            &app,
            &all.browser,
            &format!("/staff/campaigns/{slug}/recap/publish"),
            &[("publish", "1")],
        )
        .await;
        assert_eq!(code, 303);
        let html = app
            .page(&reqwest::Client::new(), &format!("/campaigns/{slug}/recap"))
            .await;
        let tally: Value = app
            .get(&format!("/api/v1/campaigns/{slug}/tally"))
            .await
            .json()
            .await
            .unwrap();
        let waiting = tally["totals"]["events_registered"].as_i64().unwrap()
            - tally["totals"]["events_reported"].as_i64().unwrap();
        assert!(waiting > 1);
        assert!(
            html.contains(&format!("{waiting} events have not reported yet")),
            "{html}"
        );
        // No country is mapped by region unless staff choose one.
        assert!(!html.contains("recap-regions-title"));
    }
);
