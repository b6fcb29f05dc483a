//! Who sees what of an event. Home and private events show the public a point 1–2 km from where
//! they really are, in a direction fixed per event by a server secret, so asking again and again
//! cannot average the offset away. In a country under safety mode every public location is just
//! the town, and venue names are not shown.

use serde::Serialize;
use sha2::Digest;

use super::{Event, EventKind, RsvpCounts};
use crate::geo;

/// A point 1.2–2 km away from (lat, lon) in a direction and distance fixed by the event and salt,
/// rounded to about 100 m.
pub fn coarsen(event_id: i64, salt: &str, lat: f64, lon: f64) -> (f64, f64) {
    let digest = sha2::Sha256::digest(format!("{salt}:{event_id}").as_bytes());
    let a =
        u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) as f64 / u32::MAX as f64;
    let b =
        u32::from_be_bytes([digest[4], digest[5], digest[6], digest[7]]) as f64 / u32::MAX as f64;
    let angle = a * std::f64::consts::TAU;
    let km = 1.2 + 0.8 * b;
    let dlat = km / 111.32 * angle.cos();
    let dlon = km / (111.32 * lat.to_radians().cos().max(0.01)) * angle.sin();
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    (
        round((lat + dlat).clamp(-90.0, 90.0)),
        round(((lon + dlon + 540.0) % 360.0) - 180.0),
    )
}

/// The public point for an event: (latitude, longitude, approximate).
pub fn public_point(
    id: i64,
    salt: &str,
    hides_location: bool,
    safety: bool,
    place: (&str, &str, Option<&str>),
    exact: (Option<f64>, Option<f64>),
) -> (Option<f64>, Option<f64>, bool) {
    let (city, country, region) = place;
    if safety {
        return match geo::find(city, country, region) {
            Some(p) => (Some(p.lat), Some(p.lon), true),
            None => (None, None, true),
        };
    }
    match exact {
        (Some(lat), Some(lon)) if hides_location => {
            let (a, b) = coarsen(id, salt, lat, lon);
            (Some(a), Some(b), true)
        }
        (Some(lat), Some(lon)) => (Some(lat), Some(lon), false),
        _ => (None, None, hides_location),
    }
}

#[derive(Serialize)]
pub struct RsvpNumbers {
    pub confirmed: i64,
    pub waitlisted: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spaces_left: Option<i64>,
}

/// An event as the API shows it. The public view leaves out the street address, exact
/// coordinates of home and private events, venue names under safety mode, and the host.
#[derive(Serialize)]
pub struct EventView {
    pub id: i64,
    pub url: String,
    pub campaign: String,
    pub status: &'static str,
    pub title: String,
    pub kind: &'static str,
    pub visibility: &'static str,
    pub starts_at: String,
    pub ends_at: String,
    pub timezone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue_name: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_approximate: bool,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub step_free: bool,
    pub description: String,
    pub language: String,
    pub rsvps: RsvpNumbers,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Owner and staff only from here on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_longitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation_reason: Option<String>,
}

impl EventView {
    pub fn new(
        event: &Event,
        campaign_slug: &str,
        base: &str,
        counts: RsvpCounts,
        owner: bool,
        safety: bool,
    ) -> EventView {
        let show_venue = owner || !(safety || event.kind == EventKind::Home);
        let (latitude, longitude, approximate) = if owner {
            (event.latitude, event.longitude, false)
        } else {
            (
                event.public_latitude,
                event.public_longitude,
                event.location_approximate,
            )
        };
        EventView {
            id: event.id,
            url: format!("{base}/events/{}", event.id),
            campaign: campaign_slug.to_string(),
            status: event.status.as_str(),
            title: event.title.clone(),
            kind: event.kind.as_str(),
            visibility: event.visibility.as_str(),
            starts_at: event.local_start().to_rfc3339(),
            ends_at: event.local_end().to_rfc3339(),
            timezone: event.timezone.name().to_string(),
            venue_name: show_venue.then(|| event.venue_name.clone()),
            city: event.city.clone(),
            region: event.region.clone(),
            country: event.country.clone(),
            latitude,
            longitude,
            location_approximate: approximate,
            capacity: event.capacity,
            accessibility: event.accessibility.clone(),
            step_free: event.step_free,
            description: event.description.clone(),
            language: event.language.clone(),
            rsvps: RsvpNumbers {
                confirmed: counts.confirmed,
                waitlisted: counts.waitlisted,
                spaces_left: counts.spaces_left(event.capacity),
            },
            distance_km: None,
            address: owner.then(|| event.address.clone()),
            public_latitude: if owner { event.public_latitude } else { None },
            public_longitude: if owner { event.public_longitude } else { None },
            moderation_reason: if owner {
                event.moderation_reason.clone()
            } else {
                None
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarsened_points_are_far_enough_and_stable() {
        for id in 1..500 {
            let (lat, lon) = coarsen(id, "salt", 47.5675, -52.7072);
            let km = geo::distance_km(47.5675, -52.7072, lat, lon);
            assert!((1.0..2.2).contains(&km), "event {id}: {km} km");
            assert_eq!(
                (lat, lon),
                coarsen(id, "salt", 47.5675, -52.7072),
                "same answer every time"
            );
        }
        assert_ne!(
            coarsen(1, "salt", 10.0, 10.0),
            coarsen(1, "other salt", 10.0, 10.0)
        );
        let (_, lon) = coarsen(7, "s", 0.0, 179.999);
        assert!((-180.0..=180.0).contains(&lon));
    }
}
