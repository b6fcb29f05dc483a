//! The demo's online actions: a thousand confirmed signers per campaign (about two thousand
//! actions), spread over its cases and over many countries, so the tally shows both halves
//! (letters and online). They go in through the actions' own store functions and move the
//! counters by the path every confirmation takes (`Deltas::online`), so `reconcile` finds the
//! tally as it left it.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::data::NAMES;
use super::text::pick;
use crate::actions::store::{self, NewRow};
use crate::campaigns::store as campaigns;
use crate::db::Db;
use crate::geo;
use crate::i18n::Lang;
use crate::reports::store::Deltas;

/// Signers per campaign; each acts on one to three of its cases.
const SIGNERS: usize = 1000;

/// Where signers are, with rough weights: many countries, a few with most of them.
const COUNTRIES: [(&str, u32); 24] = [
    ("US", 14),
    ("GB", 10),
    ("CA", 9),
    ("FR", 9),
    ("DE", 7),
    ("ES", 6),
    ("MX", 5),
    ("BR", 5),
    ("AU", 4),
    ("IT", 4),
    ("NL", 3),
    ("BE", 3),
    ("IE", 2),
    ("CH", 2),
    ("AR", 2),
    ("CL", 2),
    ("CO", 2),
    ("PE", 1),
    ("SN", 1),
    ("CI", 1),
    ("KE", 2),
    ("NG", 2),
    ("ZA", 2),
    ("NZ", 2),
];

/// Adds the demo's actions to each campaign that has none yet; returns how many were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let mut added = 0;
    for (campaign_id, slug) in campaign_ids(db).await? {
        if !store::counted_per_case(db, campaign_id).await?.is_empty() {
            continue;
        }
        let cases = campaigns::cases(db, campaign_id, Lang::FALLBACK).await?;
        if cases.is_empty() {
            continue;
        }
        let mut rng = StdRng::seed_from_u64(20_261_210 + campaign_id as u64);
        let total: u32 = COUNTRIES.iter().map(|c| c.1).sum();
        let mut people = Vec::with_capacity(SIGNERS);
        for i in 0..SIGNERS {
            let mut draw = rng.gen_range(0..total);
            let country = COUNTRIES
                .iter()
                .find(|(_, w)| {
                    let hit = draw < *w;
                    draw = draw.saturating_sub(*w);
                    hit
                })
                .map_or("US", |c| c.0);
            let lang = match country {
                "FR" | "BE" | "CH" | "SN" | "CI" => "fr",
                "ES" | "MX" | "AR" | "CL" | "CO" | "PE" => "es",
                _ => "en",
            };
            let (first, last) = (
                pick(&mut rng, NAMES.first(lang)),
                pick(&mut rng, NAMES.last(lang)),
            );
            let email = format!(
                "{}.{}.{i}@signers.example.org",
                geo::fold(first).replace(' ', "-"),
                geo::fold(last).replace(' ', "-"),
            );
            let n = rng.gen_range(1..=3.min(cases.len()));
            let start = rng.gen_range(0..cases.len());
            let chosen: Vec<i64> = (0..n)
                .map(|k| cases[(start + k) % cases.len()].id)
                .collect();
            let message = if rng.gen_bool(0.2) {
                format!("{first} {last} stands with you.")
            } else {
                String::new()
            };
            let updates = rng.gen_bool(0.3);
            // One network each: the demo has no clusters for staff to find.
            let net = format!("demo-{i}");
            people.push((
                format!("{first} {last}"),
                email,
                country,
                lang,
                chosen,
                message,
                updates,
                net,
            ));
        }
        let now = db.now_ms();
        let mut tx = db.begin_write().await?;
        let rows: Vec<NewRow> = people
            .iter()
            .flat_map(
                |(name, email, country, lang, chosen, message, updates, net)| {
                    chosen.iter().map(move |case_id| NewRow {
                        campaign_id,
                        case_id: *case_id,
                        email,
                        domain: "signers.example.org",
                        name,
                        country,
                        message,
                        updates: i64::from(*updates),
                        language: lang,
                        disposable: 0,
                        ip_net: net,
                    })
                },
            )
            .collect();
        store::insert_actions(db.backend, &mut tx, now, &rows).await?;
        let mut deltas = Deltas::default();
        for (case_id, country) in store::confirm_campaign(&mut tx, now, campaign_id, now).await? {
            deltas.online(campaign_id, case_id, &country, 1);
            added += 1;
        }
        deltas.apply(db.backend, &mut tx).await?;
        tx.commit().await?;
        tracing::info!(campaign = %slug, "demo online actions added");
    }
    Ok(added)
}

async fn campaign_ids(db: &Db) -> anyhow::Result<Vec<(i64, String)>> {
    Ok(crate::reports::store::recount::campaigns(db).await?)
}
