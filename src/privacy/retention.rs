//! Keeping personal data only as long as it serves the campaign (PRIVACY.md): run by the
//! housekeeping loop of every server process; each step is one idempotent statement.

use crate::db::Db;

/// How long mail (the outbox rows, and the `.eml` files written without SMTP) is kept.
pub const MAIL_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// Erases the names and addresses of RSVPs to events of campaigns whose report deadline is more
/// than `days` behind us; the RSVPs themselves stay, as numbers. Returns how many were erased.
pub async fn erase_old_rsvps(db: &Db, days: i64) -> Result<u64, sqlx::Error> {
    let before = (db.clock.today() - chrono::Duration::days(days)).to_string();
    super::store::erase_rsvps_before(db, &before).await
}

/// Drops mail sent or given up on more than [`MAIL_DAYS`] ago.
pub async fn purge_old_mail(db: &Db) -> Result<u64, sqlx::Error> {
    super::store::purge_mail_before(db, db.now_ms() - MAIL_DAYS * DAY_MS).await
}

/// Deletes `.eml` files older than [`MAIL_DAYS`] in the folder the mail worker writes them to.
pub fn purge_old_mail_files(dir: &std::path::Path, now_ms: i64) -> std::io::Result<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let cutoff = std::time::UNIX_EPOCH
        + std::time::Duration::from_millis((now_ms - MAIL_DAYS * DAY_MS).max(0) as u64);
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "eml") && entry.metadata()?.modified()? < cutoff {
            std::fs::remove_file(path)?;
            removed += 1;
        }
    }
    Ok(removed)
}
