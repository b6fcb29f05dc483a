//! Turning reminders off (and on again) with the link in every reminder. The link's token is the
//! only credential: the page works without signing in, and mail clients may POST to it directly
//! (RFC 8058 one-click), so the POST takes no CSRF token — it can do nothing but this.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sqlx::Row;

use crate::config::Settings;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::secret::{random_token, secret_hash};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

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
    // `unsubscribe_token` (unique, not null) held the one clear token of older messages; a new
    // address gets the hash of a token nobody is sent, which matches nothing.
    sqlx::query(
        "INSERT INTO mail_recipients (email, unsubscribe_token, token_hashed, created_at) \
         VALUES ($1, $2, 1, $3) ON CONFLICT (email) DO NOTHING",
    )
    .bind(email)
    .bind(secret_hash(&random_token()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let off: Option<i64> =
        sqlx::query("SELECT reminders_off_at FROM mail_recipients WHERE email = $1")
            .bind(email)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    if off.is_some() {
        return Ok(None);
    }
    let token = random_token();
    sqlx::query(
        "INSERT INTO unsubscribe_links (token_hash, email, created_at) VALUES ($1, $2, $3)",
    )
    .bind(secret_hash(&token))
    .bind(email)
    .bind(now)
    .execute(&mut **tx)
    .await?;
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
    let row = sqlx::query(
        "SELECT email, reminders_off_at FROM mail_recipients WHERE unsubscribe_token = $1 \
         UNION ALL SELECT m.email, m.reminders_off_at FROM unsubscribe_links l \
         JOIN mail_recipients m ON m.email = l.email WHERE l.token_hash = $1 LIMIT 1",
    )
    .bind(secret_hash(token))
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    Ok((
        row.try_get("email")?,
        row.try_get::<Option<i64>, _>("reminders_off_at")?.is_some(),
    ))
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
    sqlx::query("UPDATE mail_recipients SET reminders_off_at = $1 WHERE email = $2")
        .bind((!on).then(|| state.db.now_ms()))
        .bind(&email)
        .execute(&state.db.pool)
        .await?;
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
