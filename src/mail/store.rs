//! The SQL of reminders and of the staff's view of the outbox.

use crate::db::{Db, Tx};
use crate::i18n::Lang;
use crate::outbox::store::Status;

/// A confirmed RSVP owed the reminder the day before its event.
#[derive(sqlx::FromRow)]
pub struct DueAttendee {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub email: String,
    pub language: String,
}

impl DueAttendee {
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }
}

/// RSVPs to published events starting in `(now, now + window]` made before the window opened,
/// with no reminder yet and reminders on for their address.
pub async fn due_attendees(
    db: &Db,
    now: i64,
    window_ms: i64,
) -> Result<Vec<DueAttendee>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.event_id, r.name, r.email, r.language FROM rsvps r \
         JOIN events e ON e.id = r.event_id \
         WHERE e.status = 'published' AND e.starts_at > $1 AND e.starts_at <= $2 \
         AND r.status = 'confirmed' AND r.created_at < e.starts_at - $3 \
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'reminder-attendee:' || r.id) \
         AND NOT EXISTS (SELECT 1 FROM mail_recipients m WHERE m.email = r.email \
           AND m.reminders_off_at IS NOT NULL) \
         ORDER BY r.id LIMIT 1000",
    )
    .bind(now)
    .bind(now + window_ms)
    .bind(window_ms)
    .fetch_all(&db.pool)
    .await
}

/// Every campaign's id and report deadline (a `YYYY-MM-DD` day, as stored).
pub async fn campaign_deadlines(db: &Db) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, report_deadline FROM campaigns")
        .fetch_all(&db.pool)
        .await
}

/// An unreported event owed a host reminder, and which of the two were queued already.
#[derive(sqlx::FromRow)]
pub struct DueHost {
    pub id: i64,
    pub after_sent: i64,
    pub deadline_sent: i64,
}

/// The campaign's published, unreported events that ended by `now` and are still owed a
/// reminder: the first if they ended after `first_since`, the second in the deadline's
/// `last_week`; only where the host has reminders on.
pub async fn due_hosts(
    db: &Db,
    campaign_id: i64,
    now: i64,
    first_since: i64,
    last_week: bool,
) -> Result<Vec<DueHost>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, \
           (SELECT COUNT(*) FROM outbox o WHERE o.dedupe_key = 'reminder-host-after:' || e.id) AS after_sent, \
           (SELECT COUNT(*) FROM outbox o WHERE o.dedupe_key = 'reminder-host-deadline:' || e.id) AS deadline_sent \
         FROM events e JOIN accounts a ON a.id = e.host_id \
         WHERE e.campaign_id = $1 AND e.status = 'published' AND e.ends_at <= $2 \
         AND ((e.ends_at > $3 AND NOT EXISTS (SELECT 1 FROM outbox o \
                 WHERE o.dedupe_key = 'reminder-host-after:' || e.id)) \
              OR ($4 = 1 AND NOT EXISTS (SELECT 1 FROM outbox o \
                 WHERE o.dedupe_key = 'reminder-host-deadline:' || e.id))) \
         AND NOT EXISTS (SELECT 1 FROM event_totals t WHERE t.event_id = e.id AND t.reports > 0) \
         AND NOT EXISTS (SELECT 1 FROM mail_recipients m WHERE m.email = a.email \
           AND m.reminders_off_at IS NOT NULL) \
         ORDER BY e.id LIMIT 2000",
    )
    .bind(campaign_id)
    .bind(now)
    .bind(first_since)
    .bind(i32::from(last_week))
    .fetch_all(&db.pool)
    .await
}

/// A staff member who looks after one country.
#[derive(sqlx::FromRow)]
pub struct CountryStaff {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub staff_country: String,
}

impl CountryStaff {
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }
}

pub async fn country_staff(db: &Db) -> Result<Vec<CountryStaff>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, display_name, language, staff_country FROM accounts \
         WHERE role = 'staff' AND staff_country IS NOT NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
}

/// Whether a message with this dedupe key was queued.
pub async fn key_taken(tx: &mut Tx, dedupe_key: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM outbox WHERE dedupe_key = $1")
        .bind(dedupe_key)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// An event a staff digest lists.
#[derive(sqlx::FromRow)]
pub struct Unreported {
    pub id: i64,
    pub campaign_id: i64,
    pub title: String,
    pub city: String,
    pub ends_at: i64,
}

/// The campaign's published events in `country` that ended by `ended_by` with no report yet.
pub async fn unreported(
    tx: &mut Tx,
    campaign_id: i64,
    country: &str,
    ended_by: i64,
) -> Result<Vec<Unreported>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.campaign_id, e.title, e.city, e.ends_at FROM events e \
         WHERE e.campaign_id = $1 AND e.country = $2 AND e.status = 'published' \
         AND e.ends_at <= $3 \
         AND NOT EXISTS (SELECT 1 FROM event_totals t WHERE t.event_id = e.id AND t.reports > 0) \
         ORDER BY e.ends_at, e.id",
    )
    .bind(campaign_id)
    .bind(country)
    .bind(ended_by)
    .fetch_all(&mut **tx)
    .await
}

/// The SQL condition that keeps one country's mail (`country` is parameter `next_param`).
fn only(country: Option<&str>, next_param: usize) -> String {
    match country {
        Some(_) => format!(" AND country = ${next_param}"),
        None => String::new(),
    }
}

/// How many messages are in each status; of one country's mail, or of all with `None`.
pub async fn status_counts(
    db: &Db,
    country: Option<&str>,
) -> Result<Vec<(Status, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT status, COUNT(*) FROM outbox WHERE 1 = 1{} GROUP BY status",
        only(country, 1)
    );
    let mut counts = sqlx::query_as::<_, (String, i64)>(&sql);
    if let Some(c) = country {
        counts = counts.bind(c);
    }
    Ok(counts
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .filter_map(|(status, n)| Some((Status::parse(&status)?, n)))
        .collect())
}

/// A message given up on, as staff see it.
#[derive(sqlx::FromRow)]
pub struct Failed {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// The latest 500 failed messages; of one country's mail, or of all with `None`.
pub async fn failed(db: &Db, country: Option<&str>) -> Result<Vec<Failed>, sqlx::Error> {
    let sql = format!(
        "SELECT id, kind, recipient, attempts, last_error FROM outbox WHERE status = 'failed'{} \
         ORDER BY id DESC LIMIT 500",
        only(country, 1)
    );
    let mut failed = sqlx::query_as(&sql);
    if let Some(c) = country {
        failed = failed.bind(c);
    }
    failed.fetch_all(&db.pool).await
}

/// Puts a failed message back in the queue, as it was; false when there is no such failed
/// message (in `country`, when given).
pub async fn requeue(
    db: &Db,
    id: i64,
    now: i64,
    country: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $1, claimed_by = NULL, \
         claimed_until = NULL WHERE id = $2 AND status = 'failed'{}",
        only(country, 3)
    );
    let mut resend = sqlx::query(&sql).bind(now).bind(id);
    if let Some(c) = country {
        resend = resend.bind(c);
    }
    Ok(resend.execute(&db.pool).await?.rows_affected() > 0)
}
