//! Report-back: hosts report how many letters to authorities and solidarity messages were written
//! on each case at their event. Several reports add up; each can be edited until the deadline with
//! its history kept; staff correct or void with a reason. Every change moves the tally in the same
//! transaction (see `store`), and new reports are committed in groups (`committer` runs the
//! batches of `ingest`). Who may do what with a report is decided once, in `access`.

pub mod access;
pub mod api;
pub mod committer;
pub mod ingest;
pub mod lookups;
pub mod pages;
pub mod reconcile;
pub mod store;
pub mod stories;
pub mod webhooks;

use std::collections::HashMap;

use axum::Router;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::campaigns::Campaign;
use crate::events::{Event, EventStatus};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::forms;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(stories::router())
}

/// No single item, nor the participants, may exceed this: a typo guard, not a quota.
pub const MAX_COUNT: i64 = 100_000;
/// More letters per participant than this is flagged for staff (never refused).
pub const PLAUSIBLE_LETTERS_PER_PARTICIPANT: i64 = 20;

/// A report as the API receives it. Counts arrive as raw JSON values so that negative,
/// fractional and non-numeric counts get a field message (422) rather than a parse error.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    pub participants: Value,
    pub items: Vec<ItemBody>,
    #[serde(default)]
    pub highlights: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    pub case: String,
    #[serde(default)]
    pub letters: Value,
    #[serde(default)]
    pub solidarity: Value,
}

/// A checked report: counts per case id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportInput {
    pub participants: i64,
    /// (case id, letters, solidarity), in the campaign's case order.
    pub items: Vec<(i64, i64, i64)>,
    pub highlights: String,
}

impl ReportInput {
    pub fn letters(&self) -> i64 {
        self.items.iter().map(|i| i.1).sum()
    }

    pub fn solidarity(&self) -> i64 {
        self.items.iter().map(|i| i.2).sum()
    }
}

/// A whole number from 0 to [`MAX_COUNT`]; `null`/absent counts as 0 for letters and solidarity.
pub fn count(errors: &mut FieldErrors, field: &str, value: &Value, required: bool) -> i64 {
    let msg = |e: &mut FieldErrors| e.add(field, Msg::new("report-count").arg("max", MAX_COUNT));
    match value {
        Value::Null if !required => 0,
        Value::Number(n) => match crate::web::api::whole_number(n) {
            Some(v) if (0..=MAX_COUNT).contains(&v) => v,
            _ => {
                msg(errors);
                0
            }
        },
        Value::String(s) if !s.trim().is_empty() || required => match s.trim().parse::<i64>() {
            Ok(v) if (0..=MAX_COUNT).contains(&v) => v,
            _ => {
                msg(errors);
                0
            }
        },
        Value::String(_) => 0,
        _ => {
            msg(errors);
            0
        }
    }
}

impl ReportBody {
    /// Checks against the campaign's cases (slug → id).
    pub fn check(&self, cases: &HashMap<String, i64>) -> Result<ReportInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let participants = count(&mut e, "participants", &self.participants, true);
        let mut items = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if self.items.len() > 200 {
            e.add("items", Msg::new("report-too-many-items"));
        }
        for (i, item) in self.items.iter().enumerate().take(200) {
            let letters = count(&mut e, &format!("items[{i}].letters"), &item.letters, false);
            let solidarity = count(
                &mut e,
                &format!("items[{i}].solidarity"),
                &item.solidarity,
                false,
            );
            match cases.get(item.case.trim()) {
                Some(id) if seen.insert(*id) => items.push((*id, letters, solidarity)),
                Some(_) => e.add(
                    &format!("items[{i}].case"),
                    Msg::new("report-case-twice").arg("case", item.case.trim()),
                ),
                None => e.add(
                    &format!("items[{i}].case"),
                    Msg::new("report-case-unknown")
                        .arg("case", item.case.chars().take(60).collect::<String>()),
                ),
            }
        }
        let highlights = forms::text(
            &mut e,
            "highlights",
            self.highlights.as_deref().unwrap_or(""),
            0,
            2000,
        );
        e.into_result()?;
        items.sort();
        Ok(ReportInput {
            participants,
            items,
            highlights,
        })
    }
}

/// Notes for staff about a report that looks unlikely, from its counts and its previous version.
pub fn plausibility(input: &ReportInput, before: Option<&ReportInput>) -> String {
    let mut flags = Vec::new();
    let total = input.letters() + input.solidarity();
    if total > PLAUSIBLE_LETTERS_PER_PARTICIPANT * input.participants.max(1) {
        flags.push("many-per-participant");
    }
    if let Some(before) = before {
        let old = before.letters() + before.solidarity();
        if (old > 0 && (total >= old * 10 || total * 10 <= old)) || (old == 0 && total >= 100) {
            flags.push("edit-jump");
        }
    }
    flags.join(",")
}

/// When hosts may report: from the event's start to the end of the campaign's report deadline
/// (anywhere on Earth). Staff may correct at any time.
pub fn reporting_open(event: &Event, campaign: &Campaign, now: DateTime<Utc>) -> bool {
    let deadline = deadline_end(campaign.report_deadline);
    event.status == EventStatus::Published && event.starts_at <= now && now <= deadline
}

/// The end of the deadline day anywhere on Earth (UTC−12), with two hours' grace.
pub fn deadline_end(report_deadline: chrono::NaiveDate) -> DateTime<Utc> {
    report_deadline
        .and_hms_opt(23, 59, 59)
        .unwrap_or_default()
        .and_utc()
        + chrono::Duration::hours(14)
}

/// The refusal of a report on an event that is not (or no longer) open for reports.
pub fn closed() -> crate::error::Error {
    let mut e = FieldErrors::default();
    e.add("event", Msg::new("report-closed"));
    crate::error::Error::Invalid(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cases() -> HashMap<String, i64> {
        HashMap::from([("ana".to_string(), 1), ("bo".to_string(), 2)])
    }

    #[test]
    fn counts_must_be_whole_and_sane() {
        let body: ReportBody = serde_json::from_value(json!({"participants": 23,
            "items": [{"case": "ana", "letters": 41, "solidarity": 12}, {"case": "bo", "letters": 3}]})).unwrap();
        let input = body.check(&cases()).unwrap();
        assert_eq!(input.items, vec![(1, 41, 12), (2, 3, 0)]);
        assert_eq!(input.letters(), 44);
        // JSON Schema's integers include `41.0`; the form's strings of digits count too.
        let written: ReportBody = serde_json::from_value(json!({"participants": "23",
            "items": [{"case": "ana", "letters": 41.0, "solidarity": " 12 "}, {"case": "bo", "letters": 3}]})).unwrap();
        assert_eq!(written.check(&cases()).unwrap(), input);
        let bad: ReportBody = serde_json::from_value(json!({"participants": -1,
            "items": [{"case": "ana", "letters": 1.5, "solidarity": "many"}, {"case": "zed", "letters": 100001},
                      {"case": "ana", "letters": 1}]})).unwrap();
        let e = bad.check(&cases()).unwrap_err();
        for field in [
            "participants",
            "items[0].letters",
            "items[0].solidarity",
            "items[1].case",
            "items[1].letters",
            "items[2].case",
        ] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
        assert_eq!(
            e.get("items[1].case")[0].args,
            vec![("case", "zed".to_string())]
        );
    }

    #[test]
    fn unlikely_reports_are_flagged() {
        let r = |p, l| ReportInput {
            participants: p,
            items: vec![(1, l, 0)],
            highlights: String::new(),
        };
        assert_eq!(plausibility(&r(10, 50), None), "");
        assert_eq!(plausibility(&r(2, 500), None), "many-per-participant");
        assert_eq!(plausibility(&r(100, 500), Some(&r(100, 40))), "edit-jump");
    }
}
