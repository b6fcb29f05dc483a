//! The live tally: a cached snapshot per campaign, rebuilt at most about once a second after a
//! change, served as JSON with an ETag and pushed over server-sent events. Every subscriber of a
//! campaign shares one `watch` channel, so ten thousand open streams cost one rebuild per change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::Digest;
use tokio::sync::{Notify, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::build::{Tally, build};
use crate::app::AppState;
use crate::db::{Backend, Db};
use crate::error::{Error, Result};
use crate::web::i18n::Lang;

/// At most one rebuild per campaign in this interval; changes in between are coalesced.
pub const COALESCE: Duration = Duration::from_secs(1);
const NOTIFY_CHANNEL: &str = "writeathon_tally";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/campaigns/{campaign}/tally", get(tally_json))
        .route(
            "/api/v1/campaigns/{campaign}/tally/stream",
            get(tally_stream),
        )
}

pub struct Snapshot {
    pub tally: Tally,
    pub json: String,
    pub etag: String,
}

struct Channel {
    current: watch::Sender<Option<Arc<Snapshot>>>,
    dirty: Notify,
}

/// Shared by every request of one server process. Cheap to clone.
#[derive(Clone)]
pub struct TallyHub {
    db: Db,
    /// A `std` mutex: it guards a map lookup and never spans an await.
    channels: Arc<Mutex<HashMap<i64, Arc<Channel>>>>,
}

impl TallyHub {
    /// Starts the hub; on PostgreSQL it also listens for changes made by other processes.
    pub fn start(db: Db) -> TallyHub {
        let hub = TallyHub {
            db: db.clone(),
            channels: Arc::default(),
        };
        if db.backend == Backend::Postgres {
            tokio::spawn(listen(hub.clone()));
        }
        hub
    }

    fn channel(&self, campaign_id: i64, slug: &str) -> Arc<Channel> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = channels.get(&campaign_id) {
            return c.clone();
        }
        let (current, _) = watch::channel(None);
        let channel = Arc::new(Channel {
            current,
            dirty: Notify::new(),
        });
        channels.insert(campaign_id, channel.clone());
        tokio::spawn(publish(
            self.db.clone(),
            campaign_id,
            slug.to_string(),
            channel.clone(),
        ));
        channel
    }

    /// A report changed the campaign's numbers (committed): rebuild soon here, and tell the
    /// other processes on PostgreSQL.
    pub async fn changed(&self, campaign_id: i64) {
        self.changed_here(campaign_id);
        if self.db.backend == Backend::Postgres
            && let Err(err) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(NOTIFY_CHANNEL)
                .bind(campaign_id.to_string())
                .execute(&self.db.pool)
                .await
        {
            tracing::warn!(error = %err, "could not notify other processes of a tally change");
        }
    }

    fn changed_here(&self, campaign_id: i64) {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = channels.get(&campaign_id) {
            c.dirty.notify_one();
        }
    }

    /// The latest snapshot (built now if this process has none yet).
    pub async fn snapshot(&self, campaign_id: i64, slug: &str) -> Result<Arc<Snapshot>> {
        let mut rx = self.channel(campaign_id, slug).current.subscribe();
        let snapshot = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(Option::is_some))
            .await
            .map_err(|_| Error::Internal(anyhow::anyhow!("tally not built in time")))?
            .map_err(|_| Error::Internal(anyhow::anyhow!("tally publisher stopped")))?;
        Ok(snapshot.clone().expect("waited for a snapshot"))
    }

    pub fn subscribe(
        &self,
        campaign_id: i64,
        slug: &str,
    ) -> watch::Receiver<Option<Arc<Snapshot>>> {
        self.channel(campaign_id, slug).current.subscribe()
    }
}

async fn make_snapshot(
    db: &Db,
    campaign_id: i64,
    slug: &str,
) -> std::result::Result<Snapshot, sqlx::Error> {
    let tally = build(db, campaign_id, slug, Lang::En).await?;
    // The ETag covers the numbers, not the time they were read.
    let mut stable = tally.clone();
    stable.updated_at = String::new();
    let etag = format!(
        "\"{}\"",
        hex::encode(&sha2::Sha256::digest(serde_json::to_vec(&stable).unwrap_or_default())[..12])
    );
    let json = serde_json::to_string(&tally).unwrap_or_default();
    Ok(Snapshot { tally, json, etag })
}

/// Rebuilds a campaign's snapshot after changes, at most once per [`COALESCE`].
async fn publish(db: Db, campaign_id: i64, slug: String, channel: Arc<Channel>) {
    loop {
        let started = Instant::now();
        match make_snapshot(&db, campaign_id, &slug).await {
            Ok(s) => {
                let unchanged = channel
                    .current
                    .borrow()
                    .as_ref()
                    .is_some_and(|old| old.etag == s.etag);
                if !unchanged {
                    channel.current.send_replace(Some(Arc::new(s)));
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, campaign_id, "tally rebuild failed");
                tokio::time::sleep(COALESCE).await;
                continue;
            }
        }
        channel.dirty.notified().await;
        let since = started.elapsed();
        if since < COALESCE {
            tokio::time::sleep(COALESCE - since).await;
        }
    }
}

/// PostgreSQL: hears about reports committed by other server processes.
async fn listen(hub: TallyHub) {
    loop {
        match sqlx::postgres::PgListener::connect(&hub.db.url).await {
            Ok(mut listener) => {
                if let Err(err) = listener.listen(NOTIFY_CHANNEL).await {
                    tracing::warn!(error = %err, "LISTEN failed");
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(note) => {
                                if let Ok(id) = note.payload().parse::<i64>() {
                                    hub.changed_here(id);
                                }
                            }
                            Err(err) => {
                                tracing::warn!(error = %err, "tally listener lost its connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "tally listener could not connect"),
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

async fn campaign_id(state: &AppState, slug: &str) -> Result<i64> {
    crate::campaigns::store::by_slug(&state.db, slug, Lang::En)
        .await?
        .map(|c| c.id)
        .ok_or(Error::NotFound)
}

async fn tally_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let id = campaign_id(&state, &slug).await?;
    let snapshot = state.tally.snapshot(id, &slug).await?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == snapshot.etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json")],
            snapshot.json.clone(),
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&snapshot.etag) {
        h.insert(header::ETAG, etag);
    }
    // As fresh as the coalescing window: a cache may keep it one second.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=1"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}

async fn tally_stream(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let id = campaign_id(&state, &slug).await?;
    let rx = state.tally.subscribe(id, &slug);
    let stream = WatchStream::new(rx).filter_map(|s| {
        s.map(|s| {
            Ok::<_, std::convert::Infallible>(Event::default().event("tally").data(s.json.clone()))
        })
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}
