//! Demo reports, so the demo campaigns look lived in: the finished "w4r-2017" gets reports on
//! about 85 % of its events (public and private), and the current campaign a handful on its events
//! that have already started (none before its first event day).
//!
//! Everything is drawn from a seeded RNG over the events in id order, so the same events always
//! get the same reports. Per event: one report, or one to three for schools and universities
//! (classes over several days); participants plausible for the kind of event (and no more than
//! its capacity); one to four pieces of writing per participant, about a quarter of them
//! solidarity messages, spread over several of the campaign's cases (some cases more popular
//! than others); a short fictional story on some, in the event's language, naming nobody; six
//! stories of the finished campaign's public events are featured.
//!
//! Reports go in through [`ingest::add_new`] with the event's host as author, in batches, so
//! counters, event totals and history are exactly what real reports produce (`writeathon
//! reconcile` finds nothing to repair). A campaign that already has a report gets none.

use std::collections::HashMap;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{Edition, PAST_SLUG, describe};
use crate::campaigns::store as campaigns;
use crate::db::Db;
use crate::events::Event;
use crate::events::store as events;
use crate::i18n::Lang;
use crate::reports::ReportInput;
use crate::reports::ingest::{self, NewReport};
use crate::reports::store::stories;

/// The share of the finished campaign's events that reported.
const PAST_SHARE: f64 = 0.85;
/// At most this many of the current campaign's started events get a report.
pub const CURRENT_EVENTS: usize = 4;
/// Reports per `add_new` transaction.
const BATCH: usize = 200;

/// Adds demo reports to the demo campaigns that have none yet; returns how many were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let current = super::current_slug(db.clock.today());
    let mut added = seed_campaign(db, PAST_SLUG, Edition::Past).await?;
    added += seed_campaign(db, &current, Edition::Current).await?;
    feature_stories(db).await?;
    Ok(added)
}

/// Featured stories of the finished campaign.
const FEATURED: usize = 6;

/// Features a few stories of the finished campaign when it has none, as its staff would have:
/// from public events, those with photos first, each of another country or kind of event
/// where there is a choice.
async fn feature_stories(db: &Db) -> anyhow::Result<()> {
    let Some(campaign) = campaigns::by_slug(db, PAST_SLUG, Lang::FALLBACK).await? else {
        return Ok(());
    };
    if !stories::featured(db, campaign.id, 1)
        .await
        .map_err(describe)?
        .is_empty()
    {
        return Ok(());
    }
    let mut candidates = stories::candidates(db, campaign.id, None, 500)
        .await
        .map_err(describe)?;
    // Stories of events with photos first: the page shows a story with its event's photos.
    let pictured: std::collections::HashSet<i64> = super::photos::pictured_events(db, campaign.id)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    candidates.sort_by_key(|c| !pictured.contains(&c.event_id));
    let mut chosen: Vec<&stories::StoryRow> = Vec::new();
    for story in &candidates {
        let seen = chosen
            .iter()
            .any(|c| c.country == story.country || c.kind == story.kind);
        if !seen && chosen.len() < FEATURED {
            chosen.push(story);
        }
    }
    for story in &candidates {
        if chosen.len() >= FEATURED {
            break;
        }
        if !chosen.iter().any(|c| c.report_id == story.report_id) {
            chosen.push(story);
        }
    }
    let ids: Vec<i64> = chosen.iter().map(|c| c.report_id).collect();
    stories::feature_unattended(db, &ids)
        .await
        .map_err(describe)
}

async fn seed_campaign(db: &Db, slug: &str, edition: Edition) -> anyhow::Result<usize> {
    let Some(campaign) = campaigns::by_slug(db, slug, Lang::FALLBACK).await? else {
        return Ok(0);
    };
    if ingest::count_in_campaign(db, campaign.id)
        .await
        .map_err(describe)?
        > 0
    {
        return Ok(0);
    }
    let mut cases: Vec<(i64, String)> = campaigns::case_ids(db, campaign.id)
        .await?
        .into_iter()
        .map(|(slug, id)| (id, slug))
        .collect();
    // In the order they were added: the RNG gives each its popularity in turn.
    cases.sort();
    if cases.is_empty() {
        return Ok(0);
    }
    let case_slugs: Arc<HashMap<i64, String>> = Arc::new(cases.iter().cloned().collect());
    let started = events::started_in_campaign(db, campaign.id, db.now_ms()).await?;
    if started.is_empty() {
        return Ok(0);
    }

    let mut rng = StdRng::seed_from_u64(match edition {
        Edition::Past => 2017_1210,
        Edition::Current => 1210,
    });
    // How popular each case is across the campaign: some draw many more letters than others.
    let popularity: Vec<f64> = cases.iter().map(|_| rng.gen_range(0.4..1.6)).collect();
    let mut batch = Vec::new();
    // When each report was sent (finished campaign only): after its event, before the deadline.
    let mut sent_at: Vec<Option<i64>> = Vec::new();
    let deadline = campaign
        .report_deadline
        .and_hms_opt(23, 0, 0)
        .map(|d| d.and_utc().timestamp_millis());
    let mut chosen = 0;
    for event in &started {
        let reports = match edition {
            Edition::Past if !rng.gen_bool(PAST_SHARE) => continue,
            Edition::Past => reports_of(&mut rng, event, &cases, &popularity),
            Edition::Current if chosen >= CURRENT_EVENTS => break,
            Edition::Current => {
                let mut one = reports_of(&mut rng, event, &cases, &popularity);
                one.truncate(1);
                one
            }
        };
        chosen += 1;
        for (i, input) in reports.into_iter().enumerate() {
            // The first report the evening after the event, later ones (other classes) days on.
            let hours = rng.gen_range(2..30) + 24 * i as i64 * rng.gen_range(1..4);
            sent_at.push(match (edition, deadline) {
                (Edition::Past, Some(deadline)) => {
                    Some((event.ends_at.timestamp_millis() + hours * 3_600_000).min(deadline))
                }
                _ => None,
            });
            batch.push(NewReport {
                event_id: event.id,
                campaign_id: event.campaign_id,
                author_id: event.host_id,
                flags: crate::reports::plausibility(&input, None),
                input,
                idempotency: None,
                case_slugs: case_slugs.clone(),
            });
        }
    }
    let mut conn = db.pool.acquire().await?;
    for (chunk, times) in batch.chunks(BATCH).zip(sent_at.chunks(BATCH)) {
        let answers = ingest::add_new(db.backend, &mut conn, db.now_ms(), chunk)
            .await
            .and_then(|outcomes| outcomes.into_iter().collect::<Result<Vec<_>, _>>())
            .map_err(|e| anyhow::anyhow!("demo reports for {slug}: {}", e.describe_in_english()))?;
        backdate(db, &answers, times).await?;
    }
    Ok(batch.len())
}

/// Dates the finished campaign's reports when they would have been sent, not today.
async fn backdate(
    db: &Db,
    answers: &[crate::web::idempotency::StoredResponse],
    times: &[Option<i64>],
) -> anyhow::Result<()> {
    let sent: Vec<(i64, i64)> = answers
        .iter()
        .zip(times)
        .filter_map(|(answer, at)| {
            let id = answer
                .location
                .as_deref()
                .and_then(|l| l.rsplit('/').next())
                .and_then(|id| id.parse::<i64>().ok());
            Some((id?, (*at)?))
        })
        .collect();
    if sent.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    ingest::set_sent_at(db.backend, &mut tx, &sent)
        .await
        .map_err(describe)?;
    tx.commit().await?;
    Ok(())
}

/// The range of participants for a kind of event, all its reports together.
fn participants_range(kind: &str) -> (i64, i64) {
    match kind {
        "home" => (3, 12),
        "school" => (20, 120),
        "university" => (15, 80),
        "faith" => (10, 60),
        "cafe" | "pub" => (8, 40),
        "community_centre" => (10, 50),
        "library" => (8, 35),
        "workplace" => (5, 30),
        "outdoor" => (10, 70),
        "online" => (5, 60),
        _ => (5, 40),
    }
}

/// The reports of one event (one to three).
fn reports_of(
    rng: &mut StdRng,
    event: &Event,
    cases: &[(i64, String)],
    popularity: &[f64],
) -> Vec<ReportInput> {
    let (low, high) = participants_range(event.kind.as_str());
    // Smaller gatherings are more common than big ones.
    let u: f64 = rng.r#gen();
    let mut participants = low + ((high - low) as f64 * u.powf(1.6)).round() as i64;
    if let Some(capacity) = event.capacity {
        participants = participants.min(capacity.max(low));
    }
    let count = match event.kind.as_str() {
        "school" => [1, 1, 2, 2, 3][rng.gen_range(0..5)],
        "university" => [1, 1, 1, 2, 3][rng.gen_range(0..5)],
        _ if rng.gen_bool(0.08) => 2,
        _ => 1,
    };
    let count = count.min(participants.max(1) as usize).max(1);
    let weights: Vec<f64> = (0..count).map(|_| rng.gen_range(0.6..1.4)).collect();
    let shares = spread(rng, participants, &weights);
    let story = rng
        .gen_bool(0.35)
        .then(|| super::text::highlight(rng, event.kind.as_str(), &event.language));
    shares
        .into_iter()
        .enumerate()
        .filter(|(_, p)| *p > 0)
        .map(|(i, p)| {
            let mut input = report(rng, p, cases, popularity);
            if i == 0
                && let Some(s) = &story
            {
                input.highlights = s.clone();
            }
            input
        })
        .collect()
}

/// One report of `participants` people.
fn report(
    rng: &mut StdRng,
    participants: i64,
    cases: &[(i64, String)],
    popularity: &[f64],
) -> ReportInput {
    let per_person: f64 = rng.gen_range(1.0..4.0);
    let written = ((participants as f64 * per_person).round() as i64).max(1);
    let solidarity = (written as f64 * rng.gen_range(0.15..0.4)).round() as i64;
    let letters = written - solidarity;
    // Several cases, the popular ones more likely, each with its own share.
    let how_many = rng.gen_range(2.min(cases.len())..=cases.len());
    let mut pool: Vec<usize> = (0..cases.len()).collect();
    let mut picked = Vec::new();
    while picked.len() < how_many {
        let total: f64 = pool.iter().map(|&i| popularity[i]).sum();
        let mut x = rng.gen_range(0.0..total);
        let mut at = pool.len() - 1;
        for (n, &i) in pool.iter().enumerate() {
            if x < popularity[i] {
                at = n;
                break;
            }
            x -= popularity[i];
        }
        picked.push(pool.remove(at));
    }
    let weights: Vec<f64> = picked
        .iter()
        .map(|&i| popularity[i] * rng.gen_range(0.5..1.5))
        .collect();
    let letters = spread(rng, letters, &weights);
    let solidarity_weights: Vec<f64> = weights
        .iter()
        .map(|w| w * rng.gen_range(0.3..1.7))
        .collect();
    let solidarity = spread(rng, solidarity, &solidarity_weights);
    let mut items: Vec<(i64, i64, i64)> = picked
        .iter()
        .zip(letters.iter().zip(&solidarity))
        .map(|(&i, (&l, &s))| (cases[i].0, l, s))
        .filter(|i| i.1 > 0 || i.2 > 0)
        .collect();
    items.sort();
    ReportInput {
        participants,
        items,
        highlights: String::new(),
    }
}

/// Splits `total` in proportion to `weights` (largest remainders get the odd units).
fn spread(rng: &mut StdRng, total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if weights.is_empty() || sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut left = total - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left <= 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    // Keep the RNG stream the same length whatever the numbers.
    let _: u8 = rng.r#gen();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_adds_up() {
        let mut rng = StdRng::seed_from_u64(1);
        for total in [0, 1, 7, 100, 12345] {
            let parts = spread(&mut rng, total, &[0.3, 1.0, 2.5, 0.01]);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert!(parts.iter().all(|p| *p >= 0));
        }
    }
}
