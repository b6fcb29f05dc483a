//! What webhooks are told of reports (`report.created`, `report.updated`), queued in the
//! report's transaction: its counts per case, by id and case slug. Not its highlights: they are
//! the host's own words, and may name people (`webhooks`, module doc).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::ReportInput;
use crate::webhooks::{EventType, Message};

/// What one report says, as a webhook payload's `data`.
pub struct ReportData<'a> {
    pub id: i64,
    pub event_id: i64,
    pub country: &'a str,
    pub input: &'a ReportInput,
    pub version: i64,
    pub voided: bool,
}

impl ReportData<'_> {
    pub fn message(&self, event_type: EventType, slugs: &HashMap<i64, String>) -> Message {
        let items: Vec<Value> = self
            .input
            .items
            .iter()
            .map(|(case, letters, solidarity)| {
                json!({"case": slugs.get(case).cloned().unwrap_or_else(|| case.to_string()),
                    "letters": letters, "solidarity": solidarity})
            })
            .collect();
        Message::new(
            event_type,
            json!({"id": self.id, "event_id": self.event_id, "country": self.country,
                "participants": self.input.participants, "items": items,
                "version": self.version, "voided": self.voided}),
        )
    }
}
