//! The process's Prometheus metrics: requests by route template and status, and the report
//! committer's batches. Served by `web::ops`.

use std::sync::Mutex;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

pub struct Metrics {
    /// A `std` mutex: encoding is synchronous and short, nothing awaits while it is held.
    registry: Mutex<Registry>,
    requests: Family<RouteLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    /// Reports per group commit, and how long each took: a committer that keeps taking batches
    /// of one under load has no work to overlap with its commits.
    pub report_batch: Histogram,
    pub report_commit: Histogram,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("writeathon");
        let requests = Family::<RouteLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0])
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer",
            latency.clone(),
        );
        let report_batch =
            Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0]);
        registry.register(
            "report_batch_size",
            "Reports committed together in one transaction",
            report_batch.clone(),
        );
        let report_commit = Histogram::new([
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
        ]);
        registry.register(
            "report_commit_seconds",
            "Time to write and commit one batch of reports",
            report_commit.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            report_batch,
            report_commit,
        }
    }
}

impl Metrics {
    /// Counts a request answered outside the router (see `tally::direct`).
    pub fn record(&self, method: &str, route: &str, status: u16, took: std::time::Duration) {
        let labels = RouteLabels {
            method: method.to_string(),
            route: route.to_string(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
    }
}

impl Metrics {
    /// The registry in Prometheus' text format.
    pub fn encode(&self, out: &mut String) -> std::fmt::Result {
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        prometheus_client::encoding::text::encode(out, &registry)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
