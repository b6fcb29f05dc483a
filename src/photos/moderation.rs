//! Staff decide what the public sees: the queue of photos waiting (with thumbnails), approve,
//! reject with a reason the host reads, approve many at once, take an approved photo down later,
//! and write a better alt text. Only staff of the event's country (or of every country); every
//! decision goes to the audit trail in the same transaction. Erasing a photo (its uploader, the
//! event's host or staff) deletes every stored size.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::Status;
use super::store::{self, PhotoRow};
use crate::accounts::Account;
use crate::accounts::auth::{ApiCaller, StaffUser};
use crate::audit::{self, Entry, Subject};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::api::ApiJson;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::page::{PageCtx, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/photos/{id}/approve", post(api_approve))
        .route("/api/v1/photos/{id}/reject", post(api_reject))
        .route("/api/v1/photos/{id}/take-down", post(api_take_down))
        .route("/staff/photos", get(queue_page))
        .route("/staff/photos/approve", post(bulk_approve))
        .route("/staff/photos/{id}/approve", post(approve_one))
        .route("/staff/photos/{id}/reject", post(reject_one))
        .route("/staff/photos/{id}/take-down", post(take_down_one))
        .route("/staff/photos/{id}/alt", post(set_alt))
}

/// What staff may do to a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    TakeDown,
}

impl Decision {
    fn action(self) -> &'static str {
        match self {
            Decision::Approve => "photo.approve",
            Decision::Reject => "photo.reject",
            Decision::TakeDown => "photo.take_down",
        }
    }

    fn status(self) -> Status {
        match self {
            Decision::Approve => Status::Approved,
            Decision::Reject => Status::Rejected,
            Decision::TakeDown => Status::Removed,
        }
    }

    /// Whether the decision applies to a photo in this state: approve what waits (or was
    /// rejected or taken down by mistake), reject what waits, take down what was approved.
    fn applies_to(self, status: Status) -> bool {
        match self {
            Decision::Approve => status != Status::Approved,
            Decision::Reject => status == Status::Pending,
            Decision::TakeDown => status == Status::Approved,
        }
    }
}

/// The photo, if `me` is staff of its event's country: 404 for anyone else who may not know of
/// it, 403 for staff of another country.
async fn staff_photo(state: &AppState, me: &Account, id: i64) -> Result<PhotoRow> {
    let photo = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if me.is_staff_for(&photo.country) {
        Ok(photo)
    } else if me.is_staff() {
        Err(Error::Forbidden)
    } else {
        Err(Error::NotFound)
    }
}

/// Records a decision with its audit entry. A reason is required to reject or take down.
pub async fn decide(
    state: &AppState,
    me: &Account,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<()> {
    let photo = staff_photo(state, me, id).await?;
    let mut errors = FieldErrors::default();
    let reason = match decision {
        Decision::Approve => None,
        _ => Some(forms::line(&mut errors, "reason", reason, 3, 300)),
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !decision.applies_to(photo.status) {
        return Err(Error::Conflict(Msg::new("photo-error-state")));
    }
    let mut tx = state.db.begin_write().await?;
    let now = state.db.now_ms();
    store::decide(
        &mut tx,
        id,
        decision.status(),
        reason.as_deref(),
        Some(me.id),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        now,
        &Entry::new(Some(me.id), decision.action(), Subject::new("photo", id))
            .campaign(photo.campaign_id)
            .country(&photo.country)
            .before(json!({ "status": photo.status.as_str() }))
            .after(json!({ "status": decision.status().as_str(), "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a photo and every stored size. Its uploader, the event's host and staff of the
/// country may; staff leave an audit entry. The objects go first: if the store fails, nothing
/// changed in the database and the same request can be made again.
pub async fn erase(state: &AppState, me: &Account, id: i64) -> Result<()> {
    let photo = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    let own = photo.uploader_id == me.id || photo.host_id == me.id;
    let staff = me.is_staff_for(&photo.country);
    if !own && !staff {
        return Err(if photo.is_public() {
            Error::Forbidden
        } else {
            Error::NotFound
        });
    }
    delete_objects(state, &photo).await?;
    let mut tx = state.db.begin_write().await?;
    store::delete(&mut tx, id).await?;
    if staff && !own {
        audit::record(
            &mut tx,
            state.db.now_ms(),
            &Entry::new(Some(me.id), "photo.delete", Subject::new("photo", id))
                .campaign(photo.campaign_id)
                .country(&photo.country)
                .before(json!({ "status": photo.status.as_str() })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Erasing an account: the photos it uploaded and those of the events it hosted lose every stored
/// size now; their rows go in the caller's transaction ([`store::delete_of_account`]). If the
/// store fails, nothing is erased and the owner can ask again.
pub async fn erase_objects_of_account(state: &AppState, account_id: i64) -> Result<()> {
    let photos = store::of_account(&state.db, account_id).await?;
    let ids: std::collections::HashSet<i64> = photos.iter().map(|p| p.id).collect();
    let mut keys = std::collections::BTreeSet::new();
    for photo in &photos {
        keys.extend(photo.keys());
    }
    let mut gone = Vec::new();
    for key in keys {
        // Kept when a photo that stays (someone else's) has the same bytes.
        let users: Vec<i64> = store::key_users(&state.db, &key).await?;
        if users.iter().all(|id| ids.contains(id)) {
            gone.push(key);
        }
    }
    state.photos().store.delete(&gone).await.map_err(|err| {
        tracing::error!(error = %err, "an account's photos could not be deleted");
        Error::Unavailable(Msg::new("photo-error-store"))
    })
}

/// Deletes a photo's objects that no other photo uses (the same bytes uploaded twice share them).
pub async fn delete_objects(state: &AppState, photo: &PhotoRow) -> Result<()> {
    let mut keys = Vec::new();
    for key in photo.keys() {
        if !store::key_in_use(&state.db, &key, photo.id).await? {
            keys.push(key);
        }
    }
    state.photos().store.delete(&keys).await.map_err(|err| {
        tracing::error!(error = %err, "a photo's objects could not be deleted");
        Error::Unavailable(Msg::new("photo-error-store"))
    })
}

#[derive(Deserialize, Default)]
struct ReasonBody {
    #[serde(default)]
    reason: String,
}

async fn api_approve(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response> {
    decide(&state, &me, id, Decision::Approve, "").await?;
    Ok(Json(json!({ "id": id, "status": "approved" })).into_response())
}

async fn api_reject(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<Response> {
    decide(&state, &me, id, Decision::Reject, &body.reason).await?;
    Ok(Json(json!({ "id": id, "status": "rejected" })).into_response())
}

async fn api_take_down(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<Response> {
    decide(&state, &me, id, Decision::TakeDown, &body.reason).await?;
    Ok(Json(json!({ "id": id, "status": "removed" })).into_response())
}

#[derive(Template)]
#[template(path = "photos/queue.html")]
struct QueuePage {
    page: PageCtx,
    pending: Vec<PhotoRow>,
    approved: Vec<PhotoRow>,
    errors: FieldErrors,
}

impl QueuePage {
    fn url(&self, photo: &PhotoRow, key: &str) -> String {
        super::api::file_url(photo.id, key)
    }
}

fn scope(me: &Account) -> Option<&str> {
    match me.role {
        crate::accounts::Role::Staff => me.staff_country.as_deref(),
        _ => None,
    }
}

async fn show_queue(
    state: &AppState,
    me: &Account,
    page: PageCtx,
    errors: FieldErrors,
) -> Result<Response> {
    let pending = store::queue(&state.db, scope(me)).await?;
    let approved = store::approved(&state.db, scope(me)).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &QueuePage {
            page,
            pending,
            approved,
            errors,
        },
    ))
}

async fn queue_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    show_queue(&state, &me, page, FieldErrors::default()).await
}

/// Runs a decision from a form: back to the queue, or the queue again with the reason's message.
async fn from_form(
    state: &AppState,
    me: &Account,
    page: PageCtx,
    id: i64,
    decision: Decision,
    reason: &str,
) -> Result<Response> {
    match decide(state, me, id, decision, reason).await {
        Ok(()) => Ok(Redirect::to("/staff/photos").into_response()),
        Err(Error::Invalid(errors)) => show_queue(state, me, page, errors).await,
        Err(err) => Err(err),
    }
}

async fn approve_one(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<ReasonBody>,
) -> Result<Response> {
    from_form(&state, &me, page, id, Decision::Approve, "").await
}

async fn reject_one(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonBody>,
) -> Result<Response> {
    from_form(&state, &me, page, id, Decision::Reject, &form.reason).await
}

async fn take_down_one(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ReasonBody>,
) -> Result<Response> {
    from_form(&state, &me, page, id, Decision::TakeDown, &form.reason).await
}

/// Approves every ticked photo (`photo=<id>`, repeated). A tick on a photo outside the staff
/// member's countries refuses the whole form (their queue never shows one); a photo decided
/// meanwhile (by a colleague) is skipped.
async fn bulk_approve(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response> {
    let mut ids = Vec::new();
    for (name, value) in fields {
        if name == "photo" {
            let id = value
                .parse::<i64>()
                .map_err(|_| Error::BadRequest(Msg::new("error-form-malformed")))?;
            staff_photo(&state, &me, id).await?;
            ids.push(id);
        }
    }
    for id in ids {
        match decide(&state, &me, id, Decision::Approve, "").await {
            Ok(()) | Err(Error::Conflict(_) | Error::NotFound) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(Redirect::to("/staff/photos").into_response())
}

#[derive(Deserialize)]
struct AltForm {
    #[serde(default)]
    alt: String,
}

/// Staff write the text read out instead of the picture.
async fn set_alt(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<AltForm>,
) -> Result<Response> {
    let photo = staff_photo(&state, &me, id).await?;
    let mut errors = FieldErrors::default();
    let alt = forms::line(&mut errors, "alt", &form.alt, 3, super::upload::CAPTION_MAX);
    if alt.contains(['<', '>']) {
        errors.add("alt", Msg::new("photo-error-markup"));
    }
    if !errors.is_empty() {
        return show_queue(&state, &me, page, errors).await;
    }
    let mut tx = state.db.begin_write().await?;
    let now = state.db.now_ms();
    store::set_alt(&mut tx, id, &alt).await?;
    audit::record(
        &mut tx,
        now,
        &Entry::new(Some(me.id), "photo.alt", Subject::new("photo", id))
            .campaign(photo.campaign_id)
            .country(&photo.country)
            .before(json!({ "alt": photo.alt }))
            .after(json!({ "alt": alt })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/photos/{id}")).into_response())
}
