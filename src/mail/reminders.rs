//! Reminders: attendees the day before, hosts the day after their event and a week before the
//! report deadline while it is unreported, and a weekly digest to each country's staff of the
//! events still unreported. Every process that delivers mail also runs this scheduler; each
//! message carries a dedupe key (`outbox.dedupe_key` is unique), so however often it runs and in
//! however many processes, a reminder goes out at most once per recipient and event.
//! Anyone can turn reminders off with the link in each of them (`unsubscribe`).

use super::store;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};

use crate::config::Settings;
use crate::db::{Db, Tx};
use crate::events::mail::{details, event_in};
use crate::events::store::campaign_slug_in;
use crate::i18n::Msg;
use crate::i18n::Tr;
use crate::outbox::{Letter, body, queue, unsubscribe};

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Runs the scheduler every `settings.mail.reminders_every`, when set.
pub fn start(db: Db, settings: Settings) -> Option<tokio::task::JoinHandle<()>> {
    let every = settings.mail.reminders_every?;
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_due(&db, &settings, db.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "reminders queued"),
                Err(err) => tracing::warn!(error = %err, "reminders: database error"),
            }
        }
    }))
}

/// Queues every reminder due at `now`; returns how many were queued.
pub async fn run_due(
    db: &Db,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut queued = 0;
    queued += attendees(db, settings, now).await?;
    for (campaign_id, deadline) in open_campaigns(db, now).await? {
        queued += hosts(db, settings, campaign_id, deadline, now).await?;
    }
    queued += digests(db, settings, now).await?;
    Ok(queued)
}

/// The key of a reminder; also looked up in SQL as `'<kind>:' || id`.
fn key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

/// Queues one message in its own transaction, unless its key was used (then nothing changes).
async fn commit_if_queued(
    mut tx: Tx,
    now: i64,
    settings: &Settings,
    letter: Letter,
) -> Result<usize, sqlx::Error> {
    if queue(&mut tx, now, &settings.mail.from, letter).await? {
        tx.commit().await?;
        Ok(1)
    } else {
        tx.rollback().await?;
        Ok(0)
    }
}

/// Attendees of events starting within 24 hours who signed up before that window opened
/// (later ones have just had their confirmation).
async fn attendees(db: &Db, settings: &Settings, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let now_ms = now.timestamp_millis();
    let rows = store::due_attendees(db, now_ms, DAY_MS).await?;
    let mut queued = 0;
    for r in rows {
        let lang = r.lang();
        let (rsvp_id, email, name) = (r.id, r.email, r.name);
        let mut tx = db.begin_write().await?;
        let Some(stop_url) = unsubscribe::link(&mut tx, db.now_ms(), settings, &email).await?
        else {
            continue;
        };
        let event = event_in(&mut tx, r.event_id).await?;
        let tr = Tr::new(lang);
        let base = &settings.public_url;
        let mut b = body(&tr, &name);
        b.paragraphs.push(tr.t("mail-remind-attendee-body"));
        b.details = details(&tr, &event, true);
        b.links.push((
            tr.t("mail-event-page"),
            format!("{base}/events/{}", event.id),
        ));
        b.after_links.push(tr.t("mail-rsvp-cancel-hint"));
        let token = crate::events::rsvps::new_cancel_link(&mut tx, db.now_ms(), rsvp_id).await?;
        b.links
            .push((tr.t("mail-cancel-link"), format!("{base}/rsvps/{token}")));
        b.footer.push(tr.t("mail-unsubscribe-hint"));
        b.links
            .push((tr.t("mail-unsubscribe-link"), stop_url.clone()));
        let letter = Letter {
            kind: "reminder-attendee",
            dedupe_key: Some(key("reminder-attendee", rsvp_id)),
            to_name: name,
            to_email: email,
            subject: tr.t1(
                "mail-remind-attendee-subject",
                "title",
                event.title.as_str(),
            ),
            body: b,
            calendar: None,
            unsubscribe: Some(stop_url),
            country: Some(event.country.clone()),
        };
        queued += commit_if_queued(tx, db.now_ms(), settings, letter).await?;
    }
    Ok(queued)
}

/// Campaigns whose report deadline has not passed, with the deadline's end.
async fn open_campaigns(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, DateTime<Utc>)>, sqlx::Error> {
    let rows = store::campaign_deadlines(db).await?;
    let mut open = Vec::new();
    for r in rows {
        let (id, day) = r;
        if let Ok(day) = day.parse() {
            let end = crate::reports::deadline_end(day);
            if now <= end {
                open.push((id, end));
            }
        }
    }
    Ok(open)
}

/// 09:00 on the day after the event ends, in the event's time zone.
fn morning_after(event: &crate::events::Event) -> DateTime<Utc> {
    let day = event.local_end().date_naive() + Duration::days(1);
    let nine = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    event
        .timezone
        .from_local_datetime(&nine)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(event.ends_at + Duration::hours(12))
}

/// Hosts of ended, unreported events: the morning after, and again in the deadline's last week.
async fn hosts(
    db: &Db,
    settings: &Settings,
    campaign_id: i64,
    deadline: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let now_ms = now.timestamp_millis();
    let last_week = now >= deadline - Duration::days(7);
    // Only events still owed a reminder: the first within nine days of their end (it is due
    // the morning after, for a week), the second in the deadline's last week.
    let rows = store::due_hosts(db, campaign_id, now_ms, now_ms - 9 * DAY_MS, last_week).await?;
    let mut queued = 0;
    for r in rows {
        let after_sent = r.after_sent > 0;
        let deadline_sent = r.deadline_sent > 0;
        let mut tx = db.begin_write().await?;
        let event = event_in(&mut tx, r.id).await?;
        let due_after = morning_after(&event);
        let kind = if !after_sent && now >= due_after && now < due_after + Duration::days(7) {
            "reminder-host-after"
        } else if !deadline_sent && last_week && now >= due_after + Duration::days(2) {
            // Not on the heels of the first reminder.
            "reminder-host-deadline"
        } else {
            tx.rollback().await?;
            continue;
        };
        let host = crate::accounts::store::recipient(&mut tx, event.host_id).await?;
        let lang = host.lang();
        let (email, name) = (host.email, host.display_name);
        let Some(stop_url) = unsubscribe::link(&mut tx, db.now_ms(), settings, &email).await?
        else {
            continue;
        };
        let tr = Tr::new(lang);
        let base = &settings.public_url;
        let mut b = body(&tr, &name);
        let (subject, text) = if kind == "reminder-host-after" {
            ("mail-remind-host-subject", "mail-remind-host-body")
        } else {
            ("mail-remind-deadline-subject", "mail-remind-deadline-body")
        };
        b.paragraphs.push(tr.t(text));
        b.details = details(&tr, &event, false);
        b.details.push((
            tr.t("mail-deadline"),
            (deadline - Duration::hours(14))
                .format("%Y-%m-%d")
                .to_string(),
        ));
        b.links.push((
            tr.t("mail-report-link"),
            format!("{base}/events/{}/report", event.id),
        ));
        b.footer.push(tr.t("mail-unsubscribe-hint"));
        b.links
            .push((tr.t("mail-unsubscribe-link"), stop_url.clone()));
        let letter = Letter {
            kind,
            dedupe_key: Some(key(kind, event.id)),
            to_name: name,
            to_email: email,
            subject: tr.t1(subject, "title", event.title.as_str()),
            body: b,
            calendar: None,
            unsubscribe: Some(stop_url),
            country: Some(event.country.clone()),
        };
        queued += commit_if_queued(tx, db.now_ms(), settings, letter).await?;
    }
    Ok(queued)
}

/// Once a week, to each staff member who looks after one country: its events that ended more than
/// two days ago with no report yet, in campaigns still taking reports. Nothing is sent when there
/// are none.
async fn digests(db: &Db, settings: &Settings, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
    let week = now.iso_week();
    let week_key = format!("{}-W{:02}", week.year(), week.week());
    let staff = store::country_staff(db).await?;
    let open: Vec<i64> = open_campaigns(db, now)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let mut queued = 0;
    for s in staff {
        let lang = s.lang();
        let dedupe_key = format!("staff-digest:{}:{week_key}", s.id);
        let (country, email, name) = (s.staff_country, s.email, s.display_name);
        let mut tx = db.begin_write().await?;
        if store::key_taken(&mut tx, &dedupe_key).await? {
            tx.rollback().await?;
            continue;
        }
        let mut events = Vec::new();
        for campaign_id in &open {
            // Hosts get their own reminder the morning after; staff hear of events from then on.
            let ended_by = now.timestamp_millis() - 2 * DAY_MS;
            let rows = store::unreported(&mut tx, *campaign_id, &country, ended_by).await?;
            events.extend(rows);
        }
        if events.is_empty() {
            tx.rollback().await?;
            continue;
        }
        let Some(stop_url) = unsubscribe::link(&mut tx, db.now_ms(), settings, &email).await?
        else {
            continue;
        };
        let tr = Tr::new(lang);
        let base = &settings.public_url;
        let country_name = crate::geo::country_name(&country, lang).unwrap_or(&country);
        let mut b = body(&tr, &name);
        b.paragraphs.push(
            tr.msg(
                &Msg::new("mail-digest-body")
                    .arg("count", events.len())
                    .arg("country", country_name),
            ),
        );
        const SHOWN: usize = 100;
        for e in events.iter().take(SHOWN) {
            let ended = DateTime::from_timestamp_millis(e.ends_at).unwrap_or_default();
            b.details.push((
                format!("{} · {}", ended.format("%Y-%m-%d"), e.city),
                format!("{} — {base}/events/{}", e.title, e.id),
            ));
        }
        if events.len() > SHOWN {
            b.paragraphs
                .push(tr.t1("mail-digest-more", "count", (events.len() - SHOWN) as i64));
        }
        // The tally of each campaign the list draws from (read from the rows already fetched).
        let mut campaigns: Vec<i64> = events.iter().map(|e| e.campaign_id).collect();
        campaigns.dedup();
        for campaign_id in campaigns {
            let slug = campaign_slug_in(&mut tx, campaign_id).await?;
            b.links.push((
                tr.t("mail-digest-tally"),
                format!("{base}/campaigns/{slug}/tally"),
            ));
        }
        b.footer.push(tr.t("mail-unsubscribe-hint"));
        b.links
            .push((tr.t("mail-unsubscribe-link"), stop_url.clone()));
        let letter = Letter {
            kind: "staff-digest",
            dedupe_key: Some(dedupe_key),
            to_name: name,
            to_email: email,
            subject: tr.t1("mail-digest-subject", "country", country_name),
            body: b,
            calendar: None,
            unsubscribe: Some(stop_url),
            country: Some(country.clone()),
        };
        queued += commit_if_queued(tx, db.now_ms(), settings, letter).await?;
    }
    Ok(queued)
}
