//! IANA time zones by country (`zones.tsv`, from tzdata's `zone.tab` through
//! `scripts/gen-zones.py`): the list an event's time zone is chosen from, and its default from
//! the event's country and place.
//!
//! Only the zones in the file (tzdata's canonical name for each (country, zone), 418 of them) and
//! "UTC" are known: links and old names that chrono-tz would also parse ("US/Eastern",
//! "America/Montreal") are refused, so stored names stay one spelling per zone.

use std::collections::HashSet;
use std::sync::OnceLock;

use chrono_tz::Tz;

use super::cities::distance_km;

/// A country's default zone when no coordinates are given, where zone.tab's first line for the
/// country is not where most of its people live (CA's first is America/St_Johns).
const OVERRIDES: [(&str, &str); 8] = [
    ("AU", "Australia/Sydney"),
    ("BR", "America/Sao_Paulo"),
    ("CA", "America/Toronto"),
    ("CN", "Asia/Shanghai"),
    ("ID", "Asia/Jakarta"),
    ("MX", "America/Mexico_City"),
    ("RU", "Europe/Moscow"),
    ("US", "America/New_York"),
];

struct Zone {
    country: &'static str,
    name: &'static str,
    /// The zone's principal city, in degrees.
    lat: f64,
    lon: f64,
}

struct Zones {
    /// As in the file: sorted by country, then in zone.tab's order.
    all: Vec<Zone>,
    names: HashSet<&'static str>,
}

fn zones() -> &'static Zones {
    static ZONES: OnceLock<Zones> = OnceLock::new();
    ZONES.get_or_init(|| {
        let all: Vec<Zone> = include_str!("zones.tsv")
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(Zone {
                    country: cols.next()?,
                    name: cols.next()?,
                    lat: cols.next()?.parse().ok()?,
                    lon: cols.next()?.parse().ok()?,
                })
            })
            .collect();
        let names = all.iter().map(|z| z.name).collect();
        Zones { all, names }
    })
}

/// The country's rows (empty for an unknown code or a country without zones, such as BV).
fn rows_of(country: &str) -> &'static [Zone] {
    let all = &zones().all;
    let start = all.partition_point(|z| z.country < country);
    let len = all[start..]
        .iter()
        .take_while(|z| z.country == country)
        .count();
    &all[start..start + len]
}

/// The zone to offer by default for a place in `country` (ISO 3166-1 alpha-2, upper case): with
/// coordinates, the country's zone whose principal city is nearest (great-circle); without, its
/// most populous zone ("CA" → "America/Toronto"). `None` for an unknown country or one without
/// zones (BV, HM).
///
/// Nearest principal city is a guess near zone borders (the host can change it): Seattle, whose
/// nearest principal city is Boise, gets America/Boise rather than America/Los_Angeles.
pub fn default_timezone(country: &str, lat: Option<f64>, lon: Option<f64>) -> Option<&'static str> {
    let rows = rows_of(country);
    match (lat, lon) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => rows
            .iter()
            .map(|z| (distance_km(lat, lon, z.lat, z.lon), z.name))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name),
        _ => OVERRIDES
            .iter()
            .find(|(c, _)| *c == country)
            .map(|(_, zone)| *zone)
            .or_else(|| rows.first().map(|z| z.name)),
    }
}

/// The country's zones, sorted by name; empty for an unknown country or one without zones.
pub fn zones_of(country: &str) -> Vec<&'static str> {
    let mut out: Vec<_> = rows_of(country).iter().map(|z| z.name).collect();
    out.sort_unstable();
    out
}

/// Every known zone (see [`is_known`]) that chrono-tz has, with "UTC", sorted by name.
pub fn all_zones() -> Vec<&'static str> {
    let names = &zones().names;
    let mut out: Vec<_> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| *name == "UTC" || names.contains(name))
        .collect();
    out.sort_unstable();
    out
}

/// Whether `zone` is one of the file's canonical names or "UTC" (exact spelling and case).
pub fn is_known(zone: &str) -> bool {
    zone == "UTC" || zones().names.contains(zone)
}

/// The chrono-tz zone for a known name (see [`is_known`]); `None` otherwise.
pub fn parse(zone: &str) -> Option<Tz> {
    if is_known(zone) {
        zone.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(country: &str, lat: f64, lon: f64) -> Option<&'static str> {
        default_timezone(country, Some(lat), Some(lon))
    }

    #[test]
    fn nearest_zone_of_the_country() {
        assert_eq!(at("CA", 47.56, -52.71), Some("America/St_Johns"));
        assert_eq!(at("CA", 49.28, -123.12), Some("America/Vancouver"));
        assert_eq!(at("CA", 44.65, -63.57), Some("America/Halifax"));
        assert_eq!(at("CA", 49.90, -97.14), Some("America/Winnipeg"));
        assert_eq!(at("CA", 45.50, -73.57), Some("America/Toronto"), "Montreal");
        assert_eq!(
            at("CA", 51.05, -114.07),
            Some("America/Edmonton"),
            "Calgary"
        );
        assert_eq!(at("FR", 48.86, 2.35), Some("Europe/Paris"));
        // Only the country's zones: Detroit's coordinates in Canada are Windsor's, Toronto time.
        assert_eq!(at("CA", 42.33, -83.05), Some("America/Toronto"));
        assert_eq!(at("US", 42.33, -83.05), Some("America/Detroit"));
    }

    #[test]
    fn without_coordinates_the_main_zone() {
        assert_eq!(default_timezone("CA", None, None), Some("America/Toronto"));
        assert_eq!(
            default_timezone("CA", Some(47.56), None),
            Some("America/Toronto")
        );
        assert_eq!(
            default_timezone("CA", Some(f64::NAN), Some(-52.7)),
            Some("America/Toronto")
        );
        assert_eq!(default_timezone("FR", None, None), Some("Europe/Paris"));
        assert_eq!(default_timezone("GB", None, None), Some("Europe/London"));
        assert_eq!(default_timezone("DE", None, None), Some("Europe/Berlin"));
        for (country, zone) in OVERRIDES {
            assert!(zones_of(country).contains(&zone), "{country} {zone}");
            assert_eq!(default_timezone(country, None, None), Some(zone));
        }
        assert_eq!(default_timezone("XX", None, None), None);
        assert_eq!(default_timezone("XX", Some(0.0), Some(0.0)), None);
        assert_eq!(default_timezone("ca", None, None), None);
    }

    #[test]
    fn every_zone_in_the_file_parses() {
        let all = &zones().all;
        assert_eq!(all.len(), include_str!("zones.tsv").lines().count());
        assert_eq!(zones().names.len(), all.len(), "a zone listed twice");
        for z in all {
            assert!(z.name.parse::<Tz>().is_ok(), "{}", z.name);
            assert_eq!(parse(z.name).map(|tz| tz.name()), Some(z.name));
            assert!((-90.0..=90.0).contains(&z.lat) && (-180.0..=180.0).contains(&z.lon));
        }
        assert_eq!(all_zones().len(), all.len() + 1);
        assert!(all.is_sorted_by_key(|z| z.country));
    }

    #[test]
    fn only_canonical_names_are_known() {
        assert!(is_known("UTC"));
        assert_eq!(parse("UTC"), Some(Tz::UTC));
        assert!(is_known("America/St_Johns"));
        assert_eq!(parse("Europe/Paris"), Some(Tz::Europe__Paris));
        for name in [
            "Mars/Olympus",
            "US/Eastern",
            "America/Montreal",
            "europe/paris",
            "",
            "Etc/UTC",
        ] {
            assert!(!is_known(name), "{name}");
            assert_eq!(parse(name), None, "{name}");
        }
    }

    #[test]
    fn lists() {
        let ca = zones_of("CA");
        assert_eq!(ca.len(), 23);
        assert!(ca.is_sorted());
        assert!(ca.contains(&"America/Vancouver") && ca.contains(&"America/St_Johns"));
        assert_eq!(zones_of("FR"), vec!["Europe/Paris"]);
        assert_eq!(zones_of("BV"), Vec::<&str>::new());
        assert_eq!(zones_of("XX"), Vec::<&str>::new());
        let all = all_zones();
        assert!(all.is_sorted());
        assert!(all.contains(&"UTC") && all.contains(&"Pacific/Honolulu"));
        assert!(!all.contains(&"US/Eastern"));
    }
}
