//! Event kits: everything a host prints, as PDFs. Per case a case sheet, a letter laid out for a
//! window envelope and a solidarity card; per campaign all of them in one kit; per event that kit
//! with a sign-in sheet and a poster, their QR codes pointing at the event's report form and page.
//! Laid out by Typst (`typeset`, template `kit.typ`) from data written here (`documents`), case
//! Markdown converted by `markup`; made once per content and kept (`cache`); served by `pages`.
//! The same typesetter draws the tally's share card, a PNG (`share`, template `share.typ`).

pub mod cache;
pub mod documents;
pub mod markup;
mod pages;
mod share;
pub mod typeset;

use std::time::Duration;

use axum::Router;

use crate::state::AppState;

/// What the kits keep per app: the share cards made this minute, and the campaign kits' ETags
/// of the last second (see `pages::campaign_kit`).
pub struct Kits {
    share: share::ShareCards,
    recent: mini_moka::sync::Cache<String, String>,
}

impl Default for Kits {
    fn default() -> Kits {
        Kits {
            share: share::ShareCards::default(),
            recent: mini_moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(1))
                .build(),
        }
    }
}

pub fn router() -> Router<AppState> {
    pages::router().merge(share::router())
}

/// The paper a kit is printed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paper {
    A4,
    Letter,
}

/// Countries where US Letter is the usual paper.
const LETTER_COUNTRIES: [&str; 16] = [
    "US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "SV", "NI", "HN", "DO", "PR", "BZ",
];

impl Paper {
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// The usual paper of a country (ISO 3166 code).
    pub fn for_country(country: &str) -> Paper {
        if LETTER_COUNTRIES.contains(&country.to_ascii_uppercase().as_str()) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    /// The usual paper where the browser's first language's region is (`en-US` → Letter).
    pub fn for_accept_language(header: Option<&str>) -> Paper {
        header
            .and_then(|h| h.split(',').next())
            .and_then(|tag| tag.split(';').next())
            .and_then(|tag| tag.trim().split(['-', '_']).nth(1))
            .filter(|region| region.len() == 2)
            .map_or(Paper::A4, Paper::for_country)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// The name Typst gives the paper.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_from_country_and_browser() {
        assert_eq!(Paper::for_country("us"), Paper::Letter);
        assert_eq!(Paper::for_country("FR"), Paper::A4);
        assert_eq!(
            Paper::for_accept_language(Some("en-US,en;q=0.8")),
            Paper::Letter
        );
        assert_eq!(Paper::for_accept_language(Some("fr-CA")), Paper::Letter);
        assert_eq!(Paper::for_accept_language(Some("fr")), Paper::A4);
        assert_eq!(Paper::for_accept_language(None), Paper::A4);
        assert_eq!(Paper::parse("LETTER"), Some(Paper::Letter));
        assert_eq!(Paper::parse("a5"), None);
    }
}
