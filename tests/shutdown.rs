//! Stopping a node without losing a request: on SIGTERM `/readyz` answers 503 at once while the
//! node goes on serving for `--shutdown-grace`, so a load balancer stops sending to it before it
//! stops taking requests; then the listener closes and the process exits cleanly.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::server::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_node_is_unready_first_and_keeps_serving_through_its_grace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    common::template::copy_sqlite(&path).await;
    let url = format!("sqlite://{}", path.display());
    let (url_owned, dir_owned) = (url.clone(), dir.path().to_path_buf());
    let mut server = tokio::task::spawn_blocking(move || {
        Server::start_with(&url_owned, &dir_owned, &["--shutdown-grace", "3"])
    })
    .await
    .unwrap();
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", server.base)).send();
    assert_eq!(get("/readyz").await.unwrap().status(), 200);

    let told = Instant::now();
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    // Unready within moments of the signal...
    let mut unready = false;
    while told.elapsed() < Duration::from_secs(2) {
        if get("/readyz").await.unwrap().status() == 503 {
            unready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(unready, "/readyz still said ready after SIGTERM");
    // ...while every other request is still served.
    let campaigns = get("/api/v1/campaigns").await.unwrap();
    assert_eq!(campaigns.status(), 200);
    assert!(told.elapsed() < Duration::from_secs(3));

    let status = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        told.elapsed() >= Duration::from_secs(3),
        "the node stopped before its grace was over"
    );
}

/// A tally stream served by the router (asked for on a kept-alive connection, as nginx's upstream
/// connections do) ends when the grace does: it never ends by itself, and a stop that waited for
/// it would outlast systemd's `TimeoutStopSec` and end in SIGKILL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_a_reused_connection_ends_when_the_grace_does() {
    use futures::StreamExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    common::template::copy_sqlite(&path).await;
    let url = format!("sqlite://{}", path.display());
    let (url_owned, dir_owned) = (url.clone(), dir.path().to_path_buf());
    let mut server = tokio::task::spawn_blocking(move || {
        Server::start_with(&url_owned, &dir_owned, &["--shutdown-grace", "2"])
    })
    .await
    .unwrap();
    // One client, one connection: the stream is its second request.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let campaigns: serde_json::Value = client
        .get(format!("{}/api/v1/campaigns", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = campaigns[0]["slug"].as_str().unwrap().to_string();
    let mut stream = client
        .get(format!(
            "{}/api/v1/campaigns/{slug}/tally/stream",
            server.base
        ))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    let first = stream.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));

    let told = Instant::now();
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(8), async {
        while let Some(chunk) = stream.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream was still open 8 s after SIGTERM");
    let status = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        told.elapsed() < Duration::from_secs(8),
        "the node took {:?} to stop",
        told.elapsed()
    );
}
