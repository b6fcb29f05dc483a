//! What is stored about one person, read out for them, and erased when they ask.

use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::Account;
use crate::db::{Db, Tx};

/// A stored time (unix ms) as RFC 3339, for people to read.
fn time(ms: Option<i64>) -> Value {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map_or(Value::Null, |t| {
            Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        })
}

async fn rows(db: &Db, sql: &str, id: i64) -> Result<Vec<AnyRow>, sqlx::Error> {
    sqlx::query(sql).bind(id).fetch_all(&db.pool).await
}

/// Everything stored about the account's owner, as one JSON document. RSVPs and mail are found
/// by the address, so they are included only once the address is confirmed as theirs.
pub async fn export(db: &Db, me: &Account) -> Result<Value, sqlx::Error> {
    let account = sqlx::query(
        "SELECT email, display_name, role, staff_country, language, created_at, email_verified_at \
         FROM accounts WHERE id = $1",
    )
    .bind(me.id)
    .fetch_one(&db.pool)
    .await?;
    let sessions = rows(
        db,
        "SELECT created_at, last_seen_at, expires_at FROM sessions WHERE account_id = $1 ORDER BY created_at",
        me.id,
    )
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"signed_in_at": time(r.try_get("created_at")?),
            "last_used_at": time(r.try_get("last_seen_at")?), "expires_at": time(r.try_get("expires_at")?)}))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let tokens = rows(
        db,
        "SELECT label, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id",
        me.id,
    )
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"label": r.try_get::<String, _>("label")?, "starts_with": r.try_get::<String, _>("prefix")?,
            "created_at": time(r.try_get("created_at")?), "last_used_at": time(r.try_get("last_used_at")?),
            "revoked_at": time(r.try_get("revoked_at")?)}))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let events = rows(
        db,
        "SELECT e.id, c.slug, e.title, e.kind, e.visibility, e.status, e.starts_at, e.ends_at, e.venue_name, \
         e.address, e.city, e.region, e.country, e.capacity, e.description, e.created_at \
         FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE e.host_id = $1 ORDER BY e.id",
        me.id,
    )
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"id": r.try_get::<i64, _>("id")?, "campaign": r.try_get::<String, _>("slug")?,
            "title": r.try_get::<String, _>("title")?, "kind": r.try_get::<String, _>("kind")?,
            "visibility": r.try_get::<String, _>("visibility")?, "status": r.try_get::<String, _>("status")?,
            "starts_at": time(r.try_get("starts_at")?), "ends_at": time(r.try_get("ends_at")?),
            "venue_name": r.try_get::<String, _>("venue_name")?, "address": r.try_get::<String, _>("address")?,
            "city": r.try_get::<String, _>("city")?, "region": r.try_get::<Option<String>, _>("region")?,
            "country": r.try_get::<String, _>("country")?, "capacity": r.try_get::<Option<i64>, _>("capacity")?,
            "description": r.try_get::<String, _>("description")?, "created_at": time(r.try_get("created_at")?)}))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let reports = rows(
        db,
        "SELECT r.id, r.event_id, r.participants, r.highlights, r.created_at, r.voided_at, \
         (SELECT CAST(COALESCE(SUM(i.letters), 0) AS BIGINT) FROM report_items i WHERE i.report_id = r.id) AS letters, \
         (SELECT CAST(COALESCE(SUM(i.solidarity), 0) AS BIGINT) FROM report_items i WHERE i.report_id = r.id) AS solidarity \
         FROM reports r WHERE r.author_id = $1 ORDER BY r.id",
        me.id,
    )
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"id": r.try_get::<i64, _>("id")?, "event_id": r.try_get::<i64, _>("event_id")?,
            "participants": r.try_get::<i64, _>("participants")?, "highlights": r.try_get::<String, _>("highlights")?,
            "letters": r.try_get::<i64, _>("letters")?, "solidarity": r.try_get::<i64, _>("solidarity")?,
            "created_at": time(r.try_get("created_at")?), "voided_at": time(r.try_get("voided_at")?)}))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let (rsvps, mail) = if me.email_confirmed {
        (
            by_email_rsvps(db, &me.email).await?,
            by_email_mail(db, &me.email).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(json!({
        "exported_at": time(Some(db.now_ms())),
        "account": {
            "email": account.try_get::<String, _>("email")?,
            "display_name": account.try_get::<String, _>("display_name")?,
            "role": account.try_get::<String, _>("role")?,
            "staff_country": account.try_get::<Option<String>, _>("staff_country")?,
            "language": account.try_get::<String, _>("language")?,
            "created_at": time(account.try_get("created_at")?),
            "email_confirmed_at": time(account.try_get("email_verified_at")?),
        },
        "sessions": sessions,
        "api_tokens": tokens,
        "events_hosted": events,
        "reports": reports,
        "rsvps": rsvps,
        "mail": mail,
    }))
}

async fn by_email_rsvps(db: &Db, email: &str) -> Result<Vec<Value>, sqlx::Error> {
    sqlx::query(
        "SELECT r.event_id, e.title, r.name, r.status, r.consent_contact, r.created_at FROM rsvps r \
         JOIN events e ON e.id = r.event_id WHERE r.email = $1 ORDER BY r.id",
    )
    .bind(email)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"event_id": r.try_get::<i64, _>("event_id")?, "event_title": r.try_get::<String, _>("title")?,
            "name": r.try_get::<String, _>("name")?, "status": r.try_get::<String, _>("status")?,
            "may_be_contacted": r.try_get::<i32, _>("consent_contact")? != 0,
            "created_at": time(r.try_get("created_at")?)}))
    })
    .collect()
}

async fn by_email_mail(db: &Db, email: &str) -> Result<Vec<Value>, sqlx::Error> {
    let mut out: Vec<Value> = sqlx::query(
        "SELECT kind, status, created_at, sent_at FROM outbox WHERE recipient = $1 ORDER BY id",
    )
    .bind(email)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(json!({"kind": r.try_get::<String, _>("kind")?, "status": r.try_get::<String, _>("status")?,
            "queued_at": time(r.try_get("created_at")?), "sent_at": time(r.try_get("sent_at")?)}))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    if let Some(r) = sqlx::query("SELECT reminders_off_at FROM mail_recipients WHERE email = $1")
        .bind(email)
        .fetch_optional(&db.pool)
        .await?
    {
        out.push(json!({"reminders_turned_off_at": time(r.try_get("reminders_off_at")?)}));
    }
    Ok(out)
}

/// The events the account hosts that have not ended and are not cancelled yet.
pub async fn future_events(tx: &mut Tx, now: i64, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query(
        "SELECT id FROM events WHERE host_id = $1 AND ends_at > $2 AND status <> 'cancelled' ORDER BY id",
    )
    .bind(id)
    .bind(now)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect()
}

/// Deletes the RSVPs made with the address; returns the events they were for, with capacities.
pub async fn delete_rsvps(
    tx: &mut Tx,
    email: &str,
) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    let events: Vec<(i64, Option<i64>)> = sqlx::query(
        "SELECT DISTINCT e.id, e.capacity FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.email = $1",
    )
    .bind(email)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    sqlx::query("DELETE FROM rsvps WHERE email = $1")
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(events)
}

/// Erases the account itself and what hangs off it. The row stays as a nameless tombstone (its
/// reports still count, its past events still happened), with an address nobody can sign up with.
pub async fn erase_account(
    tx: &mut Tx,
    now: i64,
    id: i64,
    email: &str,
    address_proven: bool,
) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM sessions WHERE account_id = $1",
        "DELETE FROM api_tokens WHERE account_id = $1",
        "DELETE FROM account_links WHERE account_id = $1",
        "UPDATE events SET address = '' WHERE host_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    if address_proven {
        for sql in [
            "DELETE FROM outbox WHERE recipient = $1",
            "DELETE FROM mail_recipients WHERE email = $1",
        ] {
            sqlx::query(sql).bind(email).execute(&mut **tx).await?;
        }
    }
    sqlx::query(
        "UPDATE accounts SET email = $1, display_name = '', password_hash = NULL, role = 'host', \
         staff_country = NULL, deleted_at = $2 WHERE id = $3",
    )
    .bind(format!("deleted-{id}@invalid"))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Erases the names and addresses of RSVPs to events of campaigns whose report deadline
/// (a `YYYY-MM-DD` day) is before `before`; the RSVPs stay, as numbers.
pub async fn erase_rsvps_before(db: &Db, before: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE rsvps SET name = '', email = 'erased-' || CAST(id AS TEXT), consent_contact = 0 \
         WHERE email NOT LIKE 'erased-%' AND event_id IN (SELECT e.id FROM events e \
         JOIN campaigns c ON c.id = e.campaign_id WHERE c.report_deadline < $1)",
    )
    .bind(before)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}

/// Drops mail sent or given up on that was queued before `before`.
pub async fn purge_mail_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM outbox WHERE status IN ('sent', 'failed') AND created_at < $1")
            .bind(before)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected())
}
