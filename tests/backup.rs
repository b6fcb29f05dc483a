//! Backup and restore: a snapshot taken while reports come in restores into an empty SQLite and
//! an empty PostgreSQL with every row and a tally that matches its reports; SQLite → archive →
//! PostgreSQL → archive → SQLite keeps every table's contents; a damaged or newer archive, or a
//! database that is not empty, is refused and the target is left as it was.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use common::TestApp;
use common::template::EmptyPostgres;
use serde_json::{Value, json};
use writeathon::accounts::Role;
use writeathon::backup::{self, Manifest, Media};
use writeathon::db::Db;

/// An empty database of its own, dropped (on PostgreSQL) when the guard goes.
struct Empty {
    db: Db,
    url: String,
    /// Declared after the pool, so it is dropped after it.
    _pg: Option<EmptyPostgres>,
}

impl Empty {
    async fn sqlite(dir: &Path, name: &str) -> Empty {
        let url = format!("sqlite://{}", dir.join(name).display());
        let db = Db::connect(&url).await.unwrap();
        Empty { db, url, _pg: None }
    }

    async fn postgres() -> Option<Empty> {
        let pg = EmptyPostgres::create("restore").await?;
        let db = Db::connect(&pg.url).await.unwrap();
        Some(Empty {
            db,
            url: pg.url.clone(),
            _pg: Some(pg),
        })
    }
}

fn as_listed(manifest: &Manifest) -> Vec<(String, u64, String)> {
    let mut tables: Vec<_> = manifest
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.rows, t.content.clone()))
        .collect();
    tables.sort();
    tables
}

async fn checksums(db: &Db) -> Vec<(String, u64, String)> {
    let mut tables = backup::checksums(db).await.unwrap();
    tables.sort();
    tables
}

fn rows_of(manifest: &Manifest, table: &str) -> u64 {
    manifest
        .tables
        .iter()
        .find(|t| t.name == table)
        .unwrap()
        .rows
}

/// Restores `archive` into `target` and checks it holds exactly the archive's rows, its tally
/// matching its reports.
async fn restore_into(target: &Empty, archive: &Path, manifest: &Manifest) {
    let restored = backup::restore(&target.db, archive, false, None)
        .await
        .unwrap();
    assert_eq!(
        restored.drift, 0,
        "the tally did not match the archived reports"
    );
    assert_eq!(
        restored.rows,
        manifest.tables.iter().map(|t| t.rows).sum::<u64>()
    );
    assert_eq!(
        checksums(&target.db).await,
        as_listed(manifest),
        "{}",
        target.url
    );
    let drift = writeathon::reports::reconcile::reconcile(&target.db, None)
        .await
        .unwrap();
    assert!(drift.is_empty(), "{drift:?}");
}

async fn reporting_event(app: &TestApp, token: &str) -> (i64, Vec<String>) {
    let slug = app.current_slug();
    let now = app.now();
    let body = json!({"title": "Letters at the library", "kind": "community_centre", "visibility": "public",
        "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (now + chrono::Duration::hours(2)).to_rfc3339(),
        "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "5 Spring Garden Road", "venue_name": "Library"});
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/campaigns/{slug}/events")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let event = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let cases: Value = app
        .get(&format!("/api/v1/campaigns/{slug}/cases"))
        .await
        .json()
        .await
        .unwrap();
    let cases = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect();
    (event, cases)
}

story!(
    a_backup_taken_while_reports_arrive_restores_into_either_backend,
    |app| {
        let token = app.token_for("backup-host@example.org", Role::Host).await;
        let (event, cases) = reporting_event(&app, &token).await;
        let before = app.count("reports").await as u64;
        let accepted = Arc::new(AtomicU64::new(0));
        let mut senders = Vec::new();
        for sender in 0..4 {
            let (url, token, cases, accepted) = (
                app.url(&format!("/api/v1/events/{event}/reports")),
                token.clone(),
                cases.clone(),
                accepted.clone(),
            );
            senders.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0..40usize {
                let case = &cases[(sender + i) % cases.len()];
                let body = json!({"participants": 2, "items": [{"case": case, "letters": 1 + i % 5, "solidarity": i % 2}]});
                let r = client.post(&url).bearer_auth(&token).json(&body).send().await.unwrap();
                assert_eq!(r.status(), 201);
                accepted.fetch_add(1, Ordering::SeqCst);
            }
        }));
        }
        // Into the stream of reports: some are in before the snapshot, some arrive during and after.
        while accepted.load(Ordering::SeqCst) < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("writeathon.backup");
        let acknowledged = accepted.load(Ordering::SeqCst);
        let manifest = backup::backup(&app.db, &archive, Media::Skip)
            .await
            .unwrap();
        for s in senders {
            s.await.unwrap();
        }
        let archived = rows_of(&manifest, "reports");
        assert!(
            archived >= before + acknowledged && archived <= before + 160,
            "{archived} reports archived; {before} before, {acknowledged} acknowledged when it began"
        );
        assert!(!dir.path().join("writeathon.partial").exists());
        assert_eq!(
            backup::verify(&archive).unwrap().tables.len(),
            manifest.tables.len()
        );

        let sqlite = Empty::sqlite(dir.path(), "restored.db").await;
        restore_into(&sqlite, &archive, &manifest).await;
        let Some(postgres) = Empty::postgres().await else {
            return;
        };
        restore_into(&postgres, &archive, &manifest).await;

        // And back: the PostgreSQL copy's own archive restores into SQLite with the same contents.
        let again = dir.path().join("from-postgres.backup");
        let second = backup::backup(&postgres.db, &again, Media::Skip)
            .await
            .unwrap();
        assert_eq!(as_listed(&second), as_listed(&manifest));
        let back = Empty::sqlite(dir.path(), "round-trip.db").await;
        restore_into(&back, &again, &second).await;
    }
);

/// Writes `archive` again with its manifest changed by `edit`.
fn rewrite_manifest(archive: &Path, to: &Path, edit: impl Fn(&mut Value)) {
    let file = std::fs::File::open(archive).unwrap();
    let mut input = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let out = flate2::write::GzEncoder::new(
        std::fs::File::create(to).unwrap(),
        flate2::Compression::fast(),
    );
    let mut output = tar::Builder::new(out);
    for entry in input.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if path == "manifest.json" {
            let mut manifest: Value = serde_json::from_slice(&bytes).unwrap();
            edit(&mut manifest);
            bytes = serde_json::to_vec(&manifest).unwrap();
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        output.append_data(&mut header, path, &bytes[..]).unwrap();
    }
    output.into_inner().unwrap().finish().unwrap();
}

story!(
    a_damaged_or_newer_archive_and_a_used_database_are_refused,
    |app| {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("good.backup");
        let manifest = backup::backup(&app.db, &archive, Media::Skip)
            .await
            .unwrap();
        let bytes = std::fs::read(&archive).unwrap();

        let truncated = dir.path().join("truncated.backup");
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
        let corrupt = dir.path().join("corrupt.backup");
        let mut flipped = bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        std::fs::write(&corrupt, &flipped).unwrap();
        let not_ours = dir.path().join("notes.txt");
        std::fs::File::create(&not_ours)
            .unwrap()
            .write_all(b"shopping list")
            .unwrap();
        let newer = dir.path().join("newer.backup");
        rewrite_manifest(&archive, &newer, |m| {
            m["schema_version"] = json!(99_999_999)
        });
        let lying = dir.path().join("lying.backup");
        rewrite_manifest(&archive, &lying, |m| {
            let reports = m["tables"].as_array_mut().unwrap();
            let t = reports.iter_mut().find(|t| t["name"] == "reports").unwrap();
            t["rows"] = json!(t["rows"].as_u64().unwrap() + 1);
        });

        let target = Empty::sqlite(dir.path(), "target.db").await;
        for (file, says) in [
            (&truncated, "damaged"),
            (&corrupt, "damaged"),
            (&not_ours, "not a Writeathon backup"),
            (&newer, "newer than this Writeathon"),
            (&lying, "damaged"),
        ] {
            let err = backup::restore(&target.db, file, false, None)
                .await
                .unwrap_err();
            let message = format!("{err:#}");
            assert!(message.contains(says), "{}: {message}", file.display());
            // Refused before the database was touched: not even a schema.
            assert_eq!(
                target.db.schema_version().await.unwrap(),
                0,
                "{}",
                file.display()
            );
        }

        // The app's own database is not empty: refused, and left exactly as it was.
        let before = checksums(&app.db).await;
        let err = backup::restore(&app.db, &archive, false, None)
            .await
            .unwrap_err();
        assert!(format!("{err:#}").contains("not empty"), "{err:#}");
        assert_eq!(checksums(&app.db).await, before);

        // With --force a used database is replaced by the archive's contents.
        let used = Empty::sqlite(dir.path(), "used.db").await;
        backup::restore(&used.db, &archive, false, None)
            .await
            .unwrap();
        app.add_account("later@example.org", Role::Host, None).await;
        let newer_archive = dir.path().join("newer-rows.backup");
        let later = backup::backup(&app.db, &newer_archive, Media::Skip)
            .await
            .unwrap();
        assert_ne!(as_listed(&later), as_listed(&manifest));
        backup::restore(&used.db, &newer_archive, true, None)
            .await
            .unwrap();
        assert_eq!(checksums(&used.db).await, as_listed(&later));
    }
);

/// What an operator types: `writeathon backup` on the app's database while it serves, then
/// `writeathon restore` into a new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commands_back_up_and_restore() {
    let app = TestApp::spawn(writeathon::db::Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("nightly.backup");
    let target = format!("sqlite://{}", dir.path().join("copy.db").display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_writeathon"))
            .env("WRITEATHON_CLOCK_START", common::TODAY)
            .env_remove("WRITEATHON_DATABASE_URL")
            .args(args)
            .output()
            .unwrap()
    };
    let archive_arg = archive.to_str().unwrap();
    let out = run(&["backup", "--to", archive_arg, "--database-url", &app.url]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("backup written to"), "{said}");
    let out = run(&["restore", "--from", archive_arg, "--database-url", &target]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("the tally matches the reports"), "{said}");
    // Again into the same, now used, database: refused with the way out named.
    let out = run(&["restore", "--from", archive_arg, "--database-url", &target]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success());
    assert!(said.contains("--force"), "{said}");
    let copy = Db::connect(&target).await.unwrap();
    assert_eq!(checksums(&copy).await, checksums(&app.db).await);
}

/// The photos' files travel in the archive (or only their list, with `--no-media`), checked by
/// their SHA-256 on the way back, and land in the target's object store.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_files_travel_with_the_archive() {
    use writeathon::config::photos::StoreUrl;
    use writeathon::photos::PhotoStore;
    let app = TestApp::spawn(writeathon::db::Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let source = PhotoStore::open(&StoreUrl::folder(&dir.path().join("source"))).unwrap();
    let files: Vec<(String, Vec<u8>)> = (0..3u8)
        .map(|n| {
            let bytes = vec![n; 1000 + usize::from(n)];
            (PhotoStore::key_for(&bytes, "jpg"), bytes)
        })
        .collect();
    for (key, bytes) in &files {
        source.put(key, bytes.clone()).await.unwrap();
    }
    let archive = dir.path().join("with-photos.backup");
    let manifest = backup::backup(&app.db, &archive, Media::Include(&source))
        .await
        .unwrap();
    assert!(manifest.media_included);
    assert_eq!(manifest.media.len(), 3);

    let target = Empty::sqlite(dir.path(), "target.db").await;
    let copy = PhotoStore::open(&StoreUrl::folder(&dir.path().join("copy"))).unwrap();
    let restored = backup::restore(&target.db, &archive, false, Some(&copy))
        .await
        .unwrap();
    assert_eq!(restored.media, 3);
    for (key, bytes) in &files {
        assert_eq!(copy.get(key).await.unwrap().unwrap().as_ref(), &bytes[..]);
    }

    // Listed only: the manifest names them, the archive holds none, a restore puts none.
    let listed = dir.path().join("listed.backup");
    let manifest = backup::backup(&app.db, &listed, Media::List(&source))
        .await
        .unwrap();
    assert!(!manifest.media_included);
    assert_eq!(manifest.media.len(), 3);
    assert!(
        manifest
            .media
            .iter()
            .all(|m| m.sha256.is_none() && m.size >= 1000)
    );
    let elsewhere = PhotoStore::open(&StoreUrl::folder(&dir.path().join("elsewhere"))).unwrap();
    let other = Empty::sqlite(dir.path(), "other.db").await;
    let restored = backup::restore(&other.db, &listed, false, Some(&elsewhere))
        .await
        .unwrap();
    assert_eq!(restored.media, 0);
    assert!(elsewhere.keys().await.unwrap().is_empty());

    // A photo changed inside the archive is found before anything is restored.
    let forged = dir.path().join("forged.backup");
    let mut input = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&archive).unwrap(),
    ));
    let mut output = tar::Builder::new(flate2::write::GzEncoder::new(
        std::fs::File::create(&forged).unwrap(),
        flate2::Compression::fast(),
    ));
    for entry in input.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if path.starts_with("media/") {
            bytes[0] ^= 1;
        }
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        output.append_data(&mut header, path, &bytes[..]).unwrap();
    }
    output.into_inner().unwrap().finish().unwrap();
    let third = Empty::sqlite(dir.path(), "third.db").await;
    let err = backup::restore(&third.db, &forged, false, Some(&elsewhere))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("damaged"), "{err:#}");
    assert!(elsewhere.keys().await.unwrap().is_empty());
    assert_eq!(third.db.schema_version().await.unwrap(), 0);
}
