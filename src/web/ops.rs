//! Operations endpoints: liveness, readiness (database reachable) and Prometheus metrics.
//!
//! Metrics tell how the site is used, route by route, so they are not public: the public listener
//! serves `/metrics` only to a bearer of `--metrics-token` (and without one configured, not at
//! all: 404); `--metrics-listen` serves it without a token on an address of its own, for a
//! network only Prometheus reaches.

use axum::Router;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use crate::error::Error;
use crate::state::AppState;

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
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match state.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    // The gauges that are this process's own state are read now, as Prometheus asks.
    let pool = &state.db.pool;
    let m = &state.metrics;
    m.db_pool_connections.set(i64::from(pool.size()));
    m.db_pool_idle.set(pool.num_idle() as i64);
    m.db_pool_max
        .set(i64::from(pool.options().get_max_connections()));
    m.tally_streams.set(state.tally_streams.total() as i64);
    let mut out = String::new();
    if m.encode(&mut out).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
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

/// Counts an answered request by route template (never the raw path, which may hold secrets).
pub fn observe(
    state: &AppState,
    method: &Method,
    route: Option<&MatchedPath>,
    status: u16,
    elapsed: std::time::Duration,
) {
    let route = route.map_or("unmatched", |p| p.as_str());
    state
        .metrics
        .record(method_label(method), route, status, elapsed);
}
