//! The one error type of the application.
//!
//! Handlers return `Result<_, Error>`. Which variant to use:
//! - `Invalid(FieldErrors)` when the input parsed but some field values are not acceptable (422);
//!   HTML forms usually re-show themselves instead, with the same `FieldErrors`.
//! - `BadRequest` for input that does not parse at all (malformed JSON, wrong types) (400).
//! - `Unauthorized` / `Forbidden` / `NotFound`: 404 is also the answer for things that exist but
//!   that the caller may not know about (a private event), so it reveals nothing.
//! - `ForbiddenField(FieldErrors)`: 403 when a field's value asks for something the caller may
//!   not do (staff of one country moving an event to another); the fields say which and why.
//! - `Unavailable` when a service we depend on (the object store) failed: 503, the same request
//!   may work later.
//! - `Internal` for everything unexpected. Its cause is logged with the request id by
//!   [`crate::web::errors`] and never shown: the body says only that something went wrong.
//!
//! `into_response` only records *what* went wrong; the `web::errors` middleware turns that into a
//! problem+json body for the API or a friendly page in the visitor's language for the site.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::i18n::{FieldErrors, Msg};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("bad request")]
    BadRequest(Msg),
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("forbidden value")]
    ForbiddenField(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(Msg),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("the form has expired")]
    CsrfRejected,
    /// A service we depend on (the photos' object store) failed: 503, try again later.
    #[error("unavailable")]
    Unavailable(Msg),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Error::Internal(err.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the error middleware needs to render an error: carried in the response's extensions.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    /// Fluent id of the short title ("Page not found").
    pub title: &'static str,
    pub detail: Option<Msg>,
    pub fields: FieldErrors,
    /// For internal errors only: logged, never shown.
    pub cause: Option<Arc<String>>,
}

impl ErrorInfo {
    pub fn for_status(status: StatusCode) -> ErrorInfo {
        let title = match status.as_u16() {
            400 => "error-bad-request",
            401 => "error-unauthorized",
            403 => "error-forbidden",
            404 => "error-not-found",
            405 => "error-method-not-allowed",
            408 => "error-timeout",
            409 => "error-conflict",
            413 => "error-too-large",
            415 => "error-unsupported-media-type",
            422 => "error-invalid",
            429 => "error-rate-limited",
            503 => "error-unavailable",
            _ if status.is_client_error() => "error-bad-request",
            _ => "error-internal",
        };
        ErrorInfo {
            status,
            title,
            detail: None,
            fields: FieldErrors::default(),
            cause: None,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            Error::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let (status, detail, fields, cause) = match self {
            Error::BadRequest(msg) => (StatusCode::BAD_REQUEST, Some(msg), None, None),
            Error::Unauthorized => (StatusCode::UNAUTHORIZED, None, None, None),
            Error::Forbidden => (StatusCode::FORBIDDEN, None, None, None),
            Error::ForbiddenField(fields) => (StatusCode::FORBIDDEN, None, Some(fields), None),
            Error::NotFound => (StatusCode::NOT_FOUND, None, None, None),
            Error::Conflict(msg) => (StatusCode::CONFLICT, Some(msg), None, None),
            Error::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, None, None, None),
            Error::Invalid(fields) => (StatusCode::UNPROCESSABLE_ENTITY, None, Some(fields), None),
            Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, None, None, None),
            Error::CsrfRejected => (
                StatusCode::FORBIDDEN,
                Some(Msg::new("error-csrf")),
                None,
                None,
            ),
            Error::Unavailable(msg) => (StatusCode::SERVICE_UNAVAILABLE, Some(msg), None, None),
            Error::Internal(err) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                None,
                Some(Arc::new(format!("{err:#}"))),
            ),
        };
        let mut info = ErrorInfo::for_status(status);
        info.detail = detail;
        info.fields = fields.unwrap_or_default();
        info.cause = cause;
        let mut response = status.into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response.extensions_mut().insert(info);
        response
    }
}
