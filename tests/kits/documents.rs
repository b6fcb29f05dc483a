//! A case's letter and sheet: what they say, in which language, with which fonts; bad input.

use super::*;

story!(
    the_letter_has_the_authority_the_address_in_order_and_the_salutation,
    |app| {
        let slug = current_slug();
        for lang in ["en", "fr"] {
            let case = first_case(&app, lang).await;
            assert_eq!(case["language"], lang);
            let path = format!(
                "/campaigns/{slug}/cases/{}/letter.pdf?lang={lang}",
                case["slug"].as_str().unwrap()
            );
            let letter = pdf(&app, &path).await;
            assert!(
                letter.len() <= 100 * 1024,
                "a letter of {} bytes",
                letter.len()
            );
            assert_eq!(pages(&letter), 1, "{lang}");
            let text = text(&letter);
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let authority = &case["authority"];
            assert!(
                flat.contains(authority["name"].as_str().unwrap()),
                "{lang}: {flat}"
            );
            // Each address line, in order.
            let mut from = 0;
            for line in authority["address"].as_str().unwrap().lines() {
                let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
                let at = flat[from..]
                    .find(&line)
                    .unwrap_or_else(|| panic!("{lang}: {line:?} after {from} in {flat}"));
                from += at + line.len();
            }
            let salutation = authority["salutation"].as_str().unwrap().replace('\'', "’");
            assert!(flat.contains(&salutation), "{lang}: {salutation} in {flat}");
            let postage = if lang == "fr" {
                "Lettre internationale"
            } else {
                "International letter"
            };
            assert!(flat.contains(postage), "{lang}: {flat}");
            let language = if lang == "fr" {
                "Langue : Français"
            } else {
                "Language: English"
            };
            assert!(flat.contains(language), "{lang}: {flat}");
            let fonts = assert_fonts_embedded_and_subset(&letter);
            assert!(fonts.iter().all(|f| f.contains('+')), "{fonts:?}");
        }
    }
);

const ARABIC: &str = "نطالب بالإفراج الفوري عن المدافعين عن حقوق الإنسان";

story!(an_arabic_letter_is_shaped_and_reads_right_to_left, |app| {
    let admin = app.token_for("kits-admin@example.org", Role::Admin).await;
    let slug = current_slug();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/cases")))
        .bearer_auth(&admin)
        .json(&json!({"slug": "amal-haddad", "name": "Amal Haddad", "country": "EG",
            "summary": "Amal is a teacher.", "language": "en",
            "authority": {"name": "وزير العدل", "title": "", "address": "ميدان لاظوغلي\nالقاهرة\nEgypt",
                "salutation": "السيد الوزير،"},
            "sample_letter": format!("{ARABIC}.\n\nWith respect,"), "solidarity": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let letter = pdf(
        &app,
        &format!("/campaigns/{slug}/cases/amal-haddad/letter.pdf?lang=en"),
    )
    .await;
    let text = text(&letter);
    // The source's letters, in logical order.
    assert!(letters(&text).contains(&letters(ARABIC)), "{text}");
    assert!(letters(&text).contains(&letters("ميدان لاظوغلي")), "{text}");
    let fonts = assert_fonts_embedded_and_subset(&letter);
    assert!(
        fonts.iter().any(|f| f.contains("NotoNaskhArabic")),
        "{fonts:?}"
    );
    // Right to left: the sentence's first word is set to the right of its second one.
    // (With -bbox, poppler gives each word's glyphs in the order they are drawn, left to right.)
    let boxes = tool(&letter, "pdftotext", &["-bbox"]);
    let word_box = |drawn: &str| -> (f64, f64) {
        let line = boxes
            .lines()
            .find(|l| l.contains("xMin") && letters(l).contains(drawn))
            .unwrap_or_else(|| panic!("{drawn} in {boxes}"));
        let attr = |name: &str| -> f64 {
            let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[at..].split('"').next().unwrap().parse().unwrap()
        };
        (attr("xMin"), attr("xMax"))
    };
    let rtl = |word: &str| word_box(&letters(word).chars().rev().collect::<String>());
    assert!(rtl("نطالب").0 > rtl("بالإفراج").0, "{boxes}");
    // The paragraph starts at the right margin, where the date line ends.
    let year = app.now().format("%Y").to_string();
    assert!((rtl("نطالب").1 - word_box(&year).1).abs() < 1.0, "{boxes}");
});

story!(bad_cases_still_print, |app| {
    let admin = app.token_for("kits-admin@example.org", Role::Admin).await;
    let slug = current_slug();
    let story = format!(
        "# A long story\n\n<script>alert('x')</script>\n\nSome <b>bold</b> words, $5 and #hash.\n\n{}",
        "Paragraph of a long story that goes on and on. ".repeat(230)
    );
    assert!(story.len() >= 10_000);
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/cases")))
        .bearer_auth(&admin)
        .json(&json!({"slug": "long-story", "name": "Long Story", "country": "NO",
            "summary": story, "language": "en",
            "authority": {"name": "Minister", "title": "", "address": "somewhere", "salutation": "Dear Minister,"},
            "sample_letter": "Please.", "solidarity": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // The address is missing: the letter says so.
    sqlx::query("UPDATE cases SET authority_address = '' WHERE slug = 'long-story'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let letter = pdf(
        &app,
        &format!("/campaigns/{slug}/cases/long-story/letter.pdf?lang=en"),
    )
    .await;
    assert!(
        text(&letter).contains("Address to follow"),
        "{}",
        text(&letter)
    );
    // Not written in French: the French kit says which language the case is in.
    let letter = pdf(
        &app,
        &format!("/campaigns/{slug}/cases/long-story/letter.pdf?lang=fr"),
    )
    .await;
    let flat = text(&letter)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("pas encore rédigé en Français") && flat.contains("English"),
        "{flat}"
    );
    assert!(flat.contains("Adresse à venir"), "{flat}");
    // A story of 10,000 characters flows onto more pages; no HTML comes through.
    let sheet = pdf(
        &app,
        &format!("/campaigns/{slug}/cases/long-story/sheet.pdf?lang=en"),
    )
    .await;
    assert!(pages(&sheet) >= 3, "{} pages", pages(&sheet));
    let text = text(&sheet);
    assert!(
        text.contains("A long story") && text.contains("$5 and #hash"),
        "{text}"
    );
    assert!(
        !text.contains("script") && !text.contains("alert") && !text.contains("<b>"),
        "{text}"
    );
    assert!(text.contains("Some bold words"), "{text}");
    // Unknown things are 404, unknown choices a clear 400.
    for path in [
        format!("/campaigns/{slug}/cases/nobody/letter.pdf"),
        format!("/campaigns/{slug}/cases/nobody/sheet.pdf"),
        "/campaigns/no-such-campaign/kit.pdf".to_string(),
        "/events/999999/kit.pdf".to_string(),
        "/events/not-a-number/kit.pdf".to_string(),
    ] {
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for query in ["lang=xx", "paper=a5"] {
        let r = app
            .get(&format!(
                "/campaigns/{slug}/cases/long-story/letter.pdf?{query}"
            ))
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    let (status, page) = app
        .get_text(&format!(
            "/campaigns/{slug}/cases/long-story/letter.pdf?lang=xx"
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("This language is not available for the kits"),
        "{page}"
    );
    assert!(
        page.contains(&writeathon::i18n::Lang::all_codes()),
        "{page}"
    );
});

story!(the_paper_follows_the_browser_or_the_choice, |app| {
    let slug = current_slug();
    let case = first_case(&app, "en").await;
    let path = format!(
        "/campaigns/{slug}/cases/{}/letter.pdf",
        case["slug"].as_str().unwrap()
    );
    let size = |pdf: &[u8]| {
        let info = tool(pdf, "pdfinfo", &[]);
        info.lines()
            .find(|l| l.starts_with("Page size:"))
            .unwrap()
            .to_string()
    };
    let us = reqwest::Client::builder().build().unwrap();
    let r = us
        .get(app.url(&path))
        .header("accept-language", "en-US,en;q=0.8")
        .send()
        .await
        .unwrap();
    let letter = r.bytes().await.unwrap();
    assert!(size(&letter).contains("612 x 792"), "{}", size(&letter));
    let a4 = pdf(&app, &format!("{path}?paper=a4")).await;
    assert!(
        size(&a4).contains("595.") && size(&a4).contains("841."),
        "{}",
        size(&a4)
    );
    let letter = pdf(&app, &format!("{path}?paper=letter&lang=es")).await;
    assert!(size(&letter).contains("612 x 792"), "{}", size(&letter));
    assert!(text(&letter).contains("Idioma: Español"));
});
