//! The audit trail: every staff and admin action — who, when, what, to which thing, the state before
//! and after. A feature records its entry in the same transaction as the change it describes, so
//! there is never a change without its entry nor an entry for a change that was rolled back.
//!
//! Append-only: this module has no update or delete, and the database refuses both (triggers in
//! migration 0013). Entries name accounts by id and carry no email or street address, so erasing
//! a person's data never needs to touch the trail.

pub mod store;

use serde::Serialize;
use serde_json::Value;

pub use store::{Filter, Row, list, record};

/// What an entry is about: a kind of thing and its id (`("event", 12)`, `("country", None)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Subject<'a> {
    pub kind: &'a str,
    pub id: Option<i64>,
}

impl<'a> Subject<'a> {
    pub fn new(kind: &'a str, id: i64) -> Subject<'a> {
        Subject { kind, id: Some(id) }
    }
}

/// One staff or admin action, as the feature that performed it describes it.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// The account that acted; `None` for the application itself (a command-line tool).
    pub actor: Option<i64>,
    /// Dotted and stable, feature first: `event.unpublish`, `photo.approve`, `export.reports`.
    pub action: &'a str,
    pub subject: Subject<'a>,
    /// The campaign and country the thing belongs to, so staff see only their own country's rows.
    pub campaign_id: Option<i64>,
    pub country: Option<&'a str>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Entry<'a> {
    pub fn new(actor: Option<i64>, action: &'a str, subject: Subject<'a>) -> Entry<'a> {
        Entry {
            actor,
            action,
            subject,
            campaign_id: None,
            country: None,
            before: None,
            after: None,
        }
    }

    pub fn campaign(mut self, campaign_id: i64) -> Self {
        self.campaign_id = Some(campaign_id);
        self
    }

    pub fn country(mut self, country: &'a str) -> Self {
        self.country = Some(country);
        self
    }

    pub fn before(mut self, state: Value) -> Self {
        self.before = Some(state);
        self
    }

    pub fn after(mut self, state: Value) -> Self {
        self.after = Some(state);
        self
    }
}
