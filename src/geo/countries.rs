//! ISO 3166-1 countries, named in every language by its `locales/<lang>/countries.tsv` (from
//! `scripts/gen-place-names.py`); the fallback language's file lists the codes.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::fold;
use crate::i18n::Lang;

/// Per language (indexed like `Lang::ALL`), code → name.
fn names() -> &'static [HashMap<&'static str, &'static str>] {
    static NAMES: OnceLock<Vec<HashMap<&'static str, &'static str>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|l| super::name_table(l.country_names()))
            .collect()
    })
}

/// The country's name in `lang` (English where the language has none), or `None` when `code` is
/// not an ISO 3166-1 alpha-2 code.
pub fn country_name(code: &str, lang: Lang) -> Option<&'static str> {
    let names = names();
    names[lang.index()]
        .get(code)
        .or_else(|| names[Lang::FALLBACK.index()].get(code))
        .copied()
}

/// Every country as (code, name in `lang`), sorted by name ignoring case and accents (so
/// "Émirats arabes unis" comes among the E), for select boxes.
pub fn country_options(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = names()[Lang::FALLBACK.index()]
        .keys()
        .filter_map(|code| Some((*code, country_name(code, lang)?)))
        .collect();
    all.sort_by_cached_key(|(_, name)| (fold(name), *name));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::from_code(code).unwrap()
    }

    #[test]
    fn names_in_every_language() {
        assert_eq!(country_name("CA", Lang::FALLBACK), Some("Canada"));
        assert_eq!(country_name("US", lang("fr")), Some("États-Unis"));
        assert_eq!(country_name("MX", lang("es")), Some("México"));
        assert_eq!(country_name("XX", Lang::FALLBACK), None);
        assert_eq!(country_name("ca", Lang::FALLBACK), None);
        for l in Lang::ALL {
            assert!(country_options(l).len() > 240);
        }
    }

    #[test]
    fn options_sorted_ignoring_accents() {
        let fr = country_options(lang("fr"));
        let pos = |code| fr.iter().position(|(c, _)| *c == code).unwrap();
        // Égypte sorts between Danemark and France, not after Zimbabwe.
        assert!(pos("DK") < pos("EG") && pos("EG") < pos("FR"));
    }
}

/// The country of the first language tag in an `Accept-Language` header that names a region
/// (`fr-CA,fr;q=0.9` → `CA`), if it is a country: the online action form's default, which the
/// person can change. Tags are taken in the order written (browsers write them by preference).
pub fn country_from_accept_language(header: Option<&str>) -> Option<&'static str> {
    header?
        .split(',')
        .filter_map(|part| part.split(';').next())
        .filter_map(|tag| tag.trim().split(['-', '_']).nth(1))
        .filter(|region| region.len() == 2)
        .find_map(|region| {
            let code = region.to_ascii_uppercase();
            names()[Lang::FALLBACK.index()]
                .get_key_value(code.as_str())
                .map(|(k, _)| *k)
        })
}

#[cfg(test)]
mod accept_language_tests {
    use super::country_from_accept_language as from;

    #[test]
    fn region_of_the_first_tag_that_has_one() {
        assert_eq!(from(Some("fr-CA,fr;q=0.9,en;q=0.8")), Some("CA"));
        assert_eq!(from(Some("en,es-mx;q=0.5")), Some("MX"));
        assert_eq!(from(Some("en")), None);
        assert_eq!(from(Some("en-XX,de-AT")), Some("AT"));
        assert_eq!(from(Some("zh-Hant-TW")), None);
        assert_eq!(from(None), None);
    }
}
