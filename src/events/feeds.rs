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

use super::{Event, EventKind, store};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/events.ics", get(campaign_ics))
        .route("/campaigns/{campaign}/events.atom", get(campaign_atom))
}

/// Where the event is, as far as this audience may know: no venue name for home events or under
/// the country's safety mode, unless the reader may see the address anyway.
fn location(event: &Event, with_address: bool, safety: bool) -> String {
    let mut parts = Vec::new();
    if (with_address || !(event.kind == EventKind::Home || safety)) && !event.venue_name.is_empty()
    {
        parts.push(event.venue_name.as_str());
    }
    if with_address && !event.address.is_empty() {
        parts.push(event.address.as_str());
    }
    parts.push(event.city.as_str());
    parts.push(event.country.as_str());
    parts.join(", ")
}

/// An iCalendar document for the events; beside each event: whether the reader may see its street
/// address, and whether its country is under safety mode.
pub fn ics(events: &[(&Event, bool, bool)], base: &str) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Writeathon");
    for (event, with_address, safety) in events {
        let url = format!("{base}/events/{}", event.id);
        let mut item = icalendar::Event::new();
        item.uid(&format!("event-{}@writeathon", event.id))
            .summary(&event.title)
            .starts(event.starts_at)
            .ends(event.ends_at)
            .location(&location(event, *with_address, *safety))
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
    let campaign = crate::campaigns::store::by_slug(&state.db, slug, Lang::FALLBACK)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(store::feeds::public_events(&state.db, campaign.id).await?)
}

/// Safety mode of every country among the events.
async fn safety_of<'a>(
    state: &AppState,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<std::collections::HashMap<String, bool>> {
    let mut out = std::collections::HashMap::new();
    for e in events {
        if !out.contains_key(&e.country) {
            out.insert(
                e.country.clone(),
                store::moderation::safety_mode(&state.db, &e.country).await?,
            );
        }
    }
    Ok(out)
}

async fn campaign_ics(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let slug = slug.trim_end_matches(".ics").to_string();
    let events = public_events(&state, &slug).await?;
    let safety = safety_of(&state, &events).await?;
    let pairs: Vec<(&Event, bool, bool)> = events
        .iter()
        .map(|e| (e, false, safety[&e.country]))
        .collect();
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
    let rows = store::feeds::recently_updated(&state.db, campaign.id).await?;
    let events: Vec<&Event> = rows.iter().map(|r| &r.event).collect();
    let safety = safety_of(&state, events).await?;
    let mut entries = Vec::new();
    let mut newest = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    for store::feeds::Updated { event, updated_at } in &rows {
        let updated = *updated_at;
        newest = newest.max(updated);
        let url = format!("{base}/events/{}", event.id);
        let summary = format!(
            "{} — {}",
            event.local_start().format("%Y-%m-%d %H:%M %Z"),
            location(event, false, safety[&event.country])
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
