//! CSRF protection for the HTML forms: a double-submit token.
//!
//! Every page visit carries a random token in an HttpOnly, SameSite=Lax cookie; every form repeats it
//! in a hidden `csrf` field, and [`CsrfForm`] refuses a POST whose field does not match the cookie.
//! Another site can make the browser send the cookie but cannot read it to fill in the field.
//! Requests that say they come from another site (`Sec-Fetch-Site: cross-site`) are refused too.
//! Over https the cookie is `__Host-csrf`, which no other host under the domain can set (a
//! token planted by a sibling host would let it forge the field).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::forms::CsrfOnly;

fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-csrf" } else { "csrf" }
}

/// The token for this request, with whether it came from the visitor's cookie.
#[derive(Clone, Debug)]
pub struct CsrfToken {
    pub value: String,
    from_cookie: bool,
}

fn well_formed(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The visitor's token for this request: theirs from the cookie, or a new one. None for the API,
/// which takes bearer tokens, not cookies, and renders no forms (no 32 bytes drawn from the
/// operating system's random source, no cookie).
pub fn token_for(state: &AppState, jar: &CookieJar, path: &str) -> Option<CsrfToken> {
    if path.starts_with("/api/") {
        return None;
    }
    let existing = jar
        .get(cookie_name(state.settings.secure_cookies))
        .map(|c| c.value().to_string())
        .filter(|v| well_formed(v));
    Some(match existing {
        Some(value) => CsrfToken {
            value,
            from_cookie: true,
        },
        None => CsrfToken {
            value: crate::secret::random_token(),
            from_cookie: false,
        },
    })
}

/// Sets the cookie of a new token on a page (only pages carry forms; API answers, assets and the
/// embeddable counter set no cookie).
pub fn set_cookie(state: &AppState, token: Option<CsrfToken>, response: &mut Response) {
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
        && response.headers_mut().remove("x-no-csrf-cookie").is_none();
    let Some(token) = token.filter(|t| !t.from_cookie && is_page) else {
        return;
    };
    let cookie = Cookie::build((cookie_name(state.settings.secure_cookies), token.value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .build();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// A URL-encoded form whose `csrf` field matched the visitor's cookie.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Error> {
        let cross_site = request
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site");
        let token = request.extensions().get::<CsrfToken>().cloned();
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(Error::BadRequest(Msg::new("error-form-malformed")));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| Error::PayloadTooLarge)?;
        let sent: CsrfOnly = serde_urlencoded::from_bytes(&body)
            .map_err(|_| Error::BadRequest(Msg::new("error-form-malformed")))?;
        let valid = match token {
            Some(token) => {
                token.from_cookie
                    && !cross_site
                    && constant_time_eq(token.value.as_bytes(), sent.csrf.as_bytes())
            }
            None => false,
        };
        if !valid {
            return Err(Error::CsrfRejected);
        }
        let form = serde_urlencoded::from_bytes(&body)
            .map_err(|_| Error::BadRequest(Msg::new("error-form-malformed")))?;
        Ok(CsrfForm(form))
    }
}

/// Whether a token sent in a form read another way than [`CsrfForm`] (a multipart upload, whose
/// first field is the token) matches the visitor's cookie.
pub fn matches(token: Option<&CsrfToken>, cross_site: bool, sent: &str) -> bool {
    token.is_some_and(|t| {
        t.from_cookie && !cross_site && constant_time_eq(t.value.as_bytes(), sent.as_bytes())
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
