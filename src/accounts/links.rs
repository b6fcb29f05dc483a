//! One-time links sent by mail: confirming an email address, resetting a password, signing in
//! without one. The mail holds the token; the table holds its hash, when it expires and whether
//! it was used. Redeeming is one conditional UPDATE, so a link works once even when two clicks race.

use super::{random_token, secret_hash, store};
use crate::db::{Db, Tx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
    SignIn,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Verify => "verify",
            Purpose::Reset => "reset",
            Purpose::SignIn => "sign-in",
        }
    }

    /// Long enough to reach the inbox and be read; short where the link alone signs someone in.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::Verify => 7 * 24 * 3600 * 1000,
            Purpose::Reset => 3600 * 1000,
            Purpose::SignIn => 15 * 60 * 1000,
        }
    }

    /// The path the mail links to, token appended.
    pub fn path(self) -> &'static str {
        match self {
            Purpose::Verify => "/account/verify/",
            Purpose::Reset => "/account/reset/",
            Purpose::SignIn => "/signin/link/",
        }
    }
}

/// Creates a link in the caller's transaction (the one that queues its mail); returns the token.
pub async fn issue(
    tx: &mut Tx,
    now: i64,
    account_id: i64,
    purpose: Purpose,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    store::links::insert(
        tx,
        &secret_hash(&token),
        account_id,
        purpose.as_str(),
        now,
        now + purpose.lifetime_ms(),
    )
    .await?;
    Ok(token)
}

fn plausible(token: &str) -> bool {
    (20..=64).contains(&token.len())
}

/// The account a still-usable link belongs to, without using it up (to show its form).
pub async fn peek(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, sqlx::Error> {
    if !plausible(token) {
        return Ok(None);
    }
    store::links::usable(db, &secret_hash(token), purpose.as_str(), db.now_ms()).await
}

/// Uses the link up in the caller's transaction; `None` if it is unknown, used or expired.
/// Following any link proves the address, so it also marks the email confirmed.
pub async fn redeem(
    tx: &mut Tx,
    now: i64,
    token: &str,
    purpose: Purpose,
) -> Result<Option<i64>, sqlx::Error> {
    if !plausible(token) {
        return Ok(None);
    }
    let Some(account_id) =
        store::links::use_up(tx, now, &secret_hash(token), purpose.as_str()).await?
    else {
        return Ok(None);
    };
    // One link used spends its siblings: a sign-in or reset link spends every other sign-in and
    // reset link of the account (an old one lying in a mailbox is no way in), a confirmation
    // link the other confirmation links.
    let siblings: &[Purpose] = match purpose {
        Purpose::Verify => &[Purpose::Verify],
        Purpose::Reset | Purpose::SignIn => &[Purpose::Reset, Purpose::SignIn],
    };
    for sibling in siblings {
        store::links::use_up_all(tx, now, account_id, sibling.as_str()).await?;
    }
    store::links::confirm_email(tx, now, account_id).await?;
    Ok(Some(account_id))
}

/// Drops links that expired more than a day ago.
pub async fn purge_expired(db: &Db) -> Result<u64, sqlx::Error> {
    store::links::purge_expired(db, db.now_ms() - 24 * 3600 * 1000).await
}
