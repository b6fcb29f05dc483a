//! Every GeoNames place of 1,000 people or more (`cities.tsv.gz`, from `scripts/gen-places.py`):
//! prefix search for suggestions, exact look-up by name, nearest place to a point.
//!
//! Loaded once, on first use, from the gzipped TSV compiled into the binary. To keep memory small
//! the names live in two arena strings (as spelled, and folded) in the order of the folded names,
//! each record holding offsets into them and coordinates in 1e-4 degrees (about 11 m).

use std::io::Read;
use std::sync::OnceLock;

use flate2::read::GzDecoder;

use super::fold::{fold, fold_into};
use super::regions::regions;

/// A place: a town, city or neighbourhood. Cheap to copy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    /// As GeoNames spells it ("Montréal", "St. John's").
    pub name: &'static str,
    /// ISO 3166-1 alpha-2 ("CA").
    pub country: &'static str,
    /// ISO 3166-2 ("CA-QC"), `None` when GeoNames' region could not be matched.
    pub region: Option<&'static str>,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
}

const NO_REGION: u16 = u16::MAX;
/// Coordinates are stored in units of 1e-4 degree.
const SCALE: f64 = 10_000.0;
/// Weight of a place in the visitor's country when ranking suggestions.
const VISITOR_BOOST: f64 = 10.0;
/// Weight of a place whose whole name is what was typed ("Bath" over "Bathinda").
const EXACT_BOOST: f64 = 5.0;

struct Record {
    name: u32,
    folded: u32,
    lat: i32,
    lon: i32,
    population: u32,
    country: u16,
    region: u16,
}

pub(crate) struct Gazetteer {
    /// Names as spelled, back to back in the order of `records`; a record's name ends where the
    /// next one's starts (the last one at the end of the string).
    names: &'static str,
    /// Folded names, likewise; `records` is sorted by them (then by population, largest first).
    folded: &'static str,
    records: Vec<Record>,
    /// Two-letter country codes back to back; record `country` is an index into it.
    countries: &'static str,
    /// Indexes into `records` sorted by latitude, for `nearest`.
    by_lat: Vec<u32>,
    /// Region codes in the file that `regions.tsv` does not list (kept as `None`; should be 0).
    unknown_regions: usize,
}

pub(crate) fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| {
        let started = std::time::Instant::now();
        let g = Gazetteer::load(include_bytes!("cities.tsv.gz"));
        tracing::info!(
            places = g.len(),
            heap_bytes = g.heap_bytes(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "gazetteer loaded"
        );
        if g.unknown_regions > 0 {
            tracing::warn!(
                places = g.unknown_regions,
                "gazetteer: region codes missing from regions.tsv"
            );
        }
        g
    })
}

impl Gazetteer {
    fn load(gz: &[u8]) -> Gazetteer {
        let mut text = String::new();
        GzDecoder::new(gz)
            .read_to_string(&mut text)
            .expect("cities.tsv.gz is valid gzipped UTF-8");
        let regions = regions();

        struct Row<'a> {
            name: &'a str,
            folded: std::ops::Range<usize>,
            lat: i32,
            lon: i32,
            population: u32,
            country: u16,
            region: u16,
        }
        let mut folded_tmp = String::with_capacity(text.len() / 3);
        let mut countries = String::new();
        let mut rows = Vec::with_capacity(text.len() / 40);
        let mut unknown_regions = 0;
        for line in text.lines() {
            let mut cols = line.split('\t');
            let (Some(name), Some(cc), Some(region), Some(lat), Some(lon), Some(population)) = (
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
            ) else {
                continue;
            };
            let country = match countries
                .as_bytes()
                .chunks(2)
                .rposition(|c| c == cc.as_bytes())
            {
                Some(i) => i,
                None if cc.len() == 2 => {
                    countries.push_str(cc);
                    countries.len() / 2 - 1
                }
                None => continue,
            };
            let region = if region.is_empty() {
                NO_REGION
            } else if let Some(&i) = regions.by_code.get(region) {
                i
            } else {
                unknown_regions += 1;
                NO_REGION
            };
            let start = folded_tmp.len();
            fold_into(name, &mut folded_tmp);
            rows.push(Row {
                name,
                folded: start..folded_tmp.len(),
                lat: degrees(lat),
                lon: degrees(lon),
                population: population.parse().unwrap_or(0),
                country: country as u16,
                region,
            });
        }
        rows.sort_unstable_by(|a, b| {
            folded_tmp[a.folded.clone()]
                .cmp(&folded_tmp[b.folded.clone()])
                .then(b.population.cmp(&a.population))
                .then(a.name.cmp(b.name))
        });

        let mut names = String::with_capacity(rows.iter().map(|r| r.name.len()).sum());
        let mut folded = String::with_capacity(folded_tmp.len());
        let records: Vec<Record> = rows
            .iter()
            .map(|r| {
                let record = Record {
                    name: names.len() as u32,
                    folded: folded.len() as u32,
                    lat: r.lat,
                    lon: r.lon,
                    population: r.population,
                    country: r.country,
                    region: r.region,
                };
                names.push_str(r.name);
                folded.push_str(&folded_tmp[r.folded.clone()]);
                record
            })
            .collect();
        let mut by_lat: Vec<u32> = (0..records.len() as u32).collect();
        by_lat.sort_unstable_by_key(|&i| records[i as usize].lat);

        // Loaded once for the life of the process: the arenas become 'static so that `Place` can
        // lend out plain `&'static str`s.
        Gazetteer {
            names: Box::leak(names.into_boxed_str()),
            folded: Box::leak(folded.into_boxed_str()),
            records,
            countries: Box::leak(countries.into_boxed_str()),
            by_lat,
            unknown_regions,
        }
    }

    fn len(&self) -> usize {
        self.records.len()
    }

    fn span(
        arena: &'static str,
        records: &[Record],
        i: usize,
        start: fn(&Record) -> u32,
    ) -> &'static str {
        let from = start(&records[i]) as usize;
        let to = records
            .get(i + 1)
            .map_or(arena.len(), |r| start(r) as usize);
        &arena[from..to]
    }

    fn folded(&self, i: usize) -> &'static str {
        Self::span(self.folded, &self.records, i, |r| r.folded)
    }

    fn place(&self, i: usize) -> Place {
        let r = &self.records[i];
        let c = usize::from(r.country) * 2;
        Place {
            name: Self::span(self.names, &self.records, i, |r| r.name),
            country: &self.countries[c..c + 2],
            region: (r.region != NO_REGION).then(|| regions().all[usize::from(r.region)].code),
            lat: f64::from(r.lat) / SCALE,
            lon: f64::from(r.lon) / SCALE,
            population: r.population,
        }
    }

    /// The records whose folded name starts with `prefix` (a range of `records`).
    fn prefixed(&self, prefix: &str) -> std::ops::Range<usize> {
        let start = partition(self.len(), |i| self.folded(i) < prefix);
        let end = start
            + partition(self.len() - start, |i| {
                self.folded(start + i).starts_with(prefix)
            });
        start..end
    }

    /// Bytes of heap the loaded gazetteer holds.
    fn heap_bytes(&self) -> usize {
        self.names.len()
            + self.folded.len()
            + self.countries.len()
            + self.records.capacity() * size_of::<Record>()
            + self.by_lat.capacity() * size_of::<u32>()
    }
}

fn degrees(text: &str) -> i32 {
    text.parse::<f64>()
        .map_or(0, |d| (d * SCALE).round() as i32)
}

/// The first index in `0..len` for which `pred` is false (`pred` is true then false).
fn partition(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Suggestions for what someone is typing: places whose name starts with `query`, ignoring case,
/// accents and punctuation ("montreal" → Montréal, "st johns" → St. John's), best first — by
/// population, places in `visitor_country` (ISO alpha-2) and whole-name matches weighing more.
/// Empty when the query has fewer than 2 letters or digits.
pub fn search(query: &str, visitor_country: Option<&str>, limit: usize) -> Vec<Place> {
    let q = fold(query);
    if q.chars().filter(|c| *c != ' ').count() < 2 || limit == 0 {
        return Vec::new();
    }
    let g = gazetteer();
    let visitor = visitor_country.map(|c| c.to_ascii_uppercase());
    let mut found: Vec<(f64, usize)> = g
        .prefixed(&q)
        .map(|i| {
            let mut score = f64::from(g.records[i].population.max(1));
            if g.folded(i).len() == q.len() {
                score *= EXACT_BOOST;
            }
            if visitor.as_deref().is_some_and(|v| g.place(i).country == v) {
                score *= VISITOR_BOOST;
            }
            (score, i)
        })
        .collect();
    // Best score first; ties keep the index order (alphabetical, then larger population).
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found
        .into_iter()
        .take(limit)
        .map(|(_, i)| g.place(i))
        .collect()
}

/// The place called `name` (compared folded, the whole name) in `country`, and in `region` when
/// one is given; the most populous when several match. For placing an event at its town.
pub fn find(name: &str, country: &str, region: Option<&str>) -> Option<Place> {
    let q = fold(name);
    if q.is_empty() {
        return None;
    }
    let g = gazetteer();
    // Within a folded name, records are sorted by population, largest first.
    g.prefixed(&q)
        .filter(|&i| g.folded(i) == q)
        .map(|i| g.place(i))
        .find(|p| {
            p.country.eq_ignore_ascii_case(country)
                && region.is_none_or(|r| p.region.is_some_and(|pr| pr.eq_ignore_ascii_case(r)))
        })
}

/// The place nearest to a point (great-circle distance), for "use my location".
pub fn nearest(lat: f64, lon: f64) -> Option<Place> {
    if !(lat.is_finite() && lon.is_finite()) {
        return None;
    }
    let g = gazetteer();
    let target = (lat * SCALE).round() as i32;
    let mid = g
        .by_lat
        .partition_point(|&i| g.records[i as usize].lat < target);
    let mut best: Option<(f64, usize)> = None;
    // Walk outwards in latitude; stop each way once the latitude gap alone exceeds the best.
    let consider = |i: u32, best: &mut Option<(f64, usize)>| -> bool {
        let r = &g.records[i as usize];
        let (rlat, rlon) = (f64::from(r.lat) / SCALE, f64::from(r.lon) / SCALE);
        let gap = (rlat - lat).abs().to_radians() * EARTH_RADIUS_KM;
        if best.is_some_and(|(d, _)| gap > d) {
            return false;
        }
        let d = distance_km(lat, lon, rlat, rlon);
        if best.is_none_or(|(bd, _)| d < bd) {
            *best = Some((d, i as usize));
        }
        true
    };
    for &i in &g.by_lat[mid..] {
        if !consider(i, &mut best) {
            break;
        }
    }
    for &i in g.by_lat[..mid].iter().rev() {
        if !consider(i, &mut best) {
            break;
        }
    }
    best.map(|(_, i)| g.place(i))
}

const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in kilometres (haversine).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_place_with_known_regions() {
        // Timed on a fresh load: other tests may have filled the shared one already.
        let started = std::time::Instant::now();
        let g = Gazetteer::load(include_bytes!("cities.tsv.gz"));
        let elapsed = started.elapsed();
        let with_region = g.records.iter().filter(|r| r.region != NO_REGION).count();
        println!(
            "gazetteer: {} places ({} with a region), {:.1} MiB of heap, loaded in {:?} \
             (unoptimised builds are several times slower than release)",
            g.len(),
            with_region,
            g.heap_bytes() as f64 / (1024.0 * 1024.0),
            elapsed,
        );
        assert!(g.len() > 100_000);
        assert!(with_region * 100 > g.len() * 95);
        assert_eq!(g.unknown_regions, 0, "every region code is in regions.tsv");
        assert!(g.heap_bytes() < 8 * 1024 * 1024);
    }

    #[test]
    fn montreal_without_its_accent() {
        let found = search("montreal", Some("CA"), 5);
        assert_eq!(found[0].name, "Montréal");
        assert_eq!(found[0].country, "CA");
        assert_eq!(found[0].region, Some("CA-QC"));
        // The two small Montréal in France are there too.
        let all = search("Montréal", None, 50);
        assert!(
            all.iter()
                .filter(|p| p.name == "Montréal" && p.country == "FR")
                .count()
                >= 2
        );
    }

    #[test]
    fn st_johns_without_its_punctuation() {
        for query in ["st johns", "St. John's", "ST JOHN’S"] {
            let found = search(query, Some("CA"), 5);
            assert_eq!(found[0].name, "St. John's", "{query}");
            assert_eq!(found[0].region, Some("CA-NL"), "{query}");
        }
    }

    #[test]
    fn hyphens_are_spaces() {
        let found = search("saint-jean", Some("CA"), 20);
        assert!(found.iter().any(|p| p.name == "Saint-Jean-sur-Richelieu"));
        let found = search("saint jean sur", None, 5);
        assert_eq!(found[0].name, "Saint-Jean-sur-Richelieu");
        assert_eq!(found[0].region, Some("CA-QC"));
    }

    #[test]
    fn the_visitors_country_comes_first() {
        let anywhere = search("stratford", None, 20);
        let countries: std::collections::HashSet<_> = anywhere
            .iter()
            .filter(|p| p.name == "Stratford")
            .map(|p| p.country)
            .collect();
        assert!(countries.len() >= 3, "{countries:?}");
        assert_ne!(anywhere[0].country, "CA");
        let from_canada = search("stratford", Some("CA"), 20);
        assert_eq!(from_canada[0].name, "Stratford");
        assert_eq!(from_canada[0].region, Some("CA-ON"));
        assert_eq!(search("Stratford", Some("ca"), 1)[0].country, "CA");
    }

    #[test]
    fn short_or_empty_queries_find_nothing() {
        assert!(search("m", None, 10).is_empty());
        assert!(search(" é. ", None, 10).is_empty());
        assert!(search("", None, 10).is_empty());
        assert!(search("montreal", None, 0).is_empty());
        assert!(search("zzzzqqq", None, 10).is_empty());
        assert_eq!(search("pa", None, 7).len(), 7);
    }

    #[test]
    fn find_places_an_event_at_its_town() {
        let toronto = find("Toronto", "CA", None).unwrap();
        // GeoNames puts Toronto at 43.7001, -79.4163, 6 km from the CN Tower.
        assert!(distance_km(toronto.lat, toronto.lon, 43.65, -79.38) < 10.0);
        assert_eq!(toronto.region, Some("CA-ON"));
        assert_eq!(find("toronto", "CA", Some("CA-ON")), Some(toronto));
        assert_eq!(find("Toronto", "CA", Some("CA-QC")), None);
        assert_eq!(find("Toront", "CA", None), None);
        let montreal = find("MONTREAL", "CA", None).unwrap();
        assert_eq!(montreal.name, "Montréal");
        // In France the biggest of the two wins, or the one in the region asked for.
        let fr = find("Montréal", "FR", None).unwrap();
        assert_eq!(fr.country, "FR");
        assert!(find("Montréal", "FR", Some("FR-OCC")).is_some());
    }

    #[test]
    fn nearest_place_to_a_point() {
        let here = nearest(47.56, -52.71).unwrap();
        assert_eq!(here.name, "St. John's");
        assert_eq!(nearest(45.5088, -73.5878).unwrap().name, "Montréal");
        // Across the antimeridian: Fiji's Taveuni and Tonga's islands are near 180°.
        let p = nearest(-16.85, 179.99).unwrap();
        assert!(distance_km(p.lat, p.lon, -16.85, 179.99) < 200.0, "{p:?}");
        assert_eq!(nearest(f64::NAN, 0.0), None);
    }
}
