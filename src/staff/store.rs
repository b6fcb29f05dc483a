//! The staff console's SQL: the unreported list, the reminders sent for it, and the exports'
//! row streams. Every query takes the reader's country scope (`None`: every country).

use sqlx::FromRow;
use tokio_stream::Stream;

use crate::db::{Db, Tx};
use crate::reports::store::DAY_MS;

/// The SQL condition that keeps one country's events (`country` is parameter `n`).
fn in_country(country: Option<&str>, n: usize) -> String {
    match country {
        Some(_) => format!(" AND e.country = ${n}"),
        None => String::new(),
    }
}

/// A published event that ended with no report, as staff chase it.
#[derive(Clone, Debug, FromRow)]
pub struct Unreported {
    pub id: i64,
    pub title: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub host_name: String,
    pub host_email: String,
    /// The latest reminder the scheduler queued (the morning after, the deadline's last week).
    pub scheduled_reminder_at: Option<i64>,
    /// The latest one staff sent ("send a reminder now"), read from the audit trail.
    pub staff_reminder_at: Option<i64>,
}

impl Unreported {
    pub fn last_reminder_at(&self) -> Option<i64> {
        self.scheduled_reminder_at.max(self.staff_reminder_at)
    }
}

const UNREPORTED_COLUMNS: &str = "e.id, e.title, e.city, e.region, e.country, e.kind, e.starts_at, \
     e.ends_at, a.display_name AS host_name, a.email AS host_email, \
     (SELECT MAX(o.created_at) FROM outbox o WHERE o.dedupe_key IN \
        ('reminder-host-after:' || e.id, 'reminder-host-deadline:' || e.id)) AS scheduled_reminder_at, \
     (SELECT MAX(l.at) FROM audit_log l WHERE l.subject_type = 'event' AND l.subject_id = e.id \
        AND l.action = 'event.remind_host') AS staff_reminder_at";

/// An unreported event of `events e`: of the campaign `$1`, published, ended by `$2`, with no
/// report. The list, its count and the dashboard's count per country share it.
const UNREPORTED: &str = "e.campaign_id = $1 AND e.status = 'published' AND e.ends_at <= $2 \
     AND NOT EXISTS (SELECT 1 FROM event_totals t WHERE t.event_id = e.id AND t.reports > 0)";

/// The campaign's published events that ended by `now` with no report, longest waiting first;
/// at most `limit`.
pub async fn unreported(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
    now: i64,
    limit: i64,
) -> Result<Vec<Unreported>, sqlx::Error> {
    // Placeholders numbered by what is bound: PostgreSQL refuses one left unused.
    let limit_at = if country.is_some() { 4 } else { 3 };
    let sql = format!(
        "SELECT {UNREPORTED_COLUMNS} FROM events e JOIN accounts a ON a.id = e.host_id \
         WHERE {UNREPORTED}{} ORDER BY e.ends_at, e.id LIMIT ${limit_at}",
        in_country(country, 3),
    );
    let mut query = sqlx::query_as(&sql).bind(campaign_id).bind(now);
    if let Some(country) = country {
        query = query.bind(country);
    }
    query.bind(limit).fetch_all(&db.pool).await
}

/// How many events `unreported` would list.
pub async fn unreported_count(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) FROM events e WHERE {UNREPORTED}{}",
        in_country(country, 3)
    );
    let mut query = sqlx::query_scalar(&sql).bind(campaign_id).bind(now);
    if let Some(country) = country {
        query = query.bind(country);
    }
    query.fetch_one(&db.pool).await
}

/// Whether the event is published, ended by `now` and has no report: one staff may remind.
pub async fn is_unreported(tx: &mut Tx, event_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 FROM events e WHERE e.id = $1 AND e.status = 'published' AND e.ends_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM event_totals t WHERE t.event_id = e.id AND t.reports > 0)",
    )
    .bind(event_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// An event as the events export writes it.
#[derive(Debug, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub visibility: String,
    pub status: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub timezone: String,
    pub venue_name: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub capacity: Option<i64>,
    pub language: String,
    pub host_name: String,
    pub host_email: String,
    pub confirmed_rsvps: i64,
    pub reports: i64,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub created_at: i64,
}

/// An RSVP as the RSVPs export writes it.
#[derive(Debug, FromRow)]
pub struct RsvpRow {
    pub id: i64,
    pub event_id: i64,
    pub event_title: String,
    pub country: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub consent_contact: i64,
    pub language: String,
    pub created_at: i64,
}

/// One item of a report (a case's letters), as the reports export writes it.
#[derive(Debug, FromRow)]
pub struct ReportItemRow {
    pub report_id: i64,
    pub event_id: i64,
    pub event_title: String,
    pub kind: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub case_slug: String,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    pub flags: String,
    pub voided_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What an export streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Events,
    Rsvps,
    Reports,
}

impl Export {
    /// The query of the export, for one country's rows when `country` (parameter `$2`).
    pub fn sql(self, country: Option<&str>) -> String {
        let only = in_country(country, 2);
        match self {
            Export::Events => format!(
                "SELECT e.id, e.title, e.kind, e.visibility, e.status, e.starts_at, e.ends_at, \
                 e.timezone, e.venue_name, e.address, e.city, e.region, e.country, e.capacity, \
                 e.language, a.display_name AS host_name, a.email AS host_email, \
                 (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id AND r.status = 'confirmed') \
                   AS confirmed_rsvps, \
                 COALESCE(t.reports, 0) AS reports, COALESCE(t.letters, 0) AS letters, \
                 COALESCE(t.solidarity, 0) AS solidarity, \
                 COALESCE(t.participants, 0) AS participants, e.created_at \
                 FROM events e JOIN accounts a ON a.id = e.host_id \
                 LEFT JOIN event_totals t ON t.event_id = e.id \
                 WHERE e.campaign_id = $1{only} ORDER BY e.id"
            ),
            Export::Rsvps => format!(
                "SELECT r.id, r.event_id, e.title AS event_title, e.country, r.name, r.email, \
                 r.status, CAST(r.consent_contact AS BIGINT) AS consent_contact, r.language, r.created_at \
                 FROM rsvps r JOIN events e ON e.id = r.event_id \
                 WHERE e.campaign_id = $1{only} ORDER BY r.id"
            ),
            Export::Reports => format!(
                "SELECT r.id AS report_id, r.event_id, e.title AS event_title, e.kind, e.city, \
                 e.region, e.country, c.slug AS case_slug, i.letters, i.solidarity, \
                 r.participants, r.flags, r.voided_at, r.created_at, r.updated_at \
                 FROM reports r JOIN report_items i ON i.report_id = r.id \
                 JOIN events e ON e.id = r.event_id JOIN cases c ON c.id = i.case_id \
                 WHERE r.campaign_id = $1{only} ORDER BY r.id, c.slug"
            ),
        }
    }
}

/// The rows of `sql` (from `Export::sql`), one at a time as the database sends them.
pub fn rows<'a, R>(
    db: &'a Db,
    sql: &'a str,
    campaign_id: i64,
    country: Option<&'a str>,
) -> impl Stream<Item = Result<R, sqlx::Error>> + Send + 'a
where
    R: for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin + 'a,
{
    let mut query = sqlx::query_as::<_, R>(sql).bind(campaign_id);
    if let Some(country) = country {
        query = query.bind(country);
    }
    query.fetch(&db.pool)
}

/// The display names of the accounts an audit page names (staff see who acted).
pub async fn account_names(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut names = Vec::with_capacity(ids.len());
    for id in ids {
        let name: Option<String> =
            sqlx::query_scalar("SELECT display_name FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?;
        if let Some(name) = name {
            names.push((*id, name));
        }
    }
    Ok(names)
}

/// `(day number since 1970, value)` rows, oldest first.
pub type Daily = Vec<(i64, i64)>;

/// The tally's counters of the reports in the reader's scope: the world's, or one country's.
#[derive(Clone, Debug, Default, FromRow)]
pub struct ReportCounts {
    pub reports: i64,
    pub letters: i64,
    pub solidarity: i64,
    pub participants: i64,
    /// Events with at least one report.
    pub events_reported: i64,
}

pub async fn report_counts(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
) -> Result<ReportCounts, sqlx::Error> {
    let (dimension, key) = match country {
        Some(c) => ("country", c),
        None => ("world", ""),
    };
    let counts = sqlx::query_as(
        "SELECT reports, letters, solidarity, participants, events_reported FROM tally_counters \
         WHERE campaign_id = $1 AND dimension = $2 AND dim_key = $3",
    )
    .bind(campaign_id)
    .bind(dimension)
    .bind(key)
    .fetch_optional(&db.pool)
    .await?;
    Ok(counts.unwrap_or_default())
}

/// Letters reported per day (by the day each current report came in), from the tally's
/// per-day counters.
pub async fn letters_by_day(
    db: &Db,
    campaign_id: i64,
    country: Option<&str>,
) -> Result<Daily, sqlx::Error> {
    let rows: Vec<(String, i64)> = match country {
        Some(c) => {
            sqlx::query_as(
                "SELECT dim_key, letters FROM tally_counters \
                 WHERE campaign_id = $1 AND dimension = 'country-day' AND dim_key LIKE $2",
            )
            .bind(campaign_id)
            .bind(format!("{c}|%"))
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT dim_key, letters FROM tally_counters \
                 WHERE campaign_id = $1 AND dimension = 'day'",
            )
            .bind(campaign_id)
            .fetch_all(&db.pool)
            .await?
        }
    };
    let mut days: Daily = rows
        .into_iter()
        .filter_map(|(key, letters)| {
            let day = key.rsplit('|').next()?.parse().ok()?;
            Some((day, letters))
        })
        .collect();
    days.sort_unstable();
    Ok(days)
}

/// Published events per country and region (`None`: none given).
pub async fn published_by_region(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(String, Option<String>, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT country, region, COUNT(*) FROM events \
         WHERE campaign_id = $1 AND status = 'published' GROUP BY country, region",
    )
    .bind(campaign_id)
    .fetch_all(&db.pool)
    .await
}

/// Events registered per country and day (published ones, and those since cancelled or taken
/// down).
pub async fn registered_by_day(
    db: &Db,
    campaign_id: i64,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT country, created_at / {DAY_MS} AS day, COUNT(*) FROM events \
         WHERE campaign_id = $1 GROUP BY country, created_at / {DAY_MS}"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .fetch_all(&db.pool)
        .await
}

/// Per country: (what, country, how many) of the published events ended by `now` with no
/// report (`unreported`), confirmed RSVPs (`rsvps`), open flags (`open_flags`), flagged
/// current reports (`flagged_reports`) and mail given up on (`failed_mail`; country `""`: mail
/// of no country, which only staff of every country see).
pub async fn per_country(
    db: &Db,
    campaign_id: i64,
    now: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT 'unreported', e.country, COUNT(*) FROM events e WHERE {UNREPORTED} GROUP BY e.country \
         UNION ALL SELECT 'rsvps', e.country, COUNT(*) FROM rsvps r JOIN events e ON e.id = r.event_id \
           WHERE e.campaign_id = $1 AND r.status = 'confirmed' GROUP BY e.country \
         UNION ALL SELECT 'open_flags', e.country, COUNT(*) FROM event_flags f \
           JOIN events e ON e.id = f.event_id \
           WHERE e.campaign_id = $1 AND f.resolved_at IS NULL GROUP BY e.country \
         UNION ALL SELECT 'flagged_reports', e.country, COUNT(*) FROM reports r \
           JOIN events e ON e.id = r.event_id \
           WHERE r.campaign_id = $1 AND r.flags <> '' AND r.voided_at IS NULL GROUP BY e.country \
         UNION ALL SELECT 'failed_mail', COALESCE(country, ''), COUNT(*) FROM outbox \
           WHERE status = 'failed' GROUP BY country"
    );
    sqlx::query_as(&sql)
        .bind(campaign_id)
        .bind(now)
        .fetch_all(&db.pool)
        .await
}
