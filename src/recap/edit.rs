//! Staff who manage campaigns set the recap up (`/staff/campaigns/{campaign}/recap`): an
//! introduction per language, the country whose regions are mapped, the photos shown; then they
//! publish it, or take it back to a draft. Every change is in the audit trail.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::map;
use super::store::{self, RecapRow};
use super::view::PHOTOS;
use crate::accounts::auth::StaffUser;
use crate::audit::{self, Entry, Subject};
use crate::campaigns::Campaign;
use crate::campaigns::staff::{
    LanguageQuery, campaign_for_staff, editing_language, require_campaign_manager,
};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::photos::pages::Card;
use crate::photos::store::{self as photos, GalleryFilter};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/campaigns/{campaign}/recap",
            get(edit_page).post(save),
        )
        .route("/staff/campaigns/{campaign}/recap/publish", post(publish))
}

/// Photos offered to choose from: the campaign's newest public ones.
const CANDIDATES: i64 = 48;
/// The introduction's longest length, in characters.
const INTRODUCTION_MAX: usize = 5000;

#[derive(Template)]
#[template(path = "recap/edit.html")]
struct EditPage {
    page: PageCtx,
    campaign: Campaign,
    row: RecapRow,
    editing: Lang,
    introduction: String,
    chosen: Vec<i64>,
    candidates: Vec<Card>,
    countries: Vec<(String, String)>,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    page: PageCtx,
    campaign: Campaign,
    row: RecapRow,
    editing: Lang,
    introduction: String,
    errors: FieldErrors,
) -> Result<EditPage> {
    let candidates = photos::gallery(
        &state.db,
        campaign.id,
        &GalleryFilter::default(),
        CANDIDATES,
    )
    .await?
    .into_iter()
    .map(Card::new)
    .collect();
    let countries = map::region_countries()
        .into_iter()
        .map(|c| (c.to_string(), page.country(c)))
        .collect();
    Ok(EditPage {
        chosen: row.photo_ids(),
        page,
        campaign,
        row,
        editing,
        introduction,
        candidates,
        countries,
        errors,
    })
}

async fn edit_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<LanguageQuery>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(q.language.as_deref(), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let row = store::get(&state.db, campaign.id)
        .await?
        .unwrap_or_default();
    let introduction = store::introduction_in(&state.db, campaign.id, editing).await?;
    let form = form_page(
        &state,
        page,
        campaign,
        row,
        editing,
        introduction,
        FieldErrors::default(),
    )
    .await?;
    Ok(render(&form))
}

/// The form as posted: repeated `photo` fields keep their order.
fn fields(form: &[(String, String)]) -> (String, String, String, Vec<String>) {
    let one = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let photos = form
        .iter()
        .filter(|(k, _)| k == "photo")
        .map(|(_, v)| v.clone())
        .collect();
    (
        one("language"),
        one("introduction"),
        one("map_country"),
        photos,
    )
}

async fn save(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let (language, introduction, map_country, photo_fields) = fields(&form);
    let editing = editing_language(Some(&language), &page);
    let introduction = introduction.replace("\r\n", "\n").trim().to_string();
    let map_country = map_country.trim().to_ascii_uppercase();
    let mut errors = FieldErrors::default();
    if introduction.chars().count() > INTRODUCTION_MAX {
        errors.add("introduction", Msg::new("staff-error-too-long"));
    }
    if !map_country.is_empty() && !map::region_countries().contains(&map_country.as_str()) {
        errors.add("map_country", Msg::new("recap-error-map-country"));
    }
    let mut photo_ids = Vec::new();
    for field in &photo_fields {
        match field.parse::<i64>() {
            Ok(id) if !photo_ids.contains(&id) => photo_ids.push(id),
            Ok(_) => {}
            Err(_) => errors.add("photos", Msg::new("recap-error-photos")),
        }
    }
    if photo_ids.len() > PHOTOS {
        errors.add(
            "photos",
            Msg::new("recap-error-photos-many").arg("max", PHOTOS),
        );
    }
    for id in &photo_ids {
        let ok = photos::get(&state.db, *id)
            .await?
            .is_some_and(|p| p.is_public() && p.campaign_id == campaign.id);
        if !ok {
            errors.add("photos", Msg::new("recap-error-photos"));
            break;
        }
    }
    let before = store::get(&state.db, campaign.id).await?;
    let mut row = before.clone().unwrap_or_default();
    row.map_country = map_country;
    row.photo_ids = serde_json::to_string(&photo_ids).map_err(anyhow::Error::from)?;
    if !errors.is_empty() {
        let form = form_page(&state, page, campaign, row, editing, introduction, errors).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &form));
    }
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    store::save(&mut tx, now, campaign.id, &row, editing, &introduction).await?;
    let entry = Entry::new(
        Some(me.id),
        "recap.update",
        Subject::new("campaign", campaign.id),
    )
    .campaign(campaign.id)
    .after(json!({"map_country": row.map_country, "photos": photo_ids,
            "language": editing.code(), "introduction": introduction}));
    let entry = match &before {
        Some(b) => entry.before(json!({"map_country": b.map_country, "photos": b.photo_ids()})),
        None => entry,
    };
    audit::record(&mut tx, now, &entry).await?;
    tx.commit().await?;
    state.recap_pages().forget(campaign.id);
    Ok(Redirect::to(&format!(
        "/staff/campaigns/{}/recap?language={}",
        campaign.slug,
        editing.code()
    ))
    .into_response())
}

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    publish: String,
}

async fn publish(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let publish = match form.publish.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(Error::BadRequest(Msg::new("error-form-malformed")));
        }
    };
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    let before = store::get_in(&mut tx, campaign.id).await?;
    let was = before.as_ref().and_then(|r| r.published_at);
    if was.is_some() != publish {
        let at = publish.then_some(now);
        store::set_published(&mut tx, now, campaign.id, at).await?;
        let action = if publish {
            "recap.publish"
        } else {
            "recap.unpublish"
        };
        let entry = Entry::new(Some(me.id), action, Subject::new("campaign", campaign.id))
            .campaign(campaign.id)
            .before(json!({"published_at": was}))
            .after(json!({"published_at": at}));
        audit::record(&mut tx, now, &entry).await?;
    }
    tx.commit().await?;
    state.recap_pages().forget(campaign.id);
    Ok(Redirect::to(&format!("/campaigns/{}/recap", campaign.slug)).into_response())
}
