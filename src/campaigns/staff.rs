//! Staff pages to set up a campaign and its cases, per language, and record case updates.
//! Campaigns and cases are shared by every country, so only admins and staff of every country
//! change them; staff of one country see the overview.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Campaign, CampaignFields, Case, CaseFields, CaseStatus, UpdateFields, store};
use crate::accounts::Account;
use crate::accounts::auth::StaffUser;
use crate::error::{Error, Result};
use crate::i18n::FieldErrors;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::page::{PageCtx, render, render_status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(overview))
        .route("/staff/campaigns/new", get(new_campaign_page))
        .route("/staff/campaigns", post(create_campaign))
        .route(
            "/staff/campaigns/{campaign}/edit",
            get(edit_campaign_page).post(edit_campaign),
        )
        .route("/staff/campaigns/{campaign}/cases/new", get(new_case_page))
        .route("/staff/campaigns/{campaign}/cases", post(create_case))
        .route(
            "/staff/campaigns/{campaign}/cases/{case}/edit",
            get(edit_case_page).post(edit_case),
        )
        .route(
            "/staff/campaigns/{campaign}/cases/{case}/updates",
            post(add_update),
        )
}

pub fn require_campaign_manager(account: &Account) -> Result<()> {
    if account.can_manage_campaigns() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Which language's texts a form edits: `?language=` or the hidden field, else the visitor's.
#[derive(Deserialize, Default)]
pub struct LanguageQuery {
    pub language: Option<String>,
}

pub fn editing_language(requested: Option<&str>, page: &PageCtx) -> Lang {
    requested.and_then(Lang::from_code).unwrap_or(page.lang)
}

#[derive(Template)]
#[template(path = "staff/overview.html")]
struct OverviewPage {
    page: PageCtx,
    campaigns: Vec<(Campaign, i64)>,
    can_create: bool,
    /// Administrators also manage the webhooks.
    is_admin: bool,
}

async fn overview(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
) -> Result<Response> {
    let counts = store::case_counts(&state.db).await?;
    let campaigns = store::list(&state.db, page.lang)
        .await?
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.id).copied().unwrap_or(0);
            (c, n)
        })
        .collect();
    Ok(render(&OverviewPage {
        page,
        campaigns,
        can_create: me.can_manage_campaigns(),
        is_admin: me.role == crate::accounts::Role::Admin,
    }))
}

#[derive(Template)]
#[template(path = "staff/campaign_form.html")]
struct CampaignForm {
    page: PageCtx,
    /// `None` while creating.
    existing: Option<Campaign>,
    form: CampaignFields,
    editing: Lang,
    errors: FieldErrors,
}

#[derive(Deserialize)]
struct CampaignPost {
    #[serde(flatten)]
    fields: CampaignFields,
    #[serde(default)]
    language: String,
}

async fn new_campaign_page(
    StaffUser(me): StaffUser,
    page: PageCtx,
    Query(q): Query<LanguageQuery>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(q.language.as_deref(), &page);
    let form = CampaignFields {
        goal: "0".into(),
        ..Default::default()
    };
    Ok(render(&CampaignForm {
        page,
        existing: None,
        form,
        editing,
        errors: FieldErrors::default(),
    }))
}

async fn create_campaign(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    CsrfForm(post): CsrfForm<CampaignPost>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(Some(&post.language), &page);
    let reshow = |page, errors| {
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CampaignForm {
                page,
                existing: None,
                form: post.fields.clone(),
                editing,
                errors,
            },
        )
    };
    let input = match post.fields.parse(editing) {
        Ok(input) => input,
        Err(errors) => return Ok(reshow(page, errors)),
    };
    let mut tx = state.db.begin_write().await?;
    let now = state.db.now_ms();
    match store::create(&mut tx, now, &input).await {
        Ok(id) => {
            let after = super::audit::campaign_input_state(&input);
            super::audit::campaign(&mut tx, now, me.id, id, None, after).await?;
        }
        Err(Error::Invalid(errors)) => return Ok(reshow(page, errors)),
        Err(err) => return Err(err),
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/campaigns/{}", input.slug)).into_response())
}

async fn edit_campaign_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<LanguageQuery>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(q.language.as_deref(), &page);
    let campaign = store::by_slug(&state.db, &slug, editing)
        .await?
        .ok_or(Error::NotFound)?;
    let (title, intro) = store::text_in(&state.db, campaign.id, editing)
        .await?
        .unwrap_or_default();
    let form = CampaignFields {
        slug: campaign.slug.clone(),
        title,
        intro,
        global_day: campaign.global_day.to_string(),
        starts_on: campaign.starts_on.to_string(),
        ends_on: campaign.ends_on.to_string(),
        report_deadline: campaign.report_deadline.to_string(),
        goal: campaign.goal.to_string(),
    };
    Ok(render(&CampaignForm {
        page,
        existing: Some(campaign),
        form,
        editing,
        errors: FieldErrors::default(),
    }))
}

async fn edit_campaign(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(mut post): CsrfForm<CampaignPost>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(Some(&post.language), &page);
    let campaign = store::by_slug(&state.db, &slug, editing)
        .await?
        .ok_or(Error::NotFound)?;
    post.fields.slug = campaign.slug.clone();
    let input = match post.fields.parse(editing) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CampaignForm {
                    page,
                    existing: Some(campaign),
                    form: post.fields,
                    editing,
                    errors,
                },
            ));
        }
    };
    let mut tx = state.db.begin_write().await?;
    let now = state.db.now_ms();
    store::update(&mut tx, now, campaign.id, &input).await?;
    let (before, after) = (
        super::audit::campaign_state(&campaign),
        super::audit::campaign_input_state(&input),
    );
    super::audit::campaign(&mut tx, now, me.id, campaign.id, Some(before), after).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/campaigns/{}", campaign.slug)).into_response())
}

#[derive(Template)]
#[template(path = "staff/case_form.html")]
struct CaseForm {
    page: PageCtx,
    campaign: Campaign,
    existing: Option<Case>,
    form: CaseFields,
    editing: Lang,
    errors: FieldErrors,
    update_errors: FieldErrors,
    update: UpdateFields,
    statuses: [CaseStatus; 3],
}

#[derive(Deserialize)]
struct CasePost {
    #[serde(flatten)]
    fields: CaseFields,
    #[serde(default)]
    language: String,
}

pub async fn campaign_for_staff(state: &AppState, slug: &str, lang: Lang) -> Result<Campaign> {
    store::by_slug(&state.db, slug, lang)
        .await?
        .ok_or(Error::NotFound)
}

fn blank_update(today: chrono::NaiveDate) -> UpdateFields {
    UpdateFields {
        happened_on: today.to_string(),
        ..Default::default()
    }
}

async fn new_case_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    Query(q): Query<LanguageQuery>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(q.language.as_deref(), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    Ok(render(&CaseForm {
        page,
        campaign,
        existing: None,
        form: CaseFields::default(),
        editing,
        errors: FieldErrors::default(),
        update_errors: FieldErrors::default(),
        update: blank_update(state.db.clock.today()),
        statuses: CaseStatus::ALL,
    }))
}

async fn create_case(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path(slug): Path<String>,
    CsrfForm(post): CsrfForm<CasePost>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(Some(&post.language), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let result = match post.fields.parse(editing) {
        Ok(input) => {
            let mut tx = state.db.begin_write().await?;
            let now = state.db.now_ms();
            match store::create_case(&mut tx, now, campaign.id, &input).await {
                Ok(id) => {
                    let after = super::audit::case_input_state(&input);
                    super::audit::case(&mut tx, now, me.id, (campaign.id, id), None, after).await?;
                    tx.commit().await?;
                    Ok(input.slug)
                }
                Err(Error::Invalid(errors)) => Err(errors),
                Err(err) => return Err(err),
            }
        }
        Err(errors) => Err(errors),
    };
    match result {
        Ok(case_slug) => Ok(Redirect::to(&format!(
            "/campaigns/{}/cases/{case_slug}",
            campaign.slug
        ))
        .into_response()),
        Err(errors) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CaseForm {
                page,
                campaign,
                existing: None,
                form: post.fields,
                editing,
                errors,
                update_errors: FieldErrors::default(),
                update: blank_update(state.db.clock.today()),
                statuses: CaseStatus::ALL,
            },
        )),
    }
}

async fn edit_case_page(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path((slug, case_slug)): Path<(String, String)>,
    Query(q): Query<LanguageQuery>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(q.language.as_deref(), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let case = store::case_by_slug(&state.db, campaign.id, &case_slug, editing)
        .await?
        .ok_or(Error::NotFound)?;
    let text = store::case_text_in(&state.db, case.id, editing)
        .await?
        .unwrap_or_default();
    let form = CaseFields::of(&case, text);
    Ok(render(&CaseForm {
        page,
        campaign,
        existing: Some(case),
        form,
        editing,
        errors: FieldErrors::default(),
        update_errors: FieldErrors::default(),
        update: blank_update(state.db.clock.today()),
        statuses: CaseStatus::ALL,
    }))
}

async fn edit_case(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path((slug, case_slug)): Path<(String, String)>,
    CsrfForm(mut post): CsrfForm<CasePost>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(Some(&post.language), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let case = store::case_by_slug(&state.db, campaign.id, &case_slug, editing)
        .await?
        .ok_or(Error::NotFound)?;
    post.fields.slug = case.slug.clone();
    match post.fields.parse(editing) {
        Ok(input) => {
            let mut tx = state.db.begin_write().await?;
            let now = state.db.now_ms();
            store::update_case(&mut tx, now, case.id, &input).await?;
            let (before, after) = (
                super::audit::case_state(&case),
                super::audit::case_input_state(&input),
            );
            let ids = (campaign.id, case.id);
            super::audit::case(&mut tx, now, me.id, ids, Some(before), after).await?;
            tx.commit().await?;
            Ok(
                Redirect::to(&format!("/campaigns/{}/cases/{}", campaign.slug, case.slug))
                    .into_response(),
            )
        }
        Err(errors) => Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &CaseForm {
                page,
                campaign,
                existing: Some(case),
                form: post.fields,
                editing,
                errors,
                update_errors: FieldErrors::default(),
                update: blank_update(state.db.clock.today()),
                statuses: CaseStatus::ALL,
            },
        )),
    }
}

#[derive(Deserialize)]
struct UpdatePost {
    #[serde(flatten)]
    fields: UpdateFields,
    #[serde(default)]
    language: String,
    /// Mail good news to the hosts and attendees of the case's events.
    #[serde(default)]
    notify: Option<String>,
}

async fn add_update(
    State(state): State<AppState>,
    StaffUser(me): StaffUser,
    page: PageCtx,
    Path((slug, case_slug)): Path<(String, String)>,
    CsrfForm(post): CsrfForm<UpdatePost>,
) -> Result<Response> {
    require_campaign_manager(&me)?;
    let editing = editing_language(Some(&post.language), &page);
    let campaign = campaign_for_staff(&state, &slug, page.lang).await?;
    let case = store::case_by_slug(&state.db, campaign.id, &case_slug, editing)
        .await?
        .ok_or(Error::NotFound)?;
    match post.fields.parse() {
        Ok((date, status, note)) => {
            let mut tx = state.db.begin_write().await?;
            let update_id = store::add_update(
                &mut tx,
                state.db.now_ms(),
                case.id,
                date,
                status,
                &note,
                editing.code(),
            )
            .await?;
            let notify = status == CaseStatus::GoodNews && post.notify.is_some();
            let mailed = if notify {
                let now = state.db.now_ms();
                let about = (&campaign, &case);
                super::good_news::notify(&mut tx, now, &state.settings, about, update_id, &note)
                    .await?
            } else {
                0
            };
            let after = serde_json::json!({"status": status.as_str(),
                "happened_on": date.to_string(), "note": note, "language": editing.code(),
                "mailed": mailed});
            let ids = (campaign.id, case.id);
            super::audit::case_update(&mut tx, state.db.now_ms(), me.id, ids, case.status, after)
                .await?;
            tx.commit().await?;
            Ok(
                Redirect::to(&format!("/campaigns/{}/cases/{}", campaign.slug, case.slug))
                    .into_response(),
            )
        }
        Err(update_errors) => {
            let text = store::case_text_in(&state.db, case.id, editing)
                .await?
                .unwrap_or_default();
            let form = CaseFields::of(&case, text);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CaseForm {
                    page,
                    campaign,
                    existing: Some(case),
                    form,
                    editing,
                    errors: FieldErrors::default(),
                    update_errors,
                    update: post.fields,
                    statuses: CaseStatus::ALL,
                },
            ))
        }
    }
}
