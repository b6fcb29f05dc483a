//! `writeathon seed-bench`: many generated events over the world's towns, for the finder's and
//! the tally's benchmarks (`bench/finder.sh`, `bench/tally.sh`). Same generator as the demo's
//! events, through the same checks and `events::store::insert`.

use std::time::{Duration, Instant};

use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::data::{EVENTS, NAMES};
use super::events::make_draft;
use super::hosts;
use super::text::pick;
use crate::campaigns::Campaign;
use crate::db::Db;
use crate::events::store;
use crate::geo::{self, Place};

const BENCH_HOSTS: usize = 500;

/// Every place in the gazetteer whose folded name starts with a letter or digit (all but a few
/// hundred of them), found through `geo::search` one two-character prefix at a time.
pub fn world_towns() -> Vec<Place> {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = Vec::new();
    for &a in ALNUM {
        for &b in ALNUM {
            let (a, b) = (a as char, b as char);
            out.extend(geo::search(&format!("{a}{b}"), None, usize::MAX));
            out.extend(geo::search(&format!("{a} {b}"), None, usize::MAX));
        }
    }
    out
}

/// `writeathon seed-bench`'s options.
#[derive(clap::Args, Debug)]
pub struct SeedBenchArgs {
    /// How many events to add.
    #[arg(long)]
    pub events: usize,
    /// The campaign to add them to (it must exist: run seed-demo first).
    #[arg(long, default_value = "w4r-2017")]
    pub campaign: String,
    /// Events per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
    /// The RNG seed: the same seed gives the same events.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub db: crate::config::DbArgs,
}

/// What `seed_bench` did.
#[derive(Debug)]
pub struct BenchReport {
    pub inserted: usize,
    pub towns: usize,
    pub elapsed: Duration,
}

/// Whether a benchmark event in this place is in French.
fn in_french(rng: &mut StdRng, place: &Place) -> bool {
    EVENTS
        .bench_french_countries
        .iter()
        .any(|c| c == place.country)
        || place.region == Some("CA-QC")
        || (matches!(place.country, "BE" | "CH" | "LU") && rng.gen_bool(0.4))
        || (place.region == Some("CA-NB") && rng.gen_bool(0.3))
}

/// Adds `count` generated events to `campaign`, spread over the world's towns by population,
/// `batch` per transaction, hosted by `bench-host-N@example.org` accounts (no password).
pub async fn seed_bench(
    db: &Db,
    campaign: &Campaign,
    count: usize,
    batch: usize,
    seed: u64,
) -> anyhow::Result<BenchReport> {
    let started = Instant::now();
    let towns = world_towns();
    let weights = WeightedIndex::new(towns.iter().map(|t| f64::from(t.population.max(1))))?;
    let mut rng = StdRng::seed_from_u64(seed);
    let hosts = {
        let mut tx = db.begin_write().await?;
        let hosts = hosts::ensure(&mut tx, db.now_ms(), "bench-host", BENCH_HOSTS).await?;
        tx.commit().await?;
        hosts
    };
    let mut inserted = 0;
    let mut refused = 0;
    while inserted < count {
        let mut tx = db.begin_write().await?;
        let safety = store::safety_countries(&mut tx).await?;
        let end = (inserted + batch.max(1)).min(count);
        while inserted < end {
            let place = towns[weights.sample(&mut rng)];
            let lang = if in_french(&mut rng, &place) {
                "fr"
            } else {
                "en"
            };
            let host_first = pick(&mut rng, NAMES.first(lang));
            let draft = make_draft(&mut rng, campaign, &place, lang, host_first);
            // A few gazetteer places are in territories the country list does not know.
            let Ok(input) = draft.check(campaign) else {
                refused += 1;
                if refused > count + 1000 {
                    anyhow::bail!("the generator's events keep failing the checks");
                }
                continue;
            };
            let host = hosts[rng.gen_range(0..hosts.len())];
            store::insert(
                &mut tx,
                db.now_ms(),
                campaign.id,
                host,
                &input,
                safety.contains(&input.country),
            )
            .await?;
            inserted += 1;
        }
        tx.commit().await?;
    }
    Ok(BenchReport {
        inserted,
        towns: towns.len(),
        elapsed: started.elapsed(),
    })
}

/// `writeathon seed-bench`, on an open and migrated database.
pub async fn seed_bench_command(db: &Db, args: &SeedBenchArgs) -> anyhow::Result<()> {
    let campaign =
        crate::campaigns::store::by_slug(db, &args.campaign, crate::i18n::Lang::FALLBACK)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("no campaign {:?}: run seed-demo first", args.campaign)
            })?;
    let report = seed_bench(db, &campaign, args.events, args.batch, args.seed).await?;
    let secs = report.elapsed.as_secs_f64();
    eprintln!(
        "seed-bench: {} events added to {} in {secs:.1} s ({:.0} events/s; {} towns, {} per transaction)",
        report.inserted,
        campaign.slug,
        report.inserted as f64 / secs.max(1e-9),
        report.towns,
        args.batch
    );
    Ok(())
}
