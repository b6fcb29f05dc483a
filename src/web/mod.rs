//! The thin web layer: router assembly, layout, errors, extractors, languages, static assets and
//! the middleware every request passes through. Features own their own routes.

pub mod api;
pub mod assets;
pub mod cache;
pub mod client_ip;
pub mod conn;
pub mod csrf;
pub mod envelope;
pub mod errors;
pub mod forms;
pub mod idempotency;
pub mod markdown;
pub mod ops;
pub mod page;
pub mod rate_limit;
pub mod security;
pub mod store;

pub use client_ip::ClientIp;

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lang/{code}", get(switch_language))
        .route("/static/{*path}", get(assets::serve))
        .merge(ops::router())
        .merge(api::router())
}

/// Percent-encodes a value for a query string.
pub fn percent_encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// A local path to go back to after a form; anything else (another site, `//evil`) becomes `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.len() <= 500
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The language switcher: remembers the choice in a cookie for a year and goes back.
async fn switch_language(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let Some(lang) = crate::i18n::Lang::from_code(&code).filter(|l| l.code() == code) else {
        return crate::error::Error::NotFound.into_response();
    };
    let cookie = Cookie::build((crate::i18n::LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let mut response = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/account?x=1")), "/account?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(percent_encode("/a b?c=d&e"), "%2Fa+b%3Fc%3Dd%26e");
    }
}
