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

/// The paragraph naming the country's regions with no event yet.
fn regions_none_yet(html: &str) -> &str {
    html.split("id=\"regions-none-yet\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap()
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
        let none_yet = regions_none_yet(&html);
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

/// The number in the element with this id.
fn number(html: &str, id: &str) -> i64 {
    element(html, id)
        .replace([',', '\u{a0}', '\u{202f}', ' '], "")
        .parse()
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
}

/// The letters table's rows: (date, that day, so far).
fn letter_days(html: &str) -> Vec<(String, i64, i64)> {
    let table = html
        .split("id=\"letters-table\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let n = |s: &str| -> i64 {
        s.replace([',', '\u{a0}', '\u{202f}', ' '], "")
            .parse()
            .unwrap()
    };
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let (date, rest) = row.split_once("</th><td>").unwrap();
            let (day, rest) = rest.split_once("</td><td>").unwrap();
            let (so_far, _) = rest.split_once("</td>").unwrap();
            (date.to_string(), n(day), n(so_far))
        })
        .collect()
}

story!(
    the_reports_numbers_are_the_tallys_counters_live_and_by_the_day_they_came_in,
    |app| {
        let slug = app.current_slug();
        let host = app.token_for("host-ca@example.org", Role::Host).await;
        let event = event(&app, &host, "Moncton letters", ("Moncton", "CA-NB", "CA")).await;
        let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
        let path = format!("/staff/campaigns/{slug}/dashboard");
        let (_, before) = get(&ca.browser, &app, &path, None).await;
        report(&app, &host, event, 17).await;
        report(&app, &host, event, 5).await;
        let (status, after) = get(&ca.browser, &app, &path, None).await;
        assert_eq!(status, 200);
        // At once: the counters move in the reports' own transaction.
        assert_eq!(
            number(&after, "count-letters") - number(&before, "count-letters"),
            22
        );
        assert_eq!(
            number(&after, "count-reports") - number(&before, "count-reports"),
            2
        );
        assert_eq!(
            number(&after, "count-letters"),
            letters_in(&app, "CA").await
        );
        // Letters by day: each day's letters are those of the current reports that came in that
        // day, and the last running total is every letter.
        let days = letter_days(&after);
        let (last_day, _, so_far) = days.last().cloned().unwrap();
        assert_eq!(so_far, number(&after, "count-letters"));
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT r.created_at, CAST(SUM(i.letters) AS BIGINT) FROM reports r \
             JOIN report_items i ON i.report_id = r.id JOIN events e ON e.id = r.event_id \
             JOIN campaigns c ON c.id = r.campaign_id \
             WHERE c.slug = $1 AND e.country = 'CA' AND r.voided_at IS NULL GROUP BY r.id, r.created_at",
        )
        .bind(&slug)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let on_last_day: i64 = rows
            .iter()
            .filter(|(at, _)| {
                chrono::DateTime::from_timestamp_millis(*at)
                    .unwrap()
                    .format("%Y-%m-%d")
                    .to_string()
                    == last_day
            })
            .map(|(_, letters)| letters)
            .sum();
        let shown = days.iter().find(|d| d.0 == last_day).unwrap().1;
        assert_eq!(shown, on_last_day);
        assert!(shown >= 22, "today's reports are on today: {days:?}");
        // Counting again from the rows finds nothing to repair.
        let drift = writeathon::reports::reconcile::reconcile(&app.db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
    }
);

story!(
    the_events_figures_are_shared_for_a_few_seconds_then_recounted,
    |app| {
        let slug = app.current_slug();
        let host = app.token_for("host-ca@example.org", Role::Host).await;
        let ca = who(&app, "staff-ca@example.org", Role::Staff, Some("CA")).await;
        let path = format!("/staff/campaigns/{slug}/dashboard");
        let (_, first) = get(&ca.browser, &app, &path, None).await;
        let published: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM events e JOIN campaigns c ON c.id = e.campaign_id \
             WHERE c.slug = $1 AND e.country = 'CA' AND e.status = 'published'",
        )
        .bind(&slug)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(number(&first, "count-events"), published);
        event(&app, &host, "Iqaluit letters", ("Iqaluit", "CA-NU", "CA")).await;
        // Kept: the new event is not counted yet.
        let (_, kept) = get(&ca.browser, &app, &path, None).await;
        assert_eq!(number(&kept, "count-events"), published);
        // Once they are older than FRESH_FOR, a view starts a recount; a later one shows it.
        tokio::time::sleep(writeathon::staff::figures::FRESH_FOR).await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let (_, html) = get(&ca.browser, &app, &path, None).await;
            if number(&html, "count-events") == published + 1 {
                let none_yet = regions_none_yet(&html);
                assert!(!none_yet.contains("Nunavut"), "{none_yet}");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "never recounted");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
);
