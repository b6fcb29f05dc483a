//! The host's dashboard: their events with RSVP numbers, and the campaigns open for new events.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::accounts::auth::SignedIn;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::Result;
use crate::events::{Event, RsvpCounts, store};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/host", get(dashboard))
}

#[derive(Template)]
#[template(path = "events/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    events: Vec<(Event, String, RsvpCounts)>,
    open_campaigns: Vec<Campaign>,
}

async fn dashboard(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
) -> Result<Response> {
    let mine = store::of_host(&state.db, me.id).await?;
    let ids: Vec<i64> = mine.iter().map(|(e, _)| e.id).collect();
    let counts = store::counts_for(&state.db, &ids).await?;
    let events = mine
        .into_iter()
        .map(|(e, slug)| {
            let c = counts.get(&e.id).copied().unwrap_or_default();
            (e, slug, c)
        })
        .collect();
    let today = state.db.clock.now().date_naive();
    let open_campaigns = campaigns::list(&state.db, page.lang)
        .await?
        .into_iter()
        .filter(|c| c.events_open(today))
        .collect();
    Ok(render(&DashboardPage {
        page,
        events,
        open_campaigns,
    }))
}
