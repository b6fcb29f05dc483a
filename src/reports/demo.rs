//! Demo reports, so the demo campaigns look lived in: the finished "w4r-2017" gets reports on
//! about 85 % of its events (public and private), and the current campaign a handful on its events
//! that have already started (none before its first event day).
//!
//! Everything is drawn from a seeded RNG over the events in id order, so the same events always
//! get the same reports. Per event: one report, or one to three for schools and universities
//! (classes over several days); participants plausible for the kind of event (and no more than
//! its capacity); one to four pieces of writing per participant, about a quarter of them
//! solidarity messages, spread over several of the campaign's cases (some cases more popular
//! than others); a short fictional story on some, in the event's language, naming nobody.
//!
//! Reports go in through [`ingest::add_new`] with the event's host as author, in batches, so
//! counters, event totals and history are exactly what real reports produce (`writeathon
//! reconcile` finds nothing to repair). A campaign that already has a report gets none.

use std::collections::HashMap;

use chrono::Datelike;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;

use super::ReportInput;
use super::ingest::{self, NewReport};
use crate::db::Db;
use crate::events::Event;
use crate::events::store as events;

/// The finished demo campaign.
pub const PAST_SLUG: &str = "w4r-2017";
/// The share of the finished campaign's events that reported.
const PAST_SHARE: f64 = 0.85;
/// At most this many of the current campaign's started events get a report.
const CURRENT_EVENTS: usize = 4;
/// Reports per `add_new` transaction.
const BATCH: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edition {
    Past,
    Current,
}

/// Adds demo reports to the demo campaigns that have none yet; returns how many were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let (global_day, ..) = crate::campaigns::demo::current_dates(db.clock.today());
    let current = format!("w4r-{}", global_day.year());
    let mut added = seed_campaign(db, PAST_SLUG, Edition::Past).await?;
    added += seed_campaign(db, &current, Edition::Current).await?;
    Ok(added)
}

async fn seed_campaign(db: &Db, slug: &str, edition: Edition) -> anyhow::Result<usize> {
    let Some(row) = sqlx::query("SELECT id FROM campaigns WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(0);
    };
    let campaign_id: i64 = row.try_get(0)?;
    let existing: i64 = sqlx::query("SELECT COUNT(*) FROM reports WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    if existing > 0 {
        return Ok(0);
    }
    let case_rows = sqlx::query("SELECT id, slug FROM cases WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?;
    let mut cases: Vec<(i64, String)> = Vec::new();
    for r in &case_rows {
        cases.push((r.try_get("id")?, r.try_get("slug")?));
    }
    if cases.is_empty() {
        return Ok(0);
    }
    let case_slugs: std::sync::Arc<HashMap<i64, String>> =
        std::sync::Arc::new(cases.iter().cloned().collect());
    let sql = format!(
        "SELECT {} FROM events e WHERE e.campaign_id = $1 AND e.status = 'published' AND e.starts_at <= $2 \
         ORDER BY e.id",
        events::COLUMNS
    );
    let rows = sqlx::query(&sql)
        .bind(campaign_id)
        .bind(db.now_ms())
        .fetch_all(&db.pool)
        .await?;
    let started: Vec<Event> = rows
        .iter()
        .map(events::from_row)
        .collect::<Result<_, _>>()?;
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
    let deadline = sqlx::query("SELECT report_deadline FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&db.pool)
        .await?
        .try_get::<String, _>(0)?
        .parse::<chrono::NaiveDate>()
        .ok()
        .and_then(|d| d.and_hms_opt(23, 0, 0))
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
                flags: super::plausibility(&input, None),
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

/// Dates the finished campaign's reports (and their history) when they would have been sent,
/// not today. Counts are untouched.
async fn backdate(
    db: &Db,
    answers: &[crate::web::idempotency::StoredResponse],
    times: &[Option<i64>],
) -> anyhow::Result<()> {
    if times.iter().all(Option::is_none) {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for (answer, at) in answers.iter().zip(times) {
        let id = answer
            .location
            .as_deref()
            .and_then(|l| l.rsplit('/').next())
            .and_then(|id| id.parse::<i64>().ok());
        let (Some(id), Some(at)) = (id, at) else {
            continue;
        };
        sqlx::query("UPDATE reports SET created_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
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
    let (low, high) = participants_range(&event.kind);
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
    let french = event.language == "fr";
    let story = rng
        .gen_bool(0.35)
        .then(|| highlight(rng, &event.kind, french));
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

/// A short, fictional story from an event, naming nobody.
fn highlight(rng: &mut StdRng, kind: &str, french: bool) -> String {
    let specific: &[&str] = match (kind, french) {
        ("school", false) => &[
            "Two classes wrote over lunch break; the art club drew the solidarity cards.",
            "The Year 10 class read each case aloud before writing. Several students asked to do it again next year.",
            "The pupils kept a tally on the whiteboard and cheered every hundred letters.",
        ],
        ("school", true) => &[
            "Deux classes ont écrit pendant la pause du midi ; le club d'arts plastiques a dessiné les cartes de solidarité.",
            "Les élèves de seconde ont lu chaque dossier à voix haute avant d'écrire. Plusieurs veulent recommencer l'an prochain.",
            "Les élèves ont tenu le compte au tableau et applaudi chaque centaine de lettres.",
        ],
        ("university", false) => &[
            "The students' society set up tables in the library foyer; people dropped in between lectures.",
            "A law lecturer gave a ten-minute talk on how letters reach the authorities, then everyone wrote.",
        ],
        ("university", true) => &[
            "L'association étudiante a installé des tables dans le hall de la bibliothèque ; on passait entre deux cours.",
            "Une enseignante de droit a expliqué en dix minutes le chemin d'une lettre, puis tout le monde a écrit.",
        ],
        ("faith", false) => &[
            "After the service the congregation stayed for tea and letters; the youngest wrote alongside their grandparents.",
        ],
        ("faith", true) => &[
            "Après l'office, l'assemblée est restée pour un thé et des lettres ; les plus jeunes écrivaient avec leurs grands-parents.",
        ],
        ("home", false) => &[
            "A quiet evening round the kitchen table: soup, candles and a pile of envelopes.",
            "Neighbours brought cake and stayed until every envelope was sealed.",
        ],
        ("home", true) => &[
            "Une soirée tranquille autour de la table de la cuisine : soupe, bougies et une pile d'enveloppes.",
            "Les voisins ont apporté un gâteau et sont restés jusqu'à la dernière enveloppe.",
        ],
        ("cafe" | "pub", false) => &[
            "The owners gave us the back room and a pot of tea per table; some regulars joined in on the spot.",
            "A busy night: we read a short piece about each case, then the pens came out.",
        ],
        ("cafe" | "pub", true) => &[
            "Les patrons nous ont prêté l'arrière-salle ; quelques habitués se sont joints à nous sur place.",
            "Une soirée animée : une courte lecture pour chaque dossier, puis tout le monde a pris la plume.",
        ],
        ("community_centre" | "library", false) => {
            &["Children decorated the solidarity cards while their parents wrote the letters."]
        }
        ("community_centre" | "library", true) => &[
            "Les enfants ont décoré les cartes de solidarité pendant que leurs parents écrivaient les lettres.",
        ],
        _ => &[],
    };
    let general: &[&str] = if french {
        &[
            "Plusieurs personnes venaient pour la première fois et sont restées jusqu'au bout.",
            "Nous avons manqué d'enveloppes à mi-chemin et en avons emprunté chez les voisins.",
            "Une carte du monde au mur : une punaise pour chaque pays auquel nous avons écrit.",
            "Notre doyenne avait 91 ans et a écrit trois lettres d'une très belle écriture.",
            "On a commencé timidement, puis la salle ne désemplissait plus.",
        ]
    } else {
        &[
            "Several first-timers came and stayed until the end.",
            "We ran out of envelopes halfway and borrowed more from next door.",
            "A world map on the wall: one pin for every country we wrote to.",
            "Our oldest writer was 91 and wrote three letters in beautiful handwriting.",
            "It started slowly, then the room never emptied.",
        ]
    };
    let list = if !specific.is_empty() && rng.gen_bool(0.6) {
        specific
    } else {
        general
    };
    list[rng.gen_range(0..list.len())].to_string()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    async fn count(db: &Db, sql: &str) -> i64 {
        sqlx::query(sql)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    }

    #[test]
    fn spread_adds_up() {
        let mut rng = StdRng::seed_from_u64(1);
        for total in [0, 1, 7, 100, 12345] {
            let parts = spread(&mut rng, total, &[0.3, 1.0, 2.5, 0.01]);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert!(parts.iter().all(|p| *p >= 0));
        }
    }

    #[tokio::test]
    async fn the_finished_campaign_reports_and_the_tally_reconciles() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        crate::geo::find("Toronto", "CA", None).unwrap();
        let started = Instant::now();
        crate::campaigns::demo::seed(&db).await.unwrap();
        println!("demo with reports seeded in {:?}", started.elapsed());

        let events = count(
            &db,
            "SELECT COUNT(*) FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = 'w4r-2017'",
        )
        .await;
        let reported = count(
            &db,
            "SELECT COUNT(DISTINCT r.event_id) FROM reports r JOIN campaigns c ON c.id = r.campaign_id \
             WHERE c.slug = 'w4r-2017'",
        )
        .await;
        let share = reported as f64 / events as f64;
        assert!((0.78..=0.92).contains(&share), "{reported} of {events}");
        let private = count(
            &db,
            "SELECT COUNT(DISTINCT r.event_id) FROM reports r JOIN events e ON e.id = r.event_id \
             WHERE e.visibility = 'private'",
        )
        .await;
        assert!(private > 10, "{private} private events reported");
        // Every report is by its event's host and has a history line; some have a story.
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM reports r JOIN events e ON e.id = r.event_id WHERE r.author_id <> e.host_id"
            )
            .await,
            0
        );
        // Nothing was changed after it was sent: no history beyond each report's own "created".
        assert_eq!(count(&db, "SELECT COUNT(*) FROM report_history").await, 0);
        assert!(count(&db, "SELECT COUNT(*) FROM reports WHERE highlights <> ''").await > 30);
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM reports WHERE flags <> ''").await,
            0
        );
        // Sent after the event and by the deadline (31 January 2018), not today.
        let misdated = count(
            &db,
            "SELECT COUNT(*) FROM reports r JOIN events e ON e.id = r.event_id \
             JOIN campaigns c ON c.id = r.campaign_id \
             WHERE c.slug = 'w4r-2017' AND (r.created_at < e.ends_at OR r.created_at > 1517439600000)",
        )
        .await;
        assert_eq!(misdated, 0);
        let schools = count(
            &db,
            "SELECT COUNT(*) FROM (SELECT r.event_id FROM reports r JOIN events e ON e.id = r.event_id \
             WHERE e.kind = 'school' GROUP BY r.event_id HAVING COUNT(*) > 1) x",
        )
        .await;
        assert!(schools > 5, "{schools} schools reported more than once");
        let letters = count(&db, "SELECT CAST(SUM(letters) AS BIGINT) FROM report_items").await;
        let solidarity = count(
            &db,
            "SELECT CAST(SUM(solidarity) AS BIGINT) FROM report_items",
        )
        .await;
        let participants =
            count(&db, "SELECT CAST(SUM(participants) AS BIGINT) FROM reports").await;
        assert!(
            solidarity < letters && letters > 0,
            "{letters} / {solidarity}"
        );
        let per_person = (letters + solidarity) as f64 / participants as f64;
        assert!((1.0..=4.0).contains(&per_person), "{per_person}");

        // The counters are exactly what the reports add up to.
        let drift = crate::reports::reconcile::reconcile(&db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");

        // Again: nothing more.
        let reports = count(&db, "SELECT COUNT(*) FROM reports").await;
        assert_eq!(seed(&db).await.unwrap(), 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM reports").await, reports);
    }

    #[tokio::test]
    async fn the_same_events_get_the_same_reports() {
        let mut totals = Vec::new();
        for _ in 0..2 {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("demo.db").display());
            let db = Db::connect(&url).await.unwrap();
            db.migrate().await.unwrap();
            crate::campaigns::demo::seed(&db).await.unwrap();
            totals.push((
                count(&db, "SELECT COUNT(*) FROM reports").await,
                count(&db, "SELECT CAST(SUM(letters) AS BIGINT) FROM report_items").await,
                count(&db, "SELECT CAST(SUM(participants) AS BIGINT) FROM reports").await,
            ));
        }
        assert_eq!(totals[0], totals[1]);
    }

    #[tokio::test]
    async fn the_current_campaign_gets_a_handful_once_its_events_have_started() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        crate::campaigns::demo::seed(&db).await.unwrap();
        let (g, ..) = crate::campaigns::demo::current_dates(db.clock.today());
        let slug = format!("w4r-{}", g.year());
        let current_reports = |db: Db, slug: String| async move {
            sqlx::query(
                "SELECT COUNT(*) FROM reports r JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug = $1",
            )
            .bind(slug)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
        };
        let before = current_reports(db.clone(), slug.clone()).await;
        assert!(before <= CURRENT_EVENTS as i64, "{before}");
        if before == 0 {
            // As on a day when some of its events have begun: move six of them an hour back.
            let hour_ago = db.now_ms() - 3_600_000;
            sqlx::query(
                "UPDATE events SET starts_at = $1 WHERE id IN (SELECT e.id FROM events e \
                 JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = $2 ORDER BY e.id LIMIT 6)",
            )
            .bind(hour_ago)
            .bind(&slug)
            .execute(&db.pool)
            .await
            .unwrap();
            assert_eq!(seed(&db).await.unwrap(), CURRENT_EVENTS);
            assert_eq!(
                current_reports(db.clone(), slug.clone()).await,
                CURRENT_EVENTS as i64
            );
        }
        assert_eq!(seed(&db).await.unwrap(), 0);
        let drift = crate::reports::reconcile::reconcile(&db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
    }

    #[tokio::test]
    async fn reports_alone_are_fast() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        crate::campaigns::demo::seed(&db).await.unwrap();
        sqlx::query("DELETE FROM report_history")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM report_items")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM reports")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM tally_counters")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM event_totals")
            .execute(&db.pool)
            .await
            .unwrap();
        let started = Instant::now();
        let added = seed(&db).await.unwrap();
        let elapsed = started.elapsed();
        println!("{added} demo reports in {elapsed:?}");
        assert!(added > 250, "{added}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        let drift = crate::reports::reconcile::reconcile(&db, None)
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
    }
}
