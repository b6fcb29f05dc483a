//! The tally: what the campaign has written, by world, country, region, city, case and kind.
//! Built from the counters that reports move (`reports::store`), cached per campaign, rebuilt at
//! most about once a second after a change, and pushed to every open stream. On PostgreSQL a
//! change on one server process reaches the others by LISTEN/NOTIFY.

pub mod build;
pub mod direct;
pub mod live;
pub mod pages;
pub mod store;

use axum::Router;

use crate::state::AppState;

pub use build::Tally;
pub use live::TallyHub;

impl AppState {
    /// This process's tally hub.
    pub fn tally(&self) -> &TallyHub {
        self.service()
    }
}

pub fn router() -> Router<AppState> {
    Router::new().merge(live::router()).merge(pages::router())
}
