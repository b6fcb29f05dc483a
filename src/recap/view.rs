//! What the recap says, read from the campaign's data: the tally's totals and breakdowns (so its
//! numbers are the tally's, with the same cells kept back for privacy), the regions that took
//! part, the kinds of places, the top towns, the featured stories and the photos staff chose.

use crate::campaigns::Campaign;
use crate::error::Result;
use crate::geo;
use crate::i18n::{Lang, Msg, Tr, group_digits};
use crate::photos::pages::Card;
use crate::photos::store as photos;
use crate::reports::store::stories::{self, StoryRow};
use crate::state::AppState;
use crate::tally::build::{ByKind, Totals};
use crate::web::markdown;

use super::map::{self, Area, Map};
use super::store::{self, RecapRow};

/// Stories and photos shown at most.
pub const STORIES: i64 = 6;
pub const PHOTOS: usize = 12;
/// Towns in the "top towns" list.
const CITIES: usize = 10;

/// A country that took part, and its regions.
pub struct CountryLine {
    pub code: String,
    pub name: String,
    pub letters: i64,
    pub solidarity: i64,
    pub events: i64,
    /// Regions with events, by name; empty when the country has no regions in the gazetteer.
    pub regions_with: Vec<String>,
    /// How many regions the country has.
    pub regions_of: usize,
}

/// One region of the mapped country.
pub struct RegionLine {
    pub name: String,
    pub letters: i64,
    pub events: i64,
}

/// The host country's regions: the map, the table and those with no event.
pub struct Regions {
    pub country: String,
    pub name: String,
    pub map: Map,
    pub rows: Vec<RegionLine>,
    pub none_yet: Vec<String>,
}

pub struct CityLine {
    pub name: String,
    pub letters: i64,
    pub events: i64,
}

pub struct Recap {
    pub campaign: Campaign,
    pub row: RecapRow,
    /// Sanitised HTML, and the Markdown it came from (for the printed recap).
    pub intro_html: Option<String>,
    pub intro_markdown: Option<String>,
    pub totals: Totals,
    pub world: Option<Map>,
    pub countries: Vec<CountryLine>,
    pub regions: Option<Regions>,
    pub kinds: Vec<ByKind>,
    pub cities: Vec<CityLine>,
    pub stories: Vec<StoryRow>,
    pub photos: Vec<Card>,
    /// Events registered and not reported yet, while reports are still taken.
    pub unreported: Option<i64>,
}

impl Recap {
    pub async fn build(
        state: &AppState,
        campaign: Campaign,
        row: RecapRow,
        lang: Lang,
    ) -> Result<Recap> {
        let tr = Tr::new(lang);
        let snapshot = state.tally().snapshot(campaign.id, &campaign.slug).await?;
        let tally = &snapshot.tally;
        let letters = |n: i64| tr.msg(&Msg::new("recap-letters-count").arg("count", n));

        let mut countries: Vec<CountryLine> = tally
            .by_country
            .iter()
            .filter(|c| c.events > 0 || c.letters > 0 || c.solidarity > 0)
            .map(|c| {
                let regions = geo::regions_of(&c.country, lang);
                let regions_with = regions
                    .iter()
                    .filter(|(code, _)| {
                        tally
                            .by_region
                            .iter()
                            .any(|r| r.region == *code && r.events > 0)
                    })
                    .map(|(_, name)| name.to_string())
                    .collect();
                CountryLine {
                    code: c.country.clone(),
                    name: country_name(&c.country, lang),
                    letters: c.letters,
                    solidarity: c.solidarity,
                    events: c.events,
                    regions_with,
                    regions_of: regions.len(),
                }
            })
            .collect();
        countries.sort_by(|a, b| b.letters.cmp(&a.letters).then(b.events.cmp(&a.events)));

        let areas: Vec<Area> = countries
            .iter()
            .map(|c| Area {
                code: c.code.clone(),
                value: c.letters,
                title: format!("{}: {}", c.name, letters(c.letters)),
            })
            .collect();
        let world = map::choropleth(
            map::WORLD,
            &areas,
            "recap-world",
            &tr.t("recap-map-world"),
            &tr.msg(&Msg::new("recap-map-world-desc").arg("count", areas.len())),
        );

        let regions = regions_of(&row.map_country, tally, lang, &tr);

        let mut kinds: Vec<ByKind> = tally
            .by_kind
            .iter()
            .filter(|k| k.events > 0 || k.letters > 0)
            .cloned()
            .collect();
        kinds.sort_by(|a, b| b.events.cmp(&a.events).then(b.letters.cmp(&a.letters)));

        let mut cities: Vec<CityLine> = tally
            .by_city
            .iter()
            .filter_map(|c| {
                let city = c.city.as_ref()?;
                (c.letters > 0).then(|| CityLine {
                    name: format!("{city}, {}", country_name(&c.country, lang)),
                    letters: c.letters,
                    events: c.events,
                })
            })
            .collect();
        cities.sort_by(|a, b| b.letters.cmp(&a.letters).then(a.name.cmp(&b.name)));
        cities.truncate(CITIES);

        let intro = store::introduction(&state.db, campaign.id, lang).await?;
        let stories = stories::featured(&state.db, campaign.id, STORIES).await?;
        let mut photos = Vec::new();
        for id in row.photo_ids().into_iter().take(PHOTOS) {
            // A photo taken down or rejected since it was chosen is simply not shown.
            if let Some(photo) = photos::get(&state.db, id).await?
                && photo.is_public()
                && photo.campaign_id == campaign.id
            {
                photos.push(Card::new(photo));
            }
        }
        let today = state.db.clock.today();
        let totals = tally.totals.clone();
        let unreported = (today <= campaign.report_deadline)
            .then_some(totals.events_registered - totals.events_reported)
            .filter(|n| *n > 0);
        Ok(Recap {
            campaign,
            row,
            intro_html: intro.as_ref().map(|(_, md)| markdown::to_safe_html(md)),
            intro_markdown: intro.map(|(_, md)| md),
            totals,
            world,
            countries,
            regions,
            kinds,
            cities,
            stories,
            photos,
            unreported,
        })
    }

    /// How many countries are drawn with letters on the world map.
    pub fn countries_drawn(&self) -> usize {
        self.world.as_ref().map_or(0, |m| m.with_value)
    }
}

fn country_name(code: &str, lang: Lang) -> String {
    geo::country_name(code, lang).unwrap_or(code).to_string()
}

/// The mapped country's regions, when one is chosen and its outlines are shipped.
fn regions_of(country: &str, tally: &crate::tally::Tally, lang: Lang, tr: &Tr) -> Option<Regions> {
    if country.is_empty() {
        return None;
    }
    let all = geo::regions_of(country, lang);
    let mut rows = Vec::new();
    let mut none_yet = Vec::new();
    let mut areas = Vec::new();
    for (code, name) in &all {
        match tally.by_region.iter().find(|r| r.region == *code) {
            Some(r) if r.events > 0 || r.letters > 0 => {
                rows.push(RegionLine {
                    name: name.to_string(),
                    letters: r.letters,
                    events: r.events,
                });
                areas.push(Area {
                    code: code.to_string(),
                    value: r.letters,
                    title: format!(
                        "{name}: {}",
                        tr.msg(&Msg::new("recap-letters-count").arg("count", r.letters))
                    ),
                });
            }
            _ => none_yet.push(name.to_string()),
        }
    }
    rows.sort_by(|a, b| b.letters.cmp(&a.letters).then(a.name.cmp(&b.name)));
    let name = country_name(country, lang);
    let map = map::choropleth(
        country,
        &areas,
        "recap-regions",
        &tr.t1("recap-map-regions", "country", name.as_str()),
        &tr.msg(
            &Msg::new("recap-regions-line")
                .arg("country", name.as_str())
                .arg("with", rows.len())
                .arg("all", all.len()),
        ),
    )?;
    Some(Regions {
        country: country.to_string(),
        name,
        map,
        rows,
        none_yet,
    })
}

/// "1,234" in `lang`'s digit grouping, for the printed recap.
pub fn number(n: i64, lang: Lang) -> String {
    group_digits(n, lang)
}
