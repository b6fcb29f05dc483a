//! Sign up, sign in, sign out and the account page (API tokens).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::auth::SignedIn;
use super::links::Purpose;
use super::{NewAccount, Role, parse_email, password, session, store, tokens};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::forms;
use crate::web::page::{PageCtx, render, render_status};
use crate::web::rate_limit::{self, SIGN_IN_PER_EMAIL, SIGN_IN_PER_IP, SIGN_UP_PER_IP};
use crate::web::{ClientIp, safe_next};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(sign_up_page).post(sign_up))
        .route("/signin", get(sign_in_page).post(sign_in))
        .route("/signout", post(sign_out))
        .route("/account", get(account_page))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .merge(super::by_mail::router())
        .merge(super::second_factor_pages::router())
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize, Default)]
struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/signup.html")]
struct SignUpPage {
    page: PageCtx,
    form: SignUpForm,
    errors: FieldErrors,
}

async fn sign_up_page(page: PageCtx, Query(q): Query<NextQuery>) -> Response {
    let form = SignUpForm {
        next: safe_next(q.next.as_deref()),
        ..Default::default()
    };
    render(&SignUpPage {
        page,
        form,
        errors: FieldErrors::default(),
    })
}

async fn sign_up(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    CsrfForm(form): CsrfForm<SignUpForm>,
) -> Result<Response> {
    let reshow = |page, mut form: SignUpForm, errors, status| {
        form.password.clear();
        render_status(status, &SignUpPage { page, form, errors })
    };
    if let Err(err) = rate_limit::hit(&state.db, &format!("signup-ip:{ip}"), SIGN_UP_PER_IP).await {
        return Ok(with_retry_after(err, |errors| {
            reshow(page, form, errors, StatusCode::TOO_MANY_REQUESTS)
        }));
    }
    let new = match NewAccount::parse(&form.email, &form.display_name, &form.password) {
        Ok(new) => new,
        Err(errors) => return Ok(reshow(page, form, errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    // The same answer, after the same work (a password hash, a message queued), whether or not
    // the address has an account: the page says "check your email", and the mail tells the
    // owner which it was. Nobody learns from sign-up who has an account.
    let now = state.db.now_ms();
    let mut tx = state.db.begin_write().await?;
    match store::create_in(&mut tx, now, &new, Role::Host, None, page.lang, false).await {
        Ok(id) => {
            crate::accounts::mail::send_link(
                &mut tx,
                now,
                &state.settings,
                id,
                Purpose::Verify,
                "/",
            )
            .await?;
            tracing::info!(account_id = id, "account created");
        }
        Err(Error::Invalid(_)) => {
            let taken = store::id_by_email(&mut tx, &new.email).await?;
            crate::accounts::mail::sign_up_attempted(&mut tx, now, &state.settings, taken).await?;
            tracing::info!(
                account_id = taken,
                "sign-up with an address that has an account"
            );
        }
        Err(err) => return Err(err),
    }
    tx.commit().await?;
    let mut response = render(&SignUpSent {
        page,
        email: new.email,
    });
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts/signup_sent.html")]
struct SignUpSent {
    page: PageCtx,
    email: String,
}

#[derive(Deserialize, Default)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/signin.html")]
struct SignInPage {
    page: PageCtx,
    form: SignInForm,
    errors: FieldErrors,
}

async fn sign_in_page(page: PageCtx, Query(q): Query<NextQuery>) -> Response {
    let form = SignInForm {
        next: safe_next(q.next.as_deref()),
        ..Default::default()
    };
    render(&SignInPage {
        page,
        form,
        errors: FieldErrors::default(),
    })
}

async fn sign_in(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    CsrfForm(mut form): CsrfForm<SignInForm>,
) -> Result<Response> {
    let password = std::mem::take(&mut form.password);
    let mut errors = FieldErrors::default();
    let email = parse_email(&mut errors, "email", &form.email);
    if password.is_empty() {
        errors.add("password", Msg::new("field-required"));
    }
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SignInPage { page, form, errors },
        ));
    }
    let limited = match rate_limit::hit(&state.db, &format!("signin-ip:{ip}"), SIGN_IN_PER_IP).await
    {
        Ok(()) => {
            rate_limit::hit(
                &state.db,
                &format!("signin-email:{email}"),
                SIGN_IN_PER_EMAIL,
            )
            .await
        }
        Err(err) => Err(err),
    };
    if let Err(err) = limited {
        return Ok(with_retry_after(err, |errors| {
            render_status(
                StatusCode::TOO_MANY_REQUESTS,
                &SignInPage { page, form, errors },
            )
        }));
    }
    let found = store::credentials(&state.db, &email).await?;
    let (account, hash) = match found {
        Some((account, hash)) => (Some(account), hash),
        None => (None, None),
    };
    let ok = password::verify(hash, password.chars().take(128).collect()).await;
    match account {
        Some(account) if ok => start_session(&state, account.id, &form.next).await,
        _ => {
            let mut errors = FieldErrors::default();
            errors.add("password", Msg::new("signin-failed"));
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SignInPage { page, form, errors },
            ))
        }
    }
}

/// Shows a rate limit on the form itself, with `Retry-After`.
pub(super) fn with_retry_after(
    err: Error,
    reshow: impl FnOnce(FieldErrors) -> Response,
) -> Response {
    match err {
        Error::RateLimited { retry_after_secs } => {
            let mut errors = FieldErrors::default();
            let minutes = retry_after_secs.div_ceil(60);
            errors.add("form", Msg::new("rate-limited").arg("minutes", minutes));
            let mut response = reshow(errors);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            response
        }
        other => other.into_response(),
    }
}

/// Signs in after a password, a mailed link or a reset: at once, or, for an account with a
/// second factor, once its code is given (`/signin/second-factor`).
pub(super) async fn start_session(
    state: &AppState,
    account_id: i64,
    next: &str,
) -> Result<Response> {
    let target = match safe_next(Some(next)).as_str() {
        "/" => "/account".to_string(),
        other => other.to_string(),
    };
    if super::second_factor::is_enabled(&state.db, account_id).await? {
        return super::second_factor_pages::ask_for_code(state, account_id, &target).await;
    }
    let token = session::create(&state.db, account_id, false).await?;
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::cookie(token, state.settings.secure_cookies),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct Empty {}

async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    if let Some(cookie) = jar.get(session::cookie_name(state.settings.secure_cookies)) {
        session::delete(&state.db, cookie.value()).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::clear_cookie(state.settings.secure_cookies),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    page: PageCtx,
    /// The signed-in account the page is about.
    user: Option<super::Account>,
    tokens: Vec<tokens::TokenRow>,
    new_token: Option<String>,
    token_label: String,
    errors: FieldErrors,
    /// Unconfirmed address: what to say about it.
    verification: Option<Msg>,
    verification_sent: bool,
}

impl AccountPage {
    fn role_name(&self) -> String {
        let Some(user) = &self.user else {
            return String::new();
        };
        match (user.role, &user.staff_country) {
            (Role::Staff, Some(cc)) => self.page.tr.t1(
                "role-staff-country",
                "country",
                crate::geo::country_name(cc, self.page.lang).unwrap_or(cc),
            ),
            (role, _) => self.page.tr.t(format!("role-{}", role.as_str())),
        }
    }
}

impl AccountPage {
    /// The page for `me`, with what the last action left to show.
    async fn load(
        state: &AppState,
        me: &super::Account,
        page: PageCtx,
        verification_sent: bool,
    ) -> Result<AccountPage> {
        let tokens = tokens::list(&state.db, me.id).await?;
        let (verified, _) = store::mail_facts(&state.db, me.id).await?;
        Ok(AccountPage {
            page,
            user: Some(me.clone()),
            tokens,
            new_token: None,
            token_label: String::new(),
            errors: FieldErrors::default(),
            verification: super::by_mail::verification_notice(verified, verification_sent),
            verification_sent,
        })
    }
}

#[derive(Deserialize, Default)]
struct AccountQuery {
    verification: Option<String>,
}

async fn account_page(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    Query(q): Query<AccountQuery>,
) -> Result<Response> {
    let sent = q.verification.as_deref() == Some("sent");
    Ok(render(&AccountPage::load(&state, &me, page, sent).await?))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    label: String,
}

async fn create_token(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    page: PageCtx,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let label = forms::line(&mut errors, "label", &form.label, 1, 60);
    // A token outlives the session that made it: only the proven owner of the address gets one.
    if !me.email_confirmed {
        errors.add("label", Msg::new("token-needs-confirmed-email"));
    }
    if !errors.is_empty() {
        let mut shown = AccountPage::load(&state, &me, page, false).await?;
        shown.token_label = form.label;
        shown.errors = errors;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &shown));
    }
    let token = tokens::issue(&state.db, me.id, &label).await?;
    let mut shown = AccountPage::load(&state, &me, page, false).await?;
    shown.new_token = Some(token);
    let mut response = render(&shown);
    // The token is shown once; keep it out of every cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response> {
    if !tokens::revoke(&state.db, me.id, id).await? {
        return Err(Error::NotFound);
    }
    state.tokens().revoked().await;
    Ok(Redirect::to("/account").into_response())
}
