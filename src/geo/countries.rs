//! ISO 3166-1 countries with English and French names (`countries.tsv`, from
//! `scripts/gen-countries.py`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fold::fold;
use crate::i18n::Lang;

struct Country {
    en: &'static str,
    fr: &'static str,
}

fn countries() -> &'static HashMap<&'static str, Country> {
    static COUNTRIES: OnceLock<HashMap<&'static str, Country>> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        include_str!("countries.tsv")
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some((
                    cols.next()?,
                    Country {
                        en: cols.next()?,
                        fr: cols.next()?,
                    },
                ))
            })
            .collect()
    })
}

/// The country's name in `lang`, or `None` when `code` is not an ISO 3166-1 alpha-2 code.
pub fn country_name(code: &str, lang: Lang) -> Option<&'static str> {
    countries().get(code).map(|c| match lang {
        Lang::En => c.en,
        Lang::Fr => c.fr,
    })
}

/// Every country as (code, name in `lang`), sorted by name ignoring case and accents (so
/// "Émirats arabes unis" comes among the E), for select boxes.
pub fn country_options(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = countries()
        .iter()
        .map(|(code, c)| (*code, if lang == Lang::Fr { c.fr } else { c.en }))
        .collect();
    all.sort_by_cached_key(|(_, name)| (fold(name), *name));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_languages() {
        assert_eq!(country_name("CA", Lang::En), Some("Canada"));
        assert_eq!(country_name("US", Lang::Fr), Some("États-Unis"));
        assert_eq!(country_name("XX", Lang::En), None);
        assert_eq!(country_name("ca", Lang::En), None);
        assert!(country_options(Lang::En).len() > 240);
    }

    #[test]
    fn options_sorted_ignoring_accents() {
        let fr = country_options(Lang::Fr);
        let pos = |code| fr.iter().position(|(c, _)| *c == code).unwrap();
        // Égypte sorts between Danemark and France, not after Zimbabwe.
        assert!(pos("DK") < pos("EG") && pos("EG") < pos("FR"));
    }
}
