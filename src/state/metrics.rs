//! The process's Prometheus metrics, every name that `deploy/grafana/writeathon.json` charts:
//! requests by route template and status and their latencies, the report committer's batches
//! and commits, the outbox's depth and age, webhook deliveries that failed, open tally streams,
//! and the database pool. Served by `web::ops`, which also reads the gauges of the pool and the
//! streams when it is scraped; the outbox's are sampled by `app` (a query, so not per scrape).

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
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
    /// The same for online actions and their confirmations (`actions::committer`).
    pub action_batch: Histogram,
    pub action_commit: Histogram,
    /// Mail waiting to be sent (queued, due or not), the age of the oldest such message, and
    /// mail given up on: the same numbers on every node, since they are read from the database.
    pub outbox_queued: Gauge,
    pub outbox_oldest_seconds: Gauge<f64, AtomicU64>,
    pub outbox_failed: Gauge,
    /// Webhook deliveries that failed (each attempt), for the webhooks' worker to count.
    pub webhook_failures: Counter,
    /// Tally streams open on this process, on either path.
    pub tally_streams: Gauge,
    /// The database pool: connections open, idle among them, and the most it may open.
    pub db_pool_connections: Gauge,
    pub db_pool_idle: Gauge,
    pub db_pool_max: Gauge,
}

/// A group committer's histograms, registered as `{prefix}_batch_size` (jobs per transaction)
/// and `{prefix}_commit_seconds` (time to write and commit one batch).
fn committer_histograms(
    registry: &mut Registry,
    prefix: &str,
    jobs: &str,
) -> (Histogram, Histogram) {
    let batch = Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0]);
    registry.register(
        format!("{prefix}_batch_size"),
        format!("{jobs} committed together in one transaction"),
        batch.clone(),
    );
    let commit = Histogram::new([
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
    ]);
    registry.register(
        format!("{prefix}_commit_seconds"),
        format!("Time to write and commit one batch of {jobs}"),
        commit.clone(),
    );
    (batch, commit)
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
        let (report_batch, report_commit) =
            committer_histograms(&mut registry, "report", "reports");
        let (action_batch, action_commit) =
            committer_histograms(&mut registry, "action", "online actions and confirmations");
        let metrics = Metrics {
            registry: Mutex::new(Registry::default()),
            requests,
            latency,
            report_batch,
            report_commit,
            action_batch,
            action_commit,
            outbox_queued: Gauge::default(),
            outbox_oldest_seconds: Gauge::default(),
            outbox_failed: Gauge::default(),
            webhook_failures: Counter::default(),
            tally_streams: Gauge::default(),
            db_pool_connections: Gauge::default(),
            db_pool_idle: Gauge::default(),
            db_pool_max: Gauge::default(),
        };
        // Each metric is a handle on shared atomics: the registry's clone reads what ours sets.
        let gauges = [
            (
                "outbox_queued",
                "Mail queued and not yet sent",
                &metrics.outbox_queued,
            ),
            (
                "outbox_failed",
                "Mail given up on after its last attempt",
                &metrics.outbox_failed,
            ),
            (
                "tally_streams_open",
                "Live tally streams (SSE) open on this process",
                &metrics.tally_streams,
            ),
            (
                "db_pool_connections",
                "Open database connections",
                &metrics.db_pool_connections,
            ),
            (
                "db_pool_idle",
                "Open database connections not in use",
                &metrics.db_pool_idle,
            ),
            (
                "db_pool_max",
                "Most database connections the pool may open",
                &metrics.db_pool_max,
            ),
        ];
        for (name, help, gauge) in gauges {
            registry.register(name, help, gauge.clone());
        }
        registry.register(
            "outbox_oldest_queued_seconds",
            "Age of the oldest mail still queued (0 when none is)",
            metrics.outbox_oldest_seconds.clone(),
        );
        registry.register(
            "webhook_deliveries_failed",
            "Webhook delivery attempts that failed",
            metrics.webhook_failures.clone(),
        );
        *metrics.registry.lock().unwrap_or_else(|e| e.into_inner()) = registry;
        metrics
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

    /// The outbox as last read: `oldest_ms` is the age of the oldest queued message, if any.
    pub fn set_outbox(&self, queued: i64, oldest_ms: Option<i64>, failed: i64) {
        self.outbox_queued.set(queued);
        self.outbox_oldest_seconds
            .set(oldest_ms.map_or(0.0, |ms| ms.max(0) as f64 / 1000.0));
        self.outbox_failed.set(failed);
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
