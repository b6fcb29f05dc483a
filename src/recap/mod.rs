//! The recap (`/campaigns/{campaign}/recap`): the campaign's story told from its own data, as the
//! seed's hand-written one was — totals, a map of letters by country and by region of the host
//! country, every region that took part and those with none yet, the kinds of places, the top
//! towns, featured stories and the photos staff chose, and while reports still come in, how many
//! events have yet to report. Staff who manage campaigns write its introduction and publish it
//! (`edit`); the print version is typeset like the kits (`print`).

pub mod edit;
pub mod map;
pub mod pages;
pub mod print;
pub mod store;
pub mod view;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router()).merge(edit::router())
}
