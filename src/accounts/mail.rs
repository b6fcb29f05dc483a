//! Mail about the account itself: confirm your address, reset your password, sign in by link.
//! Each issues its one-time link and queues the message in the caller's transaction.

use super::links::{self, Purpose};
use crate::config::Settings;
use crate::db::Tx;
use crate::i18n::{Lang, Tr};
use crate::outbox::{Body, Letter, body, queue};

/// The account's address, name and language.
async fn recipient(tx: &mut Tx, account_id: i64) -> Result<(String, String, Lang), sqlx::Error> {
    let r = super::store::recipient(tx, account_id).await?;
    let lang = r.lang();
    Ok((r.email, r.display_name, lang))
}

/// Queues a message about the account itself: no calendar, no unsubscribe link, and no country
/// (only staff of every country see it at `/staff/mail`).
struct AccountLetter {
    kind: &'static str,
    dedupe_key: Option<String>,
    to_name: String,
    to_email: String,
    subject: String,
    body: Body,
}

async fn queue_account_letter(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    l: AccountLetter,
) -> Result<(), sqlx::Error> {
    let letter = Letter {
        kind: l.kind,
        dedupe_key: l.dedupe_key,
        to_name: l.to_name,
        to_email: l.to_email,
        subject: l.subject,
        body: l.body,
        calendar: None,
        unsubscribe: None,
        country: None,
    };
    queue(tx, now, &settings.mail.from, letter).await?;
    Ok(())
}

pub async fn send_link(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    account_id: i64,
    purpose: Purpose,
    next: &str,
) -> Result<(), sqlx::Error> {
    let (email, name, lang) = recipient(tx, account_id).await?;
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
    let letter = AccountLetter {
        kind,
        dedupe_key: None,
        to_name: name,
        to_email: email,
        subject: tr.t(subject),
        body: b,
    };
    queue_account_letter(tx, now, settings, letter).await
}

/// Tells an account's owner that someone tried to sign up with their address. Sign-up answers
/// the same whether or not the address has an account; the owner hears of it here instead
/// (at most once an hour).
pub async fn sign_up_attempted(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    let (email, name, lang) = recipient(tx, account_id).await?;
    let tr = Tr::new(lang);
    let mut b = body(&tr, &name);
    b.paragraphs.push(tr.t("mail-signup-again-body"));
    let base = &settings.public_url;
    b.links
        .push((tr.t("mail-signup-again-sign-in"), format!("{base}/signin")));
    b.links.push((
        tr.t("mail-signup-again-reset"),
        format!("{base}/account/reset"),
    ));
    b.footer.push(tr.t("mail-not-you"));
    let letter = AccountLetter {
        kind: "account-sign-up-again",
        dedupe_key: Some(format!("sign-up-again:{account_id}:{}", now / HOUR_MS)),
        to_name: name,
        to_email: email,
        subject: tr.t("mail-signup-again-subject"),
        body: b,
    };
    queue_account_letter(tx, now, settings, letter).await
}

/// Answers a request for a sign-in or reset link for an address that has no account, so that
/// the request costs the same whether it has one or not (at most once a day per address).
pub async fn no_account(
    tx: &mut Tx,
    now: i64,
    settings: &Settings,
    email: &str,
    lang: Lang,
) -> Result<(), sqlx::Error> {
    let tr = Tr::new(lang);
    let mut b = body(&tr, "");
    b.paragraphs.push(tr.t("mail-no-account-body"));
    b.links.push((
        tr.t("mail-no-account-sign-up"),
        format!("{}/signup", settings.public_url),
    ));
    b.footer.push(tr.t("mail-not-you"));
    let letter = AccountLetter {
        kind: "account-none",
        dedupe_key: Some(format!("no-account:{email}:{}", now / (24 * HOUR_MS))),
        to_name: String::new(),
        to_email: email.to_string(),
        subject: tr.t("mail-no-account-subject"),
        body: b,
    };
    queue_account_letter(tx, now, settings, letter).await
}

const HOUR_MS: i64 = 3_600_000;
