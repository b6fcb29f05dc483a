//! Campaign and case queries. Texts are stored per language; readers get the visitor's
//! language, else English, else whatever exists.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Campaign, CampaignInput, Case, CaseInput, CaseStatus, CaseText, CaseUpdate};
use crate::db::{Db, Tx, is_unique_violation};
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::{FieldErrors, Msg};

/// Bumped by every write of campaigns, their texts and cases in this process: what is derived from
/// them and kept for a moment (a campaign kit's ETag, for a second) is looked up again once it
/// moves. Other nodes' writes reach this one within that second.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The count of writes of campaigns and cases this process has made.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

fn moved() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// Orders text rows so the best language for `$1` comes first.
const LANG_RANK: &str = "CASE WHEN t.language = $1 THEN 0 WHEN t.language = 'en' THEN 1 ELSE 2 END";

fn date(row: &AnyRow, col: &str) -> Result<NaiveDate, sqlx::Error> {
    let text: String = row.try_get(col)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

fn campaign_from_row(row: &AnyRow) -> Result<Campaign, sqlx::Error> {
    Ok(Campaign {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        intro: row.try_get("intro")?,
        language: row.try_get("language")?,
        global_day: date(row, "global_day")?,
        starts_on: date(row, "starts_on")?,
        ends_on: date(row, "ends_on")?,
        report_deadline: date(row, "report_deadline")?,
        goal: row.try_get("goal")?,
    })
}

const CAMPAIGN_COLUMNS: &str = "c.id, c.slug, c.global_day, c.starts_on, c.ends_on, c.report_deadline, c.goal, \
                                t.title, t.intro, t.language";

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM campaigns")
        .fetch_one(&db.pool)
        .await?
        .try_get(0)
}

/// The id of every campaign.
pub async fn ids(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query("SELECT id FROM campaigns ORDER BY id")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect()
}

/// Every campaign, newest global day first.
pub async fn list(db: &Db, lang: Lang) -> Result<Vec<Campaign>, sqlx::Error> {
    let sql = format!(
        "SELECT {CAMPAIGN_COLUMNS}, {LANG_RANK} AS rank FROM campaigns c \
         JOIN campaign_texts t ON t.campaign_id = c.id ORDER BY c.global_day DESC, c.id, rank"
    );
    let rows = sqlx::query(&sql)
        .bind(lang.code())
        .fetch_all(&db.pool)
        .await?;
    let mut out: Vec<Campaign> = Vec::new();
    for row in &rows {
        let campaign = campaign_from_row(row)?;
        if out.last().is_none_or(|last| last.id != campaign.id) {
            out.push(campaign);
        }
    }
    Ok(out)
}

pub async fn by_slug(db: &Db, slug: &str, lang: Lang) -> Result<Option<Campaign>, sqlx::Error> {
    let sql = format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN campaign_texts t ON t.campaign_id = c.id \
         WHERE c.slug = $2 ORDER BY {LANG_RANK} LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(lang.code())
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(campaign_from_row).transpose()
}

/// A campaign by its id (events and reports refer to it so).
pub async fn by_id(db: &Db, id: i64, lang: Lang) -> Result<Option<Campaign>, sqlx::Error> {
    let sql = format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns c JOIN campaign_texts t ON t.campaign_id = c.id \
         WHERE c.id = $2 ORDER BY {LANG_RANK} LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(lang.code())
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(campaign_from_row).transpose()
}

/// The title and intro written in exactly `lang`, for the staff form.
pub async fn text_in(
    db: &Db,
    campaign_id: i64,
    lang: Lang,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT title, intro FROM campaign_texts WHERE campaign_id = $1 AND language = $2",
    )
    .bind(campaign_id)
    .bind(lang.code())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((r.try_get("title")?, r.try_get("intro")?)))
        .transpose()
}

fn slug_taken() -> Error {
    let mut errors = FieldErrors::default();
    errors.add("slug", Msg::new("slug-taken"));
    Error::Invalid(errors)
}

/// Creates a campaign inside `tx`; a slug already used is a field error.
pub async fn create(tx: &mut Tx, now: i64, input: &CampaignInput) -> Result<i64, Error> {
    moved();
    let inserted = sqlx::query(
        "INSERT INTO campaigns (slug, global_day, starts_on, ends_on, report_deadline, goal, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&input.slug)
    .bind(input.global_day.to_string())
    .bind(input.starts_on.to_string())
    .bind(input.ends_on.to_string())
    .bind(input.report_deadline.to_string())
    .bind(input.goal)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get(0)?,
        Err(err) if is_unique_violation(&err) => return Err(slug_taken()),
        Err(err) => return Err(err.into()),
    };
    put_text(tx, id, input.language, &input.title, &input.intro).await?;
    Ok(id)
}

/// Updates dates, goal and the texts in the input's language. The slug stays: links depend on it.
pub async fn update(tx: &mut Tx, now: i64, id: i64, input: &CampaignInput) -> Result<(), Error> {
    moved();
    sqlx::query(
        "UPDATE campaigns SET global_day = $1, starts_on = $2, ends_on = $3, report_deadline = $4, \
         goal = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(input.global_day.to_string())
    .bind(input.starts_on.to_string())
    .bind(input.ends_on.to_string())
    .bind(input.report_deadline.to_string())
    .bind(input.goal)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    put_text(tx, id, input.language, &input.title, &input.intro).await
}

pub async fn put_text(
    tx: &mut Tx,
    campaign_id: i64,
    lang: Lang,
    title: &str,
    intro: &str,
) -> Result<(), Error> {
    moved();
    sqlx::query(
        "INSERT INTO campaign_texts AS t (campaign_id, language, title, intro) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id, language) DO UPDATE SET title = excluded.title, intro = excluded.intro",
    )
    .bind(campaign_id)
    .bind(lang.code())
    .bind(title)
    .bind(intro)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const CASE_COLUMNS: &str = "c.id, c.campaign_id, c.slug, c.name, c.country, c.status, c.authority_name, \
    c.authority_title, c.authority_address, t.language, t.summary, t.salutation, t.sample_letter, t.solidarity";

fn case_from_row(row: &AnyRow) -> Result<Case, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(Case {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        country: row.try_get("country")?,
        status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Active),
        authority_name: row.try_get("authority_name")?,
        authority_title: row.try_get("authority_title")?,
        authority_address: row.try_get("authority_address")?,
        text: CaseText {
            language: row.try_get("language")?,
            summary: row.try_get("summary")?,
            salutation: row.try_get("salutation")?,
            sample_letter: row.try_get("sample_letter")?,
            solidarity: row.try_get("solidarity")?,
        },
    })
}

/// A campaign's cases in the order they were added, each in the best language available.
pub async fn cases(db: &Db, campaign_id: i64, lang: Lang) -> Result<Vec<Case>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS}, {LANG_RANK} AS rank FROM cases c JOIN case_texts t ON t.case_id = c.id \
         WHERE c.campaign_id = $2 ORDER BY c.id, rank"
    );
    let rows = sqlx::query(&sql)
        .bind(lang.code())
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?;
    let mut out: Vec<Case> = Vec::new();
    for row in &rows {
        let case = case_from_row(row)?;
        if out.last().is_none_or(|last| last.id != case.id) {
            out.push(case);
        }
    }
    Ok(out)
}

pub async fn case_by_slug(
    db: &Db,
    campaign_id: i64,
    slug: &str,
    lang: Lang,
) -> Result<Option<Case>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases c JOIN case_texts t ON t.case_id = c.id \
         WHERE c.campaign_id = $2 AND c.slug = $3 ORDER BY {LANG_RANK} LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(lang.code())
        .bind(campaign_id)
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(case_from_row).transpose()
}

/// The texts written in exactly `lang`, for the staff form.
pub async fn case_text_in(
    db: &Db,
    case_id: i64,
    lang: Lang,
) -> Result<Option<CaseText>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT language, summary, salutation, sample_letter, solidarity FROM case_texts \
         WHERE case_id = $1 AND language = $2",
    )
    .bind(case_id)
    .bind(lang.code())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok(CaseText {
            language: r.try_get("language")?,
            summary: r.try_get("summary")?,
            salutation: r.try_get("salutation")?,
            sample_letter: r.try_get("sample_letter")?,
            solidarity: r.try_get("solidarity")?,
        })
    })
    .transpose()
}

pub async fn create_case(
    tx: &mut Tx,
    now: i64,
    campaign_id: i64,
    input: &CaseInput,
) -> Result<i64, Error> {
    moved();
    let inserted = sqlx::query(
        "INSERT INTO cases (campaign_id, slug, name, country, authority_name, authority_title, \
         authority_address, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(campaign_id)
    .bind(&input.slug)
    .bind(&input.name)
    .bind(&input.country)
    .bind(&input.authority_name)
    .bind(&input.authority_title)
    .bind(&input.authority_address)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get(0)?,
        Err(err) if is_unique_violation(&err) => return Err(slug_taken()),
        Err(err) => return Err(err.into()),
    };
    put_case_text(tx, id, &input.text).await?;
    Ok(id)
}

/// Updates the shared fields and the texts in the input's language. The slug stays.
pub async fn update_case(
    tx: &mut Tx,
    now: i64,
    case_id: i64,
    input: &CaseInput,
) -> Result<(), Error> {
    moved();
    sqlx::query(
        "UPDATE cases SET name = $1, country = $2, authority_name = $3, authority_title = $4, \
         authority_address = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&input.name)
    .bind(&input.country)
    .bind(&input.authority_name)
    .bind(&input.authority_title)
    .bind(&input.authority_address)
    .bind(now)
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    put_case_text(tx, case_id, &input.text).await
}

pub async fn put_case_text(tx: &mut Tx, case_id: i64, text: &CaseText) -> Result<(), Error> {
    moved();
    sqlx::query(
        "INSERT INTO case_texts AS t (case_id, language, summary, salutation, sample_letter, solidarity) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, language) DO UPDATE SET \
         summary = excluded.summary, salutation = excluded.salutation, \
         sample_letter = excluded.sample_letter, solidarity = excluded.solidarity",
    )
    .bind(case_id)
    .bind(&text.language)
    .bind(&text.summary)
    .bind(&text.salutation)
    .bind(&text.sample_letter)
    .bind(&text.solidarity)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a dated status change and makes it the case's current status.
pub async fn add_update(
    tx: &mut Tx,
    now: i64,
    case_id: i64,
    happened_on: NaiveDate,
    status: CaseStatus,
    note: &str,
    lang: &str,
) -> Result<i64, Error> {
    moved();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO case_updates (case_id, happened_on, status, note, language, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(happened_on.to_string())
    .bind(status.as_str())
    .bind(note)
    .bind(lang)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Someone good news about a case goes to: a host whose current reports counted letters for it,
/// or an attendee of such an event who asked to hear what happens; with the country of the event.
#[derive(Debug, sqlx::FromRow)]
pub struct GoodNewsRecipient {
    pub email: String,
    pub name: String,
    pub language: String,
    pub country: String,
}

/// Hosts first, then attendees; an address may come more than once (the caller keeps one).
pub async fn good_news_recipients(
    tx: &mut Tx,
    case_id: i64,
) -> Result<Vec<GoodNewsRecipient>, sqlx::Error> {
    let events = "SELECT r.event_id FROM reports r JOIN report_items i ON i.report_id = r.id \
                  WHERE i.case_id = $1 AND i.letters > 0 AND r.voided_at IS NULL";
    let sql = format!(
        "SELECT a.email, a.display_name AS name, a.language, e.country, 0 AS rank, e.id AS event_id \
         FROM events e JOIN accounts a ON a.id = e.host_id \
         WHERE e.id IN ({events}) AND a.deleted_at IS NULL \
         UNION ALL \
         SELECT v.email, v.name, v.language, e.country, 1 AS rank, e.id AS event_id \
         FROM rsvps v JOIN events e ON e.id = v.event_id \
         WHERE v.event_id IN ({events}) AND v.notify_outcome = 1 AND v.status = 'confirmed' \
         AND v.email NOT LIKE 'erased-%' \
         UNION ALL \
         SELECT o.email, o.name, o.language, o.country, 2 AS rank, 0 AS event_id \
         FROM online_actions o WHERE o.case_id = $1 AND o.updates = 1 \
         AND o.confirmed_at IS NOT NULL AND o.invalidated_at IS NULL \
         ORDER BY 5, 6"
    );
    sqlx::query_as(&sql)
        .bind(case_id)
        .fetch_all(&mut **tx)
        .await
}

/// Marks an update as mailed.
pub async fn update_notified(tx: &mut Tx, update_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE case_updates SET notified_at = $1 WHERE id = $2")
        .bind(now)
        .bind(update_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The campaign's latest good news: the case's slug and name, and the update.
pub async fn latest_good_news(
    db: &Db,
    campaign_id: i64,
) -> Result<Option<(String, String, CaseUpdate)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.slug, s.name, u.happened_on, u.status, u.note, u.language \
         FROM case_updates u JOIN cases s ON s.id = u.case_id \
         WHERE s.campaign_id = $1 AND u.status = 'good_news' \
         ORDER BY u.happened_on DESC, u.id DESC LIMIT 1",
    )
    .bind(campaign_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get("slug")?,
            r.try_get("name")?,
            CaseUpdate {
                happened_on: date(&r, "happened_on")?,
                status: CaseStatus::GoodNews,
                note: r.try_get("note")?,
                language: r.try_get("language")?,
            },
        ))
    })
    .transpose()
}

/// Sets a case's current status without recording an update (the latest dated update may be
/// an older one).
pub async fn set_case_status(
    tx: &mut Tx,
    now: i64,
    case_id: i64,
    status: CaseStatus,
) -> Result<(), sqlx::Error> {
    moved();
    sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A case's updates, newest first: those written in `lang` when there are any, else all of them.
pub async fn updates(db: &Db, case_id: i64, lang: Lang) -> Result<Vec<CaseUpdate>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT happened_on, status, note, language FROM case_updates WHERE case_id = $1 \
         ORDER BY happened_on DESC, id DESC",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    let all: Vec<CaseUpdate> = rows
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(CaseUpdate {
                happened_on: date(r, "happened_on")?,
                status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Active),
                note: r.try_get("note")?,
                language: r.try_get("language")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let mine: Vec<CaseUpdate> = all
        .iter()
        .filter(|u| u.language == lang.code())
        .cloned()
        .collect();
    Ok(if mine.is_empty() { all } else { mine })
}

/// A campaign's case slugs and ids, without their texts (every report is checked against them).
pub async fn case_ids(db: &Db, campaign_id: i64) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT slug, id FROM cases WHERE campaign_id = $1")
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("slug")?, r.try_get("id")?)))
        .collect()
}

/// How many cases each campaign has, for the staff overview.
pub async fn case_counts(db: &Db) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows = sqlx::query("SELECT campaign_id, COUNT(*) AS n FROM cases GROUP BY campaign_id")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("campaign_id")?, r.try_get("n")?)))
        .collect()
}

/// Whether the campaign's recap is published (the `recap` feature writes it; the campaign page
/// only links to it).
pub async fn recap_published(db: &Db, campaign_id: i64) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT campaign_id FROM recaps WHERE campaign_id = $1 AND published_at IS NOT NULL",
    )
    .bind(campaign_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some())
}
