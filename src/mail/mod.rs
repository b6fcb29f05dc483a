//! Mail as a feature: the reminders the scheduler sends (attendees before their event, hosts
//! after it, staff their digest) and the staff's view of the outbox (`/staff/mail`). The outbox
//! itself, and delivery, are `outbox`; each feature composes its own messages (`accounts::mail`,
//! `events::mail`).

pub mod reminders;
pub mod staff;
pub mod store;

use crate::db::Db;

/// `writeathon worker`: delivers until Ctrl-C or SIGTERM.
pub async fn run_alone(db: Db, settings: crate::config::Settings) -> anyhow::Result<()> {
    let handle = crate::outbox::worker::start(db.clone(), settings.mail.clone())
        .ok_or_else(|| anyhow::anyhow!("no mail transport"))?;
    let reminders = reminders::start(db, settings);
    let _ = tokio::signal::ctrl_c().await;
    handle.abort();
    if let Some(r) = reminders {
        r.abort();
    }
    Ok(())
}
