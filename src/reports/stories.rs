//! Stories: a report's highlights, told by its host. They are the host's words and stay private
//! (the report is for its host and staff) until staff of the event's country feature one
//! (`POST /api/v1/reports/{id}/feature`, or the button on the stories page); the campaign's
//! stories page (`/campaigns/{campaign}/stories`) shows the featured ones, each with its city,
//! kind of event and public photos, and to staff the stories of their countries they could
//! feature next. Only reports still counted, of public events, can be featured.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::access::report_access;
use super::store::stories::{self, StoryRow};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, CurrentUser, StaffUser};
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::events::{EventStatus, Visibility};
use crate::i18n::{FieldErrors, Msg};
use crate::photos::pages::Card;
use crate::photos::store as photos;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render};

/// Featured stories on the page, and stories offered to staff below them.
const SHOWN: i64 = 60;
/// Photos shown with each story.
const PHOTOS_PER_STORY: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/reports/{id}/feature",
            post(api_feature).delete(api_unfeature),
        )
        .route("/campaigns/{campaign}/stories", get(stories_page))
        .route("/staff/stories/{id}/feature", post(feature_form))
        .route("/staff/stories/{id}/unfeature", post(unfeature_form))
}

/// Features (or un-features) a report's story as `me`: staff of the event's country only.
/// Someone else's report is not found, as everywhere in report-back.
async fn decide(state: &AppState, me: &Account, id: i64, featured: bool) -> Result<String> {
    let (report, access) = report_access(state, me, id).await?;
    if !access.staff {
        return Err(Error::Forbidden);
    }
    if featured {
        let mut errors = FieldErrors::default();
        if report.voided {
            errors.add("report", Msg::new("story-error-voided"));
        } else if report.input.highlights.trim().is_empty() {
            errors.add("report", Msg::new("story-error-empty"));
        } else if access.event.visibility != Visibility::Public
            || access.event.status == EventStatus::Unpublished
        {
            // The page would never show it: the same rule as a photo's.
            errors.add("report", Msg::new("story-error-private"));
        }
        errors.into_result().map_err(Error::Invalid)?;
    }
    stories::set_featured(&state.db, &report, &access.event, me.id, featured).await?;
    Ok(access.campaign.slug.clone())
}

async fn api_feature(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    decide(&state, &me, id, true).await?;
    Ok(Json(json!({ "id": id, "featured": true })).into_response())
}

async fn api_unfeature(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    decide(&state, &me, id, false).await?;
    Ok(Json(json!({ "id": id, "featured": false })).into_response())
}

fn back_to_stories(slug: &str) -> Response {
    Redirect::to(&format!("/campaigns/{slug}/stories")).into_response()
}

async fn feature_form(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response> {
    let slug = decide(&state, &me, id, true).await?;
    Ok(back_to_stories(&slug))
}

async fn unfeature_form(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response> {
    let slug = decide(&state, &me, id, false).await?;
    Ok(back_to_stories(&slug))
}

/// A story as the page shows it: its words, its place and its event's public photos.
pub struct Story {
    pub row: StoryRow,
    pub photos: Vec<Card>,
}

impl Story {
    async fn load(state: &AppState, row: StoryRow) -> Result<Story> {
        let photos = photos::public_of_event(&state.db, row.event_id)
            .await?
            .into_iter()
            .take(PHOTOS_PER_STORY)
            .map(Card::new)
            .collect();
        Ok(Story { row, photos })
    }
}

#[derive(Template)]
#[template(path = "reports/stories.html")]
struct StoriesPage {
    page: PageCtx,
    campaign: Campaign,
    featured: Vec<Story>,
    /// For staff: stories of their countries not featured yet (the hosts' words, never public).
    candidates: Vec<Story>,
    staff: bool,
}

async fn stories_page(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = campaigns::by_slug(&state.db, &slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let mut featured = Vec::new();
    for row in stories::featured(&state.db, campaign.id, SHOWN).await? {
        featured.push(Story::load(&state, row).await?);
    }
    let staff = viewer.as_ref().filter(|a| a.is_staff());
    let mut candidates = Vec::new();
    if let Some(me) = staff {
        let country = me.staff_country.as_deref();
        for row in stories::candidates(&state.db, campaign.id, country, SHOWN).await? {
            if me.is_staff_for(&row.country) {
                candidates.push(Story::load(&state, row).await?);
            }
        }
    }
    let staff = staff.is_some();
    let mut response = render(&StoriesPage {
        page,
        campaign,
        featured,
        candidates,
        staff,
    });
    if staff {
        // The stories not featured are the hosts' words for staff only: no shared cache keeps them.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}
