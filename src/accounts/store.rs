//! Account queries.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Account, NewAccount, Role};
use crate::db::{Db, is_unique_violation, now_ms};
use crate::error::Error;
use crate::web::forms::{FieldErrors, Msg};

pub(crate) const COLUMNS: &str = "a.id, a.email, a.display_name, a.role, a.staff_country";

pub(crate) fn from_row(row: &AnyRow) -> Result<Account, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: role.parse().unwrap_or(Role::Host),
        staff_country: row.try_get("staff_country")?,
    })
}

/// Creates an account; an email already taken comes back as a field error.
pub async fn create(
    db: &Db,
    new: &NewAccount,
    role: Role,
    staff_country: Option<&str>,
) -> Result<i64, Error> {
    let hash = super::password::hash(new.password.clone()).await?;
    let result = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, role, staff_country, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&new.email)
    .bind(&new.display_name)
    .bind(&hash)
    .bind(role.as_str())
    .bind(staff_country)
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await;
    match result {
        Ok(row) => Ok(row.try_get(0)?),
        Err(err) if is_unique_violation(&err) => {
            let mut errors = FieldErrors::default();
            errors.add("email", Msg::new("email-taken"));
            Err(Error::Invalid(errors))
        }
        Err(err) => Err(err.into()),
    }
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
