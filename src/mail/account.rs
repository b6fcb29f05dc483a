//! Mail about the account itself: confirm your address, reset your password, sign in by link.
//! Each issues its one-time link and queues the message in the caller's transaction.

use sqlx::Row;

use super::compose::body;
use super::{Letter, queue};
use crate::accounts::links::{self, Purpose};
use crate::config::Settings;
use crate::db::Tx;
use crate::web::i18n::{Lang, Tr};

pub async fn send_link(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    account_id: i64,
    purpose: Purpose,
    next: &str,
) -> Result<(), sqlx::Error> {
    let row = sqlx::query("SELECT email, display_name, language FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&mut **tx)
        .await?;
    let email: String = row.try_get("email")?;
    let name: String = row.try_get("display_name")?;
    let lang = Lang::from_code(&row.try_get::<String, _>("language")?).unwrap_or_default();
    let token = links::issue(tx, now, account_id, purpose).await?;
    let tr = Tr::new(lang);
    let mut url = format!("{}{}{token}", settings.public_url, purpose.path());
    // A sign-in link leads back to where the person was going (e.g. a report form).
    if purpose == Purpose::SignIn && next != "/" {
        url.push('?');
        url.push_str(&serde_urlencoded::to_string([("next", next)]).unwrap_or_default());
    }
    let (kind, subject, text, link, expiry) = match purpose {
        Purpose::Verify => (
            "account-verify",
            "mail-verify-subject",
            "mail-verify-body",
            "mail-verify-link",
            "mail-verify-expiry",
        ),
        Purpose::Reset => (
            "account-reset",
            "mail-reset-subject",
            "mail-reset-body",
            "mail-reset-link",
            "mail-reset-expiry",
        ),
        Purpose::SignIn => (
            "account-sign-in",
            "mail-sign-in-subject",
            "mail-sign-in-body",
            "mail-sign-in-link",
            "mail-sign-in-expiry",
        ),
    };
    let mut b = body(&tr, &name);
    b.paragraphs.push(tr.t(text));
    b.links.push((tr.t(link), url));
    b.footer.push(tr.t(expiry));
    b.footer.push(tr.t("mail-not-you"));
    queue(
        tx,
        now,
        &settings.mail.from,
        Letter {
            kind,
            dedupe_key: None,
            to_name: name,
            to_email: email,
            subject: tr.t(subject),
            body: b,
            calendar: None,
            unsubscribe: None,
            // Mail about the account itself belongs to no country.
            country: None,
        },
    )
    .await?;
    Ok(())
}
