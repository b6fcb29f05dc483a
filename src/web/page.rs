//! What every HTML page's layout needs: language, translator, CSRF token, who is signed in.

use std::sync::Arc;

use axum::response::{Html, IntoResponse, Response};

use crate::error::Error;
use crate::i18n::{FieldErrors, Lang, Msg, Tr};

/// The person signed in, as far as every page's layout goes. `accounts::Account` is the one
/// implementation, so the rules for staff powers stay in one place; `accounts` also extracts
/// `PageCtx` (it knows the session).
pub trait Viewer: Send + Sync {
    fn is_staff(&self) -> bool;
    /// Staff powers over things in `country`.
    fn is_staff_for(&self, country: &str) -> bool;
    /// May set up and change campaigns and cases.
    fn can_manage_campaigns(&self) -> bool;
}

pub struct PageCtx {
    pub lang: Lang,
    pub tr: Tr,
    pub csrf: String,
    pub user: Option<Arc<dyn Viewer>>,
    /// This page's path and query, so the language switcher can bring the visitor back.
    pub here: String,
}

impl PageCtx {
    pub fn asset(&self, name: &str) -> String {
        crate::web::assets::url(name)
    }

    /// Links to this page in each other language.
    pub fn other_languages(&self) -> Vec<(Lang, String)> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.lang)
            .map(|l| {
                let href = format!(
                    "/lang/{}?next={}",
                    l.code(),
                    super::percent_encode(&self.here)
                );
                (l, href)
            })
            .collect()
    }

    /// A country's name in the visitor's language (the code itself if unknown).
    pub fn country(&self, code: &str) -> String {
        crate::geo::country_name(code, self.lang)
            .unwrap_or(code)
            .to_string()
    }

    pub fn country_options(&self) -> Vec<(&'static str, &'static str)> {
        crate::geo::country_options(self.lang)
    }

    pub fn is_staff(&self) -> bool {
        self.user.as_ref().is_some_and(|a| a.is_staff())
    }

    /// Staff powers over things in `country` (see `accounts::Account::is_staff_for`).
    pub fn is_staff_for(&self, country: &str) -> bool {
        self.user.as_ref().is_some_and(|a| a.is_staff_for(country))
    }

    /// Whether to offer the links that set up campaigns and cases.
    pub fn can_manage_campaigns(&self) -> bool {
        self.user.as_ref().is_some_and(|a| a.can_manage_campaigns())
    }

    /// The field's messages, translated, for templates.
    pub fn field_errors(&self, errors: &FieldErrors, field: &str) -> Vec<String> {
        errors.get(field).iter().map(|m| self.tr.msg(m)).collect()
    }

    pub fn msg(&self, msg: &Msg) -> String {
        self.tr.msg(msg)
    }

    /// A date in the visitor's language, as CLDR writes it out: "10 December 2017".
    pub fn date<D: std::borrow::Borrow<chrono::NaiveDate>>(&self, date: D) -> String {
        crate::i18n::long_date(*date.borrow(), self.lang)
    }

    /// A timestamp (unix ms) as a date in UTC.
    pub fn date_ms(&self, ms: &i64) -> String {
        chrono::DateTime::from_timestamp_millis(*ms)
            .map(|t| self.date(t.date_naive()))
            .unwrap_or_default()
    }

    /// The translated name of a value from a fixed set: `label("kind", "community_centre")` is the
    /// message `kind-community-centre`.
    pub fn label(&self, prefix: &str, value: &str) -> String {
        self.tr.t(format!("{prefix}-{}", value.replace('_', "-")))
    }

    /// A whole number with the language's digit grouping (CLDR's): 1,900,000 / 1 900 000.
    pub fn number<N: std::borrow::Borrow<i64>>(&self, n: N) -> String {
        crate::i18n::group_digits(*n.borrow(), self.lang)
    }
}

/// Renders an askama template into an HTML response; a template failure is an internal error.
pub fn render<T: askama::Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => Error::Internal(anyhow::anyhow!("template: {err}")).into_response(),
    }
}

/// Renders with a status, e.g. 422 for a form shown again with its errors.
pub fn render_status<T: askama::Template>(
    status: axum::http::StatusCode,
    template: &T,
) -> Response {
    let mut response = render(template);
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    response
}
