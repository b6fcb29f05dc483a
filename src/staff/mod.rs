//! The staff console: what a country office runs its campaign from. The events that ended with no
//! report and a reminder to their hosts (`unreported`), the data as CSV for the office's own
//! systems (`exports`), and the audit trail's page and API (`audit_pages`). Everything here is
//! scoped: staff of one country see their country only (another country's is "not found"),
//! admins and staff of every country see all of it and may narrow it to one country.

pub mod audit_pages;
pub mod chart;
pub mod csv;
pub mod dashboard;
pub mod exports;
pub mod figures;
pub mod store;
pub mod unreported;
pub mod webhook_pages;
pub mod webhooks;

use axum::Router;

use crate::accounts::{Account, Role};
use crate::campaigns::Campaign;
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Lang, Msg};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(unreported::router())
        .merge(exports::router())
        .merge(audit_pages::router())
        .merge(dashboard::router())
        .merge(webhooks::router())
        .merge(webhook_pages::router())
}

/// The query string as pairs, for the checks below (unknown and repeated names are refused).
pub type Params = Vec<(String, String)>;

/// Whether `me` sees every country (admins, staff of every country).
pub fn sees_all(me: &Account) -> bool {
    me.role == Role::Admin || (me.role == Role::Staff && me.staff_country.is_none())
}

/// The one country `me` reads, from the `country` they asked for: staff of one country always
/// read theirs (asking for another is "not found": it is not theirs to know about); those who
/// see all read all (`None`) or the country asked for. An unknown country code is a field error.
pub fn country_scope(me: &Account, asked: Option<&str>) -> Result<Option<String>> {
    let asked = asked.map(str::trim).filter(|c| !c.is_empty());
    if let Some(code) = asked
        && crate::geo::country_name(code, Lang::FALLBACK).is_none()
    {
        let mut errors = FieldErrors::default();
        errors.add("country", Msg::new("staff-error-country"));
        return Err(Error::Invalid(errors));
    }
    if sees_all(me) {
        return Ok(asked.map(str::to_string));
    }
    let Some(own) = me.staff_country.as_deref().filter(|_| me.is_staff()) else {
        return Err(Error::Forbidden);
    };
    match asked {
        Some(code) if code != own => Err(Error::NotFound),
        _ => Ok(Some(own.to_string())),
    }
}

/// Refuses anyone without staff powers (hosts, a staff session still waiting for its second
/// factor) with 403.
pub fn require_staff(me: &Account) -> Result<()> {
    if me.is_staff() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The campaign named by `slug`, or "not found".
pub async fn campaign(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    crate::campaigns::store::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

/// The value of `name` if given once; a repeated name is a field error.
pub fn param<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>> {
    let mut found = params
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        let mut errors = FieldErrors::default();
        errors.add(name, Msg::new("staff-error-repeated"));
        return Err(Error::Invalid(errors));
    }
    Ok(first)
}

/// Refuses a query string with names other than `known` (a filter that does not exist would
/// otherwise be silently ignored and the answer taken for a filtered one).
pub fn only_known(params: &Params, known: &[&str]) -> Result<()> {
    let mut errors = FieldErrors::default();
    for (name, _) in params {
        if !known.contains(&name.as_str()) {
            errors.add(name, Msg::new("staff-error-unknown-filter"));
        }
    }
    errors.into_result().map_err(Error::Invalid)
}
