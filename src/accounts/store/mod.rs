//! Account queries; sessions, API tokens, one-time links and the second factor have their own
//! files.

pub mod links;
pub mod second_factor;
pub mod sessions;
pub mod tokens;

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Account, NewAccount, Role};
use crate::db::{Db, Tx, is_unique_violation};
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::{FieldErrors, Msg};

pub(crate) const COLUMNS: &str = "a.id, a.email, a.display_name, a.role, a.staff_country, \
     CASE WHEN a.email_verified_at IS NULL THEN 0 ELSE 1 END AS email_confirmed";

pub(crate) fn from_row(row: &AnyRow) -> Result<Account, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: role.parse().unwrap_or(Role::Host),
        staff_country: row.try_get("staff_country")?,
        email_confirmed: row.try_get::<i32, _>("email_confirmed")? != 0,
        needs_second_factor: false,
    })
}

/// Creates an account made by an operator (`writeathon user add`, tests): its address counts as
/// confirmed. An email already taken comes back as a field error.
pub async fn create(
    db: &Db,
    new: &NewAccount,
    role: Role,
    staff_country: Option<&str>,
) -> Result<i64, Error> {
    let mut tx = db.begin_write().await?;
    let id = create_in(
        &mut tx,
        db.now_ms(),
        new,
        role,
        staff_country,
        Lang::default(),
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates an account in the caller's transaction (sign-up queues its confirmation mail in it).
pub async fn create_in(
    tx: &mut Tx,
    now: i64,
    new: &NewAccount,
    role: Role,
    staff_country: Option<&str>,
    language: Lang,
    verified: bool,
) -> Result<i64, Error> {
    let hash = crate::accounts::password::hash(new.password.clone()).await?;
    // A savepoint, so a taken email leaves the caller's transaction usable on PostgreSQL.
    let mut sp = sqlx::Connection::begin(&mut **tx).await?;
    let result = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, role, staff_country, language, \
         email_verified_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.display_name)
    .bind(&hash)
    .bind(role.as_str())
    .bind(staff_country)
    .bind(language.code())
    .bind(verified.then_some(now))
    .bind(now)
    .fetch_one(&mut *sp)
    .await;
    match result {
        Ok(row) => {
            sp.commit().await?;
            Ok(row.try_get(0)?)
        }
        Err(err) if is_unique_violation(&err) => {
            sp.rollback().await?;
            let mut errors = FieldErrors::default();
            errors.add("email", Msg::new("email-taken"));
            Err(Error::Invalid(errors))
        }
        Err(err) => Err(err.into()),
    }
}

/// The id of the account with this (lower-cased) address, created first when there is none:
/// without a password and unconfirmed, so nobody can sign in as it (the demo's and the
/// benchmark's hosts). An existing account is left as it is.
pub async fn ensure_without_password(
    tx: &mut Tx,
    now: i64,
    email: &str,
    display_name: &str,
    role: Role,
    language: Lang,
) -> Result<i64, sqlx::Error> {
    let created = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, role, language, created_at) \
         VALUES ($1, $2, NULL, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(role.as_str())
    .bind(language.code())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    match created {
        Some(row) => row.try_get(0),
        None => id_by_email(tx, email).await,
    }
}

/// The id of the account with this (lower-cased) address, in the caller's transaction.
pub async fn id_by_email(tx: &mut Tx, email: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT id FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}

/// Whether the account's address was confirmed, and the language its mail is written in.
pub async fn mail_facts(db: &Db, id: i64) -> Result<(bool, Lang), sqlx::Error> {
    let row = sqlx::query("SELECT email_verified_at, language FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let verified: Option<i64> = row.try_get(0)?;
    let lang = Lang::from_code(&row.try_get::<String, _>(1)?).unwrap_or_default();
    Ok((verified.is_some(), lang))
}

/// Sets a new password and signs the account out everywhere (after a reset).
/// A new password: whoever held the old one (or a session or token made with it) is out. Every
/// session is ended and every API token revoked; the caller tells the token caches
/// ([`crate::accounts::tokens::TokenCache::revoked`]) once this commits.
pub async fn set_password(tx: &mut Tx, now: i64, id: i64, password: &str) -> Result<(), Error> {
    let hash = crate::accounts::password::hash(password.to_string()).await?;
    sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account's address.
pub async fn email_of(db: &Db, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
}

/// Where the account's mail goes: its address, name and language (as stored).
#[derive(sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub display_name: String,
    pub language: String,
}

impl Recipient {
    /// The language its mail is written in.
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }
}

/// The account's address, name and language, in the caller's transaction.
pub async fn recipient(tx: &mut Tx, id: i64) -> Result<Recipient, sqlx::Error> {
    sqlx::query_as("SELECT email, display_name, language FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<Account>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM accounts a WHERE a.email = $1");
    let row = sqlx::query(&sql)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The account and its password hash, for signing in.
pub async fn credentials(
    db: &Db,
    email: &str,
) -> Result<Option<(Account, Option<String>)>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS}, a.password_hash FROM accounts a WHERE a.email = $1");
    let row = sqlx::query(&sql)
        .bind(email.trim().to_lowercase())
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some(row) => Ok(Some((from_row(&row)?, row.try_get("password_hash")?))),
        None => Ok(None),
    }
}

impl Error {
    /// For the command line: field errors in English, anything else as it is.
    pub fn describe_in_english(&self) -> String {
        match self {
            Error::Invalid(fields) => fields.describe_in_english(),
            other => format!("{other:#}"),
        }
    }
}
