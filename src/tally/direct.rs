//! Tally streams served straight from the socket, beside the HTTP server.
//!
//! Ten thousand open streams through hyper cost ≈ 25 kB each: every HTTP/1 connection keeps an
//! 8 kB read buffer and an 8 kB write buffer for its whole life (not configurable), and the
//! middleware stack's state besides. A stream needs none of it: after its request, the server
//! only writes the shared frames of `live`. So the listener peeks at each new connection's first
//! request; a complete `GET /api/v1/campaigns/{slug}/tally/stream` of a known campaign is answered
//! here (a fixed head with the headers every answer carries, then the frames; ≈ 2 kB per
//! stream), and every other connection goes to the HTTP server untouched, peeked bytes included.
//! A stream asked for on a connection already in use by other requests is served by the
//! HTTP server's route as before.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use crate::app::AppState;

/// How long a new connection may take to send its first bytes before it is handed to the HTTP
/// server anyway (which then applies its own rules).
const FIRST_BYTES: Duration = Duration::from_secs(5);
/// A request head longer than this is not a stream request of ours.
const MAX_HEAD: usize = 2048;
const ROUTE: &str = "/api/v1/campaigns/{campaign}/tally/stream";

/// The listener `axum::serve` takes: connections that are not tally streams.
pub struct Listener {
    connections: mpsc::Receiver<(TcpStream, SocketAddr)>,
    local: SocketAddr,
}

impl Listener {
    /// Starts accepting on `tcp`; stops (and ends its streams) when `stop` turns true.
    pub fn start(
        tcp: TcpListener,
        state: AppState,
        stop: watch::Receiver<bool>,
    ) -> io::Result<Self> {
        let local = tcp.local_addr()?;
        let (to_http, connections) = mpsc::channel(1024);
        tokio::spawn(accept(tcp, state, to_http, stop));
        Ok(Listener { connections, local })
    }
}

impl axum::serve::Listener for Listener {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        match self.connections.recv().await {
            Some(connection) => connection,
            // Stopped: the server is shutting down and accepts nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

async fn accept(
    mut tcp: TcpListener,
    state: AppState,
    to_http: mpsc::Sender<(TcpStream, SocketAddr)>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (socket, addr) = tokio::select! {
            // axum's accept: retries on errors such as too many open files.
            c = axum::serve::Listener::accept(&mut tcp) => c,
            _ = stop.wait_for(|s| *s) => return,
        };
        // Peeking waits for the client: never in this loop.
        let (state, to_http, stop) = (state.clone(), to_http.clone(), stop.clone());
        tokio::spawn(async move {
            match stream_request(&socket, &state).await {
                Some((head_len, campaign, slug)) => {
                    serve(socket, head_len, state, campaign, slug, stop).await
                }
                None => {
                    let _ = to_http.send((socket, addr)).await;
                }
            }
        });
    }
}

/// If the connection's first request is a complete tally stream request for a known campaign:
/// the length of its head, the campaign's id and slug.
async fn stream_request(socket: &TcpStream, state: &AppState) -> Option<(usize, i64, String)> {
    let mut buf = [0u8; MAX_HEAD];
    let n = tokio::time::timeout(FIRST_BYTES, socket.peek(&mut buf))
        .await
        .ok()?
        .ok()?;
    let (head_len, slug) = parse(&buf[..n])?;
    let campaign = state.tally.campaign_id(&slug).await.ok()??;
    Some((head_len, campaign, slug))
}

/// A complete `GET /api/v1/campaigns/{slug}/tally/stream HTTP/1.x` head, no query: its length
/// and the slug.
fn parse(bytes: &[u8]) -> Option<(usize, String)> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let line = head.split("\r\n").next()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if method != "GET" || !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return None;
    }
    let slug = target
        .strip_prefix("/api/v1/campaigns/")?
        .strip_suffix("/tally/stream")?;
    let plain = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    plain.then(|| (end, slug.to_string()))
}

/// The response head: what the HTTP route answers, with the headers every answer carries.
fn head(state: &AppState, request_id: &str) -> String {
    let mut h = String::from(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\
         access-control-allow-origin: *\r\nx-accel-buffering: no\r\nconnection: close\r\n",
    );
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

async fn serve(
    mut socket: TcpStream,
    head_len: usize,
    state: AppState,
    campaign: i64,
    slug: String,
    mut stop: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let request_id = hex::encode(rand::random::<[u8; 8]>());
    // The request was only peeked at: take it off the socket.
    let mut request = vec![0u8; head_len];
    if socket.read_exact(&mut request).await.is_err() {
        return;
    }
    drop(request);
    let _ = socket.set_nodelay(true);
    tracing::debug!(route = ROUTE, request_id, "tally stream");
    state.metrics.record("GET", ROUTE, 200, started.elapsed());
    if socket
        .write_all(head(&state, &request_id).as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let mut snapshots = state.tally.subscribe(campaign, &slug);
    drop(slug);
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
        .map(|s| s.frame.clone());
    loop {
        if let Some(f) = frame.take()
            && write.write_all(&f).await.is_err()
        {
            return;
        }
        frame = tokio::select! {
            changed = snapshots.changed() => match changed {
                Ok(()) => snapshots.borrow_and_update().as_ref().map(|s| s.frame.clone()),
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
    use super::parse;

    #[test]
    fn only_complete_plain_stream_requests() {
        let ok = b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\nhost: x\r\n\r\n";
        assert_eq!(parse(ok), Some((ok.len(), "w4r-2026".to_string())));
        for other in [
            &b"GET /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\nhost: x\r\n"[..],
            b"GET /api/v1/campaigns/w4r-2026/tally/stream?x=1 HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/w4r-2026/tally HTTP/1.1\r\n\r\n",
            b"POST /api/v1/campaigns/w4r-2026/tally/stream HTTP/1.1\r\n\r\n",
            b"GET /api/v1/campaigns/W%20x/tally/stream HTTP/1.1\r\n\r\n",
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        ] {
            assert_eq!(parse(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
