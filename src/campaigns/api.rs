//! `/api/v1/campaigns…`: campaigns and cases as JSON (see API-v1.md).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{Campaign, CampaignFields, Case, CaseFields, store};
use crate::accounts::auth::ApiCaller;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::api::{ApiJson, present, whole};
use crate::web::idempotency::{Claim, Idempotency, StoredResponse};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/campaigns",
            get(list_campaigns).post(create_campaign),
        )
        .route("/api/v1/campaigns/{campaign}", get(get_campaign))
        .route(
            "/api/v1/campaigns/{campaign}/cases",
            get(list_cases).post(create_case),
        )
        .route("/api/v1/campaigns/{campaign}/cases/{case}", get(get_case))
}

#[derive(Serialize)]
pub struct CampaignJson {
    slug: String,
    title: String,
    intro: String,
    language: String,
    global_day: String,
    starts_on: String,
    ends_on: String,
    report_deadline: String,
    goal: i64,
    url: String,
}

impl CampaignJson {
    fn new(c: &Campaign, base: &str) -> CampaignJson {
        CampaignJson {
            slug: c.slug.clone(),
            title: c.title.clone(),
            intro: c.intro.clone(),
            language: c.language.clone(),
            global_day: c.global_day.to_string(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            report_deadline: c.report_deadline.to_string(),
            goal: c.goal,
            url: format!("{base}/campaigns/{}", c.slug),
        }
    }
}

#[derive(Serialize)]
struct AuthorityJson {
    name: String,
    title: String,
    address: String,
    salutation: String,
}

#[derive(Serialize)]
pub struct CaseJson {
    slug: String,
    name: String,
    country: String,
    summary: String,
    status: &'static str,
    authority: AuthorityJson,
    sample_letter: String,
    solidarity: String,
    language: String,
    url: String,
}

impl CaseJson {
    fn new(case: &Case, campaign: &Campaign, base: &str) -> CaseJson {
        CaseJson {
            slug: case.slug.clone(),
            name: case.name.clone(),
            country: case.country.clone(),
            summary: case.text.summary.clone(),
            status: case.status.as_str(),
            authority: AuthorityJson {
                name: case.authority_name.clone(),
                title: case.authority_title.clone(),
                address: case.authority_address.clone(),
                salutation: case.text.salutation.clone(),
            },
            sample_letter: case.text.sample_letter.clone(),
            solidarity: case.text.solidarity.clone(),
            language: case.text.language.clone(),
            url: format!("{base}/campaigns/{}/cases/{}", campaign.slug, case.slug),
        }
    }
}

async fn list_campaigns(State(state): State<AppState>, lang: Lang) -> Result<Response> {
    let base = &state.settings.public_url;
    let campaigns: Vec<CampaignJson> = store::list(&state.db, lang)
        .await?
        .iter()
        .map(|c| CampaignJson::new(c, base))
        .collect();
    Ok(axum::Json(campaigns).into_response())
}

async fn find(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    store::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

async fn get_campaign(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = find(&state, &slug, lang).await?;
    Ok(axum::Json(CampaignJson::new(&campaign, &state.settings.public_url)).into_response())
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct NewCampaign {
    slug: String,
    title: String,
    #[serde(default)]
    intro: String,
    global_day: String,
    starts_on: String,
    ends_on: String,
    report_deadline: String,
    #[serde(deserialize_with = "whole")]
    goal: i64,
    /// The language of `title` and `intro`; default: the request's language.
    #[serde(default, deserialize_with = "present")]
    language: Option<String>,
}

fn body_language(requested: Option<&str>, fallback: Lang) -> Result<Lang> {
    match requested {
        None => Ok(fallback),
        Some(code) => Lang::from_code(code)
            .filter(|l| l.code() == code)
            .ok_or_else(|| {
                let mut errors = crate::i18n::FieldErrors::default();
                errors.add(
                    "language",
                    crate::i18n::Msg::new("field-language").arg("languages", Lang::all_codes()),
                );
                Error::Invalid(errors)
            }),
    }
}

async fn create_campaign(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    lang: Lang,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewCampaign>,
) -> Result<Response> {
    if !caller.can_manage_campaigns() {
        return Err(Error::Forbidden);
    }
    let language = body_language(body.language.as_deref(), lang)?;
    let fields = CampaignFields {
        slug: body.slug.clone(),
        title: body.title.clone(),
        intro: body.intro.clone(),
        global_day: body.global_day.clone(),
        starts_on: body.starts_on.clone(),
        ends_on: body.ends_on.clone(),
        report_deadline: body.report_deadline.clone(),
        goal: body.goal.to_string(),
    };
    let input = fields.parse(language).map_err(Error::Invalid)?;
    let idem = Idempotency::from_request(
        &headers,
        caller.id,
        "POST /api/v1/campaigns",
        &serde_json::to_value(&body).unwrap_or_default(),
    )?;
    let mut tx = state.db.begin_write().await?;
    if let Some(idem) = &idem
        && let Claim::Done(response) = idem.claim(&state.db, &mut tx).await?
    {
        return Ok(response);
    }
    let id = store::create(&mut tx, state.db.now_ms(), &input).await?;
    let after = super::audit::campaign_input_state(&input);
    super::audit::campaign(&mut tx, state.db.now_ms(), caller.id, id, None, after).await?;
    let location = format!("/api/v1/campaigns/{}", input.slug);
    let json = CampaignJson {
        slug: input.slug.clone(),
        title: input.title.clone(),
        intro: input.intro.clone(),
        language: language.code().to_string(),
        global_day: input.global_day.to_string(),
        starts_on: input.starts_on.to_string(),
        ends_on: input.ends_on.to_string(),
        report_deadline: input.report_deadline.to_string(),
        goal: input.goal,
        url: format!("{}/campaigns/{}", state.settings.public_url, input.slug),
    };
    let stored = StoredResponse::created(location, &json);
    if let Some(idem) = &idem {
        idem.complete(&mut tx, &stored).await?;
    }
    tx.commit().await?;
    Ok(stored.into_response())
}

async fn list_cases(
    State(state): State<AppState>,
    lang: Lang,
    Path(slug): Path<String>,
) -> Result<Response> {
    let campaign = find(&state, &slug, lang).await?;
    let base = &state.settings.public_url;
    let cases: Vec<CaseJson> = store::cases(&state.db, campaign.id, lang)
        .await?
        .iter()
        .map(|c| CaseJson::new(c, &campaign, base))
        .collect();
    Ok(axum::Json(cases).into_response())
}

async fn get_case(
    State(state): State<AppState>,
    lang: Lang,
    Path((slug, case_slug)): Path<(String, String)>,
) -> Result<Response> {
    let campaign = find(&state, &slug, lang).await?;
    let case = store::case_by_slug(&state.db, campaign.id, &case_slug, lang)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(axum::Json(CaseJson::new(&case, &campaign, &state.settings.public_url)).into_response())
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct NewAuthority {
    name: String,
    #[serde(default)]
    title: String,
    address: String,
    salutation: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct NewCase {
    slug: String,
    name: String,
    country: String,
    summary: String,
    authority: NewAuthority,
    #[serde(default)]
    sample_letter: String,
    #[serde(default)]
    solidarity: String,
    #[serde(default, deserialize_with = "present")]
    language: Option<String>,
}

async fn create_case(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    lang: Lang,
    headers: HeaderMap,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<NewCase>,
) -> Result<Response> {
    // Cases (authority addresses, letters) are shared by every country.
    if !caller.can_manage_campaigns() {
        return Err(Error::Forbidden);
    }
    let campaign = find(&state, &slug, lang).await?;
    let language = body_language(body.language.as_deref(), lang)?;
    let fields = CaseFields {
        slug: body.slug.clone(),
        name: body.name.clone(),
        country: body.country.clone(),
        summary: body.summary.clone(),
        authority_name: body.authority.name.clone(),
        authority_title: body.authority.title.clone(),
        authority_address: body.authority.address.clone(),
        salutation: body.authority.salutation.clone(),
        sample_letter: body.sample_letter.clone(),
        solidarity: body.solidarity.clone(),
    };
    let input = fields.parse(language).map_err(Error::Invalid)?;
    let route = format!("POST /api/v1/campaigns/{}/cases", campaign.slug);
    let idem = Idempotency::from_request(
        &headers,
        caller.id,
        &route,
        &serde_json::to_value(&body).unwrap_or_default(),
    )?;
    let mut tx = state.db.begin_write().await?;
    if let Some(idem) = &idem
        && let Claim::Done(response) = idem.claim(&state.db, &mut tx).await?
    {
        return Ok(response);
    }
    let id = store::create_case(&mut tx, state.db.now_ms(), campaign.id, &input).await?;
    let after = super::audit::case_input_state(&input);
    let ids = (campaign.id, id);
    super::audit::case(&mut tx, state.db.now_ms(), caller.id, ids, None, after).await?;
    let case = Case {
        id,
        campaign_id: campaign.id,
        slug: input.slug.clone(),
        name: input.name.clone(),
        country: input.country.clone(),
        status: super::CaseStatus::Active,
        authority_name: input.authority_name.clone(),
        authority_title: input.authority_title.clone(),
        authority_address: input.authority_address.clone(),
        text: input.text.clone(),
    };
    let location = format!("/api/v1/campaigns/{}/cases/{}", campaign.slug, case.slug);
    let stored = StoredResponse::created(
        location,
        &CaseJson::new(&case, &campaign, &state.settings.public_url),
    );
    if let Some(idem) = &idem {
        idem.complete(&mut tx, &stored).await?;
    }
    tx.commit().await?;
    Ok(stored.into_response())
}
