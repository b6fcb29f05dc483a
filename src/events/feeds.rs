//! Calendars and feeds: one event's .ics ("add to calendar"), and a campaign's public events as
//! an iCalendar feed and an Atom feed. Only what the public event page shows goes in: never the
//! street address of a home or private event, never the host.

use atom_syndication::{Entry, Feed, Link, Person, Text};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use icalendar::{Calendar, Component, EventLike};
use sqlx::Row;

use super::{Event, store};
use crate::app::AppState;
use crate::error::{Error, Result};
use crate::web::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/events.ics", get(campaign_ics))
        .route("/campaigns/{campaign}/events.atom", get(campaign_atom))
}

/// Where the event is, as far as this audience may know.
fn location(event: &Event, with_address: bool) -> String {
    let mut parts = Vec::new();
    if (with_address || event.kind != "home") && !event.venue_name.is_empty() {
        parts.push(event.venue_name.as_str());
    }
    if with_address && !event.address.is_empty() {
        parts.push(event.address.as_str());
    }
    parts.push(event.city.as_str());
    parts.push(event.country.as_str());
    parts.join(", ")
}

/// An iCalendar document for the events; `true` beside an event includes its street address.
pub fn ics(events: &[(&Event, bool)], base: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Writeathon");
    for (event, with_address) in events {
        let url = format!("{base}/events/{}", event.id);
        let mut item = icalendar::Event::new();
        item.uid(&format!("event-{}@writeathon", event.id))
            .summary(&event.title)
            .starts(event.starts_at)
            .ends(event.ends_at)
            .location(&location(event, *with_address))
            .url(&url)
            .description(&format!("{}\n\n{url}", event.description));
        if event.status != super::EventStatus::Published {
            item.status(icalendar::EventStatus::Cancelled);
        }
        calendar.push(item.done());
    }
    calendar.done().to_string()
}

pub fn ics_response(body: String, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The campaign's public, published events, soonest first (at most 2,000).
async fn public_events(state: &AppState, slug: &str) -> Result<Vec<Event>> {
    let campaign = crate::campaigns::store::by_slug(&state.db, slug, Lang::En)
        .await?
        .ok_or(Error::NotFound)?;
    let sql = format!(
        "SELECT {} FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' AND e.visibility = 'public' \
         ORDER BY e.starts_at, e.id LIMIT 2000",
        store::COLUMNS
    );
    let rows = sqlx::query(&sql)
        .bind(campaign.id)
        .fetch_all(&state.db.pool)
        .await?;
    rows.iter()
        .map(store::from_row)
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Error::from)
}

async fn campaign_ics(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let slug = slug.trim_end_matches(".ics").to_string();
    let events = public_events(&state, &slug).await?;
    let pairs: Vec<(&Event, bool)> = events.iter().map(|e| (e, false)).collect();
    Ok(ics_response(
        ics(&pairs, &state.settings.public_url),
        &format!("{slug}-events.ics"),
    ))
}

async fn campaign_atom(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = crate::campaigns::store::by_slug(&state.db, &slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    let base = &state.settings.public_url;
    let sql = format!(
        "SELECT {}, e.updated_at FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' \
         AND e.visibility = 'public' ORDER BY e.updated_at DESC, e.id DESC LIMIT 100",
        store::COLUMNS
    );
    let rows = sqlx::query(&sql)
        .bind(campaign.id)
        .fetch_all(&state.db.pool)
        .await?;
    let mut entries = Vec::new();
    let mut newest = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    for row in &rows {
        let event = store::from_row(row)?;
        let updated: i64 = row.try_get("updated_at")?;
        let updated = chrono::DateTime::from_timestamp_millis(updated).unwrap_or_default();
        newest = newest.max(updated);
        let url = format!("{base}/events/{}", event.id);
        let summary = format!(
            "{} — {}",
            event.local_start().format("%Y-%m-%d %H:%M %Z"),
            location(&event, false)
        );
        entries.push(Entry {
            id: url.clone(),
            title: Text::plain(event.title.clone()),
            updated: updated.fixed_offset(),
            links: vec![Link {
                href: url,
                ..Default::default()
            }],
            summary: Some(Text::plain(summary)),
            ..Default::default()
        });
    }
    let feed = Feed {
        id: format!("{base}/campaigns/{}/events.atom", campaign.slug),
        title: Text::plain(campaign.title.clone()),
        updated: newest.fixed_offset(),
        authors: vec![Person {
            name: "Writeathon".into(),
            ..Default::default()
        }],
        links: vec![Link {
            href: format!("{base}/campaigns/{}/events", campaign.slug),
            ..Default::default()
        }],
        entries,
        lang: Some(lang.code().to_string()),
        ..Default::default()
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
