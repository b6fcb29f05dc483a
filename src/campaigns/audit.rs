//! The audit trail's view of campaigns and cases: the state an entry keeps before and after a
//! staff change, and the entries themselves, written in the change's transaction.

use serde_json::{Value, json};

use super::{Campaign, CampaignInput, Case, CaseInput, CaseStatus};
use crate::audit::{self, Entry, Subject};
use crate::db::Tx;

pub fn campaign_state(c: &Campaign) -> Value {
    json!({"slug": c.slug, "title": c.title, "language": c.language,
        "global_day": c.global_day.to_string(), "starts_on": c.starts_on.to_string(),
        "ends_on": c.ends_on.to_string(), "report_deadline": c.report_deadline.to_string(),
        "goal": c.goal})
}

pub fn campaign_input_state(c: &CampaignInput) -> Value {
    json!({"slug": c.slug, "title": c.title, "language": c.language.code(),
        "global_day": c.global_day.to_string(), "starts_on": c.starts_on.to_string(),
        "ends_on": c.ends_on.to_string(), "report_deadline": c.report_deadline.to_string(),
        "goal": c.goal})
}

pub fn case_state(c: &Case) -> Value {
    json!({"slug": c.slug, "name": c.name, "country": c.country, "status": c.status.as_str(),
        "authority_name": c.authority_name, "authority_title": c.authority_title,
        "authority_address": c.authority_address, "language": c.text.language})
}

pub fn case_input_state(c: &CaseInput) -> Value {
    json!({"slug": c.slug, "name": c.name, "country": c.country,
        "authority_name": c.authority_name, "authority_title": c.authority_title,
        "authority_address": c.authority_address, "language": c.text.language})
}

/// Records a campaign's creation or change by `actor`.
pub async fn campaign(
    tx: &mut Tx,
    now: i64,
    actor: i64,
    campaign_id: i64,
    before: Option<Value>,
    after: Value,
) -> Result<(), sqlx::Error> {
    let action = if before.is_some() {
        "campaign.update"
    } else {
        "campaign.create"
    };
    let mut entry = Entry::new(Some(actor), action, Subject::new("campaign", campaign_id))
        .campaign(campaign_id)
        .after(after);
    entry.before = before;
    audit::record(tx, now, &entry).await.map(|_| ())
}

/// Records a case's creation or change by `actor`.
pub async fn case(
    tx: &mut Tx,
    now: i64,
    actor: i64,
    (campaign_id, case_id): (i64, i64),
    before: Option<Value>,
    after: Value,
) -> Result<(), sqlx::Error> {
    let action = if before.is_some() {
        "case.update"
    } else {
        "case.create"
    };
    let mut entry = Entry::new(Some(actor), action, Subject::new("case", case_id))
        .campaign(campaign_id)
        .after(after);
    entry.before = before;
    audit::record(tx, now, &entry).await.map(|_| ())
}

/// Records a dated update (good news, a release) added to a case.
pub async fn case_update(
    tx: &mut Tx,
    now: i64,
    actor: i64,
    (campaign_id, case_id): (i64, i64),
    before: CaseStatus,
    after: Value,
) -> Result<(), sqlx::Error> {
    let entry = Entry::new(
        Some(actor),
        "case.add_update",
        Subject::new("case", case_id),
    )
    .campaign(campaign_id)
    .before(json!({"status": before.as_str()}))
    .after(after);
    audit::record(tx, now, &entry).await.map(|_| ())
}
