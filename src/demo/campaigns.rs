//! The demo campaigns and their cases, from `data/campaigns.json` (English and French): a
//! finished "Write for Rights 2017 (demo)" and a current one whose dates follow the clock. All
//! cases are fictional and say so. Each campaign gets its events in the same transaction.

use chrono::Datelike;

use super::data::{self, CAMPAIGNS};
use super::{Edition, describe};
use crate::campaigns::{Campaign, CampaignInput, CaseFields, CaseStatus, UpdateFields, store};
use crate::db::{Db, Tx};
use crate::i18n::Lang;

/// Adds each demo campaign whose slug is not there yet, with its cases and events; returns how
/// many were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let today = db.clock.today();
    let now = db.now_ms();
    let mut added = 0;
    for demo in &CAMPAIGNS.campaigns {
        // The current campaign's content is written for 2026; later seeds move its dates along.
        let mut years_on = 0;
        let (slug, global_day, starts_on, ends_on, report_deadline) = match demo.global_day {
            Some(day) => (
                demo.slug.clone(),
                day,
                demo.starts_on.unwrap_or(day),
                demo.ends_on.unwrap_or(day),
                demo.report_deadline.unwrap_or(day),
            ),
            None => {
                let (g, s, e, r) = super::current_dates(today);
                years_on = g.year() - 2026;
                (super::current_slug(today), g, s, e, r)
            }
        };
        if store::by_slug(db, &slug, Lang::FALLBACK).await?.is_some() {
            continue;
        }
        let mut tx = db.begin_write().await?;
        let mut texts = demo.texts.iter();
        let (first_lang, first) = texts
            .next()
            .ok_or_else(|| anyhow::anyhow!("campaign without text"))?;
        // Not through the staff form's check (`CampaignFields::parse`): from 11 December on, the
        // current campaign's window (from a week ago to three weeks after the next global day) is
        // longer than the 366 days the form allows.
        let input = CampaignInput {
            slug: slug.clone(),
            title: first.title.clone(),
            intro: first.intro.clone(),
            language: Lang::from_code(first_lang).unwrap_or_default(),
            global_day,
            starts_on,
            ends_on,
            report_deadline,
            goal: demo.goal,
        };
        let campaign_id = store::create(&mut tx, db.now_ms(), &input)
            .await
            .map_err(describe)?;
        for (lang, text) in texts {
            let lang = Lang::from_code(lang).unwrap_or_default();
            store::put_text(&mut tx, campaign_id, lang, &text.title, &text.intro)
                .await
                .map_err(describe)?;
        }
        for case in &demo.cases {
            seed_case(&mut tx, now, campaign_id, case, years_on).await?;
        }
        let campaign = Campaign {
            id: campaign_id,
            slug: slug.clone(),
            title: input.title.clone(),
            intro: input.intro.clone(),
            language: input.language.code().to_string(),
            global_day,
            starts_on,
            ends_on,
            report_deadline,
            goal: demo.goal,
        };
        let edition = match demo.global_day {
            Some(_) => Edition::Past,
            None => Edition::Current,
        };
        super::events::seed(&mut tx, now, &campaign, edition).await?;
        tx.commit().await?;
        added += 1;
    }
    Ok(added)
}

async fn seed_case(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    case: &data::Case,
    years_on: i32,
) -> anyhow::Result<()> {
    // Through the staff form's checks, one language at a time: the first makes the case.
    let mut case_id = None;
    for (lang, text) in &case.texts {
        let lang = Lang::from_code(lang).unwrap_or_default();
        let input = CaseFields {
            slug: case.slug.clone(),
            name: case.name.clone(),
            country: case.country.clone(),
            summary: text.summary.clone(),
            authority_name: case.authority.name.clone(),
            authority_title: case.authority.title.clone(),
            authority_address: case.authority.address.clone(),
            salutation: text.salutation.clone(),
            sample_letter: text.sample_letter.clone(),
            solidarity: text.solidarity.clone(),
        }
        .parse(lang)
        .map_err(|e| anyhow::anyhow!("demo case {}: {e:?}", case.slug))?;
        match case_id {
            None => {
                let id = store::create_case(tx, now, campaign_id, &input)
                    .await
                    .map_err(describe)?;
                case_id = Some(id);
            }
            Some(id) => store::put_case_text(tx, id, &input.text)
                .await
                .map_err(describe)?,
        }
    }
    let case_id = case_id.ok_or_else(|| anyhow::anyhow!("case without text"))?;
    for update in &case.updates {
        let date = update
            .date
            .with_year(update.date.year() + years_on)
            .unwrap_or(update.date);
        for (lang, note) in &update.note {
            let (date, status, note) = UpdateFields {
                happened_on: date.to_string(),
                status: update.status.clone(),
                note: note.clone(),
            }
            .parse()
            .map_err(|e| anyhow::anyhow!("demo case {} update: {e:?}", case.slug))?;
            store::add_update(tx, now, case_id, date, status, &note, lang)
                .await
                .map_err(describe)?;
        }
    }
    // The last update decides the status; make sure it is the one the content names.
    let status = CaseStatus::parse(&case.status)
        .ok_or_else(|| anyhow::anyhow!("demo case {}: status {:?}", case.slug, case.status))?;
    store::set_case_status(tx, now, case_id, status).await?;
    Ok(())
}
