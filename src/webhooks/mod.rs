//! Webhooks: a section's other systems (a CRM, a chat channel) are told of new events, RSVPs,
//! reports and online actions. An administrator subscribes a URL to some event types
//! (`staff::webhooks`); the feature that makes a change calls [`enqueue`] in the change's own
//! transaction, which stores one delivery per active subscriber (nothing when there is none), so
//! there is never a change without its deliveries nor a delivery for a change rolled back. The
//! worker (`worker`) posts them, signed per Standard Webhooks (`sign`), and retries on a fixed
//! schedule for a day (`retry_delay`).
//!
//! Delivery is at least once: a receiver may see a message twice (a worker that dies after the
//! receiver answered but before the answer was stored), always with the same `webhook-id`, which
//! is how it drops a repeat. Messages are not ordered; each carries the time of its change.
//!
//! Payloads name things by id and carry no personal data: no attendee's name or address, no
//! host's identity, no street address. A receiver that needs more asks the API with a staff token.

pub mod address;
pub mod store;
pub mod worker;

use base64::Engine;
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};
use sqlx::AnyConnection;

/// What a webhook can be told of: a closed set, stored and sent as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    EventCreated,
    EventCancelled,
    RsvpCreated,
    ReportCreated,
    ReportUpdated,
    ActionConfirmed,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::EventCreated,
        EventType::EventCancelled,
        EventType::RsvpCreated,
        EventType::ReportCreated,
        EventType::ReportUpdated,
        EventType::ActionConfirmed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::EventCreated => "event.created",
            EventType::EventCancelled => "event.cancelled",
            EventType::RsvpCreated => "rsvp.created",
            EventType::ReportCreated => "report.created",
            EventType::ReportUpdated => "report.updated",
            EventType::ActionConfirmed => "action.confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The type of the message "send test" queues for one webhook; no one subscribes to it.
pub const TEST_TYPE: &str = "webhook.test";

/// One change to tell subscribers of.
pub struct Message {
    pub event_type: EventType,
    /// What changed, by id (see the module doc: no personal data).
    pub data: Value,
}

impl Message {
    pub fn new(event_type: EventType, data: Value) -> Message {
        Message { event_type, data }
    }
}

/// A fresh `webhook-id`: `msg_` and 16 random bytes in hex.
pub fn new_msg_id() -> String {
    format!("msg_{}", hex::encode(rand::random::<[u8; 16]>()))
}

/// The body a receiver gets: `{"type", "timestamp", "data"}` (the Standard Webhooks shape).
pub fn payload(event_type: &str, at_ms: i64, data: &Value) -> String {
    let timestamp = chrono::DateTime::from_timestamp_millis(at_ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default();
    json!({"type": event_type, "timestamp": timestamp, "data": data}).to_string()
}

/// Queues `messages` for every active webhook subscribed to their type, in the caller's
/// transaction (one statement whatever their number). Call it from the transaction that makes
/// the change, e.g. `webhooks::enqueue(&mut tx, now, &[Message::new(…)])`.
pub async fn enqueue(
    conn: &mut AnyConnection,
    now: i64,
    messages: &[Message],
) -> Result<(), sqlx::Error> {
    if messages.is_empty() {
        return Ok(());
    }
    let rows: Vec<(String, &str, String)> = messages
        .iter()
        .map(|m| {
            let kind = m.event_type.as_str();
            (new_msg_id(), kind, payload(kind, now, &m.data))
        })
        .collect();
    store::insert_for_subscribers(conn, now, &rows).await
}

/// A new signing secret: `whsec_` and 32 random bytes in base64, the form Standard Webhooks
/// libraries take.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The `webhook-signature` value for one secret: `v1,` and the base64 HMAC-SHA256, keyed with the
/// secret's bytes, of `{webhook-id}.{webhook-timestamp}.{body}`.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> String {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap_or_else(|_| secret.as_bytes().to_vec());
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("HMAC takes a key of any length");
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    let signature = mac.finalize().into_bytes();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(signature)
    )
}

/// How long after failed attempt number `attempts` (1 for the first) the next one is made:
/// about 5 s, 30 s, 1 min, 5 min, 30 min, 2 h, then every 5 h. A delivery still failing a day
/// after it was queued is given up (`worker`).
pub fn retry_delay(attempts: i64) -> std::time::Duration {
    const SCHEDULE: [u64; 6] = [5, 30, 60, 300, 1800, 7200];
    let secs = usize::try_from(attempts - 1)
        .ok()
        .and_then(|i| SCHEDULE.get(i).copied())
        .unwrap_or(5 * 3600);
    std::time::Duration::from_secs(secs)
}

/// A delivery queued this long ago and still not answered with a 2xx is marked failed.
pub const GIVE_UP_AFTER_MS: i64 = 24 * 3600 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn the_schedule_backs_off_then_repeats_every_five_hours() {
        let secs: Vec<u64> = (1..=9).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(
            secs,
            [5, 30, 60, 300, 1800, 7200, 18000, 18000, 18000],
            "{secs:?}"
        );
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse(TEST_TYPE), None);
    }
}
