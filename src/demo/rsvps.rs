//! The demo events' RSVPs: a few people on some public events, now and then more than an event
//! has room for, so the waiting list shows too.

use std::collections::HashSet;

use rand::Rng;
use rand::rngs::StdRng;

use super::data::NAMES;
use super::text::pick;
use crate::db::Tx;
use crate::events::checks::EventInput;
use crate::events::rsvps::{self, RsvpFields, RsvpStatus};
use crate::geo;
use crate::i18n::Lang;

/// Someone who RSVPed, with how many days before the event they did.
#[derive(Clone, Debug, PartialEq)]
pub struct Attendee {
    pub name: String,
    pub email: String,
    pub consent: bool,
    pub days_before: i64,
}

/// The people who RSVP to an event, with names in its language.
pub fn attendees(rng: &mut StdRng, lang: &str, capacity: Option<i64>) -> Vec<Attendee> {
    // A full event now and then, so the waitlist shows too.
    let n = match capacity {
        Some(c) if c <= 12 && rng.gen_bool(0.3) => c as usize + rng.gen_range(1..3),
        _ => rng.gen_range(1..=6),
    };
    let (firsts, lasts) = (NAMES.first(lang), NAMES.last(lang));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for _ in 0..n {
        let (first, last) = (pick(rng, firsts), pick(rng, lasts));
        let email = format!(
            "{}.{}{}@example.org",
            geo::fold(first).replace(' ', "-"),
            geo::fold(last).replace(' ', "-"),
            rng.gen_range(1..100)
        );
        if seen.insert(email.clone()) {
            out.push(Attendee {
                name: format!("{first} {last}"),
                email,
                consent: rng.gen_bool(0.4),
                days_before: rng.gen_range(1..20),
            });
        }
    }
    out
}

/// Adds the attendees' RSVPs to a new event in the caller's transaction (the one that created
/// it), each dated when they sent it: confirmed while there is room, then waitlisted.
pub async fn add(
    tx: &mut Tx,
    now: i64,
    event_id: i64,
    event: &EventInput,
    attendees: &[Attendee],
) -> anyhow::Result<()> {
    let lang = Lang::from_code(&event.language).unwrap_or_default();
    let mut confirmed: i64 = 0;
    for a in attendees {
        let status = if event.capacity.is_none_or(|c| confirmed < c) {
            confirmed += 1;
            RsvpStatus::Confirmed
        } else {
            RsvpStatus::Waitlisted
        };
        let input = RsvpFields {
            name: a.name.clone(),
            email: a.email.clone(),
            consent: a.consent.then(|| "on".to_string()),
            notify: None,
        }
        .check()
        .map_err(|e| anyhow::anyhow!("demo RSVP {}: {e:?}", a.email))?;
        let at = (event.starts_at - chrono::Duration::days(a.days_before))
            .timestamp_millis()
            .min(now);
        // The cancel link's token is thrown away: nobody needs to cancel a demo RSVP.
        let token = crate::accounts::random_token();
        rsvps::insert(tx, at, event_id, &input, lang, status, &token).await?;
    }
    Ok(())
}
