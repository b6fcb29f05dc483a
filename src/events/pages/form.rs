//! The host's form: register an event, edit it (the API's PATCH saves through [`save_edit`] too),
//! cancel it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Empty, managed};
use crate::accounts::auth::SignedIn;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::events::checks::{self, EventDraft, EventInput, When, place_names_town};
use crate::events::{Event, KINDS, rsvps, store};
use crate::geo;
use crate::i18n::Lang;
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/events/new", get(new_page))
        .route("/campaigns/{campaign}/events", post(create))
        .route("/events/{id}/edit", get(edit_page).post(edit))
        .route("/events/{id}/cancel", post(cancel))
}

/// The host's form, as typed: every field a string so it can be shown again as it was.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub timezone: String,
    /// The visible place box ("St. John's, Newfoundland and Labrador, Canada" or just a town).
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub latitude: String,
    #[serde(default)]
    pub longitude: String,
    #[serde(default)]
    pub venue_name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub step_free: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub language: String,
}

impl EventForm {
    pub(crate) fn of(event: &Event) -> EventForm {
        let start = event.local_start();
        let end = event.local_end();
        EventForm {
            title: event.title.clone(),
            kind: event.kind.as_str().to_string(),
            visibility: event.visibility.as_str().to_string(),
            date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            end_time: end.format("%H:%M").to_string(),
            timezone: event.timezone.name().to_string(),
            place: event.city.clone(),
            city: event.city.clone(),
            region: event.region.clone().unwrap_or_default(),
            country: event.country.clone(),
            latitude: event.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: event.longitude.map(|v| v.to_string()).unwrap_or_default(),
            venue_name: event.venue_name.clone(),
            address: event.address.clone(),
            capacity: event.capacity.map(|v| v.to_string()).unwrap_or_default(),
            accessibility: event.accessibility.clone(),
            step_free: event.step_free.then(|| "on".to_string()),
            description: event.description.clone(),
            language: event.language.clone(),
        }
    }

    /// Resolves the place box and parses numbers, then runs the shared checks.
    pub(crate) fn check(
        &self,
        campaign: &Campaign,
        lang: Lang,
    ) -> std::result::Result<EventInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let number = |e: &mut FieldErrors, field: &str, v: &str| -> Option<f64> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            v.parse::<f64>()
                .map_err(|_| e.add(field, Msg::new("field-number")))
                .ok()
        };
        let mut latitude = number(&mut e, "latitude", &self.latitude);
        let mut longitude = number(&mut e, "longitude", &self.longitude);
        let capacity = match self.capacity.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(
                        "capacity",
                        Msg::new("field-number-range")
                            .arg("min", 1)
                            .arg("max", checks::MAX_CAPACITY),
                    );
                    None
                }
            },
        };
        // Without JavaScript only the place box is filled: look the town up ourselves.
        let (mut city, mut region) = (self.city.trim().to_string(), self.region.trim().to_string());
        let typed = self
            .place
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        if city.is_empty() || (!typed.is_empty() && !place_names_town(&self.place, &city)) {
            city = typed.clone();
            region.clear();
            latitude = None;
            longitude = None;
            let country = self.country.trim().to_ascii_uppercase();
            if let Some(place) = geo::find(&typed, &country, None) {
                city = place.name.to_string();
                region = place.region.unwrap_or_default().to_string();
                latitude = Some(place.lat);
                longitude = Some(place.lon);
            }
        }
        if city.is_empty() {
            e.add("place", Msg::new("field-required"));
        }
        let draft = EventDraft {
            title: self.title.clone(),
            kind: self.kind.clone(),
            visibility: self.visibility.clone(),
            when: When::Local {
                date: self.date.clone(),
                start: self.start_time.clone(),
                end: self.end_time.clone(),
            },
            timezone: self.timezone.clone(),
            venue_name: self.venue_name.clone(),
            address: self.address.clone(),
            city,
            region,
            country: self.country.clone(),
            latitude,
            longitude,
            capacity,
            accessibility: self.accessibility.clone(),
            step_free: self.step_free.is_some(),
            description: self.description.clone(),
            language: if self.language.trim().is_empty() {
                lang.code().to_string()
            } else {
                self.language.clone()
            },
        };
        match draft.check(campaign) {
            Ok(input) if e.is_empty() => Ok(input),
            Ok(_) => Err(e),
            Err(more) => {
                for (field, msgs) in more.0 {
                    // The form has no separate city field: its messages belong to the place box.
                    let field = if field == "city" {
                        "place".to_string()
                    } else {
                        field
                    };
                    for m in msgs {
                        e.add(&field, m);
                    }
                }
                Err(e)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "events/form.html")]
struct FormPage {
    page: PageCtx,
    campaign: Campaign,
    existing: Option<Event>,
    form: EventForm,
    errors: FieldErrors,
    kinds: [&'static str; 12],
    zones: Vec<&'static str>,
}

fn zones_for(country: &str) -> Vec<&'static str> {
    let zones = geo::zones::zones_of(country);
    if zones.is_empty() {
        geo::zones::all_zones()
    } else {
        zones
    }
}

async fn open_campaign(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    campaigns::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

async fn new_page(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = open_campaign(&state, &slug, page.lang).await?;
    let form = EventForm {
        visibility: "public".into(),
        date: campaign.global_day.to_string(),
        language: page.lang.code().into(),
        ..Default::default()
    };
    let zones = geo::zones::all_zones();
    Ok(render(&FormPage {
        page,
        campaign,
        existing: None,
        form,
        errors: FieldErrors::default(),
        kinds: KINDS,
        zones,
    }))
}

async fn create(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Result<Response> {
    let campaign = open_campaign(&state, &slug, page.lang).await?;
    let input = match form.check(&campaign, page.lang) {
        Ok(input) => input,
        Err(errors) => {
            let zones = zones_for(&form.country);
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    page,
                    campaign,
                    existing: None,
                    form,
                    errors,
                    kinds: KINDS,
                    zones,
                },
            ));
        }
    };
    let safety = store::moderation::safety_mode(&state.db, &input.country).await?;
    let mut tx = state.db.begin_write().await?;
    let id = store::insert(
        &mut tx,
        state.db.now_ms(),
        campaign.id,
        me.id,
        &input,
        safety,
    )
    .await?;
    crate::events::mail::host_registered(&mut tx, state.db.now_ms(), &state.settings, id).await?;
    crate::events::webhooks::created(&mut tx, state.db.now_ms(), &state.settings.public_url, id)
        .await?;
    tx.commit().await?;
    tracing::info!(event_id = id, campaign = %campaign.slug, "event registered");
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let event = managed(&state, &me, id).await?;
    let campaign = campaigns::by_id(&state.db, event.campaign_id, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let form = EventForm::of(&event);
    let zones = zones_for(&event.country);
    Ok(render(&FormPage {
        page,
        campaign,
        existing: Some(event),
        form,
        errors: FieldErrors::default(),
        kinds: KINDS,
        zones,
    }))
}

async fn edit(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Result<Response> {
    let event = managed(&state, &me, id).await?;
    let campaign = campaigns::by_id(&state.db, event.campaign_id, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    // A country the editor may not move the event to is refused for who asks, not for what
    // was typed: 403, with the form shown again.
    let checked = match form.check(&campaign, page.lang) {
        Ok(input) if !event.may_move_to(&me, &input.country) => {
            Err((StatusCode::FORBIDDEN, checks::country_out_of_scope()))
        }
        Ok(input) => Ok(input),
        Err(errors) => Err((StatusCode::UNPROCESSABLE_ENTITY, errors)),
    };
    let input = match checked {
        Ok(input) => input,
        Err((status, errors)) => {
            let zones = zones_for(&form.country);
            return Ok(render_status(
                status,
                &FormPage {
                    page,
                    campaign,
                    existing: Some(event),
                    form,
                    errors,
                    kinds: KINDS,
                    zones,
                },
            ));
        }
    };
    let staff = crate::events::moderation::acting_staff(&me, &event);
    save_edit(&state, &event, &input, staff).await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

/// Whether attendees must hear about an edit.
fn time_or_place_changed(event: &Event, input: &EventInput) -> bool {
    event.starts_at != input.starts_at
        || event.ends_at != input.ends_at
        || event.address != input.address
        || event.venue_name != input.venue_name
        || event.city != input.city
        || event.country != input.country
}

/// Stores an edit; a larger capacity moves people up from the waitlist (they are told), and a new
/// time or place is mailed to everyone who RSVP'd, in the same transaction.
/// `staff`: the staff member making it, when not the host (the edit is then audited).
pub async fn save_edit(
    state: &AppState,
    event: &Event,
    input: &EventInput,
    staff: Option<i64>,
) -> Result<()> {
    let safety = store::moderation::safety_mode(&state.db, &input.country).await?;
    let mut tx = state.db.begin_write().await?;
    store::update(&mut tx, state.db.now_ms(), event.id, input, safety).await?;
    if let Some(staff) = staff {
        crate::events::moderation::audit_edit(&mut tx, state.db.now_ms(), staff, event, input)
            .await?;
    }
    store::lock_rsvps(&mut tx, event.id).await?;
    let promoted =
        rsvps::promote_waitlist(&mut tx, state.db.now_ms(), event.id, input.capacity).await?;
    crate::events::mail::promoted(
        &mut tx,
        state.db.now_ms(),
        &state.settings,
        event.id,
        &promoted,
    )
    .await?;
    if time_or_place_changed(event, input) {
        crate::events::mail::event_changed(
            &mut tx,
            state.db.now_ms(),
            &state.settings,
            event.id,
            false,
        )
        .await?;
    }
    tx.commit().await?;
    // A new place, kind or visibility may change which tally cells may be shown.
    state.tally().changed(event.campaign_id).await;
    Ok(())
}

async fn cancel(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let event = managed(&state, &me, id).await?;
    let mut tx = state.db.begin_write().await?;
    crate::events::cancel_with_notice(&mut tx, state.db.now_ms(), &state.settings, event.id)
        .await?;
    if let Some(staff) = crate::events::moderation::acting_staff(&me, &event) {
        crate::events::moderation::audit_cancel(&mut tx, state.db.now_ms(), staff, &event).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}
