//! "Your data": people download everything stored about them and delete their account, on a
//! page and through the API; and what nobody asked to keep is erased on a schedule
//! ([`retention`]). PRIVACY.md says what is stored, why and for how long.

pub mod retention;
pub mod store;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::accounts::auth::{ApiCaller, SignedIn};
use crate::accounts::{Account, session};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::api::ApiJson;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy", get(privacy_page))
        .route("/account/export", get(export_download))
        .route("/account/delete", get(delete_page).post(delete_form))
        .route("/api/v1/account/export", get(export_api))
        .route("/api/v1/account", axum::routing::delete(delete_api))
}

#[derive(Template)]
#[template(path = "privacy/privacy.html")]
struct PrivacyPage {
    page: PageCtx,
    html: &'static str,
}

/// PRIVACY.md itself, so the page and the document can never say different things.
async fn privacy_page(page: PageCtx) -> Response {
    static HTML: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        crate::web::markdown::to_safe_html(include_str!("../../PRIVACY.md"))
    });
    render(&PrivacyPage {
        page,
        html: HTML.as_str(),
    })
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn export_api(State(state): State<AppState>, ApiCaller(me): ApiCaller) -> Result<Response> {
    Ok(private(
        axum::Json(store::export(&state.db, &me).await?).into_response(),
    ))
}

async fn export_download(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<Response> {
    let mut response = export_api(State(state), ApiCaller(me)).await?;
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"writeathon-my-data.json\""),
    );
    Ok(response)
}

/// Erases the account: its future events are cancelled (attendees are told), its RSVPs (when
/// the address is proven theirs) deleted and waiting lists moved up, its sessions, tokens,
/// links and mail removed, its photos and those of the events it hosted deleted with every stored
/// size. Its reports stay in the tally, without the person.
pub async fn erase(state: &AppState, me: &Account) -> Result<()> {
    let now = state.db.now_ms();
    // The photos' files first: if the object store fails, nothing is erased yet (503).
    crate::photos::moderation::erase_objects_of_account(state, me.id).await?;
    let mut tx = state.db.begin_write().await?;
    crate::photos::store::delete_of_account(&mut tx, me.id).await?;
    for event_id in store::future_events(&mut tx, now, me.id).await? {
        crate::events::cancel_with_notice(&mut tx, now, &state.settings, event_id).await?;
    }
    // Only a confirmed address is proof that the RSVPs made with it are this person's.
    if me.email_confirmed {
        for (event_id, capacity) in store::delete_rsvps(&mut tx, &me.email).await? {
            let promoted =
                crate::events::rsvps::promote_waitlist(&mut tx, now, event_id, capacity).await?;
            crate::events::mail::promoted(&mut tx, now, &state.settings, event_id, &promoted)
                .await?;
        }
    }
    store::erase_account(&mut tx, now, me.id, &me.email, me.email_confirmed).await?;
    tx.commit().await?;
    state.tokens().revoked().await;
    tracing::info!(account_id = me.id, "account deleted at its owner's request");
    Ok(())
}

#[derive(Deserialize, Default)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// The owner typed their own address: a deletion is never one stray click.
fn confirmed(me: &Account, typed: &str) -> Option<FieldErrors> {
    if typed.trim().to_lowercase() == me.email {
        return None;
    }
    let mut errors = FieldErrors::default();
    errors.add("confirm", Msg::new("delete-confirm-mismatch"));
    Some(errors)
}

async fn delete_api(
    State(state): State<AppState>,
    ApiCaller(me): ApiCaller,
    ApiJson(body): ApiJson<DeleteBody>,
) -> Result<Response> {
    if let Some(errors) = confirmed(&me, &body.confirm) {
        return Err(Error::Invalid(errors));
    }
    erase(&state, &me).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
struct DeleteBody {
    confirm: String,
}

#[derive(Template)]
#[template(path = "privacy/delete.html")]
struct DeletePage {
    page: PageCtx,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "privacy/deleted.html")]
struct DeletedPage {
    page: PageCtx,
}

async fn delete_page(page: PageCtx, SignedIn(_): SignedIn) -> Response {
    private(render(&DeletePage {
        page,
        errors: FieldErrors::default(),
    }))
}

async fn delete_form(
    State(state): State<AppState>,
    page: PageCtx,
    SignedIn(me): SignedIn,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<Response> {
    if let Some(errors) = confirmed(&me, &form.confirm) {
        return Ok(private(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &DeletePage { page, errors },
        )));
    }
    erase(&state, &me).await?;
    let mut page = page;
    page.user = None;
    let mut response = private(render(&DeletedPage { page }));
    response.headers_mut().append(
        header::SET_COOKIE,
        session::clear_cookie(state.settings.secure_cookies),
    );
    Ok(response)
}
