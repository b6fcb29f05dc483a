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

use crate::accounts::random_token;
use crate::app::AppState;
use crate::config::Settings;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::web::page::{PageCtx, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/unsubscribe/{token}", get(page).post(change))
}

/// The unsubscribe URL for `email`, creating its token on first use; `None` when the address
/// has turned reminders off (so no reminder is queued).
pub async fn link(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    email: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_recipients (email, unsubscribe_token, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(email)
    .bind(random_token())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "SELECT unsubscribe_token, reminders_off_at FROM mail_recipients WHERE email = $1",
    )
    .bind(email)
    .fetch_one(&mut **tx)
    .await?;
    if row.try_get::<Option<i64>, _>("reminders_off_at")?.is_some() {
        return Ok(None);
    }
    let token: String = row.try_get("unsubscribe_token")?;
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

/// Whether reminders are off for the token's address; `NotFound` for an unknown token.
async fn state_of(state: &AppState, token: &str) -> Result<bool> {
    if token.len() > 64 {
        return Err(Error::NotFound);
    }
    let row =
        sqlx::query("SELECT reminders_off_at FROM mail_recipients WHERE unsubscribe_token = $1")
            .bind(token)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or(Error::NotFound)?;
    Ok(row.try_get::<Option<i64>, _>(0)?.is_some())
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
    let off = state_of(&state, &token).await?;
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
    state_of(&state, &token).await?;
    // `reminders=on` from our own page turns them back on; anything else, including a mail
    // client's `List-Unsubscribe=One-Click` in whatever encoding, turns them off.
    let on = std::str::from_utf8(&body).is_ok_and(|b| b.split('&').any(|p| p == "reminders=on"));
    sqlx::query("UPDATE mail_recipients SET reminders_off_at = $1 WHERE unsubscribe_token = $2")
        .bind((!on).then(|| state.db.now_ms()))
        .bind(&token)
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
