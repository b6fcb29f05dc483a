//! The dashboard: counts, charts and regions in the reader's scope.

#![allow(unused_imports)]
use serde_json::{Value, json};
use sqlx::Row;
use writeathon::accounts::Role;

use crate::common::{self, TestApp};
use crate::helpers::*;
use crate::story;

/// The text of the element with this id (up to its closing tag).
fn element<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    let open = rest.find('>').unwrap() + 1;
    let end = rest[open..].find("</").unwrap();
    &rest[open..open + end]
}

async fn letters_in(app: &TestApp, country: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(t.letters), 0) AS BIGINT) FROM event_totals t \
         JOIN events e ON e.id = t.event_id JOIN campaigns c ON c.id = e.campaign_id \
         WHERE c.slug = $1 AND e.country = $2",
    )
    .bind(app.current_slug())
    .bind(country)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

const CANADA: [(&str, &str); 13] = [
    ("CA-AB", "Alberta"),
    ("CA-BC", "British Columbia"),
    ("CA-MB", "Manitoba"),
    ("CA-NB", "New Brunswick"),
    ("CA-NL", "Newfoundland and Labrador"),
    ("CA-NS", "Nova Scotia"),
    ("CA-NT", "Northwest Territories"),
    ("CA-NU", "Nunavut"),
    ("CA-ON", "Ontario"),
    ("CA-PE", "Prince Edward Island"),
    ("CA-QC", "Quebec"),
    ("CA-SK", "Saskatchewan"),
    ("CA-YT", "Yukon"),
];

story!(
    the_dashboard_counts_charts_and_names_the_regions_with_none_yet,
    |app| {
        let slug = app.current_slug();
        let ca_host = app.token_for("host-ca@example.org", Role::Host).await;
        let ns = event(
            &app,
            &ca_host,
            "Halifax letters",
            ("Halifax", "CA-NS", "CA"),
        )
        .await;
        report(&app, &ca_host, ns, 41).await;
        let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
        let fr = who(&app, "staff-fr@example.org", Role::Staff, Some("FR")).await;
        let all = who(&app, "staff-all@example.org", Role::Staff, None).await;
        let host = who(&app, "host-only@example.org", Role::Host, None).await;
        let path = format!("/staff/campaigns/{slug}/dashboard");

        let (status, html) = get(&ca.browser, &app, &path, None).await;
        assert_eq!(status, 200, "{html}");
        let letters = letters_in(&app, "CA").await;
        assert!(letters >= 41);
        let shown: i64 = element(&html, "count-letters")
            .replace([',', '\u{a0}', '\u{202f}', ' '], "")
            .parse()
            .unwrap();
        assert_eq!(shown, letters);
        // The charts: a picture with a title, and a table with a row per bar.
        assert!(
            html.contains("role=\"img\"") && html.contains("<title id=\"events-chart-title\">")
        );
        let bars = html
            .split("<figure>")
            .nth(1)
            .unwrap()
            .split("</figure>")
            .next()
            .unwrap();
        let rows = element(&html, "events-table");
        let _ = rows;
        let table = html
            .split("id=\"events-table\"")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap();
        assert_eq!(
            bars.matches("<rect").count(),
            table.matches("<tr><th scope=\"row\">").count()
        );
        // Regions: those with a published event are not "none yet"; those without are named.
        let with_events: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT e.region FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE c.slug = $1 AND e.country = 'CA' AND e.status = 'published' AND e.region IS NOT NULL",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
        let none_yet = html
            .split("id=\"regions-none-yet\">")
            .nth(1)
            .unwrap()
            .split("</p>")
            .next()
            .unwrap();
        for (code, name) in CANADA {
            let listed = none_yet.contains(name);
            assert_eq!(
                listed,
                !with_events.iter().any(|r| r == code),
                "{name}: {none_yet}"
            );
        }
        assert!(html.contains("Nova Scotia"));
        // France's staff: France's numbers, nothing of Canada's.
        let (status, html) = get(&fr.browser, &app, &path, None).await;
        assert_eq!(status, 200);
        let shown: i64 = element(&html, "count-letters")
            .replace([',', '\u{a0}', '\u{202f}', ' '], "")
            .parse()
            .unwrap();
        assert_eq!(shown, letters_in(&app, "FR").await);
        assert!(!html.contains("Nova Scotia"));
        // Staff of every country: every country, or one.
        let (_, html) = get(&all.browser, &app, &path, None).await;
        assert!(html.contains("id=\"places-table\"") && !html.contains("id=\"regions-none-yet\""));
        let (_, html) = get(&all.browser, &app, &format!("{path}?country=CA"), None).await;
        assert!(html.contains("Nova Scotia"));
        // Refusals.
        assert_eq!(
            get(&fr.browser, &app, &format!("{path}?country=CA"), None)
                .await
                .0,
            404
        );
        assert_eq!(
            get(&ca.browser, &app, &format!("{path}?country=ZZ"), None)
                .await
                .0,
            422
        );
        assert_eq!(
            get(&ca.browser, &app, &format!("{path}?colour=red"), None)
                .await
                .0,
            422
        );
        assert_eq!(
            get(&ca.browser, &app, "/staff/campaigns/nope/dashboard", None)
                .await
                .0,
            404
        );
        assert_eq!(get(&host.browser, &app, &path, None).await.0, 403);
        assert_eq!(get(&common::browser(), &app, &path, None).await.0, 303);
    }
);
