//! The host's dashboard: their events with RSVP numbers, and the campaigns open for new events.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::accounts::auth::SignedIn;
use crate::campaigns::{Campaign, store as campaigns};
use crate::error::Result;
use crate::events::store::EventTotals;
use crate::events::{Event, EventKind, RsvpCounts, store};
use crate::state::AppState;
use crate::web::page::{PageCtx, render};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/host", get(dashboard))
}

#[derive(Template)]
#[template(path = "events/dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    events: Vec<HostedEvent>,
    open_campaigns: Vec<Campaign>,
}

/// One of the host's events with its RSVPs, what its reports counted and, for a school or
/// university event, the school it named: a teacher sees their class's totals here.
struct HostedEvent {
    event: Event,
    counts: RsvpCounts,
    totals: EventTotals,
    school: Option<String>,
}

async fn dashboard(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
) -> Result<Response> {
    let mine = store::of_host(&state.db, me.id).await?;
    let ids: Vec<i64> = mine.iter().map(|(e, _)| e.id).collect();
    let counts = store::counts_for(&state.db, &ids).await?;
    let totals = store::totals_for(&state.db, &ids).await?;
    let mut schools = store::schools::of_events(&state.db, &ids).await?;
    let events = mine
        .into_iter()
        .map(|(event, _)| HostedEvent {
            counts: counts.get(&event.id).copied().unwrap_or_default(),
            totals: totals.get(&event.id).copied().unwrap_or_default(),
            school: schools.remove(&event.id),
            event,
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

impl HostedEvent {
    fn is_school(&self) -> bool {
        matches!(self.event.kind, EventKind::School | EventKind::University)
    }
}
