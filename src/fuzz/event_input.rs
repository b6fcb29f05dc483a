//! The event input (`events::checks`, API-v1.md "Event create body"): the API's create and PATCH
//! bodies and the host's HTML form, all through `EventDraft::check`.

use arbtest::arbitrary::{Result, Unstructured};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Timelike};

use crate::campaigns::Campaign;
use crate::events::api::EventBody;
use crate::events::checks::{EventDraft, EventInput, MAX_CAPACITY, WINDOW_GRACE_DAYS, When};
use crate::events::pages::EventForm;
use crate::events::{Event, EventKind, EventStatus, KINDS, Visibility};
use crate::geo;
use crate::i18n::Lang;

fn campaign(u: &mut Unstructured<'_>) -> Result<Campaign> {
    // The second window holds the spring daylight-saving changes of both hemispheres.
    let (starts, ends) =
        *u.choose(&[("2017-11-20", "2017-12-31"), ("2026-03-01", "2026-04-10")])?;
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    Ok(Campaign {
        id: 1,
        slug: "w4r".into(),
        title: "W4R".into(),
        intro: String::new(),
        language: "en".into(),
        global_day: day(starts) + Duration::days(20),
        starts_on: day(starts),
        ends_on: day(ends),
        report_deadline: day(ends) + Duration::days(31),
        goal: 0,
    })
}

const WORDS: [&str; 10] = [
    "Letters",
    " and ",
    "soup",
    "\r\n",
    "\r",
    "\n",
    "\t",
    ",",
    "'",
    "St. Thomas",
];
const COUNTRIES: [&str; 9] = ["CA", "FR", "US", "NZ", "KI", "BV", "GB", "JP", "XX"];
const CITIES: [&str; 10] = [
    "St. John's",
    "Paris",
    "Toronto",
    "Montréal",
    "Auckland",
    "Tarawa",
    "Washington, D.C.",
    "Springfield",
    "Saint-Denis",
    "Nowhere-on-Sea",
];
const REGIONS: [&str; 8] = [
    "", "CA-NL", "CA-ON", "FR-IDF", "US-NY", "US-DC", "NZ-AUK", "ca-nl",
];
const ZONES: [&str; 12] = [
    "",
    "America/St_Johns",
    "Europe/Paris",
    "UTC",
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Etc/GMT+12",
    "Mars/Olympus",
    "europe/paris",
];
const OFFSETS: [i32; 9] = [
    0, -12_600, 50_400, -43_200, 20_700, 3_600, -86_340, 86_340, 37_800,
];

fn sized(u: &mut Unstructured<'_>, valid: &[&str], around: usize) -> Result<String> {
    Ok(match u.int_in_range(0..=12)? {
        0 => "x".repeat(u.int_in_range(around.saturating_sub(1)..=around + 1)?),
        1..=4 => super::text(u, &WORDS, 12)?,
        _ => u.choose(valid)?.to_string(),
    })
}

fn day_near(u: &mut Unstructured<'_>, c: &Campaign) -> Result<NaiveDate> {
    let days = (c.ends_on - c.starts_on).num_days();
    Ok(c.starts_on + Duration::days(u.int_in_range(-6..=days + 6)?))
}

fn instant(u: &mut Unstructured<'_>, c: &Campaign) -> Result<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(*u.choose(&OFFSETS)?).unwrap();
    let local = day_near(u, c)?
        .and_hms_opt(
            u.int_in_range(0..=23)?,
            u.int_in_range(0..=59)?,
            *u.choose(&[0, 0, 0, 30, 59])?,
        )
        .unwrap();
    Ok(offset.from_local_datetime(&local).unwrap())
}

fn when(u: &mut Unstructured<'_>, c: &Campaign) -> Result<When> {
    const JUNK: [&str; 8] = [
        "",
        "2017-12-10T13:00:00",
        "2017-12-10 13:00:00Z",
        "2017-12-10t13:00:00z",
        "2017-02-30T10:00:00Z",
        "2017-12-10T23:59:60Z",
        "2017-12-10T13:00:00.123456789+14:00",
        "soon",
    ];
    let time = |u: &mut Unstructured<'_>| -> Result<String> {
        Ok(match u.int_in_range(0..=6)? {
            0 => u
                .choose(&["24:00", "1:00", "13:60", "", "noon", "07:30:15"])?
                .to_string(),
            _ => format!(
                "{:02}:{:02}",
                u.int_in_range(0..=23)?,
                u.choose(&[0, 15, 30, 45, 59])?
            ),
        })
    };
    if u.ratio(2, 5)? {
        return Ok(When::Local {
            date: match u.int_in_range(0..=8)? {
                0 => u
                    .choose(&["", "2017-12-32", "10/12/2017", "1999-12-10"])?
                    .to_string(),
                _ => day_near(u, c)?.to_string(),
            },
            start: time(u)?,
            end: time(u)?,
        });
    }
    let start = instant(u, c)?;
    let end = match u.int_in_range(0..=4)? {
        0 => instant(u, c)?,
        _ => {
            let seconds = *u.choose(&[0, 1, 3_600, 10_800, 86_400, 604_800, 604_801, -3_600])?;
            let other = FixedOffset::east_opt(*u.choose(&OFFSETS)?).unwrap();
            (start + Duration::seconds(seconds)).with_timezone(&other)
        }
    };
    let spell = |u: &mut Unstructured<'_>, t: DateTime<FixedOffset>| -> Result<String> {
        Ok(match u.int_in_range(0..=12)? {
            0 => u.choose(&JUNK)?.to_string(),
            1 => format!(" {}\n", t.to_rfc3339()),
            _ => t.to_rfc3339(),
        })
    };
    Ok(When::Instants {
        starts_at: spell(u, start)?,
        ends_at: spell(u, end)?,
    })
}

fn coordinates(u: &mut Unstructured<'_>) -> Result<(Option<f64>, Option<f64>)> {
    let odd = [
        f64::NAN,
        f64::INFINITY,
        90.0,
        -90.000_001,
        180.0,
        180.000_001,
        -0.0,
    ];
    Ok(match u.int_in_range(0..=9)? {
        0..=4 => (None, None),
        5 => (Some(*u.choose(&odd)?), Some(*u.choose(&odd)?)),
        6 => (Some(u.arbitrary()?), None),
        _ => (
            Some(f64::from(u.int_in_range(-90_000..=90_000)?) / 1000.0),
            Some(f64::from(u.int_in_range(-180_000..=180_000)?) / 1000.0),
        ),
    })
}

fn draft(u: &mut Unstructured<'_>, c: &Campaign) -> Result<EventDraft> {
    let (latitude, longitude) = coordinates(u)?;
    Ok(EventDraft {
        title: sized(u, &["Letters and soup", "ab", "abc", " Letters "], 120)?,
        kind: super::mostly(u, &KINDS, &WORDS)?,
        visibility: super::mostly(u, &["public", "private"], &WORDS)?,
        when: when(u, c)?,
        timezone: super::mostly(u, &ZONES, &["/", "_"])?,
        venue_name: sized(u, &["", "St. Thomas' Church hall"], 120)?,
        address: sized(u, &["", " ", "8 Military Rd"], 300)?,
        city: super::mostly(u, &CITIES, &WORDS)?,
        region: super::mostly(u, &REGIONS, &["-"])?,
        country: super::mostly(u, &COUNTRIES, &[])?,
        latitude,
        longitude,
        capacity: match u.int_in_range(0..=5)? {
            0..=2 => None,
            3 => Some(*u.choose(&[0, 1, -1, MAX_CAPACITY, MAX_CAPACITY + 1, i64::MIN])?),
            _ => Some(u.int_in_range(-10..=MAX_CAPACITY + 10)?),
        },
        accessibility: sized(u, &["", "Step-free entrance"], 500)?,
        step_free: u.arbitrary()?,
        description: sized(u, &["", "**Bring** a pen.\r\n\r\nSee <https://x>"], 10_000)?,
        language: super::mostly(u, &["en", "fr", "fra", ""], &["e", "é"])?,
    })
}

/// Every rule of checks.rs, stated on the result.
fn assert_bounds(i: &EventInput, c: &Campaign) {
    let plain = |s: &str, min: usize, max: usize| {
        s.trim() == s
            && (min..=max).contains(&s.chars().count())
            && !s.contains("\r\n")
            && !s
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    };
    let line = |s: &str, min, max| plain(s, min, max) && !s.contains(['\n', '\r', '\t']);
    let ok = line(&i.title, 3, 120)
        && KINDS.contains(&i.kind.as_str())
        && Visibility::parse(i.visibility.as_str()).is_some()
        && geo::country_name(&i.country, Lang::FALLBACK).is_some()
        && line(&i.city, 1, 120)
        && i.region
            .as_deref()
            .is_none_or(|r| geo::region_belongs(&i.country, r))
        && i.latitude.is_some() == i.longitude.is_some()
        && i.latitude.is_none_or(|v| (-90.0..=90.0).contains(&v))
        && i.longitude.is_none_or(|v| (-180.0..=180.0).contains(&v))
        && geo::zones::is_known(&i.timezone)
        && i.ends_at > i.starts_at
        && i.ends_at - i.starts_at <= Duration::days(7)
        && line(&i.venue_name, 0, 120)
        && plain(
            &i.address,
            usize::from(i.kind != EventKind::Online && i.visibility == Visibility::Public),
            300,
        )
        && i.capacity.is_none_or(|n| (1..=MAX_CAPACITY).contains(&n))
        && plain(&i.accessibility, 0, 500)
        && plain(&i.description, 0, 10_000)
        && (2..=3).contains(&i.language.len())
        && i.language.bytes().all(|b| b.is_ascii_lowercase());
    assert!(ok, "out of bounds: {i:?}");
    let grace = Duration::days(WINDOW_GRACE_DAYS);
    for t in [i.starts_at, i.ends_at] {
        let day = t.with_timezone(&i.tz()).date_naive();
        assert!(
            (c.starts_on - grace..=c.ends_on + grace).contains(&day),
            "{day} outside the window: {i:?}"
        );
    }
}

/// The event as stored from `input`.
fn stored(i: &EventInput) -> Event {
    Event {
        id: 1,
        campaign_id: 1,
        host_id: 1,
        title: i.title.clone(),
        kind: i.kind,
        visibility: i.visibility,
        status: EventStatus::Published,
        moderation_reason: None,
        starts_at: i.starts_at,
        ends_at: i.ends_at,
        timezone: i.tz(),
        venue_name: i.venue_name.clone(),
        address: i.address.clone(),
        city: i.city.clone(),
        region: i.region.clone(),
        country: i.country.clone(),
        latitude: i.latitude,
        longitude: i.longitude,
        public_latitude: i.latitude,
        public_longitude: i.longitude,
        location_approximate: false,
        capacity: i.capacity,
        accessibility: i.accessibility.clone(),
        step_free: i.step_free,
        description: i.description.clone(),
        language: i.language.clone(),
    }
}

/// The accepted event as a create body, through JSON.
fn create_body(i: &EventInput) -> EventBody {
    let tz = i.tz();
    let body = EventBody {
        title: Some(i.title.clone()),
        kind: Some(i.kind.as_str().to_string()),
        visibility: Some(i.visibility.as_str().to_string()),
        starts_at: Some(i.starts_at.with_timezone(&tz).to_rfc3339()),
        ends_at: Some(i.ends_at.with_timezone(&tz).to_rfc3339()),
        timezone: Some(i.timezone.clone()),
        venue_name: Some(i.venue_name.clone()),
        address: Some(i.address.clone()),
        city: Some(i.city.clone()),
        region: i.region.clone(),
        country: Some(i.country.clone()),
        latitude: i.latitude,
        longitude: i.longitude,
        capacity: i.capacity,
        accessibility: Some(i.accessibility.clone()),
        step_free: Some(i.step_free),
        description: Some(i.description.clone()),
        language: Some(i.language.clone()),
    };
    // A client leaves out what it has no value for (a null where a value is wanted is refused).
    let mut json = serde_json::to_value(&body).unwrap();
    if let Some(fields) = json.as_object_mut() {
        fields.retain(|_, v| !v.is_null());
    }
    serde_json::from_value(json).unwrap()
}

/// `v` one time in three.
fn maybe<T: Clone>(u: &mut Unstructured<'_>, v: &T) -> Result<Option<T>> {
    Ok(u.ratio(1, 3)?.then(|| v.clone()))
}

/// Some fields of `d` as a PATCH body.
fn patch(u: &mut Unstructured<'_>, d: &EventDraft) -> Result<EventBody> {
    let (starts_at, ends_at) = match &d.when {
        When::Instants { starts_at, ends_at } => (maybe(u, starts_at)?, maybe(u, ends_at)?),
        When::Local { .. } => (None, None),
    };
    Ok(EventBody {
        title: maybe(u, &d.title)?,
        kind: maybe(u, &d.kind)?,
        visibility: maybe(u, &d.visibility)?,
        starts_at,
        ends_at,
        timezone: maybe(u, &d.timezone)?,
        venue_name: maybe(u, &d.venue_name)?,
        address: maybe(u, &d.address)?,
        city: maybe(u, &d.city)?,
        region: maybe(u, &d.region)?,
        country: maybe(u, &d.country)?,
        latitude: maybe(u, &d.latitude)?.flatten(),
        longitude: maybe(u, &d.longitude)?.flatten(),
        capacity: maybe(u, &d.capacity)?.flatten(),
        accessibility: maybe(u, &d.accessibility)?,
        step_free: maybe(u, &d.step_free)?,
        description: maybe(u, &d.description)?,
        language: maybe(u, &d.language)?,
    })
}

/// `d` as the host's form would send it.
fn form(u: &mut Unstructured<'_>, d: &EventDraft) -> Result<EventForm> {
    let (date, start_time, end_time) = match &d.when {
        When::Local { date, start, end } => (date.clone(), start.clone(), end.clone()),
        When::Instants { .. } => Default::default(),
    };
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    Ok(EventForm {
        title: d.title.clone(),
        kind: d.kind.clone(),
        visibility: d.visibility.clone(),
        date,
        start_time,
        end_time,
        timezone: d.timezone.clone(),
        place: super::mostly(u, &CITIES, &[", ", "Canada"])?,
        city: d.city.clone(),
        region: d.region.clone(),
        country: d.country.clone(),
        latitude: number(d.latitude),
        longitude: number(d.longitude),
        venue_name: d.venue_name.clone(),
        address: d.address.clone(),
        capacity: d.capacity.map(|v| v.to_string()).unwrap_or_default(),
        accessibility: d.accessibility.clone(),
        step_free: d.step_free.then(|| "on".into()),
        description: d.description.clone(),
        language: d.language.clone(),
    })
}

/// Whether the form can show the event as it is: one day, whole minutes, clock times that occur
/// exactly once.
fn fits_form(e: &Event) -> bool {
    let (start, end) = (e.local_start(), e.local_end());
    let once = |t: chrono::NaiveDateTime| e.timezone.from_local_datetime(&t).single().is_some();
    start.date_naive() == end.date_naive()
        && start.time() < end.time()
        && [
            start.second(),
            end.second(),
            start.nanosecond(),
            end.nanosecond(),
        ] == [0; 4]
        && once(start.naive_local())
        && once(end.naive_local())
}

#[test]
fn event_input() {
    // The gazetteer is unpacked on first use: not on the clock.
    geo::find("Paris", "FR", None);
    super::run("event_input", 4096, |u| {
        let c = campaign(u)?;
        let d = draft(u, &c)?;
        let accepted = d.check(&c);
        if let Ok(input) = &accepted {
            assert_bounds(input, &c);
            let event = stored(input);
            let again = create_body(input).draft(None).check(&c);
            assert_eq!(
                again.as_ref(),
                Ok(input),
                "created again from its own values"
            );
            let unchanged = EventBody::default().draft(Some(&event)).check(&c);
            assert_eq!(
                unchanged.as_ref(),
                Ok(input),
                "an empty PATCH changes nothing"
            );
            if fits_form(&event) {
                let edited = EventForm::of(&event).check(&c, Lang::FALLBACK);
                assert_eq!(
                    edited.as_ref(),
                    Ok(input),
                    "the edit form sent back unchanged"
                );
            }
            let other = draft(u, &c)?;
            if let Ok(patched) = patch(u, &other)?.draft(Some(&event)).check(&c) {
                assert_bounds(&patched, &c);
            }
        }
        if let Ok(input) = form(u, &d)?.check(&c, Lang::FALLBACK) {
            assert_bounds(&input, &c);
        }
        Ok(())
    });
}

/// Found by `event_input`: the edit form of an event in a town whose name holds a comma, sent
/// back unchanged, cut the town at the comma and dropped its region.
#[test]
fn the_edit_form_keeps_a_town_with_a_comma() {
    let c = Campaign {
        id: 1,
        slug: "w4r".into(),
        title: "W4R".into(),
        intro: String::new(),
        language: "en".into(),
        global_day: "2017-12-10".parse().unwrap(),
        starts_on: "2017-11-20".parse().unwrap(),
        ends_on: "2017-12-31".parse().unwrap(),
        report_deadline: "2018-01-31".parse().unwrap(),
        goal: 0,
    };
    let draft = EventDraft {
        title: "Letters and soup".into(),
        kind: "library".into(),
        visibility: "public".into(),
        when: When::Instants {
            starts_at: "2017-12-10T13:00:00-05:00".into(),
            ends_at: "2017-12-10T16:00:00-05:00".into(),
        },
        timezone: "America/New_York".into(),
        venue_name: String::new(),
        address: "1 Main St".into(),
        city: "Washington, D.C.".into(),
        region: "US-DC".into(),
        country: "US".into(),
        latitude: Some(38.9),
        longitude: Some(-77.04),
        capacity: None,
        accessibility: String::new(),
        step_free: false,
        description: String::new(),
        language: "en".into(),
    };
    let input = draft.check(&c).unwrap();
    let edited = EventForm::of(&stored(&input))
        .check(&c, Lang::FALLBACK)
        .unwrap();
    assert_eq!(edited, input);
}
