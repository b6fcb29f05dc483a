//! IANA time zones by country (`zones.tsv`, from tzdata's `zone.tab` and GeoNames through
//! `scripts/gen-zones.py`): the list an event's time zone is chosen from, and its default from
//! the event's country and place.
//!
//! Only the zones in the file (tzdata's canonical name for each (country, zone), 418 of them) and
//! "UTC" are known: links and old names that chrono-tz would also parse ("US/Eastern",
//! "America/Montreal") are refused, so stored names stay one spelling per zone.
//!
//! The default for a place is the zone of the nearest point of the country among the zones'
//! principal cities and 1,902 anchor points: GeoNames places kept by the generator so that every
//! GeoNames place of 1,000 people or more in a country with several zones gets its own zone (the
//! principal cities alone give Houston Denver's zone, Calgary Creston's, Odesa Simferopol's).

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
    /// (latitude, longitude) in degrees: the zone's principal city, then its anchor points.
    points: Vec<(f64, f64)>,
}

/// "lat,lon" → (lat, lon).
fn point(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    Some((lat.parse().ok()?, lon.parse().ok()?))
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
                let (country, name) = (cols.next()?, cols.next()?);
                let principal = (cols.next()?.parse().ok()?, cols.next()?.parse().ok()?);
                let anchors = cols.next().unwrap_or_default().split(' ');
                let points = std::iter::once(Some(principal))
                    .chain(anchors.filter(|a| !a.is_empty()).map(point))
                    .collect::<Option<_>>()?;
                Some(Zone {
                    country,
                    name,
                    points,
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
/// coordinates, the zone of the country's nearest principal city or anchor point (great-circle);
/// without, its most populous zone ("CA" → "America/Toronto"). `None` for an unknown country or
/// one without zones (BV, HM).
///
/// Right for almost every GeoNames place of 1,000 people or more (the gazetteer's places); between
/// them, a guess that can be wrong near a zone border (the host can change it).
pub fn default_timezone(country: &str, lat: Option<f64>, lon: Option<f64>) -> Option<&'static str> {
    let rows = rows_of(country);
    match (lat, lon) {
        (Some(lat), Some(lon)) if lat.is_finite() && lon.is_finite() => rows
            .iter()
            .flat_map(|z| z.points.iter().map(move |p| (p, z.name)))
            .map(|(&(plat, plon), name)| (distance_km(lat, lon, plat, plon), name))
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
        assert_eq!(at("FR", 48.86, 2.35), Some("Europe/Paris"));
        // Only the country's zones: Detroit's coordinates in Canada are Windsor's, Toronto time.
        assert_eq!(at("CA", 42.33, -83.05), Some("America/Toronto"));
        assert_eq!(at("US", 42.33, -83.05), Some("America/Detroit"));
    }

    /// Places whose nearest principal city is in another zone, an hour off at least part of the
    /// year: the anchor points put them right.
    #[test]
    fn anchor_points_where_principal_cities_mislead() {
        for (country, lat, lon, zone, place) in [
            (
                "CA",
                51.05,
                -114.07,
                "America/Edmonton",
                "Calgary, not Creston",
            ),
            (
                "CA",
                46.81,
                -71.21,
                "America/Toronto",
                "Québec, not Moncton",
            ),
            ("CA", 45.50, -73.57, "America/Toronto", "Montréal"),
            (
                "CA",
                48.38,
                -89.25,
                "America/Toronto",
                "Thunder Bay, not Atikokan",
            ),
            ("CA", 50.45, -104.61, "America/Regina", "Regina"),
            (
                "US",
                47.61,
                -122.33,
                "America/Los_Angeles",
                "Seattle, not Boise",
            ),
            (
                "US",
                45.52,
                -122.68,
                "America/Los_Angeles",
                "Portland, not Boise",
            ),
            (
                "US",
                29.76,
                -95.37,
                "America/Chicago",
                "Houston, not Denver",
            ),
            ("US", 30.27, -97.74, "America/Chicago", "Austin, not Denver"),
            (
                "US",
                38.63,
                -90.20,
                "America/Chicago",
                "St. Louis, not Vincennes",
            ),
            (
                "US",
                36.16,
                -86.78,
                "America/Chicago",
                "Nashville, not Monticello",
            ),
            (
                "US",
                31.76,
                -106.49,
                "America/Denver",
                "El Paso, not Phoenix",
            ),
            ("UA", 46.48, 30.73, "Europe/Kyiv", "Odesa, not Simferopol"),
            ("CN", 30.66, 104.06, "Asia/Shanghai", "Chengdu"),
            ("BR", -22.91, -47.06, "America/Sao_Paulo", "Campinas"),
            ("RU", 53.20, 50.15, "Europe/Samara", "Samara"),
            ("AU", -34.93, 138.60, "Australia/Adelaide", "Adelaide"),
            ("MX", 25.69, -100.32, "America/Monterrey", "Monterrey"),
        ] {
            assert_eq!(at(country, lat, lon), Some(zone), "{place}");
        }
    }

    /// The gazetteer's places, as a host picks them, get their own zone.
    #[test]
    fn places_of_the_gazetteer() {
        for (name, country, zone) in [
            ("Medicine Hat", "CA", "America/Edmonton"),
            ("Corner Brook", "CA", "America/St_Johns"),
            ("Charlottetown", "CA", "America/Halifax"),
            ("Kelowna", "CA", "America/Vancouver"),
            ("Sherbrooke", "CA", "America/Toronto"),
            ("Boston", "US", "America/New_York"),
            ("Perth", "AU", "Australia/Perth"),
        ] {
            let p = super::super::find(name, country, None).unwrap();
            assert_eq!(at(p.country, p.lat, p.lon), Some(zone), "{name}");
        }
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
            for &(lat, lon) in &z.points {
                assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
            }
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
