//! `writeathon-load`: a small load generator for the benchmarks in BENCHMARKS.md
//! (`bench/ingest.sh`, `bench/tally.sh`). Four modes:
//!
//! - `reports`: sends N reports to `POST /api/v1/events/{id}/reports` with C requests in flight,
//!   each with its own `Idempotency-Key`, writes every 2xx answer to a file as it arrives, and
//!   prints acknowledged reports per second, latency percentiles and errors.
//! - `raw`: the baseline for `reports`: the same report rows inserted straight into the database
//!   with sqlx, one transaction per report, at the same durability (SQLite `synchronous = FULL`,
//!   PostgreSQL `synchronous_commit = on`), with no HTTP, no checks, no counters.
//! - `sse`: opens N tally streams, posts one report, and measures how long every stream takes to
//!   receive the new tally; reads the server's memory from `/proc/PID/status`.
//! - `breakdown`: where a report's time goes, with the server stopped: each lookup the report
//!   handler makes before committing, timed one by one through the application's own functions,
//!   and the committer's transaction (`reports::store::add_new`) at several batch sizes.
//!
//! Every mode ends with one `RESULT key=value …` line for scripts to pick up.
//!
//! Hosts are given as two files: `--tokens` (one bearer token per line, one host per token) and
//! `--events` (line i: the event ids, separated by spaces or commas, of the host on line i).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use sqlx::Row;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

#[derive(Parser)]
#[command(
    name = "writeathon-load",
    about = "Load generator for Writeathon's benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Send reports over HTTP and measure acknowledged reports per second.
    Reports(ReportsArgs),
    /// Insert equivalent report rows straight into the database (the baseline).
    Raw(RawArgs),
    /// Open many tally streams and time the fan-out of one change.
    Sse(SseArgs),
    /// Time the steps of a report one by one, straight on the database (server stopped).
    Breakdown(BreakdownArgs),
}

#[derive(Args)]
struct Hosts {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// The campaign slug, e.g. w4r-2026.
    #[arg(long)]
    campaign: String,
    /// One bearer token per line (one host per token).
    #[arg(long)]
    tokens: PathBuf,
    /// Line i: the event ids of the host on line i of --tokens.
    #[arg(long)]
    events: PathBuf,
}

#[derive(Args)]
struct ReportsArgs {
    #[command(flatten)]
    hosts: Hosts,
    /// How many reports to send.
    #[arg(long, short = 'n', default_value_t = 10_000)]
    requests: usize,
    /// How many requests in flight at once.
    #[arg(long, short = 'c', default_value_t = 64)]
    concurrency: usize,
    /// Every acknowledged report, one per line: report_id event_id letters solidarity participants.
    #[arg(long)]
    out: PathBuf,
    /// Prefix of the Idempotency-Keys (default: random, so runs never collide).
    #[arg(long)]
    key_prefix: Option<String>,
    /// Print the acknowledged count every second (to standard error), to see stalls.
    #[arg(long)]
    progress: bool,
}

#[derive(Args)]
struct RawArgs {
    /// The database (sqlite://… or postgres://…) of a server that has the campaign and events.
    #[arg(long)]
    database_url: String,
    /// The campaign whose events the rows are added to.
    #[arg(long)]
    campaign: String,
    #[arg(long, short = 'n', default_value_t = 10_000)]
    requests: usize,
    /// How many transactions in flight at once (1 = a plain loop).
    #[arg(long, short = 'c', default_value_t = 1)]
    concurrency: usize,
}

#[derive(Args)]
struct SseArgs {
    #[command(flatten)]
    hosts: Hosts,
    /// How many streams to open.
    #[arg(long, default_value_t = 10_000)]
    streams: usize,
    /// How many connections to open at once while setting up.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// The server's process id, to read its memory from /proc.
    #[arg(long)]
    pid: Option<u32>,
    /// Give up waiting for the streams after this many seconds.
    #[arg(long, default_value_t = 20)]
    timeout_secs: u64,
    /// The stream's view: `full` (the whole tally) or `summary` (totals, cases, countries).
    #[arg(long, default_value = "full")]
    view: String,
}

#[derive(Args)]
struct BreakdownArgs {
    /// The database of a stopped server that has the hosts and events.
    #[arg(long)]
    database_url: String,
    #[arg(long)]
    campaign: String,
    /// One bearer token per line (the first host is used).
    #[arg(long)]
    tokens: PathBuf,
    /// Line i: the event ids of the host on line i of --tokens.
    #[arg(long)]
    events: PathBuf,
    /// Calls per lookup.
    #[arg(long, short = 'n', default_value_t = 3000)]
    requests: usize,
    /// Calls in flight at once for the CPU and throughput columns.
    #[arg(long, short = 'c', default_value_t = 16)]
    concurrency: usize,
}

fn main() -> anyhow::Result<()> {
    let mode = Cli::parse().mode;
    // `reports` runs on one thread: it shares the machine with the server it measures, and one
    // thread wakes no other (about 10 µs less per request than a runtime with a thread per core).
    let runtime = match mode {
        Mode::Reports(_) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    }
    .enable_all()
    .build()?;
    runtime.block_on(async {
        match mode {
            Mode::Reports(args) => reports(args).await,
            Mode::Raw(args) => raw(args).await,
            Mode::Sse(args) => sse(args).await,
            Mode::Breakdown(args) => breakdown(args).await,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// A host: its bearer token and its events.
struct Host {
    token: String,
    events: Vec<i64>,
}

fn read_hosts(tokens: &Path, events: &Path) -> anyhow::Result<Vec<Host>> {
    let tokens = std::fs::read_to_string(tokens).context("reading --tokens")?;
    let events = std::fs::read_to_string(events).context("reading --events")?;
    let mut event_lines = events.lines();
    let mut hosts = Vec::new();
    for token in tokens.lines().map(str::trim).filter(|t| !t.is_empty()) {
        let line = event_lines.next().unwrap_or_default();
        let ids = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<i64>, _>>()
            .context("event ids must be numbers")?;
        if ids.is_empty() {
            bail!("no event ids for the host on line {}", hosts.len() + 1);
        }
        hosts.push(Host {
            token: token.to_string(),
            events: ids,
        });
    }
    if hosts.is_empty() {
        bail!("no tokens in --tokens");
    }
    Ok(hosts)
}

/// The campaign's case slugs, from the public API.
async fn case_slugs(
    client: &reqwest::Client,
    base: &str,
    campaign: &str,
) -> anyhow::Result<Vec<String>> {
    let url = format!("{base}/api/v1/campaigns/{campaign}/cases");
    let cases: Vec<Value> = client
        .get(&url)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let slugs: Vec<String> = cases
        .iter()
        .filter_map(|c| c["slug"].as_str().map(str::to_string))
        .collect();
    if slugs.is_empty() {
        bail!("campaign {campaign} has no cases");
    }
    Ok(slugs)
}

/// A tiny deterministic random generator (splitmix64): report `i` always has the same counts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// The counts of report number `i`: 1 to 3 distinct cases, plausible numbers.
/// Returns (participants, [(case index, letters, solidarity)]).
fn report_counts(i: usize, cases: usize) -> (i64, Vec<(usize, i64, i64)>) {
    let mut rng = Rng(i as u64);
    let participants = rng.between(3, 40);
    let n = rng.between(1, 3.min(cases as i64)) as usize;
    let first = rng.next() as usize % cases;
    let items = (0..n)
        .map(|k| ((first + k) % cases, rng.between(0, 40), rng.between(0, 40)))
        .collect();
    (participants, items)
}

/// CPU seconds (user + system) this process has used so far, from /proc (Linux).
fn own_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name; 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

/// Percentile of sorted microseconds, in milliseconds.
fn percentile_ms(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

// ---------------------------------------------------------------------------------------------
// `reports`

/// What one acknowledged report looked like in its answer.
struct Ack {
    id: i64,
    event_id: i64,
    letters: i64,
    solidarity: i64,
    participants: i64,
}

/// What each sender brings back.
#[derive(Default)]
struct SenderStats {
    latencies_us: Vec<u64>,
    errors: BTreeMap<String, usize>,
}

async fn reports(args: ReportsArgs) -> anyhow::Result<()> {
    let hosts = Arc::new(read_hosts(&args.hosts.tokens, &args.hosts.events)?);
    let base = args.hosts.base.trim_end_matches('/').to_string();
    let cases = Arc::new(case_slugs(&reqwest::Client::new(), &base, &args.hosts.campaign).await?);
    let prefix = args
        .key_prefix
        .clone()
        .unwrap_or_else(|| format!("load-{:016x}", rand::random::<u64>()));

    // The writer: every acknowledged report is written (and flushed) as soon as it arrives, so
    // the file is complete up to the moment the run stops, however it stops.
    let (acks, mut ack_rx) = mpsc::unbounded_channel::<Ack>();
    let mut file = tokio::io::BufWriter::new(tokio::fs::File::create(&args.out).await?);
    let writer = tokio::spawn(async move {
        while let Some(first) = ack_rx.recv().await {
            let mut next = Some(first);
            while let Some(a) = next {
                let line = format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    a.id, a.event_id, a.letters, a.solidarity, a.participants
                );
                file.write_all(line.as_bytes()).await?;
                next = ack_rx.try_recv().ok();
            }
            file.flush().await?;
        }
        file.flush().await?;
        anyhow::Ok(())
    });

    // C senders share one counter: each takes the next report number until N are sent.
    let next = Arc::new(AtomicUsize::new(0));
    let acked_so_far = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    if args.progress {
        let acked_so_far = acked_so_far.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.tick().await;
            let mut last = 0;
            loop {
                tick.tick().await;
                let now = acked_so_far.load(Ordering::Relaxed);
                eprintln!(
                    "{:>5.1} s: {now} acknowledged (+{})",
                    started.elapsed().as_secs_f64(),
                    now - last
                );
                last = now;
            }
        });
    }
    let address = base
        .strip_prefix("http://")
        .context("--base must be http://host:port")?
        .to_string();
    let mut senders = Vec::new();
    for _ in 0..args.concurrency {
        let (hosts, cases, next, acks, acked_so_far) = (
            hosts.clone(),
            cases.clone(),
            next.clone(),
            acks.clone(),
            acked_so_far.clone(),
        );
        let (address, prefix, total) = (address.clone(), prefix.clone(), args.requests);
        senders.push(tokio::spawn(async move {
            let mut stats = SenderStats::default();
            let mut connection: Option<Connection> = None;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                // Report i goes to host i mod H, to one of that host's events in turn.
                let host = &hosts[i % hosts.len()];
                let event = host.events[(i / hosts.len()) % host.events.len()];
                let (participants, items) = report_counts(i, cases.len());
                let body = json!({
                    "participants": participants,
                    "items": items.iter().map(|(c, l, s)| json!({"case": cases[*c], "letters": l, "solidarity": s})).collect::<Vec<_>>(),
                    "highlights": "load test",
                });
                let request = hyper::Request::post(format!("/api/v1/events/{event}/reports"))
                    .header("host", address.as_str())
                    .header("authorization", format!("Bearer {}", host.token))
                    .header("idempotency-key", format!("{prefix}-{i}"))
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body.to_string())))
                    .expect("a well-formed request");
                let sent = Instant::now();
                let result = send(&mut connection, &address, request).await;
                let error = match result {
                    Ok((status, answer)) if status.is_success() => {
                        match serde_json::from_slice::<Value>(&answer) {
                            Ok(answer) => {
                                stats.latencies_us.push(sent.elapsed().as_micros() as u64);
                                acked_so_far.fetch_add(1, Ordering::Relaxed);
                                let ack = ack_of(&answer);
                                let expected: (i64, i64) = items
                                    .iter()
                                    .fold((0, 0), |(l, s), (_, il, is)| (l + il, s + is));
                                match ack {
                                    Some(a) if (a.letters, a.solidarity) == expected => {
                                        let _ = acks.send(a);
                                        None
                                    }
                                    Some(a) => {
                                        // Acknowledged, but not with the counts we sent: record
                                        // it anyway (it is stored) and count the mismatch.
                                        let _ = acks.send(a);
                                        Some("2xx with other counts".to_string())
                                    }
                                    None => Some("2xx without a report id".to_string()),
                                }
                            }
                            Err(e) => Some(format!("2xx unreadable: {e}")),
                        }
                    }
                    Ok((status, _)) => Some(format!("HTTP {}", status.as_u16())),
                    Err(e) => Some(e),
                };
                if let Some(e) = error {
                    *stats.errors.entry(e).or_default() += 1;
                }
            }
            stats
        }));
    }
    drop(acks);

    let mut latencies = Vec::with_capacity(args.requests);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for s in senders {
        let s = s.await?;
        latencies.extend(s.latencies_us);
        for (k, v) in s.errors {
            *errors.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    writer.await??;

    latencies.sort_unstable();
    let acked = latencies.len();
    let rate = acked as f64 / elapsed;
    let error_total: usize = errors.values().sum();
    println!(
        "sent {} reports with {} in flight in {elapsed:.2} s",
        args.requests, args.concurrency
    );
    println!("acknowledged: {acked} ({rate:.0}/s)");
    println!(
        "latency of acknowledged: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 95.0),
        percentile_ms(&latencies, 99.0),
        percentile_ms(&latencies, 100.0)
    );
    println!("errors: {error_total} {errors:?}");
    println!(
        "load generator CPU: {:.2} s ({:.0} µs per acknowledged report)",
        own_cpu_seconds(),
        own_cpu_seconds() * 1e6 / acked.max(1) as f64
    );
    println!(
        "RESULT acked={acked} seconds={elapsed:.3} acked_per_s={rate:.0} p50_ms={:.1} p95_ms={:.1} p99_ms={:.1} errors={error_total}",
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 95.0),
        percentile_ms(&latencies, 99.0)
    );
    Ok(())
}

/// One sender's keep-alive HTTP/1.1 connection. hyper's connection API, without a client's pool,
/// redirects and timers: the load generator shares the server's 2 cores, so every microsecond it
/// spends per request is one the server does not get.
type Connection = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// Sends one request on the sender's connection (opening it first if there is none, or again if
/// it broke) and reads the whole answer. A failure is returned as the error's name.
async fn send(
    connection: &mut Option<Connection>,
    address: &str,
    request: hyper::Request<Full<Bytes>>,
) -> Result<(hyper::StatusCode, Bytes), String> {
    if connection.as_ref().is_none_or(|c| c.is_closed()) {
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .map_err(|_| "connect".to_string())?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|_| "connect".to_string())?;
        tokio::spawn(conn);
        *connection = Some(sender);
    }
    let sender = connection.as_mut().expect("opened above");
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok::<_, hyper::Error>((status, body))
    })
    .await;
    match outcome {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(_)) => {
            *connection = None;
            Err("transport".to_string())
        }
        Err(_) => {
            *connection = None;
            Err("timeout".to_string())
        }
    }
}

/// Reads the report id and its sums out of a 201 answer.
fn ack_of(answer: &Value) -> Option<Ack> {
    let report = &answer["report"];
    let items = report["items"].as_array()?;
    Some(Ack {
        id: report["id"].as_i64()?,
        event_id: report["event_id"].as_i64()?,
        letters: items.iter().filter_map(|i| i["letters"].as_i64()).sum(),
        solidarity: items.iter().filter_map(|i| i["solidarity"].as_i64()).sum(),
        participants: report["participants"].as_i64()?,
    })
}

// ---------------------------------------------------------------------------------------------
// `raw`

async fn raw(args: RawArgs) -> anyhow::Result<()> {
    // The application's own connection setup: the same pool and the same pragmas (WAL,
    // synchronous = FULL on SQLite).
    let db = writeathon::db::Db::connect(&args.database_url).await?;
    let durability: String = match db.backend {
        writeathon::db::Backend::Sqlite => {
            let n: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&db.pool)
                .await?
                .try_get(0)?;
            if n != 2 {
                bail!("SQLite synchronous is {n}, not FULL (2)");
            }
            "sqlite synchronous=FULL".into()
        }
        writeathon::db::Backend::Postgres => {
            let v: String = sqlx::query("SHOW synchronous_commit")
                .fetch_one(&db.pool)
                .await?
                .try_get(0)?;
            if v != "on" {
                bail!("PostgreSQL synchronous_commit is {v}, not on");
            }
            "postgres synchronous_commit=on".into()
        }
    };
    let rows = sqlx::query(
        "SELECT e.id, e.campaign_id, e.host_id FROM events e JOIN campaigns c ON c.id = e.campaign_id \
         WHERE c.slug = $1 ORDER BY e.id LIMIT 200",
    )
    .bind(&args.campaign)
    .fetch_all(&db.pool)
    .await?;
    let events: Vec<(i64, i64, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let Some(&(_, campaign_id, _)) = events.first() else {
        bail!("campaign {} has no events", args.campaign);
    };
    let cases: Vec<i64> = sqlx::query("SELECT id FROM cases WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    if cases.is_empty() {
        bail!("campaign {} has no cases", args.campaign);
    }
    let (events, cases) = (Arc::new(events), Arc::new(cases));

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (db, events, cases, next, total) = (
            db.clone(),
            events.clone(),
            cases.clone(),
            next.clone(),
            args.requests,
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let (event_id, campaign_id, author_id) = events[i % events.len()];
                let (participants, items) = report_counts(i, cases.len());
                let t = Instant::now();
                // One transaction per report: its row, then one single-row INSERT per case.
                let mut tx = db.begin_write().await?;
                let now = db.now_ms();
                let id: i64 = sqlx::query(
                    "INSERT INTO reports (event_id, campaign_id, author_id, participants, highlights, flags, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, '', $6, $6) RETURNING id",
                )
                .bind(event_id)
                .bind(campaign_id)
                .bind(author_id)
                .bind(participants)
                .bind("load test")
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                for (case, letters, solidarity) in items {
                    sqlx::query(
                        "INSERT INTO report_items (report_id, case_id, letters, solidarity) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(cases[case])
                    .bind(letters)
                    .bind(solidarity)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                latencies.push(t.elapsed().as_micros() as u64);
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for w in workers {
        latencies.extend(w.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let rate = latencies.len() as f64 / elapsed;
    println!(
        "raw inserts ({durability}): {} reports, {} at once, in {elapsed:.2} s: {rate:.0}/s; \
         p50 {:.2} ms, p99 {:.2} ms",
        latencies.len(),
        args.concurrency,
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    );
    println!(
        "RESULT committed={} seconds={elapsed:.3} per_s={rate:.0} p50_ms={:.2} p99_ms={:.2}",
        latencies.len(),
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// `sse`

/// The server's resident memory now and at its peak (kB), from /proc.
/// The server's resident memory, its peak, and the part of it that is the process's own (not pages
/// of the database file mapped by SQLite's `mmap_size`, which the kernel may drop at will).
fn memory_kb(pid: Option<u32>) -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?, field("RssAnon:")?))
}

fn mb(kb: Option<(u64, u64, u64)>, peak: bool) -> String {
    kb.map(|(rss, hwm, _)| format!("{}", if peak { hwm } else { rss } / 1024))
        .unwrap_or_else(|| "?".into())
}

fn anon_mb(kb: Option<(u64, u64, u64)>) -> String {
    kb.map(|(_, _, anon)| format!("{}", anon / 1024))
        .unwrap_or_else(|| "?".into())
}

/// Counts the complete `tally` events in what a stream sent so far, consuming them from `buf`.
fn tally_events(buf: &mut Vec<u8>) -> usize {
    let mut n = 0;
    while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
        if buf[..end].starts_with(b"event: tally")
            || buf[..end].windows(13).any(|w| w == b"\nevent: tally")
        {
            n += 1;
        }
        buf.drain(..end + 2);
    }
    n
}

async fn sse(args: SseArgs) -> anyhow::Result<()> {
    let hosts = read_hosts(&args.hosts.tokens, &args.hosts.events)?;
    let base = args.hosts.base.trim_end_matches('/').to_string();
    let url = match args.view.as_str() {
        "full" => format!(
            "{base}/api/v1/campaigns/{}/tally/stream",
            args.hosts.campaign
        ),
        view => format!(
            "{base}/api/v1/campaigns/{}/tally/stream?view={view}",
            args.hosts.campaign
        ),
    };
    // No overall timeout: a stream's body never ends.
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()?;
    let before = memory_kb(args.pid);

    // Each stream: connect, read the first tally (the current snapshot), say it is ready, then
    // wait for the next tally and report when it arrived.
    let ready = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(args.connect_concurrency));
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<Instant>();
    let (failed_tx, mut failed) = mpsc::unbounded_channel::<String>();
    let opening = Instant::now();
    for _ in 0..args.streams {
        let (client, url, ready, gate) = (client.clone(), url.clone(), ready.clone(), gate.clone());
        let (arrived_tx, failed_tx) = (arrived_tx.clone(), failed_tx.clone());
        tokio::spawn(async move {
            // At most `connect_concurrency` streams are being set up at once; a stream gives its
            // place to the next one when its first tally has arrived.
            let mut permit = gate.acquire_owned().await.ok();
            let mut response = match client.get(&url).send().await {
                Ok(r) if r.status().is_success() => r,
                Ok(r) => {
                    let _ = failed_tx.send(format!("HTTP {}", r.status().as_u16()));
                    return;
                }
                Err(e) if e.is_connect() => {
                    let _ = failed_tx.send("connect".into());
                    return;
                }
                Err(e) => {
                    let _ = failed_tx.send(format!("request: {e}"));
                    return;
                }
            };
            let mut buf = Vec::new();
            let mut seen = 0;
            loop {
                match response.chunk().await {
                    Ok(Some(bytes)) => {
                        buf.extend_from_slice(&bytes);
                        let first = seen == 0;
                        seen += tally_events(&mut buf);
                        if first && seen > 0 {
                            ready.fetch_add(1, Ordering::Relaxed);
                            permit.take();
                        }
                        if seen >= 2 {
                            let _ = arrived_tx.send(Instant::now());
                            // Keep the connection open until the run ends.
                            std::future::pending::<()>().await;
                        }
                    }
                    Ok(None) => {
                        let _ = failed_tx.send("stream ended".into());
                        return;
                    }
                    Err(e) => {
                        let _ = failed_tx.send(format!("read: {e}"));
                        return;
                    }
                }
            }
        });
    }
    drop(arrived_tx);
    drop(failed_tx);

    // Wait until every stream has its first tally (or has failed).
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs.max(60));
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    loop {
        while let Ok(f) = failed.try_recv() {
            *failures.entry(f).or_default() += 1;
        }
        let done = ready.load(Ordering::Relaxed) + failures.values().sum::<usize>();
        if done >= args.streams || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let open = ready.load(Ordering::Relaxed);
    println!(
        "{open} of {} streams open in {:.1} s; failures {failures:?}",
        args.streams,
        opening.elapsed().as_secs_f64()
    );
    // Let the server settle, then read its memory with every stream open.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_streams = memory_kb(args.pid);

    // One report changes the tally.
    let host = &hosts[0];
    let post_client = reqwest::Client::new();
    let cases = case_slugs(&post_client, &base, &args.hosts.campaign).await?;
    let t0 = Instant::now();
    let r = post_client
        .post(format!("{base}/api/v1/events/{}/reports", host.events[0]))
        .bearer_auth(&host.token)
        .header(
            "Idempotency-Key",
            format!("sse-{:016x}", rand::random::<u64>()),
        )
        .json(&json!({"participants": 5, "items": [{"case": cases[0], "letters": 7, "solidarity": 3}], "highlights": "fan-out"}))
        .send()
        .await?;
    let acked_after = t0.elapsed();
    if !r.status().is_success() {
        bail!("the report was refused: {} {}", r.status(), r.text().await?);
    }
    let mut delays_us = Vec::with_capacity(open);
    let wait_until = tokio::time::Instant::now() + Duration::from_secs(args.timeout_secs);
    while delays_us.len() < open {
        match tokio::time::timeout_at(wait_until, arrived.recv()).await {
            Ok(Some(at)) => delays_us.push(at.saturating_duration_since(t0).as_micros() as u64),
            _ => break,
        }
    }
    let after = memory_kb(args.pid);
    delays_us.sort_unstable();
    let received = delays_us.len();
    println!(
        "report acknowledged after {:.1} ms; {received} of {open} streams received the new tally",
        acked_after.as_secs_f64() * 1000.0
    );
    println!(
        "time from posting to receipt: p50 {:.0} ms, p99 {:.0} ms, all {:.0} ms",
        percentile_ms(&delays_us, 50.0),
        percentile_ms(&delays_us, 99.0),
        percentile_ms(&delays_us, 100.0)
    );
    println!(
        "server RSS: {} MB before, {} MB with the streams open, {} MB after the fan-out (peak {} MB)",
        mb(before, false),
        mb(with_streams, false),
        mb(after, false),
        mb(after, true)
    );
    println!(
        "of which the process's own (RssAnon, without mapped database pages): {} MB before, {} MB with the streams open, {} MB after",
        anon_mb(before),
        anon_mb(with_streams),
        anon_mb(after)
    );
    println!(
        "RESULT streams={open} received={received} p50_ms={:.0} p99_ms={:.0} all_ms={:.0} rss_before_mb={} rss_open_mb={} rss_after_mb={} rss_peak_mb={}",
        percentile_ms(&delays_us, 50.0),
        percentile_ms(&delays_us, 99.0),
        percentile_ms(&delays_us, 100.0),
        mb(before, false),
        mb(with_streams, false),
        mb(after, false),
        mb(after, true)
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// `breakdown`

/// The lookups `reports::api::create` makes before it submits a report to the committer (through
/// `reports::api::reportable`), in order, and the floor of any query.
#[derive(Clone, Copy)]
enum Lookup {
    Floor,
    Token,
    Event,
    Campaign,
    Cases,
}

struct LookupContext {
    db: writeathon::db::Db,
    token: String,
    event_id: i64,
    campaign_id: i64,
}

async fn lookup(cx: &LookupContext, which: Lookup) -> anyhow::Result<()> {
    use writeathon::i18n::Lang;
    match which {
        Lookup::Floor => cx.db.ping().await?,
        Lookup::Token => {
            writeathon::accounts::tokens::authenticate(&cx.db, &cx.token).await?;
        }
        Lookup::Event => {
            writeathon::events::store::get(&cx.db, cx.event_id).await?;
        }
        Lookup::Campaign => {
            writeathon::campaigns::store::by_id(&cx.db, cx.campaign_id, Lang::FALLBACK).await?;
        }
        Lookup::Cases => {
            writeathon::campaigns::store::cases(&cx.db, cx.campaign_id, Lang::FALLBACK).await?;
        }
    }
    Ok(())
}

/// One lookup `n` times: (µs per call one at a time, CPU µs per call and calls per second with
/// `concurrency` at a time). CPU counts every thread of this process, so it includes SQLite's
/// worker threads (and leaves out PostgreSQL's processes).
async fn measure(
    cx: &Arc<LookupContext>,
    which: Lookup,
    n: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, f64, f64)> {
    let started = Instant::now();
    for _ in 0..n {
        lookup(cx, which).await?;
    }
    let latency = started.elapsed().as_secs_f64() * 1e6 / n as f64;
    let (started, cpu) = (Instant::now(), own_cpu_seconds());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (cx, next) = (cx.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                lookup(&cx, which).await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok((
        latency,
        (own_cpu_seconds() - cpu) * 1e6 / n as f64,
        n as f64 / seconds,
    ))
}

async fn breakdown(args: BreakdownArgs) -> anyhow::Result<()> {
    use writeathon::i18n::Lang;
    use writeathon::reports::ReportInput;
    use writeathon::reports::ingest::{NewReport, add_new};
    use writeathon::web::idempotency::Idempotency;

    let db = writeathon::db::Db::connect(&args.database_url).await?;
    let hosts = read_hosts(&args.tokens, &args.events)?;
    let (token, event_id) = (hosts[0].token.clone(), hosts[0].events[0]);
    let account = writeathon::accounts::tokens::authenticate(&db, &token)
        .await?
        .context("the first token is not live")?;
    let event = writeathon::events::store::get(&db, event_id)
        .await?
        .context("no such event")?;
    let campaign = writeathon::campaigns::store::by_id(&db, event.campaign_id, Lang::FALLBACK)
        .await?
        .context("the event has no campaign")?;
    if campaign.slug != args.campaign {
        bail!(
            "event {event_id} is in campaign {}, not {}",
            campaign.slug,
            args.campaign
        );
    }
    let cases = writeathon::campaigns::store::cases(&db, event.campaign_id, Lang::FALLBACK).await?;
    let text_bytes: usize = cases
        .iter()
        .map(|c| {
            c.text.summary.len()
                + c.text.sample_letter.len()
                + c.text.solidarity.len()
                + c.text.salutation.len()
        })
        .sum();
    let cx = Arc::new(LookupContext {
        db: db.clone(),
        token,
        event_id,
        campaign_id: event.campaign_id,
    });
    let (n, c) = (args.requests, args.concurrency);
    println!(
        "{:?}, the application's own pool and functions, {n} calls each; latency one at a time, \
         and CPU of this process per call and calls/s with {c} at a time:",
        db.backend
    );
    let cases_what = format!(
        "case lookup: {} cases, every text in every language ({} kB kept) (campaigns::store::cases)",
        cases.len(),
        text_bytes / 1024
    );
    let steps: [(Lookup, &str, &str); 5] = [
        (
            Lookup::Floor,
            "floor",
            "SELECT 1 through the pool (the floor of any query)",
        ),
        (
            Lookup::Token,
            "token",
            "bearer token lookup (accounts::tokens::authenticate)",
        ),
        (Lookup::Event, "event", "event lookup (events::store::get)"),
        (
            Lookup::Campaign,
            "campaign",
            "the event's campaign, with its texts (campaigns::store::by_id)",
        ),
        (Lookup::Cases, "cases", &cases_what),
    ];
    println!("  {:>10} {:>10} {:>9}", "latency µs", "CPU µs", "calls/s");
    let mut results = Vec::new();
    let mut total = (0.0, 0.0);
    for (which, key, what) in steps {
        let (latency, cpu, rate) = measure(&cx, which, n, c).await?;
        println!("  {latency:>10.0} {cpu:>10.0} {rate:>9.0}  {what}");
        results.push(format!("{key}_us={latency:.0} {key}_cpu_us={cpu:.0}"));
        if !matches!(which, Lookup::Floor) {
            total = (total.0 + latency, total.1 + cpu);
        }
    }
    println!(
        "  {:>10.0} {:>10.0} {:>9}  all lookups of one report before the committer",
        total.0, total.1, ""
    );
    results.push(format!(
        "lookups_us={:.0} lookups_cpu_us={:.0}",
        total.0, total.1
    ));

    // The committer's transaction at several batch sizes, with an Idempotency-Key each, like the
    // HTTP path (these reports are real: they move the counters like any other).
    let slugs: Arc<std::collections::HashMap<i64, String>> =
        Arc::new(cases.iter().map(|c| (c.id, c.slug.clone())).collect());
    let case_ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let run = format!("{:016x}", rand::random::<u64>());
    // One connection throughout, as the committer keeps its own.
    let mut conn = db.pool.acquire().await?;
    for batch in [1usize, 8, 32, 64, 128, 512] {
        let rounds = (2048 / batch).clamp(4, 200);
        let mut spent = Duration::ZERO;
        let cpu = own_cpu_seconds();
        for round in 0..rounds {
            let reports: Vec<NewReport> = (0..batch)
                .map(|k| {
                    let i = round * batch + k;
                    let (participants, items) = report_counts(i, case_ids.len());
                    let mut items: Vec<(i64, i64, i64)> = items
                        .iter()
                        .map(|(c, l, s)| (case_ids[*c], *l, *s))
                        .collect();
                    items.sort();
                    let key = format!("breakdown-{run}-{batch}-{i}");
                    let mut headers = axum::http::HeaderMap::new();
                    headers.insert("idempotency-key", key.parse().expect("ascii key"));
                    let idempotency = Idempotency::from_request(
                        &headers,
                        account.id,
                        "POST /api/v1/events/{id}/reports",
                        &json!({"i": i}),
                    )
                    .ok()
                    .flatten();
                    NewReport {
                        event_id: event.id,
                        campaign_id: event.campaign_id,
                        author_id: account.id,
                        input: ReportInput {
                            participants,
                            items,
                            highlights: "breakdown".into(),
                        },
                        flags: String::new(),
                        idempotency,
                        case_slugs: slugs.clone(),
                    }
                })
                .collect();
            let t = Instant::now();
            add_new(db.backend, &mut conn, db.now_ms(), &reports)
                .await
                .and_then(|outcomes| outcomes.into_iter().collect::<Result<Vec<_>, _>>())
                .map_err(|e| anyhow::anyhow!("add_new: {e:?}"))?;
            spent += t.elapsed();
        }
        // (CPU includes building the batch, a few µs per report.)
        let cpu_us = (own_cpu_seconds() - cpu) * 1e6 / (rounds * batch) as f64;
        let per_batch_ms = spent.as_secs_f64() * 1000.0 / rounds as f64;
        let per_report_us = per_batch_ms * 1000.0 / batch as f64;
        println!(
            "  committer transaction of {batch:>3} reports (reports::ingest::add_new): {per_batch_ms:>7.2} ms; \
             per report {per_report_us:>5.0} µs wall, {cpu_us:>5.0} µs CPU: at most {:>6.0} reports/s from one committer",
            1e6 / per_report_us
        );
        results.push(format!(
            "batch{batch}_us={per_report_us:.0} batch{batch}_cpu_us={cpu_us:.0}"
        ));
    }
    println!("RESULT {}", results.join(" "));
    Ok(())
}
