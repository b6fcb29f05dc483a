//! Pieces shared by the JSON API: the body extractor, `Created` responses and the OpenAPI document.

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::Error;
use crate::i18n::Msg;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

/// `openapi.json` with its language lists (each `enum` of the site's language codes) made the
/// languages of `locales/`, so the document never lags behind a language added as a folder; the
/// rest of the text is served as written.
fn openapi_document() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| language_enums(include_str!("openapi.json")))
}

fn language_enums(text: &str) -> String {
    const OPEN: &str = "\"enum\": [";
    let codes = crate::i18n::Lang::ALL
        .map(|l| format!("\"{}\"", l.code()))
        .join(", ");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let body_start = start + OPEN.len();
        let Some(len) = rest[body_start..].find(']') else {
            break;
        };
        let body = &rest[body_start..body_start + len];
        let values: Vec<&str> = body
            .split(',')
            .map(|v| v.trim().trim_matches('"'))
            .collect();
        let languages = values.len() > 1
            && values
                .iter()
                .all(|v| crate::i18n::Lang::from_code(v).is_some_and(|l| l.code() == *v));
        out.push_str(&rest[..body_start]);
        out.push_str(if languages { &codes } else { body });
        rest = &rest[body_start + len..];
    }
    out.push_str(rest);
    out
}

/// A JSON body; anything that does not parse becomes a problem+json 400 (or 413/415), never a 500.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Error> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
                StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                    Error::BadRequest(Msg::new("error-json-content-type"))
                }
                _ => Error::BadRequest(
                    Msg::new("error-json").arg("reason", json_reason(&rejection.body_text())),
                ),
            }),
        }
    }
}

/// For a body field that may be left out but, when sent, needs a value (`#[serde(default,
/// deserialize_with = "present")]`): a `null` is refused like any other wrong type (400) instead of
/// being taken silently for "left out", as the OpenAPI document says.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A whole number as JSON Schema counts them (`12`, and `12.0` too), for a body field typed
/// `integer` in the OpenAPI document; a fraction is refused like a wrong type (400).
pub fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(deserializer)?;
    whole_number(&n).ok_or_else(|| {
        serde::de::Error::custom(format_args!("`{n}` is not a whole number in range"))
    })
}

/// [`whole`] for a field that may also be `null` or left out (`#[serde(default, …)]`).
pub fn whole_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(deserializer)? {
        None => Ok(None),
        Some(n) => whole_number(&n).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format_args!("`{n}` is not a whole number in range"))
        }),
    }
}

/// `n` as an i64 when it has no fractional part; floats only within the range where every
/// whole number is exact (±2^53).
pub fn whole_number(n: &serde_json::Number) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= EXACT)
            .map(|f| f as i64)
    })
}

/// serde's message names the field and the expected type; keep it short.
fn json_reason(text: &str) -> String {
    let reason = text.rsplit(": ").next().unwrap_or(text);
    reason.chars().take(200).collect()
}

/// 201 with the body and a `Location` header.
pub fn created<T: Serialize>(location: String, body: &T) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}
