//! The photo pages: an event's photos with the upload form for its host and staff
//! (`/events/{id}/photos`, several files at once, no JavaScript needed), a campaign's gallery
//! (`/campaigns/{campaign}/photos`, filtered by country, region and kind of event), one photo's
//! page with its Open Graph and Twitter card tags, and the files themselves: content-hashed names
//! served with immutable cache headers when public, to the host and staff only otherwise.

use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Extension, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::api::{PAGE, file_url};
use super::store::{self, EventFacts, GalleryFilter, PhotoRow};
use super::upload;
use crate::accounts::Account;
use crate::accounts::auth::{CurrentUser, SignedIn};
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::{self, CsrfToken};
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/events/{id}/photos",
            get(event_photos_page)
                .post(upload_form)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/campaigns/{campaign}/photos", get(gallery_page))
        .route("/photos/{id}", get(photo_page))
        .route("/photos/{id}/{name}", get(photo_file))
}

/// A photo as pages show it: its files' URLs for `srcset`, its text and place.
pub struct Card {
    pub row: PhotoRow,
}

impl Card {
    pub fn new(row: PhotoRow) -> Card {
        Card { row }
    }

    pub fn thumb_jpeg(&self) -> String {
        file_url(self.row.id, &self.row.thumb_jpeg)
    }

    pub fn large_jpeg(&self) -> String {
        file_url(self.row.id, &self.row.large_jpeg)
    }

    /// `srcset` of the JPEG files, by width.
    pub fn jpeg_srcset(&self) -> String {
        format!(
            "{} {}w, {} {}w",
            self.thumb_jpeg(),
            self.row.thumb_width,
            self.large_jpeg(),
            self.row.width
        )
    }

    pub fn webp_srcset(&self) -> String {
        format!(
            "{} {}w, {} {}w",
            file_url(self.row.id, &self.row.thumb_webp),
            self.row.thumb_width,
            file_url(self.row.id, &self.row.large_webp),
            self.row.width
        )
    }
}

/// What the event page shows of its photos: the public ones, and for its host and staff a link
/// to add more and see the others.
pub struct EventPhotos {
    pub cards: Vec<Card>,
    pub manage: bool,
    /// The site's address, for the Open Graph image of a share.
    pub base: String,
}

impl EventPhotos {
    pub async fn load(state: &AppState, event_id: i64, manage: bool) -> Result<EventPhotos> {
        let rows = store::public_of_event(&state.db, event_id).await?;
        Ok(EventPhotos {
            cards: rows.into_iter().take(12).map(Card::new).collect(),
            manage,
            base: state.settings.public_url.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "photos/event.html")]
struct EventPhotosPage {
    page: PageCtx,
    event: EventFacts,
    photos: Vec<Card>,
    caption: String,
    minors: bool,
    errors: FieldErrors,
    added: Option<i64>,
    max_mb: i64,
}

impl EventPhotosPage {
    fn upload_action(&self) -> String {
        format!("/events/{}/photos", self.event.id)
    }
}

/// The event, if `me` may add photos to it: 404 to whoever may not know it exists.
async fn managed_event(state: &AppState, me: &Account, id: i64) -> Result<EventFacts> {
    let event = store::event_facts(&state.db, id)
        .await?
        .ok_or(Error::NotFound)?;
    if super::can_manage(&event, me) {
        Ok(event)
    } else if event.visibility == "public" && event.status != "unpublished" {
        Err(Error::Forbidden)
    } else {
        Err(Error::NotFound)
    }
}

#[derive(Deserialize)]
struct AddedQuery {
    added: Option<i64>,
}

async fn event_photos_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(query): Query<AddedQuery>,
) -> Result<Response> {
    let event = managed_event(&state, &me, id).await?;
    show_event_photos(
        &state,
        page,
        event,
        String::new(),
        false,
        FieldErrors::default(),
        query.added,
    )
    .await
}

async fn show_event_photos(
    state: &AppState,
    page: PageCtx,
    event: EventFacts,
    caption: String,
    minors: bool,
    errors: FieldErrors,
    added: Option<i64>,
) -> Result<Response> {
    let photos = store::of_event(&state.db, event.id)
        .await?
        .into_iter()
        .map(Card::new)
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render_status(
        status,
        &EventPhotosPage {
            page,
            event,
            photos,
            caption,
            minors,
            errors,
            added,
            max_mb: (state.photos().settings.max_bytes / (1024 * 1024)) as i64,
        },
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// Which page the upload form was on: the event's photos page, or its reports page (`reports`),
/// where a host lands after reporting.
#[derive(Deserialize, Default)]
struct UploadFrom {
    from: Option<String>,
}

/// The upload form's post: the token first, then the files, caption and flags.
// One extractor per thing the request carries; grouping them would only hide that.
#[allow(clippy::too_many_arguments)]
async fn upload_form(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
    Query(from): Query<UploadFrom>,
    headers: HeaderMap,
    token: Option<Extension<CsrfToken>>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    let event = managed_event(&state, &me, id).await?;
    let multipart = multipart.map_err(|_| Error::BadRequest(Msg::new("photo-error-multipart")))?;
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site");
    let token = token.map(|Extension(t)| t);
    let check = move |name: &str, value: &str| -> Result<()> {
        if name == "csrf" && csrf::matches(token.as_ref(), cross_site, value) {
            Ok(())
        } else {
            Err(Error::CsrfRejected)
        }
    };
    let received =
        upload::receive(multipart, state.photos().settings.max_bytes, Some(&check)).await?;
    match upload::take_in(&state, &event, &me, &received).await {
        Ok(ids) => {
            let back = match from.from.as_deref() {
                Some("reports") => "reports",
                _ => "photos",
            };
            Ok(Redirect::to(&format!("/events/{id}/{back}?added={}", ids.len())).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let minors = matches!(
                received.minors.as_deref(),
                Some("on" | "true" | "1" | "yes")
            );
            show_event_photos(
                &state,
                page,
                event,
                received.caption.clone(),
                minors,
                errors,
                None,
            )
            .await
        }
        Err(err) => Err(err),
    }
}

#[derive(Deserialize, Default)]
struct GalleryQuery {
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    kind: String,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "photos/gallery.html")]
struct GalleryPage {
    page: PageCtx,
    campaign: Campaign,
    photos: Vec<Card>,
    countries: Vec<String>,
    kinds: Vec<String>,
    country: String,
    region: String,
    kind: String,
    next: Option<String>,
}

impl GalleryPage {
    /// The first screen's images load at once; the rest when scrolled to.
    fn eager(&self, index: &usize) -> bool {
        *index < 4
    }
}

async fn gallery_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(slug): Path<String>,
    query: std::result::Result<Query<GalleryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response> {
    let Query(query) = query.map_err(|_| Error::BadRequest(Msg::new("error-form-malformed")))?;
    let campaign = campaigns::by_slug(&state.db, &slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let filter = GalleryFilter {
        country: query.country.trim().to_ascii_uppercase(),
        region: query.region.trim().to_ascii_uppercase(),
        kind: query.kind.trim().to_string(),
        before: query.before,
    };
    let rows = store::gallery(&state.db, campaign.id, &filter, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        let query = serde_urlencoded::to_string([
            ("country", filter.country.as_str()),
            ("region", filter.region.as_str()),
            ("kind", filter.kind.as_str()),
            ("before", &rows[PAGE as usize - 1].id.to_string()),
        ])
        .unwrap_or_default();
        format!("/campaigns/{slug}/photos?{query}")
    });
    let photos = rows
        .into_iter()
        .take(PAGE as usize)
        .filter(PhotoRow::is_public)
        .map(Card::new)
        .collect();
    let (countries, kinds) = store::gallery_facets(&state.db, campaign.id).await?;
    Ok(render(&GalleryPage {
        page,
        campaign,
        photos,
        countries,
        kinds,
        country: filter.country,
        region: filter.region,
        kind: filter.kind,
        next,
    }))
}

#[derive(Template)]
#[template(path = "photos/photo.html")]
struct PhotoPage {
    page: PageCtx,
    photo: Card,
    /// Open Graph and Twitter card tags go only on public photos.
    public: bool,
    staff: bool,
    og_image: String,
    og_url: String,
}

/// Whether this viewer may see a photo that is not public: the event's host, the uploader, staff
/// of its country.
fn may_see(photo: &PhotoRow, viewer: Option<&Account>) -> bool {
    photo.is_public()
        || viewer.is_some_and(|a| {
            a.id == photo.uploader_id || a.id == photo.host_id || a.is_staff_for(&photo.country)
        })
}

async fn photo_page(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let photo = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if !may_see(&photo, viewer.as_ref()) {
        return Err(Error::NotFound);
    }
    let public = photo.is_public();
    let staff = viewer
        .as_ref()
        .is_some_and(|a| a.is_staff_for(&photo.country));
    let photo = Card::new(photo);
    let base = &state.settings.public_url;
    let mut response = render(&PhotoPage {
        og_image: format!("{base}{}", photo.large_jpeg()),
        og_url: format!("{base}/photos/{id}"),
        page,
        photo,
        public,
        staff,
    });
    if !public {
        // Shown to its host and staff only: no shared cache may keep it.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    Ok(response)
}

/// One stored file. Its name is the hash of its bytes, so a public one is cached for ever; one
/// not public is for the host and staff only and never kept by a shared cache.
async fn photo_file(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path((id, name)): Path<(i64, String)>,
) -> Result<Response> {
    let photo = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if !may_see(&photo, viewer.as_ref()) {
        return Err(Error::NotFound);
    }
    let key = photo
        .keys()
        .into_iter()
        .find(|k| k.rsplit('/').next() == Some(name.as_str()))
        .ok_or(Error::NotFound)?;
    let bytes = state.photos().store.get(&key).await.map_err(|err| {
        tracing::error!(error = %err, "a photo could not be read from the object store");
        Error::Unavailable(Msg::new("photo-error-store"))
    })?;
    let bytes = bytes.ok_or(Error::NotFound)?;
    let content_type = if key.ends_with(".webp") {
        "image/webp"
    } else {
        "image/jpeg"
    };
    let cache = if photo.is_public() {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}
