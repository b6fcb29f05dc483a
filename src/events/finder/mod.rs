//! Finding events: by place (a town from the gazetteer, the visitor's location or `near=LAT,LON`)
//! within a radius, and by kind, dates, step-free access, language and text; sorted by distance
//! or date; paged with a cursor (no OFFSET scans). One query (`store::finder`) serves the HTML
//! page (`page`) and the API.
//!
//! The search is indexed: a bounding box on `(campaign, status, visibility, latitude, longitude)`,
//! ordered in SQL by an equirectangular distance (plain arithmetic, the same on both backends),
//! then the exact great-circle distance is computed for the page's rows (here).

mod page;

use base64::Engine;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Event, EventKind, store};
use crate::db::Db;
use crate::geo;
use crate::i18n::Lang;
use crate::i18n::{FieldErrors, Msg};

pub use page::router;

pub const DEFAULT_RADIUS_KM: f64 = 25.0;
pub const MAX_RADIUS_KM: f64 = 500.0;
pub const MAX_LIMIT: i64 = 100;

/// The finder's parameters, as they come in a query string (HTML form or API).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct FinderParams {
    /// A town typed into the finder.
    pub place: Option<String>,
    /// The API's `LAT,LON`.
    pub near: Option<String>,
    /// From the browser's "use my location".
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub radius_km: Option<String>,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub step_free: Option<String>,
    pub language: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sort {
    Distance,
    Date,
}

/// Checked finder parameters.
#[derive(Clone, Debug)]
pub struct Search {
    pub center: Option<(f64, f64)>,
    /// The gazetteer's name for the typed place, to show "near St. John's".
    pub center_label: Option<String>,
    pub radius_km: f64,
    pub q: Option<String>,
    pub kind: Option<EventKind>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub step_free: bool,
    pub language: Option<String>,
    pub sort: Sort,
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cursor {
    Distance { d2: f64, id: i64 },
    Date { starts_at: i64, id: i64 },
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = match self {
            Cursor::Distance { d2, id } => format!("d:{d2:?}:{id}"),
            Cursor::Date { starts_at, id } => format!("t:{starts_at}:{id}"),
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    fn decode(s: &str) -> Option<Cursor> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.trim())
            .ok()?;
        let raw = String::from_utf8(raw).ok()?;
        let mut parts = raw.splitn(3, ':');
        let (tag, a, id) = (parts.next()?, parts.next()?, parts.next()?.parse().ok()?);
        match tag {
            "d" => Some(Cursor::Distance {
                d2: a.parse().ok().filter(|v: &f64| v.is_finite())?,
                id,
            }),
            "t" => Some(Cursor::Date {
                starts_at: a.parse().ok()?,
                id,
            }),
            _ => None,
        }
    }
}

pub(super) fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl FinderParams {
    /// Checks the parameters; `visitor_country` ranks same-named towns.
    pub fn check(&self, visitor_country: Option<&str>) -> std::result::Result<Search, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut center = None;
        let mut center_label = None;
        let coord = |s: &str, max: f64| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= max)
        };
        if let Some(near) = blank(&self.near) {
            match near
                .split_once(',')
                .and_then(|(a, b)| Some((coord(a, 90.0)?, coord(b, 180.0)?)))
            {
                Some(point) => center = Some(point),
                None => e.add("near", Msg::new("finder-near")),
            }
        } else if let (Some(lat), Some(lon)) = (blank(&self.lat), blank(&self.lon)) {
            match (coord(lat, 90.0), coord(lon, 180.0)) {
                (Some(a), Some(b)) => center = Some((a, b)),
                _ => e.add("near", Msg::new("finder-near")),
            }
        } else if let Some(place) = blank(&self.place) {
            let name = place.split(',').next().unwrap_or(place);
            match geo::search(name, visitor_country, 1).into_iter().next() {
                Some(p) => {
                    center = Some((p.lat, p.lon));
                    center_label = Some(p.name.to_string());
                }
                None => e.add("place", Msg::new("finder-place-unknown")),
            }
        }
        let radius_km = match blank(&self.radius_km) {
            None => DEFAULT_RADIUS_KM,
            Some(r) => match r.parse::<f64>() {
                Ok(v) if v > 0.0 && v <= MAX_RADIUS_KM => v,
                _ => {
                    e.add(
                        "radius_km",
                        Msg::new("finder-radius-range").arg("max", MAX_RADIUS_KM as i64),
                    );
                    DEFAULT_RADIUS_KM
                }
            },
        };
        let kind = blank(&self.kind).and_then(|k| {
            let kind = EventKind::parse(k);
            if kind.is_none() {
                e.add("kind", Msg::new("field-choice"));
            }
            kind
        });
        let country = blank(&self.country).map(|c| c.to_ascii_uppercase());
        if country
            .as_deref()
            .is_some_and(|c| geo::country_name(c, Lang::FALLBACK).is_none())
        {
            e.add("country", Msg::new("field-country"));
        }
        let region = blank(&self.region).map(|r| r.to_ascii_uppercase());
        if region
            .as_deref()
            .is_some_and(|r| geo::region_name(r, Lang::FALLBACK).is_none())
        {
            e.add("region", Msg::new("event-region-country"));
        }
        let date = |e: &mut FieldErrors, field: &str, v: &Option<String>| {
            blank(v).and_then(|s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| e.add(field, Msg::new("field-date")))
                    .ok()
            })
        };
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        let sort = match blank(&self.sort) {
            None => {
                if center.is_some() {
                    Sort::Distance
                } else {
                    Sort::Date
                }
            }
            Some("distance") => Sort::Distance,
            Some("date") => Sort::Date,
            Some(_) => {
                e.add("sort", Msg::new("field-choice"));
                Sort::Date
            }
        };
        let sort = if center.is_none() { Sort::Date } else { sort };
        let limit = match blank(&self.limit) {
            None => 20,
            Some(l) => match l.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    e.add(
                        "limit",
                        Msg::new("field-number-range")
                            .arg("min", 1)
                            .arg("max", MAX_LIMIT),
                    );
                    20
                }
            },
        };
        let cursor = match blank(&self.cursor) {
            None => None,
            Some(c) => match Cursor::decode(c) {
                Some(cur)
                    if matches!(
                        (&cur, sort),
                        (Cursor::Distance { .. }, Sort::Distance)
                            | (Cursor::Date { .. }, Sort::Date)
                    ) =>
                {
                    Some(cur)
                }
                _ => {
                    e.add("cursor", Msg::new("finder-cursor"));
                    None
                }
            },
        };
        let q = blank(&self.q).map(geo::fold).filter(|q| !q.is_empty());
        if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            e.add("q", Msg::new("field-too-long").arg("max", 100));
        }
        let step_free = crate::web::forms::flag(&mut e, "step_free", blank(&self.step_free));
        e.into_result()?;
        Ok(Search {
            center,
            center_label,
            radius_km,
            q,
            kind,
            country,
            region,
            from,
            to,
            step_free,
            language: blank(&self.language).map(|l| l.to_ascii_lowercase()),
            sort,
            limit,
            cursor,
        })
    }
}

pub struct Found {
    pub event: Event,
    pub distance_km: Option<f64>,
}

pub struct Page {
    pub results: Vec<Found>,
    pub next: Option<Cursor>,
}

/// Runs a search over a campaign's public, published events (`store::finder`), then measures
/// each row's great-circle distance: rows in the box but outside the circle are dropped.
pub async fn search(db: &Db, campaign_id: i64, s: &Search) -> Result<Page, sqlx::Error> {
    let rows = store::finder::search(db, campaign_id, s).await?;
    let more = rows.len() as i64 > s.limit;
    let mut results = Vec::new();
    let mut next = None;
    for row in rows.into_iter().take(s.limit as usize) {
        let event = row.event;
        let distance_km = match (s.center, event.public_latitude, event.public_longitude) {
            (Some((lat, lon)), Some(a), Some(b)) => Some(geo::distance_km(lat, lon, a, b)),
            _ => None,
        };
        if s.center.is_some() && distance_km.is_some_and(|d| d > s.radius_km) {
            // Outside the circle but inside its box: sorted by distance, nothing after it is closer.
            if s.sort == Sort::Distance {
                return Ok(Page {
                    results,
                    next: None,
                });
            }
            continue;
        }
        next = Some(match s.sort {
            Sort::Distance => Cursor::Distance {
                d2: row
                    .d2
                    .ok_or_else(|| sqlx::Error::ColumnNotFound("d2".into()))?,
                id: event.id,
            },
            Sort::Date => Cursor::Date {
                starts_at: event.starts_at.timestamp_millis(),
                id: event.id,
            },
        });
        results.push(Found { event, distance_km });
    }
    Ok(Page {
        results,
        next: if more { next } else { None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_exactly() {
        for c in [
            Cursor::Distance {
                d2: 0.123456789012345,
                id: 7,
            },
            Cursor::Date {
                starts_at: 1_512_900_000_000,
                id: 9,
            },
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("garbage!"), None);
    }

    #[test]
    fn bad_parameters_are_named() {
        let p = FinderParams {
            near: Some("91,0".into()),
            radius_km: Some("1000000".into()),
            kind: Some("rave".into()),
            limit: Some("1000".into()),
            cursor: Some("xx".into()),
            ..Default::default()
        };
        let e = p.check(None).unwrap_err();
        for field in ["near", "radius_km", "kind", "limit", "cursor"] {
            assert!(!e.get(field).is_empty(), "{field}");
        }
        let ok = FinderParams {
            place: Some("st johns".into()),
            ..Default::default()
        }
        .check(Some("CA"))
        .unwrap();
        assert_eq!(ok.center_label.as_deref(), Some("St. John's"));
        assert_eq!(ok.sort, Sort::Distance);
    }
}
