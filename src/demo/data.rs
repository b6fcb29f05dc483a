//! The demo's data files (`data/*.json`), embedded in the binary and parsed once, at first use.
//! Order matters in every list: the seeded RNGs pick from them by index, so reordering a list
//! changes which rows a seed gives.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::DeserializeOwned;

fn parse<T: DeserializeOwned>(name: &str, text: &str) -> T {
    // Embedded files, checked by the unit tests: a mistake is the build's, not the user's.
    serde_json::from_str(text).unwrap_or_else(|e| panic!("demo data {name}: {e}"))
}

macro_rules! data_file {
    ($name:ident: $ty:ty = $file:literal) => {
        pub static $name: LazyLock<$ty> =
            LazyLock::new(|| parse($file, include_str!(concat!("data/", $file))));
    };
}

data_file!(CAMPAIGNS: CampaignsFile = "campaigns.json");
data_file!(EVENTS: EventsFile = "events.json");
data_file!(NAMES: Names = "names.json");
data_file!(VENUES: BTreeMap<String, Venues> = "venues.json");
data_file!(ADDRESSES: BTreeMap<String, Template> = "addresses.json");
data_file!(EVENT_TEXTS: BTreeMap<String, EventTexts> = "event_texts.json");
data_file!(HIGHLIGHTS: BTreeMap<String, Highlights> = "highlights.json");

/// The language's entry of a per-language file, or English's where the language has none.
pub fn in_lang<'a, T>(map: &'a BTreeMap<String, T>, lang: &str) -> &'a T {
    map.get(lang).unwrap_or(&map["en"])
}

/// `campaigns.json`: the demo campaigns and their cases, in every language of `locales/`.
#[derive(Deserialize)]
pub struct CampaignsFile {
    pub campaigns: Vec<Campaign>,
}

#[derive(Deserialize)]
pub struct Campaign {
    pub slug: String,
    pub texts: BTreeMap<String, CampaignText>,
    /// None for the current campaign, whose dates follow the clock.
    pub global_day: Option<NaiveDate>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub report_deadline: Option<NaiveDate>,
    pub goal: i64,
    pub cases: Vec<Case>,
}

#[derive(Deserialize)]
pub struct CampaignText {
    pub title: String,
    pub intro: String,
}

#[derive(Deserialize)]
pub struct Case {
    pub slug: String,
    pub name: String,
    pub country: String,
    pub status: String,
    pub authority: Authority,
    pub texts: BTreeMap<String, CaseText>,
    pub updates: Vec<CaseUpdate>,
}

#[derive(Deserialize)]
pub struct Authority {
    pub name: String,
    pub title: String,
    pub address: String,
}

#[derive(Deserialize)]
pub struct CaseText {
    pub summary: String,
    pub salutation: String,
    pub sample_letter: String,
    pub solidarity: String,
}

#[derive(Deserialize)]
pub struct CaseUpdate {
    pub date: NaiveDate,
    pub status: String,
    pub note: BTreeMap<String, String>,
}

/// `events.json`: where the demo's events are, and what kinds.
#[derive(Deserialize)]
pub struct EventsFile {
    pub past: Vec<Area>,
    pub current: Vec<Area>,
    pub kinds: Vec<KindShare>,
    /// Countries whose benchmark events are in French.
    pub bench_french_countries: Vec<String>,
}

/// A country or a Canadian province: how many events, the share in French, and its towns
/// (named as the gazetteer spells them).
#[derive(Deserialize)]
pub struct Area {
    pub country: String,
    pub region: Option<String>,
    pub events: usize,
    pub french: f64,
    /// The language of the area's events that are not in French; English when not given.
    #[serde(default)]
    pub language: Option<String>,
    pub towns: Vec<String>,
}

/// A kind of event, its weight, and how likely such an event is private (≈ 15% over all).
#[derive(Deserialize)]
pub struct KindShare {
    pub kind: String,
    pub weight: u32,
    pub private: f64,
}

/// `names.json`: first and last names for hosts and attendees, per language (`en_first`,
/// `en_last`, `fr_first`…).
#[derive(Deserialize)]
pub struct Names(BTreeMap<String, Vec<String>>);

impl Names {
    fn list(&self, lang: &str, which: &str) -> &[String] {
        self.0
            .get(&format!("{lang}_{which}"))
            .unwrap_or_else(|| &self.0[&format!("en_{which}")])
    }

    pub fn first(&self, lang: &str) -> &[String] {
        self.list(lang, "first")
    }

    pub fn last(&self, lang: &str) -> &[String] {
        self.list(lang, "last")
    }
}

/// `venues.json`, per language: made-up neighbourhoods and saints, and each kind's venue names.
#[derive(Deserialize)]
pub struct Venues {
    pub places: Vec<String>,
    pub saints: Vec<String>,
    /// Per kind, templates (one is chosen when there are several); `other` for the rest.
    pub kinds: BTreeMap<String, Vec<String>>,
    /// Lists a template's `{name}` picks from.
    pub lists: BTreeMap<String, Vec<String>>,
}

/// A text with `{name}` (a pick from `lists[name]`) and `{a..b}` (a number) fields.
#[derive(Deserialize)]
pub struct Template {
    pub template: String,
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
}

/// `event_texts.json`, per language: titles, descriptions and accessibility notes.
#[derive(Deserialize)]
pub struct EventTexts {
    pub titles: Titles,
    pub descriptions: Descriptions,
    pub accessibility: Accessibility,
}

#[derive(Deserialize)]
pub struct Titles {
    /// Kinds that always get one of their own titles.
    pub always: BTreeMap<String, Vec<String>>,
    /// Kinds that get their own title half of the time.
    pub special: BTreeMap<String, String>,
    /// Every other title, with `{venue}` and `{city}` fields.
    pub general: Vec<String>,
}

#[derive(Deserialize)]
pub struct Descriptions {
    pub openings: BTreeMap<String, String>,
    /// The opening of kinds without their own.
    pub opening: String,
    pub middles: Vec<String>,
    pub practical: Vec<String>,
}

#[derive(Deserialize)]
pub struct Accessibility {
    pub online: String,
    pub step_free: Vec<String>,
    pub with_steps: Vec<String>,
}

/// `highlights.json`, per language: the short stories of reports.
#[derive(Deserialize)]
pub struct Highlights {
    pub by_kind: Vec<KindStories>,
    pub general: Vec<String>,
}

#[derive(Deserialize)]
pub struct KindStories {
    pub kinds: Vec<String>,
    pub texts: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses_with_every_language_the_events_use() {
        assert_eq!(CAMPAIGNS.campaigns.len(), 2);
        assert!(!EVENTS.past.is_empty() && !EVENTS.current.is_empty());
        // Every language an area's events are written in has all of its texts.
        let mut langs = vec!["en".to_string(), "fr".to_string()];
        langs
            .extend((EVENTS.past.iter().chain(&EVENTS.current)).filter_map(|a| a.language.clone()));
        for lang in &langs {
            assert!(crate::i18n::Lang::from_code(lang).is_some(), "{lang}");
            assert!(
                NAMES.0.contains_key(&format!("{lang}_first")),
                "{lang} names"
            );
            assert!(
                NAMES.0.contains_key(&format!("{lang}_last")),
                "{lang} names"
            );
            let venues = &VENUES[lang];
            for k in crate::events::KINDS {
                assert!(venues.kinds.contains_key(k), "{lang} venue for {k}");
            }
            assert!(EVENT_TEXTS.contains_key(lang) && HIGHLIGHTS.contains_key(lang));
        }
        assert!(ADDRESSES.contains_key("other"));
    }

    #[test]
    fn demo_content_is_complete_and_fictional() {
        for campaign in &CAMPAIGNS.campaigns {
            assert!(campaign.cases.len() >= 6);
            let countries: std::collections::HashSet<_> =
                campaign.cases.iter().map(|c| &c.country).collect();
            assert_eq!(
                countries.len(),
                campaign.cases.len(),
                "one case per country"
            );
            for case in &campaign.cases {
                for lang in crate::i18n::Lang::ALL {
                    let text = &case.texts[lang.code()];
                    // Every language opens with the notice that the case is made up, in bold.
                    let notice = text.summary.split("**").nth(1).unwrap_or("").to_lowercase();
                    assert!(
                        text.summary.starts_with("**")
                            && ["fiction", "fictif", "fictive", "ficticio"]
                                .iter()
                                .any(|w| notice.contains(w)),
                        "{} {lang:?}",
                        case.slug
                    );
                }
                for update in &case.updates {
                    assert_eq!(
                        update.note.len(),
                        crate::i18n::Lang::ALL.len(),
                        "{}",
                        case.slug
                    );
                }
            }
        }
    }
}
