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
use sqlx::Row;

use crate::accounts::auth::StaffUser;
use crate::accounts::{Account, Role};
use crate::state::AppState;

use crate::error::{Error, Result};
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

/// The SQL condition that keeps `me`'s mail, and its parameter (staff of one country), if any.
fn scope(me: &Account, next_param: usize) -> (String, Option<String>) {
    if me.role == Role::Admin {
        return (String::new(), None);
    }
    match &me.staff_country {
        Some(country) => (
            format!(" AND country = ${next_param}"),
            Some(country.clone()),
        ),
        None => (String::new(), None),
    }
}

async fn page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    let mut queued = 0;
    let mut sent = 0;
    let (only, country) = scope(&me, 1);
    let sql = format!("SELECT status, COUNT(*) FROM outbox WHERE 1 = 1{only} GROUP BY status");
    let mut counts = sqlx::query(&sql);
    if let Some(c) = &country {
        counts = counts.bind(c);
    }
    for row in counts.fetch_all(&state.db.pool).await? {
        let status: String = row.try_get(0)?;
        let n: i64 = row.try_get(1)?;
        match status.as_str() {
            "queued" => queued = n,
            "sent" => sent = n,
            _ => {}
        }
    }
    let sql = format!(
        "SELECT id, kind, recipient, attempts, last_error FROM outbox WHERE status = 'failed'{only} \
         ORDER BY id DESC LIMIT 500"
    );
    let mut failed = sqlx::query(&sql);
    if let Some(c) = &country {
        failed = failed.bind(c);
    }
    let failed = failed
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Failed {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                recipient: r.try_get("recipient")?,
                attempts: r.try_get("attempts")?,
                last_error: r
                    .try_get::<Option<String>, _>("last_error")?
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
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
    let (only, country) = scope(&me, 3);
    let sql = format!(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1, claimed_by = NULL, \
         claimed_until = NULL WHERE id = $2 AND status = 'failed'{only}"
    );
    let mut resend = sqlx::query(&sql).bind(state.db.now_ms()).bind(id);
    if let Some(c) = &country {
        resend = resend.bind(c);
    }
    let done = resend.execute(&state.db.pool).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    tracing::info!(outbox_id = id, staff_id = me.id, "mail queued again");
    Ok(Redirect::to("/staff/mail").into_response())
}
