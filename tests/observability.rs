//! What an operator watches: the Grafana dashboard shipped in `deploy/grafana/` charts exactly
//! the metrics `/metrics` exposes (no panel on a name the server does not have, no metric left
//! off the dashboard), the gauges say what is true, and with `--log-format json` every log line
//! is one JSON object, a request's lines carry its request id, and nothing private.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::Value;

use common::PASSWORD;

const DASHBOARD: &str = include_str!("../deploy/grafana/writeathon.json");

/// Every `writeathon_…` name in a PromQL expression.
fn names_in(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("writeathon_") {
        let name: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        rest = &rest[at + name.len()..];
        names.push(name);
    }
    names
}

/// The names of the samples in a Prometheus text exposition, with their values.
fn samples(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let name = l.split(['{', ' ']).next().unwrap().to_string();
            let value = l.rsplit(' ').next().unwrap().parse().unwrap();
            (name, value)
        })
        .collect()
}

/// A family's base name: what `# TYPE` names, before the `_total`, `_bucket`… of its samples.
fn family(sample: &str) -> &str {
    ["_total", "_bucket", "_sum", "_count"]
        .iter()
        .find_map(|s| sample.strip_suffix(s))
        .unwrap_or(sample)
}

fn value(text: &str, name: &str) -> Option<f64> {
    samples(text)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn dashboard_names() -> BTreeSet<String> {
    let dashboard: Value = serde_json::from_str(DASHBOARD).unwrap();
    let mut names = BTreeSet::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        if panel["type"] == "row" {
            continue;
        }
        let targets = panel["targets"].as_array().unwrap();
        assert!(
            !targets.is_empty(),
            "panel {} charts nothing",
            panel["title"]
        );
        for target in targets {
            let found = names_in(target["expr"].as_str().unwrap());
            assert!(!found.is_empty(), "{target} names no metric of ours");
            names.extend(found);
        }
    }
    names
}

story!(
    the_dashboard_charts_exactly_the_metrics_the_server_exposes,
    |app| {
        assert_eq!(app.get("/api/v1/campaigns").await.status(), 200);
        // One tally stream held open: the gauge counts it.
        let slug = app.current_slug();
        let mut stream = reqwest::get(app.url(&format!("/api/v1/campaigns/{slug}/tally/stream")))
            .await
            .unwrap()
            .bytes_stream();
        let first = stream.next().await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first).contains("event: tally"));

        let text = app.metrics().await;
        let exposed: BTreeSet<String> = samples(&text).into_iter().map(|(n, _)| n).collect();
        let charted = dashboard_names();
        for name in &charted {
            assert!(
                exposed.contains(name),
                "the dashboard charts {name}, which /metrics does not expose:\n{text}"
            );
        }
        let charted_families: BTreeSet<&str> = charted.iter().map(|n| family(n)).collect();
        for name in &exposed {
            assert!(
                charted_families.contains(family(name)),
                "/metrics exposes {name}, which no panel of the dashboard charts"
            );
        }

        assert_eq!(value(&text, "writeathon_tally_streams_open"), Some(1.0));
        let max = value(&text, "writeathon_db_pool_max").unwrap();
        let open = value(&text, "writeathon_db_pool_connections").unwrap();
        let idle = value(&text, "writeathon_db_pool_idle").unwrap();
        assert!(
            max >= 1.0 && open >= 1.0 && open <= max && idle <= open,
            "{text}"
        );
        assert_eq!(
            value(&text, "writeathon_webhook_deliveries_failed_total"),
            Some(0.0)
        );
        drop(stream);

        // Mail given up on shows on the dashboard within one sampling of the outbox (15 s).
        let c = common::browser();
        app.sign_up_and_in(&c, "gauge.person@example.org", "Gauge Person")
            .await;
        sqlx::query("UPDATE outbox SET status = 'failed' WHERE status = 'queued'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let failed: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox WHERE status = 'failed'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(failed >= 1);
        let started = Instant::now();
        loop {
            let text = app.metrics().await;
            if value(&text, "writeathon_outbox_failed") == Some(failed as f64) {
                assert_eq!(value(&text, "writeathon_outbox_queued"), Some(0.0));
                assert_eq!(
                    value(&text, "writeathon_outbox_oldest_queued_seconds"),
                    Some(0.0)
                );
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the outbox's gauges never showed {failed} failed:\n{text}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_log_lines_carry_the_request_id_and_nothing_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    common::template::copy_sqlite(&path).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_writeathon"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .env(
            "WRITEATHON_DATABASE_URL",
            format!("sqlite://{}", path.display()),
        )
        .env("WRITEATHON_DATA_DIR", dir.path())
        .env("WRITEATHON_LOG", "info")
        .env_remove("WRITEATHON_LOG_FORMAT")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let reader = BufReader::new(child.stderr.take().unwrap());
    let kept = lines.clone();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let address: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
                    .collect();
                let _ = address_tx.send(address);
            }
            kept.lock().unwrap().push(line);
        }
    });
    let address = address_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server said where it listens");
    let base = format!("http://{address}");

    // A sign-in with an address and a wrong password, and an API call with a forged request id.
    let email = "private.person@example.org";
    let browser = common::browser();
    let html = browser
        .get(format!("{base}/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = common::extract_csrf(&html);
    let r = browser
        .post(format!("{base}/signin"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(!r.status().is_server_error(), "{}", r.status());
    let signin_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let r = reqwest::Client::new()
        .get(format!("{base}/api/v1/campaigns?secret=cancel-token-0042"))
        .header("x-request-id", "forged-request-id-4711")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let api_id = r.headers()["x-request-id"].to_str().unwrap().to_string();

    // The request lines are written as the answers leave: wait for both.
    let started = Instant::now();
    let logs = loop {
        let logs = lines.lock().unwrap().clone();
        let both = [&signin_id, &api_id]
            .iter()
            .all(|id| logs.iter().any(|l| l.contains(id.as_str())));
        if both || started.elapsed() > Duration::from_secs(10) {
            break logs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = child.kill();
    let _ = child.wait();

    let mut parsed = Vec::new();
    for line in &logs {
        let object: Value = serde_json::from_str(line)
            .unwrap_or_else(|err| panic!("not one JSON object ({err}): {line}"));
        assert!(
            object["timestamp"].is_string() && object["level"].is_string(),
            "{line}"
        );
        parsed.push(object);
    }
    for (id, route) in [(&signin_id, "/signin"), (&api_id, "/api/v1/campaigns")] {
        let finished = parsed
            .iter()
            .find(|o| o["span"]["request_id"] == id.as_str())
            .unwrap_or_else(|| panic!("no line carries request id {id}:\n{}", logs.join("\n")));
        assert_eq!(finished["span"]["route"], route);
        assert_eq!(finished["fields"]["message"], "finished processing request");
        assert!(finished["fields"]["status"].is_u64());
    }
    let all = logs.join("\n");
    for private in [
        email,
        "private.person",
        PASSWORD,
        csrf.as_str(),
        "cancel-token-0042",
        "forged-request-id-4711",
    ] {
        assert!(!all.contains(private), "{private:?} is in the log:\n{all}");
    }
}
