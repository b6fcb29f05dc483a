//! Pieces shared by the JSON API: the body extractor, `Created` responses and the OpenAPI document.

use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::i18n::Msg;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi))
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
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
