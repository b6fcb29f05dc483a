//! Building and running the application: what `main` runs and what tests boot on port 0.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::HeaderName;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::PropagateRequestIdLayer;
use tower_http::set_header::SetRequestHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::{ServeArgs, Settings};
use crate::db::Db;
use crate::state::{AppState, Metrics};
use crate::web;

impl AppState {
    /// The state of one server process, with its background tasks (tally publisher, report
    /// committer, mail worker and reminder scheduler when a transport is configured) started. Needs a Tokio runtime.
    pub fn new(db: Db, settings: Settings) -> AppState {
        let tally = crate::tally::TallyHub::start(db.clone());
        let metrics = Arc::new(Metrics::new());
        let reports =
            crate::reports::committer::Committer::start(db.clone(), tally.clone(), metrics.clone());
        if crate::outbox::worker::start(db.clone(), settings.mail.clone()).is_some() {
            crate::mail::reminders::start(db.clone(), settings.clone());
        }
        crate::webhooks::worker::start(
            db.clone(),
            settings.webhooks.clone(),
            metrics.webhook_failures.clone(),
        );
        let actions = crate::actions::Committer::start(db.clone(), tally.clone(), metrics.clone());
        let tokens = crate::accounts::tokens::TokenCache::start(db.clone());
        let lookups = crate::reports::lookups::Lookups::default();
        // The store's URL was checked when the flags were read; a folder that cannot be created
        // stops the process before it listens.
        let photos = crate::photos::Photos::start(&settings.photos)
            .unwrap_or_else(|err| panic!("the photos' object store cannot be opened: {err:#}"));
        AppState::assemble(
            db,
            settings,
            metrics,
            vec![
                Box::new(tally),
                Box::new(reports),
                Box::new(tokens),
                Box::new(lookups),
                Box::new(photos),
                Box::new(actions),
                Box::new(crate::kits::Kits::default()),
                Box::new(Arc::new(crate::staff::figures::Dashboards::default())),
                Box::new(crate::recap::pages::RecapPages::default()),
            ],
        )
    }
}

/// Public routes polled by every tally page and widget, thousands of times a second on the
/// global day: their request lines are logged at debug level, not info (a log line costs about
/// as much as serving the cached tally).
const QUIET_ROUTES: [&str; 2] = [
    "/api/v1/campaigns/{campaign}/tally",
    "/api/v1/campaigns/{campaign}/tally/stream",
];

/// Largest request body we read: forms and JSON are small; uploads get their own limit.
const BODY_LIMIT: usize = 256 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(web::router())
        .merge(crate::accounts::routes::router())
        .merge(crate::campaigns::router())
        .merge(crate::events::router())
        .merge(crate::reports::router())
        .merge(crate::tally::router())
        .merge(crate::mail::staff::router())
        .merge(crate::outbox::unsubscribe::router())
        .merge(crate::privacy::router())
        .merge(crate::staff::router())
        .merge(crate::recap::router())
        .merge(crate::photos::router())
        .merge(crate::kits::router())
        .merge(crate::actions::router())
        .fallback(|| async { crate::error::Error::NotFound })
        .layer(
            ServiceBuilder::new()
                // Always our own id, never one the client sent: it goes into every log line.
                .layer(SetRequestHeaderLayer::overriding(request_id.clone(), new_request_id))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request| {
                            // Only the route template is logged: raw paths and queries may carry
                            // secrets (cancel links) or personal data.
                            let route = req
                                .extensions()
                                .get::<MatchedPath>()
                                .map(|p| p.as_str())
                                .unwrap_or("unmatched");
                            let id = req
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("-");
                            if QUIET_ROUTES.contains(&route) {
                                tracing::debug_span!("request", method = %req.method(), route, request_id = id)
                            } else {
                                tracing::info_span!("request", method = %req.method(), route, request_id = id)
                            }
                        })
                        .on_request(())
                        .on_response(LogResponse),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(CompressionLayer::new())
                .layer(axum::middleware::from_fn_with_state(state.clone(), web::envelope::envelope))
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                ))
                .layer(CatchPanicLayer::new())
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(state)
}

/// One info line per answered request, except for the quiet routes.
#[derive(Clone)]
struct LogResponse;

impl<B> tower_http::trace::OnResponse<B> for LogResponse {
    fn on_response(
        self,
        response: &axum::http::Response<B>,
        latency: Duration,
        span: &tracing::Span,
    ) {
        // A quiet route's span is a debug span, off at the default level: so is its line.
        if !span.is_disabled() {
            tracing::info!(
                status = response.status().as_u16(),
                latency_ms = latency.as_millis() as u64,
                "finished processing request"
            );
        }
    }
}

fn new_request_id(_: &Request) -> Option<axum::http::HeaderValue> {
    hex::encode(rand::random::<[u8; 8]>()).parse().ok()
}

/// Serves until `shutdown` resolves, then unready (`/readyz` 503) for `shutdown_grace` while still
/// serving, then lets requests in flight finish (tally streams end).
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    run_with_metrics(listener, None, state, shutdown).await
}

/// Connections the metrics listener holds at once: Prometheus, and an operator's curl.
const METRICS_CONNECTIONS: usize = 16;

/// `run`, and `/metrics` without a token on `metrics` (`--metrics-listen`) when given.
pub async fn run_with_metrics(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(housekeeping(state.db.clone(), state.settings.clone()));
    let sampler = tokio::spawn(sample_outbox(state.clone()));
    let checkpoints = tokio::spawn({
        let db = state.db.clone();
        async move { db.checkpoints().await }
    });
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let settings = state.settings.clone();
    let connections = crate::tally::direct::start(
        listener,
        state.clone(),
        settings.max_connections,
        stopped.clone(),
    );
    let metrics = metrics.map(|tcp| {
        let connections = web::conn::accept_all(tcp, METRICS_CONNECTIONS, stopped.clone());
        tokio::spawn(web::conn::serve_http(
            connections,
            web::ops::metrics_router(state.clone()),
            settings.header_timeout,
            stopped.clone(),
        ))
    });
    let draining = state.clone();
    let http = tokio::spawn(web::conn::serve_http(
        connections,
        router(state),
        settings.header_timeout,
        stopped,
    ));
    shutdown.await;
    // Unready first, still serving: the load balancer moves on before the listener closes.
    draining
        .draining
        .store(true, std::sync::atomic::Ordering::Relaxed);
    if !settings.shutdown_grace.is_zero() {
        tracing::info!(
            seconds = settings.shutdown_grace.as_secs(),
            "unready; serving until the grace ends"
        );
        tokio::time::sleep(settings.shutdown_grace).await;
    }
    let _ = stop.send(true);
    draining.stopping.send_replace(true);
    let mut result = http.await.map_err(std::io::Error::other);
    if let Some(metrics) = metrics {
        result = result.and(metrics.await.map_err(std::io::Error::other));
    }
    housekeeping.abort();
    sampler.abort();
    checkpoints.abort();
    result
}

/// Binds the address with a queue of 4,096 connections not yet accepted (or the system's limit,
/// `net.core.somaxconn`, if lower). The usual 128 drops the rest of a burst of new connections
/// (hosts reporting at the same moment), and each dropped one waits a second for its retry.
async fn listen(address: &str) -> std::io::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host(address).await? {
        let socket = match addr {
            SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        socket.set_reuseaddr(true)?;
        match socket.bind(addr) {
            Ok(()) => return socket.listen(4096),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("no address for {address}"),
        )
    }))
}

/// `writeathon serve`, on a database `cli::prepare` opened.
pub async fn serve(args: ServeArgs, db: Db) -> anyhow::Result<()> {
    // Before anyone can know the address: a stop asked for from then on gets its grace.
    let shutdown = shutdown_signal();
    let listener = listen(&args.listen).await?;
    let bound = listener.local_addr()?;
    let settings = Settings::from_serve(&args, bound)?;
    crate::photos::PhotoStore::open(&settings.photos.store)?;
    let metrics = match &args.metrics_listen {
        Some(address) if !address.is_empty() => {
            let metrics = listen(address).await?;
            let bound = metrics.local_addr()?;
            tracing::info!(address = %bound, "metrics on http://{bound}/metrics");
            Some(metrics)
        }
        _ => None,
    };
    tracing::info!(address = %bound, backend = ?db.backend, "listening on http://{bound}");
    let state = AppState::new(db, settings);
    run_with_metrics(listener, metrics, state, shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled: a signal that arrives in between would otherwise kill the process
/// outright, without its grace.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            let wait = |s: std::io::Result<tokio::signal::unix::Signal>| async move {
                match s {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(_) => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(interrupt) => {},
                _ = wait(terminate) => {},
            }
            tracing::info!("shutting down");
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}

/// How often the outbox's gauges are read from the database: about Prometheus' usual scrape.
const OUTBOX_SAMPLE: Duration = Duration::from_secs(15);

/// Keeps the outbox's gauges (`writeathon_outbox_*`) current: two counts on an index every
/// fifteen seconds, rather than a query per scrape of every node.
async fn sample_outbox(state: AppState) {
    let mut tick = tokio::time::interval(OUTBOX_SAMPLE);
    loop {
        tick.tick().await;
        match crate::outbox::store::depth(&state.db).await {
            Ok((queued, oldest, failed)) => {
                let age = oldest.map(|at| state.db.now_ms() - at);
                state.metrics.set_outbox(queued, age, failed);
            }
            Err(err) => tracing::warn!(error = %err, "reading the outbox's depth failed"),
        }
    }
}

/// Every ten minutes: removes expired sessions, links, old rate-limit windows and idempotency
/// keys, webhook deliveries done 30 days ago, and erases what PRIVACY.md promises to keep no
/// longer (`privacy::retention`).
async fn housekeeping(db: Db, settings: Arc<Settings>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(err) = crate::accounts::session::purge_expired(&db).await {
            tracing::warn!(error = %err, "purging sessions failed");
        }
        if let Err(err) = web::rate_limit::purge_old(&db).await {
            tracing::warn!(error = %err, "purging rate limits failed");
        }
        if let Err(err) = web::idempotency::purge_old(&db).await {
            tracing::warn!(error = %err, "purging idempotency keys failed");
        }
        if let Err(err) = crate::accounts::links::purge_expired(&db).await {
            tracing::warn!(error = %err, "purging sign-in links failed");
        }
        use crate::privacy::retention;
        if let Err(err) = retention::purge_old_mail(&db).await {
            tracing::warn!(error = %err, "purging old mail failed");
        }
        if let Some(crate::config::mail::Transport::Files(dir)) = &settings.mail.transport
            && let Err(err) = retention::purge_old_mail_files(dir, db.now_ms())
        {
            tracing::warn!(error = %err, "purging old .eml files failed");
        }
        if let Err(err) = crate::webhooks::store::purge_done(&db, db.now_ms(), 30).await {
            tracing::warn!(error = %err, "purging old webhook deliveries failed");
        }
        if let Err(err) = retention::erase_old_rsvps(&db, settings.rsvp_retention_days).await {
            tracing::warn!(error = %err, "erasing old RSVPs failed");
        }
        let before = db.now_ms() - crate::actions::PENDING_FOR_MS;
        if let Err(err) = crate::actions::store::purge_pending(&db, before).await {
            tracing::warn!(error = %err, "purging unconfirmed online actions failed");
        }
    }
}
