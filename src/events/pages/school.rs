//! Schools: the hosts of a school or university event name their school (`/events/{id}/school`;
//! the name is theirs and staff's to see) and may list it on the campaign's public schools list
//! (`/campaigns/{campaign}/schools`), where each listed school shows its letters by region — a
//! class can find itself and the others near it. Only public, published events are listed, and
//! none in a country under safety mode.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::managed;
use crate::accounts::auth::SignedIn;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::events::store::schools::{self, School};
use crate::events::{Event, EventKind};
use crate::geo;
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/school", get(school_page).post(save))
        .route("/campaigns/{campaign}/schools", get(schools_page))
}

/// The longest school name, in characters.
const NAME_MAX: usize = 120;

fn is_school(event: &Event) -> bool {
    matches!(event.kind, EventKind::School | EventKind::University)
}

#[derive(Template)]
#[template(path = "events/school.html")]
struct SchoolPage {
    page: PageCtx,
    event: Event,
    school: School,
    errors: FieldErrors,
    saved: bool,
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

/// A school or university event that `me` manages (else 404, or 403 to whoever may know it).
async fn school_event(state: &AppState, me: &crate::accounts::Account, id: i64) -> Result<Event> {
    let event = managed(state, me, id).await?;
    if is_school(&event) {
        Ok(event)
    } else {
        Err(Error::NotFound)
    }
}

async fn school_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response> {
    let event = school_event(&state, &me, id).await?;
    let school = schools::of_event(&state.db, id).await?.unwrap_or_default();
    Ok(render(&SchoolPage {
        page,
        event,
        school,
        errors: FieldErrors::default(),
        saved: q.saved.is_some(),
    }))
}

#[derive(Deserialize)]
struct SchoolForm {
    #[serde(default)]
    name: String,
    listed: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<SchoolForm>,
) -> Result<Response> {
    let event = school_event(&state, &me, id).await?;
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    let listed = form.listed.is_some();
    let mut errors = FieldErrors::default();
    if name.chars().count() > NAME_MAX {
        errors.add("name", Msg::new("school-error-long").arg("max", NAME_MAX));
    }
    if listed && name.is_empty() {
        errors.add("name", Msg::new("school-error-listed-unnamed"));
    }
    let school = School { name, listed };
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SchoolPage {
                page,
                event,
                school,
                errors,
                saved: false,
            },
        ));
    }
    schools::save(&state.db, state.db.now_ms(), id, &school).await?;
    Ok(Redirect::to(&format!("/events/{id}/school?saved=1")).into_response())
}

/// A school on the public list: its name and what its events reported.
struct Listed {
    name: String,
    letters: i64,
    participants: i64,
}

/// The schools of one region (or of the country, when their events name no region).
struct RegionSchools {
    place: String,
    schools: Vec<Listed>,
}

#[derive(Template)]
#[template(path = "events/schools.html")]
struct SchoolsPage {
    page: PageCtx,
    campaign: Campaign,
    country: String,
    countries: Vec<(String, String)>,
    regions: Vec<RegionSchools>,
}

#[derive(Deserialize, Default)]
struct CountryQuery {
    #[serde(default)]
    country: String,
}

async fn schools_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<CountryQuery>,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, &slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let country = q.country.trim().to_ascii_uppercase();
    if !country.is_empty() && geo::country_name(&country, page.lang).is_none() {
        return Err(Error::NotFound);
    }
    let all = schools::listed(&state.db, campaign.id, None).await?;
    let mut countries: Vec<(String, String)> = Vec::new();
    for s in &all {
        if !countries.iter().any(|(c, _)| *c == s.country) {
            countries.push((s.country.clone(), page.country(&s.country)));
        }
    }
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    // One line per school of a region: a school with several events (classes) adds them up.
    let mut regions: Vec<(String, String, RegionSchools)> = Vec::new();
    for s in all
        .into_iter()
        .filter(|s| country.is_empty() || s.country == country)
    {
        let region = s.region.clone().unwrap_or_default();
        let at = match regions
            .iter()
            .position(|(c, r, _)| *c == s.country && *r == region)
        {
            Some(at) => at,
            None => {
                let name = s
                    .region
                    .as_deref()
                    .and_then(|r| geo::region_name(r, page.lang));
                let place = match name {
                    Some(n) => format!("{n}, {}", page.country(&s.country)),
                    None => page.country(&s.country),
                };
                let entry = RegionSchools {
                    place,
                    schools: Vec::new(),
                };
                regions.push((s.country.clone(), region.clone(), entry));
                regions.len() - 1
            }
        };
        let list = &mut regions[at].2.schools;
        let folded = geo::fold(&s.name);
        match list.iter_mut().find(|l| geo::fold(&l.name) == folded) {
            Some(l) => {
                l.letters += s.letters;
                l.participants += s.participants;
            }
            None => list.push(Listed {
                name: s.name,
                letters: s.letters,
                participants: s.participants,
            }),
        }
    }
    let mut regions: Vec<RegionSchools> = regions.into_iter().map(|(_, _, r)| r).collect();
    for r in &mut regions {
        r.schools
            .sort_by(|a, b| b.letters.cmp(&a.letters).then(a.name.cmp(&b.name)));
    }
    regions.sort_by(|a, b| a.place.cmp(&b.place));
    Ok(render(&SchoolsPage {
        page,
        campaign,
        country,
        countries,
        regions,
    }))
}
