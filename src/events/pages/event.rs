//! The event page: what the viewer may see of it, its RSVP form, "add to calendar" and "report
//! this event".

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Access, visible_event};
use crate::accounts::auth::CurrentUser;
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::events::rsvps::{self, RsvpFields};
use crate::events::{Event, EventKind, RsvpCounts, feeds, store};
use crate::geo;
use crate::i18n::FieldErrors;
use crate::state::AppState;
use crate::web::ClientIp;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::markdown::to_safe_html;
use crate::web::page::{PageCtx, render_status};
use crate::web::rate_limit::{self, Limit};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}", get(event_page))
        .route("/events/{id}/rsvps", post(rsvp))
        .route("/events/{id}/flags", post(flag))
        .route("/events/{id}/calendar.ics", get(calendar))
}

#[derive(Template)]
#[template(path = "events/event.html")]
struct EventPage {
    page: PageCtx,
    event: Event,
    campaign: Campaign,
    cases: Vec<Case>,
    counts: RsvpCounts,
    description_html: String,
    manage: bool,
    see_address: bool,
    safety: bool,
    rsvp: RsvpFields,
    rsvp_errors: FieldErrors,
    flagged: bool,
    /// A public event that has not ended takes RSVPs.
    rsvp_open: bool,
    /// Letters and messages this event reported, and the whole campaign's.
    event_written: i64,
    campaign_written: i64,
    /// Its approved public photos; the link to add some for its host and staff.
    photos: crate::photos::pages::EventPhotos,
}

impl EventPage {
    fn when(&self) -> String {
        let start = self.event.local_start();
        let end = self.event.local_end();
        let day = self.page.date(start.date_naive());
        if start.date_naive() == end.date_naive() {
            format!("{day}, {}–{}", start.format("%H:%M"), end.format("%H:%M"))
        } else {
            format!(
                "{day} {} – {} {}",
                start.format("%H:%M"),
                self.page.date(end.date_naive()),
                end.format("%H:%M")
            )
        }
    }

    fn place(&self) -> String {
        let mut parts = Vec::new();
        if (!(self.event.kind == EventKind::Home || self.safety) || self.manage)
            && !self.event.venue_name.is_empty()
        {
            parts.push(self.event.venue_name.clone());
        }
        parts.push(self.event.city.clone());
        if let Some(region) = &self.event.region {
            parts.push(
                geo::region_name(region, self.page.lang)
                    .unwrap_or(region)
                    .to_string(),
            );
        }
        parts.push(self.page.country(&self.event.country));
        parts.join(", ")
    }

    fn spaces_left(&self) -> Option<i64> {
        self.counts.spaces_left(self.event.capacity)
    }
}

async fn show_event(
    state: &AppState,
    page: PageCtx,
    event: Event,
    access: Access,
    rsvp: RsvpFields,
    rsvp_errors: FieldErrors,
    flagged: bool,
) -> Result<Response> {
    let campaign = campaigns::by_id(&state.db, event.campaign_id, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let cases = campaigns::cases(&state.db, campaign.id, page.lang).await?;
    let counts = store::counts(&state.db, event.id).await?;
    let safety = store::moderation::safety_mode(&state.db, &event.country).await?;
    let description_html = to_safe_html(&event.description);
    let totals = store::event_totals(&state.db, event.id).await?;
    let event_written = totals.letters + totals.solidarity;
    let campaign_totals = state
        .tally()
        .snapshot(campaign.id, &campaign.slug)
        .await?
        .tally
        .totals
        .clone();
    let campaign_written = campaign_totals.letters + campaign_totals.solidarity;
    let status = if rsvp_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let private = access.manage || access.see_address;
    let photos = crate::photos::pages::EventPhotos::load(state, event.id, access.manage).await?;
    let rsvp_open = event.is_public_listing() && event.ends_at > state.db.clock.now();
    let mut response = render_status(
        status,
        &EventPage {
            page,
            event,
            campaign,
            cases,
            counts,
            description_html,
            manage: access.manage,
            see_address: access.see_address,
            safety,
            rsvp,
            rsvp_errors,
            rsvp_open,
            flagged,
            event_written,
            campaign_written,
            photos,
        },
    );
    if private {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
struct EventQuery {
    flagged: Option<String>,
}

async fn event_page(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<EventQuery>,
) -> Result<Response> {
    let (event, access) = visible_event(&state, id, viewer.as_ref()).await?;
    show_event(
        &state,
        page,
        event,
        access,
        RsvpFields::default(),
        FieldErrors::default(),
        q.flagged.is_some(),
    )
    .await
}

async fn rsvp(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<RsvpFields>,
) -> Result<Response> {
    let (event, access) = visible_event(&state, id, viewer.as_ref()).await?;
    if !event.is_public_listing() {
        return Err(Error::NotFound);
    }
    match fields.check() {
        Ok(input) => rsvps::rsvp_form(&state, page, ip, event, &input).await,
        Err(errors) => show_event(&state, page, event, access, fields, errors, false).await,
    }
}

pub const FLAGS_PER_IP: Limit = Limit {
    hits: 10,
    window_secs: 3600,
};

#[derive(Deserialize)]
struct FlagForm {
    #[serde(default)]
    reason: String,
}

async fn flag(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FlagForm>,
) -> Result<Response> {
    let (event, _) = visible_event(&state, id, viewer.as_ref()).await?;
    let mut errors = FieldErrors::default();
    let reason = forms::text(&mut errors, "reason", &form.reason, 3, 2000);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    rate_limit::hit(&state.db, &format!("flag-ip:{ip}"), FLAGS_PER_IP).await?;
    store::moderation::add_flag(&state.db, state.db.now_ms(), event.id, &reason).await?;
    Ok(Redirect::to(&format!("/events/{id}?flagged=1")).into_response())
}

async fn calendar(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (event, access) = visible_event(&state, id, viewer.as_ref()).await?;
    let safety = store::moderation::safety_mode(&state.db, &event.country).await?;
    let ics = feeds::ics(
        &[(&event, access.see_address, safety)],
        &state.settings.public_url,
    );
    Ok(feeds::ics_response(ics, &format!("event-{id}.ics")))
}
