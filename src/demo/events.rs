//! Demo events for the demo campaigns.
//!
//! Everything is drawn from a seeded RNG, so a seed always gives the same events: about 300 for
//! the finished 2017 campaign (every Canadian province and territory, more where more people live,
//! and 16 other countries), 20 for the current one around its global day. Towns come from the
//! gazetteer, weighted towards bigger ones; times are on each town's clock; titles, descriptions and
//! venues are in the event's language (French in Quebec and France, and some in New Brunswick and
//! Ontario; Spanish in Spain and Mexico). Venues, street addresses, hosts and attendees are fictional: hosts are
//! `demo-host-N@example.org` accounts without a password, so nobody can sign in as them.
//!
//! Events go in through `EventDraft::check` and `events::store::insert`, like a host's, so the
//! checks, public points and coarsening are those of real events.

use chrono::{Datelike, NaiveDate, Weekday};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::data::{EVENTS, NAMES};
use super::rsvps::{self, Attendee};
use super::text::{self, pick};
use super::{Edition, hosts};
use crate::campaigns::Campaign;
use crate::db::Tx;
use crate::events::checks::{EventDraft, When};
use crate::events::store;
use crate::geo::{self, Place};

/// Demo host accounts, `demo-host-1@example.org` …; the first `FRENCH_HOSTS` host in French.
pub const DEMO_HOSTS: usize = 40;
pub(super) const FRENCH_HOSTS: usize = 10;

/// Weekdays a kind of event happens on.
fn fits_day(kind: &str, day: Weekday) -> bool {
    use Weekday::*;
    match kind {
        "school" | "university" | "workplace" => !matches!(day, Sat | Sun),
        "faith" => matches!(day, Sat | Sun),
        "pub" => matches!(day, Thu | Fri | Sat),
        "library" => day != Sun,
        _ => true,
    }
}

/// A day near the global day that suits the kind, the global day itself most often.
fn event_day(rng: &mut StdRng, kind: &str, campaign: &Campaign) -> NaiveDate {
    let days: Vec<(NaiveDate, u32)> = (-9..=6)
        .map(|offset| campaign.global_day + chrono::Duration::days(offset))
        .filter(|d| *d >= campaign.starts_on && *d <= campaign.ends_on)
        .filter(|d| fits_day(kind, d.weekday()))
        .map(|d| (d, if d == campaign.global_day { 24 } else { 1 }))
        .collect();
    if days.is_empty() {
        return campaign.global_day;
    }
    let weights = WeightedIndex::new(days.iter().map(|(_, w)| *w)).expect("positive weights");
    days[weights.sample(rng)].0
}

/// Start and end on the local clock, as "HH:MM".
fn event_hours(rng: &mut StdRng, kind: &str, day: Weekday) -> (String, String) {
    let weekend = matches!(day, Weekday::Sat | Weekday::Sun);
    // (earliest start, latest start, shortest, longest), in half hours.
    let (from, to, short, long) = match kind {
        "school" => (18, 27, 2, 4),
        "university" => (22, 30, 4, 6),
        "workplace" => (24, 25, 2, 3),
        "faith" => (23, 26, 3, 4),
        "pub" => (37, 39, 5, 6),
        "cafe" => (20, 30, 4, 6),
        "library" if weekend => (20, 28, 3, 4),
        "library" => (36, 37, 3, 4),
        "home" => (26, 38, 4, 6),
        "outdoor" => (24, 28, 2, 4),
        "online" => (38, 40, 3, 3),
        "community_centre" => (20, 28, 6, 8),
        _ => (20, 36, 3, 5),
    };
    let start = rng.gen_range(from..=to);
    let end = (start + rng.gen_range(short..=long)).min(47);
    let hhmm = |h: u32| format!("{:02}:{:02}", h / 2, (h % 2) * 30);
    (hhmm(start), hhmm(end))
}

/// A point up to `max_km` from (lat, lon), so that a town's events are not all on one spot.
fn jitter(rng: &mut StdRng, lat: f64, lon: f64, max_km: f64) -> (f64, f64) {
    let r = max_km * rng.r#gen::<f64>().sqrt();
    let a = rng.r#gen::<f64>() * std::f64::consts::TAU;
    let dlat = r / 111.32 * a.cos();
    let dlon = r / (111.32 * lat.to_radians().cos().max(0.05)) * a.sin();
    let round = |v: f64| (v * 100_000.0).round() / 100_000.0;
    (
        round((lat + dlat).clamp(-89.9, 89.9)),
        round(((lon + dlon + 540.0) % 360.0) - 180.0),
    )
}

/// How far from the town centre a venue may be: a few hundred metres in a village, a few km in a city.
fn spread_km(population: u32) -> f64 {
    (0.4 + f64::from(population).sqrt() / 700.0).min(2.5)
}

/// One event to add: what a host would have typed, in which language, and its RSVPs.
#[derive(Clone, Debug)]
pub(super) struct Planned {
    draft: EventDraft,
    french: bool,
    attendees: Vec<Attendee>,
}

/// Makes up an event at `place`. `host_first` names the host in home venues.
pub(super) fn make_draft(
    rng: &mut StdRng,
    campaign: &Campaign,
    place: &Place,
    lang: &str,
    host_first: &str,
) -> EventDraft {
    let kinds = &EVENTS.kinds;
    let weights = WeightedIndex::new(kinds.iter().map(|k| k.weight)).expect("positive weights");
    let chosen = &kinds[weights.sample(rng)];
    let kind = chosen.kind.as_str();
    let private = rng.gen_bool(chosen.private);
    let day = event_day(rng, kind, campaign);
    let (start, end) = event_hours(rng, kind, day.weekday());
    let (lat, lon) = if kind == "online" {
        (place.lat, place.lon)
    } else {
        jitter(rng, place.lat, place.lon, spread_km(place.population))
    };
    let venue = text::venue_name(rng, kind, lang, host_first);
    let address = if kind == "online" {
        String::new()
    } else {
        text::street_address(rng, place.country, lang)
    };
    let capacity = rng.gen_bool(0.35).then(|| match kind {
        "home" => rng.gen_range(6..=14),
        "cafe" | "pub" => rng.gen_range(10..=40),
        "school" | "university" => rng.gen_range(20..=120),
        _ => rng.gen_range(10..=60),
    });
    let step_free = kind != "online"
        && rng.gen_bool(match kind {
            "home" => 0.25,
            "outdoor" => 0.8,
            _ => 0.55,
        });
    EventDraft {
        title: text::title(rng, kind, lang, &venue, place.name),
        kind: kind.to_string(),
        visibility: if private { "private" } else { "public" }.to_string(),
        when: When::Local {
            date: day.to_string(),
            start,
            end,
        },
        // The town's zone: what the form offers a host there.
        timezone: geo::zones::default_timezone(place.country, Some(place.lat), Some(place.lon))
            .unwrap_or("UTC")
            .to_string(),
        venue_name: venue,
        address,
        city: place.name.to_string(),
        region: place.region.unwrap_or_default().to_string(),
        country: place.country.to_string(),
        latitude: Some(lat),
        longitude: Some(lon),
        capacity,
        accessibility: text::accessibility(rng, kind, lang, step_free),
        step_free,
        description: text::description(rng, kind, lang),
        language: lang.to_string(),
    }
}

/// The demo events of an edition, in a fixed order (area by area).
pub(super) fn plan(edition: Edition, campaign: &Campaign) -> Vec<Planned> {
    let (areas, seed) = match edition {
        Edition::Past => (&EVENTS.past, 2017),
        Edition::Current => (&EVENTS.current, 1210),
    };
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for area in areas {
        let towns: Vec<Place> = area
            .towns
            .iter()
            .filter_map(|name| geo::find(name, &area.country, area.region.as_deref()))
            .collect();
        if towns.is_empty() {
            continue;
        }
        // Bigger towns get more events, but not all of them.
        let weights = WeightedIndex::new(
            towns
                .iter()
                .map(|t| f64::from(t.population.max(1000)).powf(0.6)),
        )
        .expect("positive weights");
        for _ in 0..area.events {
            let place = towns[weights.sample(&mut rng)];
            let french = rng.gen_bool(area.french);
            let lang = if french {
                "fr"
            } else {
                area.language.as_deref().unwrap_or("en")
            };
            let host_first = pick(&mut rng, NAMES.first(lang));
            let draft = make_draft(&mut rng, campaign, &place, lang, host_first);
            let public = draft.visibility == "public";
            let attendees = if public && rng.gen_bool(0.3) {
                rsvps::attendees(&mut rng, lang, draft.capacity)
            } else {
                Vec::new()
            };
            out.push(Planned {
                draft,
                french,
                attendees,
            });
        }
    }
    out
}

/// Hosts (1-based demo host numbers) for the planned events: French events go to the French
/// hosts, the others to the rest, each host taking a run of neighbouring events.
pub(super) fn assign_hosts(planned: &[Planned]) -> Vec<usize> {
    let french_total = planned.iter().filter(|p| p.french).count().max(1);
    let other_total = planned.len().saturating_sub(french_total).max(1);
    let (mut french_seen, mut other_seen) = (0, 0);
    planned
        .iter()
        .map(|p| {
            if p.french {
                french_seen += 1;
                1 + (french_seen - 1) * FRENCH_HOSTS / french_total
            } else {
                other_seen += 1;
                FRENCH_HOSTS + 1 + (other_seen - 1) * (DEMO_HOSTS - FRENCH_HOSTS) / other_total
            }
        })
        .map(|h| h.min(DEMO_HOSTS))
        .collect()
}

/// Adds the edition's demo events (and their hosts and RSVPs) to `campaign` in the caller's
/// transaction; nothing when the campaign already has events. Returns how many were added.
pub async fn seed(
    tx: &mut Tx,
    now: i64,
    campaign: &Campaign,
    edition: Edition,
) -> anyhow::Result<usize> {
    if store::count_in_campaign(tx, campaign.id).await? > 0 {
        return Ok(0);
    }
    let planned = plan(edition, campaign);
    let hosts = hosts::ensure(tx, now, "demo-host", DEMO_HOSTS).await?;
    let safety = store::safety_countries(tx).await?;
    for (p, host) in planned.iter().zip(assign_hosts(&planned)) {
        let input = p.draft.check(campaign).map_err(|e| {
            anyhow::anyhow!(
                "demo event {:?}: {}",
                p.draft.title,
                e.describe_in_english()
            )
        })?;
        let id = store::insert(
            tx,
            now,
            campaign.id,
            hosts[host - 1],
            &input,
            safety.contains(&input.country),
        )
        .await?;
        rsvps::add(tx, now, id, &input, &p.attendees).await?;
    }
    Ok(planned.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::checks::EventInput;
    use crate::events::{EventKind, Visibility};
    use std::collections::BTreeSet;

    fn campaign_2017() -> Campaign {
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

    fn current() -> Campaign {
        let (g, s, e, r) = super::super::current_dates("2026-11-26".parse().unwrap());
        Campaign {
            id: 2,
            slug: "w4r-2026".into(),
            global_day: g,
            starts_on: s,
            ends_on: e,
            report_deadline: r,
            ..campaign_2017()
        }
    }

    #[test]
    fn every_demo_town_is_in_the_gazetteer() {
        for area in EVENTS.past.iter().chain(&EVENTS.current) {
            for town in &area.towns {
                assert!(
                    geo::find(town, &area.country, area.region.as_deref()).is_some(),
                    "{town} ({}, {:?})",
                    area.country,
                    area.region
                );
            }
        }
    }

    #[test]
    fn the_2017_events_look_like_a_real_campaign() {
        let campaign = campaign_2017();
        let planned = plan(Edition::Past, &campaign);
        assert!((280..=320).contains(&planned.len()), "{}", planned.len());
        let inputs: Vec<EventInput> = planned
            .iter()
            .map(|p| {
                p.draft
                    .check(&campaign)
                    .unwrap_or_else(|e| panic!("{:?}: {}", p.draft, e.describe_in_english()))
            })
            .collect();
        let regions: BTreeSet<_> = inputs
            .iter()
            .filter(|i| i.country == "CA")
            .filter_map(|i| i.region.clone())
            .collect();
        assert_eq!(regions.len(), 13, "{regions:?}");
        let countries: BTreeSet<_> = inputs.iter().map(|i| i.country.as_str()).collect();
        assert!(countries.len() >= 13, "{countries:?}");
        let kinds: BTreeSet<_> = inputs.iter().map(|i| i.kind.as_str()).collect();
        assert_eq!(kinds.len(), crate::events::KINDS.len(), "{kinds:?}");
        let private = inputs
            .iter()
            .filter(|i| i.visibility == Visibility::Private)
            .count();
        let share = private as f64 / inputs.len() as f64;
        assert!((0.10..=0.20).contains(&share), "{share}");
        assert!(inputs.iter().any(|i| i.kind == EventKind::Home));
        assert!(inputs.iter().any(|i| i.capacity.is_some()));
        assert!(inputs.iter().any(|i| i.step_free));
        for i in &inputs {
            if i.country == "FR" {
                assert_eq!(i.language, "fr", "{}", i.title);
            }
            if matches!(i.country.as_str(), "ES" | "MX") {
                assert_eq!(i.language, "es", "{}", i.title);
            }
            let local = i.starts_at.with_timezone(&i.tz()).date_naive();
            assert!(
                (local - campaign.global_day).num_days().abs() <= 9,
                "{}: {local}",
                i.title
            );
            assert!(geo::zones::is_known(&i.timezone), "{}", i.timezone);
        }
        let on_the_day = inputs
            .iter()
            .filter(|i| i.starts_at.with_timezone(&i.tz()).date_naive() == campaign.global_day)
            .count();
        assert!(on_the_day * 3 > inputs.len(), "{on_the_day}");
        assert!(
            inputs
                .iter()
                .filter(|i| i.region.as_deref() == Some("CA-QC"))
                .filter(|i| i.language == "fr")
                .count()
                > 20
        );
        assert!(
            inputs
                .iter()
                .any(|i| i.region.as_deref() == Some("CA-NB") && i.language == "fr")
        );
        let rsvps: usize = planned.iter().map(|p| p.attendees.len()).sum();
        assert!(rsvps > 50, "{rsvps}");
        assert!(
            planned
                .iter()
                .all(|p| p.attendees.is_empty() || p.draft.visibility == "public")
        );
        // Hosts: all 40 used, French events with French hosts.
        let hosts = assign_hosts(&planned);
        let used: BTreeSet<_> = hosts.iter().copied().collect();
        assert_eq!(used, (1..=DEMO_HOSTS).collect());
        for (p, h) in planned.iter().zip(&hosts) {
            assert_eq!(p.french, *h <= FRENCH_HOSTS);
        }
    }

    #[test]
    fn towns_get_their_own_time_zone() {
        let zone = |name: &str, country: &str| {
            let p = geo::find(name, country, None).unwrap();
            geo::zones::default_timezone(p.country, Some(p.lat), Some(p.lon)).unwrap()
        };
        for (town, country, expected) in [
            ("Québec", "CA", "America/Toronto"),
            ("Sherbrooke", "CA", "America/Toronto"),
            ("Calgary", "CA", "America/Edmonton"),
            ("Kelowna", "CA", "America/Vancouver"),
            ("Medicine Hat", "CA", "America/Edmonton"),
            ("Corner Brook", "CA", "America/St_Johns"),
            ("Charlottetown", "CA", "America/Halifax"),
            ("Iqaluit", "CA", "America/Iqaluit"),
            ("Seattle", "US", "America/Los_Angeles"),
            ("Austin", "US", "America/Chicago"),
            ("Boston", "US", "America/New_York"),
            ("Paris", "FR", "Europe/Paris"),
            ("Perth", "AU", "Australia/Perth"),
        ] {
            assert_eq!(zone(town, country), expected, "{town}");
        }
        for area in EVENTS.past.iter().chain(&EVENTS.current) {
            for town in &area.towns {
                let p = geo::find(town, &area.country, area.region.as_deref()).unwrap();
                let z = geo::zones::default_timezone(p.country, Some(p.lat), Some(p.lon));
                assert!(z.is_some_and(geo::zones::is_known), "{town}: {z:?}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_events() {
        let a = plan(Edition::Past, &campaign_2017());
        let b = plan(Edition::Past, &campaign_2017());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn the_current_campaign_gets_a_few_events_in_its_window() {
        let campaign = current();
        let planned = plan(Edition::Current, &campaign);
        assert_eq!(planned.len(), 20);
        let mut countries = BTreeSet::new();
        for p in &planned {
            let input = p.draft.check(&campaign).unwrap();
            let local = input.starts_at.with_timezone(&input.tz()).date_naive();
            assert!(campaign.starts_on <= local && local <= campaign.ends_on);
            countries.insert(input.country);
        }
        assert!(countries.len() >= 5, "{countries:?}");
    }
}
