//! Connections: how many the server holds and how long a client may take over a request head
//! (how many tally streams one client may keep open: `state::streams`).
//!
//! A slow client costs a socket and a task for as long as it is let be: one that sends its
//! request a byte at a time, or nothing at all, could otherwise hold a connection for ever, and
//! enough of them every connection the process can open. So hyper gets a timer (without one it
//! enforces no header timeout at all), and accepting waits while `--max-connections` are open.

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tower::Service;

/// An accepted connection, with its place under the cap (given back when it is dropped).
pub struct Conn {
    pub socket: TcpStream,
    pub peer: SocketAddr,
    _place: OwnedSemaphorePermit,
}

/// The next connection, once one of the `places` is free; `None` once `stop` turns true.
pub async fn accept(
    tcp: &mut TcpListener,
    places: &Arc<Semaphore>,
    stop: &mut watch::Receiver<bool>,
) -> Option<Conn> {
    // While every place is taken, new connections wait in the listen queue.
    let place = tokio::select! {
        p = places.clone().acquire_owned() => p.ok()?,
        _ = stop.wait_for(|s| *s) => return None,
    };
    let (socket, peer) = tokio::select! {
        // axum's accept: retries on errors such as too many open files.
        c = axum::serve::Listener::accept(tcp) => c,
        _ = stop.wait_for(|s| *s) => return None,
    };
    Some(Conn {
        socket,
        peer,
        _place: place,
    })
}

/// Every connection of `tcp` for `serve_http`, at most `places` at once, until `stop`.
pub fn accept_all(
    mut tcp: TcpListener,
    places: usize,
    mut stop: watch::Receiver<bool>,
) -> mpsc::Receiver<Conn> {
    let (to_http, conns) = mpsc::channel(64);
    let places = Arc::new(Semaphore::new(places));
    tokio::spawn(async move {
        while let Some(conn) = accept(&mut tcp, &places, &mut stop).await {
            if to_http.send(conn).await.is_err() {
                return;
            }
        }
    });
    conns
}

/// Serves HTTP/1.1 with `router` on every connection received, until `stop`; then lets each
/// connection finish the request it is answering, and returns when all have.
pub async fn serve_http(
    mut conns: mpsc::Receiver<Conn>,
    router: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    // Each connection's task holds a receiver; `closed` resolves once every task has ended.
    let (all_done, done) = watch::channel(());
    loop {
        let conn = tokio::select! {
            c = conns.recv() => match c {
                Some(c) => c,
                None => break,
            },
            _ = stop.wait_for(|s| *s) => break,
        };
        tokio::spawn(serve_one(
            conn,
            router.clone(),
            header_timeout,
            stop.clone(),
            done.clone(),
        ));
    }
    drop(conns);
    drop(done);
    all_done.closed().await;
}

async fn serve_one(
    conn: Conn,
    router: Router,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
    _done: watch::Receiver<()>,
) {
    let Conn {
        socket,
        peer,
        _place,
    } = conn;
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        // What `ClientIp` and axum's `ConnectInfo` read.
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(request)
    });
    let mut builder = http1::Builder::new();
    // The timeout also covers the wait for the next request on a kept-alive connection.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let mut connection = pin!(builder.serve_connection(TokioIo::new(socket), service));
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = stop.wait_for(|s| *s), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}
