//! The pages of online actions: the form ("act on all cases" chooses several at once; the case
//! page carries the same form for its one case), its answer, and the confirmation link's page
//! (GET shows what it confirms and a button; POST confirms, so mail scanners count nothing).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{ActionFields, Confirmed, abuse, store};
use crate::campaigns::{Campaign, Case, store as campaigns};
use crate::error::{Error, Result};
use crate::i18n::{FieldErrors, Msg};
use crate::state::AppState;
use crate::web::client_ip::ClientIp;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{campaign}/act", get(act_page).post(act_form))
        .route(
            "/actions/confirm/{token}",
            get(confirm_page).post(confirm_form),
        )
}

#[derive(Template)]
#[template(path = "actions/act.html")]
struct ActPage {
    page: PageCtx,
    campaign: Campaign,
    /// The cases open for actions, and whether each is ticked.
    cases: Vec<(Case, bool)>,
    fields: ActionFields,
    errors: FieldErrors,
    /// None when no case takes actions any more.
    open: bool,
    /// A challenge to solve before sending (JSON), when one is due.
    challenge: Option<String>,
}

#[derive(Deserialize)]
struct ActQuery {
    case: Option<String>,
}

/// The country an action form starts with: the region of the browser's language, if any.
fn default_country(headers: &HeaderMap) -> String {
    crate::geo::country_from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
    .unwrap_or_default()
    .to_string()
}

async fn campaign_and_open_cases(
    state: &AppState,
    slug: &str,
    page: &PageCtx,
) -> Result<(Campaign, Vec<Case>)> {
    let campaign = campaigns::by_slug(&state.db, slug, page.lang)
        .await?
        .ok_or(Error::NotFound)?;
    let today = state.db.clock.now().date_naive();
    let cases = campaigns::cases(&state.db, campaign.id, page.lang)
        .await?
        .into_iter()
        .filter(|c| c.takes_actions(&campaign, today))
        .collect();
    Ok((campaign, cases))
}

async fn act_page(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(q): Query<ActQuery>,
) -> Result<Response> {
    let (campaign, cases) = campaign_and_open_cases(&state, &slug, &page).await?;
    let cases = cases
        .into_iter()
        .map(|c| {
            let ticked = q.case.as_deref().is_none_or(|s| s == c.slug);
            (c, ticked)
        })
        .collect::<Vec<_>>();
    let challenge = match abuse::due(&state, ip).await {
        true => Some(abuse::challenge(&state).await?),
        false => None,
    };
    let open = !cases.is_empty();
    Ok(render(&ActPage {
        page,
        campaign,
        cases,
        fields: ActionFields {
            country: default_country(&headers),
            ..Default::default()
        },
        errors: FieldErrors::default(),
        open,
        challenge,
    }))
}

#[derive(Template)]
#[template(path = "actions/check_email.html")]
struct CheckEmail {
    page: PageCtx,
    campaign: Campaign,
}

async fn act_form(
    State(state): State<AppState>,
    page: PageCtx,
    ClientIp(ip): ClientIp,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response> {
    let (campaign, open_cases) = campaign_and_open_cases(&state, &slug, &page).await?;
    let value = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let fields = ActionFields {
        name: value("name").unwrap_or_default(),
        email: value("email").unwrap_or_default(),
        country: value("country").unwrap_or_default(),
        message: value("message"),
        updates: Some(value("updates").is_some()),
        language: None,
    };
    let chosen: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == "case")
        .map(|(_, v)| v.as_str())
        .collect();
    if open_cases.is_empty() {
        return Ok(closed_page(page, campaign));
    }
    let cases: Vec<Case> = open_cases
        .iter()
        .filter(|c| chosen.contains(&c.slug.as_str()))
        .cloned()
        .collect();
    let solution = value("altcha");
    let outcome = if cases.is_empty() {
        let mut errors = FieldErrors::default();
        errors.add("case", Msg::new("action-choose-case"));
        Err(Error::Invalid(errors))
    } else {
        super::take(
            &state,
            &campaign,
            &cases,
            &fields,
            solution.as_deref(),
            page.lang,
            ip,
        )
        .await
    };
    match outcome {
        Ok(()) => {
            let mut response = render(&CheckEmail { page, campaign });
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
            Ok(response)
        }
        Err(err @ (Error::Invalid(_) | Error::RateLimited { .. })) => {
            let (status, errors) = match err {
                Error::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
                _ => {
                    let mut errors = FieldErrors::default();
                    errors.add("form", abuse::slow_down());
                    (StatusCode::TOO_MANY_REQUESTS, errors)
                }
            };
            // A challenge for the next try when one is due (or was what was missing).
            let challenge = match abuse::due(&state, ip).await || status.as_u16() == 429 {
                true if state.settings.action_challenge != crate::config::ActionChallenge::Off => {
                    Some(abuse::challenge(&state).await?)
                }
                _ => None,
            };
            let cases = open_cases
                .into_iter()
                .map(|c| {
                    let ticked = chosen.contains(&c.slug.as_str());
                    (c, ticked)
                })
                .collect();
            Ok(render_status(
                status,
                &ActPage {
                    page,
                    campaign,
                    cases,
                    fields,
                    errors,
                    open: true,
                    challenge,
                },
            ))
        }
        Err(Error::Conflict(_)) => Ok(closed_page(page, campaign)),
        Err(err) => Err(err),
    }
}

fn closed_page(page: PageCtx, campaign: Campaign) -> Response {
    render_status(
        StatusCode::CONFLICT,
        &ActPage {
            page,
            campaign,
            cases: Vec::new(),
            fields: ActionFields::default(),
            errors: FieldErrors::default(),
            open: false,
            challenge: None,
        },
    )
}

/// What a confirmation link's page says.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkState {
    /// Waiting for the button.
    Ready,
    Counted,
    AlreadyCounted,
    Expired,
    Unknown,
}

impl LinkState {
    fn as_str(self) -> &'static str {
        match self {
            LinkState::Ready => "ready",
            LinkState::Counted => "counted",
            LinkState::AlreadyCounted => "already",
            LinkState::Expired => "expired",
            LinkState::Unknown => "unknown",
        }
    }
}

#[derive(Template)]
#[template(path = "actions/confirm.html")]
struct ConfirmPage {
    page: PageCtx,
    state: LinkState,
    token: String,
    /// The signer's name and the cases the link confirms (only while it is ready).
    name: String,
    cases: Vec<String>,
}

async fn confirm_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Result<Response> {
    let now = state.db.now_ms();
    let (link_state, name, cases) = match store::link(&state.db, &super::link_key(&token)).await? {
        None => (LinkState::Unknown, String::new(), Vec::new()),
        Some((_, _, _, Some(_))) => (LinkState::AlreadyCounted, String::new(), Vec::new()),
        Some((_, _, sent, None)) if sent <= now - super::PENDING_FOR_MS => {
            (LinkState::Expired, String::new(), Vec::new())
        }
        Some((email, campaign_id, sent, None)) => {
            let waiting = store::awaiting(
                &state.db,
                &email,
                campaign_id,
                sent + super::REMAIL_EVERY_MS,
            )
            .await?;
            let names: std::collections::HashMap<i64, String> =
                campaigns::cases(&state.db, campaign_id, page.lang)
                    .await?
                    .into_iter()
                    .map(|c| (c.id, c.name))
                    .collect();
            let name = waiting.first().map(|w| w.0.clone()).unwrap_or_default();
            let cases = waiting
                .iter()
                .filter_map(|(_, id)| names.get(id).cloned())
                .collect();
            (LinkState::Ready, name, cases)
        }
    };
    Ok(confirm_response(page, link_state, token, name, cases))
}

async fn confirm_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
    CsrfForm(_): CsrfForm<crate::web::forms::CsrfOnly>,
) -> Result<Response> {
    let link_state = match state.actions().confirm(token.clone()).await? {
        Confirmed::Counted(_) => LinkState::Counted,
        Confirmed::AlreadyCounted => LinkState::AlreadyCounted,
        Confirmed::Expired => LinkState::Expired,
        Confirmed::Unknown => LinkState::Unknown,
    };
    Ok(confirm_response(
        page,
        link_state,
        token,
        String::new(),
        Vec::new(),
    ))
}

fn confirm_response(
    page: PageCtx,
    state: LinkState,
    token: String,
    name: String,
    cases: Vec<String>,
) -> Response {
    let status = match state {
        LinkState::Unknown => StatusCode::NOT_FOUND,
        LinkState::Expired => StatusCode::GONE,
        _ => StatusCode::OK,
    };
    let mut response = render_status(
        status,
        &ConfirmPage {
            page,
            state,
            token,
            name,
            cases,
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("a header"));
    // The token is in the path: keep it out of any Referer.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        "no-referrer".parse().expect("a header"),
    );
    response
}
