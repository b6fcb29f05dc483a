//! Reading the tally out of the counters, in the shape of API-v1.md.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;

use crate::db::Db;
use crate::geo;
use crate::web::i18n::Lang;

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub events_registered: i64,
    pub events_reported: i64,
    pub countries: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCountry {
    pub country: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByRegion {
    pub region: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCity {
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCase {
    pub case: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByKind {
    pub kind: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
}

/// The tally of one campaign. `events` in each breakdown counts registered (published) events.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tally {
    pub campaign: String,
    pub updated_at: String,
    pub totals: Totals,
    pub by_country: Vec<ByCountry>,
    pub by_region: Vec<ByRegion>,
    pub by_city: Vec<ByCity>,
    pub by_case: Vec<ByCase>,
    pub by_kind: Vec<ByKind>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    letters: i64,
    solidarity: i64,
    participants: i64,
    reported: i64,
    registered: i64,
}

/// Builds a campaign's tally; names of places in `lang`.
pub async fn build(
    db: &Db,
    campaign_id: i64,
    slug: &str,
    lang: Lang,
) -> Result<Tally, sqlx::Error> {
    let mut dims: HashMap<(String, String), Sums> = HashMap::new();
    let rows = sqlx::query(
        "SELECT dimension, dim_key, letters, solidarity, participants, events_reported FROM tally_counters WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await?;
    for r in &rows {
        let s = dims
            .entry((r.try_get("dimension")?, r.try_get("dim_key")?))
            .or_default();
        s.letters += r.try_get::<i64, _>("letters")?;
        s.solidarity += r.try_get::<i64, _>("solidarity")?;
        s.participants += r.try_get::<i64, _>("participants")?;
        s.reported += r.try_get::<i64, _>("events_reported")?;
    }
    // Registered events: published ones, public and private.
    let rows = sqlx::query(
        "SELECT country, region, city, kind, COUNT(*) AS n FROM events WHERE campaign_id = $1 AND status = 'published' \
         GROUP BY country, region, city, kind",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await?;
    for r in &rows {
        let n: i64 = r.try_get("n")?;
        let country: String = r.try_get("country")?;
        let region: Option<String> = r.try_get("region")?;
        let city: String = r.try_get("city")?;
        let kind: String = r.try_get("kind")?;
        let mut keys = vec![
            ("world".to_string(), String::new()),
            ("country".to_string(), country.clone()),
            (
                "city".to_string(),
                crate::reports::store::city_key(&country, region.as_deref(), &city),
            ),
            ("kind".to_string(), kind),
        ];
        if let Some(region) = region {
            keys.push(("region".to_string(), region));
        }
        for key in keys {
            dims.entry(key).or_default().registered += n;
        }
    }
    let cases = sqlx::query("SELECT id, slug, name FROM cases WHERE campaign_id = $1 ORDER BY id")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?;
    let world = dims
        .get(&("world".to_string(), String::new()))
        .copied()
        .unwrap_or_default();
    let of = |dim: &str| -> Vec<(String, Sums)> {
        let mut v: Vec<(String, Sums)> = dims
            .iter()
            .filter(|((d, _), _)| d == dim)
            .map(|((_, k), s)| (k.clone(), *s))
            .collect();
        v.sort_by(|a, b| {
            (b.1.letters + b.1.solidarity, b.1.registered)
                .cmp(&(a.1.letters + a.1.solidarity, a.1.registered))
                .then(a.0.cmp(&b.0))
        });
        v
    };
    let by_country: Vec<ByCountry> = of("country")
        .into_iter()
        .map(|(k, s)| ByCountry {
            name: geo::country_name(&k, lang).unwrap_or(&k).to_string(),
            country: k,
            letters: s.letters,
            solidarity: s.solidarity,
            events: s.registered,
        })
        .collect();
    let countries = by_country
        .iter()
        .filter(|c| c.events > 0 || c.letters + c.solidarity > 0)
        .count() as i64;
    let mut by_case: Vec<ByCase> = Vec::new();
    for r in &cases {
        let id: i64 = r.try_get("id")?;
        let s = dims
            .get(&("case".to_string(), id.to_string()))
            .copied()
            .unwrap_or_default();
        by_case.push(ByCase {
            case: r.try_get("slug")?,
            name: r.try_get("name")?,
            letters: s.letters,
            solidarity: s.solidarity,
        });
    }
    Ok(Tally {
        campaign: slug.to_string(),
        updated_at: db
            .clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        totals: Totals {
            letters: world.letters,
            solidarity: world.solidarity,
            participants: world.participants,
            events_registered: world.registered,
            events_reported: world.reported,
            countries,
        },
        by_country,
        by_region: of("region")
            .into_iter()
            .map(|(k, s)| ByRegion {
                name: geo::region_name(&k, lang).unwrap_or(&k).to_string(),
                region: k,
                letters: s.letters,
                solidarity: s.solidarity,
                events: s.registered,
            })
            .collect(),
        by_city: of("city")
            .into_iter()
            .map(|(k, s)| {
                let mut parts = k.splitn(3, '|');
                let country = parts.next().unwrap_or_default().to_string();
                let region = parts.next().filter(|r| !r.is_empty()).map(str::to_string);
                let city = parts.next().unwrap_or_default().to_string();
                ByCity {
                    country,
                    region,
                    city,
                    letters: s.letters,
                    solidarity: s.solidarity,
                    events: s.registered,
                }
            })
            .collect(),
        by_case,
        by_kind: of("kind")
            .into_iter()
            .map(|(k, s)| ByKind {
                kind: k,
                letters: s.letters,
                solidarity: s.solidarity,
                events: s.registered,
            })
            .collect(),
    })
}
