//! Stories about the web layer every page shares: languages, errors, headers, assets, ops.

mod common;

use common::problem;
use reqwest::StatusCode;
use serde_json::Value;

story!(language_follows_the_visitor_and_the_switcher, |app| {
    let r = app
        .client
        .get(app.url("/"))
        .header("accept-language", "fr-CA,fr;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-language"], "fr");
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Aller au contenu principal"));
    assert!(
        html.contains("href=\"/lang/en?next=%2F\""),
        "switcher offers English"
    );
    // The switcher remembers the choice over Accept-Language.
    let r = app.get("/lang/fr?next=/campaigns/w4r-2017").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/campaigns/w4r-2017");
    let html = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    let r = app.get("/lang/en?next=https://evil.example/").await;
    assert_eq!(r.headers()["location"], "/");
    let (status, _) = app.get_text("/lang/de").await;
    assert_eq!(status, 404);
});

story!(errors_are_friendly_pages_or_problem_json, |app| {
    let r = app
        .client
        .get(app.url("/no/such/page"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Page introuvable") && html.contains("<html lang=\"fr\">"));
    let (status, _, p) = problem(app.get("/api/v1/campaigns/nope").await).await;
    assert_eq!(status, 404);
    assert_eq!(p["title"], "Page not found");
    let (status, headers, _) = problem(
        app.client
            .delete(app.url("/api/v1/campaigns"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 405);
    assert!(headers.contains_key("allow"));
    let r = app
        .client
        .get(app.url("/account/tokens/x/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    app.sign_in_as("someone@example.org", writeathon::accounts::Role::Host)
        .await;
    let r = app
        .post_form("/account/tokens/not-a-number/revoke", &[])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("could not be understood"));
});

story!(every_page_carries_security_headers, |app| {
    for path in [
        "/",
        "/signin",
        "/campaigns/w4r-2017",
        "/no-such-page",
        "/api/v1/campaigns",
    ] {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert!(h.contains_key("x-request-id"));
    }
    // API answers and assets set no cookie; pages set the CSRF cookie once.
    let fresh = common::browser();
    let r = fresh
        .get(app.url("/api/v1/campaigns"))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    let r = fresh.get(app.url("/signin")).send().await.unwrap();
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("csrf=")
    );
    // Pages are compressed for clients that accept it.
    let r = reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
        .get(app.url("/campaigns/w4r-2017"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
});

/// The `src`/`href` values of a page's scripts, images and `<link>`s (stylesheets, feeds): what a
/// browser may fetch by itself (an `<a href>` is fetched only when followed).
fn fetched_urls(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let attr = match name.as_str() {
            "script" | "img" | "iframe" | "source" => "src=\"",
            "link" => "href=\"",
            _ => continue,
        };
        let head = tag.split('>').next().unwrap_or_default();
        if let Some(start) = head.find(attr) {
            urls.push(
                head[start + attr.len()..]
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    urls
}

// The one origin an app with default settings names besides its own: OpenStreetMap's tiles,
// in the CSP's img-src and the finder map's data-tiles.
story!(by_default_the_finder_map_uses_openstreetmap_tiles, |app| {
    let r = app
        .get(&format!("/campaigns/{}/events", app.current_slug()))
        .await;
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("data-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""));
    assert!(html.contains("© OpenStreetMap contributors"));
});

// `--tile-url none`: no page names another origin in its CSP, the finder carries no tile URL and
// no OpenStreetMap attribution, everything it loads is this site's, and the country outlines it
// draws instead are served from here.
story!(
    without_tiles_no_page_names_a_third_party,
    |s| {
        s.set_tile_url(writeathon::config::NO_TILES);
    },
    |app| {
        let slug = app.current_slug();
        let finder = format!("/campaigns/{slug}/events");
        let search = format!("/campaigns/{slug}/events?place=Montr%C3%A9al");
        for path in [
            "/",
            "/signin",
            "/campaigns/w4r-2017",
            finder.as_str(),
            search.as_str(),
            "/api/v1/campaigns",
        ] {
            let r = app.get(path).await;
            assert_eq!(r.status(), 200, "{path}");
            let csp = r.headers()["content-security-policy"].to_str().unwrap();
            assert!(!csp.contains("://") && !csp.contains('*'), "{path}: {csp}");
            assert!(csp.contains("img-src 'self' data:;"), "{path}: {csp}");
            assert!(csp.contains("connect-src 'self';"), "{path}: {csp}");
        }

        for path in [&finder, &search] {
            let html = app.get(path).await.text().await.unwrap();
            assert!(
                html.contains("<div id=\"finder-map\""),
                "{path}: the map is there"
            );
            assert!(!html.contains("data-tiles"), "{path}: no tile URL");
            assert!(
                !html.contains("{z}") && !html.contains("tile."),
                "{path}: no tile URL"
            );
            assert!(
                !html.to_lowercase().contains("openstreetmap"),
                "{path}: no OpenStreetMap"
            );
            assert!(
                html.contains("data-outlines-attribution=\"Natural Earth\""),
                "{path}"
            );
            for url in fetched_urls(&html) {
                assert!(
                    url.starts_with('/') && !url.starts_with("//"),
                    "{path} loads {url}"
                );
            }
        }

        // The outlines and the script that reads them are served by the app itself.
        let html = app.get(&finder).await.text().await.unwrap();
        let start = html.find("data-outlines=\"").unwrap() + "data-outlines=\"".len();
        let outlines: String = html[start..].chars().take_while(|c| *c != '"').collect();
        assert!(
            outlines.starts_with("/static/vendor/world-atlas/countries-110m.json?v="),
            "{outlines}"
        );
        let r = app.get(&outlines).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");
        let topology: Value = r.json().await.unwrap();
        assert_eq!(topology["type"], "Topology");
        let countries = topology["objects"]["countries"]["geometries"]
            .as_array()
            .unwrap();
        assert!(countries.len() > 170, "{} countries", countries.len());
        assert!(
            fetched_urls(&html)
                .iter()
                .any(|u| u.starts_with("/static/vendor/topojson-client/topojson-client.min.js?v="))
        );
    }
);

story!(static_assets_are_embedded_and_cached, |app| {
    let html = app.get("/").await.text().await.unwrap();
    let start = html.find("/static/app.css?v=").unwrap();
    let href: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let r = app.get(&href).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let r = app.get("/static/app.css?v=old").await;
    assert_eq!(r.headers()["cache-control"], "public, max-age=300");
    let (status, _) = app.get_text("/static/../Cargo.toml").await;
    assert_eq!(status, 404);
});

// Any token is a valid method name: each one a client makes up must not become a metric series
// kept for as long as the process lives.
story!(metrics_count_unknown_methods_as_other, |app| {
    for method in ["FOOBAR123", "PROPFIND", "get"] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = app
            .client
            .request(method, app.url("/healthz"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    }
    let text = app.metrics().await;
    for made_up in ["FOOBAR123", "PROPFIND", "method=\"get\""] {
        assert!(!text.contains(made_up), "{made_up} in {text}");
    }
    assert!(
        text.contains(
            "writeathon_http_requests_total{method=\"other\",route=\"/healthz\",status=\"405\"} 3"
        ),
        "{text}"
    );
});

// /metrics tells how the site is used, route by route: not for everyone. Without a token it is
// not on the public listener at all; Prometheus reads it on the metrics listener.
story!(metrics_are_not_public_by_default, |app| {
    let (status, _) = app.get_text("/metrics").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("a-token-nobody-configured")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        app.metrics()
            .await
            .contains("writeathon_http_requests_total")
    );
    // The metrics listener serves nothing else.
    let r = reqwest::get(format!("{}/", app.metrics_base))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
});

const METRICS_TOKEN: &str = "scrape-0123456789abcdef";

// With --metrics-token, the public listener serves /metrics to whoever sends the token.
story!(
    metrics_with_a_token_on_the_public_listener,
    |s| {
        s.metrics_token = Some(METRICS_TOKEN.to_string());
    },
    |app| {
        let metrics = |auth: Option<&str>| {
            let mut r = app.client.get(app.url("/metrics"));
            if let Some(auth) = auth {
                r = r.header("authorization", auth);
            }
            r.send()
        };
        for refused in [
            None,
            Some("Bearer wrong-token-0123456789"),
            Some("Bearer scrape-0123456789abcde"),
            Some("Basic c2NyYXBlLTAxMjM0NTY3ODlhYmNkZWY="),
            Some(METRICS_TOKEN),
        ] {
            let r = metrics(refused).await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{refused:?}");
        }
        let r = metrics(Some(&format!("Bearer {METRICS_TOKEN}")))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("writeathon_http_requests_total")
        );
    }
);

story!(operations_endpoints, |app| {
    assert_eq!(
        app.get_text("/healthz").await,
        (StatusCode::OK, "ok".to_string())
    );
    assert_eq!(
        app.get_text("/readyz").await,
        (StatusCode::OK, "ready".to_string())
    );
    app.get("/campaigns/w4r-2017").await;
    let text = app.metrics().await;
    assert!(text.contains("writeathon_http_requests_total{method=\"GET\",route=\"/campaigns/{campaign}\",status=\"200\"}"), "{text}");
    assert!(text.contains("writeathon_http_request_duration_seconds_bucket"));
    // The OpenAPI document is valid JSON and names every v1 path that exists.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, methods) in [
        ("/api/v1/campaigns", &["get", "post"][..]),
        ("/api/v1/campaigns/{campaign}", &["get"]),
        ("/api/v1/campaigns/{campaign}/cases", &["get", "post"]),
        ("/api/v1/campaigns/{campaign}/cases/{case}", &["get"]),
        ("/api/v1/campaigns/{campaign}/events", &["get", "post"]),
        ("/api/v1/events/{id}", &["get", "patch"]),
        ("/api/v1/events/{id}/cancel", &["post"]),
        ("/api/v1/events/{id}/rsvps", &["get", "post"]),
        ("/api/v1/events/{id}/reports", &["get", "post"]),
        ("/api/v1/reports/{id}", &["put"]),
        ("/api/v1/reports/{id}/void", &["post"]),
        ("/api/v1/campaigns/{campaign}/tally", &["get"]),
        ("/api/v1/campaigns/{campaign}/tally/stream", &["get"]),
        ("/api/v1/places", &["get"]),
        ("/api/v1/account/export", &["get"]),
        ("/api/v1/account", &["delete"]),
        ("/api/openapi.json", &["get"]),
        ("/healthz", &["get"]),
        ("/readyz", &["get"]),
        ("/metrics", &["get"]),
    ] {
        for method in methods {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is not described"
            );
        }
    }
    // Every `$ref` points at something the document defines.
    fn refs(v: &Value, doc: &Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                    assert!(target.is_some(), "dangling {r}");
                }
                map.values().for_each(|v| refs(v, doc));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, doc)),
            _ => {}
        }
    }
    refs(&doc, &doc);
});
