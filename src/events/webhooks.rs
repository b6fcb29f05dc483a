//! What webhooks are told of events and RSVPs (`event.created`, `event.cancelled`,
//! `rsvp.created`), queued in the change's transaction. By id, with what the staff console
//! shows of an event but never its street address, coordinates or host, nor an attendee's name
//! or address (`webhooks`, module doc).

use serde_json::{Value, json};

use super::Event;
use super::store;
use crate::db::Tx;
use crate::webhooks::{self, EventType, Message};

/// An event as a webhook payload's `data`.
pub fn event_data(event: &Event, campaign: &str, base: &str) -> Value {
    json!({
        "id": event.id,
        "campaign": campaign,
        "url": format!("{base}/events/{}", event.id),
        "title": event.title,
        "kind": event.kind.as_str(),
        "visibility": event.visibility.as_str(),
        "status": event.status.as_str(),
        "starts_at": event.starts_at.to_rfc3339(),
        "ends_at": event.ends_at.to_rfc3339(),
        "timezone": event.timezone.name(),
        "city": event.city,
        "region": event.region,
        "country": event.country,
        "language": event.language,
        "capacity": event.capacity,
    })
}

async fn about_event(
    tx: &mut Tx,
    now: i64,
    base: &str,
    event_id: i64,
    event_type: EventType,
) -> Result<(), sqlx::Error> {
    let event = store::get_in(tx, event_id).await?;
    let campaign = store::campaign_slug_in(tx, event.campaign_id).await?;
    let message = Message::new(event_type, event_data(&event, &campaign, base));
    webhooks::enqueue(tx, now, &[message]).await
}

/// `event.created`, in the transaction that registered the event.
pub async fn created(tx: &mut Tx, now: i64, base: &str, event_id: i64) -> Result<(), sqlx::Error> {
    about_event(tx, now, base, event_id, EventType::EventCreated).await
}

/// `event.cancelled`, in the transaction that cancelled it.
pub async fn cancelled(
    tx: &mut Tx,
    now: i64,
    base: &str,
    event_id: i64,
) -> Result<(), sqlx::Error> {
    about_event(tx, now, base, event_id, EventType::EventCancelled).await
}

/// `rsvp.created`: a new RSVP, or a cancelled one made again; confirmed or waitlisted.
pub async fn rsvp_created(
    tx: &mut Tx,
    now: i64,
    event: &Event,
    rsvp_id: i64,
    status: &str,
) -> Result<(), sqlx::Error> {
    let data = json!({"id": rsvp_id, "event_id": event.id, "status": status,
        "country": event.country});
    webhooks::enqueue(tx, now, &[Message::new(EventType::RsvpCreated, data)]).await
}
