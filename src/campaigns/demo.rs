//! The demo campaigns: a finished "Write for Rights 2017 (demo)" and a current one whose global
//! day is the next 10 December, with windows open today. All cases are fictional and say so;
//! the content lives in `demo.json`, in English and French.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{CampaignInput, CaseInput, CaseStatus, CaseText, store};
use crate::db::Db;
use crate::i18n::Lang;

#[derive(Deserialize)]
struct DemoFile {
    campaigns: Vec<DemoCampaign>,
}

#[derive(Deserialize)]
struct DemoCampaign {
    slug: String,
    texts: std::collections::BTreeMap<String, DemoCampaignText>,
    global_day: Option<NaiveDate>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    report_deadline: Option<NaiveDate>,
    goal: i64,
    cases: Vec<DemoCase>,
}

#[derive(Deserialize)]
struct DemoCampaignText {
    title: String,
    intro: String,
}

#[derive(Deserialize)]
struct DemoCase {
    slug: String,
    name: String,
    country: String,
    status: String,
    authority: DemoAuthority,
    texts: std::collections::BTreeMap<String, DemoCaseText>,
    updates: Vec<DemoUpdate>,
}

#[derive(Deserialize)]
struct DemoAuthority {
    name: String,
    title: String,
    address: String,
}

#[derive(Deserialize)]
struct DemoCaseText {
    summary: String,
    salutation: String,
    sample_letter: String,
    solidarity: String,
}

#[derive(Deserialize)]
struct DemoUpdate {
    date: NaiveDate,
    status: String,
    note: std::collections::BTreeMap<String, String>,
}

/// The current demo campaign's dates, relative to `today`: the next 10 December (today included),
/// an event window that is open today, and a report deadline two months after the global day.
pub fn current_dates(today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, NaiveDate) {
    let this_year = NaiveDate::from_ymd_opt(today.year(), 12, 10).expect("valid date");
    let global_day = if this_year >= today {
        this_year
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, 12, 10).expect("valid date")
    };
    let starts_on =
        (global_day - chrono::Duration::days(60)).min(today - chrono::Duration::days(7));
    let ends_on = global_day + chrono::Duration::days(21);
    let report_deadline = global_day + chrono::Duration::days(60);
    (global_day, starts_on, ends_on, report_deadline)
}

/// Adds each demo campaign whose slug is not there yet; returns how many were added.
pub async fn seed(db: &Db) -> anyhow::Result<usize> {
    let file: DemoFile = serde_json::from_str(include_str!("demo.json"))?;
    let today = db.clock.today();
    let now = db.now_ms();
    let mut added = 0;
    for demo in file.campaigns {
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
                let (g, s, e, r) = current_dates(today);
                years_on = g.year() - 2026;
                (format!("w4r-{}", g.year()), g, s, e, r)
            }
        };
        if store::by_slug(db, &slug, Lang::En).await?.is_some() {
            continue;
        }
        let mut tx = db.begin_write().await?;
        let mut texts = demo.texts.iter();
        let (first_lang, first) = texts
            .next()
            .ok_or_else(|| anyhow::anyhow!("campaign without text"))?;
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
            .map_err(|e| anyhow::anyhow!("{}", e.describe_in_english()))?;
        for (lang, text) in texts {
            let lang = Lang::from_code(lang).unwrap_or_default();
            store::put_text(&mut tx, campaign_id, lang, &text.title, &text.intro)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.describe_in_english()))?;
        }
        for case in &demo.cases {
            seed_case(&mut tx, now, campaign_id, case, years_on).await?;
        }
        let campaign = super::Campaign {
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
            Some(_) => crate::events::demo::Edition::Past,
            None => crate::events::demo::Edition::Current,
        };
        crate::events::demo::seed(&mut tx, now, &campaign, edition).await?;
        tx.commit().await?;
        added += 1;
    }
    // Reports last, once the events are committed: demo reports go through the report store.
    crate::reports::demo::seed(db).await?;
    // The finished campaign's RSVPs are as a running server keeps them by now: names erased.
    crate::privacy::retention::erase_old_rsvps(db, crate::config::DEFAULT_RSVP_RETENTION_DAYS)
        .await?;
    Ok(added)
}

async fn seed_case(
    tx: &mut crate::db::Tx,
    now: i64,
    campaign_id: i64,
    case: &DemoCase,
    years_on: i32,
) -> anyhow::Result<()> {
    let describe = |e: crate::error::Error| anyhow::anyhow!("{}", e.describe_in_english());
    let mut texts = case.texts.iter().map(|(lang, t)| CaseText {
        language: lang.clone(),
        summary: t.summary.clone(),
        salutation: t.salutation.clone(),
        sample_letter: t.sample_letter.clone(),
        solidarity: t.solidarity.clone(),
    });
    let first = texts
        .next()
        .ok_or_else(|| anyhow::anyhow!("case without text"))?;
    let input = CaseInput {
        slug: case.slug.clone(),
        name: case.name.clone(),
        country: case.country.clone(),
        authority_name: case.authority.name.clone(),
        authority_title: case.authority.title.clone(),
        authority_address: case.authority.address.clone(),
        text: first,
    };
    let case_id = store::create_case(tx, now, campaign_id, &input)
        .await
        .map_err(describe)?;
    for text in texts {
        store::put_case_text(tx, case_id, &text)
            .await
            .map_err(describe)?;
    }
    for update in &case.updates {
        let status = CaseStatus::parse(&update.status).unwrap_or(CaseStatus::Active);
        let date = update
            .date
            .with_year(update.date.year() + years_on)
            .unwrap_or(update.date);
        for (lang, note) in &update.note {
            store::add_update(tx, now, case_id, date, status, note, lang)
                .await
                .map_err(describe)?;
        }
    }
    // The last update decides the status; make sure it is the one the content names.
    let status = CaseStatus::parse(&case.status).unwrap_or(CaseStatus::Active);
    sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_campaign_is_open_today() {
        for today in [
            "2026-11-26",
            "2026-12-10",
            "2026-12-11",
            "2027-01-01",
            "2027-06-30",
        ] {
            let today: NaiveDate = today.parse().unwrap();
            let (g, s, e, r) = current_dates(today);
            assert_eq!((g.month(), g.day()), (12, 10));
            assert!(g >= today && (g - today).num_days() < 366, "{today}: {g}");
            assert!(
                s <= today && today <= e && today <= r,
                "{today}: {s}..{e}, {r}"
            );
            assert!(s <= g && g <= e && e <= r);
        }
    }

    #[test]
    fn demo_content_is_complete_and_fictional() {
        let file: DemoFile = serde_json::from_str(include_str!("demo.json")).unwrap();
        assert_eq!(file.campaigns.len(), 2);
        for campaign in &file.campaigns {
            assert!(campaign.cases.len() >= 6);
            let countries: std::collections::HashSet<_> =
                campaign.cases.iter().map(|c| &c.country).collect();
            assert_eq!(
                countries.len(),
                campaign.cases.len(),
                "one case per country"
            );
            for case in &campaign.cases {
                for lang in ["en", "fr"] {
                    let text = &case.texts[lang];
                    let summary = text.summary.to_lowercase();
                    assert!(
                        summary.contains("fictional")
                            || summary.contains("fictif")
                            || summary.contains("fictive"),
                        "{}",
                        case.slug
                    );
                }
            }
        }
    }
}
