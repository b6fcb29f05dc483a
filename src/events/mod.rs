//! Events: hosts register them, people find them by place and RSVP. Private and home events never
//! show an exact location publicly (see `privacy`).

pub mod api;
pub mod attendees;
pub mod checks;
pub mod feeds;
pub mod finder;
pub mod mail;
pub mod moderation;
pub mod pages;
pub mod privacy;
pub mod rsvps;
pub mod store;
pub mod webhooks;

use axum::Router;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(rsvps::router())
        .merge(attendees::router())
        .merge(feeds::router())
        .merge(finder::router())
        .merge(moderation::router())
        .merge(api::router())
}

/// What kind of place an event is held at: a closed set, parsed once where it comes in (the
/// input checks, a stored row) and written as its `as_str` everywhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Home,
    School,
    University,
    Faith,
    CommunityCentre,
    Cafe,
    Pub,
    Workplace,
    Library,
    Outdoor,
    Online,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 12] = [
        EventKind::Home,
        EventKind::School,
        EventKind::University,
        EventKind::Faith,
        EventKind::CommunityCentre,
        EventKind::Cafe,
        EventKind::Pub,
        EventKind::Workplace,
        EventKind::Library,
        EventKind::Outdoor,
        EventKind::Online,
        EventKind::Other,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Home => "home",
            EventKind::School => "school",
            EventKind::University => "university",
            EventKind::Faith => "faith",
            EventKind::CommunityCentre => "community_centre",
            EventKind::Cafe => "cafe",
            EventKind::Pub => "pub",
            EventKind::Workplace => "workplace",
            EventKind::Library => "library",
            EventKind::Outdoor => "outdoor",
            EventKind::Online => "online",
            EventKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Every kind's `as_str`, in the order forms list them.
pub const KINDS: [&str; 12] = {
    let mut out = [""; 12];
    let mut i = 0;
    while i < out.len() {
        out[i] = EventKind::ALL[i].as_str();
        i += 1;
    }
    out
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Private,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        match s {
            "public" => Some(Visibility::Public),
            "private" => Some(Visibility::Private),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    Published,
    Cancelled,
    /// Taken down by staff, with a reason.
    Unpublished,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Published => "published",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> EventStatus {
        match s {
            "cancelled" => EventStatus::Cancelled,
            "unpublished" => EventStatus::Unpublished,
            _ => EventStatus::Published,
        }
    }
}

/// An event as stored. Private fields (address, exact coordinates, host) are here; what each
/// audience may see is decided by `privacy`.
#[derive(Clone, Debug)]
pub struct Event {
    pub id: i64,
    pub campaign_id: i64,
    pub host_id: i64,
    pub title: String,
    pub kind: EventKind,
    pub visibility: Visibility,
    pub status: EventStatus,
    pub moderation_reason: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: Tz,
    pub venue_name: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub public_latitude: Option<f64>,
    pub public_longitude: Option<f64>,
    pub location_approximate: bool,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub step_free: bool,
    pub description: String,
    pub language: String,
}

impl Event {
    /// Home and private events keep their exact place to themselves.
    pub fn hides_location(&self) -> bool {
        self.kind == EventKind::Home || self.visibility == Visibility::Private
    }

    pub fn is_public_listing(&self) -> bool {
        self.visibility == Visibility::Public && self.status == EventStatus::Published
    }

    /// The host, and staff for the event's country (or all countries).
    pub fn can_manage(&self, account: &Account) -> bool {
        account.id == self.host_id || account.is_staff_for(&self.country)
    }

    /// Whether an edit by `account` may put the event in `country`: the host may move their
    /// event anywhere (anyone may host anywhere), staff only within the countries they look
    /// after, so staff of one country cannot hand an event to another country's staff.
    pub fn may_move_to(&self, account: &Account, country: &str) -> bool {
        account.id == self.host_id || account.is_staff_for(country)
    }

    pub fn local_start(&self) -> DateTime<Tz> {
        self.starts_at.with_timezone(&self.timezone)
    }

    pub fn local_end(&self) -> DateTime<Tz> {
        self.ends_at.with_timezone(&self.timezone)
    }
}

/// RSVP numbers for an event.
#[derive(Clone, Copy, Debug, Default)]
pub struct RsvpCounts {
    pub confirmed: i64,
    pub waitlisted: i64,
}

impl RsvpCounts {
    pub fn spaces_left(&self, capacity: Option<i64>) -> Option<i64> {
        capacity.map(|c| (c - self.confirmed).max(0))
    }
}

/// Cancels an event in the caller's transaction and tells everyone who signed up.
pub async fn cancel_with_notice(
    tx: &mut crate::db::Tx,
    now: i64,
    settings: &crate::config::Settings,
    event_id: i64,
) -> Result<(), sqlx::Error> {
    store::set_status(tx, now, event_id, EventStatus::Cancelled, None).await?;
    webhooks::cancelled(tx, now, &settings.public_url, event_id).await?;
    crate::events::mail::event_changed(tx, now, settings, event_id, true).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_has_a_label_in_every_language() {
        for lang in crate::i18n::Lang::ALL {
            let defined = crate::i18n::ids_defined(lang);
            for kind in super::KINDS {
                let id = format!("kind-{}", kind.replace('_', "-"));
                assert!(defined.contains(&id), "{lang:?} lacks {id}");
            }
        }
    }

    #[test]
    fn kinds_parse_back_from_their_names() {
        for kind in super::EventKind::ALL {
            assert_eq!(super::EventKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        assert_eq!(super::EventKind::parse("rave"), None);
    }
}
