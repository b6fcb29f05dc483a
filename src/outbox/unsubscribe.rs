//! Turning reminders off (and on again) with the link in every reminder. The link's token is the
//! only credential: the page works without signing in, and mail clients may POST to it directly
//! (RFC 8058 one-click), so the POST takes no CSRF token — it can do nothing but this.

use super::store;
use crate::config::Settings;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::secret::{random_token, secret_hash};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(page).post(change))
}

/// A fresh unsubscribe URL for `email`, for one message; `None` when the address has turned
/// reminders off (so no reminder is queued). Only the token's hash is stored.
pub async fn link(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    email: &str,
) -> Result<Option<String>, sqlx::Error> {
    if store::recipient_reminders_off(tx, now, email, &secret_hash(&random_token())).await? {
        return Ok(None);
    }
    let token = random_token();
    store::insert_link(tx, now, &secret_hash(&token), email).await?;
    Ok(Some(format!("{}/unsubscribe/{token}", settings.public_url)))
}

#[derive(Template)]
#[template(path = "mail/unsubscribe.html")]
struct UnsubscribePage {
    page: PageCtx,
    token: String,
    off: bool,
    changed: bool,
}

/// The token's address and whether reminders are off for it; `NotFound` for an unknown token.
async fn state_of(state: &AppState, token: &str) -> Result<(String, bool)> {
    if token.len() > 64 {
        return Err(Error::NotFound);
    }
    let row = store::recipient_by_token(&state.db, &secret_hash(token))
        .await?
        .ok_or(Error::NotFound)?;
    Ok((row.email, row.reminders_off_at.is_some()))
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Result<Response> {
    let (_, off) = state_of(&state, &token).await?;
    Ok(private(render(&UnsubscribePage {
        page,
        token,
        off,
        changed: false,
    })))
}

async fn change(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response> {
    let (email, _) = state_of(&state, &token).await?;
    // `reminders=on` from our own page turns them back on; anything else, including a mail
    // client's `List-Unsubscribe=One-Click` in whatever encoding, turns them off.
    let on = std::str::from_utf8(&body).is_ok_and(|b| b.split('&').any(|p| p == "reminders=on"));
    store::set_reminders_off(&state.db, &email, (!on).then(|| state.db.now_ms())).await?;
    tracing::info!(reminders_on = on, "reminder preference changed");
    Ok(private(
        render(&UnsubscribePage {
            page,
            token,
            off: !on,
            changed: true,
        })
        .into_response(),
    ))
}
