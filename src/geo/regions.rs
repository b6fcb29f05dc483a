//! ISO 3166-2 subdivisions at the level GeoNames places cities in (provinces, states, French
//! regions, UK nations…): the codes and their countries in `regions.tsv` (from
//! `scripts/gen-places.py`), the names per language in `locales/<lang>/regions.tsv` (from
//! `scripts/gen-place-names.py`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::fold;
use crate::i18n::Lang;

pub(crate) struct Region {
    pub code: &'static str,
    pub country: &'static str,
}

impl Region {
    /// The name in `lang`, else in English, else the code itself.
    fn name(&self, lang: Lang) -> &'static str {
        let names = names();
        names[lang.index()]
            .get(self.code)
            .or_else(|| names[Lang::FALLBACK.index()].get(self.code))
            .copied()
            .unwrap_or(self.code)
    }
}

/// Per language (indexed like `Lang::ALL`), code → name.
fn names() -> &'static [HashMap<&'static str, &'static str>] {
    static NAMES: OnceLock<Vec<HashMap<&'static str, &'static str>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|l| super::name_table(l.region_names()))
            .collect()
    })
}

pub(crate) struct Regions {
    /// Sorted by code, as in the file.
    pub all: Vec<Region>,
    pub by_code: HashMap<&'static str, u16>,
}

pub(crate) fn regions() -> &'static Regions {
    static REGIONS: OnceLock<Regions> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let all: Vec<Region> = include_str!("regions.tsv")
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(Region {
                    code: cols.next()?,
                    country: cols.next()?,
                })
            })
            .collect();
        assert!(all.len() < usize::from(u16::MAX), "region indexes are u16");
        let by_code = all
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code, i as u16))
            .collect();
        Regions { all, by_code }
    })
}

fn region(code: &str) -> Option<&'static Region> {
    let regions = regions();
    regions
        .by_code
        .get(code)
        .map(|&i| &regions.all[usize::from(i)])
}

/// The region's name in `lang` ("CA-QC" → "Quebec" / "Québec"), or `None` for an unknown code.
pub fn region_name(code: &str, lang: Lang) -> Option<&'static str> {
    region(code).map(|r| r.name(lang))
}

/// The country's regions as (code, name in `lang`), sorted by name ignoring case and accents;
/// empty for a country without any (or an unknown code).
pub fn regions_of(country: &str, lang: Lang) -> Vec<(&'static str, &'static str)> {
    let regions = &regions().all;
    let prefix = format!("{country}-");
    let start = regions.partition_point(|r| r.code < prefix.as_str());
    let mut out: Vec<_> = regions[start..]
        .iter()
        .take_while(|r| r.country == country)
        .map(|r| (r.code, r.name(lang)))
        .collect();
    out.sort_by_cached_key(|(code, name)| (fold(name), *name, *code));
    out
}

/// Whether `region` is an ISO 3166-2 code listed for `country` ("CA", "CA-NL" → true).
pub fn region_belongs(country: &str, region_code: &str) -> bool {
    region(region_code).is_some_and(|r| r.country == country)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANADA: [(&str, &str, &str); 13] = [
        ("CA-AB", "Alberta", "Alberta"),
        ("CA-BC", "British Columbia", "Colombie-Britannique"),
        ("CA-MB", "Manitoba", "Manitoba"),
        ("CA-NB", "New Brunswick", "Nouveau-Brunswick"),
        (
            "CA-NL",
            "Newfoundland and Labrador",
            "Terre-Neuve-et-Labrador",
        ),
        ("CA-NS", "Nova Scotia", "Nouvelle-Écosse"),
        (
            "CA-NT",
            "Northwest Territories",
            "Territoires du Nord-Ouest",
        ),
        ("CA-NU", "Nunavut", "Nunavut"),
        ("CA-ON", "Ontario", "Ontario"),
        ("CA-PE", "Prince Edward Island", "Île-du-Prince-Édouard"),
        ("CA-QC", "Quebec", "Québec"),
        ("CA-SK", "Saskatchewan", "Saskatchewan"),
        ("CA-YT", "Yukon", "Yukon"),
    ];

    fn lang(code: &str) -> Lang {
        Lang::from_code(code).unwrap()
    }

    #[test]
    fn every_canadian_province_and_territory_in_english_and_french() {
        for (code, en, fr) in CANADA {
            assert_eq!(region_name(code, Lang::FALLBACK), Some(en), "{code}");
            assert_eq!(region_name(code, lang("fr")), Some(fr), "{code}");
            assert!(region_belongs("CA", code));
        }
        assert_eq!(regions_of("CA", Lang::FALLBACK).len(), 13);
    }

    #[test]
    fn belongs_only_to_its_country() {
        assert!(region_belongs("CA", "CA-NL"));
        assert!(!region_belongs("US", "CA-NL"));
        assert!(region_belongs("US", "US-CA"));
        assert!(!region_belongs("CA", "CA-XX"));
        assert!(!region_belongs("CA", "ca-nl"));
        assert_eq!(region_name("CA-XX", Lang::FALLBACK), None);
    }

    #[test]
    fn levels_that_geonames_uses() {
        let codes =
            |cc| -> Vec<&str> { regions_of(cc, Lang::FALLBACK).iter().map(|r| r.0).collect() };
        assert_eq!(codes("GB").len(), 4);
        assert_eq!(region_name("GB-WLS", Lang::FALLBACK), Some("Wales"));
        assert_eq!(region_name("GB-SCT", lang("fr")), Some("Écosse"));
        let fr = codes("FR");
        for code in ["FR-ARA", "FR-IDF", "FR-BRE", "FR-20R", "FR-974"] {
            assert!(fr.contains(&code), "{code}");
        }
        assert!(!fr.contains(&"FR-75C"), "no départements");
        assert_eq!(codes("US").len(), 57);
        assert_eq!(codes("DE").len(), 16);
        assert_eq!(codes("AU").len(), 8);
        assert_eq!(codes("MX").len(), 32);
        assert_eq!(codes("BR").len(), 27);
        assert_eq!(codes("KE").len(), 47);
        assert!(codes("IN").len() >= 36);
    }

    #[test]
    fn sorted_by_name_in_the_language() {
        let fr = regions_of("CA", lang("fr"));
        let names: Vec<_> = fr.iter().map(|r| r.1).collect();
        let pos = |n| names.iter().position(|x| *x == n).unwrap();
        // "Île-du-Prince-Édouard" among the I, after Colombie-Britannique and before Manitoba.
        assert!(pos("Colombie-Britannique") < pos("Île-du-Prince-Édouard"));
        assert!(pos("Île-du-Prince-Édouard") < pos("Manitoba"));
        assert_eq!(regions_of("XX", Lang::FALLBACK), vec![]);
    }
}
