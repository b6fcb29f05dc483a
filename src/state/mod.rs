//! What every handler can reach: the database, the settings, the process's metrics and open
//! tally streams, and each feature's long-lived service (the tally hub, the report committer,
//! the token cache…). The bottom of the web stack: it names no feature. `app` starts the
//! services and hands them over as values; each feature reaches its own through an accessor it
//! defines (`state.tally()` in `tally`), so a feature's types stay in its folder.

pub mod metrics;
pub mod streams;

use std::any::Any;
use std::sync::Arc;

use crate::config::Settings;
use crate::db::Db;

pub use metrics::Metrics;
pub use streams::{StreamCounts, StreamSlot};

/// One `Arc`: axum clones the state for every layer and extractor of every request, so a clone
/// is one counter increment rather than one per field (the field-by-field clones and drops were
/// a quarter of the CPU of serving the cached tally).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Tally streams open per client, on either path (`tally::direct` or the route).
    pub tally_streams: Arc<StreamCounts>,
    /// Set when the process was told to stop: /readyz answers 503 from then on.
    pub draining: std::sync::atomic::AtomicBool,
    /// Turns true when the grace after a stop ends and the listeners close: what ends the
    /// responses that never end by themselves (tally streams), so the process can exit.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// The features' services, one per type: a handful, so a scan beats a map.
    services: Vec<Box<dyn Any + Send + Sync>>,
}

impl AppState {
    /// The state of one process, from what `app` started.
    pub fn assemble(
        db: Db,
        settings: Settings,
        metrics: Arc<Metrics>,
        services: Vec<Box<dyn Any + Send + Sync>>,
    ) -> AppState {
        AppState(Arc::new(Shared {
            tally_streams: StreamCounts::new(settings.tally_streams_per_client),
            draining: std::sync::atomic::AtomicBool::new(false),
            stopping: tokio::sync::watch::Sender::new(false),
            db,
            settings: Arc::new(settings),
            metrics,
            services,
        }))
    }

    /// The service of type `T`. Every state is assembled by `AppState::new` (in `app`) with all of
    /// them, so a missing one is a bug in that one function, found by any test that boots.
    pub fn service<T: Any>(&self) -> &T {
        self.services
            .iter()
            .find_map(|s| s.downcast_ref::<T>())
            .unwrap_or_else(|| panic!("no {} in the state", std::any::type_name::<T>()))
    }
}
