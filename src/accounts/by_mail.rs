//! What a link in the inbox does: confirm the address, reset a forgotten password, sign in without
//! one. Asking for a link never tells whether an account exists; following one that expired or was
//! used says so plainly and offers a new one. Links that sign someone in need a button press, so a
//! mail scanner that fetches every link cannot use them up.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::auth::SignedIn;
use super::links::{self, Purpose};
use super::routes::{start_session, with_retry_after};
use super::{parse_email, password, store};
use crate::error::Result;
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};
use crate::web::rate_limit::{self, Limit, SIGN_IN_PER_IP};
use crate::web::{ClientIp, safe_next};

/// Links mailed to one address: enough for a few retries, too few to flood an inbox.
const LINKS_PER_EMAIL: Limit = Limit {
    hits: 5,
    window_secs: 3600,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/verify", post(resend_verification))
        .route("/account/verify/{token}", get(verify))
        .route(
            "/account/reset",
            get(reset_request_page).post(reset_request),
        )
        .route("/account/reset/{token}", get(reset_page).post(reset))
        .route(
            "/signin/link",
            get(sign_in_request_page).post(sign_in_request),
        )
        .route("/signin/link/{token}", get(sign_in_page).post(sign_in))
}

#[derive(Template)]
#[template(path = "accounts/link_request.html")]
struct RequestPage {
    page: PageCtx,
    purpose: &'static str,
    email: String,
    /// Where a sign-in link leads once used.
    next: String,
    errors: FieldErrors,
    sent: bool,
}

impl RequestPage {
    /// `link-reset-title`, `link-sign-in-intro`…
    fn key(&self, part: &str) -> String {
        format!("link-{}-{part}", self.purpose)
    }

    fn action(&self) -> &'static str {
        if self.purpose == "reset" {
            "/account/reset"
        } else {
            "/signin/link"
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/link_message.html")]
struct MessagePage {
    page: PageCtx,
    title: &'static str,
    text: &'static str,
    /// Where to go next: (href, Fluent id of the label).
    next: Option<(&'static str, &'static str)>,
}

/// Pages that carry a one-time token stay out of caches and referrers.
fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn link_spent(page: PageCtx, purpose: Purpose) -> Response {
    let next = match purpose {
        Purpose::Verify => ("/account", "link-go-account"),
        Purpose::Reset => ("/account/reset", "link-ask-again"),
        Purpose::SignIn => ("/signin/link", "link-ask-again"),
    };
    private(render_status(
        StatusCode::GONE,
        &MessagePage {
            page,
            title: "link-spent-title",
            text: "link-spent-text",
            next: Some(next),
        },
    ))
}

async fn resend_verification(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    let (verified, _) = store::mail_facts(&state.db, me.id).await?;
    if !verified {
        rate_limit::hit(
            &state.db,
            &format!("link-email:{}", me.email),
            LINKS_PER_EMAIL,
        )
        .await?;
        let mut tx = state.db.begin_write().await?;
        crate::accounts::mail::send_link(
            &mut tx,
            state.db.now_ms(),
            &state.settings,
            me.id,
            Purpose::Verify,
            "/",
        )
        .await?;
        tx.commit().await?;
    }
    Ok(Redirect::to("/account?verification=sent").into_response())
}

async fn verify(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Result<Response> {
    let mut tx = state.db.begin_write().await?;
    let Some(account_id) =
        links::redeem(&mut tx, state.db.now_ms(), &token, Purpose::Verify).await?
    else {
        tx.rollback().await?;
        return Ok(link_spent(page, Purpose::Verify));
    };
    tx.commit().await?;
    tracing::info!(account_id, "email address confirmed");
    Ok(private(render(&MessagePage {
        page,
        title: "verified-title",
        text: "verified-text",
        next: Some(("/account", "link-go-account")),
    })))
}

#[derive(Deserialize, Default)]
struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
struct Empty {}

fn request_page(page: PageCtx, purpose: &'static str, next: Option<&str>) -> Response {
    render(&RequestPage {
        page,
        purpose,
        email: String::new(),
        next: safe_next(next),
        errors: FieldErrors::default(),
        sent: false,
    })
}

async fn reset_request_page(page: PageCtx) -> Response {
    request_page(page, "reset", None)
}

async fn sign_in_request_page(page: PageCtx, Query(q): Query<NextQuery>) -> Response {
    request_page(page, "sign-in", q.next.as_deref())
}

async fn reset_request(
    state: State<AppState>,
    page: PageCtx,
    ip: ClientIp,
    form: CsrfForm<EmailForm>,
) -> Result<Response> {
    mail_link(state, page, ip, form, Purpose::Reset).await
}

async fn sign_in_request(
    state: State<AppState>,
    page: PageCtx,
    ip: ClientIp,
    form: CsrfForm<EmailForm>,
) -> Result<Response> {
    mail_link(state, page, ip, form, Purpose::SignIn).await
}

/// Mails a link if the address has an account; answers the same either way.
async fn mail_link(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<EmailForm>,
    purpose: Purpose,
) -> Result<Response> {
    let name = if purpose == Purpose::Reset {
        "reset"
    } else {
        "sign-in"
    };
    let mut errors = FieldErrors::default();
    let email = parse_email(&mut errors, "email", &form.email);
    let next = safe_next(Some(&form.next));
    let reshow = |page, errors, status| {
        render_status(
            status,
            &RequestPage {
                page,
                purpose: name,
                email: form.email.clone(),
                next: next.clone(),
                errors,
                sent: false,
            },
        )
    };
    if !errors.is_empty() {
        return Ok(reshow(page, errors, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let limited = match rate_limit::hit(&state.db, &format!("link-ip:{ip}"), SIGN_IN_PER_IP).await {
        Ok(()) => rate_limit::hit(&state.db, &format!("link-email:{email}"), LINKS_PER_EMAIL).await,
        Err(err) => Err(err),
    };
    if let Err(err) = limited {
        return Ok(with_retry_after(err, |errors| {
            reshow(page, errors, StatusCode::TOO_MANY_REQUESTS)
        }));
    }
    // Both ways the same work, a transaction that queues one message, so that neither the
    // answer nor its time tells whether the address has an account.
    let now = state.db.now_ms();
    let account = store::find_by_email(&state.db, &email).await?;
    let mut tx = state.db.begin_write().await?;
    match &account {
        Some(account) => {
            crate::accounts::mail::send_link(
                &mut tx,
                now,
                &state.settings,
                account.id,
                purpose,
                &next,
            )
            .await?
        }
        None => {
            crate::accounts::mail::no_account(&mut tx, now, &state.settings, &email, page.lang)
                .await?
        }
    }
    tx.commit().await?;
    tracing::info!(
        account_id = account.as_ref().map(|a| a.id),
        purpose = purpose.as_str(),
        "link requested"
    );
    Ok(render(&RequestPage {
        page,
        purpose: name,
        email,
        next,
        errors: FieldErrors::default(),
        sent: true,
    }))
}

#[derive(Template)]
#[template(path = "accounts/new_password.html")]
struct NewPasswordPage {
    page: PageCtx,
    token: String,
    errors: FieldErrors,
}

async fn reset_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Result<Response> {
    if links::peek(&state.db, &token, Purpose::Reset)
        .await?
        .is_none()
    {
        return Ok(link_spent(page, Purpose::Reset));
    }
    Ok(private(render(&NewPasswordPage {
        page,
        token,
        errors: FieldErrors::default(),
    })))
}

#[derive(Deserialize, Default)]
struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

async fn reset(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<Response> {
    let Some(account_id) = links::peek(&state.db, &token, Purpose::Reset).await? else {
        return Ok(link_spent(page, Purpose::Reset));
    };
    let email = store::email_of(&state.db, account_id).await?;
    let mut errors = FieldErrors::default();
    password::check_new(&mut errors, "password", &form.password, &email);
    if !errors.is_empty() {
        return Ok(private(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NewPasswordPage {
                page,
                token,
                errors,
            },
        )));
    }
    let mut tx = state.db.begin_write().await?;
    // Redeemed in the same transaction as the change: a second submit finds the link used.
    if links::redeem(&mut tx, state.db.now_ms(), &token, Purpose::Reset).await? != Some(account_id)
    {
        tx.rollback().await?;
        return Ok(link_spent(page, Purpose::Reset));
    }
    store::set_password(&mut tx, state.db.now_ms(), account_id, &form.password).await?;
    tx.commit().await?;
    state.tokens().revoked().await;
    tracing::info!(
        account_id,
        "password reset; sessions ended and API tokens revoked"
    );
    start_session(&state, account_id, "/account").await
}

#[derive(Template)]
#[template(path = "accounts/sign_in_link.html")]
struct SignInLinkPage {
    page: PageCtx,
    token: String,
    next: String,
}

async fn sign_in_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    if links::peek(&state.db, &token, Purpose::SignIn)
        .await?
        .is_none()
    {
        return Ok(link_spent(page, Purpose::SignIn));
    }
    let next = safe_next(q.next.as_deref());
    Ok(private(render(&SignInLinkPage { page, token, next })))
}

#[derive(Deserialize, Default)]
struct SignInForm {
    #[serde(default)]
    next: String,
}

async fn sign_in(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response> {
    let mut tx = state.db.begin_write().await?;
    let Some(account_id) =
        links::redeem(&mut tx, state.db.now_ms(), &token, Purpose::SignIn).await?
    else {
        tx.rollback().await?;
        return Ok(link_spent(page, Purpose::SignIn));
    };
    tx.commit().await?;
    tracing::info!(account_id, "signed in by link");
    start_session(&state, account_id, &form.next).await
}

/// The account page's line about the address.
pub fn verification_notice(verified: bool, just_sent: bool) -> Option<Msg> {
    match (verified, just_sent) {
        (true, _) => None,
        (false, true) => Some(Msg::new("verify-sent")),
        (false, false) => Some(Msg::new("verify-pending")),
    }
}
