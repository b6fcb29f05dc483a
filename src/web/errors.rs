//! Turns errors into what the caller can use: problem+json (RFC 9457) under `/api/`, a friendly
//! page in the visitor's language elsewhere. Unexpected errors are logged here with the request id
//! and shown without internals.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::ErrorInfo;
use crate::i18n::{Lang, Tr};
use crate::web::csrf::CsrfToken;
use crate::web::page::{PageCtx, render_status};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageCtx,
    status: u16,
    title: String,
    detail: Option<String>,
    fields: Vec<(String, Vec<String>)>,
    request_id: Option<String>,
}

/// What an error answer needs to know of its request, taken before the request is handed on
/// (cheap copies: the path and the request id share the request's buffers).
pub struct ErrorContext {
    is_api: bool,
    lang: Lang,
    here: axum::http::Uri,
    request_id: Option<HeaderValue>,
}

impl ErrorContext {
    pub fn of(request: &Request, lang: Lang) -> ErrorContext {
        ErrorContext {
            is_api: request.uri().path().starts_with("/api/"),
            lang,
            here: request.uri().clone(),
            request_id: request.headers().get("x-request-id").cloned(),
        }
    }
}

/// An error answer as the caller can use it: problem+json under `/api/`, else a page in the
/// visitor's language; any other answer as it is.
pub fn finish(context: ErrorContext, csrf: Option<&CsrfToken>, mut response: Response) -> Response {
    let ErrorContext {
        is_api,
        lang,
        here,
        request_id,
    } = context;
    let request_id = request_id
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = response.status();
    let info = match response.extensions_mut().remove::<ErrorInfo>() {
        Some(info) => info,
        None if is_bare_error(&response) => ErrorInfo::for_status(status),
        None => return response,
    };
    if let Some(cause) = &info.cause {
        tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), %cause, "unexpected error");
    }
    let tr = Tr::new(lang);
    let title = tr.t(info.title);
    let detail = info.detail.as_ref().map(|m| tr.msg(m));
    let fields: Vec<(String, Vec<String>)> = info
        .fields
        .0
        .iter()
        .map(|(field, msgs)| (field.clone(), msgs.iter().map(|m| tr.msg(m)).collect()))
        .collect();
    let mut fresh = if is_api {
        let mut body = json!({
            "type": "about:blank",
            "title": title,
            "status": status.as_u16(),
        });
        if let Some(detail) = &detail {
            body["detail"] = json!(detail);
        }
        if !fields.is_empty() {
            body["errors"] = json!(
                fields
                    .iter()
                    .cloned()
                    .collect::<std::collections::BTreeMap<_, _>>()
            );
        }
        if status.is_server_error() {
            body["instance"] = json!(request_id.as_deref().map(|id| format!("urn:request:{id}")));
        }
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else {
        let page = PageCtx {
            lang,
            tr,
            csrf: csrf.map(|t| t.value.clone()).unwrap_or_default(),
            user: None,
            here: here.path().to_string(),
        };
        let show_id = status.is_server_error().then_some(request_id).flatten();
        render_status(
            status,
            &ErrorPage {
                page,
                status: status.as_u16(),
                title,
                detail,
                fields,
                request_id: show_id,
            },
        )
    };
    // A refused body may still be on its way: close the connection so that no client sends its
    // next request down a socket the server stops reading (a broken pipe on their side).
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        fresh
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    // Keep headers such as Retry-After, Allow or Set-Cookie that the original response carried.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    fresh
}

/// A framework-made error (404 fallback, 405, 413, 408…) with a plain-text or empty body.
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || status == StatusCode::NOT_MODIFIED
    {
        return false;
    }
    match response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(ct) => ct.starts_with("text/plain"),
    }
}
