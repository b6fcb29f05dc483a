//! The pages of an event: the event page with its RSVP form, "add to calendar" and "report this
//! event" (`event`); the host's form to register, edit and cancel an event (`form`); the host's
//! dashboard (`dashboard`). Who may see and manage an event is decided here, for all of them.

mod dashboard;
mod event;
mod form;
mod school;

use axum::Router;
use serde::Deserialize;

use super::{Event, EventStatus, Visibility, store};
use crate::accounts::Account;
use crate::error::{Error, Result};
use crate::state::AppState;

pub use event::FLAGS_PER_IP;
pub use form::{EventForm, save_edit};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(form::router())
        .merge(event::router())
        .merge(dashboard::router())
        .merge(school::router())
}

/// What a viewer may do with and see of an event.
struct Access {
    manage: bool,
    see_address: bool,
}

async fn access(state: &AppState, event: &Event, viewer: Option<&Account>) -> Result<Access> {
    let manage = viewer.is_some_and(|a| event.can_manage(a));
    let attendee = match viewer {
        Some(a) if !manage => {
            super::attendees::is_confirmed_attendee(&state.db, event.id, a).await?
        }
        _ => false,
    };
    Ok(Access {
        manage,
        see_address: manage || attendee,
    })
}

/// The event if this viewer may see its page: public ones (also once cancelled), or their own.
async fn visible_event(
    state: &AppState,
    id: i64,
    viewer: Option<&Account>,
) -> Result<(Event, Access)> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    let access = access(state, &event, viewer).await?;
    let public = event.visibility == Visibility::Public && event.status != EventStatus::Unpublished;
    if public || access.manage || access.see_address {
        Ok((event, access))
    } else {
        Err(Error::NotFound)
    }
}

async fn managed(state: &AppState, me: &Account, id: i64) -> Result<Event> {
    let event = store::get(&state.db, id).await?.ok_or(Error::NotFound)?;
    if event.can_manage(me) {
        Ok(event)
    } else if event.is_public_listing() {
        Err(Error::Forbidden)
    } else {
        Err(Error::NotFound)
    }
}

#[derive(Deserialize)]
struct Empty {}
