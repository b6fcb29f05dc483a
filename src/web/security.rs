//! Response headers every page gets. The CSP allows no inline script or style: templates link
//! their CSS and JS from /static. A route that must be framable (the embeddable counter) sets its
//! own `Content-Security-Policy` first and is left alone here. When the site is reached over
//! https, browsers are told to use nothing else for two years (HSTS), subdomains included.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};

use crate::config::Settings;

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

/// Adds the headers an answer does not set itself (a framable one keeps its own CSP and may be
/// framed).
pub fn apply(settings: &Settings, headers: &mut HeaderMap) {
    let framable = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    for (name, value) in defaults(settings) {
        if framable && name == header::X_FRAME_OPTIONS {
            continue;
        }
        if !headers.contains_key(&name)
            && let Ok(value) = HeaderValue::from_str(value)
        {
            headers.insert(name, value);
        }
    }
}
