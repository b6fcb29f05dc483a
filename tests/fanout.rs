//! Two `writeathon serve` processes on one PostgreSQL database: a report made through one arrives
//! on the other's live tally stream (LISTEN/NOTIFY).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use futures::StreamExt;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_writeathon");

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(url: &str) -> Server {
    let mut child = Command::new(BIN)
        .env("WRITEATHON_CLOCK_START", common::TODAY)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        base: format!("http://{address}"),
    }
}

fn cli(args: &[&str], url: &str, stdin: &str) -> String {
    common::cli::ok(args, url, None, stdin)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_on_one_process_reaches_the_other_processes_stream() {
    let Some(empty) = common::template::EmptyPostgres::create("fanout").await else {
        return;
    };
    let url = empty.url.clone();
    let url2 = url.clone();
    let token = tokio::task::spawn_blocking(move || {
        cli(&["seed-demo"], &url2, "");
        cli(
            &[
                "user",
                "add",
                "--email",
                "host@example.org",
                "--name",
                "Host",
                "--password-stdin",
            ],
            &url2,
            "letters for lighthouse keepers 17\n",
        );
        cli(
            &["token", "issue", "--email", "host@example.org"],
            &url2,
            "",
        )
    })
    .await
    .unwrap();
    let a = serve(&url);
    let b = serve(&url);
    let http = reqwest::Client::new();
    let campaigns: Value = http
        .get(format!("{}/api/v1/campaigns", a.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slug = campaigns[0]["slug"].as_str().unwrap().to_string();
    let cases: Value = http
        .get(format!("{}/api/v1/campaigns/{slug}/cases", a.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let now = common::today();
    let event: Value = http
        .post(format!("{}/api/v1/campaigns/{slug}/events", a.base))
        .bearer_auth(&token)
        .json(&json!({"title": "Fan-out letters", "kind": "cafe", "visibility": "public",
            "starts_at": (now - chrono::Duration::hours(1)).to_rfc3339(), "ends_at": (now + chrono::Duration::hours(1)).to_rfc3339(),
            "timezone": "UTC", "city": "Halifax", "country": "CA", "address": "x"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Subscribe on B, report on A.
    let mut stream = http
        .get(format!("{}/api/v1/campaigns/{slug}/tally/stream", b.base))
        .send()
        .await
        .unwrap()
        .bytes_stream();
    let first = stream.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: tally"));
    let r = http
        .post(format!("{}/api/v1/events/{}/reports", a.base, event["id"]))
        .bearer_auth(&token)
        .json(&json!({"participants": 4, "items": [{"case": cases[0]["slug"], "letters": 4321}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let seen = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut text = String::new();
        while let Some(chunk) = stream.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if text.contains("\"letters\":4321") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(
        seen,
        "process B's stream carried the report made through process A"
    );
    drop(a);
    drop(b);
}
