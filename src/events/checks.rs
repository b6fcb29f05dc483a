//! Turning what a host typed (HTML form) or sent (API) into an event we can store: every rule in
//! one place, messages as Fluent ids.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{EventKind, Visibility};
use crate::campaigns::Campaign;
use crate::geo;
use crate::i18n::{FieldErrors, Msg};
use crate::web::forms;

/// Days before and after the campaign's event window that events may still fall on.
pub const WINDOW_GRACE_DAYS: i64 = 3;
pub const MAX_CAPACITY: i64 = 100_000;

/// The refusal of an edit that would move an event to a country its editor does not look after.
pub fn country_out_of_scope() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("country", Msg::new("event-country-scope"));
    errors
}

/// Whether the host form's place box still names `town`: the town alone, or followed by
/// ", region, country" as a suggestion fills it. A town's own name may hold a comma
/// ("Washington, D.C."), so every part before a comma is tried, not only the first.
pub fn place_names_town(place: &str, town: &str) -> bool {
    let town = geo::fold(town);
    let mut named = place.match_indices(',').map(|(at, _)| &place[..at]);
    geo::fold(place) == town || named.any(|p| geo::fold(p) == town)
}

/// When the event happens, as each channel says it.
#[derive(Clone, Debug)]
pub enum When {
    /// The API: RFC 3339 instants with their offsets.
    Instants { starts_at: String, ends_at: String },
    /// The HTML form: a date and two times on the clock of the event's time zone.
    Local {
        date: String,
        start: String,
        end: String,
    },
}

/// An event as submitted, before checking. Empty strings mean "not given".
#[derive(Clone, Debug)]
pub struct EventDraft {
    pub title: String,
    pub kind: String,
    pub visibility: String,
    pub when: When,
    pub timezone: String,
    pub venue_name: String,
    pub address: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub step_free: bool,
    pub description: String,
    pub language: String,
}

/// An event that passed every check.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct EventInput {
    pub title: String,
    pub kind: EventKind,
    pub visibility: Visibility,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub venue_name: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub step_free: bool,
    pub description: String,
    pub language: String,
}

impl EventInput {
    pub fn tz(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    /// Home and private events keep their exact place to themselves (as [`super::Event`]).
    pub fn hides_location(&self) -> bool {
        self.kind == EventKind::Home || self.visibility == Visibility::Private
    }
}

fn parse_instant(errors: &mut FieldErrors, field: &str, value: &str) -> Option<DateTime<Utc>> {
    match DateTime::<FixedOffset>::parse_from_rfc3339(value.trim()) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            errors.add(field, Msg::new("event-datetime"));
            None
        }
    }
}

fn parse_local(
    errors: &mut FieldErrors,
    tz: Tz,
    date: &str,
    start: &str,
    end: &str,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let day = forms::date(errors, "date", date);
    let time = |errors: &mut FieldErrors, field: &str, v: &str| {
        let v = v.trim();
        NaiveTime::parse_from_str(v, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(v, "%H:%M:%S"))
            .map_err(|_| errors.add(field, Msg::new("event-time")))
            .ok()
    };
    let start = time(errors, "start_time", start);
    let end = time(errors, "end_time", end);
    let at = |errors: &mut FieldErrors, field: &str, day: NaiveDate, t: NaiveTime| {
        // A clock time skipped by a daylight-saving change does not exist; an ambiguous one takes
        // the earlier instant.
        match tz.from_local_datetime(&day.and_time(t)).earliest() {
            Some(dt) => Some(dt.with_timezone(&Utc)),
            None => {
                errors.add(field, Msg::new("event-time-skipped"));
                None
            }
        }
    };
    match (day, start, end) {
        (Some(day), Some(s), Some(e)) => (
            at(errors, "start_time", day, s),
            at(errors, "end_time", day, e),
        ),
        _ => (None, None),
    }
}

impl EventDraft {
    /// Checks everything against the campaign; fills region, coordinates and time zone from the
    /// gazetteer when they were left out.
    pub fn check(&self, campaign: &Campaign) -> Result<EventInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = forms::line(&mut e, "title", &self.title, 3, 120);
        let kind = EventKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", Msg::new("field-choice"));
        }
        let visibility = Visibility::parse(self.visibility.trim());
        if visibility.is_none() {
            e.add("visibility", Msg::new("field-choice"));
        }
        let country = forms::country(&mut e, "country", &self.country);
        let city = forms::line(&mut e, "city", &self.city, 1, 120);
        let mut region = Some(self.region.trim().to_ascii_uppercase()).filter(|r| !r.is_empty());
        if let Some(r) = &region
            && e.get("country").is_empty()
            && !geo::region_belongs(&country, r)
        {
            e.add("region", Msg::new("event-region-country"));
        }
        let (mut latitude, mut longitude) = (self.latitude, self.longitude);
        match (latitude, longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
                    e.add("latitude", Msg::new("event-latitude"));
                }
                if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
                    e.add("longitude", Msg::new("event-longitude"));
                }
            }
            (None, None) => {}
            _ => e.add("latitude", Msg::new("event-coordinates-pair")),
        }
        // Placed at its town when the host gave no coordinates.
        if latitude.is_none()
            && e.get("country").is_empty()
            && !city.is_empty()
            && let Some(place) = geo::find(&city, &country, region.as_deref())
        {
            latitude = Some(place.lat);
            longitude = Some(place.lon);
            if region.is_none() {
                region = place.region.map(str::to_string);
            }
        }
        let timezone = match self.timezone.trim() {
            "" => geo::zones::default_timezone(&country, latitude, longitude)
                .unwrap_or("UTC")
                .to_string(),
            tz if geo::zones::is_known(tz) => tz.to_string(),
            _ => {
                e.add("timezone", Msg::new("event-timezone"));
                "UTC".to_string()
            }
        };
        let tz: Tz = timezone.parse().unwrap_or(Tz::UTC);
        let (starts_at, ends_at) = match &self.when {
            When::Instants { starts_at, ends_at } => (
                parse_instant(&mut e, "starts_at", starts_at),
                parse_instant(&mut e, "ends_at", ends_at),
            ),
            When::Local { date, start, end } => parse_local(&mut e, tz, date, start, end),
        };
        let end_field = match self.when {
            When::Instants { .. } => "ends_at",
            When::Local { .. } => "end_time",
        };
        if let (Some(s), Some(end)) = (starts_at, ends_at) {
            if end <= s {
                e.add(end_field, Msg::new("event-end-after-start"));
            } else if end - s > Duration::days(7) {
                e.add(end_field, Msg::new("event-too-long"));
            }
        }
        // Each end of the event must fall in the campaign's window, give or take a few days.
        let first = campaign.starts_on - Duration::days(WINDOW_GRACE_DAYS);
        let last = campaign.ends_on + Duration::days(WINDOW_GRACE_DAYS);
        let outside = [starts_at, ends_at]
            .into_iter()
            .flatten()
            .any(|t| !(first..=last).contains(&t.with_timezone(&tz).date_naive()));
        if outside {
            let field = match self.when {
                When::Instants { .. } => "starts_at",
                When::Local { .. } => "date",
            };
            e.add(
                field,
                Msg::new("event-outside-window")
                    .arg("from", campaign.starts_on)
                    .arg("to", campaign.ends_on),
            );
        }
        let venue_name = forms::line(&mut e, "venue_name", &self.venue_name, 0, 120);
        let needs_address =
            kind != Some(EventKind::Online) && visibility == Some(Visibility::Public);
        let address = forms::text(
            &mut e,
            "address",
            &self.address,
            usize::from(needs_address),
            300,
        );
        if let Some(c) = self.capacity
            && !(1..=MAX_CAPACITY).contains(&c)
        {
            e.add(
                "capacity",
                Msg::new("field-number-range")
                    .arg("min", 1)
                    .arg("max", MAX_CAPACITY),
            );
        }
        let accessibility = forms::text(&mut e, "accessibility", &self.accessibility, 0, 500);
        let description = forms::text(&mut e, "description", &self.description, 0, 10_000);
        let language = self.language.trim().to_ascii_lowercase();
        let language = if language.is_empty() {
            "en".to_string()
        } else {
            language
        };
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
            e.add("language", Msg::new("event-language"));
        }
        // A kind or visibility that did not parse has added its error to `e`.
        let (Some(kind), Some(visibility)) = (kind, visibility) else {
            return Err(e);
        };
        e.into_result()?;
        Ok(EventInput {
            title,
            kind,
            visibility,
            starts_at: starts_at.unwrap_or_default(),
            ends_at: ends_at.unwrap_or_default(),
            timezone,
            venue_name,
            address,
            city,
            region,
            country,
            latitude,
            longitude,
            capacity: self.capacity,
            accessibility,
            step_free: self.step_free,
            description,
            language,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> Campaign {
        Campaign {
            id: 1,
            slug: "w4r-2017".into(),
            title: "W4R".into(),
            intro: String::new(),
            language: "en".into(),
            global_day: "2017-12-10".parse().unwrap(),
            starts_on: "2017-11-20".parse().unwrap(),
            ends_on: "2017-12-31".parse().unwrap(),
            report_deadline: "2018-01-31".parse().unwrap(),
            goal: 0,
        }
    }

    fn draft() -> EventDraft {
        EventDraft {
            title: "Letters and soup at St. Thomas".into(),
            kind: "faith".into(),
            visibility: "public".into(),
            when: When::Instants {
                starts_at: "2017-12-10T13:00:00-03:30".into(),
                ends_at: "2017-12-10T16:00:00-03:30".into(),
            },
            timezone: "America/St_Johns".into(),
            venue_name: "St. Thomas' Church hall".into(),
            address: "8 Military Rd".into(),
            city: "St. John's".into(),
            region: "CA-NL".into(),
            country: "CA".into(),
            latitude: Some(47.5675),
            longitude: Some(-52.7072),
            capacity: Some(40),
            accessibility: "Step-free entrance".into(),
            step_free: true,
            description: "Markdown text".into(),
            language: "en".into(),
        }
    }

    #[test]
    fn the_contract_example_passes() {
        let input = draft().check(&campaign()).unwrap();
        assert_eq!(input.starts_at.to_rfc3339(), "2017-12-10T16:30:00+00:00");
    }

    #[test]
    fn bad_values_are_named() {
        let bad = EventDraft {
            kind: "rave".into(),
            visibility: "secret".into(),
            region: "US-NY".into(),
            latitude: Some(91.0),
            longitude: Some(200.0),
            capacity: Some(0),
            when: When::Instants {
                starts_at: "2017-12-10T16:00:00Z".into(),
                ends_at: "2017-12-10T15:00:00Z".into(),
            },
            timezone: "Mars/Olympus".into(),
            ..draft()
        };
        let e = bad.check(&campaign()).unwrap_err();
        for field in [
            "kind",
            "visibility",
            "region",
            "latitude",
            "longitude",
            "capacity",
            "ends_at",
            "timezone",
        ] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
        let far = EventDraft {
            when: When::Instants {
                starts_at: "2019-06-01T10:00:00Z".into(),
                ends_at: "2019-06-01T12:00:00Z".into(),
            },
            ..draft()
        };
        assert_eq!(
            far.check(&campaign()).unwrap_err().get("starts_at")[0].key,
            "event-outside-window"
        );
        let huge = EventDraft {
            capacity: Some(1_000_000_000),
            description: "x".repeat(10_001),
            ..draft()
        };
        let e = huge.check(&campaign()).unwrap_err();
        assert!(!e.get("capacity").is_empty() && !e.get("description").is_empty());
    }

    #[test]
    fn a_town_with_a_comma_is_still_named_by_the_place_box() {
        let town = "Washington, D.C.";
        for place in [
            town,
            "washington, d.c., District of Columbia, United States",
        ] {
            assert!(place_names_town(place, town), "{place}");
        }
        assert!(place_names_town(
            "St. John's, Newfoundland and Labrador",
            "St. John's"
        ));
        for other in ["Washington", "Paris Hilton", ""] {
            assert!(!place_names_town(other, town), "{other}");
        }
        assert!(!place_names_town("Paris Hilton", "Paris"));
        // A name that folds to nothing is still the same name.
        assert!(place_names_town("%", "%"));
    }

    #[test]
    fn town_fills_in_the_rest() {
        let d = EventDraft {
            latitude: None,
            longitude: None,
            region: String::new(),
            timezone: String::new(),
            when: When::Local {
                date: "2017-12-10".into(),
                start: "13:00".into(),
                end: "16:00".into(),
            },
            ..draft()
        };
        let input = d.check(&campaign()).unwrap();
        assert_eq!(input.region.as_deref(), Some("CA-NL"));
        assert_eq!(input.timezone, "America/St_Johns");
        assert!((input.latitude.unwrap() - 47.56).abs() < 0.1);
        assert_eq!(input.starts_at.to_rfc3339(), "2017-12-10T16:30:00+00:00");
    }
}
