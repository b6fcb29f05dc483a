//! Choropleth maps drawn on the server as SVG, from outlines projected once by
//! `scripts/gen-recap-shapes.py` into `shapes.tsv` (Natural Earth, public domain): the world's
//! countries, and the regions of the few countries the data has them for. No tiles, no script:
//! the picture has a title and a description, each shape its own title, and the page always shows
//! a table of the same numbers beside it.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

/// One map's outlines: its box and a path per place.
struct Scope {
    width: u32,
    height: u32,
    shapes: Vec<(&'static str, &'static str)>,
}

static SCOPES: LazyLock<HashMap<&'static str, Scope>> = LazyLock::new(|| {
    let mut scopes: HashMap<&'static str, Scope> = HashMap::new();
    for line in include_str!("shapes.tsv").lines() {
        let mut cols = line.splitn(3, '\t');
        let (Some(scope), Some(code), Some(rest)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let entry = scopes.entry(scope).or_insert(Scope {
            width: 0,
            height: 0,
            shapes: Vec::new(),
        });
        if code == "#" {
            let mut size = rest.split(' ').filter_map(|n| n.parse().ok());
            entry.width = size.next().unwrap_or(0);
            entry.height = size.next().unwrap_or(0);
        } else {
            entry.shapes.push((code, rest));
        }
    }
    scopes
});

/// The world map's scope.
pub const WORLD: &str = "world";

/// Countries whose regions can be mapped, by ISO 3166-1 alpha-2 code.
pub fn region_countries() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = SCOPES.keys().copied().filter(|s| *s != WORLD).collect();
    codes.sort_unstable();
    codes
}

/// Whether `code` has a shape on the map of `scope`.
pub fn drawn(scope: &str, code: &str) -> bool {
    SCOPES
        .get(scope)
        .is_some_and(|s| s.shapes.iter().any(|(c, _)| *c == code))
}

/// Fill of places with nothing, then of the five classes, lightest first (sequential, readable
/// in grey; the darkest two take white text in the legend).
const NO_DATA: &str = "#e4e4e4";
const CLASSES: [&str; 5] = ["#fff1a8", "#fdd049", "#f5a524", "#d2691e", "#7f3b08"];

/// One place's number and what its shape's title says.
pub struct Area {
    pub code: String,
    pub value: i64,
    pub title: String,
}

/// A drawn map: the SVG, its legend (fill, lower bound of the class), and how many places were
/// drawn with a value.
pub struct Map {
    pub svg: String,
    pub legend: Vec<(&'static str, i64)>,
    pub with_value: usize,
}

/// Lower bounds of the classes: equal steps on a log scale from the smallest value to the
/// largest (letters span from a kitchen table to a country's thousands).
fn bounds(values: &[i64]) -> Vec<i64> {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return Vec::new();
    };
    let (lo, hi) = ((min.max(1) as f64).ln(), (max.max(1) as f64).ln());
    let mut out: Vec<i64> = (0..CLASSES.len())
        .map(|i| {
            let at = lo + (hi - lo) * i as f64 / CLASSES.len() as f64;
            (at.exp().round() as i64).max(min.max(1))
        })
        .collect();
    out[0] = min.max(1);
    out.dedup();
    out
}

fn class_of(value: i64, bounds: &[i64]) -> usize {
    bounds.iter().rposition(|b| value >= *b).unwrap_or(0)
}

/// Text for inside SVG: `&`, `<`, `>` and quotes escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The map of `scope` with `areas` coloured by value; `None` when there are no outlines for it.
/// `id` makes the title's and description's ids unique on the page.
pub fn choropleth(scope: &str, areas: &[Area], id: &str, title: &str, desc: &str) -> Option<Map> {
    let outlines = SCOPES.get(scope)?;
    let by_code: HashMap<&str, &Area> = areas
        .iter()
        .filter(|a| a.value > 0)
        .map(|a| (a.code.as_str(), a))
        .collect();
    let values: Vec<i64> = outlines
        .shapes
        .iter()
        .filter_map(|(code, _)| by_code.get(code).map(|a| a.value))
        .collect();
    let bounds = bounds(&values);
    let mut svg = String::with_capacity(400 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" class="choropleth"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = outlines.width,
        h = outlines.height,
        title = escape(title),
        desc = escape(desc),
    );
    let mut with_value = 0;
    for (code, d) in &outlines.shapes {
        match by_code.get(code) {
            Some(area) => {
                with_value += 1;
                let _ = write!(
                    svg,
                    r##"<path d="{d}" fill="{fill}" stroke="#ffffff" stroke-width="0.5" data-code="{code}" data-value="{value}"><title>{t}</title></path>"##,
                    fill = CLASSES[class_of(area.value, &bounds)],
                    value = area.value,
                    t = escape(&area.title),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<path d="{d}" fill="{NO_DATA}" stroke="#ffffff" stroke-width="0.5"/>"##
                );
            }
        }
    }
    svg.push_str("</svg>");
    let legend = bounds
        .iter()
        .enumerate()
        .map(|(i, b)| (CLASSES[i], *b))
        .collect();
    Some(Map {
        svg,
        legend,
        with_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str, value: i64) -> Area {
        Area {
            code: code.into(),
            value,
            title: format!("{code} <{value}>"),
        }
    }

    #[test]
    fn every_country_and_canadas_regions_have_outlines() {
        let world = &SCOPES[WORLD];
        assert!(world.shapes.len() > 150, "{}", world.shapes.len());
        for code in ["CA", "FR", "US", "BR", "KE", "NZ", "JP", "RU", "FJ"] {
            assert!(drawn(WORLD, code), "{code}");
        }
        for code in [
            "CA-AB", "CA-BC", "CA-MB", "CA-NB", "CA-NL", "CA-NS", "CA-NT", "CA-NU", "CA-ON",
            "CA-PE", "CA-QC", "CA-SK", "CA-YT",
        ] {
            assert!(drawn("CA", code), "{code}");
        }
        assert_eq!(region_countries(), ["AU", "BR", "CA", "US"]);
        // Every region's code is one the gazetteer knows.
        for country in region_countries() {
            for (code, _) in &SCOPES[country].shapes {
                assert!(crate::geo::region_belongs(country, code), "{code}");
            }
        }
    }

    #[test]
    fn a_shape_per_place_with_a_value_coloured_by_class() {
        let map = choropleth(
            WORLD,
            &[
                area("CA", 1500),
                area("FR", 3),
                area("KE", 0),
                area("XX", 9),
            ],
            "m",
            "Letters & <more>",
            "d",
        )
        .unwrap();
        assert_eq!(map.with_value, 2);
        assert_eq!(map.svg.matches("data-value=").count(), 2);
        assert!(map.svg.contains(r#"data-code="CA" data-value="1500""#));
        assert!(map.svg.contains("<title>CA &lt;1500&gt;</title>"));
        assert!(map.svg.contains("Letters &amp; &lt;more&gt;"));
        // The largest is in the darkest class, the smallest in the lightest.
        let fill = |code: &str| {
            let at = map.svg.find(&format!("data-code=\"{code}\"")).unwrap();
            let start = map.svg[..at].rfind("fill=\"").unwrap() + 6;
            map.svg[start..start + 7].to_string()
        };
        assert_eq!(fill("CA"), CLASSES[4]);
        assert_eq!(fill("FR"), CLASSES[0]);
        assert_eq!(map.legend.first(), Some(&(CLASSES[0], 3)));
        assert!(choropleth("ZZ", &[], "m", "t", "d").is_none());
    }

    #[test]
    fn classes_cover_every_value() {
        assert_eq!(bounds(&[]), Vec::<i64>::new());
        assert_eq!(bounds(&[7, 7]), vec![7]);
        let b = bounds(&[1, 10, 100, 1000, 100_000]);
        assert_eq!(b.len(), 5);
        assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        assert_eq!(class_of(1, &b), 0);
        assert_eq!(class_of(100_000, &b), 4);
    }
}
