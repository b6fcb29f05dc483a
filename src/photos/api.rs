//! The photos API (API-v1.md, "Photos and stories"): upload one photo to an event, read a
//! campaign's public photos, delete one's own photo. Moderation is in `moderation`.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{self, GalleryFilter, PhotoRow};
use super::upload;
use crate::accounts::auth::ApiCaller;
use crate::campaigns::store as campaigns;
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/events/{id}/photos",
            // The body is streamed and capped per file by `upload::receive`.
            post(upload_one).layer(DefaultBodyLimit::disable()),
        )
        .route("/api/v1/campaigns/{campaign}/photos", get(gallery))
        .route("/api/v1/photos/{id}", delete(remove))
}

/// The URLs of a photo's files: `/photos/{id}/{hash}.{ext}`, content-hashed, served for ever.
pub fn file_url(photo_id: i64, key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or_default();
    format!("/photos/{photo_id}/{name}")
}

/// A public photo as the API shows it.
pub fn public_json(photo: &PhotoRow) -> Value {
    json!({
        "id": photo.id,
        "caption": photo.caption,
        "alt": photo.alt,
        "city": photo.city,
        "country": photo.country,
        "event_id": photo.event_id,
        "width": photo.width,
        "height": photo.height,
        "urls": {
            "thumb": file_url(photo.id, &photo.thumb_jpeg),
            "large": file_url(photo.id, &photo.large_jpeg),
            "thumb_webp": file_url(photo.id, &photo.thumb_webp),
            "large_webp": file_url(photo.id, &photo.large_webp),
        },
    })
}

async fn upload_one(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let event = store::event_facts(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if !super::can_manage(&event, &me) {
        return Err(
            if event.visibility == "public" && event.status != "unpublished" {
                Error::Forbidden
            } else {
                Error::NotFound
            },
        );
    }
    let multipart = multipart.map_err(|_| Error::BadRequest(Msg::new("photo-error-multipart")))?;
    let received = upload::receive(multipart, state.photos().settings.max_bytes, None).await?;
    if received.files.len() > 1 {
        let mut errors = FieldErrors::default();
        errors.add("file", Msg::new("photo-error-one-file"));
        return Err(Error::Invalid(errors));
    }
    let ids = upload::take_in(&state, &event, &me, &received).await?;
    let id = ids
        .first()
        .copied()
        .ok_or(Error::BadRequest(Msg::new("photo-error-no-file")))?;
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, format!("/photos/{id}"))],
        Json(json!({ "id": id, "status": "pending" })),
    )
        .into_response())
}

#[derive(Deserialize)]
struct GalleryQuery {
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    kind: String,
    cursor: Option<i64>,
}

/// Photos per page of the gallery, in the API and on the page.
pub const PAGE: i64 = 24;

async fn gallery(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    query: std::result::Result<Query<GalleryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response> {
    let Query(query) = query.map_err(|_| Error::BadRequest(Msg::new("error-form-malformed")))?;
    let campaign = campaigns::by_slug(&state.db, &slug, Lang::FALLBACK)
        .await?
        .ok_or(Error::NotFound)?;
    let filter = GalleryFilter {
        country: query.country.trim().to_ascii_uppercase(),
        region: query.region.trim().to_ascii_uppercase(),
        kind: query.kind.trim().to_string(),
        before: query.cursor,
    };
    let photos = store::gallery(&state.db, campaign.id, &filter, PAGE + 1).await?;
    let next = (photos.len() as i64 > PAGE).then(|| photos[PAGE as usize - 1].id);
    let list: Vec<Value> = photos
        .iter()
        .take(PAGE as usize)
        .filter(|p| p.is_public())
        .map(public_json)
        .collect();
    Ok(Json(json!({ "photos": list, "next_cursor": next })).into_response())
}

/// Deletes a photo and every stored size: its uploader, the event's host, or staff of its country.
async fn remove(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    super::moderation::erase(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
