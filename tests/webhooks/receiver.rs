//! A webhook receiver the tests start on loopback: it records every request's headers and body,
//! answers as told (2xx, an error with a body, or never), and can
//! be taken down (connections refused) and brought back on the same port. Signatures are checked
//! with the Standard Webhooks reference library, not with our own code.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use tokio::sync::oneshot;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    pub fn kind(&self) -> String {
        self.json()["type"].as_str().unwrap().to_string()
    }

    /// Whether one of the signatures is the reference library's for `secret`.
    pub fn signed_with(&self, secret: &str) -> bool {
        let hook = standardwebhooks::Webhook::new(secret).unwrap();
        let expected = hook
            .sign(&self.id, self.timestamp, self.body.as_bytes())
            .unwrap();
        self.signature.split(' ').any(|s| s == expected)
    }
}

/// How the receiver answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ok,
    /// 500 with a short body.
    Fail,
    /// Reads the request and never answers.
    Hang,
}

#[derive(Clone)]
struct Shared {
    got: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
}

pub struct Receiver {
    pub addr: SocketAddr,
    shared: Shared,
    stop: Option<oneshot::Sender<()>>,
}

async fn take(
    State(s): State<Shared>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    s.got.lock().unwrap().push(Received {
        path: uri.path().to_string(),
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp").parse().unwrap_or(0),
        signature: h("webhook-signature"),
        body: String::from_utf8(body.to_vec()).unwrap(),
    });
    let mode = *s.mode.lock().unwrap();
    match mode {
        Mode::Ok => (StatusCode::NO_CONTENT, ""),
        Mode::Fail => (StatusCode::INTERNAL_SERVER_ERROR, "receiver says no"),
        Mode::Hang => std::future::pending().await,
    }
}

async fn serve(listener: tokio::net::TcpListener, shared: Shared) -> oneshot::Sender<()> {
    let app = Router::new()
        .route("/{*path}", post(take))
        .with_state(shared);
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    tx
}

impl Receiver {
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Shared {
            got: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Ok)),
        };
        let stop = Some(serve(listener, shared.clone()).await);
        Receiver { addr, shared, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    pub fn got(&self) -> Vec<Received> {
        self.shared.got.lock().unwrap().clone()
    }

    /// Stops listening: connections are refused until `up`.
    pub async fn down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Until the port refuses, the receiver is not down yet.
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(self.addr).await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the receiver did not go down");
    }

    /// Listens again on the same port.
    pub async fn up(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.stop = Some(serve(listener, self.shared.clone()).await);
    }
}

/// Waits (real time) until `check` holds, or fails naming `what`.
pub async fn until<F: FnMut() -> bool>(what: &str, mut check: F) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}
