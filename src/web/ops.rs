//! Operations endpoints: liveness, readiness (database reachable) and Prometheus metrics.
//!
//! Metrics tell how the site is used, route by route, so they are not public: the public listener
//! serves `/metrics` only to a bearer of `--metrics-token` (and without one configured, not at
//! all: 404); `--metrics-listen` serves it without a token on an address of its own, for a
//! network only Prometheus reaches.

use std::sync::Mutex;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use subtle::ConstantTimeEq;

use crate::app::AppState;
use crate::error::Error;

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

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(public_metrics))
}

/// What the `--metrics-listen` address serves: `/metrics`, nothing else.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn public_metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.settings.metrics_token else {
        return Error::NotFound.into_response();
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared in constant time: the answer's timing tells nothing of how much of it matched.
    if bool::from(sent.as_bytes().ct_eq(token.as_bytes())) {
        metrics(State(state)).await
    } else {
        Error::Unauthorized.into_response()
    }
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    let registry = state
        .metrics
        .registry
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    drop(registry);
    out.push_str(&format!(
        "# HELP writeathon_db_pool_connections Open database connections.\n\
         # TYPE writeathon_db_pool_connections gauge\nwriteathon_db_pool_connections {}\n",
        state.db.pool.size()
    ));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// A method as a label: the standard ones by name, any other as `other`. A client may send any
/// token as a method, and each distinct label is a series kept for the life of the process.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// Middleware: counts requests by route template (never the raw path, which may hold secrets).
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method()).to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let labels = RouteLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state
        .metrics
        .latency
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}
