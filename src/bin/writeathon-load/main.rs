//! `writeathon-load`: a small load generator for the benchmarks in BENCHMARKS.md
//! (`bench/ingest.sh`, `bench/tally.sh`, `bench/actions.sh`). Its modes:
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
//! - `actions`: a viral burst of online actions, each from its own address, then (with
//!   `--database-url`) their confirmation links pressed; actions and confirmations per second.
//! - `smtp-sink`: an SMTP server that takes and drops every message, counting them: how fast
//!   the outbox worker delivers.
//! - `webhook-sink`: an HTTP receiver that answers every webhook delivery and counts them: how
//!   fast the webhook worker delivers.
//!
//! Every mode ends with one `RESULT key=value …` line for scripts to pick up.
//!
//! Hosts are given as two files: `--tokens` (one bearer token per line, one host per token) and
//! `--events` (line i: the event ids, separated by spaces or commas, of the host on line i).

mod actions;
mod breakdown;
mod raw;
mod reports;
mod smtp_sink;
mod sse;
mod store;
mod webhook_sink;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use serde_json::Value;

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
    /// A viral burst of online actions, then their confirmations.
    Actions(ActionsArgs),
    /// An SMTP server that takes every message and counts them.
    SmtpSink(SmtpSinkArgs),
    /// An HTTP receiver that answers every webhook delivery and counts them.
    WebhookSink(WebhookSinkArgs),
}

#[derive(Args)]
struct WebhookSinkArgs {
    #[arg(long, default_value = "127.0.0.1:18380")]
    listen: String,
    /// Stop after this many distinct deliveries (0: never).
    #[arg(long, default_value_t = 0)]
    until: u64,
}

#[derive(Args)]
struct SmtpSinkArgs {
    #[arg(long, default_value = "127.0.0.1:2525")]
    listen: String,
    /// Stop after this many messages (0: never).
    #[arg(long, default_value_t = 0)]
    until: u64,
    /// Accept connections and never answer them.
    #[arg(long)]
    hold: bool,
}

#[derive(Args)]
struct ActionsArgs {
    /// The server (started with --trust-proxy and --action-challenge off).
    #[arg(long)]
    base: String,
    #[arg(long)]
    campaign: String,
    #[arg(long, short = 'n', default_value_t = 20_000)]
    requests: usize,
    #[arg(long, short = 'c', default_value_t = 64)]
    concurrency: usize,
    /// The server's database: then the mailed links are confirmed too.
    #[arg(long)]
    database_url: Option<String>,
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
            Mode::Reports(args) => reports::run(args).await,
            Mode::Raw(args) => raw::run(args).await,
            Mode::Sse(args) => sse::run(args).await,
            Mode::Breakdown(args) => breakdown::run(args).await,
            Mode::Actions(args) => actions::run(args).await,
            Mode::SmtpSink(args) => smtp_sink::run(args).await,
            Mode::WebhookSink(args) => webhook_sink::run(args).await,
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
