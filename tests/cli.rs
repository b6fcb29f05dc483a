//! The `writeathon` command line, run as a real process: what an operator types.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_writeathon");

fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .args(args)
        .envs(env.iter().copied())
        .env_remove("WRITEATHON_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the operator's commands against one database URL (or the default SQLite in `dir`).
fn operator_commands(dir: &str, url: Option<&str>) -> String {
    let mut db_args = vec!["--data-dir", dir];
    if let Some(url) = url {
        db_args.extend(["--database-url", url]);
    }
    let with = |cmd: &[&'static str]| -> Vec<String> {
        cmd.iter()
            .map(|s| s.to_string())
            .chain(db_args.iter().map(|s| s.to_string()))
            .collect()
    };
    let call = |cmd: &[&'static str], stdin: &str| {
        let args = with(cmd);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs, &[], stdin)
    };
    let (code, _, err) = call(&["migrate"], "");
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = call(&["seed-demo"], "");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 campaign(s) added"), "{err}");
    let (code, _, err) = call(&["seed-demo"], "");
    assert_eq!(code, 0);
    assert!(
        err.contains("0 campaign(s) added"),
        "seeding twice adds nothing: {err}"
    );
    let add = [
        "user",
        "add",
        "--email",
        "Admin@Example.org",
        "--name",
        "Ada Admin",
        "--role",
        "admin",
        "--password-stdin",
    ];
    let (code, _, err) = call(&add, "letters for lighthouse keepers 17\n");
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = call(&add, "letters for lighthouse keepers 17\n");
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    let weak = [
        "user",
        "add",
        "--email",
        "weak@example.org",
        "--name",
        "W",
        "--password-stdin",
    ];
    let (code, _, err) = call(&weak, "password123\n");
    assert_ne!(code, 0);
    assert!(err.contains("too common"), "{err}");
    let bad_role = [
        "user",
        "add",
        "--email",
        "r@example.org",
        "--name",
        "R",
        "--role",
        "king",
        "--password-stdin",
    ];
    let (code, _, err) = call(&bad_role, "letters for lighthouse keepers 17\n");
    assert_ne!(code, 0);
    assert!(err.contains("host, staff or admin"), "{err}");
    let (code, out, err) = call(&["token", "issue", "--email", "admin@example.org"], "");
    assert_eq!(code, 0, "{err}");
    let token = out.trim().to_string();
    assert!(token.starts_with("wa_") && token.len() == 46, "{out}");
    let (code, _, err) = call(&["token", "issue", "--email", "nobody@example.org"], "");
    assert_ne!(code, 0);
    assert!(
        !err.contains("nobody@example.org"),
        "errors do not echo addresses"
    );
    token
}

#[test]
fn operator_commands_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let dir_s = dir.path().to_str().unwrap();
    operator_commands(dir_s, None);
    assert!(
        dir.path().join("writeathon.db").exists(),
        "default database in the data directory"
    );
}

#[tokio::test]
async fn operator_commands_on_postgres() {
    let Some(db) = common::template::EmptyPostgres::create("cli").await else {
        return;
    };
    let url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let url2 = url.clone();
    let dir_s = dir.path().to_str().unwrap().to_string();
    tokio::task::spawn_blocking(move || operator_commands(&dir_s, Some(&url2)))
        .await
        .unwrap();
    assert!(
        !dir.path().join("writeathon.db").exists(),
        "no SQLite file when PostgreSQL is used"
    );
}

#[test]
fn a_short_metrics_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = run(
        &["serve", "--listen", "127.0.0.1:0", "--data-dir", data],
        &[("WRITEATHON_METRICS_TOKEN", "guessable")],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("--metrics-token: use at least 16 characters"),
        "{err}"
    );
    assert!(!err.contains("guessable"), "the token is not echoed: {err}");
}

#[test]
fn unknown_database_scheme_is_a_clear_error() {
    let (code, _, err) = run(
        &["migrate", "--database-url", "mysql://localhost/w"],
        &[],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("sqlite://") && err.contains("postgres://"),
        "{err}"
    );
}

#[test]
fn serve_on_an_empty_data_dir_creates_the_database_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let mut child = Command::new(BIN)
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .env("WRITEATHON_METRICS_LISTEN", "127.0.0.1:0")
        .env("WRITEATHON_DATA_DIR", &data)
        .env_remove("WRITEATHON_DATABASE_URL")
        .env_remove("WRITEATHON_METRICS_TOKEN")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut metrics = None;
    let address = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.split("metrics on http://").nth(1) {
            metrics = Some(rest.split_whitespace().next().unwrap().to_string());
        }
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let body = reqwest::blocking_get(&format!("http://{address}/api/v1/campaigns"));
    assert!(body.contains("w4r-2017"), "demo campaigns served: {body}");
    // Metrics on their own address, not on the public one.
    let metrics = metrics.expect("the metrics address is logged");
    let text = reqwest::blocking_get(&format!("http://{metrics}"));
    assert!(text.contains("writeathon_http_requests_total"), "{text}");
    let text = reqwest::blocking_get(&format!("http://{address}/metrics"));
    assert!(!text.contains("writeathon_http_requests_total"), "{text}");
    assert!(data.join("writeathon.db").exists());
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful stop: {status:?}");
}

mod reqwest {
    /// A tiny blocking GET for a test with no async runtime.
    pub fn blocking_get(url: &str) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}

/// With no SMTP server configured, `writeathon worker` writes each queued message as an .eml file
/// under <data-dir>/outbox/ (the demo works offline) and runs the reminder scheduler too.
#[tokio::test]
async fn worker_without_smtp_writes_eml_files_and_queues_reminders() {
    use sqlx::Row;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = run(&["seed-demo", "--data-dir", data], &[], "");
    assert_eq!(code, 0, "{err}");
    let db = writeathon::db::Db::connect(&format!("sqlite://{data}/writeathon.db"))
        .await
        .unwrap();
    let now = common::today().timestamp_millis();
    let mut tx = db.begin_write().await.unwrap();
    let letter = writeathon::outbox::Letter {
        kind: "test",
        dedupe_key: None,
        to_name: "Ana".into(),
        to_email: "ana@example.org".into(),
        subject: "Hello from the outbox".into(),
        body: writeathon::outbox::Body {
            greeting: "Hello Ana".into(),
            ..Default::default()
        },
        calendar: None,
        unsubscribe: None,
        country: None,
    };
    writeathon::outbox::queue(&mut tx, now, writeathon::config::mail::DEFAULT_FROM, letter)
        .await
        .unwrap();
    // A demo event moved to tomorrow, with someone who signed up three days ago.
    let (g, ..) = writeathon::demo::current_dates(common::today().date_naive());
    let event_id: i64 = sqlx::query(
        "SELECT e.id FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE c.slug = $1 ORDER BY e.id LIMIT 1",
    )
    .bind(format!("w4r-{}", chrono::Datelike::year(&g)))
    .fetch_one(&mut *tx)
    .await
    .unwrap()
    .get(0);
    sqlx::query(
        "UPDATE events SET starts_at = $1, ends_at = $2, status = 'published' WHERE id = $3",
    )
    .bind(now + 12 * 3600 * 1000)
    .bind(now + 15 * 3600 * 1000)
    .bind(event_id)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO rsvps (event_id, name, email, consent_contact, language, status, \
         cancel_token_hash, created_at, updated_at) VALUES ($1, 'Zoé', 'zoe@example.org', 0, 'fr', \
         'confirmed', 'not-a-real-hash', $2, $2)",
    )
    .bind(event_id)
    .bind(now - 3 * 24 * 3600 * 1000)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut worker = Command::new(BIN)
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .args(["worker", "--data-dir", data])
        .args(["--public-url", "https://writeathon.example"])
        .env_remove("WRITEATHON_DATABASE_URL")
        .env_remove("WRITEATHON_SMTP_URL")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let outbox = dir.path().join("outbox");
    let wanted = |files: &[String]| {
        files
            .iter()
            .any(|f| f.contains("Subject: Hello from the outbox"))
            && files
                .iter()
                .any(|f| f.contains("zoe@example.org") && f.contains("Demain"))
    };
    // Until both are written and nothing queued is left.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let files = loop {
        let files: Vec<String> = std::fs::read_dir(&outbox)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let unsent: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        if (wanted(&files) && unsent == 0) || std::time::Instant::now() > deadline {
            break files;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    worker.kill().unwrap();
    let output = worker.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(wanted(&files), "{} files; log:\n{log}", files.len());
    let reminder = files.iter().find(|f| f.contains("Demain")).unwrap();
    assert!(reminder.contains("List-Unsubscribe: <https://writeathon.example/unsubscribe/"));
    assert!(log.contains("no SMTP server configured"), "{log}");
    assert!(
        !log.contains("ana@example.org") && !log.contains("zoe@example.org"),
        "no addresses in the log:\n{log}"
    );
}
