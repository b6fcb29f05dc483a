//! Extractors that say who is asking.
//!
//! - [`CurrentUser`]: the signed-in account, if any (HTML pages; session cookie).
//! - [`SignedIn`] / [`StaffUser`]: pages that need one; anonymous visitors are sent to sign in.
//! - [`ApiCaller`]: the API's bearer token. The API never takes the session cookie alone for writes.
//! - `web::page::PageCtx`: every page's context, with the signed-in account as its `Viewer`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::{Account, session};
use crate::error::Error;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;
use crate::web::csrf::CsrfToken;
use crate::web::page::{PageCtx, Viewer};

#[derive(Clone, Debug)]
pub struct CurrentUser(pub Option<Account>);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(known) = parts.extensions.get::<CurrentUser>() {
            return Ok(known.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let account = match jar.get(session::cookie_name(state.settings.secure_cookies)) {
            Some(cookie) if cookie.value().len() <= 64 => {
                session::lookup(&state.db, cookie.value()).await?
            }
            _ => None,
        };
        let user = CurrentUser(account);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// A page for signed-in people; others are redirected to the sign-in page and brought back.
pub struct SignedIn(pub Account);

pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next = crate::web::percent_encode(&self.0);
        Redirect::to(&format!("/signin?next={next}")).into_response()
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match user {
            Some(account) => Ok(SignedIn(account)),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(SignInFirst(next.to_string()).into_response())
            }
        }
    }
}

/// A page for staff and admins.
pub struct StaffUser(pub Account);

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(account) = SignedIn::from_request_parts(parts, state).await?;
        if account.is_staff() {
            Ok(StaffUser(account))
        } else {
            Err(Error::Forbidden.into_response())
        }
    }
}

/// The account behind `Authorization: Bearer <token>`; 401 without a live token.
pub struct ApiCaller(pub Account);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Error::Unauthorized)?;
        state
            .tokens()
            .authenticate(&state.db, token)
            .await?
            .map(ApiCaller)
            .ok_or(Error::Unauthorized)
    }
}

/// For API reads that show more to an owner or staff: the caller if a token was given.
pub struct MaybeApiCaller(pub Option<Account>);

impl FromRequestParts<AppState> for MaybeApiCaller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if !parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(MaybeApiCaller(None));
        }
        ApiCaller::from_request_parts(parts, state)
            .await
            .map(|ApiCaller(a)| MaybeApiCaller(Some(a)))
    }
}

/// Every page's context, with the visitor's session looked up once per request.
impl FromRequestParts<AppState> for PageCtx {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.value.clone())
            .unwrap_or_default();
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
            .to_string();
        Ok(PageCtx {
            lang,
            tr: Tr::new(lang),
            csrf,
            user: user.map(|a| Arc::new(a) as Arc<dyn Viewer>),
            here,
        })
    }
}

impl Viewer for Account {
    fn is_staff(&self) -> bool {
        Account::is_staff(self)
    }

    fn is_staff_for(&self, country: &str) -> bool {
        Account::is_staff_for(self, country)
    }

    fn can_manage_campaigns(&self) -> bool {
        Account::can_manage_campaigns(self)
    }
}
