//! The live tally: a cached snapshot per campaign, rebuilt at most about once a second after a
//! change, served as JSON with an ETag and pushed over server-sent events. Every subscriber of a
//! campaign shares one `watch` channel, so ten thousand open streams cost one rebuild per change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::Digest;

use tokio::sync::{Notify, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{IntervalStream, WatchStream};

use super::build::{Tally, build};
use super::store;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::ClientIp;

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

/// One build of a campaign's tally, encoded once for every request and stream that sends it.
pub struct Snapshot {
    pub tally: Tally,
    /// The JSON body, shared by every response (a reference-counted buffer, never copied).
    pub json: Bytes,
    pub etag: HeaderValue,
    /// The server-sent event carrying `json`, shared by every full stream.
    pub frame: Bytes,
    /// The server-sent event carrying the summary (totals, cases, countries): a few kB however
    /// many towns have written, for the site's own counters and crowds of viewers.
    pub summary_frame: Bytes,
}

impl Snapshot {
    /// The frame a stream of this view sends.
    pub fn frame_for(&self, view: View) -> &Bytes {
        match view {
            View::Full => &self.frame,
            View::Summary => &self.summary_frame,
        }
    }
}

/// What a tally stream carries (`?view=summary`, API-v1.md additions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The whole tally, as `GET …/tally`.
    #[default]
    Full,
    /// Only `campaign`, `updated_at`, `totals`, `by_case` and `by_country`.
    Summary,
}

/// The query of a stream request. Other parameters are ignored, as on every GET (a client may add
/// one to get past a cache).
#[derive(serde::Deserialize)]
pub(crate) struct StreamQuery {
    #[serde(default)]
    pub view: View,
}

/// The summary view of a tally: borrowed, serialised once per build.
#[derive(serde::Serialize)]
struct Summary<'a> {
    campaign: &'a str,
    updated_at: &'a str,
    totals: &'a super::build::Totals,
    by_case: &'a [super::build::ByCase],
    by_country: &'a [super::build::ByCountry],
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
    /// Campaign slug → id, filled on first use: a slug never changes, and the public tally
    /// routes then need no query at all.
    ids: Arc<Mutex<HashMap<String, i64>>>,
}

impl TallyHub {
    /// Starts the hub; on PostgreSQL it also listens for changes made by other processes.
    pub fn start(db: Db) -> TallyHub {
        let hub = TallyHub {
            db: db.clone(),
            channels: Arc::default(),
            ids: Arc::default(),
        };
        let heard = hub.clone();
        tokio::spawn(crate::db::listen(db, NOTIFY_CHANNEL, move |payload| {
            if let Ok(id) = payload.parse::<i64>() {
                heard.changed_here(id);
            }
        }));
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
        if let Err(err) = self
            .db
            .notify(NOTIFY_CHANNEL, &campaign_id.to_string())
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

    /// The id of the campaign with this slug (from memory after the first time).
    pub async fn campaign_id(&self, slug: &str) -> Result<Option<i64>> {
        if let Some(id) = self.ids.lock().unwrap_or_else(|e| e.into_inner()).get(slug) {
            return Ok(Some(*id));
        }
        let id = store::campaign_id(&self.db, slug).await?;
        if let Some(id) = id {
            let mut ids = self.ids.lock().unwrap_or_else(|e| e.into_inner());
            // Only real slugs are kept, so the map stays as small as the campaign list.
            ids.insert(slug.to_string(), id);
        }
        Ok(id)
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
    let tally = build(db, campaign_id, slug, Lang::FALLBACK).await?;
    // The ETag covers the numbers, not the time they were read.
    let mut stable = tally.clone();
    stable.updated_at = String::new();
    let etag = format!(
        "\"{}\"",
        hex::encode(&sha2::Sha256::digest(serde_json::to_vec(&stable).unwrap_or_default())[..12])
    );
    let json = serde_json::to_vec(&tally).unwrap_or_default();
    let summary = serde_json::to_vec(&Summary {
        campaign: &tally.campaign,
        updated_at: &tally.updated_at,
        totals: &tally.totals,
        by_case: &tally.by_case,
        by_country: &tally.by_country,
    })
    .unwrap_or_default();
    Ok(Snapshot {
        frame: sse_frame(&json),
        summary_frame: sse_frame(&summary),
        tally,
        json: Bytes::from(json),
        etag: HeaderValue::from_str(&etag).expect("hex in quotes is a header value"),
    })
}

/// A server-sent event `tally` carrying `json`. JSON has no raw newline, so the whole document
/// is one `data:` line.
fn sse_frame(json: &[u8]) -> Bytes {
    let mut frame = Vec::with_capacity(json.len() + 24);
    frame.extend_from_slice(b"event: tally\ndata: ");
    frame.extend_from_slice(json);
    frame.extend_from_slice(b"\n\n");
    Bytes::from(frame)
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

async fn campaign_id(state: &AppState, slug: &str) -> Result<i64> {
    state
        .tally()
        .campaign_id(slug)
        .await?
        .ok_or(Error::NotFound)
}

async fn tally_json(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let id = campaign_id(&state, &slug).await?;
    let snapshot = state.tally().snapshot(id, &slug).await?;
    let etag = snapshot.etag.as_bytes();
    let matches = headers.get(header::IF_NONE_MATCH).is_some_and(|v| {
        v.as_bytes()
            .split(|b| *b == b',')
            .any(|t| t.trim_ascii() == etag)
    });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Body::from(snapshot.json.clone()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, snapshot.etag.clone());
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

/// Every change of the tally as one server-sent event, and a comment line every 15 s so that
/// proxies keep an idle stream open. The frames are the snapshot's own bytes: ten thousand
/// streams share one buffer per change instead of holding a copy each.
async fn tally_stream(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(slug): Path<String>,
    Query(query): Query<StreamQuery>,
) -> Result<Response> {
    let view = query.view;
    let id = campaign_id(&state, &slug).await?;
    // Held by the body: the place is given back when the stream ends.
    let slot = state.tally_streams.open(client).ok_or(Error::RateLimited {
        retry_after_secs: STREAMS_RETRY_AFTER_SECS,
    })?;
    let rx = state.tally().subscribe(id, &slug);
    let frames = WatchStream::new(rx).filter_map(move |s| s.map(|s| s.frame_for(view).clone()));
    let start = tokio::time::Instant::now() + KEEP_ALIVE;
    let keep_alive = IntervalStream::new(tokio::time::interval_at(start, KEEP_ALIVE))
        .map(|_| Bytes::from_static(b":\n\n"));
    // Ends when the process stops (after its grace): a stream served on a reused connection would
    // otherwise hold the process open until its client left.
    let stopping = WatchStream::new(state.stopping.subscribe())
        .filter(|stopping| *stopping)
        .map(|_| None);
    let stream = frames
        .merge(keep_alive)
        .map(Some)
        .merge(stopping)
        .map_while(|frame| frame)
        .map(move |frame| {
            let _held = &slot;
            Ok::<_, std::convert::Infallible>(frame)
        });
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

pub(crate) const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A client with all its streams open may try again after this (a stream has no window that
/// ends; one of its own has to close).
pub(crate) const STREAMS_RETRY_AFTER_SECS: u64 = 30;
