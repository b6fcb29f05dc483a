//! Who is coming: the attendee list and its CSV for the host and staff of the event's country,
//! and whether a signed-in account is a confirmed attendee (who may see the address).

use super::{Event, store};
use crate::accounts::auth::SignedIn;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/attendees", get(attendees_page))
        .route("/events/{id}/attendees.csv", get(attendees_csv))
}

pub use super::store::attendees::Attendee;

/// Whether the account is a confirmed attendee (they may see the address): its address is
/// confirmed, and an RSVP with it is. An RSVP proves nothing about who typed the email, and an
/// account whose address is unconfirmed proves nothing about who owns it; both together do.
pub async fn is_confirmed_attendee(
    db: &Db,
    event_id: i64,
    account: &crate::accounts::Account,
) -> Result<bool, sqlx::Error> {
    if !account.email_confirmed {
        return Ok(false);
    }
    store::attendees::is_confirmed(db, event_id, &account.email).await
}

/// The event, if `me` may see its attendees.
async fn managed_event(state: &AppState, me: &crate::accounts::Account, id: i64) -> Result<Event> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if event.can_manage(me) {
        Ok(event)
    } else {
        Err(Error::NotFound)
    }
}

#[derive(Template)]
#[template(path = "events/attendees.html")]
struct AttendeesPage {
    page: PageCtx,
    event: Event,
    attendees: Vec<Attendee>,
}

async fn attendees_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Path(id): Path<i64>,
) -> Result<Response> {
    let event = managed_event(&state, &me, id).await?;
    let attendees = store::attendees::of_event(&state.db, id).await?;
    let mut response = render(&AttendeesPage {
        page,
        event,
        attendees,
    });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// Quotes a CSV field, and defuses cells a spreadsheet would run as a formula: those starting
/// with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL, also after spaces an import may trim.
pub(crate) fn csv_field(value: &str) -> String {
    let formula = value
        .trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r', '\0']);
    let value = if formula {
        format!("'{value}")
    } else {
        value.to_string()
    };
    format!("\"{}\"", value.replace('"', "\"\""))
}

async fn attendees_csv(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(id): Path<i64>,
) -> Result<Response> {
    let event = managed_event(&state, &me, id).await?;
    let mut out = String::from("name,email,status,consent_contact,language,registered_at\r\n");
    for a in store::attendees::of_event(&state.db, event.id).await? {
        let row = [
            csv_field(&a.name),
            csv_field(&a.email),
            a.status.as_str().to_string(),
            a.consent_contact.to_string(),
            a.language.clone(),
            a.created_at.clone(),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"event-{id}-attendees.csv\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_field("Ana \"A\""), "\"Ana \"\"A\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(csv_field(" -2+3"), "\"' -2+3\"");
        assert_eq!(csv_field("\0=1"), "\"'\0=1\"");
        assert_eq!(csv_field("a =1"), "\"a =1\"");
    }
}
