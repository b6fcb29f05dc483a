//! Crash safety of report ingest, with the real binary: reports are sent concurrently, the server
//! is killed with SIGKILL in the middle, and after a restart on the same database every report
//! that was answered 2xx must be there with its counts, the tally must equal the sum of the stored
//! reports (a few may have been committed without their answer arriving), and
//! `writeathon reconcile` must find no drift. Runs on SQLite, and on PostgreSQL when
//! `WRITEATHON_TEST_POSTGRES_URL` is set.

mod common;

use common::server::Server;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Hosts, each with one event.
const HOSTS: usize = 20;
/// Requests in flight at once.
const SENDERS: usize = 32;
/// Load before the kill, counted from the first acknowledged report.
const LOAD_BEFORE_KILL: Duration = Duration::from_millis(1500);
/// The senders stop after this however things go.
const MAX_LOAD: Duration = Duration::from_secs(30);

/// The two backends take turns: each is timed on its own, and neither starves the other's server.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_reports_survive_kill_9_on_sqlite() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_story(&url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_reports_survive_kill_9_on_postgres() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(db) = common::template::EmptyPostgres::create("crash").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crash_story(&db.url, dir.path()).await;
}

/// Runs the `writeathon` command line; returns (exit code, stdout, stderr).
fn cli(args: &[&str], url: &str, dir: &Path, stdin: &str) -> (i32, String, String) {
    let out = common::cli::run(args, url, Some(dir), stdin);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A host with a token and one event reported from today.
struct Host {
    token: String,
    event: i64,
}

/// One report as the server answered it, or as it lists it: (event, letters, solidarity, participants).
type Counts = (i64, i64, i64, i64);

/// Report `n`'s body and its (letters, solidarity, participants).
fn report_body(n: usize, cases: &[String]) -> (Value, (i64, i64, i64)) {
    let participants = 3 + (n % 37) as i64;
    let count = 1 + n % 3.min(cases.len());
    let items: Vec<(String, i64, i64)> = (0..count)
        .map(|k| {
            let case = cases[(n + k) % cases.len()].clone();
            (case, ((n * 7 + k) % 41) as i64, ((n * 13 + k) % 29) as i64)
        })
        .collect();
    let letters = items.iter().map(|i| i.1).sum();
    let solidarity = items.iter().map(|i| i.2).sum();
    let body = json!({
        "participants": participants,
        "items": items.iter().map(|(c, l, s)| json!({"case": c, "letters": l, "solidarity": s})).collect::<Vec<_>>(),
        "highlights": format!("crash test report {n}"),
    });
    (body, (letters, solidarity, participants))
}

fn counts_of(report: &Value) -> Counts {
    let items = report["items"].as_array().expect("items");
    (
        report["event_id"].as_i64().unwrap(),
        items.iter().map(|i| i["letters"].as_i64().unwrap()).sum(),
        items
            .iter()
            .map(|i| i["solidarity"].as_i64().unwrap())
            .sum(),
        report["participants"].as_i64().unwrap(),
    )
}

async fn get_json(client: &reqwest::Client, url: &str, token: Option<&str>) -> Value {
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "GET {url}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// (letters, solidarity, participants) of the campaign's tally.
async fn tally_totals(client: &reqwest::Client, base: &str, slug: &str) -> (i64, i64, i64) {
    let tally = get_json(
        client,
        &format!("{base}/api/v1/campaigns/{slug}/tally"),
        None,
    )
    .await;
    let t = &tally["totals"];
    (
        t["letters"].as_i64().unwrap(),
        t["solidarity"].as_i64().unwrap(),
        t["participants"].as_i64().unwrap(),
    )
}

async fn crash_story(url: &str, dir: &Path) {
    let began = Instant::now();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(SENDERS)
        .build()
        .unwrap();
    let dir_owned = dir.to_path_buf();
    let url_owned = url.to_string();
    let mut server = tokio::task::spawn_blocking(move || Server::start(&url_owned, &dir_owned))
        .await
        .unwrap();
    let base = server.base.clone();

    // The current demo campaign (the latest global day) and its cases.
    let campaigns = get_json(&client, &format!("{base}/api/v1/campaigns"), None).await;
    let slug = campaigns
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["slug"].as_str().unwrap().starts_with("w4r-"))
        .max_by_key(|c| c["global_day"].as_str().unwrap().to_string())
        .expect("a demo campaign")["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let cases: Vec<String> = get_json(
        &client,
        &format!("{base}/api/v1/campaigns/{slug}/cases"),
        None,
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .map(|c| c["slug"].as_str().unwrap().to_string())
    .collect();
    assert!(!cases.is_empty());

    // Hosts and their tokens with the command line (in parallel: each hashes a password).
    let tokens: Vec<String> = {
        let handles: Vec<_> = (0..HOSTS)
            .map(|i| {
                let (url, dir) = (url.to_string(), dir.to_path_buf());
                std::thread::spawn(move || {
                    let email = format!("crash-host-{i}@example.org");
                    let name = format!("Crash Host {i}");
                    let (code, _, err) = cli(
                        &[
                            "user",
                            "add",
                            "--email",
                            &email,
                            "--name",
                            &name,
                            "--password-stdin",
                        ],
                        &url,
                        &dir,
                        &format!("{}\n", common::PASSWORD),
                    );
                    assert_eq!(code, 0, "user add: {err}");
                    let (code, out, err) =
                        cli(&["token", "issue", "--email", &email], &url, &dir, "");
                    assert_eq!(code, 0, "token issue: {err}");
                    out.trim().to_string()
                })
            })
            .collect();
        tokio::task::spawn_blocking(move || {
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<_>>()
        })
        .await
        .unwrap()
    };

    // One event per host, started three hours ago, so it may be reported on now.
    let now = common::today();
    let starts = (now - chrono::Duration::hours(3)).to_rfc3339();
    let ends = (now + chrono::Duration::hours(3)).to_rfc3339();
    let mut hosts = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let response = client
            .post(format!("{base}/api/v1/campaigns/{slug}/events"))
            .bearer_auth(&token)
            .json(&json!({
                "title": format!("Crash test cafe {i}"), "kind": "cafe", "visibility": "public",
                "starts_at": starts, "ends_at": ends, "city": "Halifax", "country": "CA", "address": "x",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let event: Value = response.json().await.unwrap();
        hosts.push(Host {
            token,
            event: event["id"].as_i64().unwrap(),
        });
    }
    let hosts = Arc::new(hosts);
    let cases = Arc::new(cases);
    let before = tally_totals(&client, &base, &slug).await;
    let setup = began.elapsed();

    // Load: SENDERS requests in flight, each report with its own Idempotency-Key.
    let acked: Arc<Mutex<HashMap<i64, Counts>>> = Arc::default();
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let first_ack = Arc::new(tokio::sync::Notify::new());
    let load_started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..SENDERS {
        let (client, base, hosts, cases) =
            (client.clone(), base.clone(), hosts.clone(), cases.clone());
        let (acked, refused, stop, next, first_ack) = (
            acked.clone(),
            refused.clone(),
            stop.clone(),
            next.clone(),
            first_ack.clone(),
        );
        senders.push(tokio::spawn(async move {
            let mut transport_errors = 0;
            while !stop.load(Ordering::SeqCst) && load_started.elapsed() < MAX_LOAD {
                let n = next.fetch_add(1, Ordering::SeqCst);
                let host = &hosts[n % hosts.len()];
                let (body, (letters, solidarity, participants)) = report_body(n, &cases);
                let result = client
                    .post(format!("{base}/api/v1/events/{}/reports", host.event))
                    .bearer_auth(&host.token)
                    .header("Idempotency-Key", format!("crash-{n}"))
                    .json(&body)
                    .send()
                    .await;
                match result {
                    Ok(r) if r.status().is_success() => match r.json::<Value>().await {
                        Ok(answer) => {
                            let report = &answer["report"];
                            let counts = counts_of(report);
                            assert_eq!(
                                counts,
                                (host.event, letters, solidarity, participants),
                                "the answer echoes what was sent"
                            );
                            let id = report["id"].as_i64().unwrap();
                            assert!(acked.lock().unwrap().insert(id, counts).is_none());
                            first_ack.notify_one();
                        }
                        // The body was cut off by the kill: not an acknowledgement.
                        Err(_) => transport_errors += 1,
                    },
                    Ok(r) => {
                        let what =
                            format!("{}: {}", r.status(), r.text().await.unwrap_or_default());
                        refused.lock().unwrap().push(what);
                    }
                    Err(_) => {
                        transport_errors += 1;
                        if !stop.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    }
                }
            }
            transport_errors
        }));
    }

    // Kill -9 in the middle of the load.
    tokio::time::timeout(Duration::from_secs(20), first_ack.notified())
        .await
        .expect("a first report was acknowledged");
    tokio::time::sleep(LOAD_BEFORE_KILL).await;
    let acked_at_kill = acked.lock().unwrap().len();
    server.kill_9();
    stop.store(true, Ordering::SeqCst);
    let mut transport_errors = 0;
    for s in senders {
        transport_errors += s.await.unwrap();
    }
    let acked = Arc::try_unwrap(acked).unwrap().into_inner().unwrap();
    let refused = refused.lock().unwrap().clone();
    assert!(
        refused.is_empty(),
        "every answer before the kill is a 2xx: {refused:?}"
    );
    assert!(
        acked.len() >= 20,
        "enough load to mean something: {} acknowledged",
        acked.len()
    );
    assert!(
        transport_errors > 0,
        "the kill interrupted requests in flight"
    );

    // Restart on the same database.
    let (url_owned, dir_owned) = (url.to_string(), dir.to_path_buf());
    let server = tokio::task::spawn_blocking(move || Server::start(&url_owned, &dir_owned))
        .await
        .unwrap();
    let base = server.base.clone();

    // Every stored report of our events, as the hosts see them.
    let mut stored: HashMap<i64, Counts> = HashMap::new();
    for host in hosts.iter() {
        let list = get_json(
            &client,
            &format!("{base}/api/v1/events/{}/reports", host.event),
            Some(&host.token),
        )
        .await;
        let mut sums = (0, 0, 0, 0);
        for report in list["reports"].as_array().unwrap() {
            let counts = counts_of(report);
            sums = (
                sums.0 + 1,
                sums.1 + counts.1,
                sums.2 + counts.2,
                sums.3 + counts.3,
            );
            stored.insert(report["id"].as_i64().unwrap(), counts);
        }
        let t = &list["event_totals"];
        assert_eq!(
            (
                t["reports"].as_i64().unwrap(),
                t["letters"].as_i64().unwrap(),
                t["solidarity"].as_i64().unwrap(),
                t["participants"].as_i64().unwrap()
            ),
            sums,
            "event {}'s totals are the sum of its reports",
            host.event
        );
    }
    for (id, counts) in &acked {
        assert_eq!(
            stored.get(id),
            Some(counts),
            "acknowledged report {id} is stored with its counts"
        );
    }
    let sum = |m: &HashMap<i64, Counts>| {
        m.values()
            .fold((0, 0, 0), |a, c| (a.0 + c.1, a.1 + c.2, a.2 + c.3))
    };
    let (acked_sum, stored_sum) = (sum(&acked), sum(&stored));
    let after = tally_totals(&client, &base, &slug).await;
    let moved = (after.0 - before.0, after.1 - before.1, after.2 - before.2);
    assert_eq!(
        moved, stored_sum,
        "the tally moved by exactly the stored reports"
    );
    assert!(
        moved.0 >= acked_sum.0 && moved.1 >= acked_sum.1 && moved.2 >= acked_sum.2,
        "the tally holds at least the acknowledged reports"
    );
    server.stop();

    // A recount finds nothing to repair.
    let (url_owned, dir_owned) = (url.to_string(), dir.to_path_buf());
    let (code, out, err) =
        tokio::task::spawn_blocking(move || cli(&["reconcile"], &url_owned, &dir_owned, ""))
            .await
            .unwrap();
    assert_eq!(code, 0, "reconcile found drift:\n{out}\n{err}");

    let _ = writeln!(
        std::io::stderr(),
        "crash test: setup {:.1} s; {} acknowledged ({acked_at_kill} at the kill), {} stored \
         ({} committed without an answer), {transport_errors} requests cut off; {:.1} s in all",
        setup.as_secs_f64(),
        acked.len(),
        stored.len(),
        stored.len() - acked.len(),
        began.elapsed().as_secs_f64()
    );
}
