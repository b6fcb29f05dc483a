//! The same story against a real S3 server (s3s-fs, on loopback, checking signatures), and a
//! store that fails: 503, no row, nothing left.

use crate::story;
use std::net::SocketAddr;

use crate::images::{self, assert_bare};
use crate::{common, scene, upload};
use serde_json::Value;
use writeathon::config::photos::StoreUrl;
use writeathon::photos::PhotoStore;

const ACCESS_KEY: &str = "writeathon-test";
const SECRET_KEY: &str = "a-secret-only-this-test-knows";

/// Starts an S3 server on loopback over a fresh folder with one bucket, `photos`; it runs as long
/// as the test's runtime. Returns its address and the folder.
async fn s3_server() -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("photos")).unwrap();
    let fs = s3s_fs::FileSystem::new(dir.path()).unwrap();
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let service = service.clone();
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, dir)
}

fn url(addr: SocketAddr, secret: &str) -> StoreUrl {
    StoreUrl::parse(&format!(
        "s3://photos?endpoint=http://{addr}&region=us-east-1&access_key_id={ACCESS_KEY}&secret_access_key={secret}"
    ))
    .unwrap()
}

async fn run(backend: writeathon::db::Backend) {
    let (addr, dir) = s3_server().await;
    let store_url = url(addr, SECRET_KEY);
    let configured = store_url.clone();
    let app = match backend {
        writeathon::db::Backend::Sqlite => {
            common::TestApp::spawn_with(backend, move |s| s.photos.store = configured).await
        }
        writeathon::db::Backend::Postgres => {
            match common::TestApp::spawn_postgres_with(move |s| s.photos.store = configured).await {
                Some(app) => app,
                None => return,
            }
        }
    };
    let s = scene(&app).await;
    let r = upload(
        &app,
        &s.host,
        s.event,
        "gps.jpg",
        &images::jpeg_with_metadata(800, 500, 6),
        "S3",
        false,
    )
    .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // The objects are in the bucket, bare; a wrong secret is refused by the server.
    let store = PhotoStore::open(&store_url).unwrap();
    let keys = store.keys().await.unwrap();
    assert_eq!(keys.len(), 4, "{keys:?}");
    for key in &keys {
        assert_bare(&store.get(key).await.unwrap().unwrap());
    }
    let forged = PhotoStore::open(&url(addr, "not-the-secret")).unwrap();
    assert!(forged.keys().await.is_err());
    let on_disk = walk(dir.path());
    assert!(
        on_disk
            .iter()
            .filter(|p| p.contains("/photos/photos/"))
            .count()
            >= 4,
        "{on_disk:?}"
    );

    // Served through the app after approval.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/photos/{id}/approve")))
        .bearer_auth(&s.staff)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let gallery: Value = app
        .get(&format!("/api/v1/campaigns/{}/photos", app.current_slug()))
        .await
        .json()
        .await
        .unwrap();
    let large = gallery["photos"][0]["urls"]["large"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = app.get(&large).await.bytes().await.unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (500, 800));

    // Deleting removes every size from the bucket.
    let r = reqwest::Client::new()
        .delete(app.url(&format!("/api/v1/photos/{id}")))
        .bearer_auth(&s.host)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(store.keys().await.unwrap().is_empty());
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_go_to_a_real_s3_server_sqlite() {
    run(writeathon::db::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_go_to_a_real_s3_server_postgres() {
    run(writeathon::db::Backend::Postgres).await;
}

story!(
    a_failing_store_answers_503_and_keeps_nothing,
    |s| {
        // Nothing listens on port 9 of loopback: every request to the store fails at once.
        s.photos.store = StoreUrl::parse(
            "s3://photos?endpoint=http://127.0.0.1:9&access_key_id=a&secret_access_key=b",
        )
        .unwrap();
    },
    |app| {
        let s = scene(&app).await;
        let r = upload(
            &app,
            &s.host,
            s.event,
            "a.jpg",
            &images::plain_jpeg(40, 40),
            "",
            false,
        )
        .await;
        let (status, _, body) = common::problem(r).await;
        assert_eq!(status, 503, "{body}");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("Nothing was kept")
        );
        assert_eq!(app.count("photos").await, 0);
    }
);
