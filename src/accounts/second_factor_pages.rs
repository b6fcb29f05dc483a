//! The second factor's pages: setting one up on the account page (QR code, the secret as text
//! and an `otpauth://` link for the phone that holds the authenticator, then a first code), and
//! the step after the password where its code is asked for.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::auth::SignedIn;
use super::second_factor::{self, Enrolment};
use super::session;
use crate::error::Result;
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};
use crate::web::rate_limit::{self, Limit};

/// Codes tried for one account: five in fifteen minutes (a million codes, three valid at a time).
const CODES_PER_ACCOUNT: Limit = Limit {
    hits: 5,
    window_secs: 900,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signin/second-factor", get(code_page).post(code_given))
        .route("/account/second-factor", get(enrol_page).post(enrolled))
}

fn pending_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-pending-sign-in"
    } else {
        "pending-sign-in"
    }
}

fn pending_cookie(value: String, secure: bool, max_age_secs: i64) -> HeaderValue {
    let cookie = Cookie::build((pending_cookie_name(secure), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie is ASCII")
}

fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The password (or link) was right and the account has a second factor: remember the sign-in
/// for five minutes and ask for the code.
pub(super) async fn ask_for_code(
    state: &AppState,
    account_id: i64,
    next: &str,
) -> Result<Response> {
    let token = second_factor::pend(&state.db, account_id, next).await?;
    let mut response = Redirect::to("/signin/second-factor").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        pending_cookie(token, state.settings.secure_cookies, 300),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts/second_factor_code.html")]
struct CodePage {
    page: PageCtx,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn pending_of(state: &AppState, jar: &CookieJar) -> Result<Option<(String, i64, String)>> {
    let Some(cookie) = jar.get(pending_cookie_name(state.settings.secure_cookies)) else {
        return Ok(None);
    };
    let token = cookie.value().to_string();
    Ok(second_factor::pending(&state.db, &token)
        .await?
        .map(|(id, next)| (token, id, next)))
}

async fn code_page(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
) -> Result<Response> {
    if pending_of(&state, &jar).await?.is_none() {
        return Ok(Redirect::to("/signin").into_response());
    }
    Ok(private(render(&CodePage {
        page,
        errors: FieldErrors::default(),
    })))
}

async fn code_given(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response> {
    let Some((token, account_id, next)) = pending_of(&state, &jar).await? else {
        return Ok(Redirect::to("/signin").into_response());
    };
    let refuse = |page, msg: &'static str, status| {
        let mut errors = FieldErrors::default();
        errors.add("code", Msg::new(msg));
        private(render_status(status, &CodePage { page, errors }))
    };
    if rate_limit::hit(
        &state.db,
        &format!("second-factor:{account_id}"),
        CODES_PER_ACCOUNT,
    )
    .await
    .is_err()
    {
        return Ok(refuse(
            page,
            "second-factor-too-many",
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    if !second_factor::accept(&mut tx, now, account_id, &form.code, false).await? {
        tx.rollback().await?;
        return Ok(refuse(
            page,
            "second-factor-wrong",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    second_factor::finish(&mut tx, &token).await?;
    tx.commit().await?;
    let session = session::create(&state.db, account_id, true).await?;
    tracing::info!(account_id, "signed in with a second factor");
    let secure = state.settings.secure_cookies;
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session::cookie(session, secure));
    headers.append(header::SET_COOKIE, pending_cookie(String::new(), secure, 0));
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts/second_factor_enrol.html")]
struct EnrolPage {
    page: PageCtx,
    /// `None` once a second factor is on.
    enrolment: Option<Enrolment>,
    /// Shown once, right after a first code turned the factor on.
    recovery_codes: Vec<String>,
    errors: FieldErrors,
}

async fn enrol_page(
    State(state): State<AppState>,
    page: PageCtx,
    SignedIn(me): SignedIn,
) -> Result<Response> {
    let enrolment = if second_factor::is_enabled(&state.db, me.id).await? {
        None
    } else {
        Some(second_factor::enrolment(&state.db, me.id, &me.email).await?)
    };
    Ok(private(render(&EnrolPage {
        page,
        enrolment,
        recovery_codes: Vec::new(),
        errors: FieldErrors::default(),
    })))
}

async fn enrolled(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    SignedIn(me): SignedIn,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response> {
    let wrong = |page, enrolment, msg: &'static str, status| {
        let mut errors = FieldErrors::default();
        errors.add("code", Msg::new(msg));
        private(render_status(
            status,
            &EnrolPage {
                page,
                enrolment,
                recovery_codes: Vec::new(),
                errors,
            },
        ))
    };
    if rate_limit::hit(
        &state.db,
        &format!("second-factor:{}", me.id),
        CODES_PER_ACCOUNT,
    )
    .await
    .is_err()
    {
        let enrolment = second_factor::enrolment(&state.db, me.id, &me.email).await?;
        return Ok(wrong(
            page,
            Some(enrolment),
            "second-factor-too-many",
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    if !second_factor::accept(&mut tx, now, me.id, &form.code, true).await? {
        tx.rollback().await?;
        let enrolment = if second_factor::is_enabled(&state.db, me.id).await? {
            None
        } else {
            Some(second_factor::enrolment(&state.db, me.id, &me.email).await?)
        };
        return Ok(wrong(
            page,
            enrolment,
            "second-factor-wrong",
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let recovery_codes = second_factor::new_recovery_codes(&mut tx, me.id).await?;
    tx.commit().await?;
    // This sign-in has now shown the second factor too: staff rights from the next page on.
    if let Some(cookie) = jar.get(session::cookie_name(state.settings.secure_cookies)) {
        session::add_second_factor(&state.db, cookie.value()).await?;
    }
    tracing::info!(account_id = me.id, "second factor turned on");
    Ok(private(render(&EnrolPage {
        page,
        enrolment: None,
        recovery_codes,
        errors: FieldErrors::default(),
    })))
}
