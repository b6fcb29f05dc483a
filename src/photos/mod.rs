//! Photos of events: hosts and staff upload them (`upload`: the form on the event page and the
//! API), every file goes through the re-encoding `pipeline` (nothing of the uploaded file is
//! kept), the sizes are written to the object store (`storage`), staff of the event's country
//! decide what the public sees (`moderation`), and the public sees approved photos in a gallery
//! per campaign, on the event page and on a page per photo (`pages`, `api`). All SQL is in
//! `store`. Photos marked "minors are pictured" and photos of private events are never public.

pub mod api;
pub mod moderation;
pub mod pages;
pub mod pipeline;
pub mod storage;
pub mod store;
pub mod upload;

use std::sync::Arc;

use axum::Router;
use tokio::sync::Semaphore;

use crate::accounts::Account;
use crate::config::photos::PhotoSettings;
use crate::state::AppState;

pub use storage::PhotoStore;
pub use store::PhotoRow;

/// Where a photo stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pending,
    Approved,
    Rejected,
    /// Taken down after approval.
    Removed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Removed => "removed",
        }
    }

    /// A stored status; the database's CHECK allows no other, so anything else reads as pending
    /// (never as approved).
    pub fn parse(s: &str) -> Status {
        match s {
            "approved" => Status::Approved,
            "rejected" => Status::Rejected,
            "removed" => Status::Removed,
            _ => Status::Pending,
        }
    }
}

/// The photos service: the object store, the settings, and the permits of the decoders.
pub struct Photos {
    pub store: PhotoStore,
    pub settings: PhotoSettings,
    /// Decoding a 12 MP photo takes a few hundred milliseconds and about 100 MB: at most this many
    /// run at once, on the blocking pool, so the request threads keep answering and memory stays
    /// bounded however many uploads arrive together.
    pub decoders: Arc<Semaphore>,
}

impl Photos {
    pub fn start(settings: &PhotoSettings) -> anyhow::Result<Photos> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(Photos {
            store: PhotoStore::open(&settings.store)?,
            settings: settings.clone(),
            // One core is left to the requests: with every core decoding 12-megapixel photos,
            // the tally and the finder waited (their p95 rose eightfold during eight uploads).
            decoders: Arc::new(Semaphore::new(cores.saturating_sub(1).clamp(1, 4))),
        })
    }
}

impl AppState {
    pub fn photos(&self) -> &Photos {
        self.service::<Photos>()
    }
}

/// Who may add photos to an event and see all of them: its host and staff of its country.
pub fn can_manage(event: &store::EventFacts, account: &Account) -> bool {
    account.id == event.host_id || account.is_staff_for(&event.country)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(moderation::router())
}
