//! `actions`: a viral burst of online actions over HTTP (each from its own address, the server
//! trusting `X-Forwarded-For` and asked for no challenge), measuring acknowledged (202: stored
//! durably with its confirmation mail queued) actions per second; then, with `--confirm`, the
//! confirmation links read from the outbox pressed as fast as the server counts them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::json;

use super::{ActionsArgs, case_slugs, percentile_ms};

/// Mail domains the signers' addresses spread over: a viral wave comes from many providers, and
/// the server limits actions per domain (`actions::abuse::PER_DOMAIN`, 6,000 a minute).
const DOMAINS: usize = 1000;

pub(crate) async fn run(args: ActionsArgs) -> anyhow::Result<()> {
    let base = args.base.trim_end_matches('/').to_string();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let cases = Arc::new(case_slugs(&client, &base, &args.campaign).await?);
    let run_id = format!("{:08x}", rand::random::<u32>());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..args.concurrency {
        let (client, base, cases, next, run_id) = (
            client.clone(),
            base.clone(),
            cases.clone(),
            next.clone(),
            run_id.clone(),
        );
        let campaign = args.campaign.clone();
        let n = args.requests;
        senders.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let case = &cases[i % cases.len()];
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/api/v1/campaigns/{campaign}/cases/{case}/actions"))
                    .header("x-forwarded-for", format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255))
                    .json(&json!({"name": "Viral Signer", "email": format!("v{run_id}-{i}@mail{}.example.org", i % DOMAINS), "country": "GB"}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().as_u16() == 202 => latencies.push(t.elapsed().as_micros() as u64),
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for s in senders {
        let (l, e) = s.await?;
        latencies.extend(l);
        errors += e;
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let rate = latencies.len() as f64 / secs;
    println!(
        "actions: {} acknowledged in {secs:.2} s = {rate:.0}/s; p50 {:.1} ms, p99 {:.1} ms; {errors} errors",
        latencies.len(),
        percentile_ms(&latencies, 50.0),
        percentile_ms(&latencies, 99.0)
    );
    let mut confirm_rate = 0.0;
    if let Some(url) = &args.database_url {
        // The links, as mailed (the outbox keeps the formatted message).
        let db = writeathon::db::Db::connect(url).await?;
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT message FROM outbox WHERE kind = 'action-confirm' AND recipient LIKE $1",
        )
        .bind(format!("v{run_id}-%"))
        .fetch_all(&db.pool)
        .await?;
        let links: Vec<String> = rows
            .iter()
            .filter_map(|(m,)| {
                let m = m.replace("=\r\n", "");
                let at = m.find("/actions/confirm/")?;
                Some(
                    m[at..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
                        .collect(),
                )
            })
            .collect();
        // One browser session: its CSRF cookie and token serve every press of the button.
        let browser = client.clone();
        let first = browser.get(format!("{base}{}", links[0])).send().await?;
        let cookie: Vec<String> = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
            .collect();
        let cookie = cookie.join("; ");
        let page = first.text().await?;
        let marker = "name=\"csrf\" value=\"";
        let token = page[page.find(marker).map_or(0, |i| i + marker.len())..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string();
        let links = Arc::new(links);
        let next = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut senders = Vec::new();
        for _ in 0..args.concurrency {
            let (browser, base, links, next, token, cookie) = (
                browser.clone(),
                base.clone(),
                links.clone(),
                next.clone(),
                token.clone(),
                cookie.clone(),
            );
            senders.push(tokio::spawn(async move {
                let mut ok = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(link) = links.get(i) else { break };
                    let r = browser
                        .post(format!("{base}{link}"))
                        .header("cookie", &cookie)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(format!("csrf={token}"))
                        .send()
                        .await;
                    if r.is_ok_and(|r| r.status().as_u16() == 200) {
                        ok += 1;
                    }
                }
                ok
            }));
        }
        let mut ok = 0;
        for s in senders {
            ok += s.await?;
        }
        let secs = started.elapsed().as_secs_f64();
        confirm_rate = ok as f64 / secs;
        println!(
            "confirmations: {ok} of {} in {secs:.2} s = {confirm_rate:.0}/s",
            links.len()
        );
    }
    println!(
        "RESULT actions_per_s={rate:.0} confirmations_per_s={confirm_rate:.0} errors={errors}"
    );
    Ok(())
}
