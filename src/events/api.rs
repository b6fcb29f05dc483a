//! `/api/v1/…events…` and `/api/v1/places` (see API-v1.md): register, find, read, edit and cancel
//! events; RSVP; the host's attendee list; place suggestions for forms.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::checks::{EventDraft, When};
use super::finder::FinderParams;
use super::privacy::EventView;
use super::rsvps::{self, RsvpFields};
use super::store::moderation::safety_mode;
use super::{Event, EventStatus, store};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, MaybeApiCaller};
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::geo;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::ClientIp;
use crate::web::api::{ApiJson, present, whole_or_null};
use crate::web::idempotency::{Claim, Idempotency, StoredResponse};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/campaigns/{campaign}/events",
            get(list).post(create),
        )
        .route("/api/v1/events/{id}", get(read).patch(patch))
        .route("/api/v1/events/{id}/cancel", post(cancel))
        .route("/api/v1/events/{id}/rsvps", get(attendees).post(rsvp))
        .route("/api/v1/places", get(places))
}

/// The create body of API-v1.md; on PATCH every field is optional. Only `capacity` may be
/// `null` (no limit on create, unchanged on PATCH).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    #[serde(default, deserialize_with = "present")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub visibility: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub starts_at: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub ends_at: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub venue_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "present")]
    pub longitude: Option<f64>,
    #[serde(default, deserialize_with = "whole_or_null")]
    pub capacity: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    pub accessibility: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub step_free: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub language: Option<String>,
}

impl EventBody {
    /// The draft for a new event (missing fields stay empty and fail the checks that need them),
    /// or for an edit of `base` (missing fields keep their stored values).
    pub(crate) fn draft(&self, base: Option<&Event>) -> EventDraft {
        let keep =
            |new: &Option<String>, old: Option<String>| new.clone().or(old).unwrap_or_default();
        let b = base;
        let moved = self.city.is_some() || self.country.is_some() || self.region.is_some();
        EventDraft {
            title: keep(&self.title, b.map(|e| e.title.clone())),
            kind: keep(&self.kind, b.map(|e| e.kind.as_str().to_string())),
            visibility: keep(
                &self.visibility,
                b.map(|e| e.visibility.as_str().to_string()),
            ),
            when: When::Instants {
                starts_at: keep(&self.starts_at, b.map(|e| e.local_start().to_rfc3339())),
                ends_at: keep(&self.ends_at, b.map(|e| e.local_end().to_rfc3339())),
            },
            timezone: keep(&self.timezone, b.map(|e| e.timezone.name().to_string())),
            venue_name: keep(&self.venue_name, b.map(|e| e.venue_name.clone())),
            address: keep(&self.address, b.map(|e| e.address.clone())),
            city: keep(&self.city, b.map(|e| e.city.clone())),
            region: keep(
                &self.region,
                if moved {
                    None
                } else {
                    b.and_then(|e| e.region.clone())
                },
            ),
            country: keep(&self.country, b.map(|e| e.country.clone())),
            // A new town without new coordinates is placed at the town again.
            latitude: self.latitude.or(if moved {
                None
            } else {
                b.and_then(|e| e.latitude)
            }),
            longitude: self.longitude.or(if moved {
                None
            } else {
                b.and_then(|e| e.longitude)
            }),
            capacity: self.capacity.or(b.and_then(|e| e.capacity)),
            accessibility: keep(&self.accessibility, b.map(|e| e.accessibility.clone())),
            step_free: self.step_free.or(b.map(|e| e.step_free)).unwrap_or(false),
            description: keep(&self.description, b.map(|e| e.description.clone())),
            language: keep(&self.language, b.map(|e| e.language.clone())),
        }
    }
}

async fn campaign(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    campaigns::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

async fn view(state: &AppState, event: &Event, owner: bool) -> Result<EventView> {
    let slug = store::campaign_slug(&state.db, event.campaign_id).await?;
    let counts = store::counts(&state.db, event.id).await?;
    let safety = safety_mode(&state.db, &event.country).await?;
    Ok(EventView::new(
        event,
        &slug,
        &state.settings.public_url,
        counts,
        owner,
        safety,
    ))
}

async fn create(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    lang: Lang,
    headers: HeaderMap,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Response> {
    let campaign = campaign(&state, &slug, lang).await?;
    let input = body.draft(None).check(&campaign).map_err(Error::Invalid)?;
    let route = format!("POST /api/v1/campaigns/{}/events", campaign.slug);
    let idem = Idempotency::from_request(
        &headers,
        caller.id,
        &route,
        &serde_json::to_value(&body).unwrap_or_default(),
    )?;
    let safety = safety_mode(&state.db, &input.country).await?;
    let mut tx = state.db.begin_write().await?;
    if let Some(idem) = &idem
        && let Claim::Done(response) = idem.claim(&state.db, &mut tx).await?
    {
        return Ok(response);
    }
    let id = store::insert(
        &mut tx,
        state.db.now_ms(),
        campaign.id,
        caller.id,
        &input,
        safety,
    )
    .await?;
    crate::events::mail::host_registered(&mut tx, state.db.now_ms(), &state.settings, id).await?;
    crate::events::webhooks::created(&mut tx, state.db.now_ms(), &state.settings.public_url, id)
        .await?;
    let event = store::get_in(&mut tx, id).await?;
    let body = EventView::new(
        &event,
        &campaign.slug,
        &state.settings.public_url,
        Default::default(),
        true,
        safety,
    );
    let stored = StoredResponse::created(format!("/api/v1/events/{id}"), &body);
    if let Some(idem) = &idem {
        idem.complete(&mut tx, &stored).await?;
    }
    tx.commit().await?;
    tracing::info!(event_id = id, campaign = %campaign.slug, "event registered");
    Ok(stored.into_response())
}

#[derive(Serialize)]
struct ListAnswer {
    events: Vec<EventView>,
    next_cursor: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
    Query(params): Query<FinderParams>,
) -> Result<Response> {
    let campaign = campaign(&state, &slug, lang).await?;
    let search = params.check(None).map_err(Error::Invalid)?;
    let page = super::finder::search(&state.db, campaign.id, &search).await?;
    let ids: Vec<i64> = page.results.iter().map(|f| f.event.id).collect();
    let counts = store::counts_for(&state.db, &ids).await?;
    let mut safety = std::collections::HashMap::new();
    let mut events = Vec::new();
    for found in &page.results {
        let country = &found.event.country;
        if !safety.contains_key(country) {
            safety.insert(country.clone(), safety_mode(&state.db, country).await?);
        }
        let c = counts.get(&found.event.id).copied().unwrap_or_default();
        let mut v = EventView::new(
            &found.event,
            &campaign.slug,
            &state.settings.public_url,
            c,
            false,
            safety[country],
        );
        v.distance_km = found.distance_km.map(|d| (d * 10.0).round() / 10.0);
        events.push(v);
    }
    Ok(axum::Json(ListAnswer {
        events,
        next_cursor: page.next.map(|c| c.encode()),
    })
    .into_response())
}

/// The event and whether the caller may manage it; 404 when the caller may not see it at all.
async fn visible(state: &AppState, id: i64, caller: Option<&Account>) -> Result<(Event, bool)> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    let owner = caller.is_some_and(|a| event.can_manage(a));
    let public =
        event.visibility == super::Visibility::Public && event.status != EventStatus::Unpublished;
    if owner || public {
        Ok((event, owner))
    } else {
        Err(Error::NotFound)
    }
}

async fn read(
    State(state): State<AppState>,
    MaybeApiCaller(caller): MaybeApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (event, owner) = visible(&state, id, caller.as_ref()).await?;
    Ok(axum::Json(view(&state, &event, owner).await?).into_response())
}

async fn managed(state: &AppState, caller: &Account, id: i64) -> Result<Event> {
    let (event, owner) = visible(state, id, Some(caller)).await?;
    if owner {
        Ok(event)
    } else {
        Err(Error::Forbidden)
    }
}

async fn patch(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EventBody>,
) -> Result<Response> {
    let event = managed(&state, &caller, id).await?;
    let campaign = campaigns::by_id(&state.db, event.campaign_id, Lang::FALLBACK)
        .await?
        .ok_or(Error::NotFound)?;
    let input = body
        .draft(Some(&event))
        .check(&campaign)
        .map_err(Error::Invalid)?;
    if !event.may_move_to(&caller, &input.country) {
        return Err(Error::ForbiddenField(super::checks::country_out_of_scope()));
    }
    let staff = super::moderation::acting_staff(&caller, &event);
    super::pages::save_edit(&state, &event, &input, staff).await?;
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok(axum::Json(view(&state, &event, true).await?).into_response())
}

async fn cancel(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    let event = managed(&state, &caller, id).await?;
    let mut tx = state.db.begin_write().await?;
    super::cancel_with_notice(&mut tx, state.db.now_ms(), &state.settings, event.id).await?;
    if let Some(staff) = super::moderation::acting_staff(&caller, &event) {
        super::moderation::audit_cancel(&mut tx, state.db.now_ms(), staff, &event).await?;
    }
    tx.commit().await?;
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    Ok(axum::Json(view(&state, &event, true).await?).into_response())
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RsvpBody {
    name: String,
    email: String,
    #[serde(default)]
    consent: bool,
    #[serde(default)]
    notify: bool,
}

/// The same for every email, whatever its state (see `rsvps::RsvpOutcome`).
#[derive(Serialize)]
struct RsvpAnswer {
    status: &'static str,
}

async fn rsvp(
    State(state): State<AppState>,
    lang: Lang,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RsvpBody>,
) -> Result<Response> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    // Private, cancelled, unpublished and finished events take no RSVP, and say no more than 404.
    if !event.is_public_listing() || event.ends_at <= state.db.clock.now() {
        return Err(Error::NotFound);
    }
    let fields = RsvpFields {
        name: body.name,
        email: body.email,
        consent: body.consent.then(|| "on".to_string()),
        notify: body.notify.then(|| "on".to_string()),
    };
    let input = fields.check().map_err(Error::Invalid)?;
    crate::web::rate_limit::hit(&state.db, &format!("rsvp-ip:{ip}"), rsvps::RSVP_PER_IP).await?;
    let outcome = rsvps::rsvp(&state.db, &state.settings, &event, &input, lang).await?;
    let answer = RsvpAnswer {
        status: outcome.status.as_str(),
    };
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}

async fn attendees(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    let event = managed(&state, &caller, id).await?;
    Ok(axum::Json(store::attendees::of_event(&state.db, event.id).await?).into_response())
}

#[derive(Deserialize)]
struct PlacesQuery {
    q: Option<String>,
    country: Option<String>,
}

#[derive(Serialize)]
struct PlaceAnswer {
    label: String,
    name: &'static str,
    country: &'static str,
    region: Option<&'static str>,
    latitude: f64,
    longitude: f64,
}

/// Town suggestions for the place boxes, labelled in the visitor's language.
async fn places(lang: Lang, Query(q): Query<PlacesQuery>) -> Result<Response> {
    let text = q.q.unwrap_or_default();
    if text.chars().count() > 100 {
        let mut e = crate::i18n::FieldErrors::default();
        e.add("q", crate::i18n::Msg::new("field-too-long").arg("max", 100));
        return Err(Error::Invalid(e));
    }
    let country = q.country.map(|c| c.to_ascii_uppercase());
    let found = geo::search(&text, country.as_deref(), 8);
    let answer: Vec<PlaceAnswer> = found
        .into_iter()
        .map(|p| {
            let mut label = vec![p.name.to_string()];
            if let Some(r) = p.region.and_then(|r| geo::region_name(r, lang)) {
                label.push(r.to_string());
            }
            label.push(
                geo::country_name(p.country, lang)
                    .unwrap_or(p.country)
                    .to_string(),
            );
            PlaceAnswer {
                label: label.join(", "),
                name: p.name,
                country: p.country,
                region: p.region,
                latitude: p.lat,
                longitude: p.lon,
            }
        })
        .collect();
    Ok((
        [(axum::http::header::CACHE_CONTROL, "public, max-age=86400")],
        axum::Json(answer),
    )
        .into_response())
}
