//! Tally streams served straight from the socket, beside the HTTP server.
//!
//! Ten thousand open streams through hyper cost ≈ 25 kB each: every HTTP/1 connection keeps an
//! 8 kB read buffer and an 8 kB write buffer for its whole life (not configurable), and the
//! middleware stack's state besides. A stream needs none of it: after its request, the server
//! only writes the shared frames of `live`. So the listener peeks at each new connection's first
//! request; a complete `GET /api/v1/campaigns/{slug}/tally/stream` (no query, or `?view=summary`)
//! of a known campaign is answered here (a fixed head with the headers every answer carries, then the frames; ≈ 2 kB per
//! stream), and every other connection goes to the HTTP server untouched, peeked bytes included.
//! A stream asked for on a connection already in use by other requests is served by the
//! HTTP server's route as before.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};

use super::live::View;
use crate::state::AppState;
use crate::state::StreamSlot;
use crate::web::conn::Conn;

/// How long a new connection may take to send its first bytes before it is handed to the HTTP
/// server anyway (which then applies its own rules).
const FIRST_BYTES: Duration = Duration::from_secs(5);
/// A request head longer than this is not a stream request of ours.
const MAX_HEAD: usize = 2048;
const ROUTE: &str = "/api/v1/campaigns/{campaign}/tally/stream";

/// Starts accepting on `tcp`, at most `max_connections` open at once (streams answered here
/// included); every connection that is not a tally stream comes out of the returned channel, for
/// `web::conn::serve_http`. Stops (and ends its streams) when `stop` turns true.
pub fn start(
    tcp: TcpListener,
    state: AppState,
    max_connections: usize,
    stop: watch::Receiver<bool>,
) -> mpsc::Receiver<Conn> {
    let (to_http, connections) = mpsc::channel(1024);
    let places = std::sync::Arc::new(Semaphore::new(max_connections));
    tokio::spawn(accept(tcp, places, state, to_http, stop));
    connections
}

async fn accept(
    mut tcp: TcpListener,
    places: std::sync::Arc<Semaphore>,
    state: AppState,
    to_http: mpsc::Sender<Conn>,
    mut stop: watch::Receiver<bool>,
) {
    while let Some(conn) = crate::web::conn::accept(&mut tcp, &places, &mut stop).await {
        // Peeking waits for the client: never in this loop.
        let (state, to_http, stop) = (state.clone(), to_http.clone(), stop.clone());
        tokio::spawn(async move {
            match stream_request(&conn.socket, conn.peer, &state).await {
                Some(request) => serve(conn, request, state, stop).await,
                None => {
                    let _ = to_http.send(conn).await;
                }
            }
        });
    }
}

/// A tally stream request of a known campaign, and its client's place if it has one left.
struct StreamRequest {
    head_len: usize,
    campaign: i64,
    slug: String,
    view: View,
    slot: Option<StreamSlot>,
}

/// If the connection's first request is a complete tally stream request for a known campaign.
async fn stream_request(
    socket: &TcpStream,
    peer: SocketAddr,
    state: &AppState,
) -> Option<StreamRequest> {
    let mut buf = [0u8; MAX_HEAD];
    let n = tokio::time::timeout(FIRST_BYTES, socket.peek(&mut buf))
        .await
        .ok()?
        .ok()?;
    let Parsed {
        head_len,
        slug,
        view,
        headers,
    } = parse(&buf[..n])?;
    let campaign = state.tally().campaign_id(&slug).await.ok()??;
    let client = crate::web::client_ip::from_headers(&state.settings, peer.ip(), &headers);
    let slot = state.tally_streams.open(client);
    Some(StreamRequest {
        head_len,
        campaign,
        slug,
        view,
        slot,
    })
}

/// What a stream request's head says.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub head_len: usize,
    pub slug: String,
    pub view: View,
    pub headers: HeaderMap,
}

/// A complete `GET /api/v1/campaigns/{slug}/tally/stream HTTP/1.x` head, with no query or exactly
/// `?view=summary` or `?view=full` (any other query is the route's to judge).
pub(crate) fn parse(bytes: &[u8]) -> Option<Parsed> {
    let mut fields = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut fields);
    let httparse::Status::Complete(end) = request.parse(bytes).ok()? else {
        return None;
    };
    if request.method? != "GET" {
        return None;
    }
    let (path, view) = match request.path?.split_once('?') {
        None => (request.path?, View::Full),
        Some((path, "view=summary")) => (path, View::Summary),
        Some((path, "view=full")) => (path, View::Full),
        Some(_) => return None,
    };
    let slug = path
        .strip_prefix("/api/v1/campaigns/")?
        .strip_suffix("/tally/stream")?;
    let plain = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !plain {
        return None;
    }
    let mut headers = HeaderMap::new();
    for field in request.headers.iter() {
        let name = axum::http::HeaderName::from_bytes(field.name.as_bytes()).ok()?;
        // A body would end a stream served here at its first byte, and the HTTP server refuses
        // a malformed length: such requests are its own.
        if name == axum::http::header::CONTENT_LENGTH
            || name == axum::http::header::TRANSFER_ENCODING
        {
            return None;
        }
        let value = axum::http::HeaderValue::from_bytes(field.value).ok()?;
        headers.append(name, value);
    }
    Some(Parsed {
        head_len: end,
        slug: slug.to_string(),
        view,
        headers,
    })
}

/// The head of a stream: what the HTTP route answers.
const STREAM: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\
     access-control-allow-origin: *\r\nx-accel-buffering: no\r\nconnection: close\r\n";

/// `status_and_fields`, then the headers every answer carries, then the end of the head.
fn head(state: &AppState, status_and_fields: &str, request_id: &str) -> String {
    let mut h = String::from(status_and_fields);
    for (name, value) in crate::web::security::defaults(&state.settings) {
        h.push_str(name.as_str());
        h.push_str(": ");
        h.push_str(value);
        h.push_str("\r\n");
    }
    h.push_str("x-request-id: ");
    h.push_str(request_id);
    h.push_str("\r\n\r\n");
    h
}

/// What the HTTP route answers a client that has all its streams open: a problem+json 429.
fn too_many(state: &AppState, request_id: &str) -> String {
    let title = crate::i18n::Tr::new(Default::default()).t("error-rate-limited");
    let body =
        serde_json::json!({"type": "about:blank", "title": title, "status": 429}).to_string();
    let fields = format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/problem+json\r\n\
         retry-after: {}\r\ncontent-length: {}\r\nconnection: close\r\n",
        super::live::STREAMS_RETRY_AFTER_SECS,
        body.len()
    );
    head(state, &fields, request_id) + &body
}

async fn serve(
    mut conn: Conn,
    request: StreamRequest,
    state: AppState,
    mut stop: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let request_id = hex::encode(rand::random::<[u8; 8]>());
    let socket = &mut conn.socket;
    // The request was only peeked at: take it off the socket.
    let mut head_bytes = vec![0u8; request.head_len];
    if socket.read_exact(&mut head_bytes).await.is_err() {
        return;
    }
    drop(head_bytes);
    let _ = socket.set_nodelay(true);
    tracing::debug!(route = ROUTE, request_id, "tally stream");
    // Held until the stream ends.
    let Some(_slot) = request.slot else {
        state.metrics.record("GET", ROUTE, 429, started.elapsed());
        let _ = socket
            .write_all(too_many(&state, &request_id).as_bytes())
            .await;
        let _ = socket.shutdown().await;
        return;
    };
    state.metrics.record("GET", ROUTE, 200, started.elapsed());
    if socket
        .write_all(head(&state, STREAM, &request_id).as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let mut snapshots = state.tally().subscribe(request.campaign, &request.slug);
    drop(request.slug);
    let view = request.view;
    let mut keep_alive = tokio::time::interval_at(
        tokio::time::Instant::now() + super::live::KEEP_ALIVE,
        super::live::KEEP_ALIVE,
    );
    let (mut read, mut write) = socket.split();
    let mut byte = [0u8; 1];
    // The current tally first, then each change.
    let mut frame = snapshots
        .borrow_and_update()
        .as_ref()
        .map(|s| s.frame_for(view).clone());
    loop {
        if let Some(f) = frame.take()
            && write.write_all(&f).await.is_err()
        {
            return;
        }
        frame = tokio::select! {
            changed = snapshots.changed() => match changed {
                Ok(()) => snapshots.borrow_and_update().as_ref().map(|s| s.frame_for(view).clone()),
                Err(_) => return,
            },
            _ = keep_alive.tick() => Some(Bytes::from_static(b":\n\n")),
            // The client closed the connection (or sent more: a stream takes no more requests).
            _ = read.read(&mut byte) => return,
            _ = stop.wait_for(|s| *s) => return,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::{View, parse};

    #[test]
    fn only_complete_plain_stream_requests() {
        let ok = b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\nhost: x\r\n\
                   X-Forwarded-For: 198.51.100.1\r\nx-forwarded-for: 203.0.113.9\r\n\r\n";
        let parsed = parse(ok).unwrap();
        assert_eq!(
            (parsed.head_len, parsed.slug.as_str(), parsed.view),
            (ok.len(), "w4r-2026", View::Full)
        );
        let forwarded: Vec<_> = parsed.headers.get_all("x-forwarded-for").iter().collect();
        assert_eq!(forwarded, ["198.51.100.1", "203.0.113.9"]);
        for (query, view) in [("?view=summary", View::Summary), ("?view=full", View::Full)] {
            let head =
                format!("GET /api/v1/campaigns/w4r-2026/tally/stream{query} HTTP/1.1\r\n\r\n");
            let parsed = parse(head.as_bytes()).unwrap();
            assert_eq!((parsed.slug.as_str(), parsed.view), ("w4r-2026", view));
        }
        for other in [
            &b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\nhost: x\r\n"[..],
            b"GET /api/v1/campaigns/w4r-2026/tally/stream?x=1 HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally/stream?view=summary&x=1 HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally/stream?view=Summary HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally/stream?view=summary?view=summary HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally HTTP/1.1\r\n\r\n",
            b"POST /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/W%20x/tally/stream HTTP/1.1\r\n\r\n",
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            // A body (here a length the HTTP server refuses with a 400) is the HTTP server's.
            b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\ncontent-length: x\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        ] {
            assert!(parse(other).is_none(), "{}", String::from_utf8_lossy(other));
        }
    }
}
