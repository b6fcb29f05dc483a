//! `/staff/mail`: how many messages are queued, sent and failed; the failed ones with their last
//! error and recipient (staff only), and a resend button. Staff of one country see and resend
//! only their country's mail (`outbox.country`, set when it was queued); admins and staff of
//! every country see all of it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::accounts::auth::StaffUser;
use crate::accounts::{Account, Role};
use crate::state::AppState;

use super::store;
use crate::error::{Error, Result};
use crate::outbox::store::Status;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/mail", get(page))
        .route("/staff/mail/{id}/resend", post(resend))
}

struct Failed {
    id: i64,
    kind: String,
    recipient: String,
    attempts: i32,
    last_error: String,
}

#[derive(Template)]
#[template(path = "staff/mail.html")]
struct MailPage {
    page: PageCtx,
    queued: i64,
    sent: i64,
    failed: Vec<Failed>,
}

/// The one country whose mail `me` sees, if `me` sees only one.
fn scope(me: &Account) -> Option<&str> {
    if me.role == Role::Admin {
        return None;
    }
    me.staff_country.as_deref()
}

async fn page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    let mut queued = 0;
    let mut sent = 0;
    let country = scope(&me);
    for (status, n) in store::status_counts(&state.db, country).await? {
        match status {
            Status::Queued => queued = n,
            Status::Sent => sent = n,
            Status::Failed => {}
        }
    }
    let failed = store::failed(&state.db, country)
        .await?
        .into_iter()
        .map(|f| Failed {
            id: f.id,
            kind: f.kind,
            recipient: f.recipient,
            attempts: f.attempts,
            last_error: f.last_error.unwrap_or_default(),
        })
        .collect();
    let mut response = render(&MailPage {
        page,
        queued,
        sent,
        failed,
    });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct Empty {}

/// Puts a failed message back in the queue, as it was (same Message-ID).
async fn resend(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    // Another country's message is as unknown as a missing one.
    if !store::requeue(&state.db, id, state.db.now_ms(), scope(&me)).await? {
        return Err(Error::NotFound);
    }
    tracing::info!(outbox_id = id, staff_id = me.id, "mail queued again");
    Ok(Redirect::to("/staff/mail").into_response())
}
