//! What every answer passes through, in one layer: the visitor's language and CSRF token before
//! the handler; after it, the route's metrics, error answers made usable (`errors`), the CSRF
//! cookie, the language headers and the security headers. One layer instead of five: each layer
//! is a boxed future and a clone of the state per request, and the hottest routes (the tally)
//! spend as long in them as in the handler.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;

use crate::i18n;
use crate::state::AppState;
use crate::web::{csrf, errors, ops, security};

pub async fn envelope(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let lang = i18n::request_language(&jar, request.headers());
    request.extensions_mut().insert(lang);
    let token = csrf::token_for(&state, &jar, request.uri().path());
    if let Some(token) = &token {
        request.extensions_mut().insert(token.clone());
    }
    let context = errors::ErrorContext::of(&request, lang);
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();

    let response = next.run(request).await;
    // Counted as the handler answered, before an error becomes a page or a problem.
    ops::observe(
        &state,
        &method,
        route.as_ref(),
        response.status().as_u16(),
        started.elapsed(),
    );
    let mut response = errors::finish(context, token.as_ref(), response);
    csrf::set_cookie(&state, token, &mut response);
    i18n::mark_language(lang, response.headers_mut());
    security::apply(&state.settings, response.headers_mut());
    response
}
