//! Reading the tally out of the counters, in the shape of API-v1.md.
//!
//! Cells that would point at one private event are not published on their own (API-v1.md,
//! "Additions"): a city whose events include a private or home one and that has fewer than
//! [`MIN_EVENTS`] events (registered, or reported) is folded into a row for the rest of its region
//! (`"city": null`), and that row into one for the rest of the country (`"region": null`) when it
//! or its region is as thin; a region that thin leaves `by_region` (it stays in its country's
//! row). A country under safety mode shows no city at all. The counters are not touched: this is
//! how they are read, so `reconcile` recounts the same rows either way, and the `by_city` rows
//! still add up to the world.

use std::collections::HashMap;

use super::store;
use crate::db::Db;
use crate::geo;
use crate::i18n::Lang;
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub events_registered: i64,
    pub events_reported: i64,
    pub countries: i64,
    /// Confirmed online actions.
    pub online: i64,
    /// Letters + solidarity + online.
    pub actions: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCountry {
    pub country: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
    pub online: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByRegion {
    pub region: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
    pub online: i64,
}

/// A town's numbers, or (`city: None`) those of towns of a region, or (`region: None` too) of
/// a country, not shown on their own.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCity {
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
    pub online: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByCase {
    pub case: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub online: i64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ByKind {
    pub kind: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
    pub online: i64,
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
    online: i64,
}

impl Sums {
    fn add(&mut self, o: Sums) {
        self.letters += o.letters;
        self.solidarity += o.solidarity;
        self.participants += o.participants;
        self.reported += o.reported;
        self.registered += o.registered;
        self.online += o.online;
    }
}

/// Fewer events than this in a cell with a private or home event, and the cell is not shown.
pub const MIN_EVENTS: i64 = 3;

/// Private and home events among a cell's registered and reported ones.
#[derive(Default, Clone, Copy)]
struct Hidden {
    registered: i64,
    reported: i64,
}

impl Hidden {
    fn add(&mut self, o: Hidden) {
        self.registered += o.registered;
        self.reported += o.reported;
    }
}

/// Whether a cell would point at a few events of which one is private or at home.
fn too_thin(s: &Sums, h: &Hidden) -> bool {
    (h.registered > 0 && s.registered < MIN_EVENTS) || (h.reported > 0 && s.reported < MIN_EVENTS)
}

/// Builds a campaign's tally; names of places in `lang`.
pub async fn build(
    db: &Db,
    campaign_id: i64,
    slug: &str,
    lang: Lang,
) -> Result<Tally, sqlx::Error> {
    let mut dims: HashMap<(String, String), Sums> = HashMap::new();
    for r in store::counters(db, campaign_id).await? {
        let s = dims.entry((r.dimension, r.dim_key)).or_default();
        s.letters += r.letters;
        s.solidarity += r.solidarity;
        s.participants += r.participants;
        s.reported += r.events_reported;
        s.online += r.online;
    }
    // Private and home events per city and region, registered or reported.
    let mut hidden: HashMap<(&'static str, String), Hidden> = HashMap::new();
    // Registered events: published ones, public and private.
    for r in store::registered(db, campaign_id).await? {
        let store::Registered {
            country,
            region,
            city,
            kind,
            visibility,
            n,
        } = r;
        let city_key = city_key(&country, region.as_deref(), &city);
        if visibility == "private" || kind == "home" {
            hidden
                .entry(("city", city_key.clone()))
                .or_default()
                .registered += n;
            if let Some(region) = &region {
                hidden
                    .entry(("region", region.clone()))
                    .or_default()
                    .registered += n;
            }
        }
        let mut keys = vec![
            ("world".to_string(), String::new()),
            ("country".to_string(), country.clone()),
            ("city".to_string(), city_key),
            ("kind".to_string(), kind),
        ];
        if let Some(region) = region {
            keys.push(("region".to_string(), region));
        }
        for key in keys {
            dims.entry(key).or_default().registered += n;
        }
    }
    // Reported ones, whatever their status now (their reports still count).
    for r in store::hidden_reported(db, campaign_id).await? {
        let store::HiddenReported {
            country,
            region,
            city,
            n,
        } = r;
        let city_key = city_key(&country, region.as_deref(), &city);
        hidden.entry(("city", city_key)).or_default().reported += n;
        if let Some(region) = region {
            hidden.entry(("region", region)).or_default().reported += n;
        }
    }
    let safety: std::collections::HashSet<String> =
        store::safety_countries(db).await?.into_iter().collect();
    let cases = store::cases(db, campaign_id).await?;
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
            (b.1.letters + b.1.solidarity + b.1.online, b.1.registered)
                .cmp(&(a.1.letters + a.1.solidarity + a.1.online, a.1.registered))
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
            online: s.online,
        })
        .collect();
    let countries = by_country
        .iter()
        .filter(|c| c.events > 0 || c.letters + c.solidarity + c.online > 0)
        .count() as i64;
    let hidden_of = |dim: &'static str, key: &str| {
        hidden
            .get(&(dim, key.to_string()))
            .copied()
            .unwrap_or_default()
    };
    let region_too_thin = |region: &str, s: &Sums| too_thin(s, &hidden_of("region", region));
    let region_sums = |region: &str| {
        dims.get(&("region".to_string(), region.to_string()))
            .copied()
            .unwrap_or_default()
    };
    // Towns shown on their own; the rest added up per region, then per country.
    let mut by_city = Vec::new();
    let mut rest_of_region: HashMap<(String, Option<String>), (Sums, Hidden)> = HashMap::new();
    for (key, s) in of("city") {
        let mut parts = key.splitn(3, '|');
        let country = parts.next().unwrap_or_default().to_string();
        let region = parts.next().filter(|r| !r.is_empty()).map(str::to_string);
        let city = parts.next().unwrap_or_default().to_string();
        let h = hidden_of("city", &key);
        if safety.contains(&country) || too_thin(&s, &h) {
            let rest = rest_of_region.entry((country, region)).or_default();
            rest.0.add(s);
            rest.1.add(h);
        } else {
            by_city.push(city_row(country, region, Some(city), &s));
        }
    }
    let mut rest_of_country: HashMap<String, Sums> = HashMap::new();
    for ((country, region), (s, h)) in rest_of_region {
        match region {
            Some(region)
                if !too_thin(&s, &h) && !region_too_thin(&region, &region_sums(&region)) =>
            {
                by_city.push(city_row(country, Some(region), None, &s));
            }
            _ => rest_of_country.entry(country).or_default().add(s),
        }
    }
    for (country, s) in rest_of_country {
        by_city.push(city_row(country, None, None, &s));
    }
    by_city.sort_by(|a, b| {
        (b.letters + b.solidarity, b.events)
            .cmp(&(a.letters + a.solidarity, a.events))
            .then_with(|| (&a.country, &a.region, &a.city).cmp(&(&b.country, &b.region, &b.city)))
    });
    let mut by_case: Vec<ByCase> = Vec::new();
    for r in cases {
        let s = dims
            .get(&("case".to_string(), r.id.to_string()))
            .copied()
            .unwrap_or_default();
        by_case.push(ByCase {
            case: r.slug,
            name: r.name,
            letters: s.letters,
            solidarity: s.solidarity,
            online: s.online,
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
            online: world.online,
            actions: world.letters + world.solidarity + world.online,
        },
        by_country,
        by_region: of("region")
            .into_iter()
            .filter(|(k, s)| !region_too_thin(k, s))
            .map(|(k, s)| ByRegion {
                name: geo::region_name(&k, lang).unwrap_or(&k).to_string(),
                region: k,
                letters: s.letters,
                solidarity: s.solidarity,
                events: s.registered,
                online: s.online,
            })
            .collect(),
        by_city,
        by_case,
        by_kind: of("kind")
            .into_iter()
            .map(|(k, s)| ByKind {
                kind: k,
                letters: s.letters,
                solidarity: s.solidarity,
                events: s.registered,
                online: s.online,
            })
            .collect(),
    })
}

fn city_row(country: String, region: Option<String>, city: Option<String>, s: &Sums) -> ByCity {
    ByCity {
        country,
        region,
        city,
        letters: s.letters,
        solidarity: s.solidarity,
        events: s.registered,
        online: s.online,
    }
}

/// The `by_city` counters' key: reports write it (`reports::store`), the tally reads it.
pub fn city_key(country: &str, region: Option<&str>, city: &str) -> String {
    format!("{country}|{}|{city}", region.unwrap_or(""))
}
