//! Response headers every page gets. The CSP allows no inline script or style: templates link
//! their CSS and JS from /static. A route that must be framable (the embeddable counter) sets its
//! own `Content-Security-Policy` first and is left alone here. When the site is reached over
//! https, browsers are told to use nothing else for two years (HSTS), subdomains included.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Settings;
use crate::state::AppState;

const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The headers, with the server's content security policy.
pub fn defaults(settings: &Settings) -> impl Iterator<Item = (HeaderName, &str)> {
    let hsts = settings
        .secure_cookies
        .then_some((header::STRICT_TRANSPORT_SECURITY, HSTS));
    [
        (header::CONTENT_SECURITY_POLICY, settings.csp.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "geolocation=(self), camera=(), microphone=()",
        ),
    ]
    .into_iter()
    .chain(hsts)
}

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults = defaults(&state.settings);
    let framable = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    for (name, value) in defaults {
        if framable && name == header::X_FRAME_OPTIONS {
            continue;
        }
        if !headers.contains_key(&name)
            && let Ok(value) = HeaderValue::from_str(value)
        {
            headers.insert(name, value);
        }
    }
    response
}
